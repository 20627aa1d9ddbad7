package study

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// lesionManifest rewrites the manifest of a synthetic cohort into a
// lesion-level one: its cases, in order, become the lesions of patients with
// 1, 2, 3, 1, 2, 3, … lesions (patient_id "Q01", lesion_id 1, 2, …), each
// patient in the split that cohort.GroupedPaperSplit gives it by the
// response of its lesions. It returns the new manifest's path.
func lesionManifest(t *testing.T, c *cohort.Cohort) string {
	t.Helper()
	f, err := os.Open(c.Path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	header := recs[0]
	col := func(name string) int { return slices.Index(header, name) }
	idc, splitc, respc := col(cohort.ColPatientID), col(cohort.ColSplit), col(cohort.ColResponse)
	var groups []string
	var lesions []string
	var y []bool
	for p, row := 0, 1; row < len(recs); p++ {
		for l := 1; l <= 1+p%3 && row < len(recs); l, row = l+1, row+1 {
			groups = append(groups, fmt.Sprintf("Q%02d", p))
			lesions = append(lesions, fmt.Sprint(l))
			y = append(y, recs[row][respc] == cohort.ResponseOR)
		}
	}
	part, err := cohort.GroupedPaperSplit(y, groups, 5)
	if err != nil {
		t.Fatal(err)
	}
	split := make([]string, len(y))
	for _, i := range part.Train {
		split[i] = cohort.SplitTrain
	}
	for _, i := range part.Test {
		split[i] = cohort.SplitValidation
	}
	out := [][]string{append([]string{cohort.ColLesionID}, header...)}
	for i, rec := range recs[1:] {
		rec[idc], rec[splitc] = groups[i], split[i]
		out = append(out, append([]string{lesions[i]}, rec...))
	}
	path := filepath.Join(filepath.Dir(c.Path), "lesions.csv")
	w, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := csv.NewWriter(w).WriteAll(out); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// The study end to end on a lesion-level cohort (a manifest with
// lesion_id, 30 patients with 1–3 lesions): the classical models are
// trained and scored per lesion, results.json has the lesion_level section
// and every model's auc_cluster_robust, equal to roc.NewClustered of the
// stored validation probabilities with the patients as clusters, and its
// omnibus and pairwise tests are the clustered ones.
func TestStudyLesionLevel(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the classical models of the study")
	}
	c, err := cohort.ReadFile(lesionManifest(t, smallCohort(t, 60)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !cohort.MultiLesion(c.Patients) {
		t.Fatal("the rewritten manifest has one lesion a patient")
	}
	s, err := RunStudy(c, RunOptions{Models: []string{ClinicalName, RTICName, RBModeName}, Splits: 2, NoROI: true, BootReplicates: 50})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := s.WriteFiles(dir, true); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r Results
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	clusters := PatientGroups(c, s.Valid)
	if r.LesionLevel == nil || r.LesionLevel.Lesions != len(s.Valid) || r.LesionLevel.Clusters != len(slicesCompact(clusters)) || r.LesionLevel.Method != "obuchowski_1997" {
		t.Fatalf("lesion_level %+v for %d validation lesions", r.LesionLevel, len(s.Valid))
	}
	var valid [][]float64
	for _, m := range r.Models {
		valid = append(valid, floats(m.ValidProb))
	}
	want, err := roc.NewClustered(valid, r.ValidTruth, clusters)
	if err != nil {
		t.Fatal(err)
	}
	for k, m := range r.Models {
		ci, _ := want.CI(k, 0.95)
		cr := m.ClusterRobust
		if cr == nil || cr.Clusters != want.Clusters || float64(cr.SE) != want.SE(k) || float64(cr.CI[0]) != ci[0] || float64(cr.CI[1]) != ci[1] || float64(m.AUC) != want.AUC[k] {
			t.Errorf("%s: auc %v, auc_cluster_robust %+v; want AUC %v, SE %v, CI %v over %d patients", m.Name, m.AUC, cr, want.AUC[k], want.SE(k), ci, want.Clusters)
		}
	}
	pairs, _ := want.Pairwise(0.95)
	for k, p := range r.Pairs {
		if float64(p.P) != pairs[k].P || float64(p.Z) != pairs[k].Z {
			t.Errorf("%s vs %s: p %v z %v, clustered p %v z %v", p.A, p.B, p.P, p.Z, pairs[k].P, pairs[k].Z)
		}
	}
	if o, err := want.Omnibus(); err != nil || r.Omnibus == nil || float64(r.Omnibus.P) != o.P || float64(r.Omnibus.Chi2) != o.Chi2 {
		t.Errorf("omnibus_delong %+v, want the clustered %+v (%v)", r.Omnibus, o, err)
	}
	for k, m := range r.Models {
		half, _ := want.TestAUC(k, 0.5)
		if m.ClusterRobust == nil || float64(m.ClusterRobust.PVsHalf) != half.P {
			t.Errorf("%s: auc_cluster_robust.p_vs_half %+v, want %v", m.Name, m.ClusterRobust, half.P)
		}
	}
	if len(r.Valid) == 0 || r.Valid[0] != c.Patients[s.Valid[0]].ID {
		t.Errorf("validation_patients %v…, want the rows' keys", r.Valid[:min(3, len(r.Valid))])
	}
}

// slicesCompact returns the distinct values of v.
func slicesCompact(v []string) []string {
	s := slices.Clone(v)
	slices.Sort(s)
	return slices.Compact(s)
}
