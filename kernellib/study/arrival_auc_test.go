package study

import (
	"math"
	"slices"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/tic"
)

// TestRTICWithoutInjectionTimes is the acceptance check of the contrast
// arrival: on the default synthetic cohort (`make data`), R-TIC fitted with
// every injection_offset_s removed — its time features then measured from the
// lesion's arrival found in the cine (tic.Arrival) — has a validation AUC no
// more than 0.02 below R-TIC fitted with the injection times. Both runs choose
// their pipeline by the same cross-validation on the training split. Skipped
// without the cohort and with -short (two R-TIC fits, about a minute on two
// cores):
//
//	go test -run TestRTICWithoutInjectionTimes -v ./kernellib/study/
func TestRTICWithoutInjectionTimes(t *testing.T) {
	if testing.Short() {
		t.Skip("two R-TIC fits on the default cohort")
	}
	c, err := cohort.ReadFile("../../datasets/synthetic-tace/cohort.csv", nil)
	if err != nil {
		t.Skipf("default cohort not found (make data): %v", err)
	}
	blind := *c
	blind.Patients = slices.Clone(c.Patients)
	for i := range blind.Patients {
		blind.Patients[i].InjectionOffset = math.NaN()
	}
	var auc [2]float64
	for k, co := range []*cohort.Cohort{c, &blind} {
		feats, err := RTICFeatures(co, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := tic.OriginInjection
		if k == 1 {
			want = tic.OriginArrival
		}
		for i, o := range feats.Col(tic.ColTimeOrigin).Records() {
			if o != want {
				t.Fatalf("patient %s: time origin %q, want %q", co.Patients[i].ID, o, want)
			}
		}
		r, err := RTIC(co, feats, RTICOptions{})
		if err != nil {
			t.Fatal(err)
		}
		auc[k] = r.AUC
		t.Logf("%-28s chosen %s (CV AUC %.3f), features %v; validation AUC %.3f (95%% CI %.3f–%.3f)",
			map[int]string{0: "with injection_offset_s:", 1: "without (arrival origin):"}[k], r.ChosenName(), r.CVAUC, r.Selected, r.AUC, r.CI[0], r.CI[1])
	}
	if drop := auc[0] - auc[1]; drop > 0.02 {
		t.Errorf("R-TIC's validation AUC drops by %.3f (%.3f → %.3f) without the injection times; the issue allows 0.02", drop, auc[0], auc[1])
	}
}
