package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Forest draws a forest plot: one row per label, top to bottom in the
// order given, a point at the estimate and a horizontal bar from lo to hi
// (a confidence interval), with an optional dashed reference line at ref
// (NaN for none; 0.5 for AUCs, the AUC of a coin flip).
func Forest(labels []string, est, lo, hi []float64, xlabel string, ref float64) (*plot.Plot, error) {
	n := len(labels)
	if len(est) != n || len(lo) != n || len(hi) != n {
		return nil, fmt.Errorf("plots: Forest: %d labels but %d estimates, %d lower and %d upper limits", n, len(est), len(lo), len(hi))
	}
	if n == 0 {
		return nil, fmt.Errorf("plots: Forest: no rows")
	}
	pts := make(plotter.XYs, n)
	errs := make(plotter.XErrors, n)
	for i := range labels {
		if !(lo[i] <= est[i] && est[i] <= hi[i]) {
			return nil, fmt.Errorf("plots: Forest: row %q: interval [%v, %v] does not hold the estimate %v", labels[i], lo[i], hi[i], est[i])
		}
		y := float64(n - 1 - i)
		pts[i] = plotter.XY{X: est[i], Y: y}
		errs[i] = struct{ Low, High float64 }{est[i] - lo[i], hi[i] - est[i]}
	}
	p := newPlot()
	p.X.Label.Text = xlabel
	bars, err := plotter.NewXErrorBars(struct {
		plotter.XYer
		plotter.XErrorer
	}{pts, errs})
	if err != nil {
		return nil, err
	}
	bars.LineStyle.Width = vg.Points(1.5)
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle.Shape = draw.BoxGlyph{}
	sc.GlyphStyle.Radius = vg.Points(3.5)
	p.Add(bars, sc)
	if !math.IsNaN(ref) {
		l, err := plotter.NewLine(plotter.XYs{{X: ref, Y: -0.5}, {X: ref, Y: float64(n) - 0.5}})
		if err != nil {
			return nil, err
		}
		l.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(l)
	}
	ticks := make([]plot.Tick, n)
	for i, s := range labels {
		ticks[i] = plot.Tick{Value: float64(n - 1 - i), Label: s}
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	// Pad the x axis so that no interval ends on the frame.
	xmin, xmax := lo[0], hi[0]
	for i := range lo {
		xmin, xmax = math.Min(xmin, lo[i]), math.Max(xmax, hi[i])
	}
	if !math.IsNaN(ref) {
		xmin, xmax = math.Min(xmin, ref), math.Max(xmax, ref)
	}
	pad := 0.04 * math.Max(xmax-xmin, 1e-9)
	p.X.Min, p.X.Max = xmin-pad, xmax+pad
	p.Add(newGrid())
	return p, nil
}
