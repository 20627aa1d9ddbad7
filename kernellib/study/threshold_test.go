package study

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// TestCompareThresholdSource fixes the operating threshold on out-of-fold
// training probabilities, on an inner split, or (neither given) on the
// validation patients; only the last moves when the validation outcomes
// change.
func TestCompareThresholdSource(t *testing.T) {
	trainY, trainP := simulated(89, 1)
	validY, validP := simulated(41, 2)
	models := []Scores{
		{Name: "oof", Train: trainP[0], Valid: validP[0]},
		{Name: "inner", Inner: trainP[1][:18], InnerTruth: trainY[:18], Valid: validP[1]},
		{Name: "validation", Valid: validP[1]},
	}
	flipped := slices.Clone(validY)
	for i := 0; i < len(flipped); i += 3 {
		flipped[i] = !flipped[i]
	}
	opt := CompareOptions{Boot: roc.BootOptions{Replicates: 100}}
	c1, err := Compare(trainY, validY, models, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := Compare(trainY, flipped, models, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{ThresholdTrainingOOF, ThresholdInnerSplit, ThresholdValidation}
	inner, err := roc.BestThresholds(trainP[1][:18], trainY[:18], roc.CasesHigher, roc.Youden, roc.BestWeights{})
	if err != nil {
		t.Fatal(err)
	}
	for k, m := range c1.Models {
		if m.ThresholdSource != want[k] || m.ThresholdOnValidation != (k == 2) {
			t.Errorf("%s: threshold source %q (on validation %v), want %q", m.Name, m.ThresholdSource, m.ThresholdOnValidation, want[k])
		}
		moved := c2.Models[k].Operating.Threshold != m.Operating.Threshold
		if moved != (k == 2) {
			t.Errorf("%s: threshold %v → %v when the validation outcomes changed", m.Name, m.Operating.Threshold, c2.Models[k].Operating.Threshold)
		}
	}
	if c1.Models[1].Operating.Threshold != inner[0].Threshold {
		t.Errorf("inner-split threshold %v, want the inner Youden point %v", c1.Models[1].Operating.Threshold, inner[0].Threshold)
	}
	if on := c1.OperatingTable().Col("fixed on").Records(); !strings.Contains(on[1], "inner") || !strings.Contains(on[2], "validation") {
		t.Errorf("operating table 'fixed on': %v", on)
	}
	bad := []Scores{{Name: "x", Inner: trainP[1][:5], InnerTruth: trainY[:4], Valid: validP[1]}}
	if _, err := Compare(trainY, validY, bad, opt, nil); err == nil || !strings.Contains(err.Error(), `"x"`) {
		t.Errorf("inner probabilities and outcomes of different lengths: %v", err)
	}
}

// TestResultsThresholdSource records every model's threshold_source in
// results.json, and the inner split's probabilities so that a comparison
// recomputed from the file fixes the same threshold.
func TestResultsThresholdSource(t *testing.T) {
	c := clinicalCohort(t, 90)
	s, err := RunStudy(c, RunOptions{Models: []string{ClinicalName}, Splits: -1, BootReplicates: 100})
	if err != nil {
		t.Fatal(err)
	}
	check := func(want string) *Results {
		t.Helper()
		b, err := json.Marshal(s.Results(true))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), `"threshold_source":"`+want+`"`) {
			t.Errorf("results.json has no threshold_source %q", want)
		}
		path := filepath.Join(t.TempDir(), "results.json")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := ReadResults(path)
		if err != nil {
			t.Fatal(err)
		}
		cmp, err := r.Compare(CompareOptions{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if m := cmp.Models[0]; m.ThresholdSource != want || m.Operating.Threshold != s.Comparison.Models[0].Operating.Threshold {
			t.Errorf("recomputed from results.json: threshold %v from %q, want %v from %q", m.Operating.Threshold, m.ThresholdSource,
				s.Comparison.Models[0].Operating.Threshold, want)
		}
		return r
	}
	check(ThresholdTrainingOOF)
	// The same model as the CNN reports it: no out-of-fold probabilities,
	// an inner split of 20 training patients.
	sc := &s.Runs[0].Scores
	y := pick(cohort.Responses(c.Patients), s.Train)
	sc.Inner, sc.InnerTruth, sc.Train = sc.Train[:20], y[:20], nil
	if s.Comparison, err = Compare(y, pick(cohort.Responses(c.Patients), s.Valid), []Scores{*sc}, CompareOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	r := check(ThresholdInnerSplit)
	if len(r.Models[0].InnerProb) != 20 || !slices.Equal(r.Models[0].InnerTruth, y[:20]) {
		t.Errorf("results.json: %d inner probabilities, outcomes %v", len(r.Models[0].InnerProb), r.Models[0].InnerTruth)
	}
}
