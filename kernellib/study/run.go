package study

import (
	"fmt"
	"runtime"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// RunOptions are the settings of RunStudy; zero values take the defaults.
type RunOptions struct {
	// Seed seeds every model, fold and bootstrap; default 1.
	Seed uint64
	// Splits is the number R of re-drawn splits of the robustness
	// analysis of the classical models (clinical, R-TIC, R-BMode);
	// default 100. Negative skips it.
	Splits int
	// CNNSplits is R for the analysis that retrains R-DLCEUS too (each
	// retraining takes minutes on 2 cores); default 0, none.
	CNNSplits int
	// BootReplicates for the AUC CIs and ROC bands; default 2000.
	BootReplicates int
	// CNNEpochs overrides the CNN's largest number of epochs (0: the
	// default configuration's), for quick runs.
	CNNEpochs int
	// Models restricts the study to these model names (nil: all that
	// are registered with Register).
	Models []string
	// NoROI skips the ROI-perturbation robustness of R-TIC and R-BMode
	// (ROIRobustness), which otherwise runs whenever both models do.
	NoROI bool
	// MinReaderICC, when above 0, is R-TIC's and R-BMode's inter-reader
	// feature filter (RTICOptions.MinReaderICC, RBModeOptions.MinReaderICC);
	// it needs a cohort with lesion_mask_2. Default 0: off.
	MinReaderICC float64
	// Progress, when not nil, reports each stage: its name, done, total.
	Progress func(stage string, done, total int)

	// readers is the inter-reader agreement RunStudy computed before the
	// models, for their filter.
	readers *InterReader
}

// ModelRun is one model of the study: its validation scores for Compare
// and, for the robustness analysis, a spec that retrains it on any split.
type ModelRun struct {
	Scores Scores
	Spec   ModelSpec
	// Expensive marks a model retrained only in the CNNSplits analysis.
	Expensive bool
	// Summary is a one-line description of what was fitted (the chosen
	// pipeline, the selected features, the training time).
	Summary string
	// Result is the model's own result (*RTICResult, *RBModeResult, …),
	// for analyses that need the fitted model; it may be nil.
	Result any
}

// ModelBuilder trains one model of the study on the cohort's training
// split and scores its validation split.
type ModelBuilder struct {
	Name  string
	Build func(c *cohort.Cohort, opt RunOptions, progress func(done, total int)) (*ModelRun, error)
}

// Builders are the study's models, in the order of its tables: the
// clinical model, R-TIC, R-BMode and R-DLCEUS (each file registering its
// own with Register).
var Builders []ModelBuilder

// Register adds a model to the study.
func Register(b ModelBuilder) { Builders = append(Builders, b) }

// Study is the whole study on one cohort.
type Study struct {
	Cohort       *cohort.Cohort
	Train, Valid []int
	Runs         []*ModelRun
	Comparison   *Comparison
	// Robust is the robustness of the classical models over Splits
	// re-drawn splits; RobustCNN that of every model over CNNSplits.
	Robust, RobustCNN *Robustness
	// ROI is the ROI-perturbation robustness of R-TIC and R-BMode (nil
	// when either did not run, or with RunOptions.NoROI).
	ROI *ROIRobust
	// InterReader is the inter-reader agreement of R-TIC's and R-BMode's
	// features (nil when the cohort has no lesion_mask_2 or neither ran).
	InterReader *InterReader
	Timings     map[string]time.Duration
	// Options are the settings of the run, as results.json records them.
	Options ResultOptions
	// Provenance is what the numbers were made from (LoadOrRun sets it
	// before the run; WriteFiles, when it is unset, when it writes).
	Provenance Provenance
	// Bundle is the model bundle WriteFiles wrote (nil before, or when no
	// model could be bundled); External, for ceusrad validate, says that
	// the study is frozen models applied to another cohort (Validate).
	Bundle   *ResultBundle
	External *External
}

// RunStudy runs the paper's pipeline on a cohort: every registered model
// trained on the training split only and scored on the validation split,
// their comparison (Compare), and the robustness analysis over re-drawn
// splits (Robust).
func RunStudy(c *cohort.Cohort, opt RunOptions) (*Study, error) {
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.Splits == 0 {
		opt.Splits = 100
	}
	if opt.BootReplicates == 0 {
		opt.BootReplicates = roc.DefaultReplicates
	}
	report := stageReporter(opt.Progress)
	s := &Study{Cohort: c, Timings: map[string]time.Duration{},
		Options: ResultOptions{Seed: opt.Seed, Splits: max(opt.Splits, 0), CNNSplits: opt.CNNSplits, BootReplicates: opt.BootReplicates, CNNEpochs: opt.CNNEpochs}}
	s.Train, s.Valid = cohort.SplitIndices(c.Patients)
	y := cohort.Responses(c.Patients)
	want := map[string]bool{}
	for _, m := range opt.Models {
		want[m] = true
	}
	if err := s.interReader(c, &opt, want, report); err != nil {
		return nil, err
	}
	for _, b := range Builders {
		if len(want) > 0 && !want[b.Name] {
			continue
		}
		start := time.Now()
		r, err := b.Build(c, opt, report(b.Name))
		if err != nil {
			return nil, fmt.Errorf("study: %s: %w", b.Name, err)
		}
		s.Timings[b.Name] = time.Since(start)
		s.Runs = append(s.Runs, r)
		s.Options.Models = append(s.Options.Models, b.Name)
	}
	if len(s.Runs) == 0 {
		return nil, fmt.Errorf("study: no models to run (asked for %v)", opt.Models)
	}
	var scores []Scores
	for _, r := range s.Runs {
		scores = append(scores, r.Scores)
	}
	start := time.Now()
	cmp, err := Compare(pick(y, s.Train), pick(y, s.Valid), scores,
		CompareOptions{Boot: roc.BootOptions{Replicates: opt.BootReplicates, Seed: opt.Seed}, Clusters: PatientGroups(c, s.Valid)}, report("comparison"))
	if err != nil {
		return nil, err
	}
	s.Comparison = cmp
	s.Timings["comparison"] = time.Since(start)
	groups := PatientGroups(c, allRows(len(c.Patients)))
	var cheap, all []ModelSpec
	for _, r := range s.Runs {
		all = append(all, r.Spec)
		if !r.Expensive {
			cheap = append(cheap, r.Spec)
		}
	}
	if opt.Splits > 0 && len(cheap) > 0 {
		start := time.Now()
		if s.Robust, err = Robust(y, cheap, RobustnessOptions{Splits: opt.Splits, Seed: opt.Seed, Groups: groups}, report("robustness")); err != nil {
			return nil, err
		}
		s.Timings["robustness"] = time.Since(start)
	}
	if opt.CNNSplits > 0 && len(all) > len(cheap) {
		start := time.Now()
		if s.RobustCNN, err = Robust(y, all, RobustnessOptions{Splits: opt.CNNSplits, Seed: opt.Seed, Workers: cnnSplitWorkers(opt.CNNSplits), Groups: groups}, report("robustness with the CNN")); err != nil {
			return nil, err
		}
		s.Timings["robustness with the CNN"] = time.Since(start)
	}
	if !opt.NoROI {
		var rt *RTICResult
		var rb *RBModeResult
		for _, r := range s.Runs {
			switch v := r.Result.(type) {
			case *RTICResult:
				rt = v
			case *RBModeResult:
				rb = v
			}
		}
		if rt != nil && rb != nil {
			start := time.Now()
			if s.ROI, err = ROIRobustness(c, rt, rb, ROIRobustOptions{}, report("ROI perturbation")); err != nil {
				return nil, err
			}
			s.Timings["ROI perturbation"] = time.Since(start)
			s.Options.ROIPerturbation = true
		}
	}
	return s, nil
}

// cnnSplitWorkers returns how many of the splits that retrain the CNN run
// at once: as many as there are cores. Each network keeps its GOMAXPROCS
// goroutines, so that the last one left uses every core. A network's
// training keeps two cores only partly busy (its tensors are larger than
// the caches, so memory bandwidth bounds the convolutions and the batch
// norm): an epoch takes 1.7 s on 2 cores, and two networks side by side
// 3.3–3.5 s for an epoch of both with 2 goroutines each, as with one each
// (BenchmarkEpoch, BenchmarkEpochTwoAtOnce in kernellib/deep, 2-core
// machine). The results do not depend on it.
func cnnSplitWorkers(splits int) int {
	return max(1, min(splits, runtime.GOMAXPROCS(0)))
}

// stageReporter turns a progress function over named stages (nil: none)
// into one per stage.
func stageReporter(progress func(stage string, done, total int)) func(stage string) func(done, total int) {
	return func(stage string) func(done, total int) {
		return func(done, total int) {
			if progress != nil {
				progress(stage, done, total)
			}
		}
	}
}
