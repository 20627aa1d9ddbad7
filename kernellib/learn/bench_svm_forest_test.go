package learn

import (
	"math"
	"testing"
)

// benchData returns n rows of p standard-normal features and labels from
// the logistic of 1.5·x0 − x1 + 0.5·x2, drawn from a SplitMix64 stream and
// Box–Muller, so that testdata/svm_forest_bench_sklearn.py draws the same
// numbers for the side-by-side timing.
func benchData(n, p int, seed uint64) ([][]float64, []bool) {
	state := seed
	uniform := func() float64 {
		state += 0x9e3779b97f4a7c15
		z := state
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		z ^= z >> 31
		return (float64(z>>11) + 0.5) / (1 << 53)
	}
	X := make([][]float64, n)
	y := make([]bool, n)
	for i := range X {
		X[i] = make([]float64, p)
		for j := 0; j < p; j += 2 {
			r := math.Sqrt(-2 * math.Log(uniform()))
			th := 2 * math.Pi * uniform()
			X[i][j] = r * math.Cos(th)
			if j+1 < p {
				X[i][j+1] = r * math.Sin(th)
			}
		}
		lp := 1.5*X[i][0] - X[i][1] + 0.5*X[i][2]
		y[i] = uniform() < 1/(1+math.Exp(-lp))
	}
	return X, y
}

func benchmarkSVM(b *testing.B, n, p int, platt bool) {
	X, y := benchData(n, p, 1)
	s := SVM{Kernel: RBF, C: 1}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	gamma, _ := ScaleGamma(X)
	b.ResetTimer()
	for b.Loop() {
		var err error
		if platt {
			_, err = s.FitSVM(X, y)
		} else {
			_, err = s.solve(X, y, all, gamma)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

// Fit with Platt scaling: 1 + 5 SMO solves (as SVC(probability=True)).
func BenchmarkSVMRBFFit130x40(b *testing.B)  { benchmarkSVM(b, 130, 40, true) }
func BenchmarkSVMRBFFit1000x40(b *testing.B) { benchmarkSVM(b, 1000, 40, true) }

// One SMO solve, no probabilities (as SVC(probability=False)).
func BenchmarkSVMRBFSolve130x40(b *testing.B)  { benchmarkSVM(b, 130, 40, false) }
func BenchmarkSVMRBFSolve1000x40(b *testing.B) { benchmarkSVM(b, 1000, 40, false) }

// 500 trees, mtry = ⌊√100⌋ = 10, OOB predictions and importances included.
func BenchmarkForest500x130x100(b *testing.B) {
	X, y := benchData(130, 100, 2)
	for b.Loop() {
		if _, err := (RandomForest{Trees: 500, Seed: 1}).FitForest(X, y); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkForestPredict500x130x100(b *testing.B) {
	X, y := benchData(130, 100, 2)
	m, err := RandomForest{Trees: 500, Seed: 1}.FitForest(X, y)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := m.PredictProba(X); err != nil {
			b.Fatal(err)
		}
	}
}
