package roi

import (
	"fmt"
	"image"
	"math"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// Rasterize returns the width×height mask of the pixels whose centres lie inside the
// polygon or on its boundary (Locate ≠ Outside), exactly as
// skimage.draw.polygon(r = Y, c = X, shape = (height, width)) marks them: only the
// pixels of the polygon's bounding box clipped to the image are tested. The polygon
// needs at least one vertex and finite coordinates; fewer than three vertices give
// scikit-image's degenerate masks (package doc). An empty mask is not an error here
// (see NonEmpty).
func Rasterize(p Polygon, width, height int) (*imaging.Mask, error) {
	if width <= 0 || height <= 0 {
		return nil, fmt.Errorf("roi: Rasterize: image size %d×%d; want width and height > 0", width, height)
	}
	if len(p) == 0 {
		return nil, fmt.Errorf("%w: Rasterize: the polygon has no vertices", ErrTooFew)
	}
	if err := p.checkFinite(); err != nil {
		return nil, err
	}
	m := &imaging.Mask{Width: width, Height: height, Depth: 1, Data: make([]bool, width*height)}
	minX, minY, maxX, maxY := p[0].X, p[0].Y, p[0].X, p[0].Y
	for _, v := range p[1:] {
		minX, maxX = math.Min(minX, v.X), math.Max(maxX, v.X)
		minY, maxY = math.Min(minY, v.Y), math.Max(maxY, v.Y)
	}
	// scikit-image: int(max(0, min)) .. min(shape−1, ceil(max)), kept within
	// [−1, shape] before the conversion to int so that far-away vertices cannot
	// overflow it.
	c0, c1 := bound(minX, maxX, width)
	r0, r1 := bound(minY, maxY, height)
	for r := r0; r <= r1; r++ {
		row := m.Data[r*width : (r+1)*width]
		for c := c0; c <= c1; c++ {
			row[c] = p.Locate(float64(c), float64(r)) != Outside
		}
	}
	return m, nil
}

// RasterizeIn rasterises a polygon drawn on a crop of a larger image — the
// Ultrasound Region box of a dual display, say — and returns the mask of the
// whole image (full is its size): the polygon's coordinates are those of the crop
// (its top-left pixel centre at (0, 0)), the crop is rasterised as Rasterize does
// (so parts outside the box are clipped to it) and its mask is placed at
// box.Min. This is the same set of pixels as rasterising the translated polygon
// in the whole image and keeping those in box, without rounding the translated
// vertices. box must lie inside the image.
func RasterizeIn(p Polygon, box image.Rectangle, full image.Point) (*imaging.Mask, error) {
	if box.Empty() || !box.In(image.Rect(0, 0, full.X, full.Y)) {
		return nil, fmt.Errorf("roi: RasterizeIn: box %v does not lie inside the %d×%d image", box, full.X, full.Y)
	}
	m, err := Rasterize(p, box.Dx(), box.Dy())
	if err != nil {
		return nil, err
	}
	out := &imaging.Mask{Width: full.X, Height: full.Y, Depth: 1, Data: make([]bool, full.X*full.Y)}
	for y := 0; y < m.Height; y++ {
		copy(out.Data[(box.Min.Y+y)*full.X+box.Min.X:], m.Data[y*m.Width:(y+1)*m.Width])
	}
	return out, nil
}

// NonEmpty returns an error wrapping ErrEmpty when the mask has no pixel inside,
// naming the polygon and the image size: the polygon lies outside the image or
// between pixel centres.
func NonEmpty(m *imaging.Mask, p Polygon) error {
	if m.Count() == 0 {
		return fmt.Errorf("%w: no pixel centre of the %d×%d image lies inside the polygon %q (x = column, y = row, pixel centres at integers); it lies outside the image or between pixel centres", ErrEmpty, m.Width, m.Height, p.String())
	}
	return nil
}

// Gray returns a 2D mask as an 8-bit image, 255 inside and 0 outside: the PNG form
// of a mask that imaging.ReadMask reads back (non-zero = ROI) and that the synthetic
// cohort's masks use.
func Gray(m *imaging.Mask) (*image.Gray, error) {
	if m == nil || m.Depth != 1 || len(m.Data) != m.Width*m.Height {
		return nil, fmt.Errorf("roi: Gray: want a 2D mask")
	}
	g := image.NewGray(image.Rect(0, 0, m.Width, m.Height))
	for i, in := range m.Data {
		if in {
			g.Pix[i] = 255
		}
	}
	return g, nil
}

// bound returns the pixel range [lo, hi] that scikit-image tests for coordinates in
// [min, max] on an axis of n pixels; lo > hi when there is none.
func bound(min, max float64, n int) (lo, hi int) {
	lo = int(math.Min(math.Max(0, min), float64(n)))
	hi = int(math.Max(-1, math.Min(float64(n-1), math.Ceil(max))))
	return lo, hi
}
