package radiomics

import "math"

// The surface mesh of a mask (IBSI 3.1.1): marching cubes (Lorensen & Cline 1987) on
// the mask padded with a layer of outside voxels, at iso-level 0.5, so every vertex is
// the midpoint of a grid edge between an inside and an outside voxel centre. The
// triangles of each cube come from a table built here rather than typed in: on each
// face of a cube the crossed edges are joined in pairs (on an ambiguous face, one with
// two diagonal inside corners, each inside corner is cut off, so diagonal voxels are
// not joined through the face, and a face shared by two cubes is split alike in both);
// the segments close into loops, each loop is oriented with its normal pointing out of
// the mask and split into the fan of triangles, from one of its vertices, of largest
// area (a non-planar loop bulges outward, as in the classic tables; on the IBSI
// phantom this mesh is scikit-image's to rounding, and within 0.5% of it on smooth
// random masks). The surface is closed and consistently oriented, so its volume
// follows from the divergence theorem.

// cube corner c sits at (c&1, c>>1&1, c>>2&1).
func cornerPos(c int) [3]int { return [3]int{c & 1, c >> 1 & 1, c >> 2 & 1} }

// cubeEdges lists the 12 edges as corner pairs (a < b).
var cubeEdges = func() [][2]int {
	var e [][2]int
	for a := 0; a < 8; a++ {
		for k := 0; k < 3; k++ {
			if a&(1<<k) == 0 {
				e = append(e, [2]int{a, a | 1<<k})
			}
		}
	}
	return e
}()

func edgeIndex(a, b int) int {
	if a > b {
		a, b = b, a
	}
	for i, e := range cubeEdges {
		if e[0] == a && e[1] == b {
			return i
		}
	}
	return -1
}

// cubeFaces lists each face's corners in cyclic order.
var cubeFaces = func() [][4]int {
	var f [][4]int
	for k := 0; k < 3; k++ {
		u, v := 1<<((k+1)%3), 1<<((k+2)%3)
		for s := 0; s < 2; s++ {
			b := s << k
			f = append(f, [4]int{b, b | u, b | u | v, b | v})
		}
	}
	return f
}()

// mcTable[config] lists the triangles of a cube whose inside corners are the bits of
// config, as edge indices, oriented with outward normals.
var mcTable = func() [256][][3]int {
	var t [256][][3]int
	for cfg := 1; cfg < 255; cfg++ {
		t[cfg] = cubeTriangles(cfg)
	}
	return t
}()

func cubeTriangles(cfg int) [][3]int {
	in := func(c int) bool { return cfg>>c&1 == 1 }
	// Segments on the faces between crossed edges.
	adj := map[int][]int{}
	link := func(a, b int) {
		adj[a] = append(adj[a], b)
		adj[b] = append(adj[b], a)
	}
	for _, f := range cubeFaces {
		var crossed []int // face-edge t joins corners f[t], f[t+1]
		for t := 0; t < 4; t++ {
			if in(f[t]) != in(f[(t+1)%4]) {
				crossed = append(crossed, t)
			}
		}
		switch len(crossed) {
		case 2:
			link(edgeIndex(f[crossed[0]], f[(crossed[0]+1)%4]), edgeIndex(f[crossed[1]], f[(crossed[1]+1)%4]))
		case 4:
			// Cut off each inside corner: join its two face edges.
			for t := 0; t < 4; t++ {
				if in(f[t]) {
					link(edgeIndex(f[(t+3)%4], f[t]), edgeIndex(f[t], f[(t+1)%4]))
				}
			}
		}
	}
	mid := func(e int) [3]float64 {
		a, b := cornerPos(cubeEdges[e][0]), cornerPos(cubeEdges[e][1])
		return [3]float64{float64(a[0]+b[0]) / 2, float64(a[1]+b[1]) / 2, float64(a[2]+b[2]) / 2}
	}
	var tris [][3]int
	used := map[int]bool{}
	for e := 0; e < 12; e++ {
		if used[e] || len(adj[e]) == 0 {
			continue
		}
		// Walk the loop through e.
		loop := []int{e}
		used[e] = true
		prev, cur := -1, e
		for {
			next := adj[cur][0]
			if next == prev || used[next] {
				next = adj[cur][1]
			}
			if used[next] {
				break
			}
			loop = append(loop, next)
			used[next] = true
			prev, cur = cur, next
		}
		// Orient: the Newell normal must point from inside to outside along the
		// loop's first edge.
		var n [3]float64
		for i := range loop {
			p, q := mid(loop[i]), mid(loop[(i+1)%len(loop)])
			n[0] += (p[1] - q[1]) * (p[2] + q[2])
			n[1] += (p[2] - q[2]) * (p[0] + q[0])
			n[2] += (p[0] - q[0]) * (p[1] + q[1])
		}
		a, b := cubeEdges[loop[0]][0], cubeEdges[loop[0]][1]
		if !in(a) {
			a, b = b, a
		}
		pa, pb := cornerPos(a), cornerPos(b)
		var dot float64
		for k := 0; k < 3; k++ {
			dot += n[k] * float64(pb[k]-pa[k])
		}
		if dot < 0 {
			for i, j := 0, len(loop)-1; i < j; i, j = i+1, j-1 {
				loop[i], loop[j] = loop[j], loop[i]
			}
		}
		// Of the fans from each vertex, take the one of largest area.
		best, bestArea := 0, -1.0
		for s := range loop {
			var a float64
			p0 := mid(loop[s])
			for i := 1; i+1 < len(loop); i++ {
				p1, p2 := mid(loop[(s+i)%len(loop)]), mid(loop[(s+i+1)%len(loop)])
				x := cross3(sub3(p1, p0), sub3(p2, p0))
				a += math.Sqrt(dot3(x, x))
			}
			if a > bestArea+1e-9 {
				best, bestArea = s, a
			}
		}
		for i := 1; i+1 < len(loop); i++ {
			tris = append(tris, [3]int{loop[best], loop[(best+i)%len(loop)], loop[(best+i+1)%len(loop)]})
		}
	}
	return tris
}

