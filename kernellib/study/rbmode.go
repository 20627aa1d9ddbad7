package study

import (
	"fmt"

	"github.com/go-gota/gota/dataframe"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/learn"
	"github.com/ceusrad/ceusrad/kernellib/radiomics"
)

// RBModeName is the model's name in tables and figures.
const RBModeName = "R-BMode"

// RBModeCandidate is one pipeline R-BMode may choose: Build returns the
// unfitted estimator for the named input features and a seed (every random
// choice of the pipeline must derive from it).
type RBModeCandidate = Candidate

// DefaultRBModeCandidates are the pipelines R-BMode chooses between, each
// fitted inside every training fold (learn.Pipeline) on the robust
// radiomic features, most of them strongly correlated:
//
//	lasso-logistic      standardise; L1 logistic regression, λ by 5-fold CV (deviance, minimum; Tibshirani 1996, glmnet)
//	enet-logistic       standardise; elastic net, α = 0.5 (Zou & Hastie 2005), λ by 5-fold CV (deviance, minimum)
//	corr-mrmr10-ridge   standardise; drop one of every pair with |r| > 0.9; the 10 features of mRMR (Peng et al. 2005); L2 logistic, λ by 5-fold CV
//	mw10-ridge          standardise; the 10 features with the smallest Mann–Whitney p-values; L2 logistic, λ by 5-fold CV
//	random-forest       500 trees, √p features per split (Breiman 2001)
//
// the selection + penalised model designs of radiomics studies of this size
// (about 90 training patients, a few hundred features).
func DefaultRBModeCandidates() []RBModeCandidate {
	std := func() []learn.Transformer { return []learn.Transformer{learn.Standardizer{}} }
	ridge := func(seed uint64) learn.Estimator {
		return learn.LogisticCV{Penalty: learn.L2, Folds: 5, Rule: learn.MinRule, Criterion: learn.Deviance, Seed: seed}
	}
	return []RBModeCandidate{
		{"lasso-logistic", func(f []string, seed uint64) learn.Estimator {
			return learn.Pipeline{Steps: std(), Names: f,
				Model: learn.LogisticCV{Penalty: learn.L1, Folds: 5, Rule: learn.MinRule, Criterion: learn.Deviance, Seed: seed}}
		}},
		{"enet-logistic", func(f []string, seed uint64) learn.Estimator {
			return learn.Pipeline{Steps: std(), Names: f,
				Model: learn.LogisticCV{Penalty: learn.ElasticNet, L1Ratio: 0.5, Folds: 5, Rule: learn.MinRule, Criterion: learn.Deviance, Seed: seed}}
		}},
		{"corr-mrmr10-ridge", func(f []string, seed uint64) learn.Estimator {
			return learn.Pipeline{Steps: append(std(), learn.CorrelationFilter{Threshold: 0.9}, learn.MRMR{K: min(10, len(f))}), Names: f,
				Model: ridge(seed)}
		}},
		{"mw10-ridge", func(f []string, seed uint64) learn.Estimator {
			return learn.Pipeline{Steps: append(std(), learn.MannWhitneyFilter{K: min(10, len(f))}), Names: f,
				Model: ridge(seed)}
		}},
		{"random-forest", func(f []string, seed uint64) learn.Estimator {
			return learn.Pipeline{Names: f, Model: learn.RandomForest{Trees: 500, Seed: seed}}
		}},
	}
}

// RBModeOptions are the settings of RBMode; zero values take the defaults.
type RBModeOptions struct {
	// Features are the candidate feature columns; nil means every numeric
	// column of the table (radiomics.CohortTable's features).
	Features []string
	// Perturbed, when not nil, holds the features of (at least) the
	// training patients under mask perturbations (RBModePerturbations); the
	// features whose ICC(3,1) over the training patients is below
	// ICCThreshold are then left out before any model sees them.
	Perturbed *radiomics.Perturbed
	// ICCThreshold is the ICC(3,1) a feature needs; default
	// radiomics.DefaultICCThreshold (0.75, "good" reliability, Koo & Li
	// 2016).
	ICCThreshold float64
	// MinReaderICC, when above 0, keeps only the features whose
	// inter-reader ICC(2,1) over the training patients with a second
	// reader's mask (InterReader.Keep) is at least it (after the ICC
	// filter above); Readers must then hold the readers' feature tables of
	// R-BMode. Default 0: off.
	MinReaderICC float64
	Readers      *InterReader
	// Candidates are the pipelines compared; nil means
	// DefaultRBModeCandidates().
	Candidates []RBModeCandidate
	// Folds and Repeats of the stratified cross-validation on the
	// training split that chooses the pipeline; default 5 and 5.
	Folds, Repeats int
	// Seed fixes the folds and every seed of the pipelines; default 1.
	Seed uint64
	// Level of the DeLong CI; default 0.95.
	Level float64
	// Workers bounds the fits run at once (0: GOMAXPROCS); the result
	// does not depend on it.
	Workers int
	// Progress, when not nil, is called after each candidate's
	// cross-validation with (done, total).
	Progress func(done, total int)
}

