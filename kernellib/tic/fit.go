package tic

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// ErrFit is wrapped by every *FitError: errors.Is(err, ErrFit) tells a
// failed or implausible fit from bad input.
var ErrFit = errors.New("tic: fit failed or implausible")

// FitError reports a fit that did not converge or whose result is not a
// plausible bolus curve. No parameters are returned with it.
type FitError struct {
	Model  string
	Reason string
}

// Error returns "tic: <model> fit: <reason>".
func (e *FitError) Error() string { return "tic: " + e.Model + " fit: " + e.Reason }

// Unwrap returns ErrFit.
func (e *FitError) Unwrap() error { return ErrFit }

// FitOptions control Fit. The zero value is usable.
type FitOptions struct {
	// MinR2 is the smallest coefficient of determination accepted; a
	// worse fit is reported as implausible. 0 means DefaultMinR2; a
	// negative value accepts any R².
	MinR2 float64
	// Start, when given, is an additional starting point (natural
	// parameters in the order of Model.ParamNames) tried beside the
	// starting values derived from the curve's shape.
	Start []float64
}

// DefaultMinR2 is the default FitOptions.MinR2.
const DefaultMinR2 = 0.5

// FitResult is an accepted least-squares fit of a perfusion model.
type FitResult struct {
	Model *Model
	// Params are the fitted parameters in the order of Model.ParamNames,
	// in the units of the curve (time in the curve's time unit, auc in
	// intensity × time).
	Params []float64
	// R2 is the coefficient of determination 1 − SSE/SST, SST the sum of
	// squares about the curve's mean; RMSE = √(SSE/N) in intensity units.
	R2, RMSE float64
	// N is the number of samples fitted; TMin and TMax the times of the
	// first and last.
	N          int
	TMin, TMax float64
	// Evaluations is the number of objective evaluations used.
	Evaluations int
}

// Eval returns the fitted curve at time t.
func (f *FitResult) Eval(t float64) float64 { return f.Model.Eval(t, f.Params) }

// Param returns the fitted parameter called name (see Model.ParamNames),
// NaN for an unknown name.
func (f *FitResult) Param(name string) float64 {
	for i, n := range f.Model.params {
		if n == name {
			return f.Params[i]
		}
	}
	return math.NaN()
}

