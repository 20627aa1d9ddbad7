package study

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/go-gota/gota/dataframe"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/deep"
	"github.com/ceusrad/ceusrad/kernellib/internal/parallel"
	"github.com/ceusrad/ceusrad/kernellib/radiomics"
	"github.com/ceusrad/ceusrad/kernellib/roc"
	"github.com/ceusrad/ceusrad/kernellib/tic"
)

// PatientProblem is a patient a model could not score (a cine shorter than
// the CNN's sampled times, ...): the patient is left out of the external
// comparison of every model, so that all are compared on the same patients.
type PatientProblem struct {
	Patient string `json:"patient_id"`
	Model   string `json:"model"`
	Reason  string `json:"reason"`
}

// CohortScores are the frozen models' probabilities for every patient of a
// cohort (manifest order): Prob[k] those of Models[k], NaN for a patient
// the model could not score (listed in Problems).
type CohortScores struct {
	Models   []string
	Prob     [][]float64
	Problems []PatientProblem
}

// ScoreCohort applies the named models of the bundle (all when names is
// nil) to every patient of c, whatever its split: each model's inputs are
// made as in training (the clinical coding, the TIC and radiomic features
// with the bundle's settings, the CNN's preprocessing with its Config) and
// the frozen model predicts; nothing is refitted or chosen again. A model
// that cannot be applied to the cohort at all (a clinical column or a
// feature it needs is missing, different extraction settings) is an error
// naming the model and what is missing; a patient whose cine the CNN
// cannot sample is a PatientProblem. progress, when not nil, reports each
// model's feature extraction.
func (lb *LoadedBundle) ScoreCohort(c *cohort.Cohort, names []string, progress func(stage string, done, total int)) (*CohortScores, error) {
	if c == nil || len(c.Patients) == 0 {
		return nil, errors.New("study: external cohort: no patients")
	}
	if names == nil {
		for _, m := range lb.Manifest.Models {
			names = append(names, m.Name)
		}
	}
	cs := &CohortScores{}
	for _, name := range names {
		m, ok := lb.Model(name)
		if !ok {
			var have []string
			for _, m := range lb.Manifest.Models {
				have = append(have, m.Name)
			}
			return nil, fmt.Errorf("study: the bundle has no model %q (it has %s)", name, strings.Join(have, ", "))
		}
		var rep func(done, total int)
		if progress != nil {
			rep = func(done, total int) { progress(name, done, total) }
		}
		p, probs, err := lb.scoreModel(m, c, rep)
		if err != nil {
			return nil, fmt.Errorf("study: model %s on %s: %w (choose the other models to apply them without it)", name, c.Path, err)
		}
		cs.Models = append(cs.Models, name)
		cs.Prob = append(cs.Prob, p)
		cs.Problems = append(cs.Problems, probs...)
	}
	return cs, nil
}

// scoreModel is ScoreCohort for one model.
func (lb *LoadedBundle) scoreModel(m BundleModel, c *cohort.Cohort, progress func(done, total int)) ([]float64, []PatientProblem, error) {
	if m.Kind == KindCNN {
		return scoreCNN(lb.CNN, m.Name, c, progress)
	}
	pm := lb.Pipelines[m.Name]
	var X [][]float64
	var cols []string
	var err error
	switch m.Kind {
	case KindClinical:
		if X, cols, err = ApplyClinicalCoding(c, *m.Clinical); err != nil {
			return nil, nil, err
		}
	case KindTIC:
		if err := sameSettings("TIC", m.TICSettings, ticSettings); err != nil {
			return nil, nil, err
		}
		feats, err := tic.CohortFeatures(c, tic.DefaultOptions(), 0, progress)
		if err != nil {
			return nil, nil, err
		}
		if X, cols, err = bundleFeatureMatrix(m, c, feats.Names(), func(f []string) ([][]float64, []string, error) {
			return featureMatrix(m.Name, c, feats, f, true)
		}); err != nil {
			return nil, nil, err
		}
	case KindRadiomics:
		if err := sameSettings("radiomics", m.RadiomicsSettings, radiomicsSettings); err != nil {
			return nil, nil, err
		}
		feats, err := radiomics.CohortTable(c, radiomics.TableOptions{}, progress)
		if err != nil {
			return nil, nil, err
		}
		if X, cols, err = bundleFeatureMatrix(m, c, feats.Names(), func(f []string) ([][]float64, []string, error) {
			return featureMatrix(m.Name, c, feats, f, false)
		}); err != nil {
			return nil, nil, err
		}
	default:
		return nil, nil, fmt.Errorf("unknown kind %q", m.Kind)
	}
	in, err := pm.SelectColumns(cols, X)
	if err != nil {
		return nil, nil, err
	}
	p, err := pm.PredictProba(in)
	return p, nil, err
}

