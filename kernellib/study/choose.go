package study

import (
	"errors"
	"fmt"
	"math"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/learn"
	"github.com/ceusrad/ceusrad/kernellib/roc"
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
// folds × repeats, seeded; grouped by patient when groups, the patients of
// the rows, is not nil) and returns the results and the index of the
// one with the highest mean CV AUC (ties to the first). progress, when not
// nil, is called after each candidate. With a single candidate and
// record false there is nothing to choose: it is returned without a
// cross-validation.
func chooseCandidate(model string, cands []Candidate, X [][]float64, y []bool, groups []string, names []string, folds, repeats int, seed uint64, workers int, progress func(done, total int), record bool) ([]CandidateResult, int, error) {
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
			learn.CVOptions{Folds: folds, Repeats: repeats, Seed: seed, Workers: workers, Groups: groups})
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
			if !cohort.IsKeyColumn(n) && feats.Col(n).Type() == series.Float {
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
	keys, err := cohort.FrameKeys(feats)
	if err != nil {
		return nil, nil, fmt.Errorf("study: %s: %w", model, err)
	}
	row := map[string]int{}
	for i, id := range keys {
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

// Fitted is a feature-based model of the study (R-TIC, R-BMode) chosen
// among candidate pipelines and fitted on the cohort's training split, then
// scored on its validation split.
type Fitted struct {
	// Patients follow the manifest's order; Train and Valid index them.
	Patients     []cohort.Patient
	Train, Valid []int
	// Features are the feature table's columns the model could use.
	Features []string
	// Candidates are the cross-validations on the training split, in the
	// order of the options' Candidates; Chosen indexes the one with the
	// highest mean CV AUC (ties to the first), refitted on the whole
	// training split as Model.
	Candidates []CandidateResult
	Chosen     int
	Model      learn.Model
	// Selected are the features the chosen model uses (learn's
	// FeatureSelector: the lasso's non-zero coefficients, the filter's
	// picks); all of its inputs when the model does not select.
	Selected []string
	// CVAUC is the chosen candidate's mean CV AUC (optimistic: it won the
	// choice) and CVAUCSD its SD over folds.
	CVAUC, CVAUCSD float64
	// TrainOOF are the chosen candidate's out-of-fold probabilities of the
	// training patients (order of Train), averaged over the repeats.
	TrainOOF []float64
	// ValidProb are the validation patients' probabilities of OR (order of
	// Valid) and ValidTruth their outcomes.
	ValidProb  []float64
	ValidTruth []bool
	// AUC on the validation split with its DeLong CI (DeLong et al. 1988).
	AUC float64
	CI  [2]float64
}

// ChosenName returns the name of the chosen pipeline.
func (f *Fitted) ChosenName() string { return f.Candidates[f.Chosen].Name }

// candidateOptions are the settings fit passes on to chooseCandidate.
type candidateOptions struct {
	folds, repeats int
	seed           uint64
	workers        int
	progress       func(done, total int)
	level          float64
}

// splitOf returns the cohort's training and validation patients; a model
// needs both.
func splitOf(model string, c *cohort.Cohort) (train, valid []int, err error) {
	train, valid = cohort.SplitIndices(c.Patients)
	if len(train) == 0 || len(valid) == 0 {
		return nil, nil, fmt.Errorf("study: %s: %s has %d training and %d validation patients, expected both", model, c.Path, len(train), len(valid))
	}
	return train, valid, nil
}

// fit chooses among cands by cross-validation on the training rows of X
// (the columns cols, all when nil, named inputs), refits the chosen one on
// the whole training split, scores the validation rows and computes their
// AUC with its DeLong CI. The validation split plays no part in the choice.
func (f *Fitted) fit(model string, c *cohort.Cohort, cands []Candidate, X [][]float64, cols []int, inputs []string, o candidateOptions) error {
	var err error
	if f.Train, f.Valid, err = splitOf(model, c); err != nil {
		return err
	}
	in := func(idx []int) [][]float64 {
		if cols == nil {
			return rows(X, idx)
		}
		return keepCols(rows(X, idx), cols)
	}
	y := cohort.Responses(c.Patients)
	xt, yt := in(f.Train), pick(y, f.Train)
	results, best, err := chooseCandidate(model, cands, xt, yt, PatientGroups(c, f.Train), inputs, o.folds, o.repeats, o.seed, o.workers, o.progress, true)
	if err != nil {
		return err
	}
	ch := cands[best]
	f.Candidates, f.Chosen = results, best
	f.CVAUC, f.CVAUCSD = results[best].MeanAUC, results[best].SDAUC
	f.TrainOOF = meanOOF(results[best].CV, len(yt))
	if f.Model, err = ch.Build(inputs, o.seed).Fit(xt, yt); err != nil {
		return fmt.Errorf("study: %s: refitting %s on the training split: %w", model, ch.Name, err)
	}
	f.Selected = inputs
	if fs, ok := f.Model.(learn.FeatureSelector); ok {
		f.Selected = nil
		for _, j := range fs.SelectedFeatures() {
			f.Selected = append(f.Selected, inputs[j])
		}
	}
	f.ValidTruth = pick(y, f.Valid)
	if f.ValidProb, err = f.Model.PredictProba(in(f.Valid)); err != nil {
		return fmt.Errorf("study: %s: %w", model, err)
	}
	dl, err := roc.NewDeLong([][]float64{f.ValidProb}, f.ValidTruth, roc.CasesHigher)
	if err != nil {
		return fmt.Errorf("study: %s: validation AUC: %w", model, err)
	}
	f.AUC = dl.AUC[0]
	if f.CI, err = dl.CI(0, o.level); err != nil {
		return fmt.Errorf("study: %s: validation AUC: %w", model, err)
	}
	return nil
}

// scores returns the fitted model's probabilities for Compare under name.
func (f *Fitted) scores(name string) Scores {
	return Scores{Name: name, Train: append([]float64(nil), f.TrainOOF...), Valid: append([]float64(nil), f.ValidProb...)}
}

// refitScore chooses among cands by cross-validation on (xt, yt) (folds
// grouped by groups, the rows' patients, when not nil), refits
// the chosen pipeline on them and returns its probabilities for xv and the
// index of the chosen candidate: one split of the robustness analysis (the
// choice redone on each split's training patients, with the split's seed).
func refitScore(model string, cands []Candidate, xt [][]float64, yt []bool, groups, inputs []string, xv [][]float64, o candidateOptions) ([]float64, int, error) {
	_, best, err := chooseCandidate(model, cands, xt, yt, groups, inputs, o.folds, o.repeats, o.seed, o.workers, nil, false)
	if err != nil {
		return nil, -1, err
	}
	m, err := cands[best].Build(inputs, o.seed).Fit(xt, yt)
	if err != nil {
		return nil, -1, fmt.Errorf("study: %s: %w", model, err)
	}
	p, err := m.PredictProba(xv)
	if err != nil {
		return nil, -1, fmt.Errorf("study: %s: %w", model, err)
	}
	return p, best, nil
}

// choosingSpec is the ModelSpec of a model that chooses among cands on
// every split with choose.
func choosingSpec(name string, cands []Candidate, choose func(train, valid []int, seed uint64) ([]float64, int, error)) ModelSpec {
	names := make([]string, len(cands))
	for i, c := range cands {
		names[i] = c.Name
	}
	return ModelSpec{Name: name, Pipelines: names, Choose: choose,
		Fit: func(train, valid []int, seed uint64) ([]float64, error) {
			p, _, err := choose(train, valid, seed)
			return p, err
		}}
}
