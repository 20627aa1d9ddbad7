package learn

import (
	"fmt"
	"math"
)

// Rule picks λ from a cross-validation curve.
type Rule int

const (
	// MinRule takes the λ with the best mean CV criterion (glmnet's
	// lambda.min).
	MinRule Rule = iota
	// OneSERule takes the largest λ whose mean criterion is within one
	// standard error of the best (glmnet's lambda.1se; Breiman et al.,
	// Classification and Regression Trees, 1984, §3.4.3; Hastie, Tibshirani
	// & Friedman, Elements of Statistical Learning, §7.10): the sparsest
	// model not clearly worse than the best.
	OneSERule
)

func (r Rule) String() string {
	switch r {
	case MinRule:
		return "min"
	case OneSERule:
		return "1se"
	}
	return fmt.Sprintf("Rule(%d)", int(r))
}

// Criterion is the measure a cross-validation scores test folds with.
type Criterion int

const (
	// Deviance is the mean binomial deviance of the test rows,
	// −2[y log p + (1−y) log(1−p)] with p clamped to [10⁻⁵, 1−10⁻⁵]
	// (cv.glmnet's type.measure = "deviance"); lower is better.
	Deviance Criterion = iota
	// AUCCriterion is the AUC of the test rows (Mann–Whitney; mw.AUC);
	// higher is better.
	AUCCriterion
)

func (c Criterion) String() string {
	switch c {
	case Deviance:
		return "deviance"
	case AUCCriterion:
		return "auc"
	}
	return fmt.Sprintf("Criterion(%d)", int(c))
}

// LogisticCV is penalised logistic regression with λ chosen by stratified
// K-fold cross-validation over the path, as cv.glmnet (Friedman, Hastie &
// Tibshirani, J Stat Softw 33:1, 2010, §3.4): the path is fitted on all
// rows, giving the λ sequence; for each fold the path is refitted at the
// same λ values on the training rows only (standardisation included) and
// the test rows scored; the criterion's mean over folds, weighted by fold
// size, is
//
//	cvm(λ) = Σ_f N_f e_f(λ) / N,   cvsd(λ) = √(Σ_f N_f (e_f(λ) − cvm(λ))² / N / (K − 1)),
//
// and the Rule picks λ. When a fold's path stops early (glmnet's deviance
// rules), its remaining λ values take the predictions at its last λ, as
// cv.glmnet. The model returned is the full-data path at the chosen λ, with
// the cross-validation in LogisticModel.CV.
type LogisticCV struct {
	// Penalty, L1Ratio, NLambda, LambdaMinRatio, Lambdas, Tol, MaxIter and
	// NoStandardize are those of LogisticPath.
	Penalty        Penalty
	L1Ratio        float64
	NLambda        int
	LambdaMinRatio float64
	Lambdas        []float64
	Tol            float64
	MaxIter        int
	NoStandardize  bool
	// Folds is K (0: 10).
	Folds int
	// Rule picks λ (MinRule or OneSERule); Criterion scores the folds.
	Rule      Rule
	Criterion Criterion
	// Seed fixes the folds.
	Seed uint64
	// Workers bounds the folds fitted at once (0: GOMAXPROCS); the result
	// does not depend on it.
	Workers int
}

// LambdaCV is the cross-validation curve of a LogisticCV fit. Index k
// refers to Lambda[k].
type LambdaCV struct {
	Criterion Criterion
	Rule      Rule
	Folds     []Fold
	Lambda    []float64
	// Mean and SE are cvm and cvsd above; PerFold[f][k] is fold f's
	// criterion at Lambda[k].
	Mean, SE []float64
	PerFold  [][]float64
	// DF is the number of non-zero coefficients of the full-data fit.
	DF []int
	// IndexMin and Index1SE are the indices of the min and 1-SE rules;
	// Index is the one Rule chose.
	IndexMin, Index1SE, Index int
	LambdaMin, Lambda1SE      float64
}

// Fit runs the cross-validation and returns the *LogisticModel at the
// chosen λ.
func (c LogisticCV) Fit(X [][]float64, y []bool) (Model, error) {
	m, _, err := c.FitPath(X, y)
	return m, err
}

// FitPath is Fit that also returns the full-data path.
func (c LogisticCV) FitPath(X [][]float64, y []bool) (*LogisticModel, *Path, error) {
	if _, err := CheckXY(X, y, false); err != nil {
		return nil, nil, err
	}
	k := c.Folds
	if k == 0 {
		k = 10
	}
	folds, err := StratifiedKFold(y, k, c.Seed)
	if err != nil {
		return nil, nil, err
	}
	return c.fitFolds(X, y, folds)
}

func (c LogisticCV) pathEstimator() LogisticPath {
	return LogisticPath{Penalty: c.Penalty, L1Ratio: c.L1Ratio, NLambda: c.NLambda,
		LambdaMinRatio: c.LambdaMinRatio, Lambdas: c.Lambdas, Tol: c.Tol, MaxIter: c.MaxIter, NoStandardize: c.NoStandardize}
}