// Fit fits model m to the curve (t, y) by least squares, minimising
// SSE = Σ (f(t_i; p) − y_i)² (the objective of scipy.optimize.curve_fit
// without weights). The curve should be on a linear intensity scale with
// its baseline removed (see Linearise and Baseline); the model has no
// baseline term.
//
// Method: the curve is scaled to a maximum of 1; starting values come from
// its shape (the time of the peak of a 5-point moving average, the last
// time before it below 5 % of the peak as arrival, and the first moment,
// which give the shape parameters through each model's mode and mean; auc
// so that the start's peak matches); nine starts around these are
// screened, the Nelder–Mead simplex of gonum/optimize is run from the best
// two, and the best result is polished by gonum/optimize's Newton method
// on the Gauss–Newton Hessian 2JᵀJ. Positive parameters are optimised on a
// log scale. The fit is accepted when every parameter is finite, the shape
// parameters are within the model's plausible range, the peak lies within
// the fitted time span, t0 is no more than one span before its start,
// R² ≥ opts.MinR2, and the Gauss–Newton step at the solution is below 1e-6
// (relative: converged). Otherwise the error is a *FitError (wrapping
// ErrFit) and no numbers are returned. A curve the model cannot describe
// may have its least-squares optimum on the boundary of the parameter
// space — e.g. the simulator's tumour curves, a sharp arterial peak on a
// long late component, drive the gamma variate to α → 0 and the FPT to
// λ → 0, μ → ∞, as scipy.optimize.curve_fit does too —; such a fit is
// reported as implausible.
//
// t must increase strictly, t and y must be finite and of equal length, and
// there must be at least 8 samples.
func Fit(m *Model, t, y []float64, opts *FitOptions) (*FitResult, error) {
	if m == nil {
		return nil, errors.New("tic: Fit: no model")
	}
	if err := checkCurve(t, y, 8); err != nil {
		return nil, err
	}
	var o FitOptions
	if opts != nil {
		o = *opts
	}
	if o.MinR2 == 0 {
		o.MinR2 = DefaultMinR2
	}
	if o.Start != nil && len(o.Start) != 4 {
		return nil, fmt.Errorf("tic: Fit: Start has %d values, want 4 (%v)", len(o.Start), m.ParamNames())
	}
	scale := 0.0
	for _, v := range y {
		scale = math.Max(scale, math.Abs(v))
	}
	if !(scale > 0) {
		return nil, &FitError{m.name, "the curve is zero everywhere"}
	}
	yn := make([]float64, len(y))
	for i, v := range y {
		yn[i] = v / scale
	}
	pr := &lsq{m: m, t: t, y: yn}

	starts := pr.starts()
	if o.Start != nil {
		s := append([]float64(nil), o.Start...)
		s[0] /= scale
		if z, ok := pr.toZ(s); ok {
			starts = append(starts, z)
		}
	}
	if len(starts) == 0 {
		return nil, &FitError{m.name, "no starting values: the curve has no positive peak"}
	}
	type cand struct {
		z   []float64
		sse float64
	}
	cs := make([]cand, 0, len(starts))
	for _, z := range starts {
		if f := pr.sse(z); !math.IsNaN(f) && !math.IsInf(f, 0) {
			cs = append(cs, cand{z, f})
		}
	}
	if len(cs) == 0 {
		return nil, &FitError{m.name, "no finite starting value"}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].sse < cs[j].sse })
	best := cand{sse: math.Inf(1)}
	for i := 0; i < len(cs) && i < 1; i++ {
		res, _ := optimize.Minimize(optimize.Problem{Func: pr.sse}, cs[i].z,
			&optimize.Settings{FuncEvaluations: 1500, Converger: &optimize.FunctionConverge{Absolute: 1e-9, Relative: 1e-6, Iterations: 15}},
			&optimize.NelderMead{})
		if res != nil && res.F < best.sse && finiteAll(res.X) {
			best = cand{append([]float64(nil), res.X...), res.F}
		}
		if cs[i].sse < best.sse {
			best = cs[i]
		}
	}
	// Gauss–Newton polish.
	res, _ := optimize.Minimize(optimize.Problem{Func: pr.sse, Grad: pr.grad, Hess: pr.hess}, best.z,
		&optimize.Settings{GradientThreshold: 1e-13, MajorIterations: 200, Converger: &optimize.FunctionConverge{Absolute: 1e-16, Relative: 1e-14, Iterations: 20}},
		&optimize.Newton{})
	if res != nil && res.F <= best.sse && finiteAll(res.X) {
		best = cand{append([]float64(nil), res.X...), res.F}
	}
	// A few plain Gauss–Newton steps with step halving finish what the
	// line search of Newton may leave (it stops at rounding level).
	z, sse := pr.gaussNewton(best.z, best.sse, 50)
	p := pr.toP(z)
	p[0] *= scale
	fr := &FitResult{Model: m, Params: p, N: len(t), TMin: t[0], TMax: t[len(t)-1], Evaluations: pr.evals}
	sst, mean := 0.0, 0.0
	for _, v := range y {
		mean += v
	}
	mean /= float64(len(y))
	for _, v := range y {
		sst += (v - mean) * (v - mean)
	}
	sseY := sse * scale * scale
	fr.R2 = 1 - sseY/sst
	fr.RMSE = math.Sqrt(sseY / float64(len(y)))
	// Implausible parameters first: a least-squares optimum on the
	// boundary of the parameter space (a gamma variate with α → 0, an FPT
	// with λ → 0 and μ → ∞) shows as a slowly diverging, unconverged fit.
	if why := plausible(fr, o.MinR2); why != "" {
		return nil, &FitError{m.name, why}
	}
	if step := pr.gnStep(z); !(step < 1e-6) {
		return nil, &FitError{m.name, fmt.Sprintf("no convergence (Gauss–Newton step %.3g)", step)}
	}
	return fr, nil
}

// plausible returns why f is not a plausible bolus fit, "" when it is.
func plausible(f *FitResult, minR2 float64) string {
	p := f.Params
	for i, v := range p {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Sprintf("parameter %s is %v", f.Model.params[i], v)
		}
	}
	if !(p[0] > 0) {
		return fmt.Sprintf("auc %.4g is not positive", p[0])
	}
	if why := f.Model.shape(p); why != "" {
		return why
	}
	span := f.TMax - f.TMin
	if mo := f.Model.Mode(p); !(mo >= f.TMin && mo <= f.TMax) {
		return fmt.Sprintf("peak at t = %.4g outside the fitted span %.4g..%.4g", mo, f.TMin, f.TMax)
	}
	if p[3] < f.TMin-span {
		return fmt.Sprintf("t0 = %.4g more than one span before the first sample (%.4g)", p[3], f.TMin)
	}
	if math.IsNaN(f.R2) || (minR2 >= 0 && f.R2 < minR2) {
		return fmt.Sprintf("R² %.3f below %.3f", f.R2, minR2)
	}
	return ""
}

