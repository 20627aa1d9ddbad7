package radiomics

import "math"

// GLRLM is a grey level run length matrix (IBSI 3.7): R[(i−1)·Lmax + (j−1)] counts the
// runs of grey level i and length j along one direction, a run being a maximal line of
// consecutive intensity-mask voxels with the same grey level. Nv counts the
// intensity-mask voxels of the slices or volume it was built from.
type GLRLM struct {
	Ng, Lmax int
	R        []float64
	Nv       float64
}

// NewGLRLM returns an empty matrix for Ng grey levels and runs up to lmax voxels.
func NewGLRLM(ng, lmax int) *GLRLM { return &GLRLM{Ng: ng, Lmax: lmax, R: make([]float64, ng*lmax)} }

func (m *GLRLM) reset() { clear(m.R); m.Nv = 0 }

func (m *GLRLM) add(o texMatrix) {
	b := o.(*GLRLM)
	for i, v := range b.R {
		m.R[i] += v
	}
	m.Nv += b.Nv
}

func (m *GLRLM) features() ([]float64, bool) {
	return newSizeMatrixDense(m.Ng, m.Lmax, m.R, m.Nv).featuresOf(glrlmDefs)
}

// Add counts the runs of slice z (z ≥ 0, in-plane step d) or of the whole volume
// (z = −1) along d, and adds the slice's or volume's intensity-mask voxels to Nv.
func (m *GLRLM) Add(r *ROI, z int, d [3]int) {
	z0, z1 := 0, r.Nz
	dx, dy, dz := d[0], d[1], d[2]
	if z >= 0 {
		z0, z1, dz = z, z+1, 0
	}
	inside := func(x, y, zz int) bool {
		return x >= 0 && x < r.Nx && y >= 0 && y < r.Ny && zz >= z0 && zz < z1
	}
	// steps returns how many voxels a line from (x, y, zz) along d has in the region.
	steps := func(x, y, zz int) int {
		n := math.MaxInt
		for k, c := range [3]int{x, y, zz} {
			lo, hi := 0, [3]int{r.Nx, r.Ny, z1}[k]
			if k == 2 {
				lo = z0
			}
			switch s := [3]int{dx, dy, dz}[k]; {
			case s > 0:
				n = min(n, (hi-1-c)/s+1)
			case s < 0:
				n = min(n, (c-lo)/(-s)+1)
			}
		}
		return n
	}
	step := dx + r.Nx*(dy+r.Ny*dz)
	lm := m.Lmax
	for zz := z0; zz < z1; zz++ {
		for y := 0; y < r.Ny; y++ {
			base := r.Nx * (y + r.Ny*zz)
			for x := 0; x < r.Nx; x++ {
				if r.Level[base+x] > 0 {
					m.Nv++
				}
				if inside(x-dx, y-dy, zz-dz) {
					continue
				}
				// (x, y, zz) starts a line along d.
				idx := base + x
				var cur int32
				n := 0
				for range steps(x, y, zz) {
					l := r.Level[idx]
					if l != cur {
						if cur > 0 {
							m.R[int(cur-1)*lm+n-1]++
						}
						cur, n = l, 0
					}
					n++
					idx += step
				}
				if cur > 0 {
					m.R[int(cur-1)*lm+n-1]++
				}
			}
		}
	}
}

// GLRLM features (IBSI 3.7): the sixteen shared run/zone features (sizematrix.go) with
// j the run length.
var glrlmDefs = sizeDefs(
	[16]string{"short_runs_emphasis", "long_runs_emphasis", "low_grey_level_run_emphasis", "high_grey_level_run_emphasis",
		"short_run_low_grey_level_emphasis", "short_run_high_grey_level_emphasis", "long_run_low_grey_level_emphasis",
		"long_run_high_grey_level_emphasis", "grey_level_non_uniformity", "normalised_grey_level_non_uniformity",
		"run_length_non_uniformity", "normalised_run_length_non_uniformity", "run_percentage", "grey_level_variance",
		"run_length_variance", "run_entropy"},
	[16]string{"22OV", "W4KF", "V3SW", "G3QZ", "HTZT", "GD3A", "IVPO", "3KUM", "R5YN", "OVBL", "W92Y", "IC23", "9ZK5", "8CE5", "SXLW", "HJ9O"})

// GLRLMFeatures returns the GLRLM features (IBSI 3.7) of r under the six aggregations
// (the 2D ones only when only2D).
func (r *ROI) GLRLMFeatures(only2D bool) ([]Feature, error) {
	lmax := max(r.Nx, r.Ny, r.Nz)
	vals, err := dirAggregates(r, only2D, func() texMatrix { return NewGLRLM(r.Ng, lmax) },
		func(m texMatrix, z int, d [3]int) { m.(*GLRLM).Add(r, z, d) })
	if err != nil {
		return nil, err
	}
	return emitAggregates(nil, FamilyGLRLM, glrlmDefs, vals), nil
}
