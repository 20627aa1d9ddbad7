package synth

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"path/filepath"
	"strconv"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// maxLatentBytes bounds the latent.csv ReadTrueProbabilities reads (about
// 400 bytes a patient, MaxPatients patients, with room to spare).
const maxLatentBytes = 64 << 20

// ReadTrueProbabilities reads dir/latent.csv, written by WriteCohort, and
// returns each patient's true probability of objective response (column
// prob_or, the logistic model of Patient.Latent) by patient_id. It is for
// reporting what the simulator knows (the Bayes-optimal AUC of any subset
// of patients); no model may read it.
func ReadTrueProbabilities(dir string) (map[string]float64, error) {
	path := filepath.Join(dir, "latent.csv")
	b, err := safeio.ReadFile(path, maxLatentBytes)
	if err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("synth: %s: %w", path, err)
	}
	if len(recs) < 2 {
		return nil, fmt.Errorf("synth: %s: no patients", path)
	}
	id, pc := -1, -1
	for j, c := range recs[0] {
		switch c {
		case "patient_id":
			id = j
		case "prob_or":
			pc = j
		}
	}
	if id < 0 || pc < 0 {
		return nil, fmt.Errorf("synth: %s: header %v lacks patient_id or prob_or", path, recs[0])
	}
	out := make(map[string]float64, len(recs)-1)
	for i, r := range recs[1:] {
		p, err := strconv.ParseFloat(r[pc], 64)
		if err != nil || math.IsNaN(p) || p < 0 || p > 1 {
			return nil, fmt.Errorf("synth: %s: row %d: prob_or %q is not a probability in [0, 1]", path, i+2, r[pc])
		}
		if _, dup := out[r[id]]; dup {
			return nil, fmt.Errorf("synth: %s: row %d: patient_id %q repeated", path, i+2, r[id])
		}
		out[r[id]] = p
	}
	return out, nil
}
