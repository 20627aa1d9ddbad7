package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Box draws one Tukey box plot per group (Tukey, "Exploratory Data
// Analysis", 1977; gonum's plotter.BoxPlot: median, quartiles, whiskers to
// the furthest value within 1.5 IQR, the values beyond as points), the
// groups side by side at x = 0, 1, … under their labels. The x axis runs
// from −0.5 to len(labels) − 0.5, so the outer boxes sit whole inside the
// frame, and the y axis is padded beyond the smallest and largest value.
func Box(labels []string, values [][]float64, ylabel string) (*plot.Plot, error) {
	if len(labels) == 0 || len(labels) != len(values) {
		return nil, fmt.Errorf("plots: Box: %d labels for %d groups, want as many and at least one", len(labels), len(values))
	}
	p := newPlot()
	p.Y.Label.Text = ylabel
	lo, hi := math.Inf(1), math.Inf(-1)
	for k, v := range values {
		if len(v) == 0 {
			return nil, fmt.Errorf("plots: Box: group %q has no values", labels[k])
		}
		for i, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("plots: Box: group %q value %d is %v", labels[k], i, x)
			}
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
		b, err := plotter.NewBoxPlot(vg.Points(22), float64(k), plotter.Values(v))
		if err != nil {
			return nil, fmt.Errorf("plots: Box: group %q: %w", labels[k], err)
		}
		b.FillColor = lighten(SeriesColor(k), 0.6)
		b.GlyphStyle.Radius = vg.Points(1.5)
		p.Add(b)
	}
	p.NominalX(labels...)
	p.X.Min, p.X.Max = -0.5, float64(len(labels))-0.5
	p.Y.Min, p.Y.Max = padRange(lo, hi, 0.05)
	p.Add(newGrid())
	return p, nil
}
