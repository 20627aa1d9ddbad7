package learn

import (
	"errors"
	"fmt"
	"math"
)

// ErrNoConvergence: an iterative fit stopped at its iteration limit before
// meeting its tolerance.
var ErrNoConvergence = errors.New("learn: no convergence")

// Defaults of the penalised logistic regression, those of glmnet
// (Friedman, Hastie & Tibshirani 2010; glmnet 4.1 `glmnet.control`).
const (
	// DefaultNLambda is the length of the λ path.
	DefaultNLambda = 100
	// DefaultTol is the convergence threshold of coordinate descent: a
	// sweep (and an IRLS step) converges when max_j v_j·Δβ_j² / w̄ < Tol,
	// with v_j = (1/n)Σ w_i x_ij² the weighted variance of standardised
	// feature j and w̄ = (1/n)Σ w_i the mean IRLS weight (glmnet's thresh
	// criterion, made relative to w̄ so that it stays strict when the
	// weights shrink near separation). Tighter than glmnet's 1e-7: on the
	// scikit-learn test problems the coefficients are then within 4e-5 of
	// fully converged ones.
	DefaultTol = 1e-9
	// DefaultMaxIter bounds the coordinate-descent sweeps of one fit
	// (glmnet's maxit).
	DefaultMaxIter = 100000
)

// Path-stopping rules of glmnet for a generated λ sequence: the path ends
// early once the fraction of null deviance explained exceeds pathDevMax or
// changes by less than pathDevTol of itself from one λ to the next, after
// at least pathMinLambda values (glmnet's devmax, fdev and mnlam).
const (
	pathDevMax    = 0.999
	pathDevTol    = 1e-5
	pathMinLambda = 5
	// pathNewtonAfter is the number of unconverged sweeps over the active
	// set after which newtonActive solves the active quadratic directly.
	pathNewtonAfter = 8
	// pathPMin clamps fitted probabilities to [pmin, 1−pmin] in the IRLS
	// weights, as glmnet's pmin.
	pathPMin = 1e-9
)

