package study

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/learn"
	"github.com/ceusrad/ceusrad/kernellib/radiomics"
)

// withSplit returns a copy of c whose manifest split is part.
func withSplit(c *cohort.Cohort, part cohort.Partition) *cohort.Cohort {
	out := *c
	out.Patients = slices.Clone(c.Patients)
	for _, i := range part.Train {
		out.Patients[i].Split = cohort.SplitTrain
	}
	for _, i := range part.Test {
		out.Patients[i].Split = cohort.SplitValidation
	}
	return &out
}

// TestRobustRechoosesPipeline: the robustness analysis chooses R-TIC's
// pipeline again inside every re-drawn split — the choice on split r is
// the one RTIC makes with split r as the manifest's split (its training
// patients only, the split's seed) — and records it; the spec RunStudy
// builds offers every candidate (it retrained the paper split's choice).
func TestRobustRechoosesPipeline(t *testing.T) {
	c, feats := ticToy(t, 130)
	opt := RTICOptions{Repeats: 1, Workers: 1}
	spec, err := RTICSpec(c, feats, opt)
	if err != nil {
		t.Fatal(err)
	}
	y := cohort.Responses(c.Patients)
	const R, seed = 3, 7
	rb, err := Robust(y, []ModelSpec{spec}, RobustnessOptions{Splits: R, Seed: seed, Workers: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"lasso-logistic", "ridge-logistic", "mw5-logistic", "random-forest"}
	if !rb.PipelineRechosen || !reflect.DeepEqual(rb.Pipelines[0], want) {
		t.Fatalf("rechosen %v, pipelines %v", rb.PipelineRechosen, rb.Pipelines)
	}
	parts, err := cohort.Resplits(y, cohort.PaperTrainSize(len(y)), R, seed)
	if err != nil {
		t.Fatal(err)
	}
	for r, part := range parts {
		o := opt
		o.Seed = splitSeed(seed, r)
		f, err := RTIC(withSplit(c, part), feats, o)
		if err != nil {
			t.Fatal(err)
		}
		if rb.Chosen[0][r] != f.Chosen || math.Abs(rb.AUC[0][r]-f.AUC) > 1e-12 {
			t.Errorf("split %d: chose %d (AUC %v), RTIC on that split chooses %d (AUC %v)", r, rb.Chosen[0][r], rb.AUC[0][r], f.Chosen, f.AUC)
		}
	}
	rec := rb.PipelineRecord()
	n := 0
	for _, v := range rec.Counts[RTICName] {
		n += v
	}
	if !rec.PipelineRechosen || len(rec.PerSplit[RTICName]) != R || n != R || len(rec.Counts[RTICName]) != 4 {
		t.Errorf("record %+v", rec)
	}
	js, err := json.Marshal(ResultRobust{Splits: R, RobustPipelines: rec})
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(js, &back); err != nil || back["pipeline_rechosen"] != true || back["pipeline_per_split"] == nil || back["pipeline_counts"] == nil {
		t.Errorf("results.json's robustness section: %s (%v)", js, err)
	}
	var res ResultRobust
	if err := json.Unmarshal(js, &res); err != nil {
		t.Fatal(err)
	}
	back2 := &Robustness{Models: rb.Models, Splits: R}
	back2.SetPipelines(res.RobustPipelines)
	if !reflect.DeepEqual(back2.Chosen, rb.Chosen) || !reflect.DeepEqual(back2.Pipelines, rb.Pipelines) || !back2.PipelineRechosen {
		t.Errorf("restored from JSON: %v %v, want %v %v", back2.Pipelines, back2.Chosen, rb.Pipelines, rb.Chosen)
	}
	if rb.PipelineTable().Nrow() != 4 {
		t.Errorf("pipeline table: %d rows", rb.PipelineTable().Nrow())
	}

	// The spec of the study's R-TIC offers every candidate.
	run, err := rticRun(c, feats, RunOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(run.Spec.Pipelines, want) || run.Spec.Choose == nil {
		t.Errorf("the study's R-TIC spec chooses among %v", run.Spec.Pipelines)
	}

	// A spec with one candidate retrains a choice made elsewhere.
	frozen, err := RTICSpec(c, feats, RTICOptions{Repeats: 1, Candidates: DefaultRTICCandidates()[1:2]})
	if err != nil {
		t.Fatal(err)
	}
	rf, err := Robust(y, []ModelSpec{frozen}, RobustnessOptions{Splits: 2, Seed: seed}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rf.PipelineRechosen || rf.PipelineRecord().PipelineRechosen {
		t.Error("a single, pre-chosen candidate counted as re-chosen")
	}
	bad := spec
	bad.Pipelines = nil
	if _, err := Robust(y, []ModelSpec{bad}, RobustnessOptions{Splits: 2}, nil); err == nil {
		t.Error("Choose without Pipelines: no error")
	}
}

// spyLog records which patients every fit and every prediction of a spy
// pipeline saw, by split seed.
type spyLog struct {
	mu    sync.Mutex
	fits  map[uint64][][]int
	preds map[uint64][][2][]int // fitted on, predicted
}

func (l *spyLog) add(seed uint64, fit, pred []int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if pred == nil {
		l.fits[seed] = append(l.fits[seed], fit)
	} else {
		l.preds[seed] = append(l.preds[seed], [2][]int{fit, pred})
	}
}

// spyEstimator reads each row's patient index from the input column id,
// logs it, and scores the rows by the column score (sign × value).
type spyEstimator struct {
	log       *spyLog
	seed      uint64
	id, score int
	sign      float64
}

type spyModel struct {
	spyEstimator
	fitted []int
}

func (s spyEstimator) ids(X [][]float64) []int {
	out := make([]int, len(X))
	for i, x := range X {
		out[i] = int(x[s.id])
	}
	slices.Sort(out)
	return out
}

func (s spyEstimator) Fit(X [][]float64, y []bool) (learn.Model, error) {
	ids := s.ids(X)
	s.log.add(s.seed, ids, nil)
	return &spyModel{s, ids}, nil
}

func (m *spyModel) PredictProba(X [][]float64) ([]float64, error) {
	m.log.add(m.seed, m.fitted, m.ids(X))
	out := make([]float64, len(X))
	for i, x := range X {
		out[i] = 1 / (1 + math.Exp(-m.sign*x[m.score]))
	}
	return out, nil
}

// spyCandidates are two pipelines that log to l and score by f1 (up or
// down), reading the patient from the column "pid".
func spyCandidates(l *spyLog) []Candidate {
	mk := func(sign float64) func(f []string, seed uint64) learn.Estimator {
		return func(f []string, seed uint64) learn.Estimator {
			return spyEstimator{log: l, seed: seed, id: slices.Index(f, "pid"), score: slices.Index(f, "f1"), sign: sign}
		}
	}
	return []Candidate{{Name: "up", Build: mk(1)}, {Name: "down", Build: mk(-1)}}
}

// TestRobustNoLeakage: run through Robust, the R-TIC and R-BMode specs
// never fit anything — inner cross-validation folds, the choice, the refit —
// on a patient of the split's validation part; the model that scores the
// validation patients was fitted on exactly the split's training patients;
// and R-BMode's ICC filter reads the perturbed features of training
// patients only (the table given holds no others).
func TestRobustNoLeakage(t *testing.T) {
	c, feats := ticToy(t, 130)
	at := map[string]int{}
	for i, p := range c.Patients {
		at[p.ID] = i
	}
	ids := feats.Col(cohort.ColPatientID).Records()
	pid := make([]float64, len(ids))
	for i, id := range ids {
		pid[i] = float64(at[id])
	}
	feats = feats.Mutate(series.New(pid, series.Float, "pid"))
	y := cohort.Responses(c.Patients)
	const R, seed = 4, 11
	parts, err := cohort.Resplits(y, cohort.PaperTrainSize(len(y)), R, seed)
	if err != nil {
		t.Fatal(err)
	}
	split := map[uint64]int{}
	for r := range parts {
		split[splitSeed(seed, r)] = r
	}
	l := &spyLog{fits: map[uint64][][]int{}, preds: map[uint64][][2][]int{}}
	ts, err := RTICSpec(c, feats, RTICOptions{Features: []string{"pid", "f1", "f2"}, Candidates: spyCandidates(l), Repeats: 2})
	if err != nil {
		t.Fatal(err)
	}
	rb, err := Robust(y, []ModelSpec{ts}, RobustnessOptions{Splits: R, Seed: seed, Workers: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkSpy(t, l, parts, split, 5*2*2+1)
	if !rb.PipelineRechosen {
		t.Error("not re-chosen")
	}

	// R-BMode, one split, with perturbed features of its training
	// patients only.
	l = &spyLog{fits: map[uint64][][]int{}, preds: map[uint64][][2][]int{}}
	pt := spyPerturbed(feats, c, parts[0].Train, []string{"pid", "f1", "f2"})
	bs, err := RBModeSpec(c, feats, RBModeOptions{Features: []string{"pid", "f1", "f2"}, Perturbed: pt, Candidates: spyCandidates(l), Repeats: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Robust(y, []ModelSpec{bs}, RobustnessOptions{Splits: 1, Seed: seed}, nil); err != nil {
		t.Fatalf("R-BMode with the training patients' perturbed features only: %v", err)
	}
	checkSpy(t, l, parts[:1], split, 5*2+1)
}

// checkSpy asserts that no fit of split r saw a validation patient of
// parts[r], that each split made fits fits, and that the validation
// patients were scored once, by a model fitted on the training part.
func checkSpy(t *testing.T, l *spyLog, parts []cohort.Partition, split map[uint64]int, fits int) {
	t.Helper()
	if len(l.fits) != len(parts) {
		t.Fatalf("fits under %d seeds, want %d splits", len(l.fits), len(parts))
	}
	for s, fs := range l.fits {
		r, ok := split[s]
		if !ok {
			t.Fatalf("a fit with seed %d, no split's", s)
		}
		valid := parts[r].Test
		if len(fs) != fits {
			t.Errorf("split %d: %d fits, want %d", r, len(fs), fits)
		}
		for _, f := range fs {
			for _, i := range f {
				if _, found := slices.BinarySearch(valid, i); found {
					t.Fatalf("split %d: a fit saw validation patient %d", r, i)
				}
			}
		}
		scored := 0
		for _, p := range l.preds[s] {
			leak := false
			for _, i := range p[1] {
				_, found := slices.BinarySearch(valid, i)
				leak = leak || found
			}
			if !leak {
				continue
			}
			scored++
			if !slices.Equal(p[0], parts[r].Train) || !slices.Equal(p[1], valid) {
				t.Errorf("split %d: validation patients scored by a model fitted on %d patients (want the %d training ones): %v", r, len(p[0]), len(parts[r].Train), fmt.Sprint(p[1]))
			}
		}
		if scored != 1 {
			t.Errorf("split %d: the validation patients were scored %d times", r, scored)
		}
	}
}

// spyPerturbed is a perturbation table of the features names for the
// patients idx only, every feature the same under 2 perturbations (ICC 1).
func spyPerturbed(feats dataframe.DataFrame, c *cohort.Cohort, idx []int, names []string) *radiomics.Perturbed {
	row := map[string]int{}
	for i, id := range feats.Col(cohort.ColPatientID).Records() {
		row[id] = i
	}
	p := &radiomics.Perturbed{Perturbations: radiomics.DefaultPerturbations()[:2]}
	for _, i := range idx {
		p.IDs = append(p.IDs, c.Patients[i].ID)
	}
	for _, n := range names {
		v := feats.Col(n).Float()
		p.Keys = append(p.Keys, n)
		p.Features = append(p.Features, radiomics.Feature{Family: "toy", Name: n})
		var vals [][]float64
		for _, i := range idx {
			x := v[row[c.Patients[i].ID]]
			vals = append(vals, []float64{x, x, x})
		}
		p.Values = append(p.Values, vals)
	}
	return p
}
