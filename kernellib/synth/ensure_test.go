package synth

import (
	"os"
	"path/filepath"
	"testing"
)

func TestEnsureDefaultLeavesAnExistingCohort(t *testing.T) {
	dir := t.TempDir()
	manifest := filepath.Join(dir, "cohort.csv")
	if err := os.WriteFile(manifest, []byte("patient_id\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	created, err := EnsureDefault(dir, nil)
	if err != nil || created {
		t.Fatalf("existing cohort: created %v, %v", created, err)
	}
	if b, _ := os.ReadFile(manifest); string(b) != "patient_id\n" {
		t.Errorf("existing manifest changed: %q", b)
	}
}
