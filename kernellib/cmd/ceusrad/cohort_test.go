package main

import (
	"bytes"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// writeTinyCohort writes n patients (3-frame cines, B-mode images, lesion
// masks) and a manifest with age and sex columns into a temporary folder.
func writeTinyCohort(t *testing.T, n int) (dir, manifest string) {
	t.Helper()
	dir = t.TempDir()
	var b strings.Builder
	b.WriteString("patient_id,response,split,cine,bmode,lesion_mask,age,sex\n")
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("P%02d", i+1)
		frames := []*image.Gray{image.NewGray(image.Rect(0, 0, 8, 8)), image.NewGray(image.Rect(0, 0, 8, 8)), image.NewGray(image.Rect(0, 0, 8, 8))}
		if err := imaging.WriteDICOMCine(filepath.Join(dir, id+".dcm"), frames, imaging.CineMeta{PatientID: id, FrameTimes: []float64{0, 0.5, 1}, PixelSpacingMM: 0.2}); err != nil {
			t.Fatal(err)
		}
		if err := imaging.WritePNG(filepath.Join(dir, id+".png"), image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
			t.Fatal(err)
		}
		m := image.NewGray(image.Rect(0, 0, 8, 8))
		m.Pix[20] = 255
		if err := imaging.WritePNG(filepath.Join(dir, id+"_mask.png"), m); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s.dcm,%s.png,%s_mask.png,%d,%s\n", id, []string{"OR", "NR"}[i%2],
			[]string{"train", "train", "validation"}[i%3], id, id, id, 50+3*i+(i%4), []string{"M", "F"}[i%3/2])
	}
	manifest = filepath.Join(dir, "cohort.csv")
	if err := os.WriteFile(manifest, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, manifest
}

func TestCohortCommandPrintsTable1(t *testing.T) {
	_, manifest := writeTinyCohort(t, 12)
	var out, errb bytes.Buffer
	if rc := run([]string{"cohort", "-in", manifest}, &out, &errb); rc != exitOK {
		t.Fatalf("exit %d, stderr: %s", rc, errb.String())
	}
	for _, want := range []string{"12 patients (8 training, 4 validation; 6 OR, 6 NR)", "Table 1a", "Table 1b", "| age", "sex"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestCohortCommandReportsBadFiles(t *testing.T) {
	dir, manifest := writeTinyCohort(t, 6)
	if err := os.WriteFile(filepath.Join(dir, "P02.png"), []byte("not a png"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "P05_mask.png")); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if rc := run([]string{"cohort", "-in", manifest}, &out, &errb); rc != exitError {
		t.Fatalf("exit %d, want %d; stdout %s", rc, exitError, out.String())
	}
	msg := errb.String()
	for _, want := range []string{"2 problem(s)", "P02.png", "bmode", "P05_mask.png", "lesion_mask"} {
		if !strings.Contains(msg, want) {
			t.Errorf("stderr lacks %q:\n%s", want, msg)
		}
	}
	if rc := run([]string{"cohort"}, &out, &errb); rc != exitUsage {
		t.Errorf("no -in: exit %d, want %d", rc, exitUsage)
	}
}
