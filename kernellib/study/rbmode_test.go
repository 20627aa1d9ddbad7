package study

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/radiomics"
)

// bmodeFeatures are the complete columns of ticToy (f3 has missing
// values and f4 an infinite one, which radiomic features never have).
var bmodeFeatures = []string{"f1", "f2", "f5", "f6", "f7", "f8"}

// toyPerturbed is a perturbation table for the patients of c with the
// features of feats: under each of 4 perturbations a feature moves by
// noise of SD sd[name] (0.05 of its spread for the stable features; f2 and
// f6 are unstable, with noise twice their spread, and so have an ICC(3,1)
// near 0.2).
func toyPerturbed(t *testing.T, c *cohort.Cohort, feats dataframe.DataFrame) *radiomics.Perturbed {
	t.Helper()
	r := rand.New(rand.NewPCG(5, 6))
	const k = 5
	p := &radiomics.Perturbed{Perturbations: radiomics.DefaultPerturbations()[:k-1]}
	ids := feats.Col(cohort.ColPatientID).Records()
	p.IDs = ids
	for _, n := range bmodeFeatures {
		p.Keys = append(p.Keys, n)
		p.Features = append(p.Features, radiomics.Feature{Family: "toy", Name: n})
		v := feats.Col(n).Float()
		sd := 0.05
		if n == "f2" || n == "f6" {
			sd = 2
		}
		spread := math.Sqrt(variance(v))
		rows := make([][]float64, len(v))
		for i := range v {
			rows[i] = make([]float64, k)
			rows[i][0] = v[i]
			for j := 1; j < k; j++ {
				rows[i][j] = v[i] + sd*spread*r.NormFloat64()
			}
		}
		p.Values = append(p.Values, rows)
	}
	return p
}

func variance(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m += x / float64(len(v))
	}
	s := 0.0
	for _, x := range v {
		s += (x - m) * (x - m) / float64(len(v)-1)
	}
	return s
}

