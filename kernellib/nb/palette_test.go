package nb

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"gonum.org/v1/plot/vg"
)

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestPalettePNG(t *testing.T) {
	// 258 colours: 256 frequent ones, kept exactly, and 2 rare ones drawn
	// in the nearest kept colour.
	img := image.NewRGBA(image.Rect(0, 0, 256, 3))
	for x := 0; x < 256; x++ {
		for y := 0; y < 3; y++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x), 0, 0, 255})
		}
	}
	rare := map[image.Point][2]color.RGBA{
		{10, 2}:  {{10, 5, 0, 255}, {10, 0, 0, 255}},
		{100, 2}: {{203, 0, 9, 255}, {203, 0, 0, 255}},
	}
	for p, c := range rare {
		img.SetRGBA(p.X, p.Y, c[0])
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	b, err := palettePNG(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	got := decodePNG(t, b)
	if _, ok := got.(*image.Paletted); !ok {
		t.Fatalf("palettePNG gave a %T, want a paletted image", got)
	}
	for x := 0; x < 256; x++ {
		for y := 0; y < 3; y++ {
			want := img.RGBAAt(x, y)
			if c, ok := rare[image.Point{x, y}]; ok {
				want = c[1]
			}
			if c := color.RGBAModel.Convert(got.At(x, y)); c != want {
				t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, c, want)
			}
		}
	}
	if _, err := palettePNG([]byte("not a png")); err == nil {
		t.Error("palettePNG of bytes that are no PNG gave no error")
	}
}

func TestPlotHTMLPalette(t *testing.T) {
	full, err := PlotPNG(linePlot(t), 5*vg.Inch, 3*vg.Inch, 110)
	if err != nil {
		t.Fatal(err)
	}
	small, err := palettePNG(full)
	if err != nil {
		t.Fatal(err)
	}
	if len(small) >= len(full) {
		t.Errorf("paletted figure %d bytes, the PNG %d: not smaller", len(small), len(full))
	}
	a, b := decodePNG(t, full), decodePNG(t, small)
	if a.Bounds() != b.Bounds() {
		t.Fatalf("size %v, want %v", b.Bounds(), a.Bounds())
	}
	// The figure's colours are kept: the most of its pixels are exact, none
	// far off.
	exact, n := 0, 0
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			p, q := color.RGBAModel.Convert(a.At(x, y)).(color.RGBA), color.RGBAModel.Convert(b.At(x, y)).(color.RGBA)
			n++
			if p == q {
				exact++
			}
			if d := sq(int(p.R)-int(q.R)) + sq(int(p.G)-int(q.G)) + sq(int(p.B)-int(q.B)); d > 3*40*40 {
				t.Fatalf("pixel (%d,%d) %v drawn as %v", x, y, p, q)
			}
		}
	}
	if exact < n*99/100 {
		t.Errorf("%d of %d pixels exact, want 99%%", exact, n)
	}
}
