package plots

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"os/exec"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// op is one drawing operation a recorder saw: its kind ("stroke", "fill",
// "text", "image"), its bounding box on the canvas, and for text the font
// size and the string.
type op struct {
	kind string
	box  vg.Rectangle
	size vg.Length
	text string
}

// affine is a 2-D affine map x' = a·x + b·y + c, y' = d·x + e·y + f.
type affine struct{ a, b, c, d, e, f float64 }

func (m affine) mul(n affine) affine {
	return affine{
		m.a*n.a + m.b*n.d, m.a*n.b + m.b*n.e, m.a*n.c + m.b*n.f + m.c,
		m.d*n.a + m.e*n.d, m.d*n.b + m.e*n.e, m.d*n.c + m.e*n.f + m.f,
	}
}

func (m affine) apply(p vg.Point) vg.Point {
	x, y := float64(p.X), float64(p.Y)
	return vg.Point{X: vg.Length(m.a*x + m.b*y + m.c), Y: vg.Length(m.d*x + m.e*y + m.f)}
}

// recorder is a vg.Canvas that draws nothing and records the bounding box
// of every operation, through the canvas transforms.
type recorder struct {
	w, h  vg.Length
	m     affine
	stack []affine
	width vg.Length
	ops   []op
}

func newRecorder(w, h vg.Length) *recorder {
	return &recorder{w: w, h: h, m: affine{a: 1, e: 1}}
}

func (r *recorder) Size() (vg.Length, vg.Length)       { return r.w, r.h }
func (r *recorder) SetLineWidth(w vg.Length)           { r.width = w }
func (r *recorder) SetLineDash([]vg.Length, vg.Length) {}
func (r *recorder) SetColor(color.Color)               {}
func (r *recorder) Push()                              { r.stack = append(r.stack, r.m) }
func (r *recorder) Pop() {
	if n := len(r.stack); n > 0 {
		r.m, r.stack = r.stack[n-1], r.stack[:n-1]
	}
}
func (r *recorder) Translate(p vg.Point) {
	r.m = r.m.mul(affine{a: 1, c: float64(p.X), e: 1, f: float64(p.Y)})
}
func (r *recorder) Rotate(rad float64) {
	s, c := math.Sincos(rad)
	r.m = r.m.mul(affine{a: c, b: -s, d: s, e: c})
}
func (r *recorder) Scale(x, y float64) { r.m = r.m.mul(affine{a: x, e: y}) }

// bounds returns the box of pts through the transform, widened by pad.
func (r *recorder) bounds(pts []vg.Point, pad vg.Length) vg.Rectangle {
	inf := vg.Length(math.Inf(1))
	b := vg.Rectangle{Min: vg.Point{X: inf, Y: inf}, Max: vg.Point{X: -inf, Y: -inf}}
	for _, p := range pts {
		q := r.m.apply(p)
		b.Min.X, b.Min.Y = min(b.Min.X, q.X-pad), min(b.Min.Y, q.Y-pad)
		b.Max.X, b.Max.Y = max(b.Max.X, q.X+pad), max(b.Max.Y, q.Y+pad)
	}
	return b
}

func pathPoints(p vg.Path) []vg.Point {
	var pts []vg.Point
	for _, c := range p {
		switch c.Type {
		case vg.MoveComp, vg.LineComp:
			pts = append(pts, c.Pos)
		case vg.ArcComp:
			rad := c.Radius
			pts = append(pts, vg.Point{X: c.Pos.X - rad, Y: c.Pos.Y - rad}, vg.Point{X: c.Pos.X + rad, Y: c.Pos.Y + rad})
		case vg.CurveComp:
			pts = append(pts, c.Pos)
			pts = append(pts, c.Control...)
		}
	}
	return pts
}

func (r *recorder) Stroke(p vg.Path) {
	if pts := pathPoints(p); len(pts) > 0 && r.width > 0 {
		r.ops = append(r.ops, op{kind: "stroke", box: r.bounds(pts, r.width/2)})
	}
}

func (r *recorder) Fill(p vg.Path) {
	if pts := pathPoints(p); len(pts) > 0 {
		r.ops = append(r.ops, op{kind: "fill", box: r.bounds(pts, 0)})
	}
}

