package learn

import (
	"errors"
	"math"
	"slices"
	"testing"
)

func TestStandardizer(t *testing.T) {
	nan := math.NaN()
	X := [][]float64{{1, 5, 2}, {2, 5, nan}, {3, 5, 4}, {6, 5, 6}}
	st, err := Standardizer{}.FitStandardization(X)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(st.Keep, []int{0, 2}) || !slices.Equal(st.Dropped, []int{1}) {
		t.Fatalf("keep %v, dropped %v", st.Keep, st.Dropped)
	}
	// Column 2: observed 2, 4, 6: mean 4, population SD √(8/3).
	if st.Mean[2] != 4 || math.Abs(st.Scale[2]-math.Sqrt(8.0/3)) > 1e-15 || st.Mean[0] != 3 {
		t.Errorf("mean %v, scale %v", st.Mean, st.Scale)
	}
	out, err := st.Transform(X)
	if err != nil {
		t.Fatal(err)
	}
	if len(out[0]) != 2 || !math.IsNaN(out[1][1]) {
		t.Errorf("transform %v", out)
	}
	s, ss := 0.0, 0.0
	for _, r := range out {
		s += r[0]
		ss += r[0] * r[0]
	}
	if math.Abs(s) > 1e-12 || math.Abs(ss/4-1) > 1e-12 {
		t.Errorf("column 0 not standardised: sum %v, mean square %v", s, ss/4)
	}
	if _, err := (Standardizer{ErrorOnConstant: true}).Fit(X, nil); !errors.Is(err, ErrConstant) {
		t.Errorf("ErrorOnConstant: %v", err)
	}
	if _, err := (Standardizer{}).Fit([][]float64{{nan, 1}, {nan, 2}}, nil); !errors.Is(err, ErrNotFinite) {
		t.Errorf("all-NaN column: %v", err)
	}
	if _, err := (Standardizer{}).Fit([][]float64{{1, 1}, {1, 1}}, nil); !errors.Is(err, ErrConstant) {
		t.Errorf("all constant: %v", err)
	}
	if _, err := st.Transform([][]float64{{1, 2}}); !errors.Is(err, ErrShape) {
		t.Errorf("width: %v", err)
	}
}

func TestImputer(t *testing.T) {
	nan := math.NaN()
	X := [][]float64{{1, nan}, {nan, 2}, {3, 10}, {10, 4}, {nan, 5}}
	for _, c := range []struct {
		s    ImputeStrategy
		fill []float64
	}{{MeanImpute, []float64{14.0 / 3, 21.0 / 4}}, {MedianImpute, []float64{3, 4.5}}} {
		tr, err := Imputer{Strategy: c.s}.Fit(X, nil)
		if err != nil {
			t.Fatal(err)
		}
		im := tr.(*Imputation)
		if math.Abs(im.Fill[0]-c.fill[0]) > 1e-15 || math.Abs(im.Fill[1]-c.fill[1]) > 1e-15 || !slices.Equal(im.Missing, []int{2, 1}) {
			t.Errorf("strategy %d: fill %v, missing %v", c.s, im.Fill, im.Missing)
		}
		out, _ := tr.Transform(X)
		if out[1][0] != im.Fill[0] || out[0][1] != im.Fill[1] || out[2][1] != 10 || !math.IsNaN(X[1][0]) {
			t.Errorf("transform %v (input changed: %v)", out, X[1])
		}
		if !slices.Equal(tr.Columns(), []int{0, 1}) {
			t.Errorf("columns %v", tr.Columns())
		}
	}
	if _, err := (Imputer{}).Fit([][]float64{{nan}, {nan}}, nil); !errors.Is(err, ErrNotFinite) {
		t.Errorf("all missing: %v", err)
	}
	if _, err := (Imputer{Strategy: 9}).Fit(X, nil); !errors.Is(err, ErrParameter) {
		t.Errorf("strategy: %v", err)
	}
}
