package radiomics

import "slices"

// sizeMatrix is a count matrix over grey level i = 1..Ng and a second index j ≥ 1: run
// length (GLRLM), zone size (GLSZM), zone distance (GLDZM) or dependence count (NGLDM).
// The columns are the distinct j present, in increasing order: c[(i−1)·len(js) + col].
// nv is the number of voxels the matrix was built from (N_v of the percentage features).
type sizeMatrix struct {
	ng int
	js []int
	c  []float64
	nv float64
}

// newSizeMatrixDense builds a matrix from dense counts d[(i−1)·jmax + (j−1)], j = 1..jmax.
func newSizeMatrixDense(ng, jmax int, d []float64, nv float64) *sizeMatrix {
	m := &sizeMatrix{ng: ng, nv: nv}
	used := make([]bool, jmax)
	for i := 0; i < ng; i++ {
		for j, v := range d[i*jmax : (i+1)*jmax] {
			if v != 0 {
				used[j] = true
			}
		}
	}
	col := make([]int, jmax)
	for j, u := range used {
		if u {
			col[j] = len(m.js)
			m.js = append(m.js, j+1)
		}
	}
	nc := len(m.js)
	m.c = make([]float64, ng*nc)
	for i := 0; i < ng; i++ {
		for j, v := range d[i*jmax : (i+1)*jmax] {
			if v != 0 {
				m.c[i*nc+col[j]] += v
			}
		}
	}
	return m
}

// levelIndex is one counted element: grey level and second index.
type levelIndex struct{ level, j int32 }

// newSizeMatrixPairs builds a matrix from a list of (grey level, j) elements.
func newSizeMatrixPairs(ng int, pairs []levelIndex, nv float64) *sizeMatrix {
	jmax := 0
	for _, p := range pairs {
		jmax = max(jmax, int(p.j))
	}
	m := &sizeMatrix{ng: ng, nv: nv}
	col := make([]int32, jmax+1)
	for i := range col {
		col[i] = -1
	}
	for _, p := range pairs {
		col[p.j] = 0
	}
	for j := 1; j <= jmax; j++ {
		if col[j] == 0 {
			col[j] = int32(len(m.js))
			m.js = append(m.js, j)
		}
	}
	nc := len(m.js)
	m.c = make([]float64, ng*nc)
	for _, p := range pairs {
		m.c[int(p.level-1)*nc+int(col[p.j])]++
	}
	return m
}

// merge returns the sum of a and b (IBSI's merging of matrices before feature
// calculation); N_v adds up.
func mergeSize(a, b *sizeMatrix) *sizeMatrix {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	js := slices.Clone(a.js)
	js = append(js, b.js...)
	slices.Sort(js)
	js = slices.Compact(js)
	m := &sizeMatrix{ng: a.ng, js: js, c: make([]float64, a.ng*len(js)), nv: a.nv + b.nv}
	for _, s := range []*sizeMatrix{a, b} {
		k := 0
		for ci, j := range s.js {
			for js[k] != j {
				k++
			}
			for i := 0; i < s.ng; i++ {
				m.c[i*len(js)+k] += s.c[i*len(s.js)+ci]
			}
		}
	}
	return m
}

// sizeCtx holds a sizeMatrix with its totals and marginals.
type sizeCtx struct {
	m    *sizeMatrix
	ns   float64   // Σ c_ij
	ri   []float64 // Σ_j c_ij, index i−1
	rj   []float64 // Σ_i c_ij, index col
	pmui float64   // Σ i p_ij
	pmuj float64   // Σ j p_ij
	nc   int
}

