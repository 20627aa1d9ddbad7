package notebook

import (
	"errors"
	"path/filepath"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/study"
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

// ExternalName is the folder of ResultsDir into which ExternalValidation
// writes its tables, figures and results.json.
const ExternalName = "external"

// ExternalValidation applies the study's frozen models — the bundle that the
// study's run left in ResultsDir()/models (running the study first when its
// results are missing or stale, as Results does) — to every patient of the
// external cohort (ExternalCohort), recalibrates each on it as well
// (study.ValidateOptions.Recalibrate), writes the comparison into
// ResultsDir()/external, and returns it with the study's own results.
func ExternalValidation() (ext *study.Study, internal *study.Results, err error) {
	internal, err = Results()
	if err != nil {
		return nil, nil, err
	}
	lb, err := study.LoadBundle(filepath.Join(ResultsDir(), "models"))
	if err != nil {
		return nil, nil, err
	}
	c, simulated, err := ExternalCohort(nil)
	if err != nil {
		return nil, nil, err
	}
	opt, err := RunOptions()
	if err != nil {
		return nil, nil, err
	}
	// results.json names the bundle relative to itself, not by this machine's path.
	vo := study.ValidateOptions{Recalibrate: true, Seed: 1, BootReplicates: opt.BootReplicates,
		BundlePath: filepath.Join("..", "models", study.BundleManifest)}
	var done func()
	vo.Progress, done = progressBars()
	ext, err = study.Validate(lb, c, vo)
	done()
	if err != nil {
		return nil, nil, err
	}
	if _, err := ext.WriteFiles(filepath.Join(ResultsDir(), ExternalName), simulated); err != nil {
		return nil, nil, err
	}
	return ext, internal, nil
}

// ExternalResults reads back what ExternalValidation wrote
// (ResultsDir()/external/results.json); its Compare recomputes the external
// comparison at the bundle's thresholds.
func ExternalResults() (*study.Results, error) {
	return study.ReadResults(filepath.Join(ResultsDir(), ExternalName, "results.json"))
}

// errNeedsExternal is shown by the ExternalView methods that need the
// scoring run itself (External), not its saved results.
var errNeedsExternal = errors.New("notebook: this view needs notebook.External() (the scoring run), not ExternalSaved()")
