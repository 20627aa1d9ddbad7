package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/synth"
)

// TestTICOverlay runs `ceusrad tic` on a synthetic cine exported as RGB PNG
// frames with a red box burned in over a quarter of the lesion's bounding box:
// the JSON reports the box's pixels inside the lesion as overlay_pixels in
// every frame and a warning (also on stderr); the grey DICOM of the same cine
// reports none.
func TestTICOverlay(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.WriteCohort(dir, 1, 1, synth.DefaultParams(), nil); err != nil {
		t.Fatal(err)
	}
	cine := filepath.Join(dir, "cines", "P001.dcm")
	les := filepath.Join(dir, "masks", "P001_lesion.png")
	lm, err := imaging.ReadMask(les)
	if err != nil {
		t.Fatal(err)
	}
	box := image.Rectangle{}
	for i, v := range lm.Data {
		if v {
			box = box.Union(image.Rect(i%lm.Width, i/lm.Width, i%lm.Width+1, i/lm.Width+1))
		}
	}
	box.Max = box.Min.Add(box.Size().Div(2)) // the top-left quarter
	want := 0
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			if lm.At2D(x, y) {
				want++
			}
		}
	}
	frames := filepath.Join(dir, "frames")
	os.Mkdir(frames, 0o755)
	c, err := imaging.OpenCine(cine, imaging.CineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for ; ; n++ {
		f, err := c.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		g := f.Img.(*image.Gray)
		m := image.NewRGBA(g.Rect)
		for i, v := range g.Pix {
			m.Pix[4*i], m.Pix[4*i+1], m.Pix[4*i+2], m.Pix[4*i+3] = v, v, v, 255
		}
		for y := box.Min.Y; y < box.Max.Y; y++ {
			for x := box.Min.X; x < box.Max.X; x++ {
				m.SetRGBA(x, y, color.RGBA{220, 30, 30, 255})
			}
		}
		w, err := os.Create(filepath.Join(frames, fmt.Sprintf("%04d.png", n)))
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(w, m); err != nil {
			t.Fatal(err)
		}
		w.Close()
	}
	c.Close()
	type report struct {
		ROIs []struct {
			ROI           string `json:"roi"`
			Pixels        int    `json:"pixels"`
			OverlayPixels *int   `json:"overlay_pixels"`
			OverlayFrames *int   `json:"overlay_frames"`
		} `json:"rois"`
		Warnings []string `json:"warnings"`
	}
	code, out, errOut := call("tic", "-cine", frames, "-frame-rate", "2", "-mask", les, "-json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	r := rep.ROIs[0]
	if r.OverlayPixels == nil || *r.OverlayPixels != want || *r.OverlayFrames != n || want*10 <= r.Pixels {
		t.Fatalf("lesion: %d pixels, overlay %v in %v frames; the box covers %d lesion pixels in %d frames", r.Pixels, r.OverlayPixels, r.OverlayFrames, want, n)
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "ROI lesion") || !strings.Contains(errOut, "warning: ROI lesion") {
		t.Errorf("warnings %q, stderr %q", rep.Warnings, errOut)
	}
	code, out, errOut = call("tic", "-cine", cine, "-mask", les, "-json")
	rep = report{}
	if err := json.Unmarshal([]byte(out), &rep); code != exitOK || err != nil {
		t.Fatalf("grey DICOM: exit %d, %v: %s", code, err, errOut)
	}
	if r := rep.ROIs[0]; r.OverlayPixels == nil || *r.OverlayPixels != 0 || *r.OverlayFrames != 0 || rep.Warnings == nil || len(rep.Warnings) != 0 || strings.Contains(errOut, "warning") {
		t.Errorf("grey DICOM: overlay %v in %v frames, warnings %q, stderr %q", r.OverlayPixels, r.OverlayFrames, rep.Warnings, errOut)
	}
}