// fitFolds is FitPath on given folds.
func (c LogisticCV) fitFolds(X [][]float64, y []bool, folds []Fold) (*LogisticModel, *Path, error) {
	if c.Rule != MinRule && c.Rule != OneSERule {
		return nil, nil, fmt.Errorf("%w: unknown rule %d", ErrParameter, int(c.Rule))
	}
	if c.Criterion != Deviance && c.Criterion != AUCCriterion {
		return nil, nil, fmt.Errorf("%w: unknown criterion %d", ErrParameter, int(c.Criterion))
	}
	if err := checkFolds(folds, len(X)); err != nil {
		return nil, nil, err
	}
	lp := c.pathEstimator()
	path, err := lp.Fit(X, y)
	if err != nil {
		return nil, nil, err
	}
	tol, maxIter, _ := checkPathSolver(c.Tol, c.MaxIter)
	early := len(c.Lambdas) == 0
	nl := len(path.Lambda)
	perFold := make([][]float64, len(folds))
	err = cvParallel(len(folds), c.Workers, func(f int) error {
		e, err := foldCurve(X, y, folds[f], path.Lambda, path.Alpha, tol, maxIter, early, !c.NoStandardize, c.Criterion)
		if err != nil {
			return fmt.Errorf("fold %d: %w", f+1, err)
		}
		perFold[f] = e
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	cv := &LambdaCV{Criterion: c.Criterion, Rule: c.Rule, Folds: folds, Lambda: path.Lambda,
		PerFold: perFold, DF: path.DF, Mean: make([]float64, nl), SE: make([]float64, nl)}
	N := float64(len(X))
	K := float64(len(folds))
	for k := 0; k < nl; k++ {
		m := 0.0
		for f, e := range perFold {
			m += float64(len(folds[f].Test)) * e[k]
		}
		m /= N
		s := 0.0
		for f, e := range perFold {
			d := e[k] - m
			s += float64(len(folds[f].Test)) * d * d
		}
		cv.Mean[k] = m
		cv.SE[k] = math.Sqrt(s / N / (K - 1))
	}
	better := func(a, b float64) bool { return a < b }
	if c.Criterion == AUCCriterion {
		better = func(a, b float64) bool { return a > b }
	}
	best := 0
	for k := 1; k < nl; k++ {
		if better(cv.Mean[k], cv.Mean[best]) {
			best = k
		}
	}
	cv.IndexMin = best
	// 1-SE: the largest λ (smallest index) within one SE of the best.
	bound := cv.Mean[best] + cv.SE[best]
	if c.Criterion == AUCCriterion {
		bound = cv.Mean[best] - cv.SE[best]
	}
	for k := 0; k <= best; k++ {
		if (c.Criterion == Deviance && cv.Mean[k] <= bound) || (c.Criterion == AUCCriterion && cv.Mean[k] >= bound) {
			cv.Index1SE = k
			break
		}
	}
	cv.LambdaMin, cv.Lambda1SE = path.Lambda[cv.IndexMin], path.Lambda[cv.Index1SE]
	cv.Index = cv.IndexMin
	if c.Rule == OneSERule {
		cv.Index = cv.Index1SE
	}
	m, err := path.Model(cv.Index)
	if err != nil {
		return nil, nil, err
	}
	m.CV = cv
	return m, path, nil
}

// foldCurve fits the path on the fold's training rows at the given λ
// values and returns the criterion of its test rows at each.
func foldCurve(X [][]float64, y []bool, fo Fold, lams []float64, alpha, tol float64, maxIter int, early, standardize bool, crit Criterion) ([]float64, error) {
	yt := make([]bool, len(fo.Train))
	for k, i := range fo.Train {
		yt[k] = y[i]
	}
	if err := cvCheckBothClasses(yt); err != nil {
		return nil, fmt.Errorf("training rows: %w", err)
	}
	yv := make([]bool, len(fo.Test))
	for k, i := range fo.Test {
		yv[k] = y[i]
	}
	if crit == AUCCriterion {
		if err := cvCheckBothClasses(yv); err != nil {
			return nil, fmt.Errorf("test rows: %w", err)
		}
	}
	prob, err := newLogitProblem(X, y, fo.Train, alpha, tol, maxIter, standardize)
	if err != nil {
		return nil, err
	}
	// The test rows, standardised with the training means and SDs,
	// column-major over the kept columns.
	nt := len(fo.Test)
	xt := make([]float64, len(prob.cols)*nt)
	for c, j := range prob.cols {
		mu, sd := prob.mean[j], prob.div[j]
		for k, i := range fo.Test {
			xt[c*nt+k] = (X[i][j] - mu) / sd
		}
	}
	out := make([]float64, len(lams))
	eta := make([]float64, nt)
	pr := make([]float64, nt)
	last := -1
	err = prob.solvePath(lams, early, func(k int, b0 float64, beta []float64, dev float64) {
		for i := range eta {
			eta[i] = b0
		}
		for c, b := range beta {
			if b != 0 {
				col := xt[c*nt : (c+1)*nt]
				for i, x := range col {
					eta[i] += b * x
				}
			}
		}
		for i, e := range eta {
			pr[i] = lrSigmoid(e)
		}
		out[k] = foldCriterion(pr, yv, crit)
		last = k
	})
	if err != nil {
		return nil, err
	}
	for k := last + 1; k < len(lams); k++ {
		out[k] = out[last]
	}
	return out, nil
}

// foldCriterion scores one test fold.
func foldCriterion(p []float64, y []bool, crit Criterion) float64 {
	if crit == AUCCriterion {
		a, err := foldAUC(p, y)
		if err != nil {
			return math.NaN()
		}
		return a
	}
	return BinomialDeviance(p, y)
}

// Model returns the fitted model at index k of the path.
func (p *Path) Model(k int) (*LogisticModel, error) {
	if k < 0 || k >= len(p.Lambda) {
		return nil, fmt.Errorf("%w: index %d of a path of %d λ values", ErrParameter, k, len(p.Lambda))
	}
	return &LogisticModel{Penalty: p.Penalty, Alpha: p.Alpha, Lambda: p.Lambda[k],
		Intercept: p.Intercept[k], Coef: append([]float64(nil), p.Coef[k]...),
		StdIntercept: p.StdIntercept[k], StdCoef: append([]float64(nil), p.StdCoef[k]...),
		Mean: p.Mean, Scale: p.Scale, Constant: p.Constant,
		Deviance: p.Deviance[k], NullDeviance: p.NullDeviance}, nil
}
