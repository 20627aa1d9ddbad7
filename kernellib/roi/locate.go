package roi

// Position is where a point lies relative to a polygon (Locate).
type Position uint8

// Positions, with scikit-image's codes (skimage/_shared/geometry.pxd).
const (
	Outside  Position = 0
	Inside   Position = 1
	OnVertex Position = 2
	OnEdge   Position = 3
)

// vertexEps is scikit-image's tolerance for a point on a vertex.
const vertexEps = 1e-12

// Locate reports where (x, y) lies relative to the polygon: Outside, Inside, OnVertex
// (within 1e-12 of a vertex in both coordinates) or OnEdge. It is scikit-image's
// point_in_polygon (skimage/_shared/geometry.pyx, 0.19), after O'Rourke (1998)
// §7.4: the point is made the origin, and each edge (v[i−1], v[i]) that straddles the
// horizontal line y = 0 counts as a crossing of the rightward ray when it meets the
// line at x > 0 and of the leftward ray when at x < 0, "straddle" being taken with
// the half-open rules y > 0 and y < 0 respectively. Odd right and left counts of the
// same parity: inside; of different parity: on an edge. The arithmetic is that of the
// original, operation for operation (the products rounded before the subtraction),
// so that points on edges are classified identically.
func (p Polygon) Locate(x, y float64) Position {
	n := len(p)
	if n == 0 {
		return Outside
	}
	x1, y1 := p[n-1].X-x, p[n-1].Y-y
	var right, left uint
	for _, v := range p {
		x0, y0 := v.X-x, v.Y-y
		if -vertexEps < x0 && x0 < vertexEps && -vertexEps < y0 && y0 < vertexEps {
			return OnVertex
		}
		if (y0 > 0) != (y1 > 0) {
			// float64() rounds each product, so the compiler cannot fuse them
			// (the Go spec's rule for explicit conversions).
			if (float64(x0*y1)-float64(x1*y0))/(y1-y0) > 0 {
				right++
			}
		}
		if (y0 < 0) != (y1 < 0) {
			if (float64(x0*y1)-float64(x1*y0))/(y1-y0) < 0 {
				left++
			}
		}
		x1, y1 = x0, y0
	}
	if right&1 != left&1 {
		return OnEdge
	}
	if right&1 == 1 {
		return Inside
	}
	return Outside
}