func newSizeCtx(m *sizeMatrix) (*sizeCtx, bool) {
	c := &sizeCtx{m: m, nc: len(m.js), ri: make([]float64, m.ng), rj: make([]float64, len(m.js))}
	for i := 0; i < m.ng; i++ {
		for k := 0; k < c.nc; k++ {
			v := m.c[i*c.nc+k]
			c.ri[i] += v
			c.rj[k] += v
			c.ns += v
		}
	}
	if c.ns == 0 {
		return nil, false
	}
	for i, v := range c.ri {
		c.pmui += float64(i+1) * v / c.ns
	}
	for k, v := range c.rj {
		c.pmuj += float64(m.js[k]) * v / c.ns
	}
	return c, true
}

// sum returns Σ_ij c_ij f(i, j)/N_s.
func (c *sizeCtx) sum(f func(i, j float64) float64) float64 {
	var s float64
	for i := 0; i < c.m.ng; i++ {
		row := c.m.c[i*c.nc : (i+1)*c.nc]
		fi := float64(i + 1)
		for k, v := range row {
			if v != 0 {
				s += v * f(fi, float64(c.m.js[k]))
			}
		}
	}
	return s / c.ns
}

func (c *sizeCtx) sumJ(f func(j float64) float64) float64 {
	var s float64
	for k, v := range c.rj {
		s += v * f(float64(c.m.js[k]))
	}
	return s / c.ns
}

func (c *sizeCtx) sumI(f func(i float64) float64) float64 {
	var s float64
	for i, v := range c.ri {
		s += v * f(float64(i+1))
	}
	return s / c.ns
}

// The sixteen features shared by the GLRLM (IBSI 3.7), GLSZM (3.8), GLDZM (3.9) and
// NGLDM (3.11): with counts c_ij of grey level i and index j (run length, zone size,
// zone distance, dependence count), N_s = Σ c_ij, p_ij = c_ij/N_s, r_i = Σ_j c_ij and
// r_j = Σ_i c_ij. Each family's table names them with its own IBSI identifiers.

// smShort is the short run / small zone / small distance / low dependence emphasis:
// Σ_j r_j/j² / N_s (IBSI 22OV, P001, 0GBI, SODN).
func smShort(c *sizeCtx) float64 { return c.sumJ(func(j float64) float64 { return 1 / (j * j) }) }

// smLong is the long run / large zone / large distance / high dependence emphasis:
// Σ_j r_j j² / N_s (IBSI W4KF, 48P8, MB4I, IMOQ).
func smLong(c *sizeCtx) float64 { return c.sumJ(func(j float64) float64 { return j * j }) }

// smLowGrey is the low grey level emphasis: Σ_i r_i/i² / N_s (IBSI V3SW, XMSY, S1RA, TL9H).
func smLowGrey(c *sizeCtx) float64 { return c.sumI(func(i float64) float64 { return 1 / (i * i) }) }

// smHighGrey is the high grey level emphasis: Σ_i r_i i² / N_s (IBSI G3QZ, 5GN9, K26C, OAE7).
func smHighGrey(c *sizeCtx) float64 { return c.sumI(func(i float64) float64 { return i * i }) }

// smShortLow is the short/small, low grey level emphasis: Σ c_ij/(i² j²) / N_s (IBSI HTZT,
// 5RAI, RUVG, EQ3F).
func smShortLow(c *sizeCtx) float64 {
	return c.sum(func(i, j float64) float64 { return 1 / (i * i * j * j) })
}

// smShortHigh is the short/small, high grey level emphasis: Σ c_ij i²/j² / N_s (IBSI GD3A,
// HW1V, DKNJ, JA6D).
func smShortHigh(c *sizeCtx) float64 {
	return c.sum(func(i, j float64) float64 { return i * i / (j * j) })
}

// smLongLow is the long/large, low grey level emphasis: Σ c_ij j²/i² / N_s (IBSI IVPO,
// YH51, A7WM, NBZI).
func smLongLow(c *sizeCtx) float64 {
	return c.sum(func(i, j float64) float64 { return j * j / (i * i) })
}

// smLongHigh is the long/large, high grey level emphasis: Σ c_ij i² j² / N_s (IBSI 3KUM,
// J17V, KLTH, 9QMG).
func smLongHigh(c *sizeCtx) float64 {
	return c.sum(func(i, j float64) float64 { return i * i * j * j })
}