// lsq is the least-squares problem of one model and curve in the
// optimisation variables z: z0 = ln auc, z1 and z2 the shape parameters
// (log-scaled where Model.logShape says so), z3 = t0.
type lsq struct {
	m     *Model
	t, y  []float64
	evals int
}

func (pr *lsq) toP(z []float64) []float64 {
	p := []float64{math.Exp(z[0]), z[1], z[2], z[3]}
	for k := 0; k < 2; k++ {
		if pr.m.logShape[k] {
			p[k+1] = math.Exp(z[k+1])
		}
	}
	return p
}

func (pr *lsq) toZ(p []float64) ([]float64, bool) {
	if !(p[0] > 0) {
		return nil, false
	}
	z := []float64{math.Log(p[0]), p[1], p[2], p[3]}
	for k := 0; k < 2; k++ {
		if pr.m.logShape[k] {
			if !(p[k+1] > 0) {
				return nil, false
			}
			z[k+1] = math.Log(p[k+1])
		}
	}
	return z, finiteAll(z)
}

// dpdz returns dp_k/dz_k.
func (pr *lsq) dpdz(p []float64, d []float64) {
	d[0], d[1], d[2], d[3] = p[0], 1, 1, 1
	for k := 0; k < 2; k++ {
		if pr.m.logShape[k] {
			d[k+1] = p[k+1]
		}
	}
}

func (pr *lsq) sse(z []float64) float64 {
	pr.evals++
	if !finiteAll(z) || math.Abs(z[0]) > 700 || math.Abs(z[1]) > 700 || math.Abs(z[2]) > 700 {
		return math.Inf(1)
	}
	p := pr.toP(z)
	s := 0.0
	for i, t := range pr.t {
		r := pr.m.Eval(t, p) - pr.y[i]
		s += r * r
	}
	if math.IsNaN(s) {
		return math.Inf(1)
	}
	return s
}

// jac fills the residuals r and the Jacobian J (n×4, ∂r/∂z) at z.
func (pr *lsq) jac(z []float64, r []float64, J *mat.Dense) {
	p := pr.toP(z)
	var d, g [4]float64
	pr.dpdz(p, d[:])
	for i, t := range pr.t {
		f := pr.m.evalGrad(t, p, g[:])
		r[i] = f - pr.y[i]
		for k := 0; k < 4; k++ {
			J.Set(i, k, g[k]*d[k])
		}
	}
}

func (pr *lsq) grad(grad, z []float64) {
	n := len(pr.t)
	r := make([]float64, n)
	J := mat.NewDense(n, 4, nil)
	pr.jac(z, r, J)
	for k := range grad {
		grad[k] = 0
	}
	for i := 0; i < n; i++ {
		for k := 0; k < 4; k++ {
			grad[k] += 2 * r[i] * J.At(i, k)
		}
	}
}

func (pr *lsq) hess(h *mat.SymDense, z []float64) {
	n := len(pr.t)
	r := make([]float64, n)
	J := mat.NewDense(n, 4, nil)
	pr.jac(z, r, J)
	var jtj mat.SymDense
	jtj.SymOuterK(2, J.T())
	h.CopySym(&jtj)
}

// gnSolve returns the Gauss–Newton step d solving (JᵀJ) d = −Jᵀr at z,
// with a tiny Levenberg damping for rank safety, and the residuals' SSE.
func (pr *lsq) gnSolve(z []float64) ([]float64, bool) {
	n := len(pr.t)
	r := make([]float64, n)
	J := mat.NewDense(n, 4, nil)
	pr.jac(z, r, J)
	var A mat.Dense
	A.Mul(J.T(), J)
	for k := 0; k < 4; k++ {
		A.Set(k, k, A.At(k, k)*(1+1e-12)+1e-300)
	}
	var b mat.VecDense
	b.MulVec(J.T(), mat.NewVecDense(n, r))
	b.ScaleVec(-1, &b)
	var d mat.VecDense
	if err := d.SolveVec(&A, &b); err != nil {
		return nil, false
	}
	out := make([]float64, 4)
	for k := range out {
		out[k] = d.AtVec(k)
	}
	return out, finiteAll(out)
}

