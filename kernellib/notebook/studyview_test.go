package notebook

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/nb"
	"github.com/ceusrad/ceusrad/kernellib/study"
)

// scoreBuilder is a model of the study that scores each patient by one
// clinical column, mapped into (0, 1) by f: fitted on nothing, so a study
// of it runs in milliseconds.
func scoreBuilder(name, column string, f func(float64) float64) study.ModelBuilder {
	return study.ModelBuilder{Name: name, Build: func(c *cohort.Cohort, _ study.RunOptions, _ func(int, int)) (*study.ModelRun, error) {
		X, _, err := study.ClinicalMatrix(c, []string{column})
		if err != nil {
			return nil, err
		}
		score := func(idx []int) []float64 {
			p := make([]float64, len(idx))
			for i, j := range idx {
				p[i] = f(X[j][0])
			}
			return p
		}
		train, valid := cohort.SplitIndices(c.Patients)
		return &study.ModelRun{Scores: study.Scores{Name: name, Train: score(train), Valid: score(valid)}}, nil
	}}
}

// studyFixture runs a small study — 90 patients of a clinical manifest
// (its image files never read), the clinical model and two one-column scores, so that the
// omnibus test runs — and returns its results as results.json holds them,
// with paper_vs_reproduction.md written into the folder it returns.
func studyFixture(t *testing.T) (*study.Results, string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("patient_id,response,split,cine,bmode,lesion_mask,age,sex,afp,tumor_size_cm,bclc\n")
	for i := 0; i < 90; i++ {
		size := 2 + float64(i%9) + 0.1*float64(i%7)
		resp := "OR"
		if size+float64(i%4) > 7 {
			resp = "NR"
		}
		fmt.Fprintf(&b, "P%d,%s,%s,c%d.dcm,b%d.png,m%d.png,%d,%s,%d,%.1f,%s\n", i, resp, []string{"train", "train", "validation"}[i%3],
			i, i, i, 50+i%20, []string{"M", "F"}[i%2], 10*(i%7), size, []string{"A", "B", "C"}[i%3])
	}
	manifest := filepath.Join(t.TempDir(), "cohort.csv")
	if err := os.WriteFile(manifest, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	// The images are never opened: every file the manifest names "exists" as
	// the manifest does.
	c, err := cohort.ReadFile(manifest, &cohort.Options{Stat: func(string) (fs.FileInfo, error) { return os.Stat(manifest) }})
	if err != nil {
		t.Fatal(err)
	}
	saved := study.Builders
	study.Builders = append(append([]study.ModelBuilder(nil), saved...),
		scoreBuilder("size", "tumor_size_cm", func(x float64) float64 { return 1 - x/12 }),
		scoreBuilder("afp", "afp", func(x float64) float64 { return (80 - x) / 100 }))
	defer func() { study.Builders = saved }()
	s, err := study.RunStudy(c, study.RunOptions{Models: []string{study.ClinicalName, "size", "afp"}, Splits: -1, BootReplicates: 100})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, PaperVsReproductionName), []byte(s.PaperVsReproduction(true)), 0o644); err != nil {
		t.Fatal(err)
	}
	return s.Results(true), dir
}

// shown sends what the views show to a text display for the test's
// duration.
func shown(t *testing.T) *strings.Builder {
	text := &strings.Builder{}
	prev := nb.SetDisplay(nb.NewTextDisplay(text))
	t.Cleanup(func() { nb.SetDisplay(prev) })
	return text
}

