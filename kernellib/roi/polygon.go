package roi

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Sentinel errors; the errors of this package wrap one of them.
var (
	// ErrTooFew: a polygon with fewer vertices than needed.
	ErrTooFew = errors.New("roi: too few vertices")
	// ErrNotFinite: a coordinate is NaN or infinite.
	ErrNotFinite = errors.New("roi: coordinate not finite")
	// ErrSyntax: a polygon string that is not "x1,y1 x2,y2 ...".
	ErrSyntax = errors.New("roi: polygon syntax")
	// ErrEmpty: a polygon with no pixel centre inside the image.
	ErrEmpty = errors.New("roi: empty mask")
)

// Point is a vertex in pixel coordinates: X the column, Y the row, integers at pixel
// centres (see the package doc).
type Point struct{ X, Y float64 }

// Polygon is a closed polygon: its vertices in order, the last joined to the first.
type Polygon []Point

// ParsePolygon reads a polygon written as "x1,y1 x2,y2 ...": vertices separated by
// white space (spaces, tabs, new lines), each an x (column) and a y (row) separated
// by a comma, in the number syntax of strconv.ParseFloat. It checks the syntax only;
// Validate checks the polygon.
func ParsePolygon(s string) (Polygon, error) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return nil, fmt.Errorf("%w: no vertices; want \"x1,y1 x2,y2 x3,y3 ...\" (x = column, y = row, in pixels)", ErrSyntax)
	}
	p := make(Polygon, len(fields))
	for i, f := range fields {
		xs, ys, ok := strings.Cut(f, ",")
		if !ok || strings.Contains(ys, ",") {
			return nil, fmt.Errorf("%w: vertex %d %q: want x,y (two numbers separated by one comma, vertices separated by spaces)", ErrSyntax, i+1, f)
		}
		x, errx := strconv.ParseFloat(xs, 64)
		y, erry := strconv.ParseFloat(ys, 64)
		if errx != nil || erry != nil {
			return nil, fmt.Errorf("%w: vertex %d %q: want x,y as numbers (x = column, y = row, in pixels)", ErrSyntax, i+1, f)
		}
		p[i] = Point{x, y}
	}
	return p, nil
}

// String writes the polygon in the syntax ParsePolygon reads; the numbers are the
// shortest that read back exactly.
func (p Polygon) String() string {
	var b strings.Builder
	for i, v := range p {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatFloat(v.X, 'g', -1, 64))
		b.WriteByte(',')
		b.WriteString(strconv.FormatFloat(v.Y, 'g', -1, 64))
	}
	return b.String()
}

// Validate checks that the polygon can outline an area: at least three vertices, every
// coordinate finite. (Rasterize also takes one or two vertices, as scikit-image does,
// but an ROI drawn with them is a mistake.)
func (p Polygon) Validate() error {
	if len(p) < 3 {
		return fmt.Errorf("%w: the polygon has %d vertices; an ROI needs at least 3", ErrTooFew, len(p))
	}
	return p.checkFinite()
}

func (p Polygon) checkFinite() error {
	for i, v := range p {
		if math.IsNaN(v.X) || math.IsInf(v.X, 0) || math.IsNaN(v.Y) || math.IsInf(v.Y, 0) {
			return fmt.Errorf("%w: vertex %d is (%v, %v); want finite pixel coordinates", ErrNotFinite, i+1, v.X, v.Y)
		}
	}
	return nil
}

// Translate returns the polygon moved by (dx, dy): every vertex (x, y) becomes
// (x+dx, y+dy). It takes a polygon drawn on a crop whose top-left pixel is (dx, dy)
// of the whole image into the whole image's coordinates.
func (p Polygon) Translate(dx, dy float64) Polygon {
	out := make(Polygon, len(p))
	for i, v := range p {
		out[i] = Point{v.X + dx, v.Y + dy}
	}
	return out
}
