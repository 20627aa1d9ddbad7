package notebook

import (
	"path/filepath"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/synth"
)

// AnnotateN is the number of patients of the simulated cohort that
// 08_annotate.ipynb draws ROIs on when no cohort of one's own is given.
const AnnotateN = 4

// Annotation is the cohort 08_annotate.ipynb draws ROIs for.
type Annotation struct {
	// Manifest is the manifest beside which nb.DrawROIs writes masks/ and
	// whose mask columns it fills.
	Manifest string
	// Patients are the patient_id of its rows, in file order.
	Patients []string
	// Simulated tells whether it is the simulated working copy.
	Simulated bool
}

// AnnotationCohort returns the cohort to draw ROIs for: CEUSRAD_COHORT's
// manifest when set (annotated in place; its masks may be missing), else a
// small simulated cohort of AnnotateN patients in datasets/synthetic-annotate
// (made on first use), so that drawing never changes the default cohort,
// datasets/synthetic-tace, which must match its committed checksums.
func AnnotationCohort() (Annotation, error) {
	manifest, simulated := CohortPath()
	if simulated {
		dir := filepath.Join(root(), "datasets", "synthetic-annotate")
		if _, err := synth.Ensure(dir, AnnotateN, synth.DefaultSeed, synth.DefaultParams(), nil); err != nil {
			return Annotation{}, err
		}
		manifest = filepath.Join(dir, "cohort.csv")
	}
	ids, err := cohort.PatientIDs(manifest)
	if err != nil {
		return Annotation{}, err
	}
	return Annotation{Manifest: manifest, Patients: ids, Simulated: simulated}, nil
}