// TestStudyView: every method of the study's view shows its table, figure,
// slider or text, once, with the captions that name the validation cohort;
// the ExternalView shows the same tables and figures of a comparison with
// its own captions (one implementation, comparisonView).
func TestStudyView(t *testing.T) {
	r, dir := studyFixture(t)
	text := shown(t)
	s := newStudyView(r, dir, nil)
	s.AUC().ROC().PR().Operating().Threshold().Calibration().DecisionCurves().Pairs().PaperVsReproduction()
	out := text.String()
	if s.Err() != nil || strings.Contains(out, "error:") {
		t.Fatalf("err %v, shown:\n%s", s.Err(), out)
	}
	if s.Results() != r || s.Comparison() == nil || len(s.Comparison().Models) != 3 || s.Comparison().Omnibus == nil {
		t.Fatalf("results %p (want %p), comparison %+v", s.Results(), r, s.Comparison())
	}
	for _, want := range []string{
		"Validation AUC (simulated cohort) (cohort SHA-256 not hashed",
		"Accuracy at the training-fixed Youden threshold",
		"afp threshold: a slider redraws this view",
		"Calibration on the validation cohort",
		"Paired DeLong tests (Holm-adjusted p) and reclassification (NRI, IDI) on the validation cohort. Omnibus DeLong test, all 3 AUCs equal",
		"Liu et al. 2020 and this reproduction",
		"| size | — |",
	} {
		if strings.Count(out, want) != 1 {
			t.Errorf("shown %d times, want once: %q", strings.Count(out, want), want)
		}
	}
	// ROC, PR, calibration, decision curves; the slider's first view.
	if n := strings.Count(out, "[png image"); n != 4 {
		t.Errorf("%d figures, want 4:\n%s", n, out)
	}
	if n := strings.Count(out, "[html:"); n != 1 {
		t.Errorf("%d HTML outputs, want the slider's 1:\n%s", n, out)
	}

	text.Reset()
	x := newExternalView()
	x.cmp = s.Comparison()
	x.AUC().ROC().PR().Pairs().Operating().Calibration().DecisionCurves()
	out = text.String()
	for _, want := range []string{"External validation AUC\n", "Paired DeLong tests, Holm-adjusted. Omnibus DeLong test",
		"Accuracy at the thresholds fixed in training (from the bundle)", "Calibration of the frozen models"} {
		if strings.Count(out, want) != 1 {
			t.Errorf("external view: %q shown %d times, want once", want, strings.Count(out, want))
		}
	}
	if x.Err() != nil || strings.Count(out, "[png image") != 4 {
		t.Errorf("external view: err %v, %d figures, want 4", x.Err(), strings.Count(out, "[png image"))
	}
}

// TestStudyViewThreshold: the slider starts at the model's threshold fixed
// on the training patients, and its view shows the point with the 2×2
// table and the accuracy measures.
func TestStudyViewThreshold(t *testing.T) {
	r, dir := studyFixture(t)
	text := shown(t)
	s := newStudyView(r, dir, nil)
	m := s.Comparison().Models[1]
	if m.Name != "size" || m.ThresholdSource != study.ThresholdTrainingOOF {
		t.Fatalf("model %s, threshold from %s", m.Name, m.ThresholdSource)
	}
	v, err := study.NewThresholdView(m.Name, r.Scores()[1].Valid, r.ValidTruth)
	if err != nil {
		t.Fatal(err)
	}
	k := thresholdIndex(v, m.Operating.Threshold)
	first, err := thresholdHTML(v, k)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<img", "Validation patients by truth (columns) and call (rows)", "At this threshold", "sensitivity", "NPV"} {
		if !strings.Contains(first, want) {
			t.Errorf("the threshold view lacks %q", want)
		}
	}
	s.ThresholdOf("size")
	if want := fmt.Sprintf("[html: %d bytes]", len(first)); s.Err() != nil || !strings.Contains(text.String(), want) {
		t.Errorf("the slider's first view is not the training threshold's (%s, k = %d of %d): err %v\n%s", want, k, len(v.Thresholds()), s.Err(), text)
	}
	if _, err := thresholdHTML(v, len(v.Thresholds())-1); err != nil {
		t.Error(err)
	}
}

