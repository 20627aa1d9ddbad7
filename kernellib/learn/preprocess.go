package learn

import (
	"fmt"
	"math"
	"slices"
)

// Standardizer centres every column on its mean and divides it by its
// population standard deviation, z = (x − μ)/σ with σ² = (1/n) Σ (x − μ)²
// (scikit-learn's StandardScaler, glmnet's standardize), both learnt from
// the training rows only. Missing values (NaN) are ignored when learning μ
// and σ and stay NaN, so that an Imputer after it fills them on the
// standardised scale (StandardScaler does the same).
//
// A constant column (every observed value equal; σ = 0) cannot be
// standardised: it is dropped and listed in Standardization.Dropped, or,
// with ErrorOnConstant, it is an error (ErrConstant). A column with no
// observed value is always an error (ErrNotFinite).
type Standardizer struct {
	ErrorOnConstant bool
}

// Standardization is a fitted Standardizer.
type Standardization struct {
	// Mean and Scale are μ and σ of every input column (σ = 0 for a
	// constant one).
	Mean, Scale []float64
	// Keep are the input columns kept, in order; Dropped the constant ones.
	Keep, Dropped []int
}

// Fit learns μ and σ of every column of X; y is not used.
func (s Standardizer) Fit(X [][]float64, y []bool) (Transform, error) {
	return s.FitStandardization(X)
}

// FitStandardization is Fit with the concrete result type.
func (s Standardizer) FitStandardization(X [][]float64) (*Standardization, error) {
	p, err := CheckX(X, true)
	if err != nil {
		return nil, err
	}
	st := &Standardization{Mean: make([]float64, p), Scale: make([]float64, p)}
	for j := 0; j < p; j++ {
		sum, cnt := 0.0, 0
		first, constant := math.NaN(), true
		for _, row := range X {
			v := row[j]
			if math.IsNaN(v) {
				continue
			}
			if cnt == 0 {
				first = v
			} else if v != first {
				constant = false
			}
			sum += v
			cnt++
		}
		if cnt == 0 {
			return nil, fmt.Errorf("%w: column %d has no observed value in the %d training rows", ErrNotFinite, j, len(X))
		}
		mu := sum / float64(cnt)
		st.Mean[j] = mu
		if constant {
			if s.ErrorOnConstant {
				return nil, fmt.Errorf("%w: column %d is constant (%v) in the %d training rows", ErrConstant, j, first, len(X))
			}
			st.Dropped = append(st.Dropped, j)
			continue
		}
		ss := 0.0
		for _, row := range X {
			if v := row[j]; !math.IsNaN(v) {
				ss += (v - mu) * (v - mu)
			}
		}
		st.Scale[j] = math.Sqrt(ss / float64(cnt))
		st.Keep = append(st.Keep, j)
	}
	if len(st.Keep) == 0 {
		return nil, fmt.Errorf("%w: all %d columns are constant in the %d training rows", ErrConstant, p, len(X))
	}
	return st, nil
}

// Transform standardises the kept columns of X.
func (s *Standardization) Transform(X [][]float64) ([][]float64, error) {
	p, err := CheckX(X, true)
	if err != nil {
		return nil, err
	}
	if p != len(s.Mean) {
		return nil, fmt.Errorf("%w: %d columns, the standardiser was fitted on %d", ErrShape, p, len(s.Mean))
	}
	out := make([][]float64, len(X))
	for i, row := range X {
		r := make([]float64, len(s.Keep))
		for k, j := range s.Keep {
			r[k] = (row[j] - s.Mean[j]) / s.Scale[j]
		}
		out[i] = r
	}
	return out, nil
}

// Columns returns the kept input columns.
func (s *Standardization) Columns() []int { return slices.Clone(s.Keep) }

// ImputeStrategy is how an Imputer fills a missing value.
type ImputeStrategy int

const (
	// MeanImpute fills with the mean of the observed training values.
	MeanImpute ImputeStrategy = iota
	// MedianImpute fills with their median (the mean of the two middle
	// values for an even count, as numpy.median).
	MedianImpute
)

// Imputer replaces missing values (NaN) of each column by the mean or
// median of that column's observed values in the training rows (scikit-
// learn's SimpleImputer). A column with no observed training value is an
// error (ErrNotFinite). Put it after the Standardizer of a Pipeline (mean
// imputation then fills 0, the training mean).
type Imputer struct {
	Strategy ImputeStrategy
}

// Imputation is a fitted Imputer.
type Imputation struct {
	Strategy ImputeStrategy
	// Fill is the value that replaces NaN in each column; Missing counts
	// the NaNs of each column in the training rows.
	Fill    []float64
	Missing []int
}

// Fit learns the fill value of every column of X; y is not used.
func (im Imputer) Fit(X [][]float64, y []bool) (Transform, error) {
	p, err := CheckX(X, true)
	if err != nil {
		return nil, err
	}
	if im.Strategy != MeanImpute && im.Strategy != MedianImpute {
		return nil, fmt.Errorf("%w: unknown impute strategy %d", ErrParameter, int(im.Strategy))
	}
	out := &Imputation{Strategy: im.Strategy, Fill: make([]float64, p), Missing: make([]int, p)}
	obs := make([]float64, 0, len(X))
	for j := 0; j < p; j++ {
		obs = obs[:0]
		for _, row := range X {
			if v := row[j]; math.IsNaN(v) {
				out.Missing[j]++
			} else {
				obs = append(obs, v)
			}
		}
		if len(obs) == 0 {
			return nil, fmt.Errorf("%w: column %d has no observed value to impute from in the %d training rows", ErrNotFinite, j, len(X))
		}
		if im.Strategy == MeanImpute {
			s := 0.0
			for _, v := range obs {
				s += v
			}
			out.Fill[j] = s / float64(len(obs))
		} else {
			slices.Sort(obs)
			m := len(obs) / 2
			if len(obs)%2 == 1 {
				out.Fill[j] = obs[m]
			} else {
				out.Fill[j] = (obs[m-1] + obs[m]) / 2
			}
		}
	}
	return out, nil
}

// Transform replaces the NaNs of X by the fill values.
func (im *Imputation) Transform(X [][]float64) ([][]float64, error) {
	p, err := CheckX(X, true)
	if err != nil {
		return nil, err
	}
	if p != len(im.Fill) {
		return nil, fmt.Errorf("%w: %d columns, the imputer was fitted on %d", ErrShape, p, len(im.Fill))
	}
	out := make([][]float64, len(X))
	for i, row := range X {
		r := slices.Clone(row)
		for j, v := range r {
			if math.IsNaN(v) {
				r[j] = im.Fill[j]
			}
		}
		out[i] = r
	}
	return out, nil
}

// Columns is the identity: an imputer keeps every column.
func (im *Imputation) Columns() []int {
	c := make([]int, len(im.Fill))
	for j := range c {
		c[j] = j
	}
	return c
}
