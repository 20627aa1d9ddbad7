package notebook

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/deep"
	"github.com/ceusrad/ceusrad/kernellib/nb"
	"github.com/ceusrad/ceusrad/kernellib/study"
	"github.com/ceusrad/ceusrad/kernellib/synth"
)

// smallStudy sets the environment of a notebook run on a small simulated
// cohort of 60 patients (64×64 frames) named by CEUSRAD_COHORT, the study's
// sizes small (2 splits, epochs CNN epochs, 50 bootstrap replicates), into
// a fresh results folder; it returns the cohort's folder and the results
// folder.
func smallStudy(t *testing.T, epochs string) (cohortDir, out string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "mine")
	p := synth.DefaultParams()
	p.Width, p.Height, p.FrameRate = 64, 64, 1
	if _, err := synth.WriteCohort(dir, 60, 5, p, nil); err != nil {
		t.Fatal(err)
	}
	out = t.TempDir()
	t.Setenv(study.CacheDirEnv, t.TempDir())
	t.Setenv(CohortEnv, dir)
	t.Setenv(ResultsEnv, out)
	t.Setenv(SplitsEnv, "2")
	t.Setenv(CNNSplitsEnv, "")
	t.Setenv(BootEnv, "50")
	t.Setenv(EpochsEnv, epochs)
	t.Setenv(LiveTrainingEnv, "")
	return dir, out
}

// capture sends what the notebook shows to a text display for the test.
func capture(t *testing.T) *strings.Builder {
	shown := &strings.Builder{}
	prev := nb.SetDisplay(nb.NewTextDisplay(shown))
	t.Cleanup(func() { nb.SetDisplay(prev) })
	return shown
}

