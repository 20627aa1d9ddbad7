// Package parallel runs independent jobs — one per patient, cine or image
// — on a fixed number of goroutines, for the packages that process a cohort
// (tic, radiomics, deep, study). Results go into slots indexed by the job,
// so what a caller builds does not depend on the number of workers.
package parallel

import (
	"errors"
	"runtime"
	"sync"
)

// ForEach runs job(i) for every i in [0, n) on workers goroutines (≤ 0:
// GOMAXPROCS, never more than n), calling progress, when not nil, after
// each job with (jobs done, n) — serially, so a progress bar needs no lock
// of its own. It returns every job's error joined in index order (nil when
// all succeed).
func ForEach(n, workers int, job func(i int) error, progress func(done, total int)) error {
	if n <= 0 {
		return nil
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range min(workers, n) {
		wg.Go(func() {
			for i := range next {
				errs[i] = job(i)
				if progress != nil {
					mu.Lock()
					done++
					progress(done, n)
					mu.Unlock()
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}