func (r *recorder) FillString(f font.Face, pt vg.Point, s string) {
	e := f.Extents()
	w := f.Width(s)
	box := r.bounds([]vg.Point{{X: pt.X, Y: pt.Y - e.Descent}, {X: pt.X + w, Y: pt.Y + e.Ascent}}, 0)
	r.ops = append(r.ops, op{kind: "text", box: box, size: f.Font.Size, text: s})
}

func (r *recorder) DrawImage(rect vg.Rectangle, _ image.Image) {
	r.ops = append(r.ops, op{kind: "image", box: r.bounds([]vg.Point{rect.Min, rect.Max}, 0)})
}

// dataTolerance is how far a data element may reach beyond the data
// rectangle: a marker's radius and half its outline at a data point on
// the frame. The theme's Axis.Padding (4 pt) keeps this much room between
// the data rectangle and the axis lines.
var dataTolerance = vg.Points(3.5)

// CheckFigure draws p in the theme (Draw) at w×h and reports, joined in one
// error, every way it breaks the figure rules the theme promises:
//
//   - an element of the data (what p's plotters draw) reaching more than
//     dataTolerance beyond the data rectangle, the rectangle the axes span
//     from Min to Max (a box cut by the frame, bars running off the top);
//   - the legend overlapping the data rectangle;
//   - text smaller than MinFontSize points;
//   - anything but background in the Margin around the canvas, checked on
//     the pixels of a 150 dpi rendering (antialiasing included), so that
//     nothing touches the canvas edge.
//
// The data are told from the axes by drawing p and, on a second recorder,
// the same plot without its plotters: the operations the first drawing has
// beyond the second's are the data's (plot.Plot draws the axes first).
func CheckFigure(p *plot.Plot, w, h vg.Length) error {
	if p == nil {
		return errors.New("plots: CheckFigure: nil plot")
	}
	var errs []error
	full := newRecorder(w, h)
	dc := draw.New(full)
	q, area, legend := layout(p, dc)
	dataC := q.DataCanvas(area)
	q.Draw(area)
	bare := newRecorder(w, h)
	axes := plot.New()
	axes.Title, axes.X, axes.Y, axes.BackgroundColor, axes.TextHandler = q.Title, q.X, q.Y, q.BackgroundColor, q.TextHandler
	_, barea, _ := layout(axes, draw.New(bare))
	axes.Draw(barea)
	n := len(bare.ops)
	if n > len(full.ops) {
		return fmt.Errorf("plots: CheckFigure: the plot without data draws %d operations, with data %d", n, len(full.ops))
	}
	for i := 0; i < n; i++ {
		if full.ops[i].kind != bare.ops[i].kind {
			return fmt.Errorf("plots: CheckFigure: cannot tell the axes from the data: operation %d is %s with data, %s without", i, full.ops[i].kind, bare.ops[i].kind)
		}
	}
	frame := dataC.Rectangle
	tol := dataTolerance
	for _, o := range full.ops[n:] {
		b := o.box
		if b.Min.X < frame.Min.X-tol || b.Max.X > frame.Max.X+tol || b.Min.Y < frame.Min.Y-tol || b.Max.Y > frame.Max.Y+tol {
			errs = append(errs, fmt.Errorf("a data %s spans x %.1f..%.1f pt, y %.1f..%.1f pt, beyond the data rectangle x %.1f..%.1f, y %.1f..%.1f (tolerance %.1f pt)",
				o.kind, b.Min.X, b.Max.X, b.Min.Y, b.Max.Y, frame.Min.X, frame.Max.X, frame.Min.Y, frame.Max.Y, tol))
			break
		}
	}
	if legend.Canvas != nil {
		l := legend.Rectangle
		if l.Min.X < frame.Max.X && l.Max.X > frame.Min.X && l.Min.Y < frame.Max.Y && l.Max.Y > frame.Min.Y {
			errs = append(errs, fmt.Errorf("the legend (x %.1f..%.1f, y %.1f..%.1f pt) overlaps the data rectangle", l.Min.X, l.Max.X, l.Min.Y, l.Max.Y))
		}
	}
	all := newRecorder(w, h)
	Draw(p, draw.New(all))
	for _, o := range all.ops {
		if o.kind == "text" && o.size < vg.Points(MinFontSize)-1e-9 {
			errs = append(errs, fmt.Errorf("text %q at %.1f pt, below %d pt", o.text, o.size.Points(), MinFontSize))
			break
		}
	}
	if err := checkEdges(p, w, h); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return fmt.Errorf("plots: figure %q: %w", p.Title.Text, errors.Join(errs...))
	}
	return nil
}

