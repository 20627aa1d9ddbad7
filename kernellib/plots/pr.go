package plots

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// PRSeries is one precision–recall curve to draw: its points in order of
// increasing recall (roc.PRCurve's order) and a legend label.
type PRSeries struct {
	Label     string
	Recall    []float64
	Precision []float64
}

// PR draws precision–recall curves, precision (y) against recall (x), each
// as the step function whose area is the average precision (the precision
// of a point held back to the recall of the point before it; scikit-learn's
// PrecisionRecallDisplay draws the same steps): connecting PR points by
// straight lines would overstate the area (Davis & Goadrich, ICML 2006).
// The dashed horizontal line is the precision of a score that knows
// nothing, the prevalence of cases, when prevalence is in (0, 1).
func PR(series []PRSeries, prevalence float64) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("plots: PR: no curves")
	}
	p := plot.New()
	p.X.Label.Text = "recall (sensitivity)"
	p.Y.Label.Text = "precision (PPV)"
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	if prevalence > 0 && prevalence < 1 {
		if err := addReference(p, plotter.XYs{{X: 0, Y: prevalence}, {X: 1, Y: prevalence}}); err != nil {
			return nil, err
		}
	}
	for i, s := range series {
		if len(s.Recall) != len(s.Precision) || len(s.Recall) == 0 {
			return nil, fmt.Errorf("plots: PR: curve %q has %d recalls and %d precisions", s.Label, len(s.Recall), len(s.Precision))
		}
		if err := checkUnit(s.Label, s.Recall, s.Precision); err != nil {
			return nil, err
		}
		pts := make(plotter.XYs, 0, 2*len(s.Recall))
		prev := 0.0
		for k, r := range s.Recall {
			if r < prev {
				return nil, fmt.Errorf("plots: PR: curve %q: recall %v after %v, want recall increasing", s.Label, r, prev)
			}
			pts = append(pts, plotter.XY{X: prev, Y: s.Precision[k]}, plotter.XY{X: r, Y: s.Precision[k]})
			prev = r
		}
		if _, err := addCurve(p, pts, i, s.Label); err != nil {
			return nil, err
		}
	}
	p.Legend.Top = false
	p.Legend.Left = true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(6), vg.Points(6)
	return p, nil
}

// addReference adds the dashed grey line of what a score that knows nothing
// gives: the chance diagonal of a ROC plot, the perfect-calibration
// diagonal, the prevalence of a PR plot.
func addReference(p *plot.Plot, pts plotter.XYs) error {
	l, err := plotter.NewLine(pts)
	if err != nil {
		return err
	}
	l.LineStyle.Color = color.Gray{Y: 150}
	l.LineStyle.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
	p.Add(l)
	return nil
}

// addCurve adds curve i of a figure, in the i-th colour and dash pattern,
// with its legend label.
func addCurve(p *plot.Plot, pts plotter.XYs, i int, label string) (*plotter.Line, error) {
	l, err := plotter.NewLine(pts)
	if err != nil {
		return nil, err
	}
	l.LineStyle.Color = plotutil.Color(i)
	l.LineStyle.Width = vg.Points(1.6)
	l.LineStyle.Dashes = plotutil.Dashes(i)
	p.Add(l)
	p.Legend.Add(label, l)
	return l, nil
}
