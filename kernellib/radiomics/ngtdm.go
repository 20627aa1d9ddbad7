package radiomics

import "math"

// NGTDM is a neighbourhood grey tone difference matrix (IBSI 3.10): for grey level i,
// N[i−1] intensity-mask voxels of level i have at least one neighbour in the intensity
// mask, and S[i−1] = Σ |i − Ā| over them, Ā the mean grey level of those neighbours
// (within Chebyshev distance δ, the voxel itself excluded; neighbours outside the mask
// are left out, so an incomplete neighbourhood still counts).
type NGTDM struct {
	Ng   int
	S, N []float64
}

// NewNGTDM builds the NGTDM of r with neighbourhood radius dist, in the plane for
// dims = 2 (r one slice) or in 3D.
func NewNGTDM(r *ROI, dist, dims int) *NGTDM {
	m := &NGTDM{Ng: r.Ng, S: make([]float64, r.Ng), N: make([]float64, r.Ng)}
	off := neighbourOffsets(dist, dims)
	lin := linearOffsets(off, r.Nx, r.Ny)
	nxy := r.Nx * r.Ny
	for i, l := range r.Level {
		if l == 0 {
			continue
		}
		x, y, z := i%r.Nx, (i/r.Nx)%r.Ny, i/nxy
		var sum, w int
		if r.inner(x, y, z, dist, dims) {
			for _, o := range lin {
				v := int(r.Level[i+o])
				sum += v
				w += b2i(v > 0)
			}
		} else {
			for _, o := range off {
				xx, yy, zz := x+o[0], y+o[1], z+o[2]
				if xx < 0 || yy < 0 || zz < 0 || xx >= r.Nx || yy >= r.Ny || zz >= r.Nz {
					continue
				}
				if v := r.Level[xx+r.Nx*(yy+r.Ny*zz)]; v > 0 {
					sum += int(v)
					w++
				}
			}
		}
		if w == 0 {
			continue
		}
		m.S[l-1] += math.Abs(float64(l) - float64(sum)/float64(w))
		m.N[l-1]++
	}
	return m
}

func mergeNGTDM(a, b *NGTDM) *NGTDM {
	if a == nil {
		return b
	}
	c := &NGTDM{Ng: a.Ng, S: make([]float64, a.Ng), N: make([]float64, a.Ng)}
	for i := range c.S {
		c.S[i] = a.S[i] + b.S[i]
		c.N[i] = a.N[i] + b.N[i]
	}
	return c
}

// ngtdmCtx holds the NGTDM with p_i = n_i/N_{v,c} and the grey levels present.
type ngtdmCtx struct {
	s, p []float64 // over the levels with p_i > 0
	lv   []float64 // those levels
	nvc  float64
	ssum float64 // Σ s_i
	ps   float64 // Σ p_i s_i
}

func (m *NGTDM) ctx() (*ngtdmCtx, bool) {
	c := &ngtdmCtx{}
	for _, n := range m.N {
		c.nvc += n
	}
	if c.nvc == 0 {
		return nil, false
	}
	for i, n := range m.N {
		if n > 0 {
			p := n / c.nvc
			c.p = append(c.p, p)
			c.s = append(c.s, m.S[i])
			c.lv = append(c.lv, float64(i+1))
			c.ssum += m.S[i]
			c.ps += p * m.S[i]
		}
	}
	return c, true
}

func (m *NGTDM) features() ([]float64, bool) {
	c, ok := m.ctx()
	if !ok {
		return nil, false
	}
	return evalDefs(ngtdmDefs, c), true
}

// NGTDM features (IBSI 3.10), with s_i, p_i = n_i/N_{v,c}, N_{v,c} = Σ n_i and sums over
// the N_{g,p} grey levels with p_i > 0.
var ngtdmDefs = []def[*ngtdmCtx]{
	{"coarseness", "QCDE", ngtdmCoarseness},
	{"contrast", "65HE", ngtdmContrast},
	{"busyness", "NQ30", ngtdmBusyness},
	{"complexity", "HDEZ", ngtdmComplexity},
	{"strength", "1X9X", ngtdmStrength},
}

// CoarsenessMax is the coarseness of a region without grey tone differences
// (Σ p_i s_i = 0, e.g. constant intensity), where 1/Σ p_i s_i is unbounded; it is
// PyRadiomics' value.
const CoarsenessMax = 1e6

// ngtdmCoarseness is the coarseness (IBSI QCDE): 1/Σ p_i s_i; CoarsenessMax when the sum is 0.
func ngtdmCoarseness(c *ngtdmCtx) float64 { return ratio(1, c.ps, CoarsenessMax) }

// ngtdmContrast is the contrast (IBSI 65HE):
// [Σ_i Σ_j p_i p_j (i − j)² / (N_{g,p}(N_{g,p} − 1))] · Σ s_i / N_{v,c}; 0 when N_{g,p} = 1.
func ngtdmContrast(c *ngtdmCtx) float64 {
	ngp := float64(len(c.p))
	if ngp < 2 {
		return 0
	}
	var s float64
	for a := range c.p {
		for b := range c.p {
			d := c.lv[a] - c.lv[b]
			s += c.p[a] * c.p[b] * d * d
		}
	}
	return s / (ngp * (ngp - 1)) * c.ssum / c.nvc
}

// ngtdmBusyness is the busyness (IBSI NQ30): Σ p_i s_i / Σ_i Σ_j |i p_i − j p_j|; 0 when
// N_{g,p} = 1 (the denominator vanishes).
func ngtdmBusyness(c *ngtdmCtx) float64 {
	if len(c.p) < 2 {
		return 0
	}
	var d float64
	for a := range c.p {
		for b := range c.p {
			d += math.Abs(c.lv[a]*c.p[a] - c.lv[b]*c.p[b])
		}
	}
	return ratio(c.ps, d, 0)
}

