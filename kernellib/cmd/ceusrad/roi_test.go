package main

import (
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/internal/dualtest"
	"github.com/ceusrad/ceusrad/kernellib/roi"
)

// rasterOf is the mask package roi draws for s on a w×h image (the reference of the
// command's output, itself checked against scikit-image in package roi).
func rasterOf(t *testing.T, s string, w, h int) *imaging.Mask {
	t.Helper()
	p, err := roi.ParsePolygon(s)
	if err != nil {
		t.Fatal(err)
	}
	m, err := roi.Rasterize(p, w, h)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func sameMask(t *testing.T, what string, got, want *imaging.Mask) {
	t.Helper()
	if got.Width != want.Width || got.Height != want.Height || got.Depth != want.Depth {
		t.Fatalf("%s: %d×%d×%d mask, want %d×%d×%d", what, got.Width, got.Height, got.Depth, want.Width, want.Height, want.Depth)
	}
	diff := 0
	for i := range want.Data {
		if got.Data[i] != want.Data[i] {
			diff++
		}
	}
	if diff > 0 || want.Count() == 0 {
		t.Errorf("%s: %d pixels differ (%d inside, want %d)", what, diff, got.Count(), want.Count())
	}
}

// TestROIImage: a polygon on a PNG still gives a 0/255 PNG mask of the still's size,
// equal to roi.Rasterize's, with the ROI's pixel count and mean grey reported.
func TestROIImage(t *testing.T) {
	dir := t.TempDir()
	img := image.NewGray(image.Rect(0, 0, 20, 15))
	for i := range img.Pix {
		img.Pix[i] = 100
	}
	still := filepath.Join(dir, "bmode.png")
	if err := imaging.WritePNG(still, img); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "lesion.png")
	poly := "2,3 15.5,2 17,12 8,9.5 3,13"
	code, stdout, stderr := call("roi", "-image", still, "-polygon", poly, "-out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := rasterOf(t, poly, 20, 15)
	m, err := imaging.ReadMask(out)
	if err != nil {
		t.Fatal(err)
	}
	sameMask(t, "-image", m, want)
	g, err := imaging.ReadImage(out)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range g.(*image.Gray).Pix {
		if v != 0 && v != 255 || (v == 255) != want.Data[i] {
			t.Fatalf("pixel %d is %d; want 255 inside, 0 outside", i, v)
		}
	}
	if !strings.Contains(stdout, "20×15 mask") || !strings.Contains(stdout, "mean grey 100 on the image") ||
		!strings.Contains(stdout, " "+strconv.Itoa(want.Count())+" pixels inside") || stderr != "" {
		t.Errorf("stdout %q, stderr %q", stdout, stderr)
	}
	// A polygon partly outside the image is clipped, with a note.
	code, _, stderr = call("roi", "-image", still, "-polygon", "-5,-5 10,-5 10,10", "-out", out)
	if code != exitOK || !strings.Contains(stderr, "clipped") {
		t.Errorf("partly outside: exit %d, stderr %q", code, stderr)
	}
	m, _ = imaging.ReadMask(out)
	sameMask(t, "clipped", m, rasterOf(t, "-5,-5 10,-5 10,10", 20, 15))
}

// TestROIDualDisplay: a polygon drawn on the tissue (left) region of the dual-display
// fixture, in that region's coordinates, gives a full-frame mask with the ROI at the
// region's offset; with cine_region "right" imaging.MaskForCine moves it to the
// contrast region, where it equals the polygon rasterised in the region's geometry.
func TestROIDualDisplay(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "lesion.png")
	poly := "10,12 22,10 24,24 9,21"
	code, stdout, stderr := call("roi", "-cine", dualtest.Cine(), "-region", "left", "-frame", "5", "-polygon", poly, "-out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "72×40 mask") || !strings.Contains(stdout, "on frame 5 (region left") {
		t.Errorf("stdout %q", stdout)
	}
	m, err := imaging.ReadMask(out)
	if err != nil {
		t.Fatal(err)
	}
	left := openInfo(t, "left")
	if m.Width != 72 || m.Height != 40 {
		t.Fatalf("mask %d×%d, want the stored frame's 72×40", m.Width, m.Height)
	}
	box := left.Selected.Box
	inRegion, err := imaging.CropMask(m, box)
	if err != nil {
		t.Fatal(err)
	}
	want := rasterOf(t, poly, box.Dx(), box.Dy())
	sameMask(t, "cropped back to the left region", inRegion, want)
	if m.Count() != want.Count() {
		t.Errorf("%d pixels outside the left region", m.Count()-want.Count())
	}
	right := openInfo(t, "right")
	moved, err := imaging.MaskForCine(m, right)
	if err != nil {
		t.Fatal(err)
	}
	if right.Selected.Box.Size() == box.Size() {
		sameMask(t, "moved to the right region", moved, want)
	} else {
		t.Fatalf("the fixture's regions differ in size: %v, %v", box, right.Selected.Box)
	}
	// Without -region the polygon is in full-frame coordinates.
	code, _, stderr = call("roi", "-cine", dualtest.Cine(), "-polygon", poly, "-out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	m, _ = imaging.ReadMask(out)
	sameMask(t, "full frame", m, rasterOf(t, poly, 72, 40))
}

func openInfo(t *testing.T, region string) imaging.CineInfo {
	t.Helper()
	c, err := imaging.OpenCine(dualtest.Cine(), imaging.CineOptions{Region: region})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.Info()
}

// TestROIRefusals: bad polygons, flags and outputs are refused with what was wrong,
// and no file is written.
func TestROIRefusals(t *testing.T) {
	dir := t.TempDir()
	still := filepath.Join(dir, "bmode.png")
	img := image.NewGray(image.Rect(0, 0, 10, 8))
	img.SetGray(1, 1, color.Gray{Y: 9})
	if err := imaging.WritePNG(still, img); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "mask.png")
	tri := "1,1 6,1 1,6"
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"-image", still, "-polygon", "1,1 5,5", "-out", out}, exitUsage, "2 vertices; an ROI needs at least 3"},
		{[]string{"-image", still, "-polygon", "1,1 NaN,5 3,3", "-out", out}, exitUsage, "vertex 2 is (NaN, 5)"},
		{[]string{"-image", still, "-polygon", "1,1 5;5 3,3", "-out", out}, exitUsage, `vertex 2 "5;5"`},
		{[]string{"-image", still, "-polygon", "", "-out", out}, exitUsage, "-polygon is required"},
		{[]string{"-image", still, "-polygon", "20,20 30,20 30,30", "-out", out}, exitError, "no pixel centre of the 10×8 image"},
		{[]string{"-image", still, "-polygon", "2.2,2.2 2.8,2.2 2.5,2.8", "-out", out}, exitError, "between pixel centres"},
		{[]string{"-image", still, "-polygon", tri, "-out", still}, exitError, "input"},
		{[]string{"-image", still, "-polygon", tri, "-out", filepath.Join(dir, "mask.nii")}, exitUsage, "name a .png file"},
		{[]string{"-image", still, "-cine", still, "-polygon", tri, "-out", out}, exitUsage, "give one of -cine and -image"},
		{[]string{"-polygon", tri, "-out", out}, exitUsage, "give one of -cine and -image"},
		{[]string{"-image", still, "-frame", "0", "-polygon", tri, "-out", out}, exitUsage, "-frame is for -cine"},
		{[]string{"-cine", dualtest.Cine(), "-frame", "12", "-polygon", tri, "-out", out}, exitError, "the cine has 12 frames (0 to 11)"},
		{[]string{"-cine", dualtest.Cine(), "-frame", "-1", "-polygon", tri, "-out", out}, exitUsage, "want a 0-based frame index"},
		{[]string{"-image", dualtest.Cine(), "-polygon", tri, "-out", out}, exitError, "wants a still, the file has 12 frames"},
		{[]string{"-image", still, "-region", "left", "-polygon", tri, "-out", out}, exitError, "no Ultrasound Regions"},
		{[]string{"-image", still, "-region", "middle", "-polygon", tri, "-out", out}, exitUsage, "want a region index"},
		{[]string{"-image", still, "-polygon", tri}, exitUsage, "-out is required"},
	} {
		code, _, stderr := call(append([]string{"roi"}, c.args...)...)
		if code != c.code || !strings.Contains(stderr, c.says) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d naming %q", c.args, code, stderr, c.code, c.says)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%q: wrote %s", c.args, out)
		}
	}
	if b, err := os.ReadFile(still); err != nil || len(b) == 0 {
		t.Errorf("the input was touched: %v", err)
	}
}
