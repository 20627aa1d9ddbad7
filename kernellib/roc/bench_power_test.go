package roc

import (
	"fmt"
	"testing"
)

// BenchmarkPowerOneAUCSolveAUC times the one root-finding solve (the AUC
// detectable with a given study); the closed forms cost less.
func BenchmarkPowerOneAUCSolveAUC(b *testing.B) {
	p := PowerPlan{Cases: 41, Controls: 41, Alpha: 0.05, Power: 0.8}
	for b.Loop() {
		if _, err := PowerOneAUC(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPowerTwoCurves times the power of two curves from data, by
// DeLong's variances and by the binormal fits, O(N log N) both.
func BenchmarkPowerTwoCurves(b *testing.B) {
	for _, n := range []int{1e3, 1e5, 1e6} {
		x, y, truth := benchData(n)
		for _, m := range []PowerMethod{PowerDeLong, PowerBinormal} {
			b.Run(fmt.Sprintf("%v/n=%d", m, n), func(b *testing.B) {
				for b.Loop() {
					if _, err := PowerTwoCurves(x, y, truth, m, PowerPlan{Alpha: 0.05}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
