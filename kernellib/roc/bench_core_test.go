package roc

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchData draws n observations, a fraction 0.3 cases, and two correlated
// binormal scores without ties (the same design as bench/delong_side_by_side.sh
// gives pROC): control scores N(0, 1), case scores shifted by 0.5 and 0.4.
func benchData(n int) (a, b []float64, truth []bool) {
	rng := rand.New(rand.NewPCG(2024, uint64(n)))
	a = make([]float64, n)
	b = make([]float64, n)
	truth = make([]bool, n)
	for i := range truth {
		truth[i] = rng.Float64() < 0.3
		z := rng.NormFloat64()
		c := 0.0
		if truth[i] {
			c = 1
		}
		a[i] = z + 0.5*c
		b[i] = 0.6*z + 0.8*rng.NormFloat64() + 0.4*c
	}
	return a, b, truth
}

var benchSizes = []int{1e3, 1e4, 1e5, 1e6}

// BenchmarkCurvesPairedDeLong is pROC's roc() twice plus
// roc.test(method = "delong"): both ROC curves and the paired DeLong test.
func BenchmarkCurvesPairedDeLong(b *testing.B) {
	for _, n := range benchSizes {
		x, y, truth := benchData(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := NewCurve(x, truth, CasesHigher); err != nil {
					b.Fatal(err)
				}
				if _, err := NewCurve(y, truth, CasesHigher); err != nil {
					b.Fatal(err)
				}
				if _, err := PairedDeLong(x, y, truth, CasesHigher, 0.95); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNewCurve(b *testing.B) {
	for _, n := range benchSizes {
		x, _, truth := benchData(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := NewCurve(x, truth, CasesHigher); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPairedDeLong(b *testing.B) {
	for _, n := range benchSizes {
		x, y, truth := benchData(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := PairedDeLong(x, y, truth, CasesHigher, 0.95); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMidRanks(b *testing.B) {
	for _, n := range benchSizes {
		x, _, _ := benchData(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				MidRanks(x)
			}
		})
	}
}
