package plots

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
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

// ROC draws ROC curves in the radiology convention: sensitivity (y) against
// 1 − specificity (x), the chance diagonal dashed, each curve in its own
// colour and dash pattern with its optional confidence band behind it
// (gonum/plot has no band; a filled polygon between the limits serves) and
// its operating point when ShowPoint is set.
func ROC(series []ROCSeries) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("plots: ROC: no curves")
	}
	p := plot.New()
	p.X.Label.Text = "1 − specificity"
	p.Y.Label.Text = "sensitivity"
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	if err := addReference(p, plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}}); err != nil {
		return nil, err
	}
	for i, s := range series {
		if len(s.Specificities) != len(s.Sensitivities) || len(s.Sensitivities) == 0 {
			return nil, fmt.Errorf("plots: ROC: curve %q has %d specificities and %d sensitivities", s.Label, len(s.Specificities), len(s.Sensitivities))
		}
		if err := checkUnit(s.Label, s.Specificities, s.Sensitivities); err != nil {
			return nil, err
		}
		col := plotutil.Color(i)
		if len(s.BandSpecificities) > 0 {
			poly, err := band(s)
			if err != nil {
				return nil, err
			}
			r, g, b, _ := col.RGBA()
			poly.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 50}
			poly.LineStyle.Width = 0
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
			sc.GlyphStyle.Shape = draw.CircleGlyph{}
			sc.GlyphStyle.Radius = vg.Points(3.5)
			p.Add(sc)
		}
	}
	p.Legend.Top = false
	p.Legend.Left = false
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(6), vg.Points(6)
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
