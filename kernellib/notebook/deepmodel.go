package notebook

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"

	"github.com/ceusrad/ceusrad/kernellib/deep"
	"github.com/ceusrad/ceusrad/kernellib/study"
)

// ErrStudyCNN is wrapped by StudyCNN's errors about a bundle that does not
// belong to the results it is read with.
var ErrStudyCNN = errors.New("notebook: the study's CNN")

// StudyCNN returns the CNN the study fitted (R-DLCEUS), read from the model
// bundle that r — results.json, as Results returns it — names
// (r.Bundle, relative to ResultsDir), so that a notebook shows the model the
// study trained instead of training it again. study.LoadBundle checks the
// bundle itself (format, file sizes and SHA-256, the checkpoint's bounds);
// StudyCNN checks that it belongs to r: bundle.json has the SHA-256 that
// results.json recorded, and the same cohort content hash and code version
// (cohort_sha256, code_version). Results reruns the study, and so rewrites
// the bundle, whenever the cohort, the code or the settings changed; a
// bundle that disagrees with results.json was changed by hand or by
// another run and is refused with an error saying what differs.
func StudyCNN(r *study.Results) (*deep.Model, *study.LoadedBundle, error) {
	if r.Bundle == nil {
		return nil, nil, fmt.Errorf("%w: results.json in %s names no model bundle (written by an older ceusrad?); delete it and run the study again", ErrStudyCNN, ResultsDir())
	}
	path := filepath.Join(ResultsDir(), filepath.FromSlash(r.Bundle.Path))
	lb, err := study.LoadBundle(filepath.Dir(path))
	if err != nil {
		return nil, nil, err
	}
	m := lb.Manifest
	switch {
	case lb.SHA256 != r.Bundle.SHA256:
		return nil, nil, fmt.Errorf("%w: %s has SHA-256 %.12s…, results.json names %.12s…: the bundle was rewritten after results.json; run the study again (delete results.json)", ErrStudyCNN, path, lb.SHA256, r.Bundle.SHA256)
	case m.CohortSHA256 != r.CohortSHA256 || m.CodeVersion != r.CodeVersion:
		return nil, nil, fmt.Errorf("%w: %s was made from cohort %.12s… by code %s, results.json from cohort %.12s… by code %s", ErrStudyCNN, path, m.CohortSHA256, m.CodeVersion, r.CohortSHA256, r.CodeVersion)
	case lb.CNN == nil:
		return nil, nil, fmt.Errorf("%w: %s holds no CNN (the study ran without %s: models %v)", ErrStudyCNN, path, study.RDLCEUSName, r.Options.Models)
	}
	return lb.CNN, lb, nil
}

// resultModel returns the named model of r.
func resultModel(r *study.Results, name string) (study.ResultModel, error) {
	for _, m := range r.Models {
		if m.Name == name {
			return m, nil
		}
	}
	return study.ResultModel{}, fmt.Errorf("notebook: results.json in %s has no model %s", ResultsDir(), name)
}

// reproduces checks that p, a loaded model's probabilities for r's
// validation patients, are the probabilities results.json recorded for the
// model name (within tol, for the float32 network run again): the loaded
// model is the one whose results the study reported.
func reproduces(r *study.Results, name string, p []float64, tol float64) error {
	rm, err := resultModel(r, name)
	if err != nil {
		return err
	}
	if len(rm.ValidProb) != len(p) {
		return fmt.Errorf("%w: %d validation probabilities, results.json has %d", ErrStudyCNN, len(p), len(rm.ValidProb))
	}
	for i, v := range rm.ValidProb {
		if math.Abs(p[i]-float64(v)) > tol {
			return fmt.Errorf("%w: the bundle's %s gives patient %s P(OR) = %.6f, results.json %.6f: not the model the study reported", ErrStudyCNN, name, r.Valid[i], p[i], float64(v))
		}
	}
	return nil
}