// LogisticPath fits penalised logistic regression over a decreasing
// sequence of penalties λ₁ > … > λ_m (the regularisation path), by the
// method of glmnet (Friedman, Hastie & Tibshirani, "Regularization paths
// for generalized linear models via coordinate descent", J Stat Softw 33:1,
// 2010): at each λ, minimise
//
//	−(1/n) Σᵢ [yᵢ ηᵢ − log(1 + e^ηᵢ)] + λ [α‖β‖₁ + (1−α)/2 ‖β‖₂²],  ηᵢ = β₀ + xᵢᵀβ
//
// (the intercept β₀ is not penalised) by an outer loop of quadratic
// approximations to the log-likelihood (IRLS: weights wᵢ = pᵢ(1−pᵢ),
// working response zᵢ = ηᵢ + (yᵢ−pᵢ)/wᵢ, §3 of the paper) and an inner loop
// of cyclic coordinate descent with soft-thresholding,
//
//	β_j ← S((1/n)Σᵢ wᵢ x_ij rᵢ + v_j β_j, λα) / (v_j + λ(1−α)),  S(z,γ) = sign(z)(|z|−γ)₊,
//
// over the active set (sweeps over the non-zero coefficients until they
// converge, then one sweep over all, §2.6), warm-started from the solution
// at the previous λ; the sweeps over the active set use covariance updates
// (§2.2: the weighted Gram matrix of the active columns, rebuilt at each
// IRLS step; covSweeps) rather than updating the n residuals after every
// change. The sequential strong rule (Tibshirani et al., J R Stat
// Soc B 74, 2012) restricts each λ's problem to the features with
// |∇_j| ≥ α(2λ_k − λ_{k−1}) plus those ever non-zero; the KKT conditions
// |∇_j| ≤ λα are then checked on all the others and violators added. A
// step-halving safeguard keeps the penalised objective decreasing at every
// IRLS step.
//
// Features are standardised inside the fit (mean 0, population standard
// deviation 1, as glmnet's standardize = TRUE) unless NoStandardize;
// coefficients are reported on that scale and on the original one. A constant column (all values
// equal) cannot be standardised: it gets a zero coefficient and is listed
// in Path.Constant. The default sequence has NLambda values log-spaced from
// λ_max = max_j |(1/n) Σᵢ x_ij (yᵢ − ȳ)| / max(α, 0.001), the smallest λ
// at which every coefficient is zero (glmnet's α floor makes it finite for
// the ridge), down to LambdaMinRatio·λ_max, and it stops early, as glmnet's,
// once the deviance explained exceeds 99.9% or changes by less than 10⁻⁵
// of itself.
//
// In scikit-learn's parameterisation (C·Σ logloss + penalty), λ = 1/(n·C)
// and α = l1_ratio.
//
// When coordinate descent converges slowly on an ill-conditioned IRLS
// quadratic (correlated features, or weights near zero close to
// separation), the quadratic restricted to the active set and its signs
// is solved by a Newton step (Cholesky), shortened at the first sign
// change; the sweeps then verify it. With exactly collinear columns the
// lasso solution is not unique: only the sum of the tied standardised
// coefficients is determined, and its split follows the path.
type LogisticPath struct {
	// Penalty selects α: 1 for L1, 0 for L2, L1Ratio for ElasticNet.
	Penalty Penalty
	// L1Ratio is the elastic-net mixing α in (0, 1) (glmnet's alpha,
	// scikit-learn's l1_ratio); used only with ElasticNet.
	L1Ratio float64
	// NLambda is the number of λ values (0: DefaultNLambda).
	NLambda int
	// LambdaMinRatio is λ_min/λ_max, in (0, 1) (0: 10⁻⁴ when n > p,
	// 10⁻² otherwise, as glmnet).
	LambdaMinRatio float64
	// Lambdas, when set, is the λ sequence itself (positive, strictly
	// decreasing); NLambda and LambdaMinRatio are then ignored and the
	// path is never stopped early.
	Lambdas []float64
	// Tol is the convergence threshold (0: DefaultTol).
	Tol float64
	// MaxIter bounds the coordinate-descent sweeps (0: DefaultMaxIter).
	MaxIter int
	// NoStandardize fits on the columns as given (glmnet's
	// standardize = FALSE), e.g. after a Pipeline's own Standardizer and
	// Imputer, to penalise the coefficients on that scale as
	// scikit-learn's LogisticRegression does. The coefficients are still
	// reported on both scales.
	NoStandardize bool

	// naive selects the naive active-set sweeps (tests only: the oracle
	// covSweeps is compared with).
	naive bool
}

// Path is a fitted regularisation path. Index k of every slice refers to
// Lambda[k].
type Path struct {
	Penalty Penalty
	// Alpha is the elastic-net mixing α of the fit.
	Alpha float64
	// Lambda is the penalty sequence, decreasing.
	Lambda []float64
	// Intercept and Coef are on the original scale of the features.
	Intercept []float64
	Coef      [][]float64
	// StdIntercept and StdCoef are on the standardised scale (features
	// centred and divided by their standard deviation).
	StdIntercept []float64
	StdCoef      [][]float64
	// Deviance is −2 × the log-likelihood of the training data at each λ;
	// NullDeviance that of the intercept-only model; DevRatio is
	// 1 − Deviance/NullDeviance, the fraction of deviance explained.
	Deviance     []float64
	NullDeviance float64
	DevRatio     []float64
	// DF is the number of non-zero coefficients at each λ.
	DF []int
	// Mean and Scale are the column means and population standard
	// deviations used to standardise (Scale 0 for a constant column).
	Mean, Scale []float64
	// Constant lists the constant columns, whose coefficients are zero.
	Constant []int
	// Entry is, for every feature, the first index on the path at which
	// its coefficient is non-zero, −1 if it never is.
	Entry []int
	// Sweeps counts the coordinate-descent sweeps of the whole path.
	Sweeps int
	// Truncated reports that the path stopped before its last λ because
	// coordinate descent did not converge there (typically near complete
	// separation, where the unpenalised fit does not exist); the solutions
	// up to the previous λ are kept, as glmnet does with a warning.
	Truncated bool
}

