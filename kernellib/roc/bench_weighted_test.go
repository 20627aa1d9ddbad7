package roc

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkWeightedDeLong is NewWeightedDeLong for the two scores of
// benchData with lognormal weights: O(N log N) like NewDeLong.
func BenchmarkWeightedDeLong(b *testing.B) {
	for _, n := range benchSizes {
		x, y, truth := benchData(n)
		rng := rand.New(rand.NewPCG(3, uint64(n)))
		w := make([]float64, n)
		for i := range w {
			w[i] = rng.ExpFloat64()
		}
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := NewWeightedDeLong([][]float64{x, y}, truth, w); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkClustered is NewClustered for the two scores of benchData in
// clusters of 3 units on average.
func BenchmarkClustered(b *testing.B) {
	for _, n := range benchSizes {
		x, y, truth := benchData(n)
		rng := rand.New(rand.NewPCG(4, uint64(n)))
		cluster := make([]int, n)
		for i := range cluster {
			cluster[i] = rng.IntN(n/3 + 2)
		}
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := NewClustered([][]float64{x, y}, truth, cluster); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
