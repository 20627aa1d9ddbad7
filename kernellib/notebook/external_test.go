package notebook

import (
	"path/filepath"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/synth"
)

// TestExternalCohort: CEUSRAD_EXTERNAL_COHORT names the second centre's
// folder; a simulated one says so, and every patient is in the validation split.
func TestExternalCohort(t *testing.T) {
	dir := t.TempDir()
	p := synth.SecondCentre()
	p.DurationS = 20
	if _, err := synth.WriteCohort(dir, 4, 3, p, nil); err != nil {
		t.Fatal(err)
	}
	t.Setenv(ExternalCohortEnv, dir)
	if m, sim := ExternalCohortPath(); m != filepath.Join(dir, "cohort.csv") || sim {
		t.Errorf("ExternalCohortPath = %s, %v", m, sim)
	}
	c, simulated, err := ExternalCohort(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !simulated || len(c.Patients) != 4 {
		t.Errorf("%d patients, simulated %v", len(c.Patients), simulated)
	}
	for _, pt := range c.Patients {
		if pt.Split != "validation" {
			t.Errorf("%s in split %s", pt.ID, pt.Split)
		}
	}
	t.Setenv(ExternalCohortEnv, filepath.Join(dir, "missing"))
	if _, _, err := ExternalCohort(nil); err == nil {
		t.Error("a missing external cohort was read")
	}
}
