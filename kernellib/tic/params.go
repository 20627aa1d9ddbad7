package tic

import (
	"math"

	"gonum.org/v1/gonum/integrate/quad"
)

// Parameters are the descriptive parameters of a bolus time–intensity
// curve f(t), as defined for CEUS quantification by Tranquart et al.,
// "Perfusion quantification in contrast-enhanced ultrasound (CEUS) – ready
// for research projects and routine clinical use", Ultraschall Med 33
// Suppl 1:S31–S38 (2012) (the parameters of Bracco's VueBox) and Dietrich et
// al., "How to perform Contrast-Enhanced Ultrasound (CEUS)", Ultrasound Int
// Open 4:E2–E15 (2018). f is the enhancement above baseline, on a linear
// (echo-power) scale for the areas and rates to mean what they say.
//
// Times (AT, TTP, MTT) are measured from the curve's time origin: the
// injection when the analysis knows it (Options.InjectionS; the cohort's
// injection_offset_s), otherwise the lesion's contrast arrival (Arrival),
// otherwise the first frame (Analysis.TimeOrigin). Durations (RT, FT) have
// no origin.
//
// Model-free parameters (ModelFree) are computed on the samples (slopes by
// central differences, areas by the trapezoidal rule, the record limiting
// every integral); parameters from a fit (FitResult.Parameters) on the
// fitted model, analytically or by quadrature, with the model extending
// past the record where a definition needs it (wash-out).
type Parameters struct {
	// AT is the arrival time: the time at which the tangent at the point
	// of steepest wash-in crosses zero enhancement (the "time of rise" TI
	// of Tranquart et al.), AT = t_WiR − f(t_WiR)/WiR.
	AT float64
	// PE is the peak enhancement, max f.
	PE float64
	// TTP is the time to peak, the time of max f.
	TTP float64
	// RT is the rise time, TTP − AT.
	RT float64
	// FT is the fall time, TO − TTP, TO being where the tangent at the
	// point of steepest wash-out crosses zero, TO = t_WoR + f(t_WoR)/WoR.
	// NaN (model-free) when the recorded curve does not fall after its
	// peak.
	FT float64
	// MTT is the mean transit time, the first moment ∫t·f dt / ∫f dt
	// (Meier & Zierler, J Appl Physiol 6:731, 1954): analytic for a fit
	// (Model.Mean); over the record for the model-free value, which
	// underestimates it when the record ends before the curve returns to
	// baseline.
	MTT float64
	// WiR is the wash-in rate, the largest slope max f'(t) before the
	// peak.
	WiR float64
	// WoR is the wash-out rate, the steepest descent after the peak as a
	// positive number, −min f'(t) for t > TTP (0 when the curve does not
	// fall).
	WoR float64
	// WiAUC is the wash-in area ∫_AT^TTP f dt, WoAUC the wash-out area
	// ∫_TTP^TO f dt (TO limited to the record for model-free values) and
	// WiWoAUC their sum.
	WiAUC, WoAUC, WiWoAUC float64
	// AUC is the total area ∫ f dt over the record (the fitted span for a
	// fit).
	AUC float64
	// WiPI is the wash-in perfusion index, WiAUC/RT: the mean enhancement
	// during wash-in.
	WiPI float64
}

// ParameterNames are the short names of the Parameters, in the order of
// Values: at, pe, ttp, rt, ft, mtt, wir, wor, wiauc, woauc, wiwoauc,
// auc_total, wipi.
var ParameterNames = []string{"at", "pe", "ttp", "rt", "ft", "mtt", "wir", "wor", "wiauc", "woauc", "wiwoauc", "auc_total", "wipi"}

// Values returns the parameters in the order of ParameterNames.
func (p Parameters) Values() []float64 {
	return []float64{p.AT, p.PE, p.TTP, p.RT, p.FT, p.MTT, p.WiR, p.WoR, p.WiAUC, p.WoAUC, p.WiWoAUC, p.AUC, p.WiPI}
}

