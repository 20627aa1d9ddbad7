package radiomics

import (
	"image"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// TestPatientCaseRegion: the pixel size taken from the cine is that of the patient's
// cine_region: the 2D regions of the dual-display fixture give 0.1 mm, its grey bar
// (region 2, no physical units) none.
func TestPatientCaseRegion(t *testing.T) {
	dir := t.TempDir()
	bmode := filepath.Join(dir, "bmode.png")
	mask := filepath.Join(dir, "lesion.png")
	g := image.NewGray(image.Rect(0, 0, 72, 40))
	if err := imaging.WritePNG(bmode, g); err != nil {
		t.Fatal(err)
	}
	g.Pix[20*72+18] = 255
	if err := imaging.WritePNG(mask, g); err != nil {
		t.Fatal(err)
	}
	p := cohort.Patient{ID: "D1", Cine: "../imaging/testdata/dicom/py_dual_display.dcm", BMode: bmode, LesionMask: mask,
		CineRegion: "left", InjectionOffset: math.NaN()}
	c, err := PatientCase(p, TableOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(c.Image.Spacing[0]-0.1) > 1e-12 {
		t.Errorf("spacing %v, want 0.1 mm", c.Image.Spacing)
	}
	p.CineRegion = "2"
	if _, err := PatientCase(p, TableOptions{}); err == nil || !strings.Contains(err.Error(), "no pixel spacing") {
		t.Errorf("grey-bar region: %v, want no pixel spacing", err)
	}
}
