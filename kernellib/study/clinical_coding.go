package study

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/learn"
)

// ClinicalResult is the clinical model fitted on the training split:
// the clinical columns it was built from, the design matrix's column names
// (ClinicalMatrix) and the fitted pipeline (ClinicalEstimator), kept so that
// the model can be saved in a bundle (WriteBundle).
type ClinicalResult struct {
	Columns []string
	Names   []string
	Model   learn.Model
}

// The kinds of a ClinicalColumn.
const (
	ClinicalNumeric     = "numeric"
	ClinicalCategorical = "categorical"
)

// TransformLog10p1 is the transform ClinicalMatrix applies to AFP:
// log10(x + 1).
const TransformLog10p1 = "log10(x+1)"

// ClinicalColumn is how ClinicalMatrix coded one clinical column on the
// training cohort: a numeric column (Transform "" or TransformLog10p1)
// gives one design column; a categorical column gives a dummy column for
// each of Levels but the first (the alphabetically first level, the
// reference).
type ClinicalColumn struct {
	Name      string   `json:"name"`
	Kind      string   `json:"kind"`
	Transform string   `json:"transform,omitempty"`
	Levels    []string `json:"levels,omitempty"`
}

// ClinicalCoding is the whole coding of the clinical model's inputs, in
// design-matrix order; a frozen model applies it unchanged to a new cohort
// (ApplyClinicalCoding).
type ClinicalCoding struct {
	Columns []ClinicalColumn `json:"columns"`
}

// ClinicalCodingOf returns the coding ClinicalMatrix uses for the columns
// cols of c: a column whose every non-empty value parses as a number is
// numeric (AFP log-transformed), any other is categorical with its levels
// sorted.
func ClinicalCodingOf(c *cohort.Cohort, cols []string) (ClinicalCoding, error) {
	var cc ClinicalCoding
	for _, col := range cols {
		numeric := true
		levels := map[string]bool{}
		for _, p := range c.Patients {
			v, ok := p.Clinical[col]
			if !ok {
				return cc, fmt.Errorf("study: the cohort has no clinical column %q", col)
			}
			if v == "" {
				continue
			}
			levels[v] = true
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				numeric = false
			}
		}
		if numeric {
			cl := ClinicalColumn{Name: col, Kind: ClinicalNumeric}
			if col == "afp" {
				cl.Transform = TransformLog10p1
			}
			cc.Columns = append(cc.Columns, cl)
			continue
		}
		var lv []string
		for l := range levels {
			lv = append(lv, l)
		}
		sort.Strings(lv)
		cc.Columns = append(cc.Columns, ClinicalColumn{Name: col, Kind: ClinicalCategorical, Levels: lv})
	}
	return cc, nil
}

// Names returns the design matrix's column names under the coding, as
// ClinicalMatrix names them.
func (cc ClinicalCoding) Names() []string {
	var names []string
	for _, col := range cc.Columns {
		switch {
		case col.Kind == ClinicalCategorical:
			for _, l := range col.Levels[min(1, len(col.Levels)):] {
				names = append(names, col.Name+"="+l)
			}
		case col.Transform == TransformLog10p1:
			names = append(names, "log10("+col.Name+"+1)")
		default:
			names = append(names, col.Name)
		}
	}
	return names
}

