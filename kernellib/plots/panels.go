package plots

import (
	"errors"
	"fmt"
	"image"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Panels is a composite figure as journals print them: plots laid out in
// a grid, row by row, each drawn in the theme (Draw) in its own cell under
// a bold panel letter (A, B, … in reading order). A nil plot leaves its
// cell empty and unlettered.
type Panels struct {
	Rows [][]*plot.Plot
}

// letterSize is the size of the panel letters, in points. They are in the
// regular weight: gonum's vgpdf (v0.17) registers an embedded font without
// its style and then asks for it as bold ("undefined font: … B").
const letterSize = 11

// letterStyle is the style of the panel letters.
func letterStyle() text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(font.Font{Typeface: "Liberation", Variant: fontVariant}, vg.Points(letterSize)),
		XAlign:  draw.XLeft,
		YAlign:  draw.YTop,
		Handler: plot.DefaultTextHandler,
	}
}

// cells returns the canvas of each plot (nil plots get an empty canvas)
// within c, and where its letter goes: the grid divided evenly, a strip
// on top of each cell for the letter.
func (f *Panels) cells(c draw.Canvas) (cells [][]draw.Canvas, letters [][]vg.Point, err error) {
	rows, cols := len(f.Rows), 0
	for _, r := range f.Rows {
		cols = max(cols, len(r))
	}
	if rows == 0 || cols == 0 {
		return nil, nil, errors.New("plots: Panels: no panels")
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols}
	strip := letterStyle().Rectangle("A").Size().Y
	for y, r := range f.Rows {
		cells = append(cells, make([]draw.Canvas, len(r)))
		letters = append(letters, make([]vg.Point, len(r)))
		for x := range r {
			t := tiles.At(c, x, y)
			// The letter's top is a Margin below the cell's, so that it
			// reaches down into the panel's Margin, above its content.
			letters[y][x] = vg.Point{X: t.Min.X + Margin, Y: t.Max.Y - Margin}
			cells[y][x] = draw.Crop(t, 0, 0, 0, -strip)
		}
	}
	return cells, letters, nil
}

// Draw draws the composite onto c: a white background, then each panel
// in its cell (Draw, with its Margin) under its letter.
func (f *Panels) Draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	cells, letters, err := f.cells(c)
	if err != nil {
		return
	}
	sty := letterStyle()
	k := 0
	for y, r := range f.Rows {
		for x, p := range r {
			if p == nil {
				continue
			}
			// The panel first: its background would cover the letter,
			// which reaches into the panel's (blank) Margin.
			Draw(p, cells[y][x])
			c.FillText(sty, letters[y][x], string(rune('A'+k)))
			k++
		}
	}
}

// Check applies CheckFigure to every panel at the size of its cell in a
// w×h composite, and the canvas-edge check to the whole composite, in one
// error.
func (f *Panels) Check(w, h vg.Length) error {
	r := newRecorder(w, h)
	cells, _, err := f.cells(draw.New(r))
	if err != nil {
		return err
	}
	var errs []error
	for y, row := range f.Rows {
		for x, p := range row {
			if p == nil {
				continue
			}
			sz := cells[y][x].Size()
			if err := CheckFigure(p, sz.X, sz.Y); err != nil {
				errs = append(errs, fmt.Errorf("panel in row %d, column %d: %w", y+1, x+1, err))
			}
		}
	}
	const dpi = 150
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))
	f.Draw(draw.New(img))
	if err := edgeBlank(img.Image(), int(Margin.Dots(dpi))-1); err != nil {
		errs = append(errs, fmt.Errorf("plots: composite: %w", err))
	}
	return errors.Join(errs...)
}

// SavePanels writes the composite f at w×h in the formats of Save (PDF,
// PNG at dpi with pHYs, SVG, and the TIFF on request) and returns the
// paths written.
func SavePanels(f *Panels, base string, w, h vg.Length, dpi int) ([]string, error) {
	if f == nil {
		return nil, fmt.Errorf("plots: SavePanels %s: nil composite", base)
	}
	if _, _, err := f.cells(draw.New(newRecorder(w, h))); err != nil {
		return nil, err
	}
	return saveDrawing(f.Draw, base, w, h, dpi)
}

// imagePlotter draws an image centred in the data area at its own aspect
// ratio (plotter.Image stretches it to the axes).
type imagePlotter struct{ img image.Image }

// Plot draws the image as large as fits in c, centred.
func (ip imagePlotter) Plot(c draw.Canvas, _ *plot.Plot) {
	b := ip.img.Bounds()
	if b.Empty() {
		return
	}
	cw, ch := c.Max.X-c.Min.X, c.Max.Y-c.Min.Y
	s := min(cw/vg.Length(b.Dx()), ch/vg.Length(b.Dy()))
	w, h := s*vg.Length(b.Dx()), s*vg.Length(b.Dy())
	x0, y0 := c.Min.X+(cw-w)/2, c.Min.Y+(ch-h)/2
	c.DrawImage(vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x0 + w, Y: y0 + h}}, ip.img)
}

// ImagePlot returns a plot, in the theme and without axes, that shows img
// (a montage, a Grad-CAM overlay) at its aspect ratio under title: an
// image panel for Panels.
func ImagePlot(img image.Image, title string) (*plot.Plot, error) {
	if img == nil || img.Bounds().Empty() {
		return nil, errors.New("plots: ImagePlot: no image")
	}
	p := newPlot()
	p.Title.Text = title
	p.HideAxes()
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.Add(imagePlotter{img})
	return p, nil
}
