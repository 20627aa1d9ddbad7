package synth_test

import (
	"image"
	"math"
	"path/filepath"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/cohort/filecheck"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/synth"
)

// centreStats are what TestSecondCentreReadBack measures of a cohort read
// back through kernellib/cohort and kernellib/imaging.
type centreStats struct {
	bmodeGrey  float64 // mean B-mode grey level over the liver masks
	lesionMM2  float64 // mean lesion area, mm² (mask pixels × spacing²)
	frameRate  float64 // the cines' frame rate (1/mean frame interval)
	frames     int     // frames of the first cine
	validation int     // patients in the validation split
}

// readCentre writes a cohort of n patients with p and seed, reads it back
// with cohort.ReadFile and filecheck (every file opened), and measures it.
func readCentre(t *testing.T, p synth.Params, n int, seed uint64) centreStats {
	t.Helper()
	dir := t.TempDir()
	if _, err := synth.WriteCohort(dir, n, seed, p, nil); err != nil {
		t.Fatal(err)
	}
	c, err := cohort.ReadFile(filepath.Join(dir, "cohort.csv"), filecheck.Options())
	if err != nil {
		t.Fatalf("cohort.ReadFile with filecheck: %v", err)
	}
	if len(c.Patients) != n {
		t.Fatalf("%d patients read, want %d", len(c.Patients), n)
	}
	var s centreStats
	var greySum, greyN float64
	for i, pt := range c.Patients {
		if pt.Split == cohort.SplitValidation {
			s.validation++
		}
		cine, err := imaging.OpenCine(pt.Cine, filecheck.CineOptions(pt))
		if err != nil {
			t.Fatal(err)
		}
		info := cine.Info()
		cine.Close()
		if pt.FrameRate != p.FrameRate {
			t.Errorf("%s: manifest frame_rate %v, want %v", pt.ID, pt.FrameRate, p.FrameRate)
		}
		if i == 0 {
			s.frames = info.NumFrames
		}
		s.frameRate += info.FrameRate / float64(n)
		lesion, err := imaging.ReadMask(pt.LesionMask)
		if err != nil {
			t.Fatal(err)
		}
		liver, err := imaging.ReadMask(pt.LiverMask)
		if err != nil {
			t.Fatal(err)
		}
		img, err := imaging.ReadImage(pt.BMode)
		if err != nil {
			t.Fatal(err)
		}
		g := img.(*image.Gray)
		nl := 0
		for k, v := range lesion.Data {
			if v {
				nl++
			}
			if liver.Data[k] {
				greySum += float64(g.Pix[k])
				greyN++
			}
		}
		s.lesionMM2 += float64(nl) * info.PixelSpacingMM * info.PixelSpacingMM / float64(n)
	}
	s.bmodeGrey = greySum / greyN
	return s
}

// TestSecondCentreReadBack writes the default centre and SecondCentre from
// the same seed (the same patients, moved by the case mix), reads both back
// through kernellib/cohort with filecheck, and checks the documented shifts:
// every patient in validation, 3 frames/s in the manifest and the DICOM
// Frame Time Vector, the liver's B-mode grey level up by about 4 dB·255/55 =
// 18.5 levels (less what clips), and lesions larger by exp(0.5·0.5)² ≈ 1.65
// in area.
func TestSecondCentreReadBack(t *testing.T) {
	const n, seed = 6, 2
	pa := synth.DefaultParams()
	pa.DurationS = 20
	pb := synth.SecondCentre()
	pb.DurationS = 20
	a := readCentre(t, pa, n, seed)
	b := readCentre(t, pb, n, seed)
	t.Logf("A: %+v", a)
	t.Logf("B: %+v", b)
	if b.validation != n || a.validation == n {
		t.Errorf("validation patients: A %d, B %d of %d; want B all", a.validation, b.validation, n)
	}
	if b.frames != 61 || a.frames != 41 {
		t.Errorf("frames of 20 s: A %d, B %d; want 41 and 61", a.frames, b.frames)
	}
	if math.Abs(b.frameRate-3) > 0.05 || math.Abs(a.frameRate-2) > 0.05 {
		t.Errorf("cine frame rate A %.3f, B %.3f; want 2 and 3", a.frameRate, b.frameRate)
	}
	if d := b.bmodeGrey - a.bmodeGrey; d < 15 || d > 19.5 {
		t.Errorf("liver B-mode grey A %.1f, B %.1f: shift %.1f, want about 18.5 (4 dB)", a.bmodeGrey, b.bmodeGrey, d)
	}
	if r := b.lesionMM2 / a.lesionMM2; r < 1.4 || r > 1.8 {
		t.Errorf("mean lesion area A %.0f mm², B %.0f mm²: ratio %.2f, want about 1.65", a.lesionMM2, b.lesionMM2, r)
	}
}
