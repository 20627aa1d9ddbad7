package radiomics

import (
	"fmt"
	"math"
)

// contour is the boundary of a 2D mask by marching squares at iso-level 0.5 (the 2D
// counterpart of mesh.go): oriented segments between midpoints of pixel-centre edges,
// the mask on their left; on a square with two diagonal inside corners each inside
// corner is cut off, as on an ambiguous cube face.
type contour struct {
	seg [][2][2]float64 // segment end points in mm
}

func marchingSquares(r *ROI) *contour {
	c := &contour{}
	at := func(x, y int) bool {
		if x < 0 || y < 0 || x >= r.Nx || y >= r.Ny {
			return false
		}
		return r.Morph[x+r.Nx*y]
	}
	sx, sy := r.Spacing[0], r.Spacing[1]
	// Corners counter-clockwise (x right, y up in the maths sense): 0 (0,0), 1 (1,0),
	// 2 (1,1), 3 (0,1); edge t joins corner t and t+1.
	cx := [4]int{0, 1, 1, 0}
	cy := [4]int{0, 0, 1, 1}
	for y := -1; y < r.Ny; y++ {
		for x := -1; x < r.Nx; x++ {
			var in [4]bool
			n := 0
			for t := 0; t < 4; t++ {
				in[t] = at(x+cx[t], y+cy[t])
				if in[t] {
					n++
				}
			}
			if n == 0 || n == 4 {
				continue
			}
			mid := func(t int) [2]float64 {
				u := (t + 1) % 4
				return [2]float64{(float64(2*x+cx[t]+cx[u]) / 2) * sx, (float64(2*y+cy[t]+cy[u]) / 2) * sy}
			}
			// Each run t..s of inside corners, counter-clockwise, is cut off by a
			// segment between the midpoints of the edges s→s+1 (inside to outside)
			// and t−1→t (outside to inside). Run from the first to the second, it is
			// the closing side of the counter-clockwise polygon of the cut-off part,
			// so the inside lies on its left in every square alike.
			for t := 0; t < 4; t++ {
				prev := (t + 3) % 4
				if !in[t] || in[prev] {
					continue
				}
				// t starts a run of inside corners; find its end s.
				s := t
				for in[(s+1)%4] {
					s = (s + 1) % 4
				}
				// Entry edge: prev→t (outside to inside); exit edge: s→s+1.
				a, b := mid(s), mid(prev)
				c.seg = append(c.seg, [2][2]float64{a, b})
			}
		}
	}
	return c
}

// areaPerimeter returns the signed area enclosed (shoelace over the segments) and the
// total length of the contour.
func (c *contour) areaPerimeter() (area, perim float64) {
	for _, s := range c.seg {
		area += s[0][0]*s[1][1] - s[1][0]*s[0][1]
		perim += math.Hypot(s[1][0]-s[0][0], s[1][1]-s[0][1])
	}
	return area / 2, perim
}

// shape2DCtx holds what the 2D shape features are computed from.
type shape2DCtx struct {
	area, perim float64
	pixelArea   float64
	lambda      [3]float64
	diameter    float64
	bbox        [2]float64
	hullArea    float64
	hullPerim   float64
	com         float64
	meanInt     float64
}

func (r *ROI) shape2DCtx() *shape2DCtx {
	c := &shape2DCtx{}
	ct := marchingSquares(r)
	a, p := ct.areaPerimeter()
	c.area, c.perim = math.Abs(a), p
	c.pixelArea = float64(r.NumMorph()) * r.Spacing[0] * r.Spacing[1]
	var pts [][2]float64
	lo := [2]float64{math.Inf(1), math.Inf(1)}
	hi := [2]float64{math.Inf(-1), math.Inf(-1)}
	for _, s := range ct.seg {
		for _, q := range s {
			pts = append(pts, q)
			for k := 0; k < 2; k++ {
				lo[k] = min(lo[k], q[k])
				hi[k] = max(hi[k], q[k])
			}
		}
	}
	c.bbox = [2]float64{hi[0] - lo[0], hi[1] - lo[1]}
	h := convexHull2(pts)
	for i := range h {
		q, s := h[i], h[(i+1)%len(h)]
		c.hullArea += q[0]*s[1] - s[0]*q[1]
		c.hullPerim += math.Hypot(s[0]-q[0], s[1]-q[1])
		for j := i + 1; j < len(h); j++ {
			c.diameter = max(c.diameter, math.Hypot(h[j][0]-q[0], h[j][1]-q[1]))
		}
	}
	c.hullArea = math.Abs(c.hullArea) / 2
	c.lambda = r.principal(2)
	c.com = r.centreOfMassShift()
	c.meanInt = newDist(r.intensities()).mean
	return c
}

