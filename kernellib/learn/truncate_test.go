package learn

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// A path whose coordinate descent runs out of sweeps part-way is truncated
// there, as glmnet's, not failed; an explicit λ sequence still fails.
func TestPathTruncatedOnNoConvergence(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	X := make([][]float64, 60)
	y := make([]bool, 60)
	for i := range X {
		y[i] = i%2 == 0
		X[i] = make([]float64, 6)
		for j := range X[i] {
			X[i][j] = rng.NormFloat64()
			if y[i] && j < 2 {
				X[i][j] += 2.5
			}
		}
	}
	p, err := LogisticPath{MaxIter: 2}.Fit(X, y)
	if err != nil {
		t.Fatalf("path with MaxIter 2: %v", err)
	}
	if !p.Truncated || len(p.Lambda) == 0 || len(p.Lambda) >= DefaultNLambda {
		t.Errorf("truncated %v with %d of %d λ values", p.Truncated, len(p.Lambda), DefaultNLambda)
	}
	full, err := LogisticPath{}.Fit(X, y)
	if err != nil || full.Truncated {
		t.Fatalf("default path: truncated %v, %v", full.Truncated, err)
	}
	if _, err := (LogisticPath{MaxIter: 2, Lambdas: full.Lambda[:20]}).Fit(X, y); !errors.Is(err, ErrNoConvergence) {
		t.Errorf("explicit λ sequence: %v, want ErrNoConvergence", err)
	}
}
