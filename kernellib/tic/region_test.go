package tic

import (
	"math"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/internal/dualtest"
)

// TestAnalysePatientRegion: with cine_region "right" the curve comes from the contrast
// half of the dual-display fixture (imaging/testdata/make_dual_display.py), with the
// lesion mask drawn on the tissue half carried over (imaging.MaskForCine): the lesion
// enhances by 18 grey levels a frame there, while the tissue half is constant.
func TestAnalysePatientRegion(t *testing.T) {
	p, err := dualtest.Patient(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	o := DefaultOptions()
	o.Extract.Scale = Display
	a, err := AnalysePatient(p, o)
	if err != nil {
		t.Fatal(err)
	}
	les, err := a.ROI("lesion")
	if err != nil {
		t.Fatal(err)
	}
	if len(les.Signal) != 12 {
		t.Fatalf("%d curve points, want 12", len(les.Signal))
	}
	for i := 1; i < len(les.Signal); i++ {
		if d := les.Signal[i] - les.Signal[i-1]; math.Abs(d-18) > 1.5 {
			t.Errorf("frame %d: the lesion signal rises by %v, want 18 ± 1.5 (signal %v)", i, d, les.Signal)
		}
	}
}
