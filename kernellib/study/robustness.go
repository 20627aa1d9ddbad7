package study

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/plots"
	"github.com/ceusrad/ceusrad/kernellib/roc"
	"github.com/go-gota/gota/dataframe"
	"gonum.org/v1/plot"
)

// ModelSpec is a model the robustness analysis can retrain on any split.
type ModelSpec struct {
	Name string
	// Fit trains on the training patients (indices into the cohort) only,
	// with the given seed, and returns its probabilities for the
	// validation patients, in the order of valid.
	Fit func(train, valid []int, seed uint64) ([]float64, error)
	// Pipelines, for a model that chooses among candidate pipelines
	// (R-TIC, R-BMode), are their names; nil for a model of fixed design
	// (whose hyper-parameters, if any, Fit tunes on the training patients).
	// A single name is a choice made elsewhere (on another split) and
	// frozen: Robustness.PipelineRechosen is then false.
	Pipelines []string
	// Choose, when not nil, is used by Robust instead of Fit: it chooses
	// one of Pipelines using the training patients only (nested within
	// the split), fits it on them and returns the validation patients'
	// probabilities, as Fit, and the index of the chosen pipeline.
	Choose func(train, valid []int, seed uint64) (p []float64, chosen int, err error)
}

// Robustness is the validation performance of every model over re-drawn
// training/validation splits — the paper's "different training and
// validation cohorts" — and how often the pairwise DeLong verdicts hold.
type Robustness struct {
	Models []string
	// AUC[k][r] is model k's validation AUC on split r.
	AUC [][]float64
	// Pairs are the model pairs in Pairwise order with, over the splits,
	// the fraction in which the first model's AUC is higher and the
	// fraction in which DeLong's paired test is significant at Alpha (raw
	// and Holm-adjusted p).
	Pairs []RobustPair
	Alpha float64
	// Splits is the number of re-drawn splits.
	Splits int
	// Pipelines[k] are model k's candidate pipelines (nil for a fixed
	// design) and Chosen[k][r] the index of the one it chose on split r's
	// training patients (−1 for a fixed design).
	Pipelines [][]string
	Chosen    [][]int
	// PipelineRechosen reports that every model that chooses among
	// pipelines chose again inside every split, among more than one
	// candidate (no model retrained a choice frozen on another split).
	PipelineRechosen bool
}

// RobustPair summarises one pair of models over the splits.
type RobustPair struct {
	A           string  `json:"a"`
	B           string  `json:"b"`
	AHigher     float64 `json:"a_higher"`
	Significant float64 `json:"significant"`
	SigHolm     float64 `json:"significant_holm"`
	MedianDiff  float64 `json:"median_diff"`
	Q025        float64 `json:"q025"`
	Q975        float64 `json:"q975"`
}

// RobustnessOptions controls Robust.
type RobustnessOptions struct {
	// Splits is the number of re-drawn splits R; default 100.
	Splits int
	// NTrain is the size of each training cohort; default the paper's
	// (89 of 130, cohort.PaperTrainSize).
	NTrain int
	// Seed draws the splits (cohort.Resplits) and seeds every fit.
	Seed uint64
	// Alpha is the significance level of the DeLong verdicts; default 0.05.
	Alpha float64
	// Workers is the number of splits processed at once; default
	// GOMAXPROCS. The results do not depend on it.
	Workers int
	// Groups, for a lesion-level cohort, names every row's patient
	// (PatientGroups): the splits then keep a patient's lesions together
	// (cohort.GroupedResplits; NTrain counts patients) and each split's
	// pairwise tests use Obuchowski's clustered covariance. nil: one row
	// a patient.
	Groups []string
}

