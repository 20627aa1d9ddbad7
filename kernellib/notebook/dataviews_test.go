package notebook

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/nb"
	"github.com/ceusrad/ceusrad/kernellib/synth"
)

// smallCohort writes a simulated cohort of 40 patients with small
// (64 × 64) cines at 1 frame/s in a temporary folder.
func smallCohort(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	p := synth.DefaultParams()
	p.Width, p.Height, p.FrameRate = 64, 64, 1
	if _, err := synth.WriteCohort(dir, 40, 3, p, nil); err != nil {
		t.Fatal(err)
	}
	return dir
}

// onSmallCohort points the notebooks at a smallCohort, with results in a
// temporary folder, and returns what the views show.
func onSmallCohort(t *testing.T) (shown *strings.Builder, results string) {
	t.Helper()
	t.Setenv(CohortEnv, smallCohort(t))
	results = t.TempDir()
	t.Setenv(ResultsEnv, results)
	shown = &strings.Builder{}
	prev := nb.SetDisplay(nb.NewTextDisplay(shown))
	t.Cleanup(func() { nb.SetDisplay(prev) })
	return shown, results
}

// viewShows checks that text holds every want, n figures or images and no
// error.
func viewShows(t *testing.T, text string, figures int, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the view shows no %q", w)
		}
	}
	if strings.Contains(text, "error:") || strings.Count(text, "[png image") != figures {
		t.Errorf("%d figures (want %d), errors:\n%s", strings.Count(text, "[png image"), figures, text)
	}
}

// figuresWritten checks that the views wrote these figures (PNG and SVG) in dir.
func figuresWritten(t *testing.T, dir string, bases ...string) {
	t.Helper()
	for _, b := range bases {
		for _, ext := range []string{".png", ".svg"} {
			if st, err := os.Stat(filepath.Join(dir, b+ext)); err != nil || st.Size() == 0 {
				t.Errorf("%s%s not written: %v", b, ext, err)
			}
		}
	}
}

func TestCohortView(t *testing.T) {
	shown, results := onSmallCohort(t)
	v := CohortOverview().Summary().CheckFiles().Head().Table1().Montage().Masks().RawTIC()
	if v.Err() != nil {
		t.Fatal(v.Err())
	}
	text := shown.String()
	viewShows(t, text, 3, "Bayes", "**40 patients**, every file opened and checked", "The first rows of cohort.csv",
		"Table 1a. Training vs validation cohort", "Table 1b. Responders (OR) vs non-responders (NR)",
		"injection_offset_s", "afp")
	figuresWritten(t, results, "01_cohort_tic")
	// Another patient, by ID; an unknown one is the view's error.
	shown.Reset()
	if CohortOverview().Patient("P002").Montage(); !strings.Contains(shown.String(), "Patient **P002**") {
		t.Errorf("Patient(P002):\n%s", shown)
	}
	shown.Reset()
	v = CohortOverview().Patient("nobody").Montage().Masks()
	if v.Err() == nil || strings.Count(shown.String(), "error:") != 1 || strings.Contains(shown.String(), "png") {
		t.Errorf("unknown patient: %v\n%s", v.Err(), shown)
	}
}

