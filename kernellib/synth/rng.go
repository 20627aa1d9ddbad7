package synth

import (
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
)

// Every random choice of the simulator is drawn from a generator that belongs
// to one patient and one purpose: a PCG (O'Neill 2014, the DXSM variant of
// math/rand/v2) whose 128-bit state is derived from the triple
// (cohort seed, purpose, patient index) by SplitMix64 (Steele, Lea & Flood
// 2014). No patient reads a shared stream, so a patient's data depend neither
// on which goroutine makes them nor on GOMAXPROCS, nor on the cohort size n,
// nor on the image parameters (the clinical and latent draws have streams of
// their own).

// splitmix64 is the SplitMix64 finaliser: a bijective mix of the 64 bits of x.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// stream names the purpose of a generator.
type stream uint64

const (
	streamLatent     stream = iota + 1 // latent biology and clinical columns
	streamResponse                     // the OR/NR draw
	streamKinetics                     // per-patient kinetics and appearance
	streamSplit                        // the cohort's train/validation split
	streamGeometry                     // lesion shape, wall, vessel
	streamFields                       // smooth random fields
	streamTissue                       // static tissue speckle
	streamCine                         // frame timing, breathing, bubble speckle, noise
	streamBMode                        // B-mode noise
	streamPopulation                   // Monte Carlo population draws
)

// newRNG returns the generator of purpose s for patient index of the cohort
// seeded with seed.
func newRNG(seed uint64, s stream, index int) *rand.Rand {
	h := splitmix64(seed ^ splitmix64(uint64(s)*0x632be59bd9b4e019))
	hi := splitmix64(h ^ splitmix64(uint64(index)+0x243f6a8885a308d3))
	lo := splitmix64(hi ^ 0x6a09e667f3bcc909)
	return rand.New(rand.NewPCG(hi, lo))
}

// parallelFor calls work(i) for i = 0..n-1 on min(GOMAXPROCS, n) goroutines,
// handing out indices one at a time from an atomic counter. work must write
// only to places owned by index i. After the first error no new index is
// started; the error of the lowest failing index is returned, so the answer
// does not depend on scheduling.
func parallelFor(n int, work func(i int) error) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	errs := make([]error, n)
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if err := work(i); err != nil {
					errs[i] = err
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
