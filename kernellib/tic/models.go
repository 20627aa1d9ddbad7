package tic

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mathext"
)

// Model is a perfusion (indicator-dilution) model of a bolus
// time–intensity curve: a function f(t; p) of time with four parameters,
// zero before the arrival time t0 and normalised so that ∫ f dt = auc, the
// first parameter. The four models are those compared by Strouthos et al.,
// "Indicator dilution models for the quantification of microvascular blood
// flow with bolus administration of ultrasound contrast agents", IEEE Trans
// Ultrason Ferroelectr Freq Control 57:1296–1310 (2010): Lognormal,
// GammaVariate, LDRW and FPT.
type Model struct {
	name    string
	params  [4]string
	formula string
	// logf returns ln f at x = t − t0 > 0 and, when g is not nil, the
	// derivatives of ln f with respect to the natural parameters
	// (auc, a, b, t0).
	logf func(x float64, p []float64, g []float64) float64
	// mode and mean are the time of the maximum and the first moment of
	// f, measured from t0.
	mode, mean func(p []float64) float64
	// shape checks the shape parameters (p[1], p[2]) against the bounds of
	// a plausible CEUS bolus; it returns "" when they are plausible.
	shape func(p []float64) string
	// start converts a curve's mode and mean (from t0) into the shape
	// parameters.
	start func(mode, mean float64) (a, b float64)
	// logShape marks the shape parameters fitted on a log scale (they
	// must be positive).
	logShape [2]bool
}

// Lognormal is the lognormal model with a time offset (Strouthos et al.
// 2010, eq. 4; the model of VueBox's bolus kinetics, Arditi et al.,
// Ultrasound Med Biol 32:1449, 2006):
//
//	f(t) = auc / ((t − t0)·σ·√(2π)) · exp(−(ln(t − t0) − μ)² / (2σ²))   for t > t0, else 0,
//
// parameters (auc, mu, sigma, t0). Its mode is t0 + exp(μ − σ²), its mean
// (the mean transit time) t0 + exp(μ + σ²/2).
var Lognormal = &Model{
	name:     "lognormal",
	logShape: [2]bool{false, true},
	params:   [4]string{"auc", "mu", "sigma", "t0"},
	formula:  "auc/((t-t0)*sigma*sqrt(2*pi)) * exp(-(ln(t-t0)-mu)^2/(2*sigma^2)), t > t0",
	logf: func(x float64, p, g []float64) float64 {
		auc, mu, s := p[0], p[1], p[2]
		lx := math.Log(x)
		u := (lx - mu) / s
		if g != nil {
			g[0] = 1 / auc
			g[1] = u / s
			g[2] = (u*u - 1) / s
			g[3] = (1 + u/s) / x
		}
		return math.Log(auc) - lx - math.Log(s) - lnSqrt2Pi - u*u/2
	},
	mode: func(p []float64) float64 { return math.Exp(p[1] - p[2]*p[2]) },
	mean: func(p []float64) float64 { return math.Exp(p[1] + p[2]*p[2]/2) },
	shape: func(p []float64) string {
		if !(p[2] >= 0.05 && p[2] <= 3) {
			return fmt.Sprintf("sigma %.4g outside 0.05..3", p[2])
		}
		return ""
	},
	start: func(mode, mean float64) (float64, float64) {
		// mean/mode = exp(3σ²/2)
		s2 := 2.0 / 3 * math.Log(mean/mode)
		s := clampf(math.Sqrt(math.Max(s2, 0)), 0.2, 1.5)
		return math.Log(mode) + s*s, s
	},
}

// GammaVariate is the gamma-variate model (Thompson et al., Circ Res
// 14:502, 1964; Strouthos et al. 2010, eq. 1), normalised to its area:
//
//	f(t) = auc · (t − t0)^α · exp(−(t − t0)/β) / (β^(α+1) · Γ(α+1))   for t > t0, else 0,
//
// parameters (auc, alpha, beta, t0). Its mode is t0 + αβ, its mean
// t0 + (α+1)β.
var GammaVariate = &Model{
	name:     "gamma",
	logShape: [2]bool{true, true},
	params:   [4]string{"auc", "alpha", "beta", "t0"},
	formula:  "auc*(t-t0)^alpha*exp(-(t-t0)/beta)/(beta^(alpha+1)*Gamma(alpha+1)), t > t0",
	logf: func(x float64, p, g []float64) float64 {
		auc, a, b := p[0], p[1], p[2]
		lx, lb := math.Log(x), math.Log(b)
		lg, _ := math.Lgamma(a + 1)
		if g != nil {
			g[0] = 1 / auc
			g[1] = lx - lb - mathext.Digamma(a+1)
			g[2] = x/(b*b) - (a+1)/b
			g[3] = -a/x + 1/b
		}
		return math.Log(auc) + a*lx - x/b - (a+1)*lb - lg
	},
	mode: func(p []float64) float64 { return p[1] * p[2] },
	mean: func(p []float64) float64 { return (p[1] + 1) * p[2] },
	shape: func(p []float64) string {
		if !(p[1] >= 0.1 && p[1] <= 200) {
			return fmt.Sprintf("alpha %.4g outside 0.1..200", p[1])
		}
		return ""
	},
	start: func(mode, mean float64) (float64, float64) {
		b := math.Max(mean-mode, mode/50)
		a := clampf(mode/b, 0.5, 50)
		return a, mode / a
	},
}

