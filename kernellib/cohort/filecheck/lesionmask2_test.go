package filecheck

import (
	"errors"
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// TestCheckLesionMask2 checks a second reader's lesion mask like the first:
// the B-mode image's size and not empty; a patient without one is fine.
func TestCheckLesionMask2(t *testing.T) {
	dir := t.TempDir()
	for _, id := range []string{"P1", "P2", "P3", "P4"} {
		writePatient(t, dir, id, 16, true)
	}
	write := func(name string, w int, on bool) {
		m := image.NewGray(image.Rect(0, 0, w, 12))
		if on {
			m.Pix[6*w+6] = 255
		}
		if err := imaging.WritePNG(filepath.Join(dir, name), m); err != nil {
			t.Fatal(err)
		}
	}
	write("P1_lesion_2.png", 16, true)
	write("P2_lesion_2.png", 20, true)
	write("P3_lesion_2.png", 16, false)
	text := "patient_id,response,split,cine,bmode,lesion_mask,lesion_mask_2\n" +
		"P1,OR,train,P1.dcm,P1_bmode.png,P1_lesion.png,P1_lesion_2.png\n" +
		"P2,NR,train,P2.dcm,P2_bmode.png,P2_lesion.png,P2_lesion_2.png\n" +
		"P3,OR,train,P3.dcm,P3_bmode.png,P3_lesion.png,P3_lesion_2.png\n" +
		"P4,NR,train,P4.dcm,P4_bmode.png,P4_lesion.png,\n"
	p := filepath.Join(dir, "cohort.csv")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := cohort.ReadFile(p, Options())
	var probs cohort.Problems
	if !errors.As(err, &probs) {
		t.Fatalf("error %v is not cohort.Problems", err)
	}
	checkProblems(t, err, probs, []struct {
		row       int
		col, text string
	}{{2, cohort.ColLesionMask2, "mask is 20x12 but the B-mode image"}, {2, cohort.ColLesionMask2, "has 16x12 frames"},
		{3, cohort.ColLesionMask2, "lesion mask is empty"}})
}
