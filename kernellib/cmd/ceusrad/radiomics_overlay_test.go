package main

import (
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/radiomics"
)

// TestRadiomicsOverlay burns a green box over a fifth of the mask's rows into an
// RGB copy of a B-mode PNG: `ceusrad radiomics -json` reports the box's pixels in
// the mask as overlay_pixels, warns (JSON and stderr), and prints the features
// radiomics.ExtractExcluding computes.
func TestRadiomicsOverlay(t *testing.T) {
	dir := t.TempDir()
	imgPath, maskPath := writeBModePNGs(t, dir, 48, 36, 7, 0)
	g, err := imaging.ReadImage(imgPath)
	if err != nil {
		t.Fatal(err)
	}
	mask, err := imaging.ReadMask(maskPath)
	if err != nil {
		t.Fatal(err)
	}
	rgb := image.NewRGBA(g.Bounds())
	want := 0
	for y := 0; y < 36; y++ {
		for x := 0; x < 48; x++ {
			v := g.(*image.Gray).GrayAt(x, y).Y
			c := color.RGBA{v, v, v, 255}
			if y >= 14 && y < 20 {
				c = color.RGBA{20, 200, 40, 255}
				if mask.At2D(x, y) {
					want++
				}
			}
			rgb.SetRGBA(x, y, c)
		}
	}
	f, err := os.Create(imgPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, rgb); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, out, errOut := call("radiomics", "-image", imgPath, "-mask", maskPath, "-bins", "16", "-pixel-mm", "0.2", "-json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		OverlayPixels int                 `json:"overlay_pixels"`
		Warnings      []string            `json:"warnings"`
		Features      []radiomics.Feature `json:"features"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.OverlayPixels != want || want*10 <= mask.Count() || len(rep.Warnings) != 1 || !strings.Contains(errOut, "warning:") {
		t.Fatalf("overlay_pixels %d (want %d of %d), warnings %q, stderr %q", rep.OverlayPixels, want, mask.Count(), rep.Warnings, errOut)
	}
	still, ov, err := imaging.ReadImageOverlay(imgPath, 0)
	if err != nil {
		t.Fatal(err)
	}
	vol, err := radiomics.FromImage(still, 0.2, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	s := radiomics.DefaultSettings()
	s.Discretisation = radiomics.Discretisation{Method: radiomics.FixedBinNumber, Bins: 16}
	lib, _, err := radiomics.ExtractExcluding(vol, mask, ov, s)
	if err != nil {
		t.Fatal(err)
	}
	sameRadiomicsFeatures(t, rep.Features, lib)
}
