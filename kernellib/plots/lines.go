package plots

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Lines draws curves y_k(x) sharing one x axis, each in its own colour and
// dash pattern with its legend label, and an optional vertical marker at
// each of marks (e.g. phase boundaries or a cursor).
func Lines(x []float64, ys [][]float64, labels []string, xlabel, ylabel string, marks ...float64) (*plot.Plot, error) {
	if len(ys) == 0 || len(x) == 0 {
		return nil, fmt.Errorf("plots: Lines: no data")
	}
	if len(labels) != len(ys) {
		return nil, fmt.Errorf("plots: Lines: %d curves but %d labels", len(ys), len(labels))
	}
	p := newPlot()
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	lo, hi := 0.0, 0.0
	for k, y := range ys {
		if len(y) != len(x) {
			return nil, fmt.Errorf("plots: Lines: curve %q has %d values for %d x values", labels[k], len(y), len(x))
		}
		pts := make(plotter.XYs, len(x))
		for i := range x {
			pts[i] = plotter.XY{X: x[i], Y: y[i]}
			if (k == 0 && i == 0) || y[i] < lo {
				lo = y[i]
			}
			if (k == 0 && i == 0) || y[i] > hi {
				hi = y[i]
			}
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, fmt.Errorf("plots: Lines: curve %q: %w", labels[k], err)
		}
		l.LineStyle.Color = SeriesColor(k)
		l.LineStyle.Dashes = SeriesDashes(k)
		l.LineStyle.Width = lineWidth
		p.Add(l)
		p.Legend.Add(labels[k], l)
	}
	for _, m := range marks {
		l, err := plotter.NewLine(plotter.XYs{{X: m, Y: lo}, {X: m, Y: hi}})
		if err != nil {
			return nil, err
		}
		l.LineStyle.Dashes = []vg.Length{vg.Points(2), vg.Points(3)}
		p.Add(l)
	}
	p.Add(newGrid())
	p.Y.Min, p.Y.Max = padRange(lo, hi, 0.04)
	return p, nil
}
