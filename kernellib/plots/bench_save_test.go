package plots

import (
	"io"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// BenchmarkWriteTIFF encodes a double-column ROC figure, 175 × 110 mm at
// 600 dpi (4134 × 2598 pixels), as an LZW TIFF.
func BenchmarkWriteTIFF(b *testing.B) {
	p, err := ROC([]ROCSeries{rocSeries("R-DLCEUS", 3), rocSeries("R-TIC", 1.5)})
	if err != nil {
		b.Fatal(err)
	}
	c := vgimg.NewWith(vgimg.UseWH(DoubleColumn, 110*vg.Millimeter), vgimg.UseDPI(TIFFDPI))
	Draw(p, draw.New(c))
	img := c.Image()
	b.SetBytes(int64(3 * img.Bounds().Dx() * img.Bounds().Dy()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := WriteTIFF(io.Discard, img, TIFFDPI); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckFigure checks a four-model ROC figure at single-column
// size (two recorded drawings and a 150 dpi rendering).
func BenchmarkCheckFigure(b *testing.B) {
	var s []ROCSeries
	for i := 0; i < 4; i++ {
		s = append(s, rocSeries("model", 3-0.6*float64(i)))
	}
	p, err := ROC(s)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		if err := CheckFigure(p, SingleColumn, 105*vg.Millimeter); err != nil {
			b.Fatal(err)
		}
	}
}