// 2D shape features, for a one-slice image (B-mode). IBSI 3.1 defines morphology in 3D
// only; these are its 2D counterparts (as PyRadiomics' shape2D), from the
// marching-squares contour of the mask (area A, perimeter P) and the principal
// components λ₁ ≥ λ₂ of its pixel centres. They carry no IBSI identifier; each
// function names the 3D feature it mirrors.
var shape2DDefs = []def[*shape2DCtx]{
	{"area_mesh", "", shapeArea},
	{"area_pixel_counting", "", shapePixelArea},
	{"perimeter", "", shapePerimeter},
	{"perimeter_to_area_ratio", "", shapePerimeterToArea},
	{"circularity", "", shapeCircularity},
	{"maximum_2d_diameter", "", func(c *shape2DCtx) float64 { return c.diameter }},
	{"major_axis_length", "", func(c *shape2DCtx) float64 { return 4 * math.Sqrt(c.lambda[0]) }},
	{"minor_axis_length", "", func(c *shape2DCtx) float64 { return 4 * math.Sqrt(c.lambda[1]) }},
	{"elongation", "", func(c *shape2DCtx) float64 { return math.Sqrt(ratio(c.lambda[1], c.lambda[0], 1)) }},
	{"area_density_axis_aligned_bounding_box", "", func(c *shape2DCtx) float64 { return ratio(c.area, c.bbox[0]*c.bbox[1], 0) }},
	{"area_density_convex_hull", "", func(c *shape2DCtx) float64 { return ratio(c.area, c.hullArea, 0) }},
	{"perimeter_density_convex_hull", "", func(c *shape2DCtx) float64 { return ratio(c.perim, c.hullPerim, 0) }},
	{"centre_of_mass_shift", "", func(c *shape2DCtx) float64 { return c.com }},
	{"integrated_intensity", "", func(c *shape2DCtx) float64 { return c.area * c.meanInt }},
}

// shapeArea is the area enclosed by the contour, mm² (2D counterpart of RNU0).
func shapeArea(c *shape2DCtx) float64 { return c.area }

// shapePixelArea is N_v · pixel area, mm² (2D counterpart of YEKZ).
func shapePixelArea(c *shape2DCtx) float64 { return c.pixelArea }

// shapePerimeter is the contour length P, mm (2D counterpart of C0JK).
func shapePerimeter(c *shape2DCtx) float64 { return c.perim }

// shapePerimeterToArea is P/A, mm⁻¹ (2D counterpart of 2PR5).
func shapePerimeterToArea(c *shape2DCtx) float64 { return ratio(c.perim, c.area, 0) }

// shapeCircularity is 2√(πA)/P, 1 for a disc (2D counterpart of sphericity QCFX;
// PyRadiomics' 2D "Sphericity").
func shapeCircularity(c *shape2DCtx) float64 { return ratio(2*math.Sqrt(math.Pi*c.area), c.perim, 0) }

// Shape2D returns the 2D shape features of a one-slice region.
func (r *ROI) Shape2D() ([]Feature, error) {
	if r.Nz > 1 {
		return nil, fmt.Errorf("%w: 2D shape features need a one-slice region, this one spans %d slices", ErrInput, r.Nz)
	}
	c := r.shape2DCtx()
	return emit(nil, FamilyMorphology, "", shape2DDefs, evalDefs(shape2DDefs, c)), nil
}
