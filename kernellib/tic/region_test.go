package tic

import (
	"image"
	"image/color"
	"math"
	"path/filepath"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// TestAnalysePatientRegion: with cine_region "right" the curve comes from the contrast
// half of the dual-display fixture (imaging/testdata/make_dual_display.py), with the
// lesion mask drawn on the tissue half carried over (imaging.MaskForCine): the lesion
// enhances by 18 grey levels a frame there, while the tissue half is constant.
func TestAnalysePatientRegion(t *testing.T) {
	dir := t.TempDir()
	m := image.NewGray(image.Rect(0, 0, 72, 40))
	for y := 0; y < 40; y++ {
		for x := 0; x < 72; x++ {
			if (x-18)*(x-18)+(y-22)*(y-22) <= 16 { // inside the tissue half's lesion
				m.SetGray(x, y, color.Gray{Y: 255})
			}
		}
	}
	mask := filepath.Join(dir, "lesion.png")
	if err := imaging.WritePNG(mask, m); err != nil {
		t.Fatal(err)
	}
	p := cohort.Patient{ID: "D1", Cine: "../imaging/testdata/dicom/py_dual_display.dcm", LesionMask: mask,
		CineRegion: "right", InjectionOffset: math.NaN()}
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