// Robust re-draws opts.Splits stratified splits of the cohort whose
// outcomes are labels (cohort.Resplits: split r from its own generator),
// retrains every model on each training part with seed (Seed, r), scores
// its validation part and computes the validation AUCs and the pairwise
// DeLong tests (with Holm's adjustment within each split). progress, when
// not nil, is called after each split. The result does not depend on the
// number of workers.
func Robust(labels []bool, specs []ModelSpec, opts RobustnessOptions, progress func(done, total int)) (*Robustness, error) {
	if len(specs) == 0 {
		return nil, errors.New("study: Robust: no models")
	}
	if opts.Splits == 0 {
		opts.Splits = 100
	}
	if opts.NTrain == 0 {
		opts.NTrain = paperTrainSize(len(labels), opts.Groups)
	}
	if opts.Alpha == 0 {
		opts.Alpha = 0.05
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	parts, err := resplits(labels, opts)
	if err != nil {
		return nil, fmt.Errorf("study: Robust: %w", err)
	}
	R, K := len(parts), len(specs)
	res := &Robustness{Alpha: opts.Alpha, Splits: R, AUC: make([][]float64, K), Chosen: make([][]int, K), PipelineRechosen: true}
	for k, s := range specs {
		if s.Fit == nil && s.Choose == nil {
			return nil, fmt.Errorf("study: Robust: model %q has neither Fit nor Choose", s.Name)
		}
		if (s.Choose != nil) != (len(s.Pipelines) > 0) {
			return nil, fmt.Errorf("study: Robust: model %q has %d pipelines and Choose %v; a model that chooses needs both", s.Name, len(s.Pipelines), s.Choose != nil)
		}
		res.Models = append(res.Models, s.Name)
		res.AUC[k] = make([]float64, R)
		res.Pipelines = append(res.Pipelines, slices.Clone(s.Pipelines))
		res.Chosen[k] = make([]int, R)
		if len(s.Pipelines) == 1 {
			res.PipelineRechosen = false
		}
	}
	nPairs := K * (K - 1) / 2
	tests := make([][]roc.PairwiseTest, R)
	errs := make([]error, R)
	var mu sync.Mutex
	done := 0
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < opts.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				errs[r] = robustSplit(r, parts[r], labels, specs, opts.Seed, opts.Groups, res, tests)
				mu.Lock()
				done++
				if progress != nil {
					progress(done, R)
				}
				mu.Unlock()
			}
		}()
	}
	for r := 0; r < R; r++ {
		jobs <- r
	}
	close(jobs)
	wg.Wait()
	for r, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("study: split %d: %w", r, err)
		}
	}
	for p := 0; p < nPairs; p++ {
		rp := RobustPair{A: specs[tests[0][p].A].Name, B: specs[tests[0][p].B].Name}
		diffs := make([]float64, R)
		for r := 0; r < R; r++ {
			t := tests[r][p]
			diffs[r] = t.Diff
			if t.Diff > 0 {
				rp.AHigher++
			}
			if t.P < opts.Alpha {
				rp.Significant++
			}
			if t.PHolm < opts.Alpha {
				rp.SigHolm++
			}
		}
		rp.AHigher /= float64(R)
		rp.Significant /= float64(R)
		rp.SigHolm /= float64(R)
		sort.Float64s(diffs)
		rp.Q025, rp.MedianDiff, rp.Q975 = quantile(diffs, 0.025), quantile(diffs, 0.5), quantile(diffs, 0.975)
		res.Pairs = append(res.Pairs, rp)
	}
	return res, nil
}

// robustSplit fits every model on one split (choosing its pipeline there
// when it has several) and records its AUCs, choices and tests in res and
// tests.
func robustSplit(r int, part cohort.Partition, labels []bool, specs []ModelSpec, seed uint64, groups []string, res *Robustness, tests [][]roc.PairwiseTest) error {
	truth := make([]bool, len(part.Test))
	for i, j := range part.Test {
		truth[i] = labels[j]
	}
	scores := make([][]float64, len(specs))
	for k, s := range specs {
		var p []float64
		var err error
		chosen := -1
		if s.Choose != nil {
			p, chosen, err = s.Choose(part.Train, part.Test, splitSeed(seed, r))
			if err == nil && (chosen < 0 || chosen >= len(s.Pipelines)) {
				err = fmt.Errorf("chose pipeline %d of %d", chosen, len(s.Pipelines))
			}
		} else {
			p, err = s.Fit(part.Train, part.Test, splitSeed(seed, r))
		}
		if err != nil {
			return fmt.Errorf("model %q: %w", s.Name, err)
		}
		res.Chosen[k][r] = chosen
		if len(p) != len(part.Test) {
			return fmt.Errorf("model %q returned %d probabilities for %d validation patients", s.Name, len(p), len(part.Test))
		}
		scores[k] = p
	}
	d, err := splitDeLong(scores, truth, part.Test, groups)
	if err != nil {
		return err
	}
	for k := range specs {
		res.AUC[k][r] = d.AUC[k]
	}
	if len(specs) > 1 {
		if tests[r], err = d.Pairwise(0.95); err != nil {
			return err
		}
	}
	return nil
}

