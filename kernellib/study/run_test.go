package study

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
)

func TestRunStudyAndFiles(t *testing.T) {
	c := clinicalCohort(t, 90)
	// A second model: the clinical columns' tumour size alone, as a
	// logistic-free score, so that the run has a pair to compare.
	size := ModelBuilder{Name: "size", Build: func(c *cohort.Cohort, opt RunOptions, _ func(int, int)) (*ModelRun, error) {
		X, _, err := ClinicalMatrix(c, []string{"tumor_size_cm"})
		if err != nil {
			return nil, err
		}
		score := func(idx []int) []float64 {
			p := make([]float64, len(idx))
			for i, j := range idx {
				p[i] = 1 - X[j][0]/12
			}
			return p
		}
		train, valid := cohort.SplitIndices(c.Patients)
		return &ModelRun{Scores: Scores{Name: "size", Train: score(train), Valid: score(valid)},
			Spec: ModelSpec{Name: "size", Fit: func(_, va []int, _ uint64) ([]float64, error) { return score(va), nil }}}, nil
	}}
	saved := Builders
	Builders = append(append([]ModelBuilder(nil), saved...), size)
	defer func() { Builders = saved }()
	s, err := RunStudy(c, RunOptions{Models: []string{ClinicalName, "size"}, Splits: 5, BootReplicates: 200})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Runs) != 2 || len(s.Comparison.Pairs) != 1 || s.Robust == nil || s.Robust.Splits != 5 {
		t.Fatalf("%d runs, %d pairs, robustness %+v", len(s.Runs), len(s.Comparison.Pairs), s.Robust)
	}
	dir := t.TempDir()
	paths, err := s.WriteFiles(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r map[string]any
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("results.json: %v", err)
	}
	for _, k := range []string{"models", "pairwise_delong", "robustness", "simulated", "validation_patients"} {
		if _, ok := r[k]; !ok {
			t.Errorf("results.json lacks %q", k)
		}
	}
	md, _ := os.ReadFile(filepath.Join(dir, "paper_vs_reproduction.md"))
	if !strings.Contains(string(md), "synthetic cohort") || !strings.Contains(string(md), "| Clinical | — |") {
		t.Errorf("paper_vs_reproduction.md:\n%s", md)
	}
	if len(paths) < 20 {
		t.Errorf("only %d files written", len(paths))
	}
	if _, err := RunStudy(c, RunOptions{Models: []string{"nonexistent"}}); err == nil {
		t.Error("no matching model: no error")
	}
}

func TestLoadOrRunReadsWhatItWrote(t *testing.T) {
	c := diskClinicalCohort(t, 90)
	dir := t.TempDir()
	opt := RunOptions{Models: []string{ClinicalName}, Splits: 3, BootReplicates: 200}
	r1, err := LoadOrRun(c, dir, opt, true)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := LoadOrRun(c, dir, opt, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(r2.Models) != 1 || r2.Models[0].AUC != r1.Models[0].AUC || r2.Robustness(false).Splits != 3 {
		t.Fatalf("reloaded %+v", r2.Models)
	}
	// The file names the cohort relative to itself; read back, the path is
	// whole again and names the same manifest.
	var raw struct{ Cohort string }
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil || json.Unmarshal(b, &raw) != nil || filepath.IsAbs(raw.Cohort) {
		t.Errorf("results.json's cohort %q (%v): want a relative path", raw.Cohort, err)
	}
	if !sameFile(r2.Cohort, c.Path) {
		t.Errorf("read back, the cohort is %s, want %s", r2.Cohort, c.Path)
	}
	cmp, err := r2.Compare(CompareOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(cmp.Models[0].AUC-float64(r1.Models[0].AUC)) > 1e-12 {
		t.Errorf("recomputed AUC %v, stored %v", cmp.Models[0].AUC, r1.Models[0].AUC)
	}
	// Other settings: the stored file is not reused.
	if sameOptions(r2.Options, RunOptions{Models: []string{ClinicalName}, Splits: 4, BootReplicates: 200}) {
		t.Error("different splits judged the same options")
	}
}

// A model without training probabilities (the CNN) survives the round trip
// through results.json and Results.Compare.
func TestResultsWithoutTrainingProbabilities(t *testing.T) {
	c := clinicalCohort(t, 90)
	s, err := RunStudy(c, RunOptions{Models: []string{ClinicalName}, Splits: -1, BootReplicates: 100})
	if err != nil {
		t.Fatal(err)
	}
	s.Runs[0].Scores.Train = nil
	r := s.Results(true)
	if _, err := r.Compare(CompareOptions{}, nil); err != nil {
		t.Errorf("Compare from Results: %v", err)
	}
}

func TestRunStudyROIPerturbation(t *testing.T) {
	c := smallCohort(t, 40)
	opt := RunOptions{Models: []string{RTICName, RBModeName}, Splits: -1, BootReplicates: 100}
	s, err := RunStudy(c, opt)
	if err != nil {
		t.Fatal(err)
	}
	if s.ROI == nil || len(s.ROI.Models) != 2 || !s.Options.ROIPerturbation {
		t.Fatalf("ROI analysis %v, options %+v", s.ROI, s.Options)
	}
	// It scores the very models of the study: the original ROI's row is
	// each model's own validation AUC.
	for k, m := range s.ROI.Models {
		if m.Rows[0].Perturbation != ROIOriginal || m.Rows[0].AUC != s.Comparison.Models[k].AUC {
			t.Errorf("%s: original-ROI AUC %v, study AUC %v", m.Name, m.Rows[0].AUC, s.Comparison.Models[k].AUC)
		}
	}
	dir := t.TempDir()
	if _, err := s.WriteFiles(dir, true); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"roi_perturbation_auc.csv", "roi_perturbation_icc.md", "roi_perturbation_features.csv", "roi_perturbation_perturbations.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	r, err := ReadResults(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	got, want := r.ROI["auc"].Frame().Records(), s.ROI.Table().Records()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("results.json's ROI table\n%v\nwant\n%v", got, want)
	}
	if !sameOptions(r.Options, opt) {
		t.Error("the options of the run do not match themselves")
	}
	old := r.Options
	old.ROIPerturbation = false // a results.json written before the analysis existed
	if sameOptions(old, opt) {
		t.Error("results without the ROI analysis were taken as up to date")
	}
	opt.NoROI = true
	if !sameOptions(old, opt) {
		t.Error("with NoROI, results without the ROI analysis should do")
	}
	s, err = RunStudy(c, opt)
	if err != nil {
		t.Fatal(err)
	}
	if s.ROI != nil {
		t.Error("NoROI ran the ROI analysis")
	}
}
