package learn

import (
	"fmt"
	"math"
)

// SVM is the soft-margin support vector classifier (C-SVC; Cortes &
// Vapnik 1995) with a linear or RBF kernel, trained on the dual
//
//	min_α ½ Σ_ij α_i α_j y_i y_j K(x_i, x_j) − Σ_i α_i,  Σ_i y_i α_i = 0,  0 ≤ α_i ≤ C,
//
// (y_i = +1 for a case, −1 otherwise) by SMO with the second-order
// working-set selection of Fan, Chen & Lin (2005), as LIBSVM and
// scikit-learn's SVC do. The decision function is f(x) = Σ_i y_i α_i K(x_i,
// x) + b; f > 0 favours a case.
//
// Probabilities are Platt-scaled (Platt 1999; Lin, Lin & Weng 2007):
// P(case | x) = 1 / (1 + exp(A·f(x) + B)), with (A, B) fitted to
// decision values from an internal, seeded, stratified PlattFolds-fold
// cross-validation, as LIBSVM's -b 1 (and SVC(probability=True)) does with
// 5 random folds. The fitted SVM costs PlattFolds + 1 SMO solves.
//
// The solver keeps up to 128 MB of kernel rows (least recently used
// evicted) and does not shrink the working set (LIBSVM's shrinking
// heuristic saves time, it does not change the solution).
//
// The inputs are used as given: an SVM is not scale-invariant, and
// standardising the features (inside each training fold) is the pipeline's
// job.
type SVM struct {
	// Kernel is Linear (the zero value) or RBF.
	Kernel Kernel
	// C is the box constraint (cost of margin violations); C > 0.
	C float64
	// Gamma is γ of the RBF kernel; 0 means scikit-learn's "scale",
	// 1/(p·var(X)) (see ScaleGamma). Ignored by the linear kernel.
	Gamma float64
	// Tol is the stopping tolerance on the maximal KKT violation
	// (LIBSVM -e); 0 means 1e-3, LIBSVM's and scikit-learn's default.
	Tol float64
	// MaxIter bounds the SMO iterations; 0 means max(10⁷, 100·n), LIBSVM's
	// bound. Reaching it is an error (wrapping ErrParameter).
	MaxIter int
	// PlattFolds is the number of internal cross-validation folds for
	// Platt scaling; 0 means 5 (LIBSVM's); otherwise at least 2.
	PlattFolds int
	// Seed drives the Platt folds, the only random choice.
	Seed uint64
}

// SVMModel is a fitted SVM.
type SVMModel struct {
	// Kernel and Gamma are the kernel used (Gamma resolved from "scale";
	// 0 for the linear kernel), C the box constraint.
	Kernel Kernel
	Gamma  float64
	C      float64
	// Support holds the training-row indices of the support vectors
	// (α_i > 0), ascending; SupportVectors copies of those rows.
	Support        []int
	SupportVectors [][]float64
	// DualCoef holds y_i α_i for each support vector (scikit-learn's
	// dual_coef_, + for cases).
	DualCoef []float64
	// W is the primal weight vector Σ_i y_i α_i x_i (scikit-learn's coef_),
	// for the linear kernel only (nil for RBF).
	W []float64
	// B is the intercept b = −ρ of f(x) = Σ_i y_i α_i K(x_i, x) + b
	// (scikit-learn's intercept_).
	B float64
	// Platt maps decision values to probabilities.
	Platt Platt
	// Iterations is the number of SMO steps of the final fit.
	Iterations int

	p int
}

// Fit trains the SVM and its Platt sigmoid; see FitSVM.
func (s SVM) Fit(X [][]float64, y []bool) (Model, error) {
	return s.FitSVM(X, y)
}

// FitSVM trains the SVM on X (n × p, finite) and y (both classes present)
// by SMO (see SVM), then fits the Platt sigmoid on cross-validated decision
// values. Errors wrap ErrShape, ErrNotFinite, ErrOneClass or ErrParameter
// (C ≤ 0, Gamma < 0, Tol < 0, MaxIter < 0, PlattFolds = 1 or < 0, unknown
// Kernel, or MaxIter reached).
func (s SVM) FitSVM(X [][]float64, y []bool) (*SVMModel, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if _, err := CheckXY(X, y, false); err != nil {
		return nil, err
	}
	gamma := 0.0
	if s.Kernel == RBF {
		gamma = s.Gamma
		if gamma == 0 {
			var err error
			if gamma, err = ScaleGamma(X); err != nil {
				return nil, err
			}
		}
	}
	all := make([]int, len(X))
	for i := range all {
		all[i] = i
	}
	k := s.PlattFolds
	if k == 0 {
		k = 5
	}
	// The full fit runs beside the Platt folds' fits.
	var m *SVMModel
	var errFull error
	done := make(chan struct{})
	go func() {
		defer close(done)
		m, errFull = s.solve(X, y, all, gamma)
	}()
	dec, err := plattDecisions(s, gamma, X, y, stratifiedFoldsSVM(y, k, s.Seed), k)
	<-done
	if errFull != nil {
		return nil, errFull
	}
	if err != nil {
		return nil, err
	}
	if m.Platt, err = FitPlatt(dec, y); err != nil {
		return nil, err
	}
	return m, nil
}