// Fit fits the path on X (n × p) and y (true = case). Every value of X must
// be finite.
func (lp LogisticPath) Fit(X [][]float64, y []bool) (*Path, error) {
	p, err := CheckXY(X, y, false)
	if err != nil {
		return nil, err
	}
	alpha, err := lp.Penalty.alpha(lp.L1Ratio)
	if err != nil {
		return nil, err
	}
	tol, maxIter, err := checkPathSolver(lp.Tol, lp.MaxIter)
	if err != nil {
		return nil, err
	}
	rows := make([]int, len(X))
	for i := range rows {
		rows[i] = i
	}
	prob, err := newLogitProblem(X, y, rows, alpha, tol, maxIter, !lp.NoStandardize)
	if err != nil {
		return nil, err
	}
	prob.naive = lp.naive
	lams, early, err := lp.sequence(prob, len(X), p)
	if err != nil {
		return nil, err
	}
	out := &Path{Penalty: lp.Penalty, Alpha: alpha, Mean: prob.mean, Scale: prob.scale,
		Constant: prob.constant, NullDeviance: prob.nullDev}
	err = prob.solvePath(lams, early, func(k int, b0 float64, beta []float64, dev float64) {
		std := prob.standardScale(beta)
		b, orig := prob.originalScale(b0, beta)
		df := 0
		for _, v := range std {
			if v != 0 {
				df++
			}
		}
		out.Lambda = append(out.Lambda, lams[k])
		out.StdIntercept = append(out.StdIntercept, b0)
		out.StdCoef = append(out.StdCoef, std)
		out.Intercept = append(out.Intercept, b)
		out.Coef = append(out.Coef, orig)
		out.Deviance = append(out.Deviance, dev)
		out.DevRatio = append(out.DevRatio, 1-dev/prob.nullDev)
		out.DF = append(out.DF, df)
	})
	out.Sweeps = prob.sweeps
	out.Truncated = prob.truncated
	if err != nil {
		return nil, err
	}
	out.Entry = make([]int, p)
	for j := range out.Entry {
		out.Entry[j] = -1
		for k, c := range out.StdCoef {
			if c[j] != 0 {
				out.Entry[j] = k
				break
			}
		}
	}
	return out, nil
}

// sequence returns the λ values of the path and whether the path may stop
// early.
func (lp LogisticPath) sequence(prob *logitProblem, n, p int) ([]float64, bool, error) {
	if len(lp.Lambdas) > 0 {
		for k, l := range lp.Lambdas {
			if !(l > 0) || math.IsInf(l, 0) || (k > 0 && l >= lp.Lambdas[k-1]) {
				return nil, false, fmt.Errorf("%w: Lambdas[%d] = %v: want positive, finite and strictly decreasing values", ErrParameter, k, l)
			}
		}
		return append([]float64(nil), lp.Lambdas...), false, nil
	}
	nl := lp.NLambda
	if nl == 0 {
		nl = DefaultNLambda
	}
	if nl < 1 {
		return nil, false, fmt.Errorf("%w: NLambda = %d, want ≥ 1", ErrParameter, nl)
	}
	ratio := lp.LambdaMinRatio
	if ratio == 0 {
		ratio = 1e-2
		if n > p {
			ratio = 1e-4
		}
	}
	if !(ratio > 0 && ratio < 1) {
		return nil, false, fmt.Errorf("%w: LambdaMinRatio = %v, want a value in (0, 1)", ErrParameter, ratio)
	}
	return lrLogSpaced(prob.lambdaMax(), ratio, nl), true, nil
}

// logSpaced returns nl values from hi down to hi·ratio, equally spaced on
// the log scale.
func lrLogSpaced(hi, ratio float64, nl int) []float64 {
	out := make([]float64, nl)
	out[0] = hi
	if nl == 1 {
		return out
	}
	step := math.Log(ratio) / float64(nl-1)
	for k := 1; k < nl; k++ {
		out[k] = hi * math.Exp(step*float64(k))
	}
	return out
}

func checkPathSolver(tol float64, maxIter int) (float64, int, error) {
	if tol == 0 {
		tol = DefaultTol
	}
	if !(tol > 0) || math.IsInf(tol, 0) {
		return 0, 0, fmt.Errorf("%w: Tol = %v, want a positive value", ErrParameter, tol)
	}
	if maxIter == 0 {
		maxIter = DefaultMaxIter
	}
	if maxIter < 1 {
		return 0, 0, fmt.Errorf("%w: MaxIter = %d, want ≥ 1", ErrParameter, maxIter)
	}
	return tol, maxIter, nil
}

