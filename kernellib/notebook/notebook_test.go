package notebook

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/nb"
	"github.com/ceusrad/ceusrad/kernellib/study"
	"github.com/ceusrad/ceusrad/kernellib/synth"
)

// quiet sends the progress bars to a discarded text display.
func quiet(t *testing.T) {
	prev := nb.SetDisplay(nb.NewTextDisplay(&strings.Builder{}))
	t.Cleanup(func() { nb.SetDisplay(prev) })
}

func TestCohortPath(t *testing.T) {
	nbDir := filepath.Join(t.TempDir(), "notebooks")
	t.Setenv("GONB_DIR", nbDir)
	t.Setenv(CohortEnv, "")
	p, sim := CohortPath()
	if want := filepath.Join(nbDir, "..", "datasets", "synthetic-tace", "cohort.csv"); p != want || !sim {
		t.Errorf("default: %s %v, want %s", p, sim, want)
	}
	dir := t.TempDir()
	t.Setenv(CohortEnv, dir)
	if p, sim := CohortPath(); p != filepath.Join(dir, "cohort.csv") || sim {
		t.Errorf("a folder: %s %v", p, sim)
	}
	t.Setenv(CohortEnv, "/data/mine.csv")
	if p, sim := CohortPath(); p != "/data/mine.csv" || sim {
		t.Errorf("a manifest: %s %v", p, sim)
	}
	if _, _, err := Cohort(nil); err == nil || !strings.Contains(err.Error(), CohortEnv+" = /data/mine.csv") {
		t.Errorf("a missing cohort: %v", err)
	}
	t.Setenv(ResultsEnv, "")
	if d := ResultsDir(); d != filepath.Join(nbDir, "..", "figures") {
		t.Errorf("results folder %s", d)
	}
	t.Setenv(ResultsEnv, filepath.Join(dir, "out"))
	p, err := Out("x.png")
	if err != nil || p != filepath.Join(dir, "out", "x.png") {
		t.Errorf("Out: %s %v", p, err)
	}
	if st, err := os.Stat(filepath.Join(dir, "out")); err != nil || !st.IsDir() {
		t.Errorf("Out did not create the folder: %v", err)
	}
}

func TestRunOptions(t *testing.T) {
	for _, e := range []string{SplitsEnv, CNNSplitsEnv, BootEnv, EpochsEnv} {
		t.Setenv(e, "")
	}
	o, err := RunOptions()
	if err != nil || o.Splits != 100 || o.CNNSplits != 0 || o.BootReplicates != 2000 || o.CNNEpochs != 0 {
		t.Errorf("defaults %+v %v", o, err)
	}
	t.Setenv(SplitsEnv, "5")
	t.Setenv(CNNSplitsEnv, "0")
	t.Setenv(BootEnv, "500")
	t.Setenv(EpochsEnv, "4")
	o, err = RunOptions()
	if err != nil || o.Splits != 5 || o.CNNSplits != 0 || o.BootReplicates != 500 || o.CNNEpochs != 4 {
		t.Errorf("from the environment %+v %v", o, err)
	}
	for _, bad := range [][2]string{{SplitsEnv, "0"}, {BootEnv, "-3"}, {CNNSplitsEnv, "x"}} {
		t.Setenv(bad[0], bad[1])
		var ee *nb.EnvError
		if _, err := RunOptions(); !errors.As(err, &ee) || ee.Name != bad[0] {
			t.Errorf("%s=%s: %v", bad[0], bad[1], err)
		}
		t.Setenv(bad[0], "")
	}
}

