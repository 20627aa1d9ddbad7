package roc

import (
	"math/bits"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
)

// Resampling and permutation are reproducible on any number of cores: every
// replicate b draws from its own generator, a PCG (O'Neill 2014, the DXSM
// variant of math/rand/v2) whose 128-bit state is derived from the pair
// (seed, b) by SplitMix64 (Steele, Lea & Flood 2014). No replicate reads a
// shared stream, so the values do not depend on which goroutine computes
// which replicate, nor on GOMAXPROCS.

// splitmix64 is the SplitMix64 finaliser: a bijective mix of the 64 bits of x.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// repRNG is the generator of one replicate.
type repRNG struct {
	pcg rand.PCG
}

// seed sets r to the generator of replicate b of the run seeded with seed.
// stream separates independent uses of the same (seed, b) pair.
func (r *repRNG) seed(seed uint64, stream uint64, b int) {
	h := splitmix64(seed ^ splitmix64(stream))
	hi := splitmix64(h ^ splitmix64(uint64(b)))
	lo := splitmix64(hi ^ 0x6a09e667f3bcc909)
	r.pcg.Seed(hi, lo)
}

// intn returns a uniform integer in [0, n), n > 0, by Lemire's multiply and
// reject method (Lemire 2019, "Fast random integer generation in an
// interval", ACM TOMACS 29:3): unbiased and division-free in the usual case.
func (r *repRNG) intn(n int) int {
	un := uint64(n)
	hi, lo := bits.Mul64(r.pcg.Uint64(), un)
	if lo < un {
		thresh := -un % un
		for lo < thresh {
			hi, lo = bits.Mul64(r.pcg.Uint64(), un)
		}
	}
	return int(hi)
}

// float64 returns a uniform number in [0, 1) with 53 random bits.
func (r *repRNG) float64() float64 {
	return float64(r.pcg.Uint64()>>11) * 0x1p-53
}

// shuffle permutes x uniformly at random (Fisher–Yates, Durstenfeld 1964).
func (r *repRNG) shuffle(x []float64) {
	for i := len(x) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		x[i], x[j] = x[j], x[i]
	}
}

// Streams keep the generators of different procedures apart.
const (
	streamBootstrap uint64 = iota + 1
	streamVenkatraman
	streamBootstrapSecond // second sample of an unpaired bootstrap
	streamBand            // sensitivity band (BootstrapSensitivityBand)
)

// parallelReplicates runs replicates 0..n-1 on runtime.GOMAXPROCS(0)
// goroutines. newWorker is called once per goroutine and returns the function
// that computes one replicate with that goroutine's scratch space; it must
// write its result only to places owned by replicate b. Replicates are handed
// out in blocks from an atomic counter, so the split between goroutines
// varies but, replicates being independent, the results do not.
func parallelReplicates(n int, newWorker func() func(b int)) {
	workers := runtime.GOMAXPROCS(0)
	const block = 16
	if blocks := (n + block - 1) / block; workers > blocks {
		workers = blocks
	}
	if workers <= 1 {
		work := newWorker()
		for b := 0; b < n; b++ {
			work(b)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work := newWorker()
			for {
				lo := int(next.Add(block)) - block
				if lo >= n {
					return
				}
				hi := min(lo+block, n)
				for b := lo; b < hi; b++ {
					work(b)
				}
			}
		}()
	}
	wg.Wait()
}
