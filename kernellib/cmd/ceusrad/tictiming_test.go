package main

import (
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// A cine without timing (a folder of frames, a DICOM file with no Frame
// Time) makes `ceusrad tic` name its own -frame-rate flag, not the
// library's CineOptions.FrameRate; an implausible -frame-rate is refused.
func TestTICNamesFrameRateFlag(t *testing.T) {
	dir := t.TempDir()
	frames := filepath.Join(dir, "frames")
	os.Mkdir(frames, 0o755)
	for i := 0; i < 3; i++ {
		g := image.NewGray(image.Rect(0, 0, 8, 8))
		g.Pix[i] = 100
		if err := imaging.WritePNG(filepath.Join(frames, fmt.Sprintf("f%03d.png", i)), g); err != nil {
			t.Fatal(err)
		}
	}
	// A pydicom-written multi-frame file with no Frame Time, Frame Time
	// Vector or Cine Rate (imaging's fixture).
	noTiming, err := filepath.Abs("../../imaging/testdata/dicom/py_gray8_notiming.dcm")
	if err != nil {
		t.Fatal(err)
	}
	mask := image.NewGray(image.Rect(0, 0, 8, 8))
	mask.Pix[10] = 255
	mpath := filepath.Join(dir, "m.png")
	if err := imaging.WritePNG(mpath, mask); err != nil {
		t.Fatal(err)
	}
	for _, cine := range []string{frames, noTiming} {
		code, _, errOut := call("tic", "-cine", cine, "-mask", mpath)
		if code != exitError || !strings.Contains(errOut, "-frame-rate") || strings.Contains(errOut, "CineOptions") || !strings.Contains(errOut, cine) {
			t.Errorf("%s: exit %d, stderr %q; want it to name -frame-rate", cine, code, errOut)
		}
	}
	for _, fr := range []string{"1e9", "0.01", "-2", "NaN"} {
		code, _, errOut := call("tic", "-cine", frames, "-mask", mpath, "-frame-rate", fr)
		if code != exitUsage || !strings.Contains(errOut, "-frame-rate ") || !strings.Contains(errOut, "from 0.1 to 1000") {
			t.Errorf("-frame-rate %s: exit %d, stderr %q", fr, code, errOut)
		}
	}
	if code, _, errOut := call("tic", "-cine", frames, "-mask", mpath, "-frame-rate", "10", "-json"); code == exitUsage || strings.Contains(errOut, "-frame-rate") {
		t.Errorf("-frame-rate 10: exit %d, stderr %q", code, errOut)
	}
}