// ngtdmComplexity is the complexity (IBSI HDEZ):
// Σ_i Σ_j |i − j| (p_i s_i + p_j s_j)/(p_i + p_j) / N_{v,c}.
func ngtdmComplexity(c *ngtdmCtx) float64 {
	var s float64
	for a := range c.p {
		for b := range c.p {
			s += math.Abs(c.lv[a]-c.lv[b]) * (c.p[a]*c.s[a] + c.p[b]*c.s[b]) / (c.p[a] + c.p[b])
		}
	}
	return s / c.nvc
}

// ngtdmStrength is the strength (IBSI 1X9X): Σ_i Σ_j (p_i + p_j)(i − j)² / Σ s_i; 0 when
// Σ s_i = 0.
func ngtdmStrength(c *ngtdmCtx) float64 {
	var s float64
	for a := range c.p {
		for b := range c.p {
			d := c.lv[a] - c.lv[b]
			s += (c.p[a] + c.p[b]) * d * d
		}
	}
	return ratio(s, c.ssum, 0)
}

// NGTDMFeatures returns the NGTDM features (IBSI 3.10) of r under the "2D", "2.5D" and
// "3D" aggregations (the first only when only2D).
func (r *ROI) NGTDMFeatures(dist int, only2D bool) ([]Feature, error) {
	vals, err := sliceAggregates(r, only2D,
		func(z int) *NGTDM {
			if z < 0 {
				return NewNGTDM(r, dist, 3)
			}
			return NewNGTDM(r.slice(z), dist, 2)
		},
		mergeNGTDM,
		func(m *NGTDM) ([]float64, bool) { return m.features() })
	if err != nil {
		return nil, err
	}
	return emitAggregates(nil, FamilyNGTDM, ngtdmDefs, vals), nil
}

// NGLDM features (IBSI 3.11): the sixteen shared features with j the dependence count
// (sizematrix.go), and the dependence count energy.
var ngldmDefs = append(sizeDefs(
	[16]string{"low_dependence_emphasis", "high_dependence_emphasis", "low_grey_level_count_emphasis", "high_grey_level_count_emphasis",
		"low_dependence_low_grey_level_emphasis", "low_dependence_high_grey_level_emphasis", "high_dependence_low_grey_level_emphasis",
		"high_dependence_high_grey_level_emphasis", "grey_level_non_uniformity", "normalised_grey_level_non_uniformity",
		"dependence_count_non_uniformity", "normalised_dependence_count_non_uniformity", "dependence_count_percentage",
		"grey_level_variance", "dependence_count_variance", "dependence_count_entropy"},
	[16]string{"SODN", "IMOQ", "TL9H", "OAE7", "EQ3F", "JA6D", "NBZI", "9QMG", "FP8K", "5SPA", "Z87G", "OKJI", "6XV8", "1PFV", "DNX2", "FCBV"}),
	def[*sizeCtx]{"dependence_count_energy", "CAS9", smEnergy})

// ngldm builds the NGLDM of r (IBSI 3.11): for each intensity-mask voxel of grey level
// i, the dependence count j = 1 + the number of its neighbours (Chebyshev distance ≤
// dist, in the plane for dims = 2) in the intensity mask whose grey level differs from
// i by at most alpha.
func ngldm(r *ROI, dist, alpha, dims int) *sizeMatrix {
	off := neighbourOffsets(dist, dims)
	lin := linearOffsets(off, r.Nx, r.Ny)
	jmax := len(off) + 1
	d := make([]float64, r.Ng*jmax)
	nxy := r.Nx * r.Ny
	nv := 0
	a := int32(alpha)
	for i, l := range r.Level {
		if l == 0 {
			continue
		}
		nv++
		x, y, z := i%r.Nx, (i/r.Nx)%r.Ny, i/nxy
		k := 1
		if r.inner(x, y, z, dist, dims) {
			// Branch-free counting: neighbours of random texture defeat prediction.
			for _, o := range lin {
				v := r.Level[i+o]
				e := v - l
				if e < 0 {
					e = -e
				}
				k += b2i(v > 0) & b2i(e <= a)
			}
		} else {
			for _, o := range off {
				xx, yy, zz := x+o[0], y+o[1], z+o[2]
				if xx < 0 || yy < 0 || zz < 0 || xx >= r.Nx || yy >= r.Ny || zz >= r.Nz {
					continue
				}
				if v := r.Level[xx+r.Nx*(yy+r.Ny*zz)]; v > 0 && v-l <= a && l-v <= a {
					k++
				}
			}
		}
		d[int(l-1)*jmax+k-1]++
	}
	return newSizeMatrixDense(r.Ng, jmax, d, float64(nv))
}

// b2i is 1 for true and 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// NGLDMFeatures returns the NGLDM features (IBSI 3.11) of r under the "2D", "2.5D" and
// "3D" aggregations (the first only when only2D).
func (r *ROI) NGLDMFeatures(dist, alpha int, only2D bool) ([]Feature, error) {
	vals, err := sliceAggregates(r, only2D,
		func(z int) *sizeMatrix {
			if z < 0 {
				return ngldm(r, dist, alpha, 3)
			}
			return ngldm(r.slice(z), dist, alpha, 2)
		},
		mergeSize,
		func(m *sizeMatrix) ([]float64, bool) { return m.featuresOf(ngldmDefs) })
	if err != nil {
		return nil, err
	}
	return emitAggregates(nil, FamilyNGLDM, ngldmDefs, vals), nil
}
