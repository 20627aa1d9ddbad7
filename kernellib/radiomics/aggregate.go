package radiomics

import (
	"errors"
	"fmt"
)

// ErrTooSmall: a texture matrix is empty for every slice or direction of an
// aggregation, e.g. a one-voxel region has no pair of neighbours for a GLCM.
var ErrTooSmall = errors.New("radiomics: region too small for the texture matrix")

// Directions2D are the four in-plane directions of IBSI 3.6 (0°, 45°, 90°, 135°), as
// voxel steps (dx, dy, dz).
var Directions2D = [][3]int{{1, 0, 0}, {1, 1, 0}, {0, 1, 0}, {-1, 1, 0}}

// Directions3D are the thirteen directions of a 26-neighbourhood (IBSI 3.6), one of
// each opposite pair: the four in-plane ones, then the nine with dz = 1.
var Directions3D = func() [][3]int {
	d := append([][3]int(nil), Directions2D...)
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			d = append(d, [3]int{dx, dy, 1})
		}
	}
	return d
}()

// texMatrix is a directional texture matrix (GLCM, GLRLM) that can be merged and
// turned into feature values.
type texMatrix interface {
	reset()
	add(o texMatrix)
	// features returns the feature values, or false when the matrix is empty.
	features() ([]float64, bool)
}

// dirAggregates computes the feature values of a directional matrix under the six
// aggregation methods of IBSI 3.6.1: fill(m, z, d) fills m with the counts of slice z
// (z ≥ 0, in-plane direction d) or of the whole volume (z = −1, 3D direction d). When
// only2D is set, the 2.5D and 3D aggregations are left out. Matrices that are empty
// (no pair, no run) are left out of the averages; an aggregation with no non-empty
// matrix is ErrTooSmall.
func dirAggregates(r *ROI, only2D bool, newM func() texMatrix, fill func(m texMatrix, z int, d [3]int)) (map[string][]float64, error) {
	out := map[string][]float64{}
	nd := len(Directions2D)
	perDir := make([]texMatrix, nd)
	for i := range perDir {
		perDir[i] = newM()
	}
	all := newM()
	slice := newM()
	cur := newM()
	var avg, sliceMerged [][]float64
	for z := 0; z < r.Nz; z++ {
		slice.reset()
		for di, d := range Directions2D {
			cur.reset()
			fill(cur, z, d)
			if v, ok := cur.features(); ok {
				avg = append(avg, v)
			}
			slice.add(cur)
			if !only2D {
				perDir[di].add(cur)
			}
		}
		if v, ok := slice.features(); ok {
			sliceMerged = append(sliceMerged, v)
		}
		if !only2D {
			all.add(slice)
		}
	}
	if len(avg) == 0 {
		return nil, fmt.Errorf("%w: no slice has a non-empty matrix", ErrTooSmall)
	}
	out[Agg2DAveraged] = meanOf(avg)
	out[Agg2DSliceMerged] = meanOf(sliceMerged)
	if only2D {
		return out, nil
	}
	var dm [][]float64
	for _, m := range perDir {
		if v, ok := m.features(); ok {
			dm = append(dm, v)
		}
	}
	out[Agg25DDirectionMerged] = meanOf(dm)
	out[Agg25DMerged], _ = all.features()
	all.reset()
	var a3 [][]float64
	for _, d := range Directions3D {
		cur.reset()
		fill(cur, -1, d)
		if v, ok := cur.features(); ok {
			a3 = append(a3, v)
		}
		all.add(cur)
	}
	out[Agg3DAveraged] = meanOf(a3)
	out[Agg3DMerged], _ = all.features()
	return out, nil
}

// aggregationOrder lists the aggregations in IBSI's order.
var aggregationOrder = []string{Agg2DAveraged, Agg2DSliceMerged, Agg25DDirectionMerged, Agg25DMerged, Agg3DAveraged, Agg3DMerged, Agg2D, Agg25D, Agg3D}

// emitAggregates appends the features of every aggregation present in vals, in IBSI's
// order.
func emitAggregates[T any](out []Feature, family string, defs []def[T], vals map[string][]float64) []Feature {
	for _, a := range aggregationOrder {
		if v, ok := vals[a]; ok {
			out = emit(out, family, a, defs, v)
		}
	}
	return out
}

// neighbourOffsets returns the voxel offsets of a Chebyshev neighbourhood of radius d,
// in the plane (dims = 2) or in 3D (dims = 3), the centre excluded.
func neighbourOffsets(d, dims int) [][3]int {
	var o [][3]int
	zr := d
	if dims == 2 {
		zr = 0
	}
	for dz := -zr; dz <= zr; dz++ {
		for dy := -d; dy <= d; dy++ {
			for dx := -d; dx <= d; dx++ {
				if dx != 0 || dy != 0 || dz != 0 {
					o = append(o, [3]int{dx, dy, dz})
				}
			}
		}
	}
	return o
}