// mesh is a triangle mesh in mm; vertices may repeat (one copy per cube).
type mesh struct {
	v    [][3]float64
	tris [][3]int32
	// half-voxel integer coordinates of the vertices (2 × position in voxel units,
	// relative to the box), for exact convex hulls.
	iv [][3]int64
}

// marchCubes runs marching cubes over the morphological mask of r, calling emit once
// per cube the surface crosses with the cube's vertices, in half-voxel integer
// coordinates relative to the box (2 × position in voxel units, from −1 to 2·N_k − 1),
// and its triangles as indices into them. The slices are reused between calls.
func marchCubes(r *ROI, emit func(iv [][3]int64, tris [][3]int32)) {
	at := func(x, y, z int) bool {
		if x < 0 || y < 0 || z < 0 || x >= r.Nx || y >= r.Ny || z >= r.Nz {
			return false
		}
		return r.Morph[x+r.Nx*(y+r.Ny*z)]
	}
	var ev [12]int32
	iv := make([][3]int64, 0, 12)
	tris := make([][3]int32, 0, 12)
	for z := -1; z < r.Nz; z++ {
		for y := -1; y < r.Ny; y++ {
			for x := -1; x < r.Nx; x++ {
				cfg := 0
				for c := 0; c < 8; c++ {
					if at(x+(c&1), y+(c>>1&1), z+(c>>2&1)) {
						cfg |= 1 << c
					}
				}
				if cfg == 0 || cfg == 255 {
					continue
				}
				for i := range ev {
					ev[i] = -1
				}
				iv, tris = iv[:0], tris[:0]
				for _, t := range mcTable[cfg] {
					var tri [3]int32
					for k, e := range t {
						if ev[e] < 0 {
							a, b := cornerPos(cubeEdges[e][0]), cornerPos(cubeEdges[e][1])
							ev[e] = int32(len(iv))
							iv = append(iv, [3]int64{int64(2*x + a[0] + b[0]), int64(2*y + a[1] + b[1]), int64(2*z + a[2] + b[2])})
						}
						tri[k] = ev[e]
					}
					tris = append(tris, tri)
				}
				emit(iv, tris)
			}
		}
	}
}

// halfToMM converts half-voxel coordinates to mm.
func halfToMM(q [3]int64, sp [3]float64) [3]float64 {
	return [3]float64{float64(q[0]) * sp[0] / 2, float64(q[1]) * sp[1] / 2, float64(q[2]) * sp[2] / 2}
}

// surfaceMesh returns the marching-cubes mesh of the morphological mask of r whole. It
// takes about 10 vertices and 5 triangles per surface cube (some 300 bytes); the
// morphology features use surfaceStats, which keeps none of it.
func surfaceMesh(r *ROI) *mesh {
	m := &mesh{}
	marchCubes(r, func(iv [][3]int64, tris [][3]int32) {
		o := int32(len(m.v))
		for _, q := range iv {
			m.iv = append(m.iv, q)
			m.v = append(m.v, halfToMM(q, r.Spacing))
		}
		for _, t := range tris {
			m.tris = append(m.tris, [3]int32{t[0] + o, t[1] + o, t[2] + o})
		}
	})
	return m
}

