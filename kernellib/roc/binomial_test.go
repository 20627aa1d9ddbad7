package roc

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// TestBinomialR compares the intervals with R's binom.test
// (Clopper–Pearson), prop.test(correct = FALSE) (Wilson) and the Wilson
// formula written out in R.
func TestBinomialR(t *testing.T) {
	fx := clinLoadR(t)
	if len(fx.Binomial) == 0 {
		t.Fatal("no binomial cases")
	}
	for _, c := range fx.Binomial {
		name := fmt.Sprintf("%d/%d at %v", c.X, c.N, c.Level)
		p, err := NewProportion(c.X, c.N, c.Level)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		clinCheckProportion(t, name, p, c)
		for k := 0; k < 2; k++ {
			clinCheck(t, fmt.Sprintf("%s wilson formula[%d]", name, k), p.Wilson[k], c.WilsonFormula[k], 1e-12)
		}
		lo, hi, err := WilsonCI(c.X, c.N, c.Level)
		if err != nil || lo != p.Wilson[0] || hi != p.Wilson[1] {
			t.Errorf("%s: WilsonCI = %v, %v, %v; NewProportion %v", name, lo, hi, err, p.Wilson)
		}
		lo, hi, err = ClopperPearsonCI(c.X, c.N, c.Level)
		if err != nil || lo != p.Exact[0] || hi != p.Exact[1] {
			t.Errorf("%s: ClopperPearsonCI = %v, %v, %v; NewProportion %v", name, lo, hi, err, p.Exact)
		}
	}
}

// TestBinomialSciPy compares with scipy.stats.binomtest(...).proportion_ci,
// methods "exact" and "wilson".
func TestBinomialSciPy(t *testing.T) {
	fx := clinLoadPy(t)
	if len(fx.Binomial) == 0 {
		t.Fatal("no binomial cases")
	}
	for _, c := range fx.Binomial {
		name := fmt.Sprintf("%d/%d at %v", c.X, c.N, c.Level)
		p, err := NewProportion(c.X, c.N, c.Level)
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < 2; k++ {
			clinCheck(t, fmt.Sprintf("%s exact[%d]", name, k), p.Exact[k], c.Exact[k], 1e-9)
			clinCheck(t, fmt.Sprintf("%s wilson[%d]", name, k), p.Wilson[k], c.Wilson[k], 1e-12)
		}
	}
}

// TestBinomialCoverage checks the defining property of the Clopper–Pearson
// bounds: P(X ≥ x | lower) = α/2 and P(X ≤ x | upper) = α/2, by summing the
// binomial probabilities directly.
func TestBinomialCoverage(t *testing.T) {
	binomCDF := func(x, n int, p float64) float64 { // P(X ≤ x)
		s := 0.0
		for k := 0; k <= x; k++ {
			lg, _ := math.Lgamma(float64(n + 1))
			l1, _ := math.Lgamma(float64(k + 1))
			l2, _ := math.Lgamma(float64(n - k + 1))
			s += math.Exp(lg - l1 - l2 + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
		}
		return s
	}
	for _, c := range [][2]int{{1, 5}, {3, 12}, {20, 37}, {59, 60}} {
		x, n := c[0], c[1]
		lo, hi, err := ClopperPearsonCI(x, n, 0.9)
		if err != nil {
			t.Fatal(err)
		}
		if got := 1 - binomCDF(x-1, n, lo); math.Abs(got-0.05) > 1e-10 {
			t.Errorf("%d/%d: P(X ≥ x | %v) = %v, want 0.05", x, n, lo, got)
		}
		if got := binomCDF(x, n, hi); math.Abs(got-0.05) > 1e-10 {
			t.Errorf("%d/%d: P(X ≤ x | %v) = %v, want 0.05", x, n, hi, got)
		}
	}
}

func TestBinomialErrors(t *testing.T) {
	for _, c := range []struct {
		x, n  int
		level float64
		want  error
	}{
		{0, 0, 0.95, ErrEmpty},
		{-1, 5, 0.95, ErrParameter},
		{6, 5, 0.95, ErrParameter},
		{1, -5, 0.95, ErrParameter},
		{1, 5, 0, ErrParameter},
		{1, 5, 1.5, ErrParameter},
		{1, 5, math.NaN(), ErrParameter},
	} {
		if _, _, err := WilsonCI(c.x, c.n, c.level); !errors.Is(err, c.want) {
			t.Errorf("WilsonCI(%d, %d, %v): %v, want %v", c.x, c.n, c.level, err, c.want)
		}
		if _, _, err := ClopperPearsonCI(c.x, c.n, c.level); !errors.Is(err, c.want) {
			t.Errorf("ClopperPearsonCI(%d, %d, %v): %v, want %v", c.x, c.n, c.level, err, c.want)
		}
	}
	p, err := NewProportion(0, 0, 0.95)
	if err != nil || !math.IsNaN(p.Est) || !math.IsNaN(p.Wilson[0]) || !math.IsNaN(p.Exact[1]) {
		t.Errorf("NewProportion(0, 0) = %+v, %v; want NaN", p, err)
	}
}