// logitProblem is the state of one path fit: the standardised non-constant
// columns of the training rows, column-major, and the current solution.
type logitProblem struct {
	// truncated is set when solvePath stopped at a λ that did not converge.
	truncated bool
	n, p      int // rows; columns of the input
	cols      []int
	x         []float64 // len(cols) columns of n standardised values
	y         []float64 // 0 or 1
	mean      []float64 // per input column
	scale     []float64 // population SD
	div       []float64 // the divisor of the fit: scale, or 1 without standardisation
	constant  []int
	alpha     float64
	tol       float64
	maxIter   int
	sweeps    int
	nullDev   float64

	beta []float64 // per kept column, standardised scale
	b0   float64
	eta  []float64 // linear predictor
	w    []float64 // IRLS weights
	r    []float64 // weighted working residual wᵢ(zᵢ − ηᵢ)
	v    []float64 // (1/n) Σ wᵢ x_ij², per kept column
	grad []float64 // (1/n) Σ x_ij (yᵢ − pᵢ), per kept column

	inStrong []bool
	strong   []int
	active   []int
	// scratch for step halving and newtonActive
	oldBeta, oldEta []float64
	nwWX            []float64
	nwSet           []int
	nwH, nwG        []float64
	// naive makes solve sweep the active set with naive updates (the
	// residual updated after every coefficient change) instead of
	// covSweeps; the two are the same iteration in exact arithmetic, and
	// the tests compare them.
	naive bool
	cov   covScratch
}

// newLogitProblem standardises the rows of X selected by rows. Constant
// columns are left out; if every column is constant it is an error.
func newLogitProblem(X [][]float64, y []bool, rows []int, alpha, tol float64, maxIter int, standardize bool) (*logitProblem, error) {
	n, p := len(rows), len(X[0])
	f := &logitProblem{n: n, p: p, alpha: alpha, tol: tol, maxIter: maxIter,
		mean: make([]float64, p), scale: make([]float64, p), div: make([]float64, p), y: make([]float64, n)}
	for i, r := range rows {
		if y[r] {
			f.y[i] = 1
		}
	}
	for j := 0; j < p; j++ {
		first, constant := X[rows[0]][j], true
		s := 0.0
		for _, r := range rows {
			v := X[r][j]
			s += v
			if v != first {
				constant = false
			}
		}
		mu := s / float64(n)
		f.mean[j] = mu
		if constant {
			f.constant = append(f.constant, j)
			continue
		}
		ss := 0.0
		for _, r := range rows {
			d := X[r][j] - mu
			ss += d * d
		}
		f.scale[j] = math.Sqrt(ss / float64(n))
		f.div[j] = 1
		if standardize {
			f.div[j] = f.scale[j]
		}
		f.cols = append(f.cols, j)
	}
	if len(f.cols) == 0 {
		return nil, fmt.Errorf("%w: all %d features are constant in the %d training rows", ErrConstant, p, n)
	}
	m := len(f.cols)
	f.x = make([]float64, m*n)
	for c, j := range f.cols {
		col := f.x[c*n : (c+1)*n]
		mu, sd := f.mean[j], f.div[j]
		for i, r := range rows {
			col[i] = (X[r][j] - mu) / sd
		}
	}
	f.beta = make([]float64, m)
	f.v = make([]float64, m)
	f.grad = make([]float64, m)
	f.inStrong = make([]bool, m)
	f.oldBeta = make([]float64, m)
	f.eta = make([]float64, n)
	f.w = make([]float64, n)
	f.r = make([]float64, n)
	f.oldEta = make([]float64, n)
	ybar := 0.0
	for _, v := range f.y {
		ybar += v
	}
	ybar /= float64(n)
	f.b0 = math.Log(ybar / (1 - ybar))
	for i := range f.eta {
		f.eta[i] = f.b0
	}
	f.nullDev = -2 * float64(n) * (ybar*math.Log(ybar) + (1-ybar)*math.Log(1-ybar))
	f.gradient()
	return f, nil
}

// ErrConstant: a feature (or every feature) is constant where a varying
// one is needed.
var ErrConstant = errors.New("learn: constant feature")

// gradient sets grad_j = (1/n) Σᵢ x_ij (yᵢ − pᵢ) for every kept column at
// the current η, the negative gradient of the mean log-loss.
func (f *logitProblem) gradient() {
	n := f.n
	res := f.r // reuse as scratch: yᵢ − pᵢ
	for i, e := range f.eta {
		res[i] = f.y[i] - lrSigmoid(e)
	}
	inv := 1 / float64(n)
	for c := range f.cols {
		f.grad[c] = lrDot(f.x[c*n:(c+1)*n], res) * inv
	}
}

