package roc

import (
	"fmt"
	"testing"
)

// BenchmarkNewPRCurve is the PR curve and both areas, the work of
// scikit-learn's precision_recall_curve plus average_precision_score.
func BenchmarkNewPRCurve(b *testing.B) {
	for _, n := range benchSizes {
		x, _, truth := benchData(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c, err := NewPRCurve(x, truth, CasesHigher)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = c.AveragePrecision(), c.AUCInterpolated()
			}
		})
	}
}

// BenchmarkBootstrapAveragePrecision: 2000 stratified replicates, each one
// O(N) tally and O(G) sweep, with the O(N) jackknife.
func BenchmarkBootstrapAveragePrecision(b *testing.B) {
	for _, n := range []int{130, 1e4} {
		x, _, truth := bootBenchData(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := BootstrapAveragePrecision(x, truth, CasesHigher, BootOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