func (o RBModeOptions) withDefaults() RBModeOptions {
	if o.Candidates == nil {
		o.Candidates = DefaultRBModeCandidates()
	}
	if o.ICCThreshold == 0 {
		o.ICCThreshold = radiomics.DefaultICCThreshold
	}
	if o.Folds == 0 {
		o.Folds = 5
	}
	if o.Repeats == 0 {
		o.Repeats = 5
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Level == 0 {
		o.Level = 0.95
	}
	return o
}

// RBModeResult is R-BMode trained on a cohort's training split and scored
// on its validation split. Fitted.Features are the candidate features; ICC
// their robustness over the training patients (nil without
// RBModeOptions.Perturbed) and Robust those at or above the threshold — the
// model's input.
type RBModeResult struct {
	Fitted
	ICC    []radiomics.FeatureICC
	Robust []string
	// ICCPerturbations are the mask perturbations the ICC filter used
	// (nil without RBModeOptions.Perturbed): ROIRobustness tests the
	// fitted model under other kinds.
	ICCPerturbations []radiomics.Perturbation
	// ReaderICC is the inter-reader agreement over the training patients
	// with a second reader's mask that the inter-reader filter used (nil
	// when RBModeOptions.MinReaderICC is 0).
	ReaderICC []ReaderICC
}

// RBMode builds the paper's R-BMode model (Liu et al. 2020: machine
// learning on radiomic features of the B-mode image). feats is the table of
// radiomic features, one row per patient with a patient_id column
// (RBModeFeatures); its rows are matched to the cohort's patients by
// patient_id. When opt.Perturbed is given, only the features whose ICC(3,1)
// under mask perturbations, over the training patients, reaches
// opt.ICCThreshold are kept (the robustness does not use the outcome);
// with opt.MinReaderICC, only those whose inter-reader ICC(2,1) over the
// training patients reaches it (InterReader.Keep). Each candidate pipeline is then cross-validated (stratified k-fold,
// repeated; learn.CrossValidate, which refits scaling, selection and tuning
// inside every training fold) on the training split only; the one with the
// highest mean AUC is refitted on the whole training split and scores the
// validation patients, whose AUC and DeLong CI are reported. The validation
// split plays no part in any choice.
func RBMode(c *cohort.Cohort, feats dataframe.DataFrame, opt RBModeOptions) (*RBModeResult, error) {
	opt = opt.withDefaults()
	X, names, err := featureMatrix(RBModeName, c, feats, opt.Features, false)
	if err != nil {
		return nil, err
	}
	r := &RBModeResult{Fitted: Fitted{Patients: c.Patients, Features: names}}
	train, _, err := splitOf(RBModeName, c)
	if err != nil {
		return nil, err
	}
	cols, err := rbmodeRobust(c, train, names, opt, r)
	if err != nil {
		return nil, err
	}
	if err := r.fit(RBModeName, c, opt.Candidates, X, cols, r.Robust, candidateOptions{opt.Folds, opt.Repeats, opt.Seed, opt.Workers, opt.Progress, opt.Level}); err != nil {
		return nil, err
	}
	return r, nil
}

// rbmodeRobust returns the columns of names that are robust over the
// patients train (all of them without opt.Perturbed); when r is not nil it
// records the ICCs and the robust names there.
func rbmodeRobust(c *cohort.Cohort, train []int, names []string, opt RBModeOptions, r *RBModeResult) ([]int, error) {
	var cols []int
	var iccs []radiomics.FeatureICC
	if opt.Perturbed == nil {
		for j := range names {
			cols = append(cols, j)
		}
	} else {
		ids := make([]string, len(train))
		for i, k := range train {
			ids[i] = c.Patients[k].ID
		}
		var err error
		if iccs, err = opt.Perturbed.ICC(ids); err != nil {
			return nil, fmt.Errorf("study: %s: robustness over the training patients: %w", RBModeName, err)
		}
		keep := map[string]bool{}
		for _, k := range radiomics.RobustFeatures(iccs, opt.ICCThreshold) {
			keep[k] = true
		}
		for j, n := range names {
			if keep[n] {
				cols = append(cols, j)
			}
		}
		if len(cols) == 0 {
			return nil, fmt.Errorf("study: %s: no feature of the table has ICC(3,1) ≥ %g over the training patients", RBModeName, opt.ICCThreshold)
		}
	}
	cols, readers, err := readerFilter(RBModeName, opt.Readers, opt.MinReaderICC, c, train, names, cols)
	if err != nil {
		return nil, err
	}
	if r != nil {
		r.ICC, r.ReaderICC = iccs, readers
		if opt.Perturbed != nil {
			r.ICCPerturbations = append([]radiomics.Perturbation(nil), opt.Perturbed.Perturbations...)
		}
		for _, j := range cols {
			r.Robust = append(r.Robust, names[j])
		}
	}
	return cols, nil
}

// keepCols returns the rows of X restricted to the columns cols.
func keepCols(X [][]float64, cols []int) [][]float64 {
	out := make([][]float64, len(X))
	for i, x := range X {
		out[i] = make([]float64, len(cols))
		for k, j := range cols {
			out[i][k] = x[j]
		}
	}
	return out
}

// Scores returns the probabilities for Compare: the out-of-fold training
// probabilities of the chosen pipeline (on which Compare fixes the
// operating point) and the validation probabilities.
func (r *RBModeResult) Scores() Scores { return r.scores(RBModeName) }

// RBModeSpec returns R-BMode as a ModelSpec for Robust: on each re-drawn
// split the robust features are found again over that split's training
// patients (opt.Perturbed must then hold every patient of the cohort), the
// pipeline is chosen again by cross-validation on them (with the split's
// seed) and refitted there, and the validation patients are scored.
func RBModeSpec(c *cohort.Cohort, feats dataframe.DataFrame, opt RBModeOptions) (ModelSpec, error) {
	opt = opt.withDefaults()
	X, names, err := featureMatrix(RBModeName, c, feats, opt.Features, false)
	if err != nil {
		return ModelSpec{}, err
	}
	y := cohort.Responses(c.Patients)
	return choosingSpec(RBModeName, opt.Candidates, func(train, valid []int, seed uint64) ([]float64, int, error) {
		cols, err := rbmodeRobust(c, train, names, opt, nil)
		if err != nil {
			return nil, -1, err
		}
		robust := make([]string, len(cols))
		for k, j := range cols {
			robust[k] = names[j]
		}
		return refitScore(RBModeName, opt.Candidates, keepCols(rows(X, train), cols), pick(y, train), PatientGroups(c, train), robust,
			keepCols(rows(X, valid), cols), candidateOptions{opt.Folds, opt.Repeats, seed, opt.Workers, nil, opt.Level})
	}), nil
}

// RBModeFeatures is radiomics.CohortTable with the package's default
// settings (fixed bin number, 32 bins; IBSI 2.7) and each patient's pixel
// size from the cine: the feature table RBMode expects, computed on
// GOMAXPROCS workers.
func RBModeFeatures(c *cohort.Cohort, progress func(done, total int)) (dataframe.DataFrame, error) {
	return radiomics.CohortTable(c, radiomics.TableOptions{}, progress)
}

// RBModePerturbations is radiomics.CohortPerturbed for every patient of the
// cohort with the default settings and perturbations (erosion and dilation
// by 1 and 2 pixels, one-pixel shifts): RBMode uses the training patients'
// rows only, RBModeSpec those of each re-drawn training split.
func RBModePerturbations(c *cohort.Cohort, progress func(done, total int)) (*radiomics.Perturbed, error) {
	return radiomics.CohortPerturbed(c, nil, radiomics.TableOptions{}, nil, progress)
}
