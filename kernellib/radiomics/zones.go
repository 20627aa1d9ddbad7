package radiomics

// zone is a connected set of intensity-mask voxels with one grey level (IBSI 3.8): its
// level, its size in voxels and its distance to the edge of the region (IBSI 3.9).
type zone struct {
	level, size, dist int32
}

// linearOffsets returns the index steps of offsets within a box of nx × ny voxels.
func linearOffsets(off [][3]int, nx, ny int) []int {
	d := make([]int, len(off))
	for k, o := range off {
		d[k] = o[0] + nx*(o[1]+ny*o[2])
	}
	return d
}

// inner reports whether voxel (x, y, z) of r's box has every neighbour within
// Chebyshev distance d inside the box (in the plane only when dims = 2).
func (r *ROI) inner(x, y, z, d, dims int) bool {
	return x >= d && y >= d && x < r.Nx-d && y < r.Ny-d && (dims == 2 || (z >= d && z < r.Nz-d))
}

// edgeDistance returns, for every voxel of r's box, its distance to the edge of the
// morphological mask (IBSI 3.9): the fewest steps between face-neighbours (4-connected
// in the plane for dims = 2, 6-connected for dims = 3) from the voxel to a voxel outside
// the mask, so that a voxel on the edge has distance 1; 0 outside the mask. Voxels
// beyond the box (and the image) are outside.
func edgeDistance(r *ROI, dims int) []int32 {
	n := len(r.Morph)
	d := make([]int32, n)
	queue := make([]int32, 0, n)
	steps := [][3]int{{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}}
	if dims == 2 {
		steps = steps[:4]
	}
	lin := linearOffsets(steps, r.Nx, r.Ny)
	nxy := r.Nx * r.Ny
	for i, in := range r.Morph {
		if !in {
			continue
		}
		x, y, z := i%r.Nx, (i/r.Nx)%r.Ny, i/nxy
		edge := !r.inner(x, y, z, 1, dims)
		for k := 0; !edge && k < len(lin); k++ {
			edge = !r.Morph[i+lin[k]]
		}
		if edge {
			d[i] = 1
			queue = append(queue, int32(i))
		}
	}
	for q := 0; q < len(queue); q++ {
		i := int(queue[q])
		x, y, z := i%r.Nx, (i/r.Nx)%r.Ny, i/nxy
		fast := r.inner(x, y, z, 1, dims)
		for k, s := range steps {
			if !fast {
				xx, yy, zz := x+s[0], y+s[1], z+s[2]
				if xx < 0 || yy < 0 || zz < 0 || xx >= r.Nx || yy >= r.Ny || zz >= r.Nz {
					continue
				}
			}
			j := i + lin[k]
			if r.Morph[j] && d[j] == 0 {
				d[j] = d[i] + 1
				queue = append(queue, int32(j))
			}
		}
	}
	return d
}

// zonesOf returns the zones of r: maximal sets of intensity-mask voxels of one grey
// level connected through 8-neighbours in the plane (dims = 2; r must be one slice)
// or 26-neighbours (dims = 3) (IBSI 3.8), each with the smallest edge distance of its
// voxels (edgeDistance; IBSI 3.9).
func zonesOf(r *ROI, dims int) []zone {
	dist := edgeDistance(r, dims)
	seen := make([]bool, len(r.Level))
	off := neighbourOffsets(1, dims)
	lin := linearOffsets(off, r.Nx, r.Ny)
	var zs []zone
	stack := make([]int32, 0, 64)
	nxy := r.Nx * r.Ny
	for start, l := range r.Level {
		if l == 0 || seen[start] {
			continue
		}
		seen[start] = true
		stack = append(stack[:0], int32(start))
		z := zone{level: l, dist: 1 << 30}
		for len(stack) > 0 {
			i := int(stack[len(stack)-1])
			stack = stack[:len(stack)-1]
			z.size++
			z.dist = min(z.dist, dist[i])
			x, y, zz := i%r.Nx, (i/r.Nx)%r.Ny, i/nxy
			if r.inner(x, y, zz, 1, dims) {
				for _, d := range lin {
					if j := i + d; !seen[j] && r.Level[j] == l {
						seen[j] = true
						stack = append(stack, int32(j))
					}
				}
				continue
			}
			for k, o := range off {
				xx, yy, z2 := x+o[0], y+o[1], zz+o[2]
				if xx < 0 || yy < 0 || z2 < 0 || xx >= r.Nx || yy >= r.Ny || z2 >= r.Nz {
					continue
				}
				if j := i + lin[k]; !seen[j] && r.Level[j] == l {
					seen[j] = true
					stack = append(stack, int32(j))
				}
			}
		}
		zs = append(zs, z)
	}
	return zs
}

// zones returns the zones of slice z of r (z ≥ 0, 2D) or of the volume (z = −1, 3D),
// computed once and kept for both the GLSZM and the GLDZM.
func (r *ROI) zones(z int) []zone {
	if zs, ok := r.zoneCache[z]; ok {
		return zs
	}
	var zs []zone
	if z >= 0 {
		zs = zonesOf(r.slice(z), 2)
	} else {
		zs = zonesOf(r, 3)
	}
	if r.zoneCache == nil {
		r.zoneCache = map[int][]zone{}
	}
	r.zoneCache[z] = zs
	return zs
}