// Ratios returns the lesion-to-liver ratios lesion_X / liver_X of every
// parameter (relative enhancement, relative times), the normalisation by
// the liver reference ROI that removes gain and attenuation from
// intensity parameters (Dietrich et al. 2018; Tang et al., Insights
// Imaging 2:263, 2011). A ratio with a zero or undefined denominator is
// NaN.
func Ratios(lesion, liver Parameters) Parameters {
	a, b := lesion.Values(), liver.Values()
	r := make([]float64, len(a))
	for i := range a {
		if b[i] == 0 || math.IsNaN(a[i]) || math.IsNaN(b[i]) {
			r[i] = math.NaN()
		} else {
			r[i] = a[i] / b[i]
		}
	}
	return Parameters{AT: r[0], PE: r[1], TTP: r[2], RT: r[3], FT: r[4], MTT: r[5], WiR: r[6], WoR: r[7],
		WiAUC: r[8], WoAUC: r[9], WiWoAUC: r[10], AUC: r[11], WiPI: r[12]}
}

// ModelFree returns the Parameters of the sampled curve (t, y) (see
// Parameters for the definitions): PE and TTP at the largest sample,
// slopes by central differences (one-sided at the ends), areas by the
// trapezoidal rule with linear interpolation at AT and TO. Smooth a noisy
// curve first (Smooth): slopes of raw samples are dominated by noise.
// t must increase strictly; at least 3 samples.
func ModelFree(t, y []float64) (Parameters, error) {
	if err := checkCurve(t, y, 3); err != nil {
		return Parameters{}, err
	}
	n := len(t)
	im := 0
	for i, v := range y {
		if v > y[im] {
			im = i
		}
	}
	s := make([]float64, n)
	for i := range s {
		a, b := max(i-1, 0), min(i+1, n-1)
		s[i] = (y[b] - y[a]) / (t[b] - t[a])
	}
	p := Parameters{PE: y[im], TTP: t[im], FT: math.NaN()}
	iw := 0
	for i := 0; i <= im; i++ {
		if s[i] > s[iw] {
			iw = i
		}
	}
	p.WiR = math.Max(s[iw], 0)
	if p.WiR > 0 {
		p.AT = t[iw] - y[iw]/p.WiR
	} else {
		p.AT = t[0]
	}
	p.RT = p.TTP - p.AT
	io := im
	for i := im; i < n; i++ {
		if s[i] < s[io] {
			io = i
		}
	}
	p.WoR = math.Max(-s[io], 0)
	to := t[n-1]
	if p.WoR > 0 {
		to = t[io] + y[io]/p.WoR
		p.FT = to - p.TTP
		to = math.Min(to, t[n-1])
	}
	p.WiAUC = trapz(t, y, math.Max(p.AT, t[0]), p.TTP)
	p.WoAUC = trapz(t, y, p.TTP, to)
	p.WiWoAUC = p.WiAUC + p.WoAUC
	p.AUC = trapz(t, y, t[0], t[n-1])
	m0, m1 := 0.0, 0.0
	for i := 1; i < n; i++ {
		dt := t[i] - t[i-1]
		m0 += dt * (y[i-1] + y[i]) / 2
		m1 += dt * (t[i-1]*y[i-1] + t[i]*y[i]) / 2
	}
	p.MTT = m1 / m0
	p.WiPI = p.WiAUC / p.RT
	if !(p.RT > 0) {
		p.WiPI = math.NaN()
	}
	return p, nil
}

// trapz integrates the piecewise-linear interpolant of (t, y) from a to b
// (a ≤ b, both within t's range).
func trapz(t, y []float64, a, b float64) float64 {
	if !(b > a) {
		return 0
	}
	at := func(x float64) float64 { return interp(t, y, x) }
	s := 0.0
	prevT, prevY := a, at(a)
	for i := range t {
		if t[i] <= a {
			continue
		}
		if t[i] >= b {
			break
		}
		s += (t[i] - prevT) * (y[i] + prevY) / 2
		prevT, prevY = t[i], y[i]
	}
	s += (b - prevT) * (at(b) + prevY) / 2
	return s
}

