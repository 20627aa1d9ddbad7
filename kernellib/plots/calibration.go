package plots

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// CalibrationSeries is one model's binned calibration curve: per bin the
// mean predicted probability, the observed event fraction and its interval.
type CalibrationSeries struct {
	Label               string
	Predicted, Observed []float64
	Lower, Upper        []float64
}

// Calibration draws calibration curves (Steyerberg, "Clinical Prediction
// Models", 2019, ch. 15): observed event fraction against mean predicted
// probability per bin, with vertical interval bars, and the diagonal of
// perfect calibration.
func Calibration(series []CalibrationSeries) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("plots: Calibration: no curves")
	}
	p := plot.New()
	p.X.Label.Text, p.Y.Label.Text = "predicted probability", "observed fraction"
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	if err := addReference(p, plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}}); err != nil {
		return nil, err
	}
	for i, s := range series {
		n := len(s.Predicted)
		if n == 0 || len(s.Observed) != n || len(s.Lower) != n || len(s.Upper) != n {
			return nil, fmt.Errorf("plots: Calibration: %q has %d predicted, %d observed, %d lower, %d upper values", s.Label, n, len(s.Observed), len(s.Lower), len(s.Upper))
		}
		if err := checkUnit(s.Label, s.Predicted, s.Observed, s.Lower, s.Upper); err != nil {
			return nil, err
		}
		pts := make(plotter.XYs, n)
		errs := make(plotter.YErrors, n)
		for k := range pts {
			if !(s.Lower[k] <= s.Observed[k] && s.Observed[k] <= s.Upper[k]) {
				return nil, fmt.Errorf("plots: Calibration: %q bin %d: interval [%v, %v] does not hold %v", s.Label, k, s.Lower[k], s.Upper[k], s.Observed[k])
			}
			pts[k] = plotter.XY{X: s.Predicted[k], Y: s.Observed[k]}
			errs[k] = struct{ Low, High float64 }{s.Observed[k] - s.Lower[k], s.Upper[k] - s.Observed[k]}
		}
		col := plotutil.Color(i)
		l, sc, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		l.LineStyle.Color, l.LineStyle.Dashes = col, plotutil.Dashes(i)
		sc.GlyphStyle.Color, sc.GlyphStyle.Shape = col, plotutil.Shape(i)
		sc.GlyphStyle.Radius = vg.Points(3)
		bars, err := plotter.NewYErrorBars(struct {
			plotter.XYer
			plotter.YErrorer
		}{pts, errs})
		if err != nil {
			return nil, err
		}
		bars.LineStyle.Color = col
		p.Add(bars, l, sc)
		p.Legend.Add(s.Label, l, sc)
	}
	p.Legend.Top, p.Legend.Left = true, true
	p.Add(plotter.NewGrid())
	return p, nil
}

// DecisionSeries is one model's net benefit at each threshold probability.
type DecisionSeries struct {
	Label      string
	NetBenefit []float64
}

// DecisionCurves draws decision curves (Vickers & Elkin, Med. Decis. Making
// 2006): net benefit against threshold probability for each model, with the
// treat-all curve and the treat-none line (zero). The y axis is clipped
// below at the smaller of −0.05 and the lowest model value, as is usual, so
// that the treat-all curve's plunge does not flatten the figure.
func DecisionCurves(thresholds []float64, models []DecisionSeries, treatAll []float64) (*plot.Plot, error) {
	n := len(thresholds)
	if n == 0 || len(models) == 0 {
		return nil, fmt.Errorf("plots: DecisionCurves: no data")
	}
	if len(treatAll) != n {
		return nil, fmt.Errorf("plots: DecisionCurves: %d thresholds but %d treat-all values", n, len(treatAll))
	}
	p := plot.New()
	p.X.Label.Text, p.Y.Label.Text = "threshold probability", "net benefit"
	lo, hi := -0.05, 0.0
	add := func(label string, y []float64, col color.Color, dashes []vg.Length, width vg.Length) error {
		if len(y) != n {
			return fmt.Errorf("plots: DecisionCurves: %q has %d values for %d thresholds", label, len(y), n)
		}
		pts := make(plotter.XYs, n)
		for k := range pts {
			pts[k] = plotter.XY{X: thresholds[k], Y: y[k]}
			hi = max(hi, y[k])
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		l.LineStyle.Color, l.LineStyle.Dashes, l.LineStyle.Width = col, dashes, width
		p.Add(l)
		p.Legend.Add(label, l)
		return nil
	}
	for i, m := range models {
		if err := add(m.Label, m.NetBenefit, plotutil.Color(i), plotutil.Dashes(i), vg.Points(1.6)); err != nil {
			return nil, err
		}
		for _, v := range m.NetBenefit {
			lo = min(lo, v)
		}
	}
	if err := add("treat all", treatAll, color.Gray{Y: 110}, []vg.Length{vg.Points(1), vg.Points(2)}, vg.Points(1)); err != nil {
		return nil, err
	}
	if err := add("treat none", make([]float64, n), color.Black, nil, vg.Points(0.8)); err != nil {
		return nil, err
	}
	p.Y.Min, p.Y.Max = lo, hi+0.02
	p.X.Min, p.X.Max = thresholds[0], thresholds[n-1]
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	return p, nil
}
