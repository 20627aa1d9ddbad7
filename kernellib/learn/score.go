package learn

import (
	"fmt"
	"math"
)

// FeatureSelector is a fitted model that reports which input columns it
// uses: the non-zero coefficients of a sparse logistic regression, the
// columns a pipeline's selection kept. CrossValidate collects them per fold.
type FeatureSelector interface {
	SelectedFeatures() []int
}

// LinearModel is a fitted model whose probability is a function of a
// linear predictor η = b₀ + Σ_j b_j x_j of its input columns.
type LinearModel interface {
	Model
	// LinearPredictor returns η for every row.
	LinearPredictor(X [][]float64) ([]float64, error)
	// Coefficients returns b₀ and b on the scale of the model's input.
	Coefficients() (intercept float64, coef []float64)
}

// RadiomicsScore returns the radiomics score (rad-score) of every row: the
// linear predictor of a fitted linear model, e.g. a LASSO-logistic
// signature's β₀ + Σ_j β_j x_j (the log-odds of response), through a
// PipelineModel's steps when m is one. It is an error (ErrParameter) if m
// has no LinearPredictor method.
func RadiomicsScore(m Model, X [][]float64) ([]float64, error) {
	lm, ok := m.(interface {
		LinearPredictor(X [][]float64) ([]float64, error)
	})
	if !ok {
		return nil, fmt.Errorf("%w: a %T has no linear predictor", ErrParameter, m)
	}
	return lm.LinearPredictor(X)
}

// NamedCoef is one coefficient of a fitted linear model with its feature.
type NamedCoef struct {
	Feature string
	// Column is the input column of the feature.
	Column int
	// Coef is on the scale of the model's input; StdCoef per standard
	// deviation of the feature in the training rows (NaN when unknown).
	Coef, StdCoef float64
}

// BinomialDeviance is the mean binomial deviance of probabilities p for
// outcomes y, (1/n) Σᵢ −2[yᵢ log pᵢ + (1−yᵢ) log(1−pᵢ)], with p clamped to
// [10⁻⁵, 1−10⁻⁵] as cv.glmnet does (so that one confident error costs at
// most 23). It is twice the mean log-loss of unclamped p in (10⁻⁵, 1−10⁻⁵).
func BinomialDeviance(p []float64, y []bool) float64 {
	const lo = 1e-5
	s := 0.0
	for i, v := range p {
		v = min(max(v, lo), 1-lo)
		if y[i] {
			s -= math.Log(v)
		} else {
			s -= math.Log(1 - v)
		}
	}
	return 2 * s / float64(len(p))
}

// LogLoss is the mean negative log-likelihood −(1/n) Σᵢ [yᵢ log pᵢ +
// (1−yᵢ) log(1−pᵢ)] (scikit-learn's log_loss, which clips p to
// [ε, 1−ε] with ε the float64 machine epsilon; so does this).
func LogLoss(p []float64, y []bool) (float64, error) {
	if len(p) != len(y) || len(p) == 0 {
		return 0, fmt.Errorf("%w: %d probabilities for %d outcomes", ErrShape, len(p), len(y))
	}
	const eps = 0x1p-52
	s := 0.0
	for i, v := range p {
		if !(v >= 0 && v <= 1) {
			return 0, fmt.Errorf("%w: probability %d is %v, want a value in [0, 1]", ErrNotFinite, i, v)
		}
		v = min(max(v, eps), 1-eps)
		if y[i] {
			s -= math.Log(v)
		} else {
			s -= math.Log(1 - v)
		}
	}
	return s / float64(len(p)), nil
}

// AUC is the area under the ROC curve of probabilities p for outcomes y,
// cases expected higher: the Mann–Whitney statistic (mw.AUC) (Hanley &
// McNeil 1982). Both classes must be present (ErrOneClass).
func AUC(p []float64, y []bool) (float64, error) {
	if len(p) != len(y) {
		return 0, fmt.Errorf("%w: %d scores for %d outcomes", ErrShape, len(p), len(y))
	}
	return foldAUC(p, y)
}
