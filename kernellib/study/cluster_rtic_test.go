package study

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/roc"
	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// lesionToy is a lesion-level cohort: nPatients patients with 1, 2 or 3
// lesions (rows "P07/L2"), split by patient with cohort.GroupedPaperSplit,
// the lesions of a patient sharing a patient effect and, but for one in
// seven, the patient's outcome; and its feature table, keyed by patient_id
// and lesion_id (cohort.KeyColumns) with its rows in reverse order, in
// which f1 carries the outcome and f2..f4 are noise.
func lesionToy(t *testing.T, nPatients int) (*cohort.Cohort, dataframe.DataFrame) {
	t.Helper()
	r := rand.New(rand.NewPCG(21, 22))
	var ps []cohort.Patient
	var y []bool
	var groups []string
	var cols [4][]float64
	for i := 0; i < nPatients; i++ {
		or := r.Float64() < 0.5
		effect := r.NormFloat64()
		for l := 1; l <= 1+i%3; l++ {
			lor := or != (r.IntN(7) == 0)
			resp, s := cohort.ResponseNR, 0.0
			if lor {
				resp, s = cohort.ResponseOR, 1
			}
			pid, lid := fmt.Sprintf("P%02d", i), fmt.Sprintf("L%d", l)
			ps = append(ps, cohort.Patient{ID: pid + cohort.LesionKeySep + lid, PatientID: pid, LesionID: lid, Response: resp, InjectionOffset: math.NaN()})
			y, groups = append(y, lor), append(groups, pid)
			cols[0] = append(cols[0], 1.5*s+effect+0.5*r.NormFloat64())
			for j := 1; j < 4; j++ {
				cols[j] = append(cols[j], r.NormFloat64()+effect)
			}
		}
	}
	part, err := cohort.GroupedPaperSplit(y, groups, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range part.Train {
		ps[i].Split = cohort.SplitTrain
	}
	for _, i := range part.Test {
		ps[i].Split = cohort.SplitValidation
	}
	n := len(ps)
	rev := make([]cohort.Patient, n)
	for i := range ps {
		rev[n-1-i] = ps[i]
	}
	ss := cohort.KeyColumns(rev)
	for j := range cols {
		v := make([]float64, n)
		for i := range v {
			v[n-1-i] = cols[j][i]
		}
		ss = append(ss, series.New(v, series.Float, fmt.Sprint("f", j+1)))
	}
	return &cohort.Cohort{Path: "lesions.csv", Patients: ps}, dataframe.New(ss...)
}

// R-TIC on a lesion-level cohort: the feature table is matched by
// (patient_id, lesion_id), the model-choice cross-validation keeps a
// patient's lesions in one fold, the comparison adds the cluster-robust CI,
// and the robustness analysis re-draws whole patients.
func TestRTICLesionLevel(t *testing.T) {
	c, feats := lesionToy(t, 60)
	if names := feats.Names(); names[0] != cohort.ColPatientID || names[1] != cohort.ColLesionID {
		t.Fatalf("feature table columns %v", names)
	}
	r, err := RTIC(c, feats, RTICOptions{Repeats: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Selected) == 0 || r.Selected[0] == cohort.ColLesionID {
		t.Errorf("selected %v", r.Selected)
	}
	groups := PatientGroups(c, r.Train)
	if groups == nil {
		t.Fatal("no groups for the training lesions")
	}
	for _, cand := range r.Candidates {
		for _, fold := range cand.CV.Folds[0] {
			in := map[string]bool{}
			for _, i := range fold.Test {
				in[groups[i]] = true
			}
			for _, i := range fold.Train {
				if in[groups[i]] {
					t.Fatalf("%s: patient %s in a fold's training and test rows", cand.Name, groups[i])
				}
			}
		}
	}
	y := cohort.Responses(c.Patients)
	clusters := PatientGroups(c, r.Valid)
	cmp, err := Compare(pick(y, r.Train), r.ValidTruth, []Scores{r.scores(RTICName)},
		CompareOptions{Boot: roc.BootOptions{Replicates: 50, Seed: 1}, Clusters: clusters}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := roc.NewClustered([][]float64{r.ValidProb}, r.ValidTruth, clusters)
	if err != nil {
		t.Fatal(err)
	}
	if cl := cmp.Clustered; cl == nil || cl.Models[0].SE != want.SE(0) || cl.Models[0].AUC != r.AUC {
		t.Errorf("cluster-robust %+v, want SE %v of AUC %v", cl, want.SE(0), r.AUC)
	}
	spec, err := RTICSpec(c, feats, RTICOptions{Repeats: 1})
	if err != nil {
		t.Fatal(err)
	}
	rb, err := Robust(y, []ModelSpec{spec}, RobustnessOptions{Splits: 2, Seed: 5, Groups: PatientGroups(c, allRows(len(y)))}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rb.AUC[0]) != 2 || !(rb.AUC[0][0] > 0.5) {
		t.Errorf("robustness AUCs %v", rb.AUC[0])
	}
}
