package filecheck

import (
	"errors"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// The pydicom dual-display fixture: 72×40 frames, region 1 = (2,6)-(34,38) on the
// left, region 0 = (38,6)-(70,38) on the right (imaging/testdata/make_dual_display.py).
const dualCine = "../../imaging/testdata/dicom/py_dual_display.dcm"

// dualCohort writes the dual-display cine, a 72×40 B-mode image and a lesion mask
// (a w×h PNG with a 3×3 square at (x, y)) and a manifest with cine_region region
// (the column left out when region is "-"), and returns the problems of reading it.
func dualCohort(t *testing.T, region string, w, h, x, y int) cohort.Problems {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile(dualCine)
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "cine.dcm"), b, 0o644))
	must(imaging.WritePNG(filepath.Join(dir, "bmode.png"), image.NewGray(image.Rect(0, 0, 72, 40))))
	m := image.NewGray(image.Rect(0, 0, w, h))
	for dy := 0; dy < 3; dy++ {
		for dx := 0; dx < 3; dx++ {
			m.SetGray(x+dx, y+dy, color.Gray{Y: 255})
		}
	}
	must(imaging.WritePNG(filepath.Join(dir, "lesion.png"), m))
	text := "patient_id,response,split,cine,bmode,lesion_mask\nP1,OR,train,cine.dcm,bmode.png,lesion.png\n"
	if region != "-" {
		text = "patient_id,response,split,cine,bmode,lesion_mask,cine_region\nP1,OR,train,cine.dcm,bmode.png,lesion.png," + region + "\n"
	}
	p := filepath.Join(dir, "cohort.csv")
	must(os.WriteFile(p, []byte(text), 0o644))
	_, err = cohort.ReadFile(p, Options())
	if err == nil {
		return nil
	}
	var probs cohort.Problems
	if !errors.As(err, &probs) {
		t.Fatalf("error %v is not Problems", err)
	}
	return probs
}

func TestCheckDualDisplay(t *testing.T) {
	for _, tc := range []struct {
		name       string
		region     string
		w, h, x, y int
		want       []string // "column: substring", in order
	}{
		{"no cine_region", "-", 72, 40, 10, 20, []string{"cine_region: dual display: Ultrasound Regions 1 (2,6)-(34,38) (left) and 0 (38,6)-(70,38) (right)"}},
		{"no cine_region, region-sized mask", "-", 32, 32, 10, 10, []string{"cine_region: dual display", "lesion_mask: mask is 32x32 but the B-mode image", "lesion_mask: mask is 32x32 but the cine", "lesion_mask: a mask drawn on one of them needs cine_region"}},
		{"right, mask drawn on the left", "right", 72, 40, 10, 20, nil},
		{"left, mask drawn on the right", "left", 72, 40, 50, 20, nil},
		{"index 0, mask drawn on the left", "0", 72, 40, 10, 20, nil},
		{"right, mask straddling", "right", 72, 40, 33, 20, []string{"lesion_mask: lesion.png: imaging: the mask's ROI (33,20)-(36,23)"}},
		{"right, mask in the annotation band", "right", 72, 40, 40, 0, []string{"lesion_mask: is neither inside region 0"}},
		{"right, mask of another size", "right", 20, 20, 5, 5, []string{"lesion_mask: mask is 20x20 but the B-mode", "lesion_mask: it must be the stored frame's 72×40"}},
		{"region 5", "5", 72, 40, 10, 20, []string{"cine: region 5: the file has 3 regions"}},
		{"bad spec", "centre", 72, 40, 10, 20, []string{"cine_region: \"centre\": want left, right"}},
	} {
		probs := dualCohort(t, tc.region, tc.w, tc.h, tc.x, tc.y)
		if len(tc.want) == 0 && len(probs) > 0 {
			t.Errorf("%s: %v", tc.name, probs)
			continue
		}
		for _, w := range tc.want {
			col, sub, _ := strings.Cut(w, ": ")
			found := false
			for _, p := range probs {
				if p.Column == col && strings.Contains(p.Msg, sub) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no problem in column %s with %q; got %v", tc.name, col, sub, probs)
			}
		}
	}
}

// TestCineRegionSyntaxAgrees: the manifest accepts exactly the region specs imaging
// accepts, in the same canonical form.
func TestCineRegionSyntaxAgrees(t *testing.T) {
	for _, s := range []string{"left", "Right", " 2 ", "0", "007", "-1", "+1", "1.0", "x", "le ft", "١", "99999999999999999999999"} {
		a, errA := cohort.CineRegionSpec(s)
		b, errB := imaging.ParseRegionSpec(s)
		if (errA == nil) != (errB == nil) || a != b {
			t.Errorf("%q: cohort %q (%v), imaging %q (%v)", s, a, errA, b, errB)
		}
	}
}

// TestCineOptions: the options every analysis opens a patient's cine with.
func TestCineOptions(t *testing.T) {
	o := CineOptions(cohort.Patient{FrameRate: 12, CineRegion: "left"})
	if o.FrameRate != 12 || o.Region != "left" || !o.Crop.Empty() {
		t.Errorf("%+v", o)
	}
}
