package study

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
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
		half, _ := want.TestAUC(r, 0.5)
		if got.AUC != want.AUC[r] || got.SE != want.SE(r) || got.CI != ci || got.PVsHalf != half.P {
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
	if cl := PatientGroups(c, valid); cl != nil {
		t.Fatalf("PatientGroups = %v for one lesion a patient, want nil", cl)
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
	if cl := PatientGroups(c, valid); len(cl) != len(valid) || cl[0] != cl[1] {
		t.Errorf("PatientGroups = %v, want the patients with P0 twice", cl)
	}
}

// The committed results of the one-lesion synthetic cohort
// (figures/results.json) are reproduced exactly from their stored
// probabilities: no cluster-robust section, the same AUCs, DeLong SEs and
// CIs, bootstrap CIs and pairwise tests, bit for bit.
func TestCommittedResultsUnchanged(t *testing.T) {
	r, err := ReadResults(filepath.Join("..", "..", "figures", "results.json"))
	if err != nil {
		t.Skipf("no committed results: %v", err)
	}
	if r.LesionLevel != nil {
		t.Fatal("the one-lesion synthetic cohort's results have a lesion_level section")
	}
	c, err := r.Compare(CompareOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Clustered != nil {
		t.Error("Compare of one-lesion results has a Clustered part")
	}
	for k, m := range c.Models {
		got := resultModel(m, r.Models[k].Summary, r.Scores()[k])
		want := r.Models[k]
		if got.ClusterRobust != nil || got.AUC != want.AUC || got.SE != want.SE || got.CIDeLong != want.CIDeLong ||
			got.CIBoot != want.CIBoot || got.CIBCa != want.CIBCa {
			t.Errorf("%s: AUC %v SE %v CI %v boot %v %v, committed %v %v %v %v %v", m.Name, got.AUC, got.SE, got.CIDeLong, got.CIBoot, got.CIBCa,
				want.AUC, want.SE, want.CIDeLong, want.CIBoot, want.CIBCa)
		}
	}
	for k, p := range c.Pairs {
		d, w := p.DeLong, r.Pairs[k]
		if jsonFloat(d.Diff) != w.Diff || jsonFloat(d.Z) != w.Z || jsonFloat(d.P) != w.P || jsonFloat(d.PHolm) != w.PHolm {
			t.Errorf("%s vs %s: diff %v z %v p %v (Holm %v), committed %+v", p.A, p.B, d.Diff, d.Z, d.P, d.PHolm, w)
		}
	}
}

// Robust with Groups re-draws splits of whole patients and tests each
// split's pairs with the clustered covariance.
func TestRobustGrouped(t *testing.T) {
	y, g, p := lesionScores(40, 9)
	var mu sync.Mutex
	var tests [][]int
	spec := func(k int) ModelSpec {
		return ModelSpec{Name: fmt.Sprint("m", k), Fit: func(train, valid []int, seed uint64) ([]float64, error) {
			side := map[string]bool{}
			for _, i := range train {
				side[g[i]] = true
			}
			for _, i := range valid {
				if side[g[i]] {
					return nil, fmt.Errorf("patient %s in training and validation", g[i])
				}
			}
			if k == 0 {
				mu.Lock()
				tests = append(tests, slices.Clone(valid))
				mu.Unlock()
			}
			return pick(p[k], valid), nil
		}}
	}
	res, err := Robust(y, []ModelSpec{spec(0), spec(1)}, RobustnessOptions{Splits: 6, Seed: 4, Groups: g, Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sig := 0.0
	for r, valid := range tests {
		truth := pick(y, valid)
		cl, err := roc.NewClustered([][]float64{pick(p[0], valid), pick(p[1], valid)}, truth, pick(g, valid))
		if err != nil {
			t.Fatal(err)
		}
		if res.AUC[0][r] != cl.AUC[0] || res.AUC[1][r] != cl.AUC[1] {
			t.Errorf("split %d: AUCs %v %v, clustered %v", r, res.AUC[0][r], res.AUC[1][r], cl.AUC)
		}
		if pt, _ := cl.Paired(0, 1, 0.95); pt.P < 0.05 {
			sig++
		}
		patients := map[string]bool{}
		for _, i := range valid {
			patients[g[i]] = true
		}
		if want := 40 - cohort.PaperTrainSize(40); len(patients) != want {
			t.Errorf("split %d: %d validation patients, want %d", r, len(patients), want)
		}
	}
	if len(tests) != 6 || res.Pairs[0].Significant != sig/6 {
		t.Errorf("%d splits, significant in %v, clustered tests significant in %v", len(tests), res.Pairs[0].Significant, sig/6)
	}
}
