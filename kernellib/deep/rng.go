package deep

import "math/rand/v2"

// Purposes of the random streams; each draw comes from a PCG seeded from
// (Config.Seed, purpose, index...) through SplitMix64, so no stream is
// shared between goroutines and results do not depend on scheduling.
const (
	streamInit uint64 = iota + 1
	streamSplit
	streamOrder
	streamAugment
)

// splitmix64 is Steele, Lea & Flood's SplitMix64 finaliser (OOPSLA 2014).
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// newRand returns the generator of the stream (seed, keys...).
func newRand(seed uint64, keys ...uint64) *rand.Rand {
	h := splitmix64(seed)
	for _, k := range keys {
		h = splitmix64(h ^ k)
	}
	return rand.New(rand.NewPCG(h, splitmix64(h)))
}
