package learn

import (
	"errors"
	"fmt"
	"math"
)

// Estimator is an unfitted model: its exported fields are its
// hyper-parameters. Fit learns from X (n rows × p features) and y (true =
// case) and returns a fitted model, leaving the receiver unchanged.
type Estimator interface {
	Fit(X [][]float64, y []bool) (Model, error)
}

// Model is a fitted classifier.
type Model interface {
	// PredictProba returns P(case | x) for every row of X.
	PredictProba(X [][]float64) ([]float64, error)
}

// Transformer is an unfitted preprocessing step (standardisation,
// imputation, feature selection): Fit learns its parameters from the
// training rows only.
type Transformer interface {
	Fit(X [][]float64, y []bool) (Transform, error)
}

// Transform is a fitted preprocessing step.
type Transform interface {
	// Transform maps rows to new rows (possibly fewer columns).
	Transform(X [][]float64) ([][]float64, error)
	// Columns maps the output columns to the input columns they come
	// from (-1 for a derived column), so that feature names follow the data
	// through a pipeline.
	Columns() []int
}

// Errors wrapped by the input checks.
var (
	// ErrShape: ragged rows, or X and y of different lengths.
	ErrShape = errors.New("learn: shape mismatch")
	// ErrNotFinite: a NaN or ±Inf where none is allowed.
	ErrNotFinite = errors.New("learn: value is not finite")
	// ErrOneClass: y holds one class only (in the data or in a fold).
	ErrOneClass = errors.New("learn: only one class present")
	// ErrTooFew: fewer samples than folds, or than a method needs.
	ErrTooFew = errors.New("learn: too few samples")
	// ErrParameter: a hyper-parameter out of its range.
	ErrParameter = errors.New("learn: invalid parameter")
)

// CheckXY validates a training set: at least one row, rows of equal
// length p ≥ 1, len(y) = len(X), both classes present, and — unless
// allowNaN (for imputation) — every value finite. It returns p.
func CheckXY(X [][]float64, y []bool, allowNaN bool) (int, error) {
	if len(X) != len(y) {
		return 0, fmt.Errorf("%w: %d rows of X but %d labels", ErrShape, len(X), len(y))
	}
	p, err := CheckX(X, allowNaN)
	if err != nil {
		return 0, err
	}
	cases := 0
	for _, v := range y {
		if v {
			cases++
		}
	}
	if cases == 0 || cases == len(y) {
		return 0, fmt.Errorf("%w: %d cases among %d samples", ErrOneClass, cases, len(y))
	}
	return p, nil
}

// CheckX validates a design matrix: at least one row, rows of equal length
// p ≥ 1, and — unless allowNaN — every value finite (±Inf is never
// allowed). It returns p.
func CheckX(X [][]float64, allowNaN bool) (int, error) {
	if len(X) == 0 {
		return 0, fmt.Errorf("%w: no rows", ErrTooFew)
	}
	p := len(X[0])
	if p == 0 {
		return 0, fmt.Errorf("%w: no columns", ErrShape)
	}
	for i, row := range X {
		if len(row) != p {
			return 0, fmt.Errorf("%w: row %d has %d columns, row 0 has %d", ErrShape, i, len(row), p)
		}
		for j, v := range row {
			if math.IsInf(v, 0) || (!allowNaN && math.IsNaN(v)) {
				return 0, fmt.Errorf("%w: X[%d][%d] = %v", ErrNotFinite, i, j, v)
			}
		}
	}
	return p, nil
}
