package notebook

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestAnnotationCohortOwn: with CEUSRAD_COHORT set, the cohort to annotate is that
// manifest, masks missing or not, with its patients in file order.
func TestAnnotationCohortOwn(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cohort.csv")
	if err := os.WriteFile(path, []byte("patient_id,cine,lesion_mask\nB7,c.dcm,\nA2,d.dcm,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(CohortEnv, dir)
	a, err := AnnotationCohort()
	if err != nil {
		t.Fatal(err)
	}
	if a.Manifest != path || a.Simulated || !slices.Equal(a.Patients, []string{"B7", "A2"}) {
		t.Errorf("got %+v", a)
	}
	t.Setenv(CohortEnv, filepath.Join(dir, "none"))
	if _, err := AnnotationCohort(); err == nil {
		t.Error("a missing cohort accepted")
	}
}
