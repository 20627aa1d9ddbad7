package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Journal figure widths at print size (European Radiology and most
// Springer/Elsevier journals): a single column, one and a half columns and
// the full page width. Figures are drawn at these sizes so that their font
// sizes (MinFontSize and up) are the printed ones.
const (
	SingleColumn     = 85 * vg.Millimeter
	OneAndHalfColumn = 120 * vg.Millimeter
	DoubleColumn     = 175 * vg.Millimeter
)

// Font sizes of the theme, in points at print size. Journals ask for no
// text below 6–7 pt after reduction; the smallest here, MinFontSize, is
// what tick labels and legends get.
const (
	MinFontSize   = 7
	LabelFontSize = 8
	TitleFontSize = 9
)

// Margin is the white border Draw keeps around a figure, so that nothing
// (a legend glyph, a tick label, half a box) touches the canvas edge.
const Margin = 2 * vg.Millimeter

// okabeIto is the Okabe–Ito palette (Okabe M. & Ito K., "Color Universal
// Design (CUD): how to make figures and presentations that are friendly to
// colorblind people", 2008, https://jfly.uni-koeln.de/color/), in the
// order series take it: blue, vermillion, bluish green, reddish purple,
// orange, sky blue, black. Yellow (#F0E442) is left out: on white it is too
// pale for a thin line.
var okabeIto = []color.NRGBA{
	{0x00, 0x72, 0xB2, 0xFF}, // blue
	{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	{0xE6, 0x9F, 0x00, 0xFF}, // orange
	{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	{0x00, 0x00, 0x00, 0xFF}, // black
}

// Palette returns the theme's series colours, the Okabe–Ito palette
// (okabeIto), a copy that the caller may change.
func Palette() []color.NRGBA { return append([]color.NRGBA(nil), okabeIto...) }

// SeriesColor is the colour of series i (the palette, cycled).
func SeriesColor(i int) color.NRGBA { return okabeIto[i%len(okabeIto)] }

// seriesDashes are the dash patterns that tell series apart without
// colour (a second cue for grey-scale print and for the colour-blind).
var seriesDashes = [][]vg.Length{
	nil,
	{vg.Points(4), vg.Points(2)},
	{vg.Points(1.2), vg.Points(1.6)},
	{vg.Points(5), vg.Points(2), vg.Points(1.2), vg.Points(2)},
	{vg.Points(8), vg.Points(2.5)},
	{vg.Points(2.5), vg.Points(2.5)},
	{vg.Points(6), vg.Points(2), vg.Points(1.2), vg.Points(2), vg.Points(1.2), vg.Points(2)},
}

// SeriesDashes is the dash pattern of series i (solid for the first).
func SeriesDashes(i int) []vg.Length { return seriesDashes[i%len(seriesDashes)] }

// seriesShapes are the markers of the series, a third cue.
var seriesShapes = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PyramidGlyph{},
	draw.CrossGlyph{}, draw.PlusGlyph{}, draw.RingGlyph{},
}

// SeriesShape is the marker of series i.
func SeriesShape(i int) draw.GlyphDrawer { return seriesShapes[i%len(seriesShapes)] }

// lineWidth is the width of a data line; refWidth of a reference line.
var lineWidth, refWidth = vg.Points(1.2), vg.Points(0.7)

// fontVariant is the theme's typeface: Liberation Sans, metric-compatible
// with Arial/Helvetica, the sans-serif journals ask for.
const fontVariant = "Sans"

// newPlot returns a plot.Plot in the theme: Liberation Sans at print size (title
// TitleFontSize, axis labels LabelFontSize, ticks and legend MinFontSize),
// thin axes, the data kept off the axes (Axis.Padding). Every figure of
// the package starts here.
func newPlot() *plot.Plot {
	p := plot.New()
	for _, f := range []*font.Font{&p.Title.TextStyle.Font, &p.X.Label.TextStyle.Font, &p.Y.Label.TextStyle.Font,
		&p.X.Tick.Label.Font, &p.Y.Tick.Label.Font, &p.Legend.TextStyle.Font} {
		f.Variant = fontVariant
	}
	p.Title.TextStyle.Font.Size = vg.Points(TitleFontSize)
	p.Title.Padding = vg.Points(4)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = vg.Points(LabelFontSize)
		a.Tick.Label.Font.Size = vg.Points(MinFontSize)
		a.Label.Padding = vg.Points(2)
		a.Padding = vg.Points(4)
		a.Width = vg.Points(0.6)
		a.Tick.Width = vg.Points(0.6)
		a.Tick.Length = vg.Points(3)
	}
	p.Legend.TextStyle.Font.Size = vg.Points(MinFontSize)
	p.Legend.ThumbnailWidth = vg.Points(18)
	p.Legend.Padding = vg.Points(1)
	return p
}

// Themed returns a new empty plot in the theme, for a figure this package
// has no function for; draw it with Draw or write it with Save.
func Themed() *plot.Plot { return newPlot() }

// legendGap is the space between a plot and its legend below it.
var legendGap = vg.Points(4)

// layout splits c into the figure's parts as Draw draws them: inside the
// Margin, the plot without its legend (q, drawn into area) and, when p has
// legend entries, the legend's box centred under it (legend).
func layout(p *plot.Plot, c draw.Canvas) (q *plot.Plot, area, legend draw.Canvas) {
	c = draw.Crop(c, Margin, -Margin, Margin, -Margin)
	cp := *p
	cp.Legend = plot.NewLegend()
	r := p.Legend.Rectangle(c)
	h, w := r.Max.Y-r.Min.Y, r.Max.X-r.Min.X
	if h <= 0 {
		return &cp, c, draw.Canvas{}
	}
	// Legend.Draw sets the first entry's text a descent below the top, so
	// the last one's descenders fall that far below Rectangle's height.
	h += p.Legend.TextStyle.FontExtents().Descent
	area = draw.Crop(c, 0, 0, h+legendGap, 0)
	x0 := c.Min.X + max(0, (c.Max.X-c.Min.X-w)/2)
	legend = draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: x0, Y: c.Min.Y}, Max: vg.Point{X: x0 + w, Y: c.Min.Y + h}}}
	return &cp, area, legend
}