// splitSeed derives split r's fitting seed from seed (SplitMix64 finaliser).
func splitSeed(seed uint64, r int) uint64 {
	z := seed + 0x9e3779b97f4a7c15*uint64(r+1)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// quantile is R's type-7 quantile of sorted x.
func quantile(x []float64, p float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	h := p * float64(len(x)-1)
	lo := int(math.Floor(h))
	if lo+1 >= len(x) {
		return x[len(x)-1]
	}
	return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
}

// Table is the distribution of each model's validation AUC over the
// splits: median, 2.5 % and 97.5 % quantiles, mean and SD, or every
// split's AUC below MinQuantileSplits splits (aucSummaryTable).
func (r *Robustness) Table() dataframe.DataFrame { return aucSummaryTable(r.Models, r.AUC) }

// PairTable is how often each pairwise verdict holds over the splits
// (pairSummaryTable).
func (r *Robustness) PairTable() dataframe.DataFrame { return pairSummaryTable(r) }

// Figure draws the AUC distributions over the splits as box plots
// (plots.Box).
func (r *Robustness) Figure() (*plot.Plot, error) {
	p, err := plots.Box(r.Models, r.AUC, "validation AUC")
	if err != nil {
		return nil, err
	}
	p.Title.Text = fmt.Sprintf("Validation AUC over %d re-drawn splits", r.Splits)
	return p, nil
}

// PipelineCounts returns, for model k, how many splits chose each of its
// candidate pipelines, in the order of Pipelines[k] (nil for a fixed
// design).
func (r *Robustness) PipelineCounts(k int) []int {
	if k >= len(r.Pipelines) || len(r.Pipelines[k]) == 0 || k >= len(r.Chosen) {
		return nil
	}
	n := make([]int, len(r.Pipelines[k]))
	for _, c := range r.Chosen[k] {
		n[c]++
	}
	return n
}

// PipelineTable is, for each model that chooses among pipelines, the
// share of the splits in which each candidate was chosen on the split's
// training patients.
func (r *Robustness) PipelineTable() dataframe.DataFrame {
	cols := []string{"model", "pipeline", "splits chosen", "share"}
	var rows [][]string
	for k, name := range r.Models {
		for j, n := range r.PipelineCounts(k) {
			rows = append(rows, []string{name, r.Pipelines[k][j], fmt.Sprint(n), f3(float64(n) / float64(r.Splits))})
		}
	}
	return frame(cols, rows)
}

// RobustPipelines is what results.json records of the pipeline choice of a
// robustness analysis (embedded in its robustness section):
// pipeline_rechosen (Robustness.PipelineRechosen), and for each model
// that chooses, the pipeline chosen on each split's training patients
// (pipeline_per_split, in split order), its candidates
// (pipeline_candidates) and how often each was chosen (pipeline_counts).
type RobustPipelines struct {
	PipelineRechosen bool                      `json:"pipeline_rechosen"`
	Candidates       map[string][]string       `json:"pipeline_candidates,omitempty"`
	PerSplit         map[string][]string       `json:"pipeline_per_split,omitempty"`
	Counts           map[string]map[string]int `json:"pipeline_counts,omitempty"`
}

// SetPipelines restores the pipeline choices of r (whose Models and Splits
// are set) from a record made by PipelineRecord, as read from
// results.json; a model without a record is of fixed design.
func (r *Robustness) SetPipelines(p RobustPipelines) {
	r.PipelineRechosen = p.PipelineRechosen
	r.Pipelines, r.Chosen = make([][]string, len(r.Models)), make([][]int, len(r.Models))
	for k, name := range r.Models {
		cands, per := p.Candidates[name], p.PerSplit[name]
		r.Chosen[k] = make([]int, len(per))
		if len(cands) == 0 || len(per) != r.Splits {
			for i := range r.Chosen[k] {
				r.Chosen[k][i] = -1
			}
			continue
		}
		r.Pipelines[k] = slices.Clone(cands)
		for i, c := range per {
			r.Chosen[k][i] = slices.Index(cands, c)
		}
	}
}

// PipelineRecord returns the analysis's RobustPipelines.
func (r *Robustness) PipelineRecord() RobustPipelines {
	out := RobustPipelines{PipelineRechosen: r.PipelineRechosen}
	for k, name := range r.Models {
		counts := r.PipelineCounts(k)
		if counts == nil {
			continue
		}
		if out.PerSplit == nil {
			out.PerSplit, out.Counts, out.Candidates = map[string][]string{}, map[string]map[string]int{}, map[string][]string{}
		}
		out.Candidates[name] = slices.Clone(r.Pipelines[k])
		out.Counts[name] = map[string]int{}
		for j, n := range counts {
			out.Counts[name][r.Pipelines[k][j]] = n
		}
		for _, c := range r.Chosen[k] {
			out.PerSplit[name] = append(out.PerSplit[name], r.Pipelines[k][c])
		}
	}
	return out
}
