package filecheck

import (
	"errors"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// writePatient writes a 4-frame 16x12 cine, a B-mode image and masks for id
// into dir; maskW sets the lesion mask's width and lesion whether it has
// any pixel.
func writePatient(t *testing.T, dir, id string, maskW int, lesion bool) {
	t.Helper()
	frames := make([]*image.Gray, 4)
	times := make([]float64, 4)
	for i := range frames {
		frames[i] = image.NewGray(image.Rect(0, 0, 16, 12))
		frames[i].Pix[i] = 200
		times[i] = 0.5 * float64(i)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(imaging.WriteDICOMCine(filepath.Join(dir, id+".dcm"), frames, imaging.CineMeta{PatientID: id, FrameTimes: times, PixelSpacingMM: 0.3}))
	must(imaging.WritePNG(filepath.Join(dir, id+"_bmode.png"), image.NewGray(image.Rect(0, 0, 16, 12))))
	m := image.NewGray(image.Rect(0, 0, maskW, 12))
	if lesion {
		m.Pix[5*maskW+5] = 255
	}
	must(imaging.WritePNG(filepath.Join(dir, id+"_lesion.png"), m))
	must(imaging.WritePNG(filepath.Join(dir, id+"_liver.png"), image.NewGray(image.Rect(0, 0, 16, 12))))
}

func manifest(t *testing.T, dir string, ids ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("patient_id,response,split,cine,bmode,lesion_mask,liver_mask\n")
	for i, id := range ids {
		resp := []string{"OR", "NR"}[i%2]
		b.WriteString(id + "," + resp + ",train," + id + ".dcm," + id + "_bmode.png," + id + "_lesion.png," + id + "_liver.png\n")
	}
	p := filepath.Join(dir, "cohort.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheckGoodCohort(t *testing.T) {
	dir := t.TempDir()
	writePatient(t, dir, "P1", 16, true)
	writePatient(t, dir, "P2", 16, true)
	c, err := cohort.ReadFile(manifest(t, dir, "P1", "P2"), Options())
	if err != nil {
		t.Fatalf("good cohort: %v", err)
	}
	if len(c.Patients) != 2 {
		t.Errorf("%d patients", len(c.Patients))
	}
}

func TestCheckReportsEveryFileProblem(t *testing.T) {
	dir := t.TempDir()
	writePatient(t, dir, "P1", 20, true) // lesion mask 20 wide, images 16
	writePatient(t, dir, "P2", 16, false)
	writePatient(t, dir, "P3", 16, true)
	// Truncate P3's cine in its pixel data.
	cine := filepath.Join(dir, "P3.dcm")
	b, err := os.ReadFile(cine)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cine, b[:len(b)-100], 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = cohort.ReadFile(manifest(t, dir, "P1", "P2", "P3"), Options())
	var probs cohort.Problems
	if !errors.As(err, &probs) {
		t.Fatalf("error %v is not cohort.Problems", err)
	}
	want := []struct {
		row       int
		col, text string
	}{
		{1, cohort.ColLesionMask, "mask is 20x12 but the B-mode image"},
		{1, cohort.ColLesionMask, "has 16x12 frames"},
		{2, cohort.ColLesionMask, "lesion mask is empty"},
		{3, cohort.ColCine, "P3.dcm"},
	}
	checkProblems(t, err, probs, want)
}

// checkProblems reports each wanted problem (row, column, text in the
// message) that probs lacks, and a count that differs.
func checkProblems(t *testing.T, err error, probs cohort.Problems, want []struct {
	row       int
	col, text string
}) {
	t.Helper()
	for _, w := range want {
		found := false
		for _, p := range probs {
			if p.Row == w.row && p.Column == w.col && strings.Contains(p.Msg, w.text) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem row %d column %s containing %q in:\n%v", w.row, w.col, w.text, err)
		}
	}
	if len(probs) != len(want) {
		t.Errorf("%d problems, want %d:\n%v", len(probs), len(want), err)
	}
}