// lambdaMax is the smallest λ at which every coefficient is zero:
// max_j |grad_j| at the intercept-only model, over max(α, 0.001).
func (f *logitProblem) lambdaMax() float64 {
	m := 0.0
	for _, g := range f.grad {
		m = max(m, math.Abs(g))
	}
	return m / max(f.alpha, 1e-3)
}

// solvePath fits every λ in turn, warm-started, and calls visit with the
// standardised-scale solution and the deviance after each. With early, it
// stops by glmnet's deviance rules.
func (f *logitProblem) solvePath(lams []float64, early bool, visit func(k int, b0 float64, beta []float64, dev float64)) error {
	prev := f.lambdaMax()
	prevRatio := 0.0
	for k, lam := range lams {
		// Strong rule: keep ever-active features and those whose gradient
		// at the previous solution is large.
		cut := f.alpha * (2*lam - prev)
		if f.alpha == 0 {
			cut = -1
		}
		for c, g := range f.grad {
			if !f.inStrong[c] && (math.Abs(g) >= cut || f.beta[c] != 0) {
				f.inStrong[c] = true
				f.strong = append(f.strong, c)
			}
		}
		for {
			if err := f.solve(lam); err != nil {
				if early && k > 0 && errors.Is(err, ErrNoConvergence) {
					// glmnet's behaviour: keep the path up to the
					// previous λ and stop.
					f.truncated = true
					return nil
				}
				return fmt.Errorf("λ = %.6g (%d of %d): %w", lam, k+1, len(lams), err)
			}
			f.gradient()
			added := false
			bound := lam * f.alpha
			for c, g := range f.grad {
				if !f.inStrong[c] && math.Abs(g) > bound {
					f.inStrong[c] = true
					f.strong = append(f.strong, c)
					added = true
				}
			}
			if !added {
				break
			}
		}
		dev := f.deviance()
		visit(k, f.b0, f.beta, dev)
		prev = lam
		if early && k+1 >= pathMinLambda {
			ratio := 1 - dev/f.nullDev
			if ratio > pathDevMax || ratio-prevRatio < pathDevTol*ratio {
				break
			}
			prevRatio = ratio
		} else {
			prevRatio = 1 - dev/f.nullDev
		}
	}
	return nil
}

// objective is the penalised mean log-loss at the current solution.
func (f *logitProblem) objective(lam float64) float64 {
	s := 0.0
	for i, e := range f.eta {
		s += lrSoftplus(e) - f.y[i]*e
	}
	l1, l2 := 0.0, 0.0
	for _, c := range f.strong {
		b := f.beta[c]
		l1 += math.Abs(b)
		l2 += b * b
	}
	return s/float64(f.n) + lam*(f.alpha*l1+(1-f.alpha)/2*l2)
}

func (f *logitProblem) deviance() float64 {
	s := 0.0
	for i, e := range f.eta {
		s += lrSoftplus(e) - f.y[i]*e
	}
	return 2 * s
}

