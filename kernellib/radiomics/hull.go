package radiomics

import (
	"math"
	"slices"
)

// pruneExtremes keeps, of integer points, those that are the first or last along some
// line parallel to a coordinate axis: a point between two others on such a line is
// not a vertex of their convex hull. Duplicates are removed.
func pruneExtremes(p [][3]int64) [][3]int64 {
	keep := map[[3]int64]bool{}
	for axis := 0; axis < 3; axis++ {
		type ext struct{ lo, hi [3]int64 }
		lines := map[[2]int64]*ext{}
		u, v := (axis+1)%3, (axis+2)%3
		for _, q := range p {
			k := [2]int64{q[u], q[v]}
			e := lines[k]
			if e == nil {
				lines[k] = &ext{q, q}
				continue
			}
			if q[axis] < e.lo[axis] {
				e.lo = q
			}
			if q[axis] > e.hi[axis] {
				e.hi = q
			}
		}
		for _, e := range lines {
			keep[e.lo] = true
			keep[e.hi] = true
		}
	}
	out := make([][3]int64, 0, len(keep))
	for q := range keep {
		out = append(out, q)
	}
	slices.SortFunc(out, func(a, b [3]int64) int {
		for k := 0; k < 3; k++ {
			if a[k] != b[k] {
				if a[k] < b[k] {
					return -1
				}
				return 1
			}
		}
		return 0
	})
	return out
}

// orient3 is the sign of the determinant |b−a, c−a, d−a|: positive when d lies on the
// side of the plane (a, b, c) that its normal (b−a)×(c−a) points to. Exact in int64 for
// coordinates below 2²⁰.
func orient3(a, b, c, d [3]int64) int64 {
	bx, by, bz := b[0]-a[0], b[1]-a[1], b[2]-a[2]
	cx, cy, cz := c[0]-a[0], c[1]-a[1], c[2]-a[2]
	dx, dy, dz := d[0]-a[0], d[1]-a[1], d[2]-a[2]
	return bx*(cy*dz-cz*dy) - by*(cx*dz-cz*dx) + bz*(cx*dy-cy*dx)
}

// convexHull3 returns the triangles of the convex hull of integer points, oriented
// outward, by Quickhull with exact arithmetic. Coplanar or collinear input (no
// tetrahedron) gives nil.
func convexHull3(pts [][3]int64) [][3][3]int64 {
	p := pruneExtremes(pts)
	if len(p) < 4 {
		return nil
	}
	// Initial tetrahedron.
	i0, i1 := 0, -1
	for i := range p {
		if p[i] != p[i0] {
			i1 = i
			break
		}
	}
	if i1 < 0 {
		return nil
	}
	i2 := -1
	for i := range p {
		a, b := p[i1], p[i]
		cx := (a[1]-p[i0][1])*(b[2]-p[i0][2]) - (a[2]-p[i0][2])*(b[1]-p[i0][1])
		cy := (a[2]-p[i0][2])*(b[0]-p[i0][0]) - (a[0]-p[i0][0])*(b[2]-p[i0][2])
		cz := (a[0]-p[i0][0])*(b[1]-p[i0][1]) - (a[1]-p[i0][1])*(b[0]-p[i0][0])
		if cx != 0 || cy != 0 || cz != 0 {
			i2 = i
			break
		}
	}
	if i2 < 0 {
		return nil
	}
	i3 := -1
	for i := range p {
		if orient3(p[i0], p[i1], p[i2], p[i]) != 0 {
			i3 = i
			break
		}
	}
	if i3 < 0 {
		return nil
	}
	// Quickhull (Barber, Dobkin & Huhdanpaa 1996): each face keeps the points above
	// it; the furthest is added, the faces it sees are replaced by a cone from it to
	// their horizon, and their points go to the new faces or, when above none, are
	// inside and dropped.
	type face struct {
		v       [3]int
		alive   bool
		outside []int
	}
	var faces []face
	edges := map[[2]int]int{} // directed edge → face holding it
	addFace := func(a, b, c int) int {
		faces = append(faces, face{v: [3]int{a, b, c}, alive: true})
		f := len(faces) - 1
		edges[[2]int{a, b}] = f
		edges[[2]int{b, c}] = f
		edges[[2]int{c, a}] = f
		return f
	}
	above := func(f, i int) int64 {
		v := faces[f].v
		return orient3(p[v[0]], p[v[1]], p[v[2]], p[i])
	}
	if orient3(p[i0], p[i1], p[i2], p[i3]) > 0 {
		i1, i2 = i2, i1
	}
	// Now i3 lies below (i0, i1, i2): faces point away from it.
	first := []int{addFace(i0, i1, i2), addFace(i0, i3, i1), addFace(i1, i3, i2), addFace(i2, i3, i0)}
	assign := func(pts []int, cands []int) {
		for _, i := range pts {
			for _, f := range cands {
				if above(f, i) > 0 {
					faces[f].outside = append(faces[f].outside, i)
					break
				}
			}
		}
	}
	var rest []int
	for i := range p {
		if i != i0 && i != i1 && i != i2 && i != i3 {
			rest = append(rest, i)
		}
	}
	assign(rest, first)
	stack := append([]int(nil), first...)
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !faces[f].alive || len(faces[f].outside) == 0 {
			continue
		}
		// The furthest point above f.
		best, bd := -1, int64(0)
		for _, i := range faces[f].outside {
			if d := above(f, i); d > bd {
				best, bd = i, d
			}
		}
		// Faces visible from it: a connected patch around f.
		visible := []int{f}
		seen := map[int]bool{f: true}
		for k := 0; k < len(visible); k++ {
			v := faces[visible[k]].v
			for e := 0; e < 3; e++ {
				g, ok := edges[[2]int{v[(e+1)%3], v[e]}]
				if ok && !seen[g] && faces[g].alive && above(g, best) > 0 {
					seen[g] = true
					visible = append(visible, g)
				}
			}
		}
		var horizon [][2]int
		var orphans []int
		for _, g := range visible {
			v := faces[g].v
			for e := 0; e < 3; e++ {
				a, b := v[e], v[(e+1)%3]
				if h, ok := edges[[2]int{b, a}]; ok && !seen[h] {
					horizon = append(horizon, [2]int{a, b})
				}
			}
			for _, i := range faces[g].outside {
				if i != best {
					orphans = append(orphans, i)
				}
			}
			faces[g].alive = false
			faces[g].outside = nil
		}
		for _, g := range visible {
			v := faces[g].v
			for e := 0; e < 3; e++ {
				k := [2]int{v[e], v[(e+1)%3]}
				if edges[k] == g {
					delete(edges, k)
				}
			}
		}
		var fresh []int
		for _, e := range horizon {
			fresh = append(fresh, addFace(e[0], e[1], best))
		}
		assign(orphans, fresh)
		stack = append(stack, fresh...)
	}
	var out [][3][3]int64
	for _, f := range faces {
		if f.alive {
			out = append(out, [3][3]int64{p[f.v[0]], p[f.v[1]], p[f.v[2]]})
		}
	}
	return out
}

