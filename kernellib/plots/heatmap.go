package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
)

// grid is a rows × cols matrix as a plotter.GridXYZ: cell (r, c) has value
// v[r·cols + c] and is centred at (x0 + c, y0 + r).
type grid struct {
	v          []float64
	rows, cols int
	x0, y0     float64
}

func (g grid) Dims() (c, r int)   { return g.cols, g.rows }
func (g grid) Z(c, r int) float64 { return g.v[r*g.cols+c] }
func (g grid) X(c int) float64    { return g.x0 + float64(c) }
func (g grid) Y(r int) float64    { return g.y0 + float64(r) }
func (g grid) minMax() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range g.v {
		if !math.IsNaN(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return lo, hi
}

// HeatPalette returns the palette of HeatMap with n colours: Moreland's
// smooth cool–warm diverging map (Moreland, "Diverging Color Maps for
// Scientific Visualization", ISVC 2009), blue for the smallest value, red
// for the largest, readable by the colour-blind and in grey.
func HeatPalette(n int) palette.Palette {
	m := moreland.SmoothBlueRed()
	return m.Palette(n)
}

// HeatMap draws a rows × cols matrix, values[r·cols + c] being row r and
// column c, as a heat map: cell (r, c) is the unit square centred at
// (x0 + c, y0 + r), coloured on HeatPalette(255) linearly from the smallest
// to the largest value (a constant matrix takes the middle colour); NaN
// cells are left blank. x0 = y0 = 1 puts a grey level co-occurrence matrix
// (IBSI 3.6) with grey level i along y and j along x at its levels. The
// legend, below the matrix when drawn in the theme (Draw), gives the
// colours of the largest, middle and smallest values.
func HeatMap(values []float64, rows, cols int, x0, y0 float64, xlabel, ylabel string) (*plot.Plot, error) {
	if rows < 1 || cols < 1 {
		return nil, fmt.Errorf("plots: HeatMap: %d × %d matrix, need at least 1 × 1", rows, cols)
	}
	if len(values) != rows*cols {
		return nil, fmt.Errorf("plots: HeatMap: %d values for a %d × %d matrix, want %d", len(values), rows, cols, rows*cols)
	}
	g := grid{v: values, rows: rows, cols: cols, x0: x0, y0: y0}
	for i, v := range values {
		if math.IsInf(v, 0) {
			return nil, fmt.Errorf("plots: HeatMap: value %d (row %d, column %d) is %v", i, i/cols, i%cols, v)
		}
	}
	lo, hi := g.minMax()
	if math.IsInf(lo, 1) {
		return nil, fmt.Errorf("plots: HeatMap: every value is NaN")
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	pal := HeatPalette(255)
	h := plotter.NewHeatMap(g, pal)
	h.Min, h.Max = lo, hi
	h.Rasterized = true // one image: no seams between the cells
	p := newPlot()
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	p.Add(h)
	p.X.Min, p.X.Max = x0-0.5, x0+float64(cols)-0.5
	p.Y.Min, p.Y.Max = y0-0.5, y0+float64(rows)-0.5
	cs := pal.Colors()
	for _, e := range []struct {
		label string
		i     int
	}{{fmt.Sprintf("%.3g", hi), len(cs) - 1}, {fmt.Sprintf("%.3g", (lo+hi)/2), len(cs) / 2}, {fmt.Sprintf("%.3g", lo), 0}} {
		sw, err := plotter.NewPolygon(plotter.XYs{})
		if err != nil {
			return nil, err
		}
		sw.Color = cs[e.i]
		sw.LineStyle.Width = 0
		p.Legend.Add(e.label, sw)
	}
	return p, nil
}
