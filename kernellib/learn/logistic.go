package learn

import (
	"fmt"
	"math"
)

// Penalty is the penalty of a logistic regression, on the scale of the mean
// log-loss (glmnet's): λ[α‖β‖₁ + (1−α)/2 ‖β‖₂²] with α = 1 (L1, the lasso;
// Tibshirani 1996), α = 0 (L2, ridge; le Cessie & van Houwelingen 1992) or
// α in (0, 1) (ElasticNet; Zou & Hastie 2005). The zero value is L1.
type Penalty int

const (
	L1 Penalty = iota
	L2
	ElasticNet
)

func (p Penalty) String() string {
	switch p {
	case L1:
		return "l1"
	case L2:
		return "l2"
	case ElasticNet:
		return "elasticnet"
	}
	return fmt.Sprintf("Penalty(%d)", int(p))
}

// alpha is the elastic-net mixing α of the penalty.
func (p Penalty) alpha(l1Ratio float64) (float64, error) {
	switch p {
	case L1:
		return 1, nil
	case L2:
		return 0, nil
	case ElasticNet:
		if !(l1Ratio > 0 && l1Ratio < 1) {
			return 0, fmt.Errorf("%w: L1Ratio = %v, want a value in (0, 1) for the elastic net", ErrParameter, l1Ratio)
		}
		return l1Ratio, nil
	}
	return 0, fmt.Errorf("%w: unknown penalty %d", ErrParameter, int(p))
}

// Logistic is penalised logistic regression at one fixed penalty, given
// either as λ on the mean-loss scale (glmnet's lambda) or as scikit-learn's
// C, the inverse penalty on the summed loss: scikit-learn minimises
// C·Σᵢ logloss + ‖β‖₁ (L1), ‖β‖₂²/2 (L2) or ρ‖β‖₁ + (1−ρ)/2‖β‖₂²
// (elastic net), which divided by n·C is the objective of LogisticPath with
// λ = 1/(n·C) and α = ρ = L1Ratio.
//
// The fit is that of LogisticPath (standardised features, glmnet's
// coordinate descent, unpenalised intercept) run along a short warm-start
// path from λ_max down to λ, ten values per decade, as glmnet advises for a
// single λ. Constant columns get zero coefficients (LogisticModel.Constant).
type Logistic struct {
	Penalty Penalty
	// L1Ratio is the elastic-net mixing α in (0, 1); ElasticNet only.
	L1Ratio float64
	// Lambda is λ > 0; C is scikit-learn's C > 0. Exactly one is set.
	Lambda float64
	C      float64
	// Tol, MaxIter and NoStandardize as LogisticPath's.
	Tol           float64
	MaxIter       int
	NoStandardize bool
}

// LogisticModel is a fitted logistic regression,
// P(case | x) = 1/(1 + exp(−(Intercept + Σ_j Coef_j x_j))).
type LogisticModel struct {
	Penalty Penalty
	// Alpha is the elastic-net mixing α; Lambda the penalty λ of the fit.
	Alpha, Lambda float64
	// Intercept and Coef are on the original scale of the features.
	Intercept float64
	Coef      []float64
	// StdIntercept and StdCoef are on the standardised scale: the change
	// in log-odds per standard deviation of each feature.
	StdIntercept float64
	StdCoef      []float64
	// Mean and Scale standardised the training features; Constant lists
	// the constant columns (zero coefficient).
	Mean, Scale []float64
	Constant    []int
	// Deviance is −2 × the training log-likelihood; NullDeviance that of
	// the intercept-only model.
	Deviance, NullDeviance float64
	// CV is the cross-validation that chose λ (LogisticCV), nil otherwise.
	CV *LambdaCV
}

// Fit fits the model; it returns a *LogisticModel.
func (l Logistic) Fit(X [][]float64, y []bool) (Model, error) {
	return l.FitLogistic(X, y)
}