// checkEdges renders p at 150 dpi and checks that the Margin band around
// the canvas, less one pixel for rounding, is white.
func checkEdges(p *plot.Plot, w, h vg.Length) error {
	const dpi = 150
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))
	Draw(p, draw.New(c))
	return edgeBlank(c.Image(), int(Margin.Dots(dpi))-1)
}

// edgeBlank reports the first pixel within band pixels of img's edge that
// is not white.
func edgeBlank(img image.Image, band int) error {
	b := img.Bounds()
	band = max(1, band)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if x >= b.Min.X+band && x < b.Max.X-band && y >= b.Min.Y+band && y < b.Max.Y-band {
				x = b.Max.X - band - 1
				continue
			}
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xff00 || g < 0xff00 || bl < 0xff00 {
				return fmt.Errorf("pixel (%d, %d) of %d × %d, within %d px of the edge, is drawn (%d, %d, %d)", x, y, b.Dx(), b.Dy(), band, r>>8, g>>8, bl>>8)
			}
		}
	}
	return nil
}

// ErrNoPDFInfo is returned by CheckPDF where pdfinfo (poppler-utils) is
// not installed.
var ErrNoPDFInfo = errors.New("plots: pdfinfo (poppler-utils) not installed")

// CheckPDF opens the PDF at path with poppler's pdfinfo and checks that it
// parses without error and has one page, that its text reads back
// ungarbled (pdftotext: no "â€", "âˆ", "Ã" of UTF-8 read as WinAnsi) and
// that every font it uses is embedded (pdffonts, the "emb" column). It
// returns ErrNoPDFInfo where poppler-utils is not installed.
func CheckPDF(path string) error {
	info, err := exec.LookPath("pdfinfo")
	if err != nil {
		return ErrNoPDFInfo
	}
	out, err := exec.Command(info, path).CombinedOutput()
	if err != nil {
		return fmt.Errorf("plots: pdfinfo %s: %v\n%s", path, err, out)
	}
	if s := string(out); !strings.Contains(s, "Pages:") || strings.Contains(s, "Syntax Error") {
		return fmt.Errorf("plots: pdfinfo %s:\n%s", path, out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "Pages:" && f[1] != "1" {
			return fmt.Errorf("plots: %s has %s pages, want 1", path, f[1])
		}
	}
	// Text drawn as UTF-8 bytes in a WinAnsi font reads back as "â€“",
	// "âˆ’" (see pdfCanvas).
	if totext, err := exec.LookPath("pdftotext"); err == nil {
		out, err := exec.Command(totext, "-enc", "UTF-8", path, "-").CombinedOutput()
		if err != nil {
			return fmt.Errorf("plots: pdftotext %s: %v\n%s", path, err, out)
		}
		for _, bad := range []string{"â€", "âˆ", "Ã", "Â"} {
			if strings.Contains(string(out), bad) {
				return fmt.Errorf("plots: %s: text garbled (%q) — UTF-8 drawn in a WinAnsi font:\n%s", path, bad, out)
			}
		}
	}
	fonts, err := exec.LookPath("pdffonts")
	if err != nil {
		return nil
	}
	out, err = exec.Command(fonts, path).CombinedOutput()
	if err != nil {
		return fmt.Errorf("plots: pdffonts %s: %v\n%s", path, err, out)
	}
	// Columns: name type encoding emb sub uni object ID; the first two
	// lines are the header.
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for _, l := range lines[min(2, len(lines)):] {
		f := strings.Fields(l)
		if len(f) >= 7 && f[len(f)-5] != "yes" {
			return fmt.Errorf("plots: %s: font not embedded: %s", path, l)
		}
	}
	return nil
}