// backdate sets the modification time of path an hour back and returns
// it, so that a test sees whether the file is written again.
func backdate(t *testing.T, path string) time.Time {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	old := st.ModTime().Add(-time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	return old
}

// TestDeepAndRobustViews runs the study once on a small cohort, then shows
// the deep-learning and robustness notebooks' views from it: the CNN is
// the bundle's (not trained again: the study's probabilities are
// reproduced and its saved history drawn), the mask ablation is trained
// once and read back the second time, live training trains anew, and a
// bundle that is not results.json's is refused.
func TestDeepAndRobustViews(t *testing.T) {
	_, out := smallStudy(t, "2")
	shown := capture(t)
	r, err := Results()
	if err != nil {
		t.Fatal(err)
	}

	// The study's CNN, from its bundle, with the history saved in the
	// checkpoint: 2 epochs (fewer than the patience, so no early stop).
	m, lb, err := StudyCNN(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.History) != 2 || m.BestEpoch < 1 || m.BestEpoch > 2 || lb.Manifest.CohortSHA256 != r.CohortSHA256 {
		t.Errorf("loaded CNN: %d epochs in the history, best %d, bundle cohort %.12s", len(m.History), m.BestEpoch, lb.Manifest.CohortSHA256)
	}

	shown.Reset()
	v := Deep().Frames().Architecture().Training().AUC().ROC().GradCAM().Features()
	text := shown.String()
	if v.Err() != nil || strings.Contains(text, "error:") {
		t.Fatalf("views: %v\n%s", v.Err(), text)
	}
	// 2 montages, the saved curves, the ROC, 2 Grad-CAM maps.
	if n := strings.Count(text, "[png image"); n != 6 {
		t.Errorf("%d figures, want 6:\n%s", n, text)
	}
	for _, want := range []string{"Learnable tensors", "2 epochs run", "weights of epoch", "R-DLCEUS on the validation split", "P(OR) =", "Deep features (first 8 of 32) of 6 patients"} {
		if !strings.Contains(text, want) {
			t.Errorf("the views show no %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "epochs: ") || strings.Contains(text, "Trained anew") {
		t.Errorf("the views trained the CNN again:\n%s", text)
	}
	for _, f := range []string{"04_gradcam_OR.png", "04_gradcam_NR.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}

	// The ablation: trained and written the first time, read back the second.
	shown.Reset()
	Deep().Ablation()
	if text := shown.String(); !strings.Contains(text, "trained now") || !strings.Contains(text, "Paired comparison") || strings.Contains(text, "error:") {
		t.Errorf("first ablation:\n%s", text)
	}
	vf := variantFile("no_mask")
	old := backdate(t, vf)
	shown.Reset()
	Deep().Ablation()
	text = shown.String()
	if !strings.Contains(text, "read from") || strings.Contains(text, "trained now") || !strings.Contains(text, "Validation AUC with and without the mask channel") {
		t.Errorf("second ablation:\n%s", text)
	}
	if st, err := os.Stat(vf); err != nil || !st.ModTime().Equal(old) {
		t.Errorf("the cached ablation was rewritten: %v", err)
	}
	var a CNNVariant
	if b, err := os.ReadFile(vf); err != nil || json.Unmarshal(b, &a) != nil {
		t.Fatalf("%s: %v", vf, err)
	}
	if a.Config.MaskChannel || a.CohortSHA256 != r.CohortSHA256 || a.CodeVersion != r.CodeVersion || len(a.ValidProb) != r.NValid || a.Epochs != 2 {
		t.Errorf("cached ablation: %+v", a)
	}

	// Live training: the same settings and seed train the same network.
	t.Setenv(LiveTrainingEnv, "1")
	shown.Reset()
	Deep().Training()
	text = shown.String()
	if !strings.Contains(text, "Trained anew: ") || strings.Count(text, "[png image") != 1 {
		t.Errorf("live training:\n%s", text)
	}
	t.Setenv(LiveTrainingEnv, "maybe")
	shown.Reset()
	if v := Deep().Training().AUC(); v.Err() == nil || strings.Count(shown.String(), "error:") != 1 || !strings.Contains(shown.String(), LiveTrainingEnv) {
		t.Errorf("a bad %s: %v\n%s", LiveTrainingEnv, v.Err(), shown)
	}
	t.Setenv(LiveTrainingEnv, "")

	// The robustness notebook: read from results.json, nothing recomputed.
	shown.Reset()
	rv := Robust().Splits().WithCNN().ROI()
	text = shown.String()
	if rv.Err() != nil || strings.Count(text, "[png image") != 1 || !strings.Contains(text, "Not run here") {
		t.Errorf("robustness views: %v\n%s", rv.Err(), text)
	}
	for _, want := range []string{"Validation AUC over re-drawn splits", "Perturbation kinds", "perturbed lesion ROIs", "ICC(3,1) and ICC(2,1)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the robustness views show no %q:\n%s", want, text)
		}
	}

	// A bundle rewritten after results.json is not the study's: refused, once.
	bj := filepath.Join(out, study.BundleDir, study.BundleManifest)
	b, err := os.ReadFile(bj)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bj, append(b, ' '), 0o644); err != nil {
		t.Fatal(err)
	}
	shown.Reset()
	v = Deep().AUC().ROC().Ablation()
	if !errors.Is(v.Err(), ErrStudyCNN) || strings.Count(shown.String(), "error:") != 1 || !strings.Contains(shown.String(), "rewritten") {
		t.Errorf("a bundle that is not results.json's: %v\n%s", v.Err(), shown)
	}
}

// TestStaleVariant: a cached CNN variant stands only for the same
// cohort content, code, settings and validation patients.
func TestStaleVariant(t *testing.T) {
	cfg := deep.DefaultConfig()
	r := &study.Results{CohortSHA256: strings.Repeat("a", 64), CodeVersion: "v1", Valid: []string{"P1", "P2"}}
	good := func() *CNNVariant {
		return &CNNVariant{Format: CNNVariantFormat, Name: ablationName, CohortSHA256: r.CohortSHA256, CodeVersion: "v1",
			Config: cfg, Valid: []string{"P1", "P2"}, ValidProb: []float64{0.2, 0.7}}
	}
	if why := staleVariant(good(), r, ablationName, cfg); why != "" {
		t.Errorf("same key: %q", why)
	}
	w := cfg
	w.Workers = 3
	if why := staleVariant(good(), r, ablationName, w); why != "" {
		t.Errorf("Workers never changes a result: %q", why)
	}
	for name, c := range map[string]struct {
		edit func(*CNNVariant)
		want string
	}{
		"cohort":   {func(v *CNNVariant) { v.CohortSHA256 = strings.Repeat("b", 64) }, "cohort changed"},
		"code":     {func(v *CNNVariant) { v.CodeVersion = "v0" }, "code changed"},
		"unknown":  {func(v *CNNVariant) { v.CodeVersion = study.UnknownCode + ": no VCS" }, "code version unknown"},
		"config":   {func(v *CNNVariant) { v.Config.Epochs++ }, "other settings"},
		"patients": {func(v *CNNVariant) { v.Valid = []string{"P1", "P3"} }, "other validation patients"},
		"name":     {func(v *CNNVariant) { v.Name = "another" }, "not"},
	} {
		v := good()
		c.edit(v)
		if why := staleVariant(v, r, ablationName, cfg); !strings.Contains(why, c.want) {
			t.Errorf("%s: %q, want %q", name, why, c.want)
		}
	}
}

// TestDeepViewErrorOnce: without a cohort the first view method shows the
// error once and every later one shows nothing.
func TestDeepViewErrorOnce(t *testing.T) {
	t.Setenv(ResultsEnv, t.TempDir())
	t.Setenv(CohortEnv, filepath.Join(t.TempDir(), "none.csv"))
	shown := capture(t)
	v := Deep().Frames().Architecture().Training().AUC().ROC().GradCAM().Ablation().Features()
	r := Robust().Splits().WithCNN().ROI()
	if v.Err() == nil || r.Err() == nil || strings.Count(shown.String(), "error:") != 2 || !strings.Contains(shown.String(), CohortEnv) {
		t.Errorf("deep %v, robust %v, shown:\n%s", v.Err(), r.Err(), shown)
	}
}

// TestStudyCNNNoBundle: results that name no bundle say what to do.
func TestStudyCNNNoBundle(t *testing.T) {
	t.Setenv(ResultsEnv, t.TempDir())
	if _, _, err := StudyCNN(&study.Results{}); !errors.Is(err, ErrStudyCNN) || !strings.Contains(err.Error(), "run the study again") {
		t.Errorf("no bundle: %v", err)
	}
}

// TestReproduces: the loaded CNN must give the validation probabilities
// results.json recorded, within the tolerance.
func TestReproduces(t *testing.T) {
	var r study.Results
	js := `{"models":[{"name":"R-DLCEUS","validation_probabilities":[0.1,0.9]}],"validation_patients":["A","B"]}`
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatal(err)
	}
	if err := reproduces(&r, study.RDLCEUSName, []float64{0.1 + 1e-7, 0.9}, reproduceTol); err != nil {
		t.Errorf("within the tolerance: %v", err)
	}
	if err := reproduces(&r, study.RDLCEUSName, []float64{0.1, 0.8}, reproduceTol); !errors.Is(err, ErrStudyCNN) || !strings.Contains(err.Error(), "patient B") {
		t.Errorf("another model: %v", err)
	}
	if err := reproduces(&r, study.RDLCEUSName, []float64{0.1}, reproduceTol); !errors.Is(err, ErrStudyCNN) {
		t.Errorf("too few: %v", err)
	}
	if err := reproduces(&r, "R-TIC", []float64{0.1, 0.9}, reproduceTol); err == nil {
		t.Error("a model results.json does not hold")
	}
}
