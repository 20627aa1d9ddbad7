package plots

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// A 2 × 2 composite of the package's figures (ROC, calibration, decision
// curves, box plot) at double-column width passes the checks panel by
// panel and at its edge, is written as PDF, PNG and SVG, and has its four
// letters; small-multiples ROC panels and an image panel pass too.
func TestPanels(t *testing.T) {
	figs := themeFigures(t)
	f := &Panels{Rows: [][]*plot.Plot{
		{figs["roc 4 models"].p, figs["calibration"].p},
		{figs["decision curves"].p, figs["box"].p},
	}}
	w, h := DoubleColumn, 190*vg.Millimeter
	if err := f.Check(w, h); err != nil {
		t.Error(err)
	}
	paths, err := SavePanels(f, filepath.Join(t.TempDir(), "composite"), w, h, 150)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 3 {
		t.Fatalf("paths %v", paths)
	}
	if err := CheckPDF(paths[0]); err != nil && !errors.Is(err, ErrNoPDFInfo) {
		t.Error(err)
	}
	svg, err := os.ReadFile(paths[2])
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{">A<", ">B<", ">C<", ">D<"} {
		if !strings.Contains(string(svg), l) {
			t.Errorf("SVG has no panel letter %s", l)
		}
	}
	if strings.Contains(string(svg), ">E<") {
		t.Error("a fifth letter")
	}

	var four []ROCSeries
	for i := 0; i < 4; i++ {
		four = append(four, rocSeries([]string{"R-DLCEUS", "R-TIC", "R-BMode", "Clinical"}[i], 3-0.6*float64(i)))
	}
	small, err := ROCPanels(four)
	if err != nil {
		t.Fatal(err)
	}
	if small[1].Title.Text != "R-TIC" {
		t.Errorf("panel 2 title %q", small[1].Title.Text)
	}
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for i := range img.Pix {
		img.Pix[i] = []uint8{255, 0, 255, 255}[i%4] // magenta: nothing else is
	}
	ip, err := ImagePlot(img, "an image")
	if err != nil {
		t.Fatal(err)
	}
	g := &Panels{Rows: [][]*plot.Plot{small[:2], small[2:], {ip, nil}}}
	if err := g.Check(DoubleColumn, 230*vg.Millimeter); err != nil {
		t.Error(err)
	}
	// The image keeps its 2:1 aspect ratio inside its panel.
	b, err := pngOf(g, DoubleColumn, 230*vg.Millimeter)
	if err != nil {
		t.Fatal(err)
	}
	m, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	grey := image.Rectangle{Min: image.Point{1 << 30, 1 << 30}}
	for y := m.Bounds().Dy() * 2 / 3; y < m.Bounds().Dy(); y++ {
		for x := 0; x < m.Bounds().Dx()/2; x++ {
			if r, g, b, _ := m.At(x, y).RGBA(); r == 0xffff && g == 0 && b == 0xffff {
				grey.Min.X, grey.Min.Y = min(grey.Min.X, x), min(grey.Min.Y, y)
				grey.Max.X, grey.Max.Y = max(grey.Max.X, x+1), max(grey.Max.Y, y+1)
			}
		}
	}
	if r := float64(grey.Dx()) / float64(grey.Dy()); grey.Dy() == 0 || r < 1.9 || r > 2.1 {
		t.Errorf("image drawn %v: aspect %.2f, want 2", grey, r)
	}
	if _, err := SavePanels(&Panels{}, filepath.Join(t.TempDir(), "x"), w, h, 100); err == nil {
		t.Error("no panels: no error")
	}
}

func pngOf(f *Panels, w, h vg.Length) ([]byte, error) {
	return renderPNG(f.Draw, w, h, 100)
}