// bundleFeatureMatrix builds the rows of the model's needed features
// (every input the table has, so that the pipeline sees what it saw in
// training) with build, after checking that the table has every feature
// the model needs.
func bundleFeatureMatrix(m BundleModel, c *cohort.Cohort, have []string, build func([]string) ([][]float64, []string, error)) ([][]float64, []string, error) {
	var missing, use []string
	for _, f := range m.Inputs {
		switch {
		case slices.Contains(have, f):
			use = append(use, f)
		case slices.Contains(m.Needed, f):
			missing = append(missing, fmt.Sprintf("%q", f))
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("the feature table of %s lacks the feature(s) %s that the model needs", c.Path, strings.Join(missing, ", "))
	}
	return build(use)
}

// sameSettings refuses a model whose extraction settings (want, from the
// bundle) are not those of this code (now).
func sameSettings(what string, want json.RawMessage, now func() (json.RawMessage, error)) error {
	have, err := now()
	if err != nil {
		return err
	}
	var a, b bytes.Buffer
	if json.Compact(&a, have) != nil || json.Compact(&b, want) != nil || a.String() != b.String() {
		return fmt.Errorf("the bundle's %s settings %s differ from this code's %s: the frozen model's features cannot be made as in training", what, b.String(), a.String())
	}
	return nil
}

// scoreCNN prepares every patient's cine as in training (deep.Prepare with
// the checkpoint's Config) and predicts those that could be prepared; the
// others are PatientProblems with the reason (a cine too short for the
// sampled times, a missing mask, ...).
func scoreCNN(m *deep.Model, name string, c *cohort.Cohort, progress func(done, total int)) ([]float64, []PatientProblem, error) {
	if m == nil {
		return nil, nil, errors.New("the bundle holds no CNN checkpoint")
	}
	srcs := deep.SourcesOf(c.Patients)
	clips := make([]*deep.Clip, len(srcs))
	errs := make([]error, len(srcs))
	workers := m.Config.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	_ = parallel.ForEach(len(srcs), workers, func(i int) error {
		clips[i], errs[i] = deep.Prepare(srcs[i], m.Config)
		return nil
	}, progress)
	var ok []*deep.Clip
	var idx []int
	var probs []PatientProblem
	for i, err := range errs {
		if err != nil {
			probs = append(probs, PatientProblem{Patient: c.Patients[i].ID, Model: name, Reason: err.Error()})
			continue
		}
		ok, idx = append(ok, clips[i]), append(idx, i)
	}
	p := make([]float64, len(srcs))
	for i := range p {
		p[i] = math.NaN()
	}
	if len(ok) == 0 {
		return p, probs, nil
	}
	q, err := m.Predict(ok)
	if err != nil {
		return nil, nil, err
	}
	for k, i := range idx {
		p[i] = q[k]
	}
	return p, probs, nil
}

// ValidateOptions are the settings of Validate; zero values take the
// defaults.
type ValidateOptions struct {
	// Models are the bundle's models to apply (nil: all).
	Models []string
	// Recalibrate adds the logistic recalibration of every model on the
	// external cohort (External.Recalibrated).
	Recalibrate bool
	// Seed and BootReplicates of the bootstrap CIs; default 1 and 2000.
	Seed           uint64
	BootReplicates int
	// BundlePath is how results.json names the bundle's manifest
	// (default: its path).
	BundlePath string
	// Progress, when not nil, reports each stage.
	Progress func(stage string, done, total int)
}

// External is what Validate adds to a Study: the bundle applied, the
// patients left out and, with ValidateOptions.Recalibrate, the recalibrated
// models' comparison.
type External struct {
	Bundle   ResultBundle
	Patients int
	Excluded []PatientProblem
	// Recalibration holds, per model, the intercept a and slope b of
	// logit P(OR) = a + b·logit(p) fitted on the external cohort, the
	// frozen threshold carried through them, and Recalibrated the
	// comparison of the recalibrated probabilities (nil without
	// Recalibrate).
	Recalibration []Recalibrated
	Recalibrated  *Comparison
	recalScores   []Scores
}

// Recalibrated is one model's logistic recalibration on the external
// cohort ("model updating" by re-estimating the intercept and the slope of
// the linear predictor; Steyerberg, Clinical Prediction Models, 2019,
// ch. 20; TRIPOD item 10e/17): p' = 1/(1 + e^−(a + b·logit p)). Threshold
// is the frozen threshold t carried through the same map, so that the
// patients above it are the same (b > 0). Note is why a model was not
// recalibrated (a or b not estimable, b ≤ 0).
type Recalibrated struct {
	Name                  string
	Intercept, Slope      float64
	Threshold             float64
	Note                  string
	InComparison          bool
	FrozenThreshold       float64
	FrozenThresholdSource string
}

// ResultExternal is results.json's "external_validation".
type ResultExternal struct {
	// FrozenModels: no model was refitted, no pipeline chosen again, no
	// threshold chosen again.
	FrozenModels bool             `json:"frozen_models"`
	NPatients    int              `json:"n_patients"`
	NScored      int              `json:"n_scored"`
	Excluded     []PatientProblem `json:"excluded_patients"`
	// Recalibration: per model, intercept and slope of the logistic
	// recalibration on this cohort and the recalibrated results (their
	// calibration measures are apparent: fitted and measured on the same
	// patients).
	Recalibration []ResultRecalibrated `json:"recalibration,omitempty"`
}

// ResultRecalibrated is one recalibrated model in results.json.
type ResultRecalibrated struct {
	Name      string       `json:"name"`
	Intercept jsonFloat    `json:"intercept"`
	Slope     jsonFloat    `json:"slope"`
	Threshold jsonFloat    `json:"threshold"`
	Note      string       `json:"note,omitempty"`
	Model     *ResultModel `json:"model,omitempty"`
}

// result makes results.json's section.
func (e *External) result() *ResultExternal {
	r := &ResultExternal{FrozenModels: true, NPatients: e.Patients, NScored: e.Patients - len(excludedPatients(e.Excluded)),
		Excluded: e.Excluded}
	if r.Excluded == nil {
		r.Excluded = []PatientProblem{}
	}
	k := 0
	for _, rc := range e.Recalibration {
		rr := ResultRecalibrated{Name: rc.Name, Intercept: jsonFloat(rc.Intercept), Slope: jsonFloat(rc.Slope), Threshold: jsonFloat(rc.Threshold), Note: rc.Note}
		if rc.InComparison && e.Recalibrated != nil {
			m := resultModel(e.Recalibrated.Models[k], "logistic recalibration of the frozen "+rc.Name, e.recalScores[k])
			rr.Model = &m
			k++
		}
		r.Recalibration = append(r.Recalibration, rr)
	}
	return r
}

// excludedPatients returns the distinct patients of problems.
func excludedPatients(problems []PatientProblem) map[string]bool {
	out := map[string]bool{}
	for _, p := range problems {
		out[p.Patient] = true
	}
	return out
}

// RecalibrationTable is, per model, the intercept a and slope b of the
// logistic recalibration on the external cohort (Recalibrated), the frozen
// threshold and the same threshold carried through the recalibration.
func (e *External) RecalibrationTable() dataframe.DataFrame {
	cols := []string{"model", "intercept a", "slope b", "frozen threshold", "recalibrated threshold", "note"}
	var rows [][]string
	for _, rc := range e.Recalibration {
		rows = append(rows, []string{rc.Name, fmt.Sprintf("%.3f", rc.Intercept), fmt.Sprintf("%.3f", rc.Slope),
			fmt.Sprintf("%.3f", rc.FrozenThreshold), fmt.Sprintf("%.3f", rc.Threshold), rc.Note})
	}
	return frame(cols, rows)
}

// writeFiles writes the external validation's own files into dir: the
// recalibrated comparison (external_recalibrated_*) and the recalibration
// table.
func (e *External) writeFiles(dir string) ([]string, error) {
	if e.Recalibrated == nil {
		return nil, nil
	}
	paths, err := e.Recalibrated.WriteFiles(dir, "external_recalibrated_")
	if err != nil {
		return paths, err
	}
	base := filepath.Join(dir, "external_recalibration")
	if err := WriteTable(e.RecalibrationTable(), base); err != nil {
		return paths, err
	}
	return append(paths, base+".csv", base+".md"), nil
}

// Validate applies a bundle's frozen models to every patient of c (its
// split column ignored) and compares them as the study does (Compare):
// AUC with DeLong and bootstrap CIs, pairwise DeLong with Holm's
// adjustment, NRI/IDI, the operating point at each model's training-fixed
// threshold, calibration (Hosmer–Lemeshow with G degrees of freedom:
// roc.ValidationSample) and decision curves. Patients some model could not
// score are left out of every model's comparison and listed. With
// opt.Recalibrate, each model is also recalibrated on the cohort
// (Recalibrated) and compared again, beside the frozen results (their
// Hosmer–Lemeshow test with G − 2 degrees of freedom: fitted here). The Study
// returned holds the comparison and External; its WriteFiles writes the
// external_* tables and figures and results.json ("external": true, the
// bundle's hashes).
func Validate(lb *LoadedBundle, c *cohort.Cohort, opt ValidateOptions) (*Study, error) {
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.BootReplicates == 0 {
		opt.BootReplicates = roc.DefaultReplicates
	}
	report := stageReporter(opt.Progress)
	cs, err := lb.ScoreCohort(c, opt.Models, opt.Progress)
	if err != nil {
		return nil, err
	}
	bad := excludedPatients(cs.Problems)
	var keep []int
	for i, p := range c.Patients {
		if !bad[p.ID] {
			keep = append(keep, i)
		}
	}
	if len(keep) == 0 {
		return nil, fmt.Errorf("study: no patient of %s could be scored by every model (%d problems, the first: %s: %s)", c.Path, len(cs.Problems), cs.Problems[0].Patient, cs.Problems[0].Reason)
	}
	y := pick(cohort.Responses(c.Patients), keep)
	bundlePath := opt.BundlePath
	if bundlePath == "" {
		bundlePath = filepath.Join(lb.Dir, BundleManifest)
	}
	ext := &External{Bundle: ResultBundle{Path: bundlePath, SHA256: lb.SHA256, CohortSHA256: lb.Manifest.CohortSHA256, CodeVersion: lb.Manifest.CodeVersion},
		Patients: len(c.Patients), Excluded: cs.Problems}
	s := &Study{Cohort: c, Valid: keep, External: ext, Bundle: &ext.Bundle,
		Options: ResultOptions{Seed: opt.Seed, BootReplicates: opt.BootReplicates, Models: cs.Models}}
	var scores []Scores
	for k, name := range cs.Models {
		m, _ := lb.Model(name)
		sc := Scores{Name: name, Valid: pick(cs.Prob[k], keep), Fixed: &FixedThreshold{Threshold: float64(m.Threshold), Source: m.ThresholdSource}}
		summary := "frozen " + m.Kind + " model from the bundle"
		if m.Chosen != "" {
			summary = "frozen " + m.Chosen + " from the bundle"
		}
		s.Runs = append(s.Runs, &ModelRun{Scores: sc, Summary: fmt.Sprintf("%s, threshold %.3f (fixed on %s)", summary, float64(m.Threshold), m.ThresholdSource)})
		scores = append(scores, sc)
	}
	cmpOpt := CompareOptions{Boot: roc.BootOptions{Replicates: opt.BootReplicates, Seed: opt.Seed}, Clusters: PatientGroups(c, keep)}
	if s.Comparison, err = Compare(nil, y, scores, cmpOpt, report("comparison")); err != nil {
		return nil, err
	}
	if opt.Recalibrate {
		if err := ext.recalibrate(s.Comparison, scores, y, cmpOpt, report("recalibrated comparison")); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// recalibrate carries each model through its logistic recalibration on
// the external cohort (the frozen comparison's intercept and slope) and
// compares the recalibrated probabilities.
func (e *External) recalibrate(frozen *Comparison, scores []Scores, y []bool, opt CompareOptions, progress func(done, total int)) error {
	eps := opt.withDefaults().ClipEps
	logit := func(p float64) float64 {
		p = min(max(p, eps), 1-eps)
		return math.Log(p / (1 - p))
	}
	for k, sc := range scores {
		r := frozen.Models[k].Recalibration
		rc := Recalibrated{Name: sc.Name, Intercept: r.Intercept.Est, Slope: r.Slope.Est, Threshold: math.NaN(),
			FrozenThreshold: sc.Fixed.Threshold, FrozenThresholdSource: sc.Fixed.Source}
		switch {
		case math.IsNaN(rc.Intercept) || math.IsNaN(rc.Slope):
			rc.Note = "intercept and slope not estimable on this cohort"
		case !(rc.Slope > 0):
			rc.Note = fmt.Sprintf("slope %.3f ≤ 0: the model ranks the patients the wrong way round here; not recalibrated", rc.Slope)
		default:
			m := func(p float64) float64 { return 1 / (1 + math.Exp(-(rc.Intercept + rc.Slope*logit(p)))) }
			v := make([]float64, len(sc.Valid))
			for i, p := range sc.Valid {
				v[i] = m(p)
			}
			rc.Threshold, rc.InComparison = sc.Fixed.Threshold, true
			if !math.IsInf(rc.Threshold, 0) { // ±Inf classifies the same patients after the map
				rc.Threshold = m(rc.Threshold)
			}
			e.recalScores = append(e.recalScores, Scores{Name: sc.Name, Valid: v,
				Fixed: &FixedThreshold{Threshold: rc.Threshold, Source: sc.Fixed.Source}})
		}
		e.Recalibration = append(e.Recalibration, rc)
	}
	if len(e.recalScores) == 0 {
		return nil
	}
	// The recalibrated probabilities are fitted on these patients (two
	// parameters): their Hosmer–Lemeshow test has G − 2 degrees of freedom.
	opt.FittedHere = true
	var err error
	if e.Recalibrated, err = Compare(nil, y, e.recalScores, opt, progress); err != nil {
		return fmt.Errorf("study: recalibrated comparison: %w", err)
	}
	return nil
}