func (s SVM) check() error {
	switch {
	case s.Kernel != Linear && s.Kernel != RBF:
		return fmt.Errorf("%w: SVM Kernel = %d, want Linear or RBF", ErrParameter, int(s.Kernel))
	case !(s.C > 0) || math.IsInf(s.C, 0):
		return fmt.Errorf("%w: SVM C = %v, want a finite C > 0", ErrParameter, s.C)
	case !(s.Gamma >= 0) || math.IsInf(s.Gamma, 0):
		return fmt.Errorf("%w: SVM Gamma = %v, want a finite Gamma ≥ 0 (0 = scale)", ErrParameter, s.Gamma)
	case !(s.Tol >= 0) || math.IsInf(s.Tol, 0):
		return fmt.Errorf("%w: SVM Tol = %v, want a finite Tol ≥ 0 (0 = 1e-3)", ErrParameter, s.Tol)
	case s.MaxIter < 0:
		return fmt.Errorf("%w: SVM MaxIter = %d, want ≥ 0 (0 = LIBSVM's bound)", ErrParameter, s.MaxIter)
	case s.PlattFolds < 0 || s.PlattFolds == 1:
		return fmt.Errorf("%w: SVM PlattFolds = %d, want ≥ 2 (0 = 5)", ErrParameter, s.PlattFolds)
	}
	return nil
}

// solve runs SMO on the rows idx of X and returns the model without its
// Platt sigmoid.
func (s SVM) solve(X [][]float64, y []bool, idx []int, gamma float64) (*SVMModel, error) {
	n := len(idx)
	ys := make([]float64, n)
	for i, r := range idx {
		ys[i] = -1
		if y[r] {
			ys[i] = 1
		}
	}
	tol := s.Tol
	if tol == 0 {
		tol = 1e-3
	}
	maxIter := s.MaxIter
	if maxIter == 0 {
		maxIter = max(10_000_000, 100*n)
	}
	res, err := smoSolve(newKernelRows(X, idx, s.Kernel, gamma), ys, s.C, tol, maxIter)
	if err != nil {
		return nil, err
	}
	p := len(X[idx[0]])
	m := &SVMModel{Kernel: s.Kernel, Gamma: gamma, C: s.C, B: -res.rho, Iterations: res.iter, p: p}
	for i, a := range res.alpha {
		if a > 0 {
			m.Support = append(m.Support, idx[i])
			m.SupportVectors = append(m.SupportVectors, append([]float64(nil), X[idx[i]]...))
			m.DualCoef = append(m.DualCoef, ys[i]*a)
		}
	}
	if s.Kernel == Linear {
		m.W = make([]float64, p)
		for k, sv := range m.SupportVectors {
			for j, v := range sv {
				m.W[j] += m.DualCoef[k] * v
			}
		}
	}
	return m, nil
}

// decision evaluates f(x) for one row of the right length.
func (m *SVMModel) decision(x []float64) float64 {
	if m.W != nil {
		return kernelValue(Linear, 0, m.W, x) + m.B
	}
	f := m.B
	for k, sv := range m.SupportVectors {
		f += m.DualCoef[k] * kernelValue(m.Kernel, m.Gamma, sv, x)
	}
	return f
}

func (m *SVMModel) checkRows(X [][]float64) error {
	p, err := CheckX(X, false)
	if err != nil {
		return err
	}
	if p != m.p {
		return fmt.Errorf("%w: X has %d columns, the SVM was fitted on %d", ErrShape, p, m.p)
	}
	return nil
}

// DecisionFunction returns f(x) = Σ_i y_i α_i K(x_i, x) + b for every row of
// X (w·x + b for the linear kernel); f > 0 favours a case. It matches
// scikit-learn's SVC.decision_function with classes_ = [false, true].
func (m *SVMModel) DecisionFunction(X [][]float64) ([]float64, error) {
	if err := m.checkRows(X); err != nil {
		return nil, err
	}
	out := make([]float64, len(X))
	const chunk = 64
	forEachIndex((len(X)+chunk-1)/chunk, func(c int) {
		for i := c * chunk; i < min(len(X), (c+1)*chunk); i++ {
			out[i] = m.decision(X[i])
		}
	})
	return out, nil
}

// PredictProba returns the Platt-scaled P(case | x) = 1/(1 + exp(A·f(x) +
// B)) for every row of X. As in LIBSVM, P > 0.5 and f > 0 can disagree for
// rows near the boundary, since (A, B) come from cross-validation.
func (m *SVMModel) PredictProba(X [][]float64) ([]float64, error) {
	f, err := m.DecisionFunction(X)
	if err != nil {
		return nil, err
	}
	for i, v := range f {
		f[i] = m.Platt.Prob(v)
	}
	return f, nil
}