// gnStep is the size of the Gauss–Newton step at z relative to z,
// max_k |d_k| / max(1, |z_k|); +Inf when it cannot be computed.
func (pr *lsq) gnStep(z []float64) float64 {
	d, ok := pr.gnSolve(z)
	if !ok {
		return math.Inf(1)
	}
	s := 0.0
	for k := range d {
		s = math.Max(s, math.Abs(d[k])/math.Max(1, math.Abs(z[k])))
	}
	return s
}

// gaussNewton takes up to iters Gauss–Newton steps with step halving from
// z (objective f0) and returns the best point and its objective.
func (pr *lsq) gaussNewton(z []float64, f0 float64, iters int) ([]float64, float64) {
	z = append([]float64(nil), z...)
	for it := 0; it < iters; it++ {
		d, ok := pr.gnSolve(z)
		if !ok {
			break
		}
		improved := false
		for h := 1.0; h > 1e-6; h /= 2 {
			zn := make([]float64, 4)
			for k := range zn {
				zn[k] = z[k] + h*d[k]
			}
			if f := pr.sse(zn); f <= f0 {
				improved = f < f0
				z, f0 = zn, f
				break
			}
		}
		if !improved {
			break
		}
	}
	return z, f0
}

// starts returns the starting points derived from the curve's shape (see
// Fit).
func (pr *lsq) starts() [][]float64 {
	t, y := pr.t, pr.y
	ys := movingAverage(y, 5)
	im := 0
	for i, v := range ys {
		if v > ys[im] {
			im = i
		}
	}
	ym, tm := ys[im], t[im]
	if !(ym > 0) {
		return nil
	}
	span := t[len(t)-1] - t[0]
	ta := math.NaN()
	for i := im - 1; i >= 0; i-- {
		if ys[i] <= 0.05*ym {
			ta = t[i]
			break
		}
	}
	if math.IsNaN(ta) {
		ta = t[0] - 0.2*math.Max(tm-t[0], span/50)
	}
	if !(tm > ta) {
		tm = ta + span/50
	}
	// First moment of the positive part.
	a, m1 := 0.0, 0.0
	for i := 1; i < len(t); i++ {
		y0, y1 := math.Max(ys[i-1], 0), math.Max(ys[i], 0)
		dt := t[i] - t[i-1]
		a += dt * (y0 + y1) / 2
		m1 += dt * (t[i-1]*y0 + t[i]*y1) / 2
	}
	m1 /= a
	var out [][]float64
	for _, ft0 := range []float64{0, -0.3, 0.3} {
		t0 := ta + ft0*(tm-ta)
		mode := tm - t0
		for _, fm := range []float64{1, 0.6, 1.8} {
			mean := math.Max(m1-t0, 1.05*mode)
			mean = mode + fm*(mean-mode)
			s1, s2 := pr.m.start(mode, mean)
			p := []float64{1, s1, s2, t0}
			pk := pr.m.Eval(t0+pr.m.mode(p), p)
			if !(pk > 0) || math.IsInf(pk, 0) {
				continue
			}
			p[0] = ym / pk
			if z, ok := pr.toZ(p); ok {
				out = append(out, z)
			}
		}
	}
	return out
}

// checkCurve checks a curve's samples.
func checkCurve(t, y []float64, minN int) error {
	if len(t) != len(y) {
		return fmt.Errorf("tic: curve has %d times but %d values", len(t), len(y))
	}
	if len(t) < minN {
		return fmt.Errorf("tic: curve has %d samples, need at least %d", len(t), minN)
	}
	for i := range t {
		if math.IsNaN(t[i]) || math.IsInf(t[i], 0) || math.IsNaN(y[i]) || math.IsInf(y[i], 0) {
			return fmt.Errorf("tic: curve sample %d (t = %v, y = %v) is not finite", i, t[i], y[i])
		}
		if i > 0 && !(t[i] > t[i-1]) {
			return fmt.Errorf("tic: curve times must increase strictly: t[%d] = %v after t[%d] = %v", i, t[i], i-1, t[i-1])
		}
	}
	return nil
}

func finiteAll(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// movingAverage returns the centred moving average of y over w samples (w
// odd; the window shrinks symmetrically at the ends).
func movingAverage(y []float64, w int) []float64 {
	h := w / 2
	out := make([]float64, len(y))
	for i := range y {
		k := min(h, i, len(y)-1-i)
		s := 0.0
		for j := i - k; j <= i+k; j++ {
			s += y[j]
		}
		out[i] = s / float64(2*k+1)
	}
	return out
}
