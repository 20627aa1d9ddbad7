package learn

import (
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
)

// mixSeed is SplitMix64's finaliser (Steele, Lea & Flood 2014): it turns
// nearby seeds (a seed and a tree index, say) into unrelated 64-bit states.
func mixSeed(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// streamRNG returns the random stream number stream of seed: a PCG
// generator whose state depends on (seed, stream) only, so that work
// item i draws the same numbers whichever goroutine runs it.
func streamRNG(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(mixSeed(seed), mixSeed(mixSeed(seed)^stream)))
}

// forEachIndex calls f(i) for i = 0 … n−1 on up to GOMAXPROCS goroutines
// and returns when all calls are done. f must write only to slots owned by
// its i, so the results do not depend on the scheduling.
func forEachIndex(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}