// LDRW is the local density random walk model (Sheppard & Savage 1951;
// Strouthos et al. 2010, eq. 2; Mischi et al., IEEE Trans Med Imaging
// 27:1346, 2008):
//
//	f(t) = auc · e^λ/μ · √(λ/(2π)) · √(μ/(t − t0)) · exp(−(λ/2)·(μ/(t − t0) + (t − t0)/μ))   for t > t0, else 0,
//
// parameters (auc, mu, lambda, t0): μ is the transit time of the bolus
// centre of mass, λ the skewness parameter (twice the Péclet number). The
// density is a generalised inverse Gaussian of index 1/2, normalised to 1;
// its mode is t0 + μ(√(1+4λ²) − 1)/(2λ) and its mean t0 + μ(1 + 1/λ).
var LDRW = &Model{
	name:     "ldrw",
	logShape: [2]bool{true, true},
	params:   [4]string{"auc", "mu", "lambda", "t0"},
	formula:  "auc*exp(lambda)/mu*sqrt(lambda/(2*pi))*sqrt(mu/(t-t0))*exp(-lambda/2*(mu/(t-t0)+(t-t0)/mu)), t > t0",
	logf: func(x float64, p, g []float64) float64 {
		auc, mu, l := p[0], p[1], p[2]
		if g != nil {
			g[0] = 1 / auc
			g[1] = -1/(2*mu) - l/2*(1/x-x/(mu*mu))
			g[2] = 1 + 1/(2*l) - (mu/x+x/mu)/2
			g[3] = 1/(2*x) + l/2*(1/mu-mu/(x*x))
		}
		return math.Log(auc) + l + math.Log(l)/2 - lnSqrt2Pi - math.Log(mu)/2 - math.Log(x)/2 - l/2*(mu/x+x/mu)
	},
	mode: func(p []float64) float64 {
		mu, l := p[1], p[2]
		return mu * (math.Sqrt(1+4*l*l) - 1) / (2 * l)
	},
	mean: func(p []float64) float64 { return p[1] * (1 + 1/p[2]) },
	shape: func(p []float64) string {
		if !(p[2] >= 0.05 && p[2] <= 1000) {
			return fmt.Sprintf("lambda %.4g outside 0.05..1000", p[2])
		}
		return ""
	},
	start: func(mode, mean float64) (float64, float64) {
		// mean/mode = 2(λ+1)/(√(1+4λ²) − 1), decreasing from ∞ to 1.
		r := func(l float64) float64 { return 2 * (l + 1) / (math.Sqrt(1+4*l*l) - 1) }
		l := solveDecreasing(r, mean/mode, 0.1, 200)
		return mean / (1 + 1/l), l
	},
}

