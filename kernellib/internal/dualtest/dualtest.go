// Package dualtest gives tests of the packages that read a patient's cine (tic,
// deep, study) one dual-display patient: the fixture
// kernellib/imaging/testdata/dicom/py_dual_display.dcm (made by
// imaging/testdata/make_dual_display.py: 12 frames of 72×40, the tissue image on
// the left, the contrast image on the right) with a lesion mask drawn on the tissue
// half, and cine_region "right". Only tests import it.
package dualtest

import (
	"image"
	"image/color"
	"math"
	"path/filepath"
	"runtime"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// Cine is the path of the dual-display fixture.
func Cine() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "imaging", "testdata", "dicom", "py_dual_display.dcm")
}

// Patient writes into dir a full-frame (72×40) lesion mask: a disc of radius 4
// at (18, 22), the lesion of the tissue half; and returns the patient D1 with
// that mask, the fixture as cine, cine_region "right" and no injection time.
func Patient(dir string) (cohort.Patient, error) {
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
		return cohort.Patient{}, err
	}
	return cohort.Patient{ID: "D1", Cine: Cine(), LesionMask: mask, CineRegion: "right", InjectionOffset: math.NaN()}, nil
}
