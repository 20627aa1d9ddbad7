package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Histogram draws the distribution of values in bins equal-width bins,
// normalised to a density (area one) when density is true, with dashed
// vertical lines at the marks (e.g. the 2.5 % and 97.5 % quantiles of a
// resampled statistic). The axes leave room beside the outer bins and
// above the tallest; counts are marked at whole numbers (IntegerTicks).
func Histogram(values []float64, bins int, xlabel string, density bool, marks ...float64) (*plot.Plot, error) {
	if len(values) == 0 {
		return nil, fmt.Errorf("plots: Histogram: no values")
	}
	if bins < 1 {
		return nil, fmt.Errorf("plots: Histogram: %d bins, need at least 1", bins)
	}
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("plots: Histogram: value %d is %v", i, v)
		}
	}
	h, err := plotter.NewHist(plotter.Values(values), bins)
	if err != nil {
		return nil, err
	}
	if density {
		h.Normalize(1)
	}
	p := newPlot()
	p.X.Label.Text = xlabel
	if density {
		p.Y.Label.Text = "density"
	} else {
		p.Y.Label.Text = "count"
	}
	h.FillColor = SeriesColor(5)
	h.LineStyle = draw.LineStyle{Color: color.White, Width: vg.Points(0.3)}
	p.Add(h)
	top := 0.0
	for _, b := range h.Bins {
		top = math.Max(top, b.Weight)
	}
	xlo, xhi := h.Bins[0].Min, h.Bins[len(h.Bins)-1].Max
	for _, m := range marks {
		l, err := plotter.NewLine(plotter.XYs{{X: m, Y: 0}, {X: m, Y: top}})
		if err != nil {
			return nil, err
		}
		l.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		l.LineStyle.Width = refWidth
		p.Add(l)
		xlo, xhi = math.Min(xlo, m), math.Max(xhi, m)
	}
	// Room above the tallest bar and beside the outer bins: nothing
	// touches the frame.
	p.X.Min, p.X.Max = padRange(xlo, xhi, 0.03)
	p.Y.Min, p.Y.Max = 0, 1.06*top
	if !density {
		p.Y.Tick.Marker = IntegerTicks{}
	}
	return p, nil
}
