package study

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
)

// ticToy is a cohort of n patients with the paper's split and a feature
// table (rows in reverse order, to exercise the matching by patient_id)
// in which f1 carries the outcome (shift 1.5 SD), f2 a little of it, and
// f3..f8 are noise; f3 has missing values and f4 an infinite one.
func ticToy(t testing.TB, n int) (*cohort.Cohort, dataframe.DataFrame) {
	t.Helper()
	r := rand.New(rand.NewPCG(11, 12))
	y := make([]bool, n)
	for i := range y {
		y[i] = r.Float64() < 0.6
	}
	part, err := cohort.PaperSplit(y, 3)
	if err != nil {
		t.Fatal(err)
	}
	split := make([]string, n)
	for _, i := range part.Train {
		split[i] = cohort.SplitTrain
	}
	for _, i := range part.Test {
		split[i] = cohort.SplitValidation
	}
	c := &cohort.Cohort{Path: "toy.csv"}
	ids := make([]string, n)
	cols := make([][]float64, 8)
	for j := range cols {
		cols[j] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		resp := cohort.ResponseNR
		s := 0.0
		if y[i] {
			resp, s = cohort.ResponseOR, 1
		}
		ids[i] = string(rune('A'+i/26)) + string(rune('a'+i%26))
		c.Patients = append(c.Patients, cohort.Patient{ID: ids[i], Response: resp, Split: split[i], InjectionOffset: math.NaN()})
		cols[0][i] = 1.5*s + r.NormFloat64()
		cols[1][i] = 0.4*s + r.NormFloat64()
		for j := 2; j < 8; j++ {
			cols[j][i] = r.NormFloat64() * float64(j)
		}
		if i%9 == 0 {
			cols[2][i] = math.NaN()
		}
	}
	cols[3][5] = math.Inf(1)
	rev := func(v []float64) []float64 {
		out := make([]float64, len(v))
		for i := range v {
			out[len(v)-1-i] = v[i]
		}
		return out
	}
	rids := make([]string, n)
	for i := range ids {
		rids[n-1-i] = ids[i]
	}
	ss := []series.Series{series.New(rids, series.String, cohort.ColPatientID), series.New(make([]string, n), series.String, "tic_status")}
	for j := range cols {
		ss = append(ss, series.New(rev(cols[j]), series.Float, "f"+string(rune('1'+j))))
	}
	return c, dataframe.New(ss...)
}

// mannWhitneyAUC is the AUC by counting pairs, P(score_case > score_control)
// + ½P(tie), independently of package roc.
func mannWhitneyAUC(p []float64, y []bool) float64 {
	s, n := 0.0, 0.0
	for i := range p {
		for j := range p {
			if y[i] && !y[j] {
				n++
				if p[i] > p[j] {
					s++
				} else if p[i] == p[j] {
					s += 0.5
				}
			}
		}
	}
	return s / n
}