// TestMontageTimes: the montage's frames are those nearest MontageTimes
// after the injection, which the simulator puts injection_offset_s after
// the cine's first frame (the clock of kernellib/tic and of the
// simulator), and the lesion is dark before the contrast arrives (10–20 s)
// and bright in the arterial phase.
func TestMontageTimes(t *testing.T) {
	t.Setenv(CohortEnv, smallCohort(t))
	c, _, err := Cohort(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := c.Patients[0]
	if p.InjectionOffset < 2 || p.InjectionOffset > 8 {
		t.Fatalf("injection_offset_s %v, the simulator draws 2 to 8 s", p.InjectionOffset)
	}
	frames, lesion, info, err := montageFrames(p, []float64{5, 20})
	if err != nil {
		t.Fatal(err)
	}
	mean := make([]float64, len(frames))
	for i, f := range frames {
		// 1 frame/s: the nearest frame is within half a second (and the jitter).
		if d := f.Time - []float64{5, 20}[i]; math.Abs(d) > 0.55 {
			t.Errorf("frame %d at %.2f s after the injection, want %v", i, f.Time, []float64{5, 20}[i])
		}
		n := 0
		for y := 0; y < info.Height; y++ {
			for x := 0; x < info.Width; x++ {
				if lesion.At2D(x, y) {
					r, _, _, _ := f.Img.At(x, y).RGBA()
					mean[i] += float64(r >> 8)
					n++
				}
			}
		}
		mean[i] /= float64(n)
	}
	if mean[1] < mean[0]+30 {
		t.Errorf("lesion grey level %.0f at 5 s, %.0f at 20 s: want the arterial phase brighter", mean[0], mean[1])
	}
	if v := timeOrigin(cohort.Patient{InjectionOffset: math.NaN()}); v != 0 {
		t.Errorf("no injection time: origin %v, want the first frame", v)
	}
}

func TestTICView(t *testing.T) {
	shown, results := onSmallCohort(t)
	v := TIC().Fits().Cine().Parameters()
	if v.Err() != nil {
		t.Fatal(v.Err())
	}
	text := shown.String()
	// The slider shows its first view headless: one HTML block (frame and
	// curves) and its note.
	viewShows(t, text, 1, "Model-free TIC parameters", "lesion / liver", "[html:", "a slider redraws this view")
	figuresWritten(t, results, "02_tic_fits")
	shown.Reset()
	v = TIC().Features().Pipelines().ROC()
	if v.Err() != nil {
		t.Fatal(v.Err())
	}
	if v.r == nil || len(v.r.Candidates) != 4 || v.feats.Nrow() != 40 {
		t.Fatalf("R-TIC: %+v", v.r)
	}
	viewShows(t, shown.String(), 1, "The feature table: 40 patients", "ratio_mf_pe", "Cross-validation on the training split",
		"lasso-logistic", "random-forest", "Chosen: **"+v.r.ChosenName()+"**", "Validation AUC")
}

func TestRadiomicsView(t *testing.T) {
	shown, results := onSmallCohort(t)
	nbDir, err := filepath.Abs(filepath.Join("..", "..", "notebooks")) // the IBSI phantom is found from the notebooks' folder
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GONB_DIR", nbDir)
	v := Radiomics().ROI().Histogram().GLCM().Features().IBSI()
	if v.Err() != nil {
		t.Fatal(v.Err())
	}
	viewShows(t, shown.String(), 3, "pixels in the lesion", "Some features of this lesion", "GYBY", "In all,",
		"IBSI digital phantom")
	figuresWritten(t, results, "03_bmode_glcm")
	shown.Reset()
	v = v.ICC()
	pt := v.pt
	v = v.Pipelines().Selected().ROC()
	if v.Err() != nil {
		t.Fatal(v.Err())
	}
	// The perturbed extractions are computed once, for ICC and R-BMode.
	if pt == nil || v.pt != pt || len(v.r.ICC) != len(pt.Keys) {
		t.Errorf("perturbations: %p then %p, %d ICCs", pt, v.pt, len(v.r.ICC))
	}
	text := shown.String()
	viewShows(t, text, 2, "ICC(3,1) ≥ 0.75", "The least robust features", "Robust features:", "enet-logistic",
		"Features used by "+v.r.ChosenName())
	figuresWritten(t, results, "03_bmode_icc", "03_bmode_roc")
}

// TestDataViewsErrorOnce: without a cohort the first method that needs it
// shows the error once; every later method shows nothing.
func TestDataViewsErrorOnce(t *testing.T) {
	t.Setenv(CohortEnv, filepath.Join(t.TempDir(), "none"))
	t.Setenv(ResultsEnv, t.TempDir())
	shown := &strings.Builder{}
	prev := nb.SetDisplay(nb.NewTextDisplay(shown))
	defer nb.SetDisplay(prev)
	errs := []error{
		CohortOverview().Summary().Table1().Montage().Masks().RawTIC().Err(),
		TIC().Fits().Cine().Parameters().Features().Pipelines().ROC().Err(),
		Radiomics().ROI().Histogram().GLCM().Features().ICC().Pipelines().Selected().ROC().IBSI().Err(),
	}
	for i, err := range errs {
		if err == nil || !strings.Contains(err.Error(), CohortEnv) {
			t.Errorf("view %d: %v", i, err)
		}
	}
	if n := strings.Count(shown.String(), "error:"); n != len(errs) || strings.Contains(shown.String(), "png") {
		t.Errorf("%d errors shown, want %d:\n%s", n, len(errs), shown)
	}
}
