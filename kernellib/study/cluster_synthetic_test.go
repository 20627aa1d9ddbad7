package study

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
)

// The default synthetic cohort (one lesion a patient, `make data`) gives
// exactly the committed figures/results.json numbers of the clinical model
// and R-TIC: their validation and out-of-fold training probabilities, and
// their AUCs on the first re-drawn splits of the robustness analysis (split r
// depends only on the seed and r) — so the grouped-split machinery, taking
// its ungrouped paths, changed nothing. (With R-BMode as well it also
// passes, in about 70 s on 2 cores instead of 27 s.)
func TestSyntheticResultsUnchanged(t *testing.T) {
	if testing.Short() {
		t.Skip("extracts the TIC features of the default cohort")
	}
	c, err := cohort.ReadFile(filepath.Join("..", "..", "datasets", "synthetic-tace", "cohort.csv"), nil)
	if err != nil {
		t.Skipf("default cohort not found (make data): %v", err)
	}
	want, err := ReadResults(filepath.Join("..", "..", "figures", "results.json"))
	if err != nil || want.Robust == nil {
		t.Skipf("no committed results: %v", err)
	}
	if PatientGroups(c, allRows(len(c.Patients))) != nil {
		t.Fatal("PatientGroups of a one-lesion cohort is not nil")
	}
	const splits = 3
	s, err := RunStudy(c, RunOptions{Seed: want.Options.Seed, Models: []string{ClinicalName, RTICName}, Splits: splits, NoROI: true,
		BootReplicates: want.Options.BootReplicates})
	if err != nil {
		t.Fatal(err)
	}
	got := s.Results(true)
	if got.LesionLevel != nil {
		t.Error("lesion_level present for one lesion a patient")
	}
	for _, m := range got.Models {
		i := slices.IndexFunc(want.Models, func(w ResultModel) bool { return w.Name == m.Name })
		if i < 0 {
			t.Fatalf("committed results have no model %s", m.Name)
		}
		w := want.Models[i]
		if m.ClusterRobust != nil || !slices.Equal(m.ValidProb, w.ValidProb) || !slices.Equal(m.TrainOOF, w.TrainOOF) ||
			m.AUC != w.AUC || m.SE != w.SE || m.CIBoot != w.CIBoot {
			t.Errorf("%s: AUC %v SE %v boot %v, committed %v %v %v (probabilities equal: %v)", m.Name, m.AUC, m.SE, m.CIBoot, w.AUC, w.SE, w.CIBoot,
				slices.Equal(m.ValidProb, w.ValidProb))
		}
		if a, b := got.Robust.AUC[m.Name], want.Robust.AUC[m.Name]; len(b) < splits || !slices.Equal(a, b[:splits]) {
			t.Errorf("%s: robustness AUCs %v, committed %v", m.Name, a, b[:min(splits, len(b))])
		}
	}
}