// zoneMatrix returns the GLSZM (j the zone size) or, with byDist, the GLDZM (j the zone
// distance) of slice z of r (z = −1: the volume).
func (r *ROI) zoneMatrix(z int, byDist bool) *sizeMatrix {
	zs := r.zones(z)
	ps := make([]levelIndex, len(zs))
	for i, q := range zs {
		if byDist {
			ps[i] = levelIndex{q.level, q.dist}
		} else {
			ps[i] = levelIndex{q.level, q.size}
		}
	}
	nv := 0
	lv := r.Level
	if z >= 0 {
		lv = lv[z*r.Nx*r.Ny : (z+1)*r.Nx*r.Ny]
	}
	for _, l := range lv {
		if l > 0 {
			nv++
		}
	}
	return newSizeMatrixPairs(r.Ng, ps, float64(nv))
}

// sliceAggregates computes feature values under IBSI's three aggregations for
// matrices without direction (IBSI 3.8–3.11): "2D", features of each slice's matrix
// averaged over the slices with a non-empty matrix; "2.5D", features of the sum of the
// slices' matrices; "3D", features of the matrix of the volume. build(z) makes the
// matrix of slice z (z ≥ 0, 2D) or of the volume (z = −1, 3D); eval returns the
// features or false when the matrix is empty.
func sliceAggregates[M any](r *ROI, only2D bool, build func(z int) M, merge func(a, b M) M, eval func(M) ([]float64, bool)) (map[string][]float64, error) {
	out := map[string][]float64{}
	var rows [][]float64
	var all M
	for z := 0; z < r.Nz; z++ {
		m := build(z)
		if v, ok := eval(m); ok {
			rows = append(rows, v)
		}
		if !only2D {
			all = merge(all, m)
		}
	}
	if len(rows) == 0 {
		return nil, ErrTooSmall
	}
	out[Agg2D] = meanOf(rows)
	if only2D {
		return out, nil
	}
	v, ok := eval(all)
	if !ok {
		return nil, ErrTooSmall
	}
	out[Agg25D] = v
	if v, ok = eval(build(-1)); !ok {
		return nil, ErrTooSmall
	}
	out[Agg3D] = v
	return out, nil
}

// GLSZM features (IBSI 3.8), the sixteen shared features with j the zone size.
// IBSI prints no identifier for small zone emphasis in its phantom table; its
// identifier in the feature definition is P001.
var glszmDefs = sizeDefs(
	[16]string{"small_zone_emphasis", "large_zone_emphasis", "low_grey_level_zone_emphasis", "high_grey_level_zone_emphasis",
		"small_zone_low_grey_level_emphasis", "small_zone_high_grey_level_emphasis", "large_zone_low_grey_level_emphasis",
		"large_zone_high_grey_level_emphasis", "grey_level_non_uniformity", "normalised_grey_level_non_uniformity",
		"zone_size_non_uniformity", "normalised_zone_size_non_uniformity", "zone_percentage", "grey_level_variance",
		"zone_size_variance", "zone_size_entropy"},
	[16]string{"P001", "48P8", "XMSY", "5GN9", "5RAI", "HW1V", "YH51", "J17V", "JNSA", "Y1RO", "4JP3", "VB3A", "P30P", "BYLV", "3NSA", "GU8N"})

// GLDZM features (IBSI 3.9), the sixteen shared features with j the zone distance.
var gldzmDefs = sizeDefs(
	[16]string{"small_distance_emphasis", "large_distance_emphasis", "low_grey_level_zone_emphasis", "high_grey_level_zone_emphasis",
		"small_distance_low_grey_level_emphasis", "small_distance_high_grey_level_emphasis", "large_distance_low_grey_level_emphasis",
		"large_distance_high_grey_level_emphasis", "grey_level_non_uniformity", "normalised_grey_level_non_uniformity",
		"zone_distance_non_uniformity", "normalised_zone_distance_non_uniformity", "zone_percentage", "grey_level_variance",
		"zone_distance_variance", "zone_distance_entropy"},
	[16]string{"0GBI", "MB4I", "S1RA", "K26C", "RUVG", "DKNJ", "A7WM", "KLTH", "VFT7", "7HP3", "V294", "IATH", "VIWW", "QK93", "7WT1", "GBDU"})

// GLSZMFeatures returns the GLSZM features (IBSI 3.8) of r: zones 8-connected in each
// slice ("2D", "2.5D") and 26-connected in the volume ("3D").
func (r *ROI) GLSZMFeatures(only2D bool) ([]Feature, error) {
	vals, err := sliceAggregates(r, only2D,
		func(z int) *sizeMatrix { return r.zoneMatrix(z, false) },
		mergeSize,
		func(m *sizeMatrix) ([]float64, bool) { return m.featuresOf(glszmDefs) })
	if err != nil {
		return nil, err
	}
	return emitAggregates(nil, FamilyGLSZM, glszmDefs, vals), nil
}

// GLDZMFeatures returns the GLDZM features (IBSI 3.9) of r: zones as for the GLSZM, the
// distance of a zone being the smallest edge distance of its voxels (edgeDistance, on
// the morphological mask; 4-connected in each slice, 6-connected in the volume).
func (r *ROI) GLDZMFeatures(only2D bool) ([]Feature, error) {
	vals, err := sliceAggregates(r, only2D,
		func(z int) *sizeMatrix { return r.zoneMatrix(z, true) },
		mergeSize,
		func(m *sizeMatrix) ([]float64, bool) { return m.featuresOf(gldzmDefs) })
	if err != nil {
		return nil, err
	}
	return emitAggregates(nil, FamilyGLDZM, gldzmDefs, vals), nil
}