// TestResultsOnOwnCohort runs the notebooks' study on a cohort named by
// CEUSRAD_COHORT (a small simulated one, taken as real), then reads the
// results back instead of recomputing them.
func TestResultsOnOwnCohort(t *testing.T) {
	quiet(t)
	dir, out := smallStudy(t, "1")
	if _, sim, err := Cohort(nil); err != nil || !sim {
		t.Fatalf("a simulated cohort of one's own: simulated %v, %v", sim, err)
	}
	// Without the simulator's summary it passes for real data.
	if err := os.Remove(filepath.Join(dir, "SUMMARY.md")); err != nil {
		t.Fatal(err)
	}
	shown := &strings.Builder{}
	prev := nb.SetDisplay(nb.NewTextDisplay(shown))
	defer nb.SetDisplay(prev)
	r, err := Results()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(shown.String(), "Ran the study") || !strings.Contains(shown.String(), "no results.json") {
		t.Errorf("first call shows:\n%s", shown)
	}
	if r.Simulated || r.Cohort != filepath.Join(dir, "cohort.csv") || len(r.Models) != 4 || r.Robust == nil || r.Robust.Splits != 2 {
		t.Fatalf("results: simulated %v, cohort %s, %d models, robustness %+v", r.Simulated, r.Cohort, len(r.Models), r.Robust)
	}
	if _, err := os.Stat(filepath.Join(out, "study_roc.png")); err != nil {
		t.Error(err)
	}
	md, err := os.ReadFile(filepath.Join(out, "paper_vs_reproduction.md"))
	if err != nil || strings.Contains(string(md), "synthetic cohort") {
		t.Errorf("a cohort of one's own is not called synthetic: %v\n%s", err, md)
	}
	js := filepath.Join(out, "results.json")
	old := backdate(t, js)
	shown.Reset()
	again, err := Results()
	if err != nil {
		t.Fatal(err)
	}
	// Read back, no load line (the tables' captions carry the provenance);
	// on a text display a quick stage still prints its final state.
	if strings.Contains(shown.String(), "Results read from") || strings.Contains(shown.String(), "Ran the study") {
		t.Errorf("results read back should show no load line, second call shows:\n%s", shown)
	}
	after, err := os.Stat(js)
	if err != nil {
		t.Fatal(err)
	}
	if again.Models[0].AUC != r.Models[0].AUC || !after.ModTime().Equal(old) {
		t.Errorf("second call: AUC %v vs %v, results.json rewritten: %v", again.Models[0].AUC, r.Models[0].AUC, !after.ModTime().Equal(old))
	}

	// The study's frozen models on a second centre (the external-validation
	// notebook): every model scores it, and what is written names the bundle
	// relative to itself.
	ext := filepath.Join(t.TempDir(), "centre-b")
	pb := synth.SecondCentre()
	pb.Width, pb.Height = 64, 64
	if _, err := synth.WriteCohort(ext, 24, 6, pb, nil); err != nil {
		t.Fatal(err)
	}
	t.Setenv(ExternalCohortEnv, ext)
	s, internal, err := ExternalValidation()
	if err != nil {
		t.Fatal(err)
	}
	if s.External == nil || len(s.Comparison.Models) != 4 || s.External.Recalibrated == nil || internal.CohortSHA256 != r.CohortSHA256 {
		t.Fatalf("external validation: %+v", s.External)
	}
	b, err := os.ReadFile(filepath.Join(out, ExternalName, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"external": true`) || !strings.Contains(string(b), `"../models/bundle.json"`) {
		t.Errorf("external results.json:\n%.600s", b)
	}
	// The notebook's views: each shows its table or figure, nothing fails.
	shown.Reset()
	External().Transport().Recalibration()
	ExternalSaved().AUC().ROC().Pairs().Operating().Calibration().DecisionCurves()
	text := shown.String()
	for _, c := range []string{"Internal validation (first centre)", "Logistic recalibration", "External validation AUC",
		"Paired DeLong", "thresholds fixed in training", "Calibration of the frozen models"} {
		if !strings.Contains(text, c) {
			t.Errorf("the views show no %q", c)
		}
	}
	if strings.Contains(text, "error:") || strings.Count(text, "[png image") != 4 {
		t.Errorf("views: %d figures, errors:\n%s", strings.Count(text, "[png image"), text)
	}
	// A view of saved results cannot show the recalibration: said once.
	shown.Reset()
	ExternalSaved().Transport().Recalibration().AUC()
	if strings.Count(shown.String(), "error:") != 1 || strings.Contains(shown.String(), "External validation AUC") {
		t.Errorf("an unavailable view:\n%s", shown)
	}

	// Read back, the comparison keeps the bundle's thresholds (never one chosen
	// on the external patients).
	er, err := ExternalResults()
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := er.Compare(study.CompareOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range cmp.Models {
		want := s.Comparison.Models[i]
		if m.Operating.Threshold != want.Operating.Threshold || m.ThresholdSource != want.ThresholdSource || m.ThresholdSource == study.ThresholdValidation {
			t.Errorf("%s read back: threshold %v (%s), want %v (%s)", m.Name, m.Operating.Threshold, m.ThresholdSource, want.Operating.Threshold, want.ThresholdSource)
		}
	}
}