// hullMeasures returns the volume and area in mm of a hull of half-voxel integer
// coordinates (mesh.iv), scaled by spacing/2, and its vertices in mm.
func hullMeasures(h [][3][3]int64, sp [3]float64) (vol, area float64, verts [][3]float64) {
	seen := map[[3]int64]bool{}
	mm := func(q [3]int64) [3]float64 {
		return [3]float64{float64(q[0]) * sp[0] / 2, float64(q[1]) * sp[1] / 2, float64(q[2]) * sp[2] / 2}
	}
	for _, t := range h {
		a, b, c := mm(t[0]), mm(t[1]), mm(t[2])
		vol += dot3(a, cross3(b, c))
		x := cross3(sub3(b, a), sub3(c, a))
		area += math.Sqrt(dot3(x, x))
		for _, q := range t {
			if !seen[q] {
				seen[q] = true
				verts = append(verts, mm(q))
			}
		}
	}
	return math.Abs(vol) / 6, area / 2, verts
}

// maxDistance returns the largest distance between two points.
func maxDistance(v [][3]float64) float64 {
	var best float64
	for i := range v {
		for j := i + 1; j < len(v); j++ {
			d := sub3(v[i], v[j])
			best = max(best, dot3(d, d))
		}
	}
	return math.Sqrt(best)
}

// convexHull2 returns the convex hull of 2D points in counter-clockwise order, by
// Andrew's monotone chain (Andrew 1979).
func convexHull2(p [][2]float64) [][2]float64 {
	p = slices.Clone(p)
	slices.SortFunc(p, func(a, b [2]float64) int {
		if a[0] != b[0] {
			if a[0] < b[0] {
				return -1
			}
			return 1
		}
		if a[1] < b[1] {
			return -1
		}
		if a[1] > b[1] {
			return 1
		}
		return 0
	})
	p = slices.Compact(p)
	if len(p) < 3 {
		return p
	}
	cross := func(o, a, b [2]float64) float64 {
		return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0])
	}
	h := make([][2]float64, 0, 2*len(p))
	for _, q := range p {
		for len(h) >= 2 && cross(h[len(h)-2], h[len(h)-1], q) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, q)
	}
	lo := len(h) + 1
	for i := len(p) - 2; i >= 0; i-- {
		q := p[i]
		for len(h) >= lo && cross(h[len(h)-2], h[len(h)-1], q) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, q)
	}
	return h[:len(h)-1]
}
