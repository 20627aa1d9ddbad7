package roc

import (
	"errors"
	"math"
	"testing"
)

// bruteAUC is the O(mn) definition of the Mann–Whitney AUC.
func bruteAUC(cases, controls []float64) float64 {
	s := 0.0
	for _, x := range cases {
		for _, y := range controls {
			switch {
			case x > y:
				s++
			case x == y:
				s += 0.5
			}
		}
	}
	return s / float64(len(cases)*len(controls))
}

func TestAUCMatchesDefinition(t *testing.T) {
	scores := []float64{0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.2, 0.35}
	truth := []bool{false, false, true, true, true, false, true, false, false}
	for _, dir := range []Direction{CasesHigher, ControlsHigher} {
		got, err := AUC(scores, truth, dir)
		if err != nil {
			t.Fatal(err)
		}
		c, k, _ := Split(scores, truth, dir)
		if want := bruteAUC(c, k); math.Abs(got-want) > 1e-15 {
			t.Errorf("dir %v: AUC %v, want %v", dir, got, want)
		}
	}
}

func TestInputErrors(t *testing.T) {
	cases := []struct {
		scores []float64
		truth  []bool
		want   error
	}{
		{[]float64{1, 2}, []bool{true}, ErrLength},
		{nil, nil, ErrEmpty},
		{[]float64{1, math.NaN()}, []bool{true, false}, ErrNotFinite},
		{[]float64{1, math.Inf(1)}, []bool{true, false}, ErrNotFinite},
		{[]float64{1, 2}, []bool{true, true}, ErrOneClass},
		{[]float64{1, 2}, []bool{false, false}, ErrOneClass},
	}
	for _, c := range cases {
		if _, err := AUC(c.scores, c.truth, CasesHigher); !errors.Is(err, c.want) {
			t.Errorf("AUC(%v, %v): error %v, want %v", c.scores, c.truth, err, c.want)
		}
	}
	if err := checkVariance([]float64{1, 2, 3}, []bool{true, false, false}); !errors.Is(err, ErrTooFew) {
		t.Errorf("one case: error %v, want ErrTooFew", err)
	}
}

func TestMidRanks(t *testing.T) {
	got := MidRanks([]float64{3, 1, 3, 2, 3})
	want := []float64{4, 1, 4, 2, 4}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("MidRanks = %v, want %v", got, want)
		}
	}
}
