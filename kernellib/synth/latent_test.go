package synth

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestReadTrueProbabilities writes latent.csv as WriteCohort does and reads
// back every patient's true probability of OR.
func TestReadTrueProbabilities(t *testing.T) {
	pts, err := Generate(DefaultParams(), 20, 3)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := writeCSV(filepath.Join(dir, "latent.csv"), latentColumns, latentRows(pts, make([]float64, len(pts)))); err != nil {
		t.Fatal(err)
	}
	got, err := ReadTrueProbabilities(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(pts) {
		t.Fatalf("%d patients read, want %d", len(got), len(pts))
	}
	for _, pt := range pts {
		// latent.csv keeps 8 significant digits (fg).
		if math.Abs(got[pt.ID]-pt.Latent.ProbOR) > 5e-8*pt.Latent.ProbOR {
			t.Errorf("%s: prob_or %v, want %v", pt.ID, got[pt.ID], pt.Latent.ProbOR)
		}
	}
	for name, body := range map[string]string{
		"no prob_or":  "patient_id,response\nP001,OR\n",
		"bad prob":    "patient_id,prob_or\nP001,1.5\n",
		"repeated id": "patient_id,prob_or\nP001,0.5\nP001,0.4\n",
		"empty":       "patient_id,prob_or\n",
	} {
		d := t.TempDir()
		if err := os.WriteFile(filepath.Join(d, "latent.csv"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadTrueProbabilities(d); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := ReadTrueProbabilities(t.TempDir()); err == nil {
		t.Error("no latent.csv: no error")
	}
}
