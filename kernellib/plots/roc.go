package plots

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ROCSeries is one ROC curve to draw: its points as sensitivity against
// specificity (in any order along the curve, e.g. roc.Curve's), a legend
// label, and an optional confidence band: the lower and upper limits of the
// sensitivity at the band's specificities (pROC's ci.se shape).
type ROCSeries struct {
	Label         string
	Specificities []float64
	Sensitivities []float64
	// Band, when its slices are non-empty, is drawn as a translucent area.
	BandSpecificities []float64
	BandLower         []float64
	BandUpper         []float64
	// ShowPoint marks the operating point (PointSpecificity, PointSensitivity).
	ShowPoint                          bool
	PointSpecificity, PointSensitivity float64
}

// maxFilledBands is the most curves whose confidence bands ROC fills;
// bandAlpha their opacity (of 255): light, so that two overlapping bands
// stay readable and do not mix into a third colour.
const (
	maxFilledBands = 2
	bandAlpha      = 38
)

// ROC draws ROC curves in the radiology convention: sensitivity (y) against
// 1 − specificity (x), the chance diagonal dashed, each curve in its own
// colour, dash pattern and marker (theme.go) with its optional confidence
// band behind it (gonum/plot has no band; a polygon between the limits
// serves) and its operating point when ShowPoint is set. With up to
// maxFilledBands curves a band is a light fill of its curve's colour; with
// more, where fills would overlap and mix, it is outlined by thin dotted
// lines in that colour (ROCPanels draws one panel per curve instead).
func ROC(series []ROCSeries) (*plot.Plot, error) { return rocPlot(series, 0) }

// ROCPanels draws the small-multiples form of ROC for many curves: one
// plot per curve, each with its filled band, in that curve's colour, dash
// pattern and marker (the i-th of the theme, as in ROC) and titled with
// its label, for Panels to lay out side by side.
func ROCPanels(series []ROCSeries) ([]*plot.Plot, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("plots: ROCPanels: no curves")
	}
	out := make([]*plot.Plot, len(series))
	for i, s := range series {
		p, err := rocPlot([]ROCSeries{s}, i)
		if err != nil {
			return nil, err
		}
		p.Title.Text = s.Label
		p.Legend = plot.NewLegend() // the title names the curve
		out[i] = p
	}
	return out, nil
}

// rocPlot is ROC with the curves styled as the theme's series first,
// first+1, ….
func rocPlot(series []ROCSeries, first int) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("plots: ROC: no curves")
	}
	p := newPlot()
	p.X.Label.Text = "1 − specificity"
	p.Y.Label.Text = "sensitivity"
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	if err := addReference(p, plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}}); err != nil {
		return nil, err
	}
	for j, s := range series {
		i := first + j
		if len(s.Specificities) != len(s.Sensitivities) || len(s.Sensitivities) == 0 {
			return nil, fmt.Errorf("plots: ROC: curve %q has %d specificities and %d sensitivities", s.Label, len(s.Specificities), len(s.Sensitivities))
		}
		if err := checkUnit(s.Label, s.Specificities, s.Sensitivities); err != nil {
			return nil, err
		}
		col := SeriesColor(i)
		if len(s.BandSpecificities) > 0 {
			poly, err := band(s)
			if err != nil {
				return nil, err
			}
			if len(series) <= maxFilledBands {
				poly.Color = color.NRGBA{R: col.R, G: col.G, B: col.B, A: bandAlpha}
				poly.LineStyle.Width = 0
			} else {
				poly.Color = nil
				poly.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(0.5), Dashes: []vg.Length{vg.Points(1), vg.Points(1.5)}}
			}
			p.Add(poly)
		}
		pts := make(plotter.XYs, len(s.Specificities))
		for k := range pts {
			pts[k] = plotter.XY{X: 1 - s.Specificities[k], Y: s.Sensitivities[k]}
		}
		if _, err := addCurve(p, pts, i, s.Label); err != nil {
			return nil, err
		}
		if s.ShowPoint {
			if err := checkUnit(s.Label, []float64{s.PointSpecificity, s.PointSensitivity}); err != nil {
				return nil, err
			}
			sc, err := plotter.NewScatter(plotter.XYs{{X: 1 - s.PointSpecificity, Y: s.PointSensitivity}})
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle.Color = col
			sc.GlyphStyle.Shape = SeriesShape(i)
			sc.GlyphStyle.Radius = vg.Points(2.5)
			p.Add(sc)
		}
	}
	return p, nil
}

func checkUnit(label string, xs ...[]float64) error {
	for _, x := range xs {
		for _, v := range x {
			if !(v >= 0 && v <= 1) {
				return fmt.Errorf("plots: ROC: curve %q has a value %v outside [0, 1]", label, v)
			}
		}
	}
	return nil
}

// band builds the polygon between the lower and upper limits.
func band(s ROCSeries) (*plotter.Polygon, error) {
	n := len(s.BandSpecificities)
	if len(s.BandLower) != n || len(s.BandUpper) != n {
		return nil, fmt.Errorf("plots: ROC: band of %q has %d specificities, %d lower and %d upper limits", s.Label, n, len(s.BandLower), len(s.BandUpper))
	}
	if err := checkUnit(s.Label, s.BandSpecificities, s.BandLower, s.BandUpper); err != nil {
		return nil, err
	}
	ring := make(plotter.XYs, 0, 2*n)
	for k := 0; k < n; k++ {
		if s.BandLower[k] > s.BandUpper[k] {
			return nil, fmt.Errorf("plots: ROC: band of %q: lower limit %v above upper %v", s.Label, s.BandLower[k], s.BandUpper[k])
		}
		ring = append(ring, plotter.XY{X: 1 - s.BandSpecificities[k], Y: s.BandUpper[k]})
	}
	for k := n - 1; k >= 0; k-- {
		ring = append(ring, plotter.XY{X: 1 - s.BandSpecificities[k], Y: s.BandLower[k]})
	}
	return plotter.NewPolygon(ring)
}