// Draw draws p in the theme onto c: a white background to the canvas
// edge, a Margin all round that nothing is drawn into, and p's legend
// (when it has entries) moved out of the data area to a box centred below
// the plot, so that it hides no data. Save and the notebook helpers (nb)
// draw through it.
func Draw(p *plot.Plot, c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	q, area, lg := layout(p, c)
	q.Draw(area)
	if lg.Canvas != nil {
		l := p.Legend
		l.Top, l.Left, l.XOffs, l.YOffs = true, true, 0, 0
		l.Draw(lg)
	}
}

// IntegerTicks marks an axis of counts: ticks only at whole numbers,
// labelled without decimals ("50", never "50.00"), at most seven of them.
type IntegerTicks struct{}

// Ticks returns integer ticks in [min, max] with a step of 1, 2 or 5
// times a power of ten.
func (IntegerTicks) Ticks(min, max float64) []plot.Tick {
	lo, hi := math.Ceil(min), math.Floor(max)
	if hi < lo {
		return nil
	}
	step := 1.0
	for k := 0; (hi-lo)/step > 6; k++ {
		step = []float64{1, 2, 5}[k%3] * math.Pow(10, float64(k/3))
	}
	var ts []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: fmt.Sprintf("%.0f", v)})
	}
	return ts
}

// padRange widens [lo, hi] by frac of its width on each side (by frac of
// 1 when the range is empty), so that data drawn at the ends stay off the
// frame.
func padRange(lo, hi, frac float64) (float64, float64) {
	d := hi - lo
	if d <= 0 {
		d = 1
	}
	return lo - frac*d, hi + frac*d
}

// lighten mixes c with white, frac of the way (0 keeps c, 1 is white).
func lighten(c color.NRGBA, frac float64) color.NRGBA {
	mix := func(v uint8) uint8 { return uint8(float64(v) + frac*(255-float64(v)) + 0.5) }
	return color.NRGBA{R: mix(c.R), G: mix(c.G), B: mix(c.B), A: 255}
}

// newGrid returns the theme's grid: thin light-grey lines at the major
// ticks, behind the data.
func newGrid() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical = draw.LineStyle{Color: color.Gray{Y: 225}, Width: vg.Points(0.4)}
	g.Horizontal = g.Vertical
	return g
}
