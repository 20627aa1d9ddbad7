package study

import (
	"github.com/go-gota/gota/dataframe"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/learn"
	"github.com/ceusrad/ceusrad/kernellib/tic"
)

// RTICName is the model's name in tables and figures.
const RTICName = "R-TIC"

// RTICCandidate is one pipeline R-TIC may choose: Build returns the
// unfitted estimator for the named input features and a seed (every random
// choice of the pipeline — inner folds, forest bootstraps — must derive
// from it).
type RTICCandidate = Candidate

// DefaultRTICCandidates are the pipelines R-TIC chooses between, each
// standardising, then imputing missing features (a failed fit, a curve
// without wash-out) by the training median, inside every training fold
// (learn.Pipeline):
//
//	lasso-logistic  L1-penalised logistic regression, λ by 5-fold CV (deviance, 1-SE rule; Tibshirani 1996, glmnet)
//	ridge-logistic  L2-penalised logistic regression, λ by 5-fold CV (deviance, minimum)
//	mw5-logistic    the 5 features with the smallest Mann–Whitney p-values, then L2 logistic regression with C = 1
//	random-forest   500 trees, √p features per split (Breiman 2001)
//
// the usual choices for a few dozen correlated curve parameters and about
// 90 training patients.
func DefaultRTICCandidates() []RTICCandidate {
	pre := func() []learn.Transformer {
		return []learn.Transformer{learn.Standardizer{}, learn.Imputer{Strategy: learn.MedianImpute}}
	}
	return []RTICCandidate{
		{"lasso-logistic", func(f []string, seed uint64) learn.Estimator {
			return learn.Pipeline{Steps: pre(), Names: f,
				Model: learn.LogisticCV{Penalty: learn.L1, Folds: 5, Rule: learn.OneSERule, Criterion: learn.Deviance, Seed: seed}}
		}},
		{"ridge-logistic", func(f []string, seed uint64) learn.Estimator {
			return learn.Pipeline{Steps: pre(), Names: f,
				Model: learn.LogisticCV{Penalty: learn.L2, Folds: 5, Rule: learn.MinRule, Criterion: learn.Deviance, Seed: seed}}
		}},
		{"mw5-logistic", func(f []string, seed uint64) learn.Estimator {
			return learn.Pipeline{Steps: append(pre(), learn.MannWhitneyFilter{K: min(5, len(f))}), Names: f,
				Model: learn.Logistic{Penalty: learn.L2, C: 1}}
		}},
		{"random-forest", func(f []string, seed uint64) learn.Estimator {
			return learn.Pipeline{Steps: []learn.Transformer{learn.Imputer{Strategy: learn.MedianImpute}}, Names: f,
				Model: learn.RandomForest{Trees: 500, Seed: seed}}
		}},
	}
}

