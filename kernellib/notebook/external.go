package notebook

import (
	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/synth"
)

// ExternalCohortEnv names the cohort of a second centre that the external-
// validation notebook scores with the study's frozen models.
const ExternalCohortEnv = "CEUSRAD_EXTERNAL_COHORT"

// The simulated second centre used when CEUSRAD_EXTERNAL_COHORT is not set:
// ExternalN patients from ExternalSeed with synth.SecondCentre (another scanner
// gain and frame rate, larger tumours, fewer responders; every patient in the
// validation split), written to datasets/centre-b.
const (
	ExternalN    = 60
	ExternalSeed = 2
)

// ExternalCohortPath returns the external cohort's manifest:
// CEUSRAD_EXTERNAL_COHORT (a folder holding cohort.csv, or the manifest) when
// set, else datasets/centre-b/cohort.csv; simulated tells whether it is the
// simulated second centre.
func ExternalCohortPath() (manifest string, simulated bool) {
	return manifestFrom(ExternalCohortEnv, "centre-b")
}

// ExternalCohort reads the external cohort (ExternalCohortPath) with the
// reading options o (as Cohort); the simulated second centre is written first
// when it is missing, with a progress bar.
func ExternalCohort(o *cohort.Options) (c *cohort.Cohort, simulated bool, err error) {
	manifest, simulated := ExternalCohortPath()
	return readCohort(manifest, simulated, ExternalCohortEnv, "simulating the second centre", ExternalN, ExternalSeed, synth.SecondCentre(), o)
}
