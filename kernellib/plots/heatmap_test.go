package plots

import (
	"fmt"
	"image/color"
	"math"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// TestHeatMap renders a 2 × 3 matrix and reads back the colour at each
// cell's centre: the smallest value must be the palette's first colour
// (blue), the largest its last (red), a NaN cell blank (white background),
// and rows must run upwards from y0.
func TestHeatMap(t *testing.T) {
	v := []float64{
		0, 1, 2, // row 0, at y = 1
		3, 4, math.NaN(), // row 1, at y = 2
	}
	p, err := HeatMap(v, 2, 3, 1, 1, "j", "i")
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Min != 0.5 || p.X.Max != 3.5 || p.Y.Min != 0.5 || p.Y.Max != 2.5 {
		t.Errorf("axes [%v, %v] × [%v, %v], want [0.5, 3.5] × [0.5, 2.5]", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	c := vgimg.New(4*vg.Inch, 3*vg.Inch)
	dc := draw.New(c)
	p.Draw(dc)
	da := p.DataCanvas(dc)
	tx, ty := p.Transforms(&da)
	img := c.Image()
	at := func(x, y float64) color.RGBA {
		pt := vg.Point{X: tx(x), Y: ty(y)}
		// vg's y axis points up; the image's down.
		px, py := int(math.Floor(pt.X.Dots(c.DPI()))), img.Bounds().Dy()-1-int(math.Floor(pt.Y.Dots(c.DPI())))
		r, g, b, a := img.At(px, py).RGBA()
		return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
	}
	cs := HeatPalette(255).Colors()
	rgba := func(c color.Color) color.RGBA {
		r, g, b, a := c.RGBA()
		return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
	}
	near := func(a, b color.RGBA) bool {
		d := func(x, y uint8) int { return int(x) - int(y) }
		return abs(d(a.R, b.R)) <= 2 && abs(d(a.G, b.G)) <= 2 && abs(d(a.B, b.B)) <= 2
	}
	if got, want := at(1, 1), rgba(cs[0]); !near(got, want) {
		t.Errorf("cell (0, 0), the minimum: %v, want %v", got, want)
	}
	if got, want := at(2, 2), rgba(cs[len(cs)-1]); !near(got, want) {
		t.Errorf("cell (1, 1), the maximum: %v, want %v", got, want)
	}
	if got, want := at(3, 1), rgba(cs[len(cs)/2]); !near(got, want) {
		t.Errorf("cell (0, 2), the middle value: %v, want %v", got, want)
	}
	if got := at(3, 2); !near(got, color.RGBA{255, 255, 255, 255}) {
		t.Errorf("NaN cell (1, 2): %v, want blank", got)
	}
	if r, b := at(1, 1), at(2, 2); !(r.B > r.R && b.R > b.B) {
		t.Errorf("minimum %v not blue or maximum %v not red", r, b)
	}

	for _, cc := range []struct {
		v          []float64
		rows, cols int
	}{
		{[]float64{1, 2, 3}, 2, 2},
		{nil, 0, 1},
		{[]float64{1, math.Inf(1)}, 1, 2},
		{[]float64{math.NaN()}, 1, 1},
	} {
		if _, err := HeatMap(cc.v, cc.rows, cc.cols, 0, 0, "", ""); err == nil {
			t.Errorf("HeatMap(%v, %d, %d): no error", cc.v, cc.rows, cc.cols)
		}
	}
	if _, err := HeatMap([]float64{2, 2}, 1, 2, 0, 0, "", ""); err != nil {
		t.Errorf("constant matrix: %v", err)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// ExampleHeatMap draws a grey level co-occurrence matrix of four grey
// levels, with levels 1..4 along both axes.
func ExampleHeatMap() {
	glcm := []float64{
		6, 2, 0, 0,
		2, 4, 2, 0,
		0, 2, 2, 1,
		0, 0, 1, 2,
	}
	p, err := HeatMap(glcm, 4, 4, 1, 1, "grey level j", "grey level i")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("x from %.1f to %.1f, y from %.1f to %.1f\n", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	// Output:
	// x from 0.5 to 4.5, y from 0.5 to 4.5
}