func TestRTIC(t *testing.T) {
	c, feats := ticToy(t, 130)
	opt := RTICOptions{Repeats: 2}
	var calls int
	opt.Progress = func(done, total int) { calls++ }
	r, err := RTIC(c, feats, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("chosen %s (CV AUC %.3f ± %.3f), selected %v, validation AUC %.3f (%.3f–%.3f)", r.ChosenName(), r.CVAUC, r.CVAUCSD, r.Selected, r.AUC, r.CI[0], r.CI[1])
	if len(r.Train) != 89 || len(r.Valid) != 41 || len(r.ValidProb) != 41 || len(r.TrainOOF) != 89 || len(r.Candidates) != 4 || calls != 4 {
		t.Fatalf("sizes: train %d valid %d probs %d oof %d candidates %d progress %d", len(r.Train), len(r.Valid), len(r.ValidProb), len(r.TrainOOF), len(r.Candidates), calls)
	}
	if len(r.Features) != 8 || r.Features[0] != "f1" {
		t.Errorf("features %v", r.Features)
	}
	for i, cr := range r.Candidates {
		if cr.MeanAUC > r.CVAUC || (cr.MeanAUC == r.CVAUC && i < r.Chosen) {
			t.Errorf("candidate %s (CV AUC %.4f) beats the chosen %s (%.4f)", cr.Name, cr.MeanAUC, r.ChosenName(), r.CVAUC)
		}
	}
	found := false
	for _, s := range r.Selected {
		found = found || s == "f1"
	}
	if !found {
		t.Errorf("the informative feature f1 is not among %v", r.Selected)
	}
	if want := mannWhitneyAUC(r.ValidProb, r.ValidTruth); math.Abs(r.AUC-want) > 1e-12 || r.AUC < 0.75 || !(r.CI[0] < r.AUC && r.AUC < r.CI[1]) {
		t.Errorf("validation AUC %v (pairs: %v), CI %v", r.AUC, want, r.CI)
	}
	if oof := mannWhitneyAUC(r.TrainOOF, pick(cohort.Responses(c.Patients), r.Train)); oof < 0.7 {
		t.Errorf("out-of-fold training AUC %.3f", oof)
	}
	sc := r.Scores()
	if sc.Name != RTICName || !reflect.DeepEqual(sc.Valid, r.ValidProb) || !reflect.DeepEqual(sc.Train, r.TrainOOF) {
		t.Errorf("Scores %+v", sc)
	}

	// No leakage: scrambling the validation patients' features changes the
	// validation probabilities only, not the choice or its cross-validation.
	scr := feats.Copy()
	valid := map[string]bool{}
	for _, i := range r.Valid {
		valid[c.Patients[i].ID] = true
	}
	ids := scr.Col(cohort.ColPatientID).Records()
	for _, n := range scr.Names()[2:] {
		v := scr.Col(n).Float()
		for i := range v {
			if valid[ids[i]] {
				v[i] = 1000 - v[i]
			}
		}
		scr = scr.Mutate(series.New(v, series.Float, n))
	}
	r2, err := RTIC(c, scr, RTICOptions{Repeats: 2, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r2.Chosen != r.Chosen || !reflect.DeepEqual(r2.TrainOOF, r.TrainOOF) || r2.CVAUC != r.CVAUC || reflect.DeepEqual(r2.ValidProb, r.ValidProb) {
		t.Errorf("validation features leaked into the choice: chosen %d vs %d, CV AUC %v vs %v", r2.Chosen, r.Chosen, r2.CVAUC, r.CVAUC)
	}

	// The robustness spec on the manifest's split reproduces RTIC (and
	// does not depend on the number of workers).
	spec, err := RTICSpec(c, feats, RTICOptions{Repeats: 2, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	p, err := spec.Fit(r.Train, r.Valid, 1)
	if err != nil {
		t.Fatal(err)
	}
	if spec.Name != RTICName || !reflect.DeepEqual(p, r.ValidProb) {
		t.Errorf("RTICSpec differs from RTIC")
	}
}

func TestRTICErrors(t *testing.T) {
	c, feats := ticToy(t, 60)
	for _, cc := range []struct {
		name string
		c    *cohort.Cohort
		f    dataframe.DataFrame
		opt  RTICOptions
		want string
	}{
		{"unknown feature", c, feats, RTICOptions{Features: []string{"f1", "nope"}}, `no column "nope"`},
		{"string feature", c, feats, RTICOptions{Features: []string{"tic_status"}}, "want numbers"},
		{"missing patient", c, feats.Subset([]int{0, 1, 2}), RTICOptions{}, "has no row in the feature table"},
		{"no id column", c, feats.Drop(cohort.ColPatientID), RTICOptions{}, "no patient_id column"},
		{"no candidates", c, feats, RTICOptions{Candidates: []RTICCandidate{}}, "no candidate"},
		{"empty cohort", &cohort.Cohort{}, feats, RTICOptions{}, "empty cohort"},
	} {
		if _, err := RTIC(cc.c, cc.f, cc.opt); err == nil || !strings.Contains(err.Error(), cc.want) {
			t.Errorf("%s: %v, want an error containing %q", cc.name, err, cc.want)
		}
	}
	one := *c
	one.Patients = append([]cohort.Patient(nil), c.Patients...)
	for i := range one.Patients {
		one.Patients[i].Split = cohort.SplitTrain
	}
	if _, err := RTIC(&one, feats, RTICOptions{}); err == nil || !strings.Contains(err.Error(), "0 validation") {
		t.Errorf("no validation patients: %v", err)
	}
}

// BenchmarkRTICDefaultCohort runs R-TIC end to end on the default
// synthetic cohort (`make data`): the TIC feature table of the 130
// patients, the choice of pipeline by 5×5-fold CV on the 89 training
// patients, and the validation AUC with its DeLong CI, reported as metrics.
func BenchmarkRTICDefaultCohort(b *testing.B) {
	c, err := cohort.ReadFile("../../datasets/synthetic-tace/cohort.csv", nil)
	if err != nil {
		b.Skipf("default cohort not found (make data): %v", err)
	}
	for i := 0; i < b.N; i++ {
		feats, err := RTICFeatures(c, nil)
		if err != nil {
			b.Fatal(err)
		}
		r, err := RTIC(c, feats, RTICOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(r.AUC, "AUC")
		b.ReportMetric(r.CI[0], "CI_lo")
		b.ReportMetric(r.CI[1], "CI_hi")
		b.ReportMetric(r.CVAUC, "CV_AUC")
		if i == 0 {
			b.Logf("chosen %s (CV AUC %.3f ± %.3f); selected %v; validation AUC %.3f (95%% CI %.3f–%.3f)", r.ChosenName(), r.CVAUC, r.CVAUCSD, r.Selected, r.AUC, r.CI[0], r.CI[1])
			for _, cr := range r.Candidates {
				b.Logf("  %-15s CV AUC %.3f ± %.3f", cr.Name, cr.MeanAUC, cr.SDAUC)
			}
		}
	}
}