// check reports a coding that ClinicalCodingOf could not have made.
func (cc ClinicalCoding) check() error {
	if len(cc.Columns) == 0 || len(cc.Columns) > learn.MaxModelFeatures {
		return fmt.Errorf("clinical coding has %d columns, want 1 to %d", len(cc.Columns), learn.MaxModelFeatures)
	}
	for i, col := range cc.Columns {
		switch {
		case col.Name == "":
			return fmt.Errorf("clinical coding column %d has no name", i)
		case col.Kind == ClinicalNumeric && (len(col.Levels) > 0 || (col.Transform != "" && col.Transform != TransformLog10p1)):
			return fmt.Errorf("clinical coding column %q: numeric with levels %v or unknown transform %q", col.Name, col.Levels, col.Transform)
		case col.Kind == ClinicalCategorical && (col.Transform != "" || len(col.Levels) == 0 || !slices.IsSorted(col.Levels) || len(slices.Compact(slices.Clone(col.Levels))) != len(col.Levels)):
			return fmt.Errorf("clinical coding column %q: categorical with transform %q or levels %v not sorted and distinct", col.Name, col.Transform, col.Levels)
		case col.Kind != ClinicalNumeric && col.Kind != ClinicalCategorical:
			return fmt.Errorf("clinical coding column %q: kind %q, want %q or %q", col.Name, col.Kind, ClinicalNumeric, ClinicalCategorical)
		}
	}
	return nil
}

// ApplyClinicalCoding builds the design matrix of the patients of c under a
// frozen coding: the same columns, transforms and dummy levels as on the
// training cohort, whatever the new cohort's own values. A missing value is
// NaN (the pipeline imputes it with the training median). A column the
// cohort lacks, a numeric column holding text, a negative AFP or a level
// the training cohort did not have is an error naming the patient, the
// column and the value.
func ApplyClinicalCoding(c *cohort.Cohort, cc ClinicalCoding) ([][]float64, []string, error) {
	X := make([][]float64, len(c.Patients))
	for i := range X {
		X[i] = []float64{}
	}
	for _, col := range cc.Columns {
		if !slices.Contains(c.Clinical, col.Name) {
			return nil, nil, fmt.Errorf("no clinical column %q, which the model needs", col.Name)
		}
		for i, p := range c.Patients {
			v := p.Clinical[col.Name]
			if col.Kind == ClinicalNumeric {
				x := math.NaN()
				if v != "" {
					var err error
					if x, err = strconv.ParseFloat(v, 64); err != nil {
						return nil, nil, fmt.Errorf("patient %s: clinical column %q is %q, want a number (it was numeric in training)", p.ID, col.Name, v)
					}
					if col.Transform == TransformLog10p1 {
						if x < 0 {
							return nil, nil, fmt.Errorf("patient %s: %s %v is negative", p.ID, col.Name, x)
						}
						x = math.Log10(x + 1)
					}
				}
				X[i] = append(X[i], x)
				continue
			}
			if v != "" && !slices.Contains(col.Levels, v) {
				return nil, nil, fmt.Errorf("patient %s: clinical column %q is %q, a level the training cohort did not have (levels %v)", p.ID, col.Name, v, col.Levels)
			}
			for _, l := range col.Levels[1:] {
				x := 0.0
				switch {
				case v == "":
					x = math.NaN()
				case v == l:
					x = 1
				}
				X[i] = append(X[i], x)
			}
		}
	}
	return X, cc.Names(), nil
}

// fitScoreModel is FitScore that also returns the model fitted on all
// training rows (the one that scored the validation rows).
// groups, when not nil, are the patients of the training rows (PatientGroups),
// whose out-of-fold folds then keep a patient's lesions together.
func fitScoreModel(est learn.Estimator, X [][]float64, y []bool, train, valid []int, folds int, seed uint64, groups []string) (trainOOF, validP []float64, m learn.Model, err error) {
	Xt, yt := rows(X, train), pick(y, train)
	if folds > 1 {
		fs, err := trainFolds(yt, groups, folds, seed)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("out-of-fold folds: %w", err)
		}
		if trainOOF, err = learn.CrossValPredict(est, Xt, yt, fs); err != nil {
			return nil, nil, nil, fmt.Errorf("out-of-fold probabilities: %w", err)
		}
	}
	if m, err = est.Fit(Xt, yt); err != nil {
		return nil, nil, nil, err
	}
	if validP, err = m.PredictProba(rows(X, valid)); err != nil {
		return nil, nil, nil, err
	}
	return trainOOF, validP, m, nil
}