func TestRBMode(t *testing.T) {
	c, feats := ticToy(t, 130)
	pt := toyPerturbed(t, c, feats)
	var calls int
	opt := RBModeOptions{Features: bmodeFeatures, Perturbed: pt, Repeats: 2, Progress: func(done, total int) { calls++ }}
	r, err := RBMode(c, feats, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("robust %v; chosen %s (CV AUC %.3f ± %.3f), selected %v, validation AUC %.3f (%.3f–%.3f)", r.Robust, r.ChosenName(), r.CVAUC, r.CVAUCSD, r.Selected, r.AUC, r.CI[0], r.CI[1])
	nc := len(DefaultRBModeCandidates())
	if len(r.Train) != 89 || len(r.Valid) != 41 || len(r.ValidProb) != 41 || len(r.TrainOOF) != 89 || len(r.Candidates) != nc || calls != nc {
		t.Fatalf("sizes: train %d valid %d probs %d oof %d candidates %d progress %d", len(r.Train), len(r.Valid), len(r.ValidProb), len(r.TrainOOF), len(r.Candidates), calls)
	}
	// The unstable features are left out before any model sees them, and
	// the ICCs are those of the training patients.
	if want := []string{"f1", "f5", "f7", "f8"}; !reflect.DeepEqual(r.Robust, want) {
		t.Errorf("robust features %v, want %v", r.Robust, want)
	}
	var trainIDs []string
	for _, i := range r.Train {
		trainIDs = append(trainIDs, c.Patients[i].ID)
	}
	want, err := pt.ICC(trainIDs)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.ICC, want) {
		t.Error("ICCs not those of the training patients")
	}
	for _, s := range r.Selected {
		if !slices.Contains(r.Robust, s) {
			t.Errorf("selected feature %s is not robust", s)
		}
	}
	if !slices.Contains(r.Selected, "f1") {
		t.Errorf("the informative feature f1 is not among %v", r.Selected)
	}
	for i, cr := range r.Candidates {
		if cr.MeanAUC > r.CVAUC || (cr.MeanAUC == r.CVAUC && i < r.Chosen) {
			t.Errorf("candidate %s (CV AUC %.4f) beats the chosen %s (%.4f)", cr.Name, cr.MeanAUC, r.ChosenName(), r.CVAUC)
		}
	}
	if w := mannWhitneyAUC(r.ValidProb, r.ValidTruth); math.Abs(r.AUC-w) > 1e-12 || r.AUC < 0.75 || !(r.CI[0] < r.AUC && r.AUC < r.CI[1]) {
		t.Errorf("validation AUC %v (pairs: %v), CI %v", r.AUC, w, r.CI)
	}
	sc := r.Scores()
	if sc.Name != RBModeName || !reflect.DeepEqual(sc.Valid, r.ValidProb) || !reflect.DeepEqual(sc.Train, r.TrainOOF) {
		t.Errorf("Scores %+v", sc)
	}

	// No leakage: changing the validation patients' features and their
	// perturbed extractions (making f5 unstable there) changes the
	// validation probabilities only.
	valid := map[string]bool{}
	for _, i := range r.Valid {
		valid[c.Patients[i].ID] = true
	}
	scr := feats.Copy()
	ids := scr.Col(cohort.ColPatientID).Records()
	for _, n := range bmodeFeatures {
		v := scr.Col(n).Float()
		for i := range v {
			if valid[ids[i]] {
				v[i] = 1000 - v[i]
			}
		}
		scr = scr.Mutate(series.New(v, series.Float, n))
	}
	// pt2: pt with the validation patients' extractions replaced, and f5
	// made unstable among them.
	pt2 := *pt
	pt2.Values = make([][][]float64, len(pt.Values))
	for f := range pt.Values {
		for i, row := range pt.Values[f] {
			row = append([]float64(nil), row...)
			if valid[pt.IDs[i]] {
				for j := range row {
					row[j] = 1000 - row[j]
					if pt.Keys[f] == "f5" {
						row[j] += 1e4 * float64((i+j)%3)
					}
				}
			}
			pt2.Values[f] = append(pt2.Values[f], row)
		}
	}
	if all, _ := pt2.ICC(nil); all[2].Key != "f5" || all[2].ICC > 0.5 {
		t.Fatalf("toy: f5 is not unstable over all patients: %+v", all[2])
	}
	r2, err := RBMode(c, scr, RBModeOptions{Features: bmodeFeatures, Perturbed: &pt2, Repeats: 2, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r2.Robust, r.Robust) || r2.Chosen != r.Chosen || !reflect.DeepEqual(r2.TrainOOF, r.TrainOOF) || r2.CVAUC != r.CVAUC || reflect.DeepEqual(r2.ValidProb, r.ValidProb) {
		t.Errorf("validation patients leaked into the choice: robust %v vs %v, chosen %d vs %d, CV AUC %v vs %v", r2.Robust, r.Robust, r2.Chosen, r.Chosen, r2.CVAUC, r.CVAUC)
	}

	// The robustness spec on the manifest's split reproduces RBMode, on one
	// worker.
	spec, err := RBModeSpec(c, feats, RBModeOptions{Features: bmodeFeatures, Perturbed: pt, Repeats: 2, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	p, err := spec.Fit(r.Train, r.Valid, 1)
	if err != nil {
		t.Fatal(err)
	}
	if spec.Name != RBModeName || !reflect.DeepEqual(p, r.ValidProb) {
		t.Errorf("RBModeSpec differs from RBMode")
	}

	// Without a perturbation table every feature is used.
	r3, err := RBMode(c, feats, RBModeOptions{Features: bmodeFeatures, Repeats: 1, Candidates: DefaultRBModeCandidates()[:1]})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r3.Robust, bmodeFeatures) || r3.ICC != nil {
		t.Errorf("without Perturbed: robust %v", r3.Robust)
	}
}

func TestRBModeErrors(t *testing.T) {
	c, feats := ticToy(t, 60)
	pt := toyPerturbed(t, c, feats)
	few := *pt
	few.IDs = pt.IDs[:10]
	for _, cc := range []struct {
		name string
		c    *cohort.Cohort
		f    dataframe.DataFrame
		opt  RBModeOptions
		want string
	}{
		{"missing value", c, feats, RBModeOptions{}, `feature "f3" is NaN`},
		{"infinite value", c, feats, RBModeOptions{Features: []string{"f4"}}, `feature "f4" is +Inf`},
		{"unknown feature", c, feats, RBModeOptions{Features: []string{"f1", "nope"}}, `no column "nope"`},
		{"string feature", c, feats, RBModeOptions{Features: []string{"tic_status"}}, "want numbers"},
		{"missing patient", c, feats.Subset([]int{0, 1, 2}), RBModeOptions{Features: bmodeFeatures}, "has no row in the feature table"},
		{"no id column", c, feats.Drop(cohort.ColPatientID), RBModeOptions{}, "no patient_id column"},
		{"no candidates", c, feats, RBModeOptions{Features: bmodeFeatures, Candidates: []RBModeCandidate{}}, "no candidate"},
		{"nothing robust", c, feats, RBModeOptions{Features: bmodeFeatures, Perturbed: pt, ICCThreshold: 1.01}, "no feature"},
		{"patients without perturbations", c, feats, RBModeOptions{Features: bmodeFeatures, Perturbed: &few}, "has no perturbed extraction"},
		{"empty cohort", &cohort.Cohort{}, feats, RBModeOptions{}, "empty cohort"},
	} {
		if _, err := RBMode(cc.c, cc.f, cc.opt); err == nil || !strings.Contains(err.Error(), cc.want) {
			t.Errorf("%s: %v, want an error containing %q", cc.name, err, cc.want)
		}
	}
}

// BenchmarkRBModeDefaultCohort runs R-BMode end to end on the default
// synthetic cohort (`make data`): the radiomic feature table of the 130
// B-mode images, their extraction under the 8 default mask perturbations,
// the robust features (ICC(3,1) ≥ 0.75 over the 89 training patients), the
// choice of pipeline by 5×5-fold CV on the training patients, and the
// validation AUC with its DeLong CI, reported as metrics.
func BenchmarkRBModeDefaultCohort(b *testing.B) {
	c, err := cohort.ReadFile("../../datasets/synthetic-tace/cohort.csv", nil)
	if err != nil {
		b.Skipf("default cohort not found (make data): %v", err)
	}
	for i := 0; i < b.N; i++ {
		feats, err := RBModeFeatures(c, nil)
		if err != nil {
			b.Fatal(err)
		}
		pt, err := RBModePerturbations(c, nil)
		if err != nil {
			b.Fatal(err)
		}
		r, err := RBMode(c, feats, RBModeOptions{Perturbed: pt})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(r.AUC, "AUC")
		b.ReportMetric(r.CI[0], "CI_lo")
		b.ReportMetric(r.CI[1], "CI_hi")
		b.ReportMetric(r.CVAUC, "CV_AUC")
		b.ReportMetric(float64(len(r.Robust)), "robust")
		if i == 0 {
			b.Logf("%d features, %d robust; chosen %s (CV AUC %.3f ± %.3f); selected %v; validation AUC %.3f (95%% CI %.3f–%.3f)", len(r.Features), len(r.Robust), r.ChosenName(), r.CVAUC, r.CVAUCSD, r.Selected, r.AUC, r.CI[0], r.CI[1])
			for _, cr := range r.Candidates {
				b.Logf("  %-18s CV AUC %.3f ± %.3f", cr.Name, cr.MeanAUC, cr.SDAUC)
			}
		}
	}
}