// solve minimises the penalised objective at lam over the strong set by
// IRLS with coordinate descent, starting from the current solution.
func (f *logitProblem) solve(lam float64) error {
	n := f.n
	inv := 1 / float64(n)
	obj := f.objective(lam)
	for outer := 0; ; outer++ {
		// Quadratic approximation at the current η.
		sw := 0.0
		for i, e := range f.eta {
			pr := lrSigmoid(e)
			p := min(max(pr, pathPMin), 1-pathPMin)
			w := p * (1 - p)
			f.w[i] = w
			f.r[i] = f.y[i] - pr
			sw += w
		}
		sw *= inv
		for _, c := range f.strong {
			col := f.x[c*n : (c+1)*n]
			s := 0.0
			for i, x := range col {
				s += f.w[i] * x * x
			}
			f.v[c] = s * inv
		}
		for _, c := range f.strong {
			f.oldBeta[c] = f.beta[c]
		}
		oldB0 := f.b0
		copy(f.oldEta, f.eta)

		// Coordinate descent on the quadratic: sweeps over all of the
		// strong set, and between them over its non-zero part until it
		// settles. When the active sweeps converge slowly (an
		// ill-conditioned quadratic: correlated features, or weights near
		// zero close to separation), the quadratic restricted to the active
		// set and its signs is solved directly (newtonActive).
		newton := true
		for {
			dlx, err := f.sweep(f.strong, lam, sw, true)
			if err != nil {
				return err
			}
			if dlx < f.tol {
				break
			}
			if !f.naive {
				if err := f.covSweeps(lam, sw, &newton); err != nil {
					return err
				}
				continue
			}
			for inner := 1; ; inner++ {
				dlx, err := f.sweep(f.active, lam, sw, false)
				if err != nil {
					return err
				}
				if dlx < f.tol {
					break
				}
				if newton && inner%pathNewtonAfter == 0 && (len(f.active) < f.n || lam*(1-f.alpha) > 0) {
					newton = f.newtonActive(lam, sw)
				}
			}
		}

		// Step halving: the penalised objective must not increase.
		newObj := f.objective(lam)
		for h := 0; newObj > obj+1e-13*math.Abs(obj) && h < 40; h++ {
			for _, c := range f.strong {
				f.beta[c] = (f.beta[c] + f.oldBeta[c]) / 2
			}
			f.b0 = (f.b0 + oldB0) / 2
			for i := range f.eta {
				f.eta[i] = (f.eta[i] + f.oldEta[i]) / 2
			}
			newObj = f.objective(lam)
		}
		// Converged when the IRLS step moved no coefficient by more than
		// the tolerance (on the v-weighted scale of the sweeps).
		d := sw * (f.b0 - oldB0) * (f.b0 - oldB0)
		for _, c := range f.strong {
			e := f.beta[c] - f.oldBeta[c]
			d = max(d, f.v[c]*e*e)
		}
		obj = newObj
		if d/sw < f.tol {
			return nil
		}
		if f.sweeps >= f.maxIter {
			return fmt.Errorf("%w: %d coordinate-descent sweeps (MaxIter)", ErrNoConvergence, f.maxIter)
		}
	}
}

// sweep updates each coefficient of set once, then the intercept, and
// returns max v_j Δβ_j². With rebuild it recomputes the active list (the
// non-zero coefficients of the strong set).
func (f *logitProblem) sweep(set []int, lam, sw float64, rebuild bool) (float64, error) {
	f.sweeps++
	if f.sweeps > f.maxIter {
		return 0, fmt.Errorf("%w: %d coordinate-descent sweeps (MaxIter)", ErrNoConvergence, f.maxIter)
	}
	n := f.n
	inv := 1 / float64(n)
	l1 := lam * f.alpha
	l2 := lam * (1 - f.alpha)
	l1s := l1 * (1 + 1e-10)
	w, r, eta := f.w, f.r, f.eta
	dlx := 0.0
	if rebuild {
		f.active = f.active[:0]
	}
	for _, c := range set {
		col := f.x[c*n : (c+1)*n]
		vj := f.v[c]
		bj := f.beta[c]
		g := lrDot(col, r)*inv + vj*bj
		// Soft-thresholding; a gradient within 10⁻¹⁰ (relative) of the
		// threshold counts as on it, so that exact ties (duplicated
		// columns) leave zeros, not rounding noise.
		nb := softThreshold(g, l1, l1s, vj+l2)
		if d := nb - bj; d != 0 {
			f.beta[c] = nb
			lrUpdateResidual(col, w, r, eta, d)
			dlx = max(dlx, vj*d*d)
		}
		if rebuild && nb != 0 {
			f.active = append(f.active, c)
		}
	}
	if sw > 0 {
		s := 0.0
		for _, v := range r {
			s += v
		}
		d := s * inv / sw
		if d != 0 {
			f.b0 += d
			for i := range r {
				r[i] -= w[i] * d
				eta[i] += d
			}
			dlx = max(dlx, sw*d*d)
		}
	}
	return dlx / sw, nil
}

