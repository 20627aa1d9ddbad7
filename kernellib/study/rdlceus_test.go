package study

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/deep"
	"github.com/ceusrad/ceusrad/kernellib/roc"
	"github.com/ceusrad/ceusrad/kernellib/synth"
)

// smallCohort writes a synthetic cohort of n patients with 64×64 frames at
// 1 frame/s.
func smallCohort(t testing.TB, n int) *cohort.Cohort {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cohort")
	p := synth.DefaultParams()
	p.Width, p.Height, p.FrameRate = 64, 64, 1
	if _, err := synth.WriteCohort(dir, n, 3, p, nil); err != nil {
		t.Fatal(err)
	}
	c, err := cohort.ReadFile(filepath.Join(dir, "cohort.csv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// tinyCNN is a network small enough for a unit test.
func tinyCNN() *deep.Config {
	cfg := deep.DefaultConfig()
	cfg.Frames, cfg.Size = 4, 16
	cfg.Channels, cfg.TemporalChannels = []int{4, 8}, 8
	cfg.Epochs = 2
	return &cfg
}

func TestRDLCEUS(t *testing.T) {
	c := smallCohort(t, 20)
	epochs := 0
	prepared := 0
	r, err := RDLCEUS(c, RDLCEUSOptions{Config: tinyCNN(), Progress: func(deep.Epoch) { epochs++ },
		Prepared: func(done, total int) { prepared = done }})
	if err != nil {
		t.Fatal(err)
	}
	if epochs != 2 || prepared != 20 {
		t.Errorf("%d epochs and %d cines reported", epochs, prepared)
	}
	if len(r.ValidProb) != len(r.Valid) || len(r.Train)+len(r.Valid) != 20 || len(r.ValidTruth) != len(r.Valid) {
		t.Fatalf("%d train, %d validation, %d scores", len(r.Train), len(r.Valid), len(r.ValidProb))
	}
	for i, j := range r.Valid {
		if c.Patients[j].Split != cohort.SplitValidation || r.ValidTruth[i] != c.Patients[j].OR() {
			t.Fatalf("validation patient %d is %s", i, c.Patients[j].ID)
		}
	}
	// The AUC is the Mann–Whitney statistic of the validation scores, by pairs.
	if w := mannWhitneyAUC(r.ValidProb, r.ValidTruth); math.Abs(r.AUC-w) > 1e-12 || r.TrainTime <= 0 {
		t.Errorf("AUC %v, by pairs %v, training %v", r.AUC, w, r.TrainTime)
	}
	// The scores are the model's predictions of the validation clips.
	s := r.Scores()
	p, _ := r.Model.Predict([]*deep.Clip{r.Clips[r.Valid[0]]})
	if s.Name != RDLCEUSName || s.Train != nil || s.Valid[0] != p[0] {
		t.Errorf("Scores = %+v", s)
	}
	// The prior correction leaves the AUC and its DeLong CI bit-identical.
	checkPriorCorrection(t, r)
	df, err := r.DeepFeatures()
	if err != nil {
		t.Fatal(err)
	}
	if rows, cols := df.Dims(); rows != 20 || cols != 2+8 {
		t.Errorf("deep features %d×%d, want 20×10", rows, cols)
	}
	if got := df.Col(cohort.ColPatientID).Records()[3]; got != c.Patients[3].ID {
		t.Errorf("row 3 is %s, want %s", got, c.Patients[3].ID)
	}
	if v := df.Col("deep_1").Float()[0]; math.IsNaN(v) || v < 0 {
		t.Errorf("deep_1 = %v", v)
	}
	img, err := CAMMontage(r.Model, r.Clips[0], deep.TargetOR, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 2*32 || b.Dy() < 2*32 {
		t.Errorf("montage %v", b)
	}
	seen, err := ClipMontage(r.Clips[0], 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if seen.Bounds() != img.Bounds() {
		t.Errorf("clip montage %v, CAM montage %v: same layout expected", seen.Bounds(), img.Bounds())
	}
	// The lesion is outlined in yellow.
	yellow := 0
	for i := 0; i < len(seen.Pix); i += 4 {
		if seen.Pix[i] == 255 && seen.Pix[i+1] == 220 && seen.Pix[i+2] == 0 {
			yellow++
		}
	}
	if yellow == 0 {
		t.Error("no mask outline in the clip montage")
	}
	if vc := r.ValidClips(); len(vc) != len(r.Valid) || vc[0] != r.Clips[r.Valid[0]] {
		t.Errorf("ValidClips: %d clips", len(vc))
	}
	if _, err := DeepFeatureTable(r.Model, r.Patients[:2], r.Clips[:3]); err == nil {
		t.Error("patients and clips of different lengths gave no error")
	}
	arch := ArchitectureTable(r.Model)
	counts := arch.Col("parameters").Records()
	if arch.Nrow() != len(r.Model.Params)+1 || counts[len(counts)-1] != fmt.Sprint(r.Model.NumParams()) {
		t.Errorf("architecture table: %d rows, total %s, want %d", arch.Nrow(), counts[len(counts)-1], r.Model.NumParams())
	}
	if _, err := TrainingCurves(r.Model.History); err != nil {
		t.Error(err)
	}
	if _, err := TrainingCurves(nil); err == nil {
		t.Error("no history gave no error")
	}
}

// checkPriorCorrection checks that the model's prior correction is the log
// odds of the inner training outcomes, that it moves the probabilities,
// and that the validation AUC and DeLong CI are those of the uncorrected
// probabilities bit for bit (a monotone transform).
func checkPriorCorrection(t *testing.T, r *RDLCEUSResult) {
	t.Helper()
	y := cohort.Responses(r.Patients)
	inner, _, err := r.Model.Config.Split(pick(y, r.Train))
	if err != nil {
		t.Fatal(err)
	}
	want, err := deep.PriorOffset(pick(pick(y, r.Train), inner))
	if err != nil || r.Model.LogitOffset != want {
		t.Fatalf("LogitOffset %v, want %v (%v)", r.Model.LogitOffset, want, err)
	}
	raw := *r.Model
	raw.LogitOffset = 0
	p0, err := raw.Predict(r.ValidClips())
	if err != nil {
		t.Fatal(err)
	}
	if want != 0 && slices.Equal(p0, r.ValidProb) {
		t.Error("the prior correction did not change the probabilities")
	}
	a0, err := roc.AUC(p0, r.ValidTruth, roc.CasesHigher)
	if err != nil {
		t.Fatal(err)
	}
	ci0 := [2]float64{math.NaN(), math.NaN()}
	if dl, err := roc.NewDeLong([][]float64{p0}, r.ValidTruth, roc.CasesHigher); err == nil {
		ci0, _ = dl.CI(0, 0.95)
	}
	same := func(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
	if a0 != r.AUC || !same(ci0[0], r.CI[0]) || !same(ci0[1], r.CI[1]) {
		t.Errorf("AUC %v (CI %v) after the prior correction, %v (CI %v) before: want bit-identical", r.AUC, r.CI, a0, ci0)
	}
}

// TestRDLCEUSValidationBlind trains R-DLCEUS twice: on a cohort, and on
// the same cohort with every validation patient's outcome flipped and the
// validation cines, masks and images rotated among the validation
// patients. Training must never see a validation patient (the weights, the
// normalisation and the prior offset are bit-identical), and neither must
// the operating threshold (fixed on the inner early-stopping split).
func TestRDLCEUSValidationBlind(t *testing.T) {
	c := smallCohort(t, 20)
	alt := *c
	alt.Patients = slices.Clone(c.Patients)
	_, valid := cohort.SplitIndices(c.Patients)
	for k, i := range valid {
		src := c.Patients[valid[(k+1)%len(valid)]]
		p := &alt.Patients[i]
		p.Cine, p.BMode, p.LesionMask, p.LiverMask = src.Cine, src.BMode, src.LesionMask, src.LiverMask
		p.FrameRate, p.InjectionOffset, p.CineRegion = src.FrameRate, src.InjectionOffset, src.CineRegion
		p.Response = map[bool]string{true: cohort.ResponseNR, false: cohort.ResponseOR}[c.Patients[i].OR()]
	}
	var rs [2]*RDLCEUSResult
	var cmp [2]*Comparison
	for k, co := range []*cohort.Cohort{c, &alt} {
		r, err := RDLCEUS(co, RDLCEUSOptions{Config: tinyCNN()})
		if err != nil {
			t.Fatal(err)
		}
		if cmp[k], err = Compare(nil, r.ValidTruth, []Scores{r.Scores()}, CompareOptions{Boot: roc.BootOptions{Replicates: 50}}, nil); err != nil {
			t.Fatal(err)
		}
		rs[k] = r
	}
	a, b := rs[0], rs[1]
	// the alteration reached the validation scores
	if slices.Equal(a.ValidTruth, b.ValidTruth) || slices.Equal(a.ValidProb, b.ValidProb) {
		t.Fatal("the altered cohort has the same validation outcomes or probabilities")
	}
	for i := range a.Model.Params {
		if !slices.Equal(a.Model.Params[i].Data, b.Model.Params[i].Data) {
			t.Errorf("%s differs when only validation patients changed", a.Model.Params[i].Name)
		}
	}
	for i := range a.Model.BN {
		if !slices.Equal(a.Model.BN[i].Mean, b.Model.BN[i].Mean) || !slices.Equal(a.Model.BN[i].Var, b.Model.BN[i].Var) {
			t.Errorf("batch-norm statistics %d differ when only validation patients changed", i)
		}
	}
	if a.Model.Mean != b.Model.Mean || a.Model.Std != b.Model.Std || a.Model.LogitOffset != b.Model.LogitOffset || a.Model.BestEpoch != b.Model.BestEpoch {
		t.Errorf("normalisation %v/%v vs %v/%v, offset %v vs %v, best epoch %d vs %d", a.Model.Mean, a.Model.Std, b.Model.Mean, b.Model.Std,
			a.Model.LogitOffset, b.Model.LogitOffset, a.Model.BestEpoch, b.Model.BestEpoch)
	}
	if len(a.Inner) == 0 || !slices.Equal(a.Inner, b.Inner) || !slices.Equal(a.InnerProb, b.InnerProb) || !slices.Equal(a.InnerTruth, b.InnerTruth) {
		t.Errorf("inner split %v → %v, probabilities %v → %v", a.Inner, b.Inner, a.InnerProb, b.InnerProb)
	}
	for _, i := range a.Inner {
		if c.Patients[i].Split != cohort.SplitTrain {
			t.Errorf("inner-split patient %s is not a training patient", c.Patients[i].ID)
		}
	}
	ma, mb := cmp[0].Models[0], cmp[1].Models[0]
	if ma.ThresholdSource != ThresholdInnerSplit || mb.ThresholdSource != ThresholdInnerSplit || ma.ThresholdOnValidation {
		t.Errorf("threshold sources %q and %q, want %q", ma.ThresholdSource, mb.ThresholdSource, ThresholdInnerSplit)
	}
	if ma.Operating.Threshold != mb.Operating.Threshold {
		t.Errorf("threshold %v moved to %v when only validation patients changed", ma.Operating.Threshold, mb.Operating.Threshold)
	}
}

// TestRDLCEUSCalibration trains the study's R-DLCEUS (deep.DefaultConfig,
// seed 1, as RunStudy does) on the default synthetic cohort (`make data`
// writes it to datasets/synthetic-tace; the test is skipped without it, and
// in -short mode: about a minute on two cores) and checks that, with the
// prior correction, the calibration-in-the-large on the validation split
// is within its 95 % CI of 0 (the uncorrected network, trained at an
// implied prevalence of 50 %, under-predicts response), with the AUC
// unchanged.
func TestRDLCEUSCalibration(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the study's network")
	}
	path := filepath.Join("..", "..", "datasets", "synthetic-tace", "cohort.csv")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("no default cohort (%v); run make data", err)
	}
	c, err := cohort.ReadFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := deep.DefaultConfig()
	cfg.Seed = 1
	r, err := RDLCEUS(c, RDLCEUSOptions{Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	checkPriorCorrection(t, r)
	raw := *r.Model
	raw.LogitOffset = 0
	p0, err := raw.Predict(r.ValidClips())
	if err != nil {
		t.Fatal(err)
	}
	calib := func(p []float64) roc.Recalibration {
		t.Helper()
		cp, err := roc.ClipProbabilities(p, 1e-6)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := roc.LogisticCalibration(cp, r.ValidTruth, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		return rc
	}
	before, after := calib(p0), calib(r.ValidProb)
	t.Logf("AUC %.3f; logit offset %+.3f; calibration-in-the-large %.3f (%.3f to %.3f) → %.3f (%.3f to %.3f); slope %.3f (%.3f to %.3f) → %.3f",
		r.AUC, r.Model.LogitOffset, before.InTheLarge.Est, before.InTheLarge.CI[0], before.InTheLarge.CI[1],
		after.InTheLarge.Est, after.InTheLarge.CI[0], after.InTheLarge.CI[1],
		before.Slope.Est, before.Slope.CI[0], before.Slope.CI[1], after.Slope.Est)
	cmp, err := Compare(nil, r.ValidTruth, []Scores{r.Scores()}, CompareOptions{Boot: roc.BootOptions{Replicates: 200}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := cmp.Models[0]
	t.Logf("threshold %.3f on the %d-patient inner split (%s): validation sensitivity %.3f, specificity %.3f; Brier %.3f",
		m.Operating.Threshold, len(r.Inner), m.ThresholdSource, m.Metrics.Sensitivity.Est, m.Metrics.Specificity.Est, m.Brier.Brier)
	if ci := after.InTheLarge.CI; !(ci[0] <= 0 && 0 <= ci[1]) {
		t.Errorf("calibration-in-the-large %.3f, 95%% CI %.3f to %.3f: 0 outside", after.InTheLarge.Est, ci[0], ci[1])
	}
	if !(math.Abs(after.InTheLarge.Est) < math.Abs(before.InTheLarge.Est)) {
		t.Errorf("calibration-in-the-large %.3f with the prior correction, %.3f without", after.InTheLarge.Est, before.InTheLarge.Est)
	}
}

// BenchmarkRDLCEUS trains and validates R-DLCEUS with the default settings
// on the default synthetic cohort (`make data` writes it to
// datasets/synthetic-tace): the full run of the study, reported as the
// validation AUC with its DeLong CI and the time of preprocessing and
// training. Run it with
//
//	go test -run - -bench RDLCEUS -benchtime 1x ./kernellib/study/
func BenchmarkRDLCEUS(b *testing.B) {
	path := filepath.Join("..", "..", "datasets", "synthetic-tace", "cohort.csv")
	if _, err := os.Stat(path); err != nil {
		b.Skipf("no default cohort (%v); run make data", err)
	}
	c, err := cohort.ReadFile(path, nil)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		r, err := RDLCEUS(c, RDLCEUSOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(r.AUC, "AUC")
		b.ReportMetric(r.CI[0], "CIlo")
		b.ReportMetric(r.CI[1], "CIhi")
		b.ReportMetric(r.PrepTime.Seconds(), "prep-s")
		b.ReportMetric(r.TrainTime.Seconds(), "train-s")
		b.ReportMetric(float64(r.Model.BestEpoch), "best-epoch")
		b.ReportMetric(float64(len(r.Model.History)), "epochs")
	}
}
