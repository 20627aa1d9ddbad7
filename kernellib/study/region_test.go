package study

import (
	"image"
	"image/color"
	"math"
	"path/filepath"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/tic"
)

// TestCineViewRegion: the cine view of a dual-display patient shows the region named
// by cine_region, with the lesion mask (drawn on the tissue half) in its coordinates.
func TestCineViewRegion(t *testing.T) {
	dir := t.TempDir()
	m := image.NewGray(image.Rect(0, 0, 72, 40))
	for y := 0; y < 40; y++ {
		for x := 0; x < 72; x++ {
			if (x-18)*(x-18)+(y-22)*(y-22) <= 16 {
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
	o := tic.DefaultOptions()
	o.Extract.Scale = tic.Display
	a, err := tic.AnalysePatient(p, o)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewCineView(p, a, 3)
	if err != nil {
		t.Fatal(err)
	}
	if b := v.Frames[0].Img.Bounds(); b.Dx() != 32 || b.Dy() != 32 {
		t.Fatalf("frames %v, want the 32×32 contrast region", b)
	}
	if v.lesion.Width != 32 || v.lesion.Height != 32 || !v.lesion.At2D(16, 16) || v.lesion.At2D(2, 2) {
		t.Errorf("lesion mask %d×%d not moved into the region", v.lesion.Width, v.lesion.Height)
	}
	if _, err := v.Frame(2, 2); err != nil {
		t.Error(err)
	}
}
