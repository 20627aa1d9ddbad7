package study

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// lesionScores returns, for nPatients patients with 1–3 lesions each, every
// lesion's outcome, its patient, and two models' probabilities that share a
// patient effect (so that lesions of one patient are correlated).
func lesionScores(nPatients int, seed uint64) ([]bool, []string, [2][]float64) {
	rng := rand.New(rand.NewPCG(seed, 11))
	var y []bool
	var g []string
	var p [2][]float64
	for i := 0; i < nPatients; i++ {
		patientOR := rng.Float64() < 0.5
		effect := rng.NormFloat64()
		for l := 0; l < 1+i%3; l++ {
			or := patientOR != (rng.Float64() < 0.15)
			s := -1.0
			if or {
				s = 1
			}
			y = append(y, or)
			g = append(g, fmt.Sprintf("P%02d", i))
			for k, strength := range []float64{2, 1} {
				z := strength*s/2 + effect + 0.7*rng.NormFloat64()
				p[k] = append(p[k], 1/(1+math.Exp(-z)))
			}
		}
	}
	return y, g, p
}

// The comparison of a lesion-level cohort reports, per model, Obuchowski's
// cluster-robust AUC, SE and CI exactly as roc.NewClustered computes them,
// and its pairwise tests are the clustered ones.
func TestCompareClustered(t *testing.T) {
	y, g, p := lesionScores(40, 3)
	models := []Scores{{Name: "a", Valid: p[0]}, {Name: "b", Valid: p[1]}}
	opt := CompareOptions{Boot: roc.BootOptions{Replicates: 50, Seed: 1}, Clusters: g}
	c, err := Compare(nil, y, models, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := roc.NewClustered([][]float64{p[0], p[1]}, y, g)
	if err != nil {
		t.Fatal(err)
	}
	cl := c.Clustered
	if cl == nil {
		t.Fatal("no cluster-robust results for a cohort with several lesions a patient")
	}
	if cl.Clusters != 40 || cl.Lesions != len(y) || cl.ClustersWithCases != want.ClustersWithCases || cl.ClustersWithControls != want.ClustersWithControls {
		t.Errorf("clusters %d of %d lesions (%d with cases, %d with controls), want 40 of %d", cl.Clusters, cl.Lesions, cl.ClustersWithCases, cl.ClustersWithControls, len(y))
	}
	for r := range models {
		ci, _ := want.CI(r, 0.95)
		got := cl.Models[r]
		if got.AUC != want.AUC[r] || got.SE != want.SE(r) || got.CI != ci {
			t.Errorf("model %d: cluster-robust %+v, roc.NewClustered AUC %v SE %v CI %v", r, got, want.AUC[r], want.SE(r), ci)
		}
		// The lesion-level AUC is the one Compare reports; DeLong's SE,
		// which ignores the clustering, stays beside the robust one.
		if c.Models[r].AUC != want.AUC[r] {
			t.Errorf("model %d: AUC %v, clustered %v", r, c.Models[r].AUC, want.AUC[r])
		}
		if c.Models[r].SE == got.SE {
			t.Errorf("model %d: DeLong SE equals the cluster-robust one (%v): the patient effect should change it", r, got.SE)
		}
	}
	pairs, _ := want.Pairwise(0.95)
	if len(c.Pairs) != 1 || !reflect.DeepEqual(c.Pairs[0].DeLong, pairs[0]) {
		t.Errorf("pairwise test %+v, want the clustered %+v", c.Pairs[0].DeLong, pairs[0])
	}
	// results.json: "auc_cluster_robust" per model and "lesion_level".
	r := &Results{}
	for _, m := range c.Models {
		r.Models = append(r.Models, resultModel(m, "", Scores{}))
	}
	addClusterResults(r, c)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"auc_cluster_robust":{"clusters":40,"se":`, `"lesion_level":{"validation_lesions":`, `"method":"obuchowski_1997"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("results.json lacks %s", key)
		}
	}
	// Too few patients of one class is refused clearly.
	yy := []bool{true, true, false, false}
	if _, err := Compare(nil, yy, []Scores{{Name: "a", Valid: []float64{0.9, 0.8, 0.1, 0.2}}}, CompareOptions{Boot: roc.BootOptions{Replicates: 20}, Clusters: []string{"p", "p", "q", "r"}}, nil); err == nil || !strings.Contains(err.Error(), "cluster") {
		t.Errorf("one patient with cases: %v, want a cluster error", err)
	}
}

// With one lesion per patient nothing changes: no clusters are passed and
// the comparison (and so results.json) is the per-patient one.
func TestCompareOneLesionUnchanged(t *testing.T) {
	y, _, p := lesionScores(30, 5)
	c := &cohort.Cohort{}
	for i := range y {
		c.Patients = append(c.Patients, cohort.Patient{ID: fmt.Sprint("P", i), PatientID: fmt.Sprint("P", i)})
	}
	valid := []int{0, 2, 4, 5, 7}
	if cl := ValidationClusters(c, valid); cl != nil {
		t.Fatalf("ValidationClusters = %v for one lesion a patient, want nil", cl)
	}
	models := []Scores{{Name: "a", Valid: p[0]}, {Name: "b", Valid: p[1]}}
	opt := CompareOptions{Boot: roc.BootOptions{Replicates: 50, Seed: 1}}
	a, err := Compare(nil, y, models, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Clustered != nil {
		t.Error("Clustered set without clusters")
	}
	dl, _ := roc.NewDeLong([][]float64{p[0], p[1]}, y)
	pairs, _ := dl.Pairwise(0.95)
	if !reflect.DeepEqual(a.Pairs[0].DeLong, pairs[0]) {
		t.Error("pairwise test is not DeLong's")
	}
	// A patient with two lesions makes the validation cohort lesion-level.
	c.Patients[2].PatientID = "P0"
	if cl := ValidationClusters(c, valid); len(cl) != len(valid) || cl[0] != cl[1] {
		t.Errorf("ValidationClusters = %v, want the patients with P0 twice", cl)
	}
}
