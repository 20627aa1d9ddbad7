package radiomics

import (
	"errors"
	"math"
	"testing"
)

// shroutFleiss is the 6 targets × 4 judges example of Shrout & Fleiss
// (Psychol Bull 86:420, 1979, Table 2).
var shroutFleiss = [][]float64{
	{9, 2, 5, 8}, {6, 1, 3, 2}, {8, 4, 6, 8}, {7, 1, 2, 6}, {10, 5, 6, 9}, {6, 2, 4, 7},
}

// TestICC21CIShroutFleiss checks ICC(2,1) and its 95 % interval on the
// Shrout & Fleiss example against the published values: ICC(2,1) = 0.29
// (Shrout & Fleiss 1979, Table 4) and the interval 0.019 to 0.76 that R's
// psych::ICC prints for it (its documented example, McGraw & Wong's formula).
func TestICC21CIShroutFleiss(t *testing.T) {
	a, err := ICC21CI(shroutFleiss, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ICC21(shroutFleiss)
	if a.ICC != want || math.Abs(a.ICC-0.29) > 0.005 {
		t.Errorf("ICC(2,1) = %.4f, want %.4f ≈ 0.29", a.ICC, want)
	}
	if math.Abs(a.CI[0]-0.019) > 0.0005 || math.Abs(a.CI[1]-0.76) > 0.005 {
		t.Errorf("95%% CI = [%.4f, %.4f], want [0.019, 0.76]", a.CI[0], a.CI[1])
	}
}

// TestICC21CIEdges checks the interval widens with the level, exact
// agreement gives [1, 1], and bad input is an error.
func TestICC21CIEdges(t *testing.T) {
	a90, _ := ICC21CI(shroutFleiss, 0.90)
	a99, _ := ICC21CI(shroutFleiss, 0.99)
	if !(a99.CI[0] < a90.CI[0] && a99.CI[1] > a90.CI[1] && a90.CI[0] < a90.ICC && a90.ICC < a90.CI[1]) {
		t.Errorf("90%% [%g, %g] and 99%% [%g, %g] around %g", a90.CI[0], a90.CI[1], a99.CI[0], a99.CI[1], a90.ICC)
	}
	same := [][]float64{{1, 1}, {2, 2}, {5, 5}}
	if a, err := ICC21CI(same, 0.95); err != nil || a.ICC != 1 || a.CI != [2]float64{1, 1} {
		t.Errorf("exact agreement: %+v, %v", a, err)
	}
	if _, err := ICC21CI([][]float64{{3, 3}, {3, 3}}, 0.95); !errors.Is(err, ErrICCUndefined) {
		t.Errorf("constant table: %v, want ErrICCUndefined", err)
	}
	if _, err := ICC21CI(shroutFleiss, 1); !errors.Is(err, ErrInput) {
		t.Errorf("level 1: %v, want ErrInput", err)
	}
}