// FPT is the first-passage-time model (Strouthos et al. 2010, eq. 3;
// Mischi et al. 2008): the inverse Gaussian density of the time a
// random walk with drift first reaches the detector,
//
//	f(t) = auc · e^λ/μ · √(λ/(2π)) · (μ/(t − t0))^(3/2) · exp(−(λ/2)·(μ/(t − t0) + (t − t0)/μ))   for t > t0, else 0,
//
// parameters (auc, mu, lambda, t0). Its mean is t0 + μ and its mode
// t0 + μ(√(9+4λ²) − 3)/(2λ).
var FPT = &Model{
	name:     "fpt",
	logShape: [2]bool{true, true},
	params:   [4]string{"auc", "mu", "lambda", "t0"},
	formula:  "auc*exp(lambda)/mu*sqrt(lambda/(2*pi))*(mu/(t-t0))^1.5*exp(-lambda/2*(mu/(t-t0)+(t-t0)/mu)), t > t0",
	logf: func(x float64, p, g []float64) float64 {
		auc, mu, l := p[0], p[1], p[2]
		if g != nil {
			g[0] = 1 / auc
			g[1] = 1/(2*mu) - l/2*(1/x-x/(mu*mu))
			g[2] = 1 + 1/(2*l) - (mu/x+x/mu)/2
			g[3] = 3/(2*x) + l/2*(1/mu-mu/(x*x))
		}
		return math.Log(auc) + l + math.Log(l)/2 - lnSqrt2Pi + math.Log(mu)/2 - 1.5*math.Log(x) - l/2*(mu/x+x/mu)
	},
	mode: func(p []float64) float64 {
		mu, l := p[1], p[2]
		return mu * (math.Sqrt(9+4*l*l) - 3) / (2 * l)
	},
	mean: func(p []float64) float64 { return p[1] },
	shape: func(p []float64) string {
		if !(p[2] >= 0.05 && p[2] <= 1000) {
			return fmt.Sprintf("lambda %.4g outside 0.05..1000", p[2])
		}
		return ""
	},
	start: func(mode, mean float64) (float64, float64) {
		// mean/mode = 2λ/(√(9+4λ²) − 3), decreasing from ∞ to 1.
		r := func(l float64) float64 { return 2 * l / (math.Sqrt(9+4*l*l) - 3) }
		l := solveDecreasing(r, mean/mode, 0.1, 200)
		return mean, l
	},
}

const lnSqrt2Pi = 0.91893853320467274178 // ln √(2π)

// Models returns the four perfusion models in the order lognormal, gamma,
// ldrw, fpt.
func Models() []*Model { return []*Model{Lognormal, GammaVariate, LDRW, FPT} }

// ParseModel returns the model called name: "lognormal", "gamma" (also
// "gamma-variate"), "ldrw" or "fpt", in any case.
func ParseModel(name string) (*Model, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "lognormal":
		return Lognormal, nil
	case "gamma", "gamma-variate", "gammavariate":
		return GammaVariate, nil
	case "ldrw":
		return LDRW, nil
	case "fpt":
		return FPT, nil
	}
	return nil, fmt.Errorf("tic: unknown model %q (want lognormal, gamma, ldrw or fpt)", name)
}

// Name returns the model's name as ParseModel accepts it.
func (m *Model) Name() string { return m.name }

// ParamNames returns the names of the model's four parameters, in the
// order Eval takes them; the first is always "auc" and the last "t0".
func (m *Model) ParamNames() []string { return m.params[:] }

// Formula returns the model's formula in plain text.
func (m *Model) Formula() string { return m.formula }

// Eval returns f(t; p), the model with parameters p (in the order of
// ParamNames) at time t: 0 for t ≤ t0.
func (m *Model) Eval(t float64, p []float64) float64 {
	x := t - p[3]
	if !(x > 0) {
		return 0
	}
	return math.Exp(m.logf(x, p, nil))
}

// Slope returns df/dt at t (0 for t ≤ t0); df/dt = −∂f/∂t0.
func (m *Model) Slope(t float64, p []float64) float64 {
	x := t - p[3]
	if !(x > 0) {
		return 0
	}
	var g [4]float64
	f := math.Exp(m.logf(x, p, g[:]))
	return -f * g[3]
}

// Mode returns the time of the model's maximum, t0 plus the mode of the
// density (see each model).
func (m *Model) Mode(p []float64) float64 { return p[3] + m.mode(p) }

// Mean returns the model's first moment ∫t·f dt / ∫f dt, t0 plus the mean
// of the density: the mean transit time measured from the time origin
// (see each model).
func (m *Model) Mean(p []float64) float64 { return p[3] + m.mean(p) }

// evalGrad returns f(t; p) and writes ∂f/∂p (natural parameters) into g.
func (m *Model) evalGrad(t float64, p, g []float64) float64 {
	x := t - p[3]
	if !(x > 0) {
		for i := range g {
			g[i] = 0
		}
		return 0
	}
	lf := m.logf(x, p, g)
	f := math.Exp(lf)
	for i := range g {
		g[i] *= f
	}
	return f
}

// solveDecreasing finds x in [lo, hi] with r(x) = target for a decreasing
// r, by bisection in log x; the bounds when target is out of range.
func solveDecreasing(r func(float64) float64, target, lo, hi float64) float64 {
	if !(target < r(lo)) {
		return lo
	}
	if !(target > r(hi)) {
		return hi
	}
	a, b := math.Log(lo), math.Log(hi)
	for i := 0; i < 60; i++ {
		c := (a + b) / 2
		if r(math.Exp(c)) > target {
			a = c
		} else {
			b = c
		}
	}
	return math.Exp((a + b) / 2)
}

func clampf(x, lo, hi float64) float64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}
