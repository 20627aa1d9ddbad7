package roc

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// bootBenchData draws n observations, a fraction 0.3 cases, and two
// correlated binormal scores rounded to 3 decimals (so the larger sizes have
// ties), the design bench/bootstrap_side_by_side.sh gives pROC: control
// scores N(0, 1), case scores shifted by 1 and 0.7.
func bootBenchData(n int) (x, y []float64, truth []bool) {
	rng := rand.New(rand.NewPCG(7, uint64(n)))
	x = make([]float64, n)
	y = make([]float64, n)
	truth = make([]bool, n)
	for i := range truth {
		truth[i] = rng.Float64() < 0.3
		z := rng.NormFloat64()
		c := 0.0
		if truth[i] {
			c = 1
		}
		x[i] = float64(int64((z+c)*1000)) / 1000
		y[i] = float64(int64((0.6*z+0.8*rng.NormFloat64()+0.7*c)*1000)) / 1000
	}
	return x, y, truth
}

var bootBenchSizes = []int{130, 1e4}

// BenchmarkBootstrapAUC is pROC's ci.auc(method = "bootstrap",
// boot.n = 2000, boot.stratified = TRUE): 2000 stratified replicates of
// the AUC with percentile and BCa intervals.
func BenchmarkBootstrapAUC(b *testing.B) {
	for _, n := range bootBenchSizes {
		x, _, truth := bootBenchData(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := BootstrapAUC(x, truth, CasesHigher, BootOptions{Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBootstrapTest is pROC's roc.test(method = "bootstrap",
// boot.n = 2000): the paired bootstrap test of two AUCs.
func BenchmarkBootstrapTest(b *testing.B) {
	for _, n := range bootBenchSizes {
		x, y, truth := bootBenchData(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := BootstrapTest(x, y, truth, CasesHigher, CasesHigher, BootOptions{Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVenkatramanTest is pROC's roc.test(method = "venkatraman",
// boot.n = 2000) for two paired scores.
func BenchmarkVenkatramanTest(b *testing.B) {
	for _, n := range bootBenchSizes {
		x, y, truth := bootBenchData(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := VenkatramanTest(x, y, truth, CasesHigher, CasesHigher, PermOptions{Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