// newtonActive solves the IRLS quadratic restricted to the intercept and
// the active coefficients with their current signs s,
//
//	min (1/2n) Σᵢ wᵢ(zᵢ − β₀ − x_iAᵀβ_A)² + λα sᵀβ_A + λ(1−α)/2 ‖β_A‖²,
//
// by one Newton step from the current point (the quadratic's Hessian
// [Σw/n, X_Aᵀw/n; X_Aᵀw/n, X_AᵀWX_A/n + λ(1−α)I] by Cholesky), shortened
// to the first coefficient that would change sign, which is set to zero.
// The objective cannot increase along that step; the sweeps that follow
// check the solution (and the signs) by the KKT conditions. It returns
// false when the Hessian is not numerically positive definite. It is tried
// when the active set has fewer columns than there are rows, or whatever
// its size when the ridge part λ(1−α) is positive: the Hessian is then
// positive definite (the penalised block is, and Σw > 0), which spares the
// hundreds of slow Gauss–Seidel sweeps a wide ridge quadratic (p ≥ n, as in
// R-BMode's inner folds) otherwise takes to meet the tolerance.
func (f *logitProblem) newtonActive(lam, sw float64) bool {
	return f.newtonActiveGram(lam, sw, nil, nil, nil)
}

// newtonActiveGram is newtonActive with, when gram is not nil, the
// weighted Gram matrix of the columns set (gram, len(set)² row-major, and
// the intercept cross-terms cross, as covSweeps keeps them) instead of
// recomputing the Hessian's blocks from the columns: X_AᵀWX_A/n is then
// read from gram in O(a²) rather than formed in O(a²n).
func (f *logitProblem) newtonActiveGram(lam, sw float64, set []int, gram, cross []float64) bool {
	n := f.n
	A := f.nwSet[:0]
	var at []int // A's positions in set
	if gram != nil {
		at = f.cov.at[:0]
		for ai, c := range set {
			if f.beta[c] != 0 {
				A = append(A, c)
				at = append(at, ai)
			}
		}
		f.cov.at = at
	} else {
		for _, c := range f.active {
			if f.beta[c] != 0 {
				A = append(A, c)
			}
		}
	}
	f.nwSet = A
	m := len(A) + 1
	inv := 1 / float64(n)
	l1, l2 := lam*f.alpha, lam*(1-f.alpha)
	if cap(f.nwH) < m*m {
		f.nwH = make([]float64, m*m)
		f.nwG = make([]float64, m)
	}
	h, g := f.nwH[:m*m], f.nwG[:m]
	clear(h)
	clear(g)
	h[0] = sw
	s := 0.0
	for _, v := range f.r {
		s += v
	}
	g[0] = s * inv
	if gram != nil {
		k := len(set)
		for a, c := range A {
			ai := at[a]
			h[a+1] = cross[ai]
			h[(a+1)*m] = cross[ai]
			b := f.beta[c]
			g[a+1] = lrDot(f.x[c*n:(c+1)*n], f.r)*inv - l1*math.Copysign(1, b) - l2*b
			for b2 := 0; b2 <= a; b2++ {
				v := gram[ai*k+at[b2]]
				h[(a+1)*m+b2+1] = v
				h[(b2+1)*m+a+1] = v
			}
			h[(a+1)*m+a+1] += l2
		}
	} else {
		if cap(f.nwWX) < len(A)*n {
			f.nwWX = make([]float64, len(A)*n)
		}
		wx := f.nwWX[:len(A)*n]
		for a, c := range A {
			col := f.x[c*n : (c+1)*n]
			dst := wx[a*n : (a+1)*n]
			sx := 0.0
			for i, x := range col {
				dst[i] = f.w[i] * x
				sx += dst[i]
			}
			h[a+1] = sx * inv
			h[(a+1)*m] = sx * inv
			b := f.beta[c]
			g[a+1] = lrDot(col, f.r)*inv - l1*math.Copysign(1, b) - l2*b
			for b2 := 0; b2 <= a; b2++ {
				v := lrDot(dst, f.x[A[b2]*n:(A[b2]+1)*n]) * inv
				h[(a+1)*m+b2+1] = v
				h[(b2+1)*m+a+1] = v
			}
			h[(a+1)*m+a+1] += l2
		}
	}
	if !lrCholeskySolve(h, g, m) {
		return false
	}
	// The step length: 1, or the first zero crossing.
	t := 1.0
	for a, c := range A {
		if b, d := f.beta[c], g[a+1]; (b > 0 && b+d <= 0) || (b < 0 && b+d >= 0) {
			t = min(t, -b/d)
		}
	}
	d0 := t * g[0]
	f.b0 += d0
	for i := range f.r {
		f.r[i] -= f.w[i] * d0
		f.eta[i] += d0
	}
	for a, c := range A {
		b, d := f.beta[c], g[a+1]
		nb := b + t*d
		// The coordinates whose crossing is the step's end are set to zero
		// exactly (b + t·d rounds to a tiny value of either sign).
		if ((b > 0 && b+d <= 0) || (b < 0 && b+d >= 0)) && -b/d <= t*(1+1e-12) {
			nb = 0
		}
		if dd := nb - b; dd != 0 {
			f.beta[c] = nb
			lrUpdateResidual(f.x[c*n:(c+1)*n], f.w, f.r, f.eta, dd)
		}
	}
	return true
}

