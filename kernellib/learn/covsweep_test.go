package learn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// radiomicLike returns n × p features that are correlated in blocks (a
// few latent factors plus noise, as radiomic texture features are) with a
// logistic outcome of the first factor, and every so often a duplicated
// column (exact ties).
func radiomicLike(seed uint64, n, p int) ([][]float64, []bool) {
	r := rand.New(rand.NewPCG(seed, 15))
	const factors = 6
	X := make([][]float64, n)
	y := make([]bool, n)
	for i := range X {
		z := make([]float64, factors)
		for k := range z {
			z[k] = r.NormFloat64()
		}
		X[i] = make([]float64, p)
		for j := range X[i] {
			X[i][j] = 0.8*z[j%factors] + 0.6*r.NormFloat64() + float64(j%7)
			if j%37 == 36 {
				X[i][j] = X[i][j-1]
			}
		}
		y[i] = r.Float64() < 1/(1+math.Exp(-1.5*z[0]-0.7*z[1]))
	}
	return X, y
}

// TestCovSweepsMatchNaive: the covariance-update active sweeps (covSweeps)
// give the same regularisation path as the naive sweeps they replace (the
// solver as it was before), on radiomics-sized problems: same λ sequence
// and stopping point, same sparsity pattern, and coefficients equal up to
// floating-point noise.
func TestCovSweepsMatchNaive(t *testing.T) {
	worst := 0.0
	for seed := uint64(1); seed <= 6; seed++ {
		for _, np := range [][2]int{{45, 192}, {70, 192}, {90, 60}} {
			X, y := radiomicLike(seed, np[0], np[1])
			for _, lp := range []LogisticPath{{Penalty: L1}, {Penalty: ElasticNet, L1Ratio: 0.5}, {Penalty: L2, NLambda: 30},
				{Penalty: L1, NoStandardize: true}} {
				name := fmt.Sprintf("seed%d/n%d/p%d/%v/nostd=%v", seed, np[0], np[1], lp.Penalty, lp.NoStandardize)
				naive := lp
				naive.naive = true
				want, err := naive.Fit(X, y)
				if err != nil {
					t.Fatalf("%s: naive: %v", name, err)
				}
				got, err := lp.Fit(X, y)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if len(got.Lambda) != len(want.Lambda) || got.Truncated != want.Truncated {
					t.Fatalf("%s: %d λ values (truncated %v), naive %d (%v)", name, len(got.Lambda), got.Truncated, len(want.Lambda), want.Truncated)
				}
				for k := range want.Lambda {
					scale := 1.0
					for _, b := range want.StdCoef[k] {
						scale = max(scale, math.Abs(b))
					}
					d := math.Abs(got.StdIntercept[k]-want.StdIntercept[k]) / max(1, math.Abs(want.StdIntercept[k]))
					for j, b := range want.StdCoef[k] {
						if (b == 0) != (got.StdCoef[k][j] == 0) {
							t.Fatalf("%s: λ[%d] feature %d: %v, naive %v (sparsity differs)", name, k, j, got.StdCoef[k][j], b)
						}
						d = max(d, math.Abs(got.StdCoef[k][j]-b)/scale)
					}
					worst = max(worst, d)
					if d > 1e-8 {
						t.Errorf("%s: λ[%d]: coefficients differ by %.3g (relative), want ≤ 1e-8", name, k, d)
					}
				}
			}
		}
	}
	t.Logf("largest relative difference from the naive sweeps: %.3g", worst)
}

// BenchmarkPathRadiomic times one lasso and one elastic-net path on a
// radiomics-sized problem (60 patients × 192 correlated features, the
// size of a training fold of the robustness analysis) with the naive and
// the covariance-update active sweeps.
func BenchmarkPathRadiomic(b *testing.B) {
	X, y := radiomicLike(3, 60, 192)
	for _, naive := range []bool{true, false} {
		name := "cov"
		if naive {
			name = "naive"
		}
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				for _, lp := range []LogisticPath{{Penalty: L1, naive: naive}, {Penalty: ElasticNet, L1Ratio: 0.5, naive: naive}} {
					if _, err := lp.Fit(X, y); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// TestDotKernels: lrDot4 and lrAxpy agree with the plain loops for every
// length up to 11 (the unrolled bodies and their tails).
func TestDotKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for n := 0; n <= 11; n++ {
		vec := func() []float64 {
			v := make([]float64, n)
			for i := range v {
				v[i] = r.NormFloat64()
			}
			return v
		}
		a, b := vec(), [4][]float64{vec(), vec(), vec(), vec()}
		var got [4]float64
		got[0], got[1], got[2], got[3] = lrDot4(a, b[0], b[1], b[2], b[3])
		for k := range b {
			want := 0.0
			for i := range a {
				want += a[i] * b[k][i]
			}
			if math.Abs(got[k]-want) > 1e-12*(1+math.Abs(want)) {
				t.Errorf("n = %d: lrDot4[%d] = %v, want %v", n, k, got[k], want)
			}
		}
		y := vec()
		want := append([]float64(nil), y...)
		for i := range want {
			want[i] += 0.7 * a[i]
		}
		lrAxpy(0.7, a, y)
		for i := range y {
			if math.Abs(y[i]-want[i]) > 1e-15*(1+math.Abs(want[i])) {
				t.Errorf("n = %d: lrAxpy[%d] = %v, want %v", n, i, y[i], want[i])
			}
		}
	}
}

// BenchmarkLogisticCVRadiomic times the inner λ choice of the robustness
// analysis' lasso and elastic-net candidates: 5-fold LogisticCV on 71
// patients (a pipeline-choosing training fold of 89) × 192 correlated
// features.
func BenchmarkLogisticCVRadiomic(b *testing.B) {
	X, y := radiomicLike(5, 71, 192)
	for i := 0; i < b.N; i++ {
		for _, c := range []LogisticCV{{Penalty: L1, Folds: 5, Seed: 1, Workers: 1},
			{Penalty: ElasticNet, L1Ratio: 0.5, Folds: 5, Seed: 1, Workers: 1}} {
			if _, err := c.Fit(X, y); err != nil {
				b.Fatal(err)
			}
		}
	}
}