// TestThresholdIndex: the slider starts at the operating point of the
// training threshold — every model's 2×2 table there is the one Operating
// reports — even when the threshold nearest in value lies across a
// validation score (cases 0.9 and 0.62, controls 0.61 and 0.2, trained
// threshold 0.609: the nearest midpoint, 0.615, would call the control at
// 0.61 a non-responder).
func TestThresholdIndex(t *testing.T) {
	v, err := study.NewThresholdView("x", []float64{0.9, 0.62, 0.61, 0.2}, []bool{true, true, false, false})
	if err != nil {
		t.Fatal(err)
	}
	if k, near := thresholdIndex(v, 0.609), v.Nearest(0.609); v.Thresholds()[k] != 0.405 || v.Thresholds()[near] != 0.615 {
		t.Errorf("threshold 0.609: starts at %v (nearest %v), want 0.405; thresholds %v", v.Thresholds()[k], v.Thresholds()[near], v.Thresholds())
	}
	if k := thresholdIndex(v, 0.1); k != v.Nearest(0.1) {
		t.Errorf("below every score: index %d, want the nearest threshold's, %d", k, v.Nearest(0.1))
	}

	r, dir := studyFixture(t)
	for i, m := range newStudyView(r, dir, nil).Comparison().Models {
		v, err := study.NewThresholdView(m.Name, r.Scores()[i].Valid, r.ValidTruth)
		if err != nil {
			t.Fatal(err)
		}
		_, _, meas, err := v.At(v.Thresholds()[thresholdIndex(v, m.Operating.Threshold)])
		if err != nil {
			t.Fatal(err)
		}
		got := meas.Col("estimate").Records()
		want := []string{fmt.Sprintf("%d/%d", m.Metrics.Sensitivity.X, m.Metrics.Sensitivity.N), fmt.Sprintf("%d/%d", m.Metrics.Specificity.X, m.Metrics.Specificity.N)}
		if !strings.HasPrefix(got[0], want[0]+" ") || !strings.HasPrefix(got[1], want[1]+" ") {
			t.Errorf("%s: the slider starts at sensitivity %s, specificity %s; Operating reports %v", m.Name, got[0], got[1], want)
		}
	}
}

// TestStudyViewErrorOnce: an error — no cohort, no such model, a missing
// file — is shown once, and every later method shows nothing.
func TestStudyViewErrorOnce(t *testing.T) {
	t.Setenv(CohortEnv, filepath.Join(t.TempDir(), "none"))
	t.Setenv(ResultsEnv, t.TempDir())
	text := shown(t)
	s := Study().AUC().ROC().PR().Operating().Threshold().ThresholdOf("Clinical").Calibration().DecisionCurves().Pairs().PaperVsReproduction()
	if s.Err() == nil || strings.Count(text.String(), "error:") != 1 || !strings.Contains(text.String(), CohortEnv) ||
		strings.Contains(text.String(), "Validation AUC") || s.Comparison() != nil {
		t.Errorf("no cohort: err %v, shown:\n%s", s.Err(), text)
	}

	r, dir := studyFixture(t)
	text.Reset()
	s = newStudyView(r, dir, nil).ThresholdOf("R-XYZ").AUC()
	if s.Err() == nil || strings.Count(text.String(), "error:") != 1 ||
		!strings.Contains(text.String(), `no model "R-XYZ" in the study; its models are Clinical, size, afp`) || strings.Contains(text.String(), "Validation AUC") {
		t.Errorf("no such model: err %v, shown:\n%s", s.Err(), text)
	}

	text.Reset()
	s = newStudyView(r, t.TempDir(), nil).AUC().PaperVsReproduction().Pairs()
	if s.Err() == nil || strings.Count(text.String(), "error:") != 1 ||
		!strings.Contains(text.String(), PaperVsReproductionName+" is missing") || strings.Contains(text.String(), "Paired DeLong") {
		t.Errorf("no paper_vs_reproduction.md: err %v, shown:\n%s", s.Err(), text)
	}
}
