package roc

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// TestDecisionCurveR compares net benefit rows with the formulas of Vickers
// & Elkin (2006) written out in R.
func TestDecisionCurveR(t *testing.T) {
	fx := clinLoadR(t)
	if len(fx.DCA) == 0 {
		t.Fatal("no decision-curve cases")
	}
	for name, c := range fx.DCA {
		pts := make([]float64, len(c.Rows))
		for i, r := range c.Rows {
			pts[i] = float64(r.Pt)
		}
		rows, err := DecisionCurve(clinFloats(c.P), c.Y, pts)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i, r := range c.Rows {
			g := rows[i]
			rn := fmt.Sprintf("%s pt=%v", name, pts[i])
			if g.Threshold != pts[i] || g.TP != r.TP || g.FP != r.FP {
				t.Errorf("%s: pt %v tp %d fp %d, want tp %d fp %d", rn, g.Threshold, g.TP, g.FP, r.TP, r.FP)
			}
			clinCheck(t, rn+" model", g.Model, r.Model, 1e-12)
			clinCheck(t, rn+" treat all", g.TreatAll, r.TreatAll, 1e-12)
			clinCheck(t, rn+" treat none", g.TreatNone, r.TreatNone, 0)
			clinCheck(t, rn+" standardized", g.Standardized, r.Standardized, 1e-12)
		}
	}
}

// TestDecisionCurveProperties: at pt = 0 the model treats everyone and its
// net benefit equals treat-all, the prevalence; a perfect model's net
// benefit is the prevalence at every threshold.
func TestDecisionCurveProperties(t *testing.T) {
	p := []float64{0.05, 0.1, 0.2, 0.9, 0.95, 0.22}
	y := []bool{false, false, false, true, true, false}
	rows, err := DecisionCurve(p, y, []float64{0, 0.25, 0.5, 0.75})
	if err != nil {
		t.Fatal(err)
	}
	if rows[0].Model != rows[0].TreatAll || math.Abs(rows[0].Model-1.0/3) > 1e-15 {
		t.Errorf("pt = 0: model %v, treat all %v, want 1/3", rows[0].Model, rows[0].TreatAll)
	}
	for _, r := range rows[1:] {
		if math.Abs(r.Model-1.0/3) > 1e-15 || math.Abs(r.Standardized-1) > 1e-15 {
			t.Errorf("perfect model at pt %v: %+v", r.Threshold, r)
		}
	}
	// pt = 0.25: treat-all = 1/3 − 2/3 · 1/3 = 1/9 (hand computed).
	if math.Abs(rows[1].TreatAll-1.0/9) > 1e-15 {
		t.Errorf("treat all at 0.25 = %v, want 1/9", rows[1].TreatAll)
	}
}

func TestDecisionCurveErrors(t *testing.T) {
	p := []float64{0.1, 0.4, 0.35, 0.8}
	y := []bool{false, false, true, true}
	for _, c := range []struct {
		name string
		p    []float64
		y    []bool
		pts  []float64
		want error
	}{
		{"pt = 1", p, y, []float64{0.5, 1}, ErrParameter},
		{"pt < 0", p, y, []float64{-0.1}, ErrParameter},
		{"pt NaN", p, y, []float64{math.NaN()}, ErrParameter},
		{"no thresholds", p, y, nil, ErrEmpty},
		{"p > 1", []float64{0.1, 2, 0.3, 0.4}, y, []float64{0.2}, ErrProbability},
		{"one class", p, []bool{true, true, true, true}, []float64{0.2}, ErrOneClass},
		{"length", p, y[:3], []float64{0.2}, ErrLength},
	} {
		if _, err := DecisionCurve(c.p, c.y, c.pts); !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
}
