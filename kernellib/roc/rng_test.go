package roc

import (
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// intn is uniform: a chi-square goodness-of-fit test of 70000 draws of
// intn(7), and 70000 of intn(2³² + 7) folded into 7 bins, at level 1e-6.
func TestIntnUniform(t *testing.T) {
	crit := distuv.ChiSquared{K: 6}.Quantile(1 - 1e-6)
	for _, n := range []int{7, 1<<32 + 7} {
		var r repRNG
		r.seed(3, streamBootstrap, 0)
		var cnt [7]float64
		const draws = 70000
		for range draws {
			v := r.intn(n)
			if v < 0 || v >= n {
				t.Fatalf("intn(%d) = %d", n, v)
			}
			cnt[v%7]++
		}
		chi := 0.0
		for _, c := range cnt {
			chi += (c - draws/7) * (c - draws/7) / (draws / 7)
		}
		if chi > crit {
			t.Errorf("intn(%d): chi-square %v > %v, counts %v", n, chi, crit, cnt)
		}
	}
}

// The generator of (seed, stream, b) is a pure function of the triple, and
// neighbouring triples give different streams.
func TestRepRNGSeeding(t *testing.T) {
	first := func(seed, stream uint64, b int) uint64 {
		var r repRNG
		r.seed(seed, stream, b)
		r.intn(10)
		r.seed(seed, stream, b)
		return r.pcg.Uint64()
	}
	if first(1, 1, 5) != first(1, 1, 5) {
		t.Error("same triple, different streams")
	}
	seen := map[uint64]bool{}
	for seed := range uint64(3) {
		for stream := range uint64(3) {
			for b := range 50 {
				v := first(seed, stream, b)
				if seen[v] {
					t.Fatalf("(%d, %d, %d) repeats an earlier stream", seed, stream, b)
				}
				seen[v] = true
			}
		}
	}
}

// Every replicate is computed once, whatever the number of goroutines.
func TestParallelReplicatesCoversAll(t *testing.T) {
	for _, n := range []int{0, 1, 15, 16, 17, 1000} {
		hits := make([]int, n)
		parallelReplicates(n, func() func(b int) {
			return func(b int) { hits[b]++ }
		})
		for b, h := range hits {
			if h != 1 {
				t.Fatalf("n = %d: replicate %d computed %d times", n, b, h)
			}
		}
	}
}
