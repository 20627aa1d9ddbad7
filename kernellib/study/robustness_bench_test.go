package study

import (
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
)

// BenchmarkRobustDefaultCohort times the robustness analysis of the
// classical models (clinical, R-TIC, R-BMode) on the default synthetic
// cohort (`make data`), as RunStudy runs it: the features are computed once
// (outside the timer; they do not depend on the split) and every split
// redoes the learning. "frozen" retrains the pipelines chosen on the
// paper's split (the analysis before the choice was nested), "rechosen"
// chooses each model's pipeline again on every split's training patients
// (RunStudy's analysis: RobustChoiceRepeats × 5-fold CV). CEUSRAD_ROBUST_SPLITS sets the number of splits
// (default 100).
func BenchmarkRobustDefaultCohort(b *testing.B) {
	c, err := cohort.ReadFile("../../datasets/synthetic-tace/cohort.csv", nil)
	if err != nil {
		b.Skipf("default cohort not found (make data): %v", err)
	}
	splits := 100
	if s := os.Getenv("CEUSRAD_ROBUST_SPLITS"); s != "" {
		if splits, err = strconv.Atoi(s); err != nil {
			b.Fatalf("CEUSRAD_ROBUST_SPLITS=%q: %v", s, err)
		}
	}
	opt := RunOptions{Seed: 1}
	clin, err := buildClinical(c, opt, nil)
	if err != nil {
		b.Fatal(err)
	}
	tf, err := RTICFeatures(c, nil)
	if err != nil {
		b.Fatal(err)
	}
	bf, err := RBModeFeatures(c, nil)
	if err != nil {
		b.Fatal(err)
	}
	pt, err := RBModePerturbations(c, nil)
	if err != nil {
		b.Fatal(err)
	}
	rt, err := RTIC(c, tf, RTICOptions{Seed: opt.Seed})
	if err != nil {
		b.Fatal(err)
	}
	rb, err := RBMode(c, bf, RBModeOptions{Seed: opt.Seed, Perturbed: pt})
	if err != nil {
		b.Fatal(err)
	}
	specs := func(frozen bool) []ModelSpec {
		to := RTICOptions{Seed: opt.Seed, Repeats: RobustChoiceRepeats}
		bo := RBModeOptions{Seed: opt.Seed, Perturbed: pt, Repeats: RobustChoiceRepeats}
		if frozen {
			to.Candidates = []Candidate{DefaultRTICCandidates()[rt.Chosen]}
			bo.Candidates = []Candidate{DefaultRBModeCandidates()[rb.Chosen]}
		}
		ts, err := RTICSpec(c, tf, to)
		if err != nil {
			b.Fatal(err)
		}
		bs, err := RBModeSpec(c, bf, bo)
		if err != nil {
			b.Fatal(err)
		}
		return []ModelSpec{clin.Spec, ts, bs}
	}
	y := cohort.Responses(c.Patients)
	for _, mode := range []string{"frozen", "rechosen"} {
		b.Run(mode, func(b *testing.B) {
			s := specs(mode == "frozen")
			for i := 0; i < b.N; i++ {
				start := time.Now()
				r, err := Robust(y, s, RobustnessOptions{Splits: splits, Seed: opt.Seed}, nil)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(time.Since(start).Seconds(), "s/run")
				b.ReportMetric(float64(splits), "splits")
				if i == 0 {
					for k, m := range r.Models {
						b.Logf("%s: median AUC %.3f over %d splits", m, quantile(slices.Sorted(slices.Values(r.AUC[k])), 0.5), splits)
					}
				}
			}
		})
	}
}
