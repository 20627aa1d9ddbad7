package learn

import (
	"errors"
	"math"
	"testing"
)

func TestCheckXY(t *testing.T) {
	good := [][]float64{{1, 2}, {3, 4}, {5, 6}}
	if p, err := CheckXY(good, []bool{true, false, true}, false); p != 2 || err != nil {
		t.Errorf("good input: p %d, %v", p, err)
	}
	for _, c := range []struct {
		X        [][]float64
		y        []bool
		allowNaN bool
		want     error
	}{
		{good, []bool{true, false}, false, ErrShape},
		{[][]float64{{1, 2}, {3}}, []bool{true, false}, false, ErrShape},
		{[][]float64{{}, {}}, []bool{true, false}, false, ErrShape},
		{nil, nil, false, ErrTooFew},
		{[][]float64{{1}, {math.NaN()}}, []bool{true, false}, false, ErrNotFinite},
		{[][]float64{{1}, {math.Inf(-1)}}, []bool{true, false}, true, ErrNotFinite},
		{[][]float64{{1}, {2}}, []bool{true, true}, false, ErrOneClass},
	} {
		if _, err := CheckXY(c.X, c.y, c.allowNaN); !errors.Is(err, c.want) {
			t.Errorf("CheckXY(%v, %v): %v, want %v", c.X, c.y, err, c.want)
		}
	}
	if _, err := CheckXY([][]float64{{1}, {math.NaN()}}, []bool{true, false}, true); err != nil {
		t.Errorf("NaN allowed: %v", err)
	}
}
