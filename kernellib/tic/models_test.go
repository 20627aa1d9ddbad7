package tic

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
)

// truths are typical CEUS bolus parameters of every model (time in s).
var truths = map[string][]float64{
	"lognormal": {300, 2.6, 0.6, 8},
	"gamma":     {300, 3, 4, 8},
	"ldrw":      {300, 15, 5, 8},
	"fpt":       {300, 18, 5, 8},
}

// TestModelMoments checks each model's normalisation (∫f = auc), mode
// (argmax) and mean (first moment) against numerical quadrature and a
// dense search, independently of the closed forms in the code.
func TestModelMoments(t *testing.T) {
	for _, m := range Models() {
		p := truths[m.Name()]
		f := func(x float64) float64 { return m.Eval(x, p) }
		integ := func(g func(float64) float64) float64 {
			return quad.Fixed(g, p[3], p[3]+400, 2000, quad.Legendre{}, 0) + quad.Fixed(g, p[3]+400, p[3]+1e5, 20000, quad.Legendre{}, 0)
		}
		area := integ(f)
		mom := integ(func(x float64) float64 { return x * f(x) })
		if math.Abs(area-p[0]) > 1e-6*p[0] {
			t.Errorf("%s: ∫f = %.9g, want auc %g", m.Name(), area, p[0])
		}
		if got := m.Mean(p); math.Abs(got-mom/area) > 1e-6 {
			t.Errorf("%s: Mean %.9g, first moment by quadrature %.9g", m.Name(), got, mom/area)
		}
		best, arg := 0.0, 0.0
		for x := p[3]; x < p[3]+100; x += 1e-4 {
			if v := f(x); v > best {
				best, arg = v, x
			}
		}
		if got := m.Mode(p); math.Abs(got-arg) > 2e-4 {
			t.Errorf("%s: Mode %.6g, argmax %.6g", m.Name(), got, arg)
		}
		if m.Eval(p[3], p) != 0 || m.Eval(p[3]-1, p) != 0 {
			t.Errorf("%s: not zero at and before t0", m.Name())
		}
	}
}

// TestModelGradient compares the analytic derivatives with central
// differences.
func TestModelGradient(t *testing.T) {
	for _, m := range Models() {
		p := truths[m.Name()]
		for _, x := range []float64{9, 12, 20, 40, 80} {
			var g [4]float64
			f0 := m.evalGrad(x, p, g[:])
			for k := 0; k < 4; k++ {
				h := 1e-6 * math.Max(1, math.Abs(p[k]))
				pp := append([]float64(nil), p...)
				pm := append([]float64(nil), p...)
				pp[k] += h
				pm[k] -= h
				num := (m.Eval(x, pp) - m.Eval(x, pm)) / (2 * h)
				if math.Abs(num-g[k]) > 1e-5*math.Max(math.Abs(num), 1e-3*f0) {
					t.Errorf("%s t=%g: ∂f/∂%s analytic %.8g, numeric %.8g", m.Name(), x, m.ParamNames()[k], g[k], num)
				}
			}
			h := 1e-6
			num := (m.Eval(x+h, p) - m.Eval(x-h, p)) / (2 * h)
			if s := m.Slope(x, p); math.Abs(num-s) > 1e-5*math.Max(math.Abs(num), 1e-3*f0) {
				t.Errorf("%s t=%g: slope %.8g, numeric %.8g", m.Name(), x, s, num)
			}
		}
	}
}

func TestParseModel(t *testing.T) {
	for name, want := range map[string]*Model{"lognormal": Lognormal, "Gamma": GammaVariate, "gamma-variate": GammaVariate, "LDRW": LDRW, " fpt ": FPT} {
		if m, err := ParseModel(name); err != nil || m != want {
			t.Errorf("ParseModel(%q) = %v, %v", name, m, err)
		}
	}
	if _, err := ParseModel("sigmoid"); err == nil || !strings.Contains(err.Error(), "lognormal, gamma, ldrw or fpt") {
		t.Errorf("unknown model: %v", err)
	}
	for _, m := range Models() {
		if n := m.ParamNames(); len(n) != 4 || n[0] != "auc" || n[3] != "t0" || m.Formula() == "" {
			t.Errorf("%s: params %v", m.Name(), n)
		}
	}
}
