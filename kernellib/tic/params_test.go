package tic

import (
	"math"
	"testing"
)

// TestModelFreeTriangle: a triangle sampled every second, 0 until t = 2,
// rising linearly to 10 at t = 6 and falling linearly to 0 at t = 16, has
// parameters that follow from the definitions by hand: WiR = 2.5 (first
// reached at t = 3, where y = 2.5), AT = 3 − 2.5/2.5 = 2, TTP = 6, PE = 10,
// RT = 4; WoR = 1 (first at t = 7, y = 9), TO = 7 + 9 = 16, FT = 10; WiAUC =
// 4·10/2 = 20, WoAUC = 10·10/2 = 50, AUC = 70, WiPI = 20/4 = 5; MTT = the
// triangle's centroid (2 + 6 + 16)/3 = 8.
func TestModelFreeTriangle(t *testing.T) {
	var tt, yy []float64
	for x := 0.0; x <= 20; x++ {
		y := 0.0
		switch {
		case x > 2 && x <= 6:
			y = 2.5 * (x - 2)
		case x > 6 && x < 16:
			y = 10 - (x - 6)
		}
		tt, yy = append(tt, x), append(yy, y)
	}
	p, err := ModelFree(tt, yy)
	if err != nil {
		t.Fatal(err)
	}
	want := Parameters{AT: 2, PE: 10, TTP: 6, RT: 4, FT: 10, MTT: 8, WiR: 2.5, WoR: 1, WiAUC: 20, WoAUC: 50, WiWoAUC: 70, AUC: 70, WiPI: 5}
	got, exp := p.Values(), want.Values()
	for i := range got {
		if math.Abs(got[i]-exp[i]) > 1e-12 {
			t.Errorf("%s = %v, want %v", ParameterNames[i], got[i], exp[i])
		}
	}
	// A curve still rising at its end has no wash-out: FT is NaN, WoR 0.
	p, _ = ModelFree(tt[:6], yy[:6])
	if !math.IsNaN(p.FT) || p.WoR != 0 || p.TTP != 5 {
		t.Errorf("rising curve: FT %v WoR %v TTP %v", p.FT, p.WoR, p.TTP)
	}
}

// TestFitParametersMatchSamples: the parameters of a fit (analytic, by
// quadrature and golden-section search on the model) agree with the
// model-free parameters of the same model sampled densely (every 0.01 s)
// over a record long enough for the curve to return to baseline; and the
// lognormal's closed forms hold (TTP = t0 + e^(μ−σ²), MTT = t0 + e^(μ+σ²/2)).
func TestFitParametersMatchSamples(t *testing.T) {
	for _, m := range Models() {
		p := truths[m.Name()]
		dur := 400.0
		if m == Lognormal {
			dur = 3000
		}
		var tt, yy []float64
		for x := 0.0; x <= dur; x += 0.01 {
			tt, yy = append(tt, x), append(yy, m.Eval(x, p))
		}
		f := &FitResult{Model: m, Params: p, TMin: 0, TMax: dur}
		a := f.Parameters()
		b, err := ModelFree(tt, yy)
		if err != nil {
			t.Fatal(err)
		}
		av, bv := a.Values(), b.Values()
		for i := range av {
			tol := 1e-3 * math.Max(math.Abs(av[i]), 1)
			if ParameterNames[i] == "mtt" && m == Lognormal {
				tol = 0.05 // the lognormal's tail beyond 3000 s still holds a little mass
			}
			if math.Abs(av[i]-bv[i]) > tol {
				t.Errorf("%s: %s from the model %.6g, from samples %.6g", m.Name(), ParameterNames[i], av[i], bv[i])
			}
		}
		if math.Abs(a.AUC-p[0]) > 1e-3*p[0] && m != Lognormal {
			t.Errorf("%s: AUC over the record %.6g, auc %.6g", m.Name(), a.AUC, p[0])
		}
		if math.Abs(a.WiPI-a.WiAUC/a.RT) > 1e-12 || math.Abs(a.WiWoAUC-a.WiAUC-a.WoAUC) > 1e-9 {
			t.Errorf("%s: WiPI or WiWoAUC inconsistent: %+v", m.Name(), a)
		}
	}
	p := truths["lognormal"]
	a := (&FitResult{Model: Lognormal, Params: p, TMin: 0, TMax: 100}).Parameters()
	if math.Abs(a.TTP-(p[3]+math.Exp(p[1]-p[2]*p[2]))) > 1e-12 || math.Abs(a.MTT-(p[3]+math.Exp(p[1]+p[2]*p[2]/2))) > 1e-12 {
		t.Errorf("lognormal TTP %v MTT %v", a.TTP, a.MTT)
	}
}

func TestRatios(t *testing.T) {
	a := Parameters{AT: 10, PE: 4, TTP: 20, RT: 10, FT: 30, MTT: 40, WiR: 1, WoR: 0.5, WiAUC: 20, WoAUC: 60, WiWoAUC: 80, AUC: 100, WiPI: 2}
	b := Parameters{AT: 20, PE: 2, TTP: 40, RT: 20, FT: 60, MTT: 80, WiR: 0.5, WoR: 0, WiAUC: 10, WoAUC: 30, WiWoAUC: 40, AUC: 50, WiPI: 1}
	r := Ratios(a, b).Values()
	want := []float64{0.5, 2, 0.5, 0.5, 0.5, 0.5, 2, math.NaN(), 2, 2, 2, 2, 2}
	for i := range r {
		if !(r[i] == want[i] || math.IsNaN(r[i]) && math.IsNaN(want[i])) {
			t.Errorf("ratio %s = %v, want %v", ParameterNames[i], r[i], want[i])
		}
	}
}
