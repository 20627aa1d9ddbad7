package roc

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkOmnibusDeLong is the omnibus test of k = 5 correlated binormal
// scores: NewDeLong (k sorts, O(k N log N), radix for large N; O(k² N) for
// S) and the O(k³) test.
func BenchmarkOmnibusDeLong(b *testing.B) {
	for _, n := range []int{1e4, 1e5, 1e6} {
		const k = 5
		rng := rand.New(rand.NewPCG(5, uint64(n)))
		truth := make([]bool, n)
		scores := make([][]float64, k)
		for r := range scores {
			scores[r] = make([]float64, n)
		}
		for i := range truth {
			truth[i] = rng.Float64() < 0.3
			z := rng.NormFloat64()
			c := 0.0
			if truth[i] {
				c = 1
			}
			for r := range scores {
				scores[r][i] = 0.6*z + 0.8*rng.NormFloat64() + float64(r+1)*0.1*c
			}
		}
		b.Run(fmt.Sprintf("n=%d/k=%d", n, k), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := OmnibusDeLong(scores, truth); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