// interp is linear interpolation of (t, y) at x, constant beyond the ends.
func interp(t, y []float64, x float64) float64 {
	n := len(t)
	if x <= t[0] {
		return y[0]
	}
	if x >= t[n-1] {
		return y[n-1]
	}
	lo, hi := 0, n-1
	for hi-lo > 1 {
		m := (lo + hi) / 2
		if t[m] <= x {
			lo = m
		} else {
			hi = m
		}
	}
	w := (x - t[lo]) / (t[hi] - t[lo])
	return y[lo] + w*(y[hi]-y[lo])
}

// Parameters returns the descriptive parameters of the fitted model (see
// Parameters): TTP = Model.Mode, PE = f(TTP), MTT = Model.Mean; WiR and WoR
// at the inflection points, found by golden-section search of f' on
// (t0, TTP) and on (TTP, t0 + 50·(MTT − t0)); the areas by 64-point
// Gauss–Legendre quadrature (gonum/integrate/quad) of the model; AUC over
// the fitted span [TMin, TMax].
func (f *FitResult) Parameters() Parameters {
	m, p := f.Model, f.Params
	t0 := p[3]
	var r Parameters
	r.TTP = m.Mode(p)
	r.PE = m.Eval(r.TTP, p)
	r.MTT = m.Mean(p)
	slope := func(t float64) float64 { return m.Slope(t, p) }
	tw := goldenMax(slope, t0, r.TTP)
	r.WiR = slope(tw)
	r.AT = tw - m.Eval(tw, p)/r.WiR
	r.RT = r.TTP - r.AT
	to := goldenMax(func(t float64) float64 { return -slope(t) }, r.TTP, t0+50*(r.MTT-t0))
	r.WoR = -slope(to)
	tOut := to + m.Eval(to, p)/r.WoR
	r.FT = tOut - r.TTP
	r.WiAUC = f.integral(math.Max(r.AT, t0), r.TTP)
	r.WoAUC = f.integral(r.TTP, tOut)
	r.WiWoAUC = r.WiAUC + r.WoAUC
	r.AUC = f.integral(f.TMin, f.TMax)
	r.WiPI = r.WiAUC / r.RT
	return r
}

// integral is ∫_a^b of the fitted model, split at t0 and the mode so that
// each piece is smooth.
func (f *FitResult) integral(a, b float64) float64 {
	a = math.Max(a, f.Params[3])
	if !(b > a) {
		return 0
	}
	ev := func(t float64) float64 { return f.Model.Eval(t, f.Params) }
	s := 0.0
	cuts := []float64{a}
	if mo := f.Model.Mode(f.Params); mo > a && mo < b {
		cuts = append(cuts, mo)
	}
	cuts = append(cuts, b)
	for i := 1; i < len(cuts); i++ {
		s += quad.Fixed(ev, cuts[i-1], cuts[i], 64, quad.Legendre{}, 0)
	}
	return s
}

// goldenMax returns the maximiser of a unimodal g on [a, b] by
// golden-section search to a relative tolerance of 1e-10.
func goldenMax(g func(float64) float64, a, b float64) float64 {
	const r = 0.6180339887498949
	c, d := b-r*(b-a), a+r*(b-a)
	gc, gd := g(c), g(d)
	for i := 0; i < 200 && b-a > 1e-10*math.Max(1, math.Abs(a)+math.Abs(b)); i++ {
		if gc > gd {
			b, d, gd = d, c, gc
			c = b - r*(b-a)
			gc = g(c)
		} else {
			a, c, gc = c, d, gd
			d = a + r*(b-a)
			gd = g(d)
		}
	}
	return (a + b) / 2
}