// meshStats are the measures of a surface mesh the morphology features need.
type meshStats struct {
	vol, area float64    // mesh volume and area (volumeArea)
	lo, hi    [3]float64 // extent of the vertices (mm)
	hullPts   [][3]int64 // candidate vertices of the convex hull (pruneExtremes of all vertices)
}

// surfaceStats computes the volume, area and extent of the marching-cubes mesh of r and
// the candidates for its convex hull as the cubes are marched, keeping no mesh: the
// hull candidates are, for each line of half-voxel positions parallel to an axis, the
// first and last vertex on it (what pruneExtremes keeps), tracked in three arrays of
// about 4·N_u·N_v lines each. Memory is O(N_x N_y + N_y N_z + N_x N_z) instead of the
// whole mesh's, and the results are surfaceMesh's to the bit (same triangles, same
// order of summation).
func surfaceStats(r *ROI) meshStats {
	var st meshStats
	for k := 0; k < 3; k++ {
		st.lo[k], st.hi[k] = math.Inf(1), math.Inf(-1)
	}
	// Half-voxel coordinates run from −2 to 2·N_k; shifted by 2 they index 0..2·N_k+2.
	dim := [3]int{2*r.Nx + 3, 2*r.Ny + 3, 2*r.Nz + 3}
	type ext struct{ lo, hi int32 }
	var lines [3][]ext
	for a := 0; a < 3; a++ {
		u, v := (a+1)%3, (a+2)%3
		lines[a] = make([]ext, dim[u]*dim[v])
		for i := range lines[a] {
			lines[a][i] = ext{math.MaxInt32, math.MinInt32}
		}
	}
	var pos [12][3]float64
	var vol, area float64
	marchCubes(r, func(iv [][3]int64, tris [][3]int32) {
		for i, q := range iv {
			pos[i] = halfToMM(q, r.Spacing)
			for k := 0; k < 3; k++ {
				st.lo[k] = min(st.lo[k], pos[i][k])
				st.hi[k] = max(st.hi[k], pos[i][k])
			}
			s := [3]int32{int32(q[0] + 2), int32(q[1] + 2), int32(q[2] + 2)}
			for a := 0; a < 3; a++ {
				u, v := (a+1)%3, (a+2)%3
				e := &lines[a][int(s[u])+dim[u]*int(s[v])]
				e.lo = min(e.lo, s[a])
				e.hi = max(e.hi, s[a])
			}
		}
		for _, t := range tris {
			dv, da := triVolArea(pos[t[0]], pos[t[1]], pos[t[2]])
			vol += dv
			area += da
		}
	})
	st.vol, st.area = math.Abs(vol)/6, area/2
	for a := 0; a < 3; a++ {
		u, v := (a+1)%3, (a+2)%3
		for i, e := range lines[a] {
			if e.lo > e.hi {
				continue
			}
			var q [3]int64
			q[u], q[v] = int64(i%dim[u])-2, int64(i/dim[u])-2
			q[a] = int64(e.lo) - 2
			st.hullPts = append(st.hullPts, q)
			if e.hi != e.lo {
				q[a] = int64(e.hi) - 2
				st.hullPts = append(st.hullPts, q)
			}
		}
		lines[a] = nil
	}
	return st
}

func sub3(a, b [3]float64) [3]float64 { return [3]float64{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }

func cross3(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

func dot3(a, b [3]float64) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }

// volumeArea returns the volume enclosed by the mesh, Σ v₀·(v₁ × v₂)/6 over its
// triangles (IBSI RNU0), and its area, Σ |(v₁ − v₀) × (v₂ − v₀)|/2 (IBSI C0JK).
func (m *mesh) volumeArea() (vol, area float64) {
	for _, t := range m.tris {
		dv, da := triVolArea(m.v[t[0]], m.v[t[1]], m.v[t[2]])
		vol += dv
		area += da
	}
	return math.Abs(vol) / 6, area / 2
}

// triVolArea returns 6 × the signed volume of the tetrahedron (0, a, b, c) and twice the
// area of the triangle (a, b, c).
func triVolArea(a, b, c [3]float64) (vol6, area2 float64) {
	x := cross3(sub3(b, a), sub3(c, a))
	return dot3(a, cross3(b, c)), math.Sqrt(dot3(x, x))
}
