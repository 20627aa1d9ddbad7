package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Histogram draws the distribution of values in bins equal-width bins,
// normalised to a density (area one) when density is true, with dashed
// vertical lines at the marks (e.g. the 2.5 % and 97.5 % quantiles of a
// resampled statistic).
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
	p := plot.New()
	p.X.Label.Text = xlabel
	if density {
		p.Y.Label.Text = "density"
	} else {
		p.Y.Label.Text = "count"
	}
	p.Add(h)
	top := 0.0
	for _, b := range h.Bins {
		top = math.Max(top, b.Weight)
	}
	for _, m := range marks {
		l, err := plotter.NewLine(plotter.XYs{{X: m, Y: 0}, {X: m, Y: top}})
		if err != nil {
			return nil, err
		}
		l.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(l)
	}
	return p, nil
}
