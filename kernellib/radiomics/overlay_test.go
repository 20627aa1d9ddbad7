package radiomics

import (
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/synth"
)

// TestExtractExcludingOverlay burns a cyan caliper into a synthetic B-mode still
// saved as an RGB PNG, reads it back with imaging.ReadImageOverlay, and checks
// that ExtractExcluding leaves exactly the caliper's pixels out of the intensity
// mask, as IBSI 2.3 range re-segmentation would: every feature equals that of the
// whole mask on the image with the caliper's pixels set to −1 and re-segmented to
// [0, ∞) (local intensity excepted: it reads the image around the region), the
// morphological mask and so the 2D shape keep them, and overlay_pixels counts them.
// A mask the overlay covers is ErrEmptyIntensityMask.
func TestExtractExcludingOverlay(t *testing.T) {
	p := synth.DefaultParams()
	pts, err := synth.Generate(p, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	img, err := synth.SimulatePatient(p, &pts[0])
	if err != nil {
		t.Fatal(err)
	}
	g, lm := img.BMode, img.Lesion
	b := g.Bounds()
	rgb := image.NewRGBA(b)
	for i, v := range g.Pix {
		rgb.Pix[4*i], rgb.Pix[4*i+1], rgb.Pix[4*i+2], rgb.Pix[4*i+3] = v, v, v, 255
	}
	mask := &imaging.Mask{Width: b.Dx(), Height: b.Dy(), Depth: 1, Data: make([]bool, b.Dx()*b.Dy())}
	box := image.Rectangle{}
	for i, v := range lm.Pix {
		mask.Data[i] = v != 0
		if v != 0 {
			box = box.Union(image.Rect(i%b.Dx(), i/b.Dx(), i%b.Dx()+1, i/b.Dx()+1))
		}
	}
	y0 := (box.Min.Y + box.Max.Y) / 2
	for x := box.Min.X - 3; x < box.Max.X+3; x++ { // a caliper line, 2 pixels, dotted
		if x%5 < 3 {
			rgb.SetRGBA(x, y0, color.RGBA{0, 230, 230, 255})
			rgb.SetRGBA(x, y0+1, color.RGBA{0, 230, 230, 255})
		}
	}
	path := filepath.Join(t.TempDir(), "bmode.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, rgb); err != nil {
		t.Fatal(err)
	}
	f.Close()
	still, ov, err := imaging.ReadImageOverlay(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := imaging.OverlayCount(mask, ov)
	if ov == nil || want == 0 || want > 2*box.Dx() {
		t.Fatalf("overlay: %v, %d pixels in the lesion", ov != nil, want)
	}
	vol, err := FromImage(still, 0.2, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	resegmented := &imaging.Volume{Nx: vol.Nx, Ny: vol.Ny, Nz: 1, Spacing: vol.Spacing, Data: append([]float64(nil), vol.Data...)}
	for i, v := range ov.Data {
		if v {
			resegmented.Data[i] = -1
		}
	}
	rs := DefaultSettings()
	rs.Resegment = &Range{Min: 0, Max: math.Inf(1)}
	got, n, err := ExtractExcluding(vol, mask, ov, DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Errorf("overlay_pixels %d, want %d", n, want)
	}
	whole, err := Extract(vol, mask, DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	without, err := Extract(resegmented, mask, rs)
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for i, fe := range got {
		ref := without[i]
		if fe.Family == FamilyLocalIntensity { // reads the whole image around the region
			continue
		}
		if fe.Key() != ref.Key() || math.Abs(fe.Value-ref.Value) > 1e-9*math.Max(1, math.Abs(ref.Value)) {
			t.Errorf("%s: %v, want %v", fe.Key(), fe.Value, ref.Value)
		}
		if fe.Value != whole[i].Value {
			changed++
		}
		if (fe.Name == "area_pixel_counting" || fe.Name == "area_mesh") && fe.Value != whole[i].Value {
			t.Errorf("%s: %v, the whole mask's %v", fe.Key(), fe.Value, whole[i].Value)
		}
	}
	if changed == 0 {
		t.Error("leaving the caliper out changed no feature: the test does not test")
	}
	// An overlay over the whole region.
	if _, _, err := ExtractExcluding(vol, mask, mask, DefaultSettings()); !errors.Is(err, ErrEmptyIntensityMask) {
		t.Errorf("region covered by the overlay: %v", err)
	}
	if _, _, err := ExtractExcluding(vol, mask, &imaging.Mask{Width: 2, Height: 2, Depth: 1, Data: make([]bool, 4)}, DefaultSettings()); !errors.Is(err, ErrInput) {
		t.Errorf("overlay of another size: %v", err)
	}
}