// RTICOptions are the settings of RTIC; zero values take the defaults.
type RTICOptions struct {
	// Features are the feature columns used; nil means every numeric
	// column of the table (tic.CohortFeatures' features).
	Features []string
	// MinReaderICC, when above 0, keeps only the features whose
	// inter-reader ICC(2,1) over the training patients with a second
	// reader's mask (InterReader.Keep) is at least it; Readers must then
	// hold the readers' feature tables of R-TIC. Default 0: off.
	MinReaderICC float64
	Readers      *InterReader
	// Candidates are the pipelines compared; nil means
	// DefaultRTICCandidates().
	Candidates []RTICCandidate
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

func (o RTICOptions) withDefaults() RTICOptions {
	if o.Candidates == nil {
		o.Candidates = DefaultRTICCandidates()
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

// RTICCandidateResult is one candidate's cross-validation on the training
// split.
type RTICCandidateResult = CandidateResult

// RTICResult is R-TIC trained on a cohort's training split and scored on
// its validation split; Fitted.Features are its candidate features.
type RTICResult struct {
	Fitted
	// Inputs are the features the model was given: Fitted.Features, or
	// those the inter-reader filter kept (RTICOptions.MinReaderICC), whose
	// agreement over the training patients is ReaderICC (nil without it).
	Inputs    []string
	ReaderICC []ReaderICC
}

// RTIC builds the paper's R-TIC model (Liu et al. 2020: machine learning
// on the parameters of the CEUS time–intensity curve). feats is the table of
// TIC features, one row per patient with a patient_id column
// (tic.CohortFeatures); its rows are matched to the cohort's patients by
// patient_id. Each candidate pipeline is cross-validated (stratified
// k-fold, repeated; learn.CrossValidate, which refits scaling, imputation,
// selection and tuning inside every training fold) on the training split
// only; the one with the highest mean AUC is refitted on the whole training
// split and scores the validation patients, whose AUC and DeLong CI are
// reported. The validation split plays no part in any choice. ±Inf feature
// values are treated as missing. With opt.MinReaderICC, only the features
// whose inter-reader ICC(2,1) over the training patients reaches it are
// given to the candidates (InterReader.Keep).
func RTIC(c *cohort.Cohort, feats dataframe.DataFrame, opt RTICOptions) (*RTICResult, error) {
	opt = opt.withDefaults()
	X, names, err := featureMatrix(RTICName, c, feats, opt.Features, true)
	if err != nil {
		return nil, err
	}
	r := &RTICResult{Fitted: Fitted{Patients: c.Patients, Features: names}, Inputs: names}
	var cols []int
	if opt.MinReaderICC != 0 {
		train, _, err := splitOf(RTICName, c)
		if err != nil {
			return nil, err
		}
		if cols, r.ReaderICC, err = readerFilter(RTICName, opt.Readers, opt.MinReaderICC, c, train, names, nil); err != nil {
			return nil, err
		}
		r.Inputs = namesOf(names, cols)
	}
	if err := r.fit(RTICName, c, opt.Candidates, X, cols, r.Inputs, candidateOptions{opt.Folds, opt.Repeats, opt.Seed, opt.Workers, opt.Progress, opt.Level}); err != nil {
		return nil, err
	}
	return r, nil
}

// Scores returns the probabilities for Compare: the out-of-fold training
// probabilities of the chosen pipeline (on which Compare fixes the
// operating point) and the validation probabilities.
func (r *RTICResult) Scores() Scores { return r.scores(RTICName) }

// RTICSpec returns R-TIC as a ModelSpec for Robust: on each re-drawn split
// the pipeline is chosen again by cross-validation on that split's
// training patients (with the split's seed) and refitted there, and the
// validation patients are scored; with opt.MinReaderICC the inter-reader
// filter is chosen again on that split's training patients too.
func RTICSpec(c *cohort.Cohort, feats dataframe.DataFrame, opt RTICOptions) (ModelSpec, error) {
	opt = opt.withDefaults()
	X, names, err := featureMatrix(RTICName, c, feats, opt.Features, true)
	if err != nil {
		return ModelSpec{}, err
	}
	y := cohort.Responses(c.Patients)
	return choosingSpec(RTICName, opt.Candidates, func(train, valid []int, seed uint64) ([]float64, int, error) {
		xt, xv, in := rows(X, train), rows(X, valid), names
		if opt.MinReaderICC != 0 {
			cols, _, err := readerFilter(RTICName, opt.Readers, opt.MinReaderICC, c, train, names, nil)
			if err != nil {
				return nil, -1, err
			}
			xt, xv, in = keepCols(xt, cols), keepCols(xv, cols), namesOf(names, cols)
		}
		return refitScore(RTICName, opt.Candidates, xt, pick(y, train), PatientGroups(c, train), in, xv,
			candidateOptions{opt.Folds, opt.Repeats, seed, opt.Workers, nil, opt.Level})
	}), nil
}

// RTICFeatures is tic.CohortFeatures with tic.DefaultOptions: the feature
// table RTIC expects, computed on GOMAXPROCS workers.
func RTICFeatures(c *cohort.Cohort, progress func(done, total int)) (dataframe.DataFrame, error) {
	return tic.CohortFeatures(c, tic.DefaultOptions(), 0, progress)
}
