package study

import (
	"errors"
	"fmt"
	"math"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/learn"
	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// Candidate is one pipeline a feature-based model (R-TIC, R-BMode) may
// choose: Build returns the unfitted estimator for the named input features
// and a seed (every random choice of the pipeline — inner folds, forest
// bootstraps — must derive from it).
type Candidate struct {
	Name  string
	Build func(features []string, seed uint64) learn.Estimator
}

// CandidateResult is one candidate's cross-validation on the training
// split.
type CandidateResult struct {
	Name string
	// MeanAUC and SDAUC are the mean and SD of the test-fold AUCs over
	// all folds and repeats; CV is the whole cross-validation.
	MeanAUC, SDAUC float64
	CV             *learn.CVResult
}

// meanOOF averages a cross-validation's out-of-fold probabilities over its
// repeats.
func meanOOF(cv *learn.CVResult, n int) []float64 {
	out := make([]float64, n)
	for _, p := range cv.Proba {
		for i, v := range p {
			out[i] += v / float64(len(cv.Proba))
		}
	}
	return out
}

// chooseCandidate cross-validates every candidate on (X, y) (stratified
// folds × repeats, seeded) and returns the results and the index of the
// one with the highest mean CV AUC (ties to the first). progress, when not
// nil, is called after each candidate. With a single candidate and
// record false there is nothing to choose: it is returned without a
// cross-validation.
func chooseCandidate(model string, cands []Candidate, X [][]float64, y []bool, names []string, folds, repeats int, seed uint64, workers int, progress func(done, total int), record bool) ([]CandidateResult, int, error) {
	if len(cands) == 0 {
		return nil, -1, fmt.Errorf("study: %s: no candidate pipelines", model)
	}
	if len(cands) == 1 && !record {
		return nil, 0, nil
	}
	best, bestAUC := -1, math.Inf(-1)
	var results []CandidateResult
	for i, cand := range cands {
		if cand.Build == nil {
			return nil, -1, fmt.Errorf("study: %s: candidate %q has no Build", model, cand.Name)
		}
		cv, err := learn.CrossValidate(cand.Build(names, seed), X, y,
			learn.CVOptions{Folds: folds, Repeats: repeats, Seed: seed, Workers: workers})
		if err != nil {
			return nil, -1, fmt.Errorf("study: %s: cross-validating %s on the training split: %w", model, cand.Name, err)
		}
		results = append(results, CandidateResult{Name: cand.Name, MeanAUC: cv.MeanAUC, SDAUC: cv.SDAUC, CV: cv})
		if cv.MeanAUC > bestAUC {
			best, bestAUC = i, cv.MeanAUC
		}
		if progress != nil {
			progress(i+1, len(cands))
		}
	}
	if best < 0 {
		return nil, -1, fmt.Errorf("study: %s: no candidate has a finite CV AUC", model)
	}
	return results, best, nil
}

// featureMatrix returns model's feature matrix of the cohort's patients
// (manifest order) from the table feats, matched by patient_id, with the
// columns features (nil: every numeric column). With allowMissing a NaN or
// ±Inf feature becomes NaN, for the pipeline's imputer (a failed TIC fit);
// otherwise it is an error naming the patient and the feature (radiomic
// features are never missing).
func featureMatrix(model string, c *cohort.Cohort, feats dataframe.DataFrame, features []string, allowMissing bool) ([][]float64, []string, error) {
	if c == nil || len(c.Patients) == 0 {
		return nil, nil, fmt.Errorf("study: %s: empty cohort", model)
	}
	if feats.Err != nil {
		return nil, nil, fmt.Errorf("study: %s: feature table: %w", model, feats.Err)
	}
	have := map[string]bool{}
	for _, n := range feats.Names() {
		have[n] = true
	}
	if !have[cohort.ColPatientID] {
		return nil, nil, fmt.Errorf("study: %s: the feature table has no %s column", model, cohort.ColPatientID)
	}
	if features == nil {
		for _, n := range feats.Names() {
			if n != cohort.ColPatientID && feats.Col(n).Type() == series.Float {
				features = append(features, n)
			}
		}
		if len(features) == 0 {
			return nil, nil, fmt.Errorf("study: %s: the feature table has no numeric column", model)
		}
	}
	cols := make([][]float64, len(features))
	for j, n := range features {
		if !have[n] {
			return nil, nil, fmt.Errorf("study: %s: the feature table has no column %q", model, n)
		}
		if t := feats.Col(n).Type(); t != series.Float && t != series.Int {
			return nil, nil, fmt.Errorf("study: %s: feature column %q is of type %s, want numbers", model, n, t)
		}
		cols[j] = feats.Col(n).Float()
	}
	row := map[string]int{}
	for i, id := range feats.Col(cohort.ColPatientID).Records() {
		if _, dup := row[id]; dup {
			return nil, nil, fmt.Errorf("study: %s: patient %s appears twice in the feature table", model, id)
		}
		row[id] = i
	}
	X := make([][]float64, len(c.Patients))
	var missing []error
	for i, p := range c.Patients {
		k, ok := row[p.ID]
		if !ok {
			missing = append(missing, fmt.Errorf("study: %s: patient %s has no row in the feature table", model, p.ID))
			continue
		}
		X[i] = make([]float64, len(features))
		for j := range features {
			v := cols[j][k]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				if !allowMissing {
					missing = append(missing, fmt.Errorf("study: %s: patient %s: feature %q is %v, want a number", model, p.ID, features[j], v))
				}
				v = math.NaN()
			}
			X[i][j] = v
		}
	}
	if len(missing) > 0 {
		return nil, nil, errors.Join(missing...)
	}
	return X, append([]string(nil), features...), nil
}
