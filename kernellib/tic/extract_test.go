package tic

import (
	"image"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// writeCine writes a 6-frame 10x8 cine whose pixel (x, y) in frame k is
// 10k + x, times 0, 0.5, ... s.
func writeCine(t *testing.T) string {
	t.Helper()
	frames := make([]*image.Gray, 6)
	times := make([]float64, 6)
	for k := range frames {
		g := image.NewGray(image.Rect(0, 0, 10, 8))
		for y := 0; y < 8; y++ {
			for x := 0; x < 10; x++ {
				g.Pix[y*g.Stride+x] = uint8(10*k + x)
			}
		}
		frames[k], times[k] = g, 0.5*float64(k)
	}
	p := filepath.Join(t.TempDir(), "c.dcm")
	if err := imaging.WriteDICOMCine(p, frames, imaging.CineMeta{PatientID: "T", FrameTimes: times, PixelSpacingMM: 0.2}); err != nil {
		t.Fatal(err)
	}
	return p
}

func mask(w, h int, in func(x, y int) bool) *imaging.Mask {
	m := &imaging.Mask{Width: w, Height: h, Depth: 1, Data: make([]bool, w*h)}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m.Data[y*w+x] = in(x, y)
		}
	}
	return m
}

func TestExtract(t *testing.T) {
	c, err := imaging.OpenCine(writeCine(t), imaging.CineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	left := mask(10, 8, func(x, y int) bool { return x < 2 })            // x = 0, 1: mean 10k + 0.5
	spot := mask(10, 8, func(x, y int) bool { return x == 7 && y == 3 }) // 10k + 7
	calls := 0
	cv, err := Extract(c, []ROI{{"lesion", left}, {"liver", spot}}, func(done, total int) { calls++ })
	if err != nil {
		t.Fatal(err)
	}
	if len(cv.Time) != 6 || calls != 6 || cv.Pixels[0] != 16 || cv.Pixels[1] != 1 {
		t.Fatalf("frames %d, progress calls %d, pixels %v", len(cv.Time), calls, cv.Pixels)
	}
	liver, _ := cv.Curve("liver")
	for k := range cv.Time {
		if math.Abs(cv.Time[k]-0.5*float64(k)) > 1e-9 || cv.Mean[0][k] != 10*float64(k)+0.5 || liver[k] != 10*float64(k)+7 {
			t.Errorf("frame %d: t %v lesion %v liver %v", k, cv.Time[k], cv.Mean[0][k], liver[k])
		}
	}
	if _, err := cv.Curve("spleen"); err == nil {
		t.Error("unknown ROI: no error")
	}
}

func TestExtractErrors(t *testing.T) {
	open := func() imaging.Cine {
		c, err := imaging.OpenCine(writeCine(t), imaging.CineOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	for _, c := range []struct {
		rois []ROI
		want string
	}{
		{nil, "no ROI"},
		{[]ROI{{"lesion", mask(9, 8, func(x, y int) bool { return true })}}, "9x8x1"},
		{[]ROI{{"lesion", mask(10, 8, func(x, y int) bool { return false })}}, "empty"},
		{[]ROI{{"lesion", nil}}, "no mask"},
	} {
		if _, err := Extract(open(), c.rois, nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one containing %q", err, c.want)
		}
	}
}