// lrCholeskySolve solves H x = g in place (x returned in g) for a symmetric
// m × m matrix H (row-major, overwritten by its Cholesky factor L, H = LLᵀ).
// It returns false if H is not numerically positive definite.
func lrCholeskySolve(h, g []float64, m int) bool {
	for j := 0; j < m; j++ {
		d := h[j*m+j]
		for k := 0; k < j; k++ {
			d -= h[j*m+k] * h[j*m+k]
		}
		if !(d > 1e-12*math.Max(1, math.Abs(h[j*m+j]))) {
			return false
		}
		d = math.Sqrt(d)
		h[j*m+j] = d
		for i := j + 1; i < m; i++ {
			v := h[i*m+j]
			for k := 0; k < j; k++ {
				v -= h[i*m+k] * h[j*m+k]
			}
			h[i*m+j] = v / d
		}
	}
	for i := 0; i < m; i++ { // L y = g
		v := g[i]
		for k := 0; k < i; k++ {
			v -= h[i*m+k] * g[k]
		}
		g[i] = v / h[i*m+i]
	}
	for i := m - 1; i >= 0; i-- { // Lᵀ x = y
		v := g[i]
		for k := i + 1; k < m; k++ {
			v -= h[k*m+i] * g[k]
		}
		g[i] = v / h[i*m+i]
	}
	return true
}

// lrUpdateResidual applies a change d of one coefficient: r −= w·x·d,
// η += x·d.
func lrUpdateResidual(x, w, r, eta []float64, d float64) {
	r = r[:len(x)]
	w = w[:len(x)]
	eta = eta[:len(x)]
	for i, xi := range x {
		t := xi * d
		r[i] -= w[i] * t
		eta[i] += t
	}
}

// originalScale maps a solution of the fit (on columns centred and divided
// by d_j = σ_j, or by 1 without standardisation) to the original scale:
// β_j = β*_j/d_j, β₀ = β*₀ − Σ_j β_j μ_j.
func (f *logitProblem) originalScale(b0 float64, beta []float64) (float64, []float64) {
	orig := make([]float64, f.p)
	for c, j := range f.cols {
		if beta[c] != 0 {
			orig[j] = beta[c] / f.div[j]
			b0 -= orig[j] * f.mean[j]
		}
	}
	return b0, orig
}

// standardScale maps a solution of the fit to the standardised scale, per
// input column: β_j σ_j = β*_j σ_j/d_j, the change in log-odds per SD
// (the fit's own coefficients when it standardised).
func (f *logitProblem) standardScale(beta []float64) []float64 {
	std := make([]float64, f.p)
	for c, j := range f.cols {
		if f.div[j] == f.scale[j] {
			std[j] = beta[c]
		} else {
			std[j] = beta[c] / f.div[j] * f.scale[j]
		}
	}
	return std
}

// dotN is Σ a_i b_i over len(a), unrolled by four.
func lrDot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// sigmoid is the logistic function 1/(1 + e^−x).
func lrSigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// softplus is log(1 + e^x), computed without overflow.
func lrSoftplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// softThreshold is the coordinate update of the elastic net, S(g, λ₁)/(v + λ₂)
// with S the soft-thresholding operator (Friedman, Hastie & Tibshirani 2010,
// eq. 5): 0 when |g| ≤ l1s (the threshold l1, widened by a relative 10⁻¹⁰ so
// that exact ties leave zeros), else (g ∓ l1)/denom.
func softThreshold(g, l1, l1s, denom float64) float64 {
	switch {
	case g > l1s:
		return (g - l1) / denom
	case g < -l1s:
		return (g + l1) / denom
	}
	return 0
}
