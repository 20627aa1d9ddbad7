package study

import (
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/internal/dualtest"

	"github.com/ceusrad/ceusrad/kernellib/tic"
)

// TestCineViewRegion: the cine view of a dual-display patient shows the region named
// by cine_region, with the lesion mask (drawn on the tissue half) in its coordinates.
func TestCineViewRegion(t *testing.T) {
	p, err := dualtest.Patient(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
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
