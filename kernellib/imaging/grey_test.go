package imaging

import (
	"image"
	"image/color"
	"testing"
)

func TestLuma8(t *testing.T) {
	for _, tc := range []struct {
		r, g, b uint8
		want    uint8
	}{
		{0, 0, 0, 0}, {255, 255, 255, 255}, {255, 0, 0, 76}, {0, 255, 0, 150}, {0, 0, 255, 29},
		{100, 150, 200, 141}, // 29.9 + 88.05 + 22.8 = 140.75
		{1, 0, 1, 0},         // 0.413
		{3, 1, 0, 1},         // 1.484
		{10, 10, 20, 11},     // 11.14
	} {
		if got := Luma8(tc.r, tc.g, tc.b); got != tc.want {
			t.Errorf("Luma8(%d,%d,%d) = %d, want %d", tc.r, tc.g, tc.b, got, tc.want)
		}
	}
	// Exhaustively against the real-valued formula rounded half up.
	for r := 0; r < 256; r += 5 {
		for g := 0; g < 256; g += 3 {
			for b := 0; b < 256; b += 7 {
				y := 0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)
				want := uint8(y + 0.5 + 1e-9)
				if got := Luma8(uint8(r), uint8(g), uint8(b)); got != want {
					t.Fatalf("Luma8(%d,%d,%d) = %d, want %d (%.4f)", r, g, b, got, want, y)
				}
			}
		}
	}
	if got := Luma16(65535, 65535, 65535); got != 65535 {
		t.Errorf("Luma16(white) = %d", got)
	}
	if got := Luma16(1000, 2000, 3000); got != 1815 { // 299 + 1174 + 342
		t.Errorf("Luma16 = %d, want 1815", got)
	}
}

func TestToGray(t *testing.T) {
	r := image.Rect(2, 3, 6, 5) // not at the origin
	rgba := image.NewRGBA(r)
	nrgba := image.NewNRGBA(r)
	rgba64 := image.NewRGBA64(r)
	gray := image.NewGray(r)
	gray16 := image.NewGray16(r)
	ycc := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
	pal := image.NewPaletted(r, color.Palette{color.RGBA{10, 20, 30, 255}, color.RGBA{200, 100, 50, 255}})
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.RGBA{uint8(20 * x), uint8(30 * y), uint8(x + y), 255}
			rgba.SetRGBA(x, y, c)
			nrgba.SetNRGBA(x, y, color.NRGBA{c.R, c.G, c.B, 128})
			rgba64.SetRGBA64(x, y, color.RGBA64{uint16(c.R) * 257, uint16(c.G) * 257, uint16(c.B) * 257, 65535})
			gray.SetGray(x, y, color.Gray{uint8(x * y)})
			gray16.SetGray16(x, y, color.Gray16{uint16(1000 * x * y)})
			ycc.Y[ycc.YOffset(x, y)] = uint8(7 * x * y)
			pal.SetColorIndex(x, y, uint8((x+y)%2))
		}
	}
	check := func(name string, m image.Image, want func(x, y int) uint32, is16 bool) {
		g := ToGray(m)
		if g.Bounds() != image.Rect(0, 0, 4, 2) {
			t.Fatalf("%s: bounds %v", name, g.Bounds())
		}
		_, got16 := g.(*image.Gray16)
		if got16 != is16 {
			t.Fatalf("%s: %T", name, g)
		}
		for y := 0; y < 2; y++ {
			for x := 0; x < 4; x++ {
				var v uint32
				if is16 {
					v = uint32(g.(*image.Gray16).Gray16At(x, y).Y)
				} else {
					v = uint32(g.(*image.Gray).GrayAt(x, y).Y)
				}
				if w := want(x+2, y+3); v != w {
					t.Errorf("%s (%d,%d) = %d, want %d", name, x, y, v, w)
				}
			}
		}
	}
	lum := func(x, y int) uint32 { return uint32(Luma8(uint8(20*x), uint8(30*y), uint8(x+y))) }
	check("RGBA", rgba, lum, false)
	check("NRGBA", nrgba, lum, false)
	check("RGBA64", rgba64, func(x, y int) uint32 {
		return uint32(Luma16(uint16(20*x)*257, uint16(30*y)*257, uint16(x+y)*257))
	}, true)
	check("Gray", gray, func(x, y int) uint32 { return uint32(x * y) }, false)
	check("Gray16", gray16, func(x, y int) uint32 { return uint32(1000 * x * y) }, true)
	check("YCbCr", ycc, func(x, y int) uint32 { return uint32(7 * x * y) }, false)
	check("Paletted", pal, func(x, y int) uint32 {
		if (x+y)%2 == 0 {
			return uint32(Luma8(10, 20, 30))
		}
		return uint32(Luma8(200, 100, 50))
	}, false)
}
