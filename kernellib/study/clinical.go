package study

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/learn"
)

// DefaultClinicalColumns are the clinical columns of the clinical model,
// those of the paper's Table 1.
var DefaultClinicalColumns = []string{"age", "sex", "afp", "tumor_size_cm", "tumor_number", "child_pugh", "bclc"}

// ClinicalMatrix builds the design matrix of the clinical model from the
// cohort's clinical columns: a numeric column enters as it is, except AFP,
// entered as log10(AFP + 1) because its distribution spans orders of
// magnitude (a serum marker's usual log transform; Steyerberg, "Clinical
// Prediction Models", 2019, ch. 9 on transforming skewed predictors); a text column is
// dummy-coded with its alphabetically first level as reference. Missing
// values are NaN (the pipeline imputes them). It returns the matrix and
// the column names.
func ClinicalMatrix(c *cohort.Cohort, cols []string) ([][]float64, []string, error) {
	X := make([][]float64, len(c.Patients))
	for i := range X {
		X[i] = []float64{}
	}
	var names []string
	for _, col := range cols {
		vals := make([]string, len(c.Patients))
		numeric := true
		for i, p := range c.Patients {
			v, ok := p.Clinical[col]
			if !ok {
				return nil, nil, fmt.Errorf("study: the cohort has no clinical column %q", col)
			}
			vals[i] = v
			if v != "" {
				if _, err := strconv.ParseFloat(v, 64); err != nil {
					numeric = false
				}
			}
		}
		if numeric {
			for i, v := range vals {
				x := math.NaN()
				if v != "" {
					x, _ = strconv.ParseFloat(v, 64)
					if col == "afp" {
						if x < 0 {
							return nil, nil, fmt.Errorf("study: patient %s: afp %v is negative", c.Patients[i].ID, x)
						}
						x = math.Log10(x + 1)
					}
				}
				X[i] = append(X[i], x)
			}
			name := col
			if col == "afp" {
				name = "log10(afp+1)"
			}
			names = append(names, name)
			continue
		}
		levels := map[string]bool{}
		for _, v := range vals {
			if v != "" {
				levels[v] = true
			}
		}
		var lv []string
		for l := range levels {
			lv = append(lv, l)
		}
		sort.Strings(lv)
		for _, l := range lv[1:] {
			for i, v := range vals {
				x := 0.0
				switch {
				case v == "":
					x = math.NaN()
				case v == l:
					x = 1
				}
				X[i] = append(X[i], x)
			}
			names = append(names, col+"="+l)
		}
	}
	return X, names, nil
}

// ClinicalEstimator is the clinical model: standardise, impute the median,
// and a ridge (L2) logistic regression with λ chosen by 10-fold CV on
// deviance (min rule) — a penalised model, as a few dozen events support
// only a few unpenalised coefficients (Riley et al., BMJ 2020).
func ClinicalEstimator(names []string, seed uint64) learn.Estimator {
	return learn.Pipeline{
		Steps: []learn.Transformer{learn.Standardizer{}, learn.Imputer{Strategy: learn.MedianImpute}},
		Model: learn.LogisticCV{Penalty: learn.L2, Folds: 10, Seed: seed},
		Names: names,
	}
}