// FitLogistic is Fit with the concrete result type.
func (l Logistic) FitLogistic(X [][]float64, y []bool) (*LogisticModel, error) {
	if _, err := CheckXY(X, y, false); err != nil {
		return nil, err
	}
	alpha, err := l.Penalty.alpha(l.L1Ratio)
	if err != nil {
		return nil, err
	}
	lam, err := LambdaFromC(l.Lambda, l.C, len(X))
	if err != nil {
		return nil, err
	}
	tol, maxIter, err := checkPathSolver(l.Tol, l.MaxIter)
	if err != nil {
		return nil, err
	}
	rows := make([]int, len(X))
	for i := range rows {
		rows[i] = i
	}
	prob, err := newLogitProblem(X, y, rows, alpha, tol, maxIter, !l.NoStandardize)
	if err != nil {
		return nil, err
	}
	lams := []float64{lam}
	if hi := prob.lambdaMax(); hi > lam {
		steps := int(math.Ceil(10 * math.Log10(hi/lam)))
		lams = lrLogSpaced(hi, lam/hi, steps+1)
		lams[len(lams)-1] = lam
	}
	m := &LogisticModel{Penalty: l.Penalty, Alpha: alpha, Lambda: lam, Mean: prob.mean, Scale: prob.scale,
		Constant: prob.constant, NullDeviance: prob.nullDev}
	err = prob.solvePath(lams, false, func(k int, b0 float64, beta []float64, dev float64) {
		if k == len(lams)-1 {
			m.setSolution(prob, b0, beta, dev)
		}
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// setSolution stores a standardised-scale solution of prob.
func (m *LogisticModel) setSolution(prob *logitProblem, b0 float64, beta []float64, dev float64) {
	m.StdIntercept = b0
	m.StdCoef = prob.standardScale(beta)
	m.Intercept, m.Coef = prob.originalScale(b0, beta)
	m.Deviance = dev
}

// LambdaFromC returns λ from exactly one of lambda (returned as is) and
// scikit-learn's C, λ = 1/(n·C), for n training rows.
func LambdaFromC(lambda, c float64, n int) (float64, error) {
	switch {
	case lambda != 0 && c != 0:
		return 0, fmt.Errorf("%w: both Lambda (%v) and C (%v) set, want one", ErrParameter, lambda, c)
	case lambda != 0:
		if !(lambda > 0) || math.IsInf(lambda, 0) {
			return 0, fmt.Errorf("%w: Lambda = %v, want a positive finite value", ErrParameter, lambda)
		}
		return lambda, nil
	case c != 0:
		if !(c > 0) || math.IsInf(c, 0) {
			return 0, fmt.Errorf("%w: C = %v, want a positive finite value", ErrParameter, c)
		}
		return 1 / (float64(n) * c), nil
	}
	return 0, fmt.Errorf("%w: neither Lambda nor C set", ErrParameter)
}

// PredictProba returns P(case | x) for every row of X.
func (m *LogisticModel) PredictProba(X [][]float64) ([]float64, error) {
	eta, err := m.LinearPredictor(X)
	if err != nil {
		return nil, err
	}
	for i, e := range eta {
		eta[i] = lrSigmoid(e)
	}
	return eta, nil
}

// LinearPredictor returns the log-odds η = Intercept + Σ_j Coef_j x_j of
// every row of X: the radiomics score (rad-score) of a radiomics signature.
func (m *LogisticModel) LinearPredictor(X [][]float64) ([]float64, error) {
	p, err := CheckX(X, false)
	if err != nil {
		return nil, err
	}
	if p != len(m.Coef) {
		return nil, fmt.Errorf("%w: %d columns, the model was fitted on %d", ErrShape, p, len(m.Coef))
	}
	out := make([]float64, len(X))
	for i, row := range X {
		e := m.Intercept
		for j, b := range m.Coef {
			if b != 0 {
				e += b * row[j]
			}
		}
		out[i] = e
	}
	return out, nil
}

// Coefficients returns the intercept and coefficients of the linear
// predictor on the original scale.
func (m *LogisticModel) Coefficients() (float64, []float64) {
	return m.Intercept, append([]float64(nil), m.Coef...)
}

// SelectedFeatures returns the columns with a non-zero coefficient, in
// increasing order.
func (m *LogisticModel) SelectedFeatures() []int {
	var s []int
	for j, b := range m.Coef {
		if b != 0 {
			s = append(s, j)
		}
	}
	return s
}

// LogisticObjective is the penalised objective of LogisticPath at a given
// solution, on X as given (no standardisation):
//
//	(1/n) Σᵢ [log(1 + e^ηᵢ) − yᵢ ηᵢ] + λ [α‖β‖₁ + (1−α)/2 ‖β‖₂²],  ηᵢ = β₀ + xᵢᵀβ.
//
// scikit-learn's objective C·Σ logloss + penalty equals n·C times this
// with λ = 1/(n·C).
func LogisticObjective(X [][]float64, y []bool, intercept float64, coef []float64, lambda, alpha float64) (float64, error) {
	p, err := CheckXY(X, y, false)
	if err != nil {
		return 0, err
	}
	if p != len(coef) {
		return 0, fmt.Errorf("%w: %d columns but %d coefficients", ErrShape, p, len(coef))
	}
	if !(lambda >= 0) || !(alpha >= 0 && alpha <= 1) {
		return 0, fmt.Errorf("%w: λ = %v, α = %v: want λ ≥ 0 and α in [0, 1]", ErrParameter, lambda, alpha)
	}
	s := 0.0
	for i, row := range X {
		e := intercept + lrDot(coef, row)
		t := 0.0
		if y[i] {
			t = 1
		}
		s += lrSoftplus(e) - t*e
	}
	l1, l2 := 0.0, 0.0
	for _, b := range coef {
		l1 += math.Abs(b)
		l2 += b * b
	}
	return s/float64(len(X)) + lambda*(alpha*l1+(1-alpha)/2*l2), nil
}