// smGLNU is the grey level non-uniformity: Σ_i r_i² / N_s (IBSI R5YN, JNSA, VFT7, FP8K).
func smGLNU(c *sizeCtx) float64 {
	var s float64
	for _, v := range c.ri {
		s += v * v
	}
	return s / c.ns
}

// smGLNUNorm is the normalised grey level non-uniformity: Σ_i r_i² / N_s² (IBSI OVBL,
// Y1RO, 7HP3, 5SPA).
func smGLNUNorm(c *sizeCtx) float64 { return smGLNU(c) / c.ns }

// smJNU is the run length / zone size / zone distance / dependence count
// non-uniformity: Σ_j r_j² / N_s (IBSI W92Y, 4JP3, V294, Z87G).
func smJNU(c *sizeCtx) float64 {
	var s float64
	for _, v := range c.rj {
		s += v * v
	}
	return s / c.ns
}

// smJNUNorm is its normalised form: Σ_j r_j² / N_s² (IBSI IC23, VB3A, IATH, OKJI).
func smJNUNorm(c *sizeCtx) float64 { return smJNU(c) / c.ns }

// smPercentage is the run / zone / dependence count percentage: N_s/N_v, with N_v the
// number of voxels counted (summed over merged matrices) (IBSI 9ZK5, P30P, VIWW, 6XV8).
func smPercentage(c *sizeCtx) float64 { return ratio(c.ns, c.m.nv, 0) }

// smGreyVariance is the grey level variance: Σ (i − μ)² p_ij, μ = Σ i p_ij (IBSI 8CE5,
// BYLV, QK93, 1PFV).
func smGreyVariance(c *sizeCtx) float64 {
	return c.sumI(func(i float64) float64 { return (i - c.pmui) * (i - c.pmui) })
}

// smJVariance is the run length / zone size / zone distance / dependence count
// variance: Σ (j − μ)² p_ij, μ = Σ j p_ij (IBSI SXLW, 3NSA, 7WT1, DNX2).
func smJVariance(c *sizeCtx) float64 {
	return c.sumJ(func(j float64) float64 { return (j - c.pmuj) * (j - c.pmuj) })
}

// smEntropy is the run / zone size / zone distance / dependence count entropy:
// −Σ p_ij log₂ p_ij (IBSI HJ9O, GU8N, GBDU, FCBV).
func smEntropy(c *sizeCtx) float64 {
	var e float64
	for _, v := range c.m.c {
		e -= plog2p(v / c.ns)
	}
	return e
}

// smEnergy is the dependence count energy: Σ p_ij² (IBSI CAS9).
func smEnergy(c *sizeCtx) float64 {
	var e float64
	for _, v := range c.m.c {
		e += (v / c.ns) * (v / c.ns)
	}
	return e
}

// sizeDefs builds a family's table of the sixteen shared features with its names and
// identifiers, in IBSI's order.
func sizeDefs(names, ids [16]string) []def[*sizeCtx] {
	fs := [16]func(*sizeCtx) float64{smShort, smLong, smLowGrey, smHighGrey, smShortLow, smShortHigh, smLongLow, smLongHigh,
		smGLNU, smGLNUNorm, smJNU, smJNUNorm, smPercentage, smGreyVariance, smJVariance, smEntropy}
	d := make([]def[*sizeCtx], 16)
	for k := range fs {
		d[k] = def[*sizeCtx]{names[k], ids[k], fs[k]}
	}
	return d
}

// features evaluates defs on m, false when m is empty.
func (m *sizeMatrix) featuresOf(defs []def[*sizeCtx]) ([]float64, bool) {
	if m == nil {
		return nil, false
	}
	c, ok := newSizeCtx(m)
	if !ok {
		return nil, false
	}
	return evalDefs(defs, c), true
}
