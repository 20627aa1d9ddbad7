package radiomics

import "math"

// GLCM is a grey level co-occurrence matrix (IBSI 3.6): C[(i−1)·Ng + (j−1)] counts the
// pairs of intensity-mask voxels at Chebyshev distance δ along a direction with grey
// levels i and j, counted in both orders (symmetric).
type GLCM struct {
	Ng int
	C  []float64

	scratch []int32 // one-way counts of the current Add, (Ng+1)², level 0 = outside
}

// NewGLCM returns an empty Ng×Ng co-occurrence matrix.
func NewGLCM(ng int) *GLCM { return &GLCM{Ng: ng, C: make([]float64, ng*ng)} }

func (m *GLCM) reset() { clear(m.C) }

func (m *GLCM) add(o texMatrix) {
	for i, v := range o.(*GLCM).C {
		m.C[i] += v
	}
}

func (m *GLCM) features() ([]float64, bool) {
	c, ok := newGLCMCtx(m)
	if !ok {
		return nil, false
	}
	return evalDefs(glcmDefs, c), true
}

// Add counts the co-occurrences of slice z (z ≥ 0: in-plane step d, d[2] = 0) or of
// the whole volume (z = −1) at distance dist·d, in both orders.
func (m *GLCM) Add(r *ROI, z int, d [3]int, dist int) {
	dx, dy, dz := d[0]*dist, d[1]*dist, d[2]*dist
	z0, z1 := 0, r.Nz
	if z >= 0 {
		z0, z1, dz = z, z+1, 0
	}
	// Count each pair once, in the order met, grey level 0 (outside the intensity
	// mask) included, then add both orders of the pairs within the mask.
	n1 := m.Ng + 1
	if len(m.scratch) != n1*n1 {
		m.scratch = make([]int32, n1*n1)
	}
	sc := m.scratch
	clear(sc)
	for zz := z0; zz < z1; zz++ {
		z2 := zz + dz
		if z2 < 0 || z2 >= r.Nz {
			continue
		}
		for y := 0; y < r.Ny; y++ {
			y2 := y + dy
			if y2 < 0 || y2 >= r.Ny {
				continue
			}
			xa, xb := max(0, -dx), min(r.Nx, r.Nx-dx)
			if xa >= xb {
				continue
			}
			row := r.Level[r.Nx*(y+r.Ny*zz)+xa : r.Nx*(y+r.Ny*zz)+xb]
			row2 := r.Level[r.Nx*(y2+r.Ny*z2)+xa+dx : r.Nx*(y2+r.Ny*z2)+xb+dx]
			for x, a := range row {
				sc[int(a)*n1+int(row2[x])]++
			}
		}
	}
	ng := m.Ng
	for i := 1; i <= ng; i++ {
		for j := 1; j <= ng; j++ {
			if c := sc[i*n1+j] + sc[j*n1+i]; c != 0 {
				m.C[(i-1)*ng+j-1] += float64(c)
			}
		}
	}
}

type glcmCell struct {
	i, j float64
	p    float64
}

// glcmCtx holds a normalised GLCM p_ij and its derived distributions (IBSI 3.6).
type glcmCtx struct {
	ng       float64
	cells    []glcmCell // non-zero p_ij
	pi, pj   []float64  // marginals p_i. and p_.j, index i−1
	pSum     []float64  // p_{x+y}(k), index k = i + j
	pDiff    []float64  // p_{x−y}(k), index k = |i − j|
	mui, muj float64    // Σ i p_i., Σ j p_.j
	sdi, sdj float64
	// Entropies (log₂), computed on first use by entropies: marginal HX, joint HXY,
	// HXY1 = −Σ p_ij log₂(p_i. p_.j) and HXY2 = −Σ p_i. p_.j log₂(p_i. p_.j).
	entropyDone         bool
	hx, hxy, hxy1, hxy2 float64
}

func (c *glcmCtx) entropies() {
	if c.entropyDone {
		return
	}
	c.entropyDone = true
	for _, e := range c.cells {
		c.hxy -= plog2p(e.p)
		c.hxy1 -= e.p * math.Log2(c.pi[int(e.i)-1]*c.pj[int(e.j)-1])
	}
	for _, a := range c.pi {
		c.hx -= plog2p(a)
		if a == 0 {
			continue
		}
		for _, b := range c.pj {
			if b > 0 {
				c.hxy2 -= plog2p(a * b)
			}
		}
	}
}

func newGLCMCtx(m *GLCM) (*glcmCtx, bool) {
	var tot float64
	for _, v := range m.C {
		tot += v
	}
	if tot == 0 {
		return nil, false
	}
	ng := m.Ng
	c := &glcmCtx{ng: float64(ng), pi: make([]float64, ng), pj: make([]float64, ng),
		pSum: make([]float64, 2*ng+1), pDiff: make([]float64, ng)}
	for i := 0; i < ng; i++ {
		row := m.C[i*ng : (i+1)*ng]
		for j, v := range row {
			if v == 0 {
				continue
			}
			p := v / tot
			c.cells = append(c.cells, glcmCell{float64(i + 1), float64(j + 1), p})
			c.pi[i] += p
			c.pj[j] += p
			c.pSum[i+j+2] += p
			d := i - j
			if d < 0 {
				d = -d
			}
			c.pDiff[d] += p
		}
	}
	for i := range ng {
		c.mui += float64(i+1) * c.pi[i]
		c.muj += float64(i+1) * c.pj[i]
	}
	for i := range ng {
		c.sdi += (float64(i+1) - c.mui) * (float64(i+1) - c.mui) * c.pi[i]
		c.sdj += (float64(i+1) - c.muj) * (float64(i+1) - c.muj) * c.pj[i]
	}
	c.sdi, c.sdj = math.Sqrt(c.sdi), math.Sqrt(c.sdj)
	return c, true
}

// GLCM features (IBSI 3.6), from the normalised matrix p_ij = C_ij/ΣC, its marginals
// p_i. and p_.j, the sum and difference distributions p_{x+y}(k) = Σ_{i+j=k} p_ij and
// p_{x−y}(k) = Σ_{|i−j|=k} p_ij, and N_g grey levels. Entropies use log₂.
var glcmDefs = []def[*glcmCtx]{
	{"joint_maximum", "GYBY", glcmJointMaximum},
	{"joint_average", "60VM", glcmJointAverage},
	{"joint_variance", "UR99", glcmJointVariance},
	{"joint_entropy", "TU9B", glcmJointEntropy},
	{"difference_average", "TF7R", glcmDifferenceAverage},
	{"difference_variance", "D3YU", glcmDifferenceVariance},
	{"difference_entropy", "NTRS", glcmDifferenceEntropy},
	{"sum_average", "ZGXS", glcmSumAverage},
	{"sum_variance", "OEEB", glcmSumVariance},
	{"sum_entropy", "P6QZ", glcmSumEntropy},
	{"angular_second_moment", "8ZQL", glcmASM},
	{"contrast", "ACUI", glcmContrast},
	{"dissimilarity", "8S9J", glcmDissimilarity},
	{"inverse_difference", "IB1Z", glcmInverseDifference},
	{"normalised_inverse_difference", "NDRX", glcmNormInverseDifference},
	{"inverse_difference_moment", "WF0Z", glcmIDM},
	{"normalised_inverse_difference_moment", "1QCO", glcmNormIDM},
	{"inverse_variance", "E8JP", glcmInverseVariance},
	{"correlation", "NI2N", glcmCorrelation},
	{"autocorrelation", "QWB0", glcmAutocorrelation},
	{"cluster_tendency", "DG8W", glcmClusterTendency},
	{"cluster_shade", "7NFM", glcmClusterShade},
	{"cluster_prominence", "AE86", glcmClusterProminence},
	{"information_correlation_1", "R8DG", glcmInfoCorr1},
	{"information_correlation_2", "JN9H", glcmInfoCorr2},
}

// glcmJointMaximum is the joint maximum (IBSI GYBY): max p_ij.
func glcmJointMaximum(c *glcmCtx) float64 {
	var m float64
	for _, e := range c.cells {
		m = max(m, e.p)
	}
	return m
}

// glcmJointAverage is the joint average (IBSI 60VM): μ = Σ i p_ij.
func glcmJointAverage(c *glcmCtx) float64 { return c.mui }

// glcmJointVariance is the joint variance (IBSI UR99): Σ (i − μ)² p_ij.
func glcmJointVariance(c *glcmCtx) float64 {
	var s float64
	for _, e := range c.cells {
		s += (e.i - c.mui) * (e.i - c.mui) * e.p
	}
	return s
}

// glcmJointEntropy is the joint entropy (IBSI TU9B): −Σ p_ij log₂ p_ij.
func glcmJointEntropy(c *glcmCtx) float64 { c.entropies(); return c.hxy }

func distMean(p []float64, k0 int) float64 {
	var m float64
	for k, v := range p {
		m += float64(k+k0) * v
	}
	return m
}

func distVar(p []float64, k0 int) float64 {
	mu := distMean(p, k0)
	var s float64
	for k, v := range p {
		s += (float64(k+k0) - mu) * (float64(k+k0) - mu) * v
	}
	return s
}

func distEntropy(p []float64) float64 {
	var e float64
	for _, v := range p {
		e -= plog2p(v)
	}
	return e
}

// glcmDifferenceAverage is the difference average (IBSI TF7R): μ_{x−y} = Σ k p_{x−y}(k).
func glcmDifferenceAverage(c *glcmCtx) float64 { return distMean(c.pDiff, 0) }

// glcmDifferenceVariance is the difference variance (IBSI D3YU): Σ (k − μ_{x−y})² p_{x−y}(k).
func glcmDifferenceVariance(c *glcmCtx) float64 { return distVar(c.pDiff, 0) }

// glcmDifferenceEntropy is the difference entropy (IBSI NTRS): −Σ p_{x−y}(k) log₂ p_{x−y}(k).
func glcmDifferenceEntropy(c *glcmCtx) float64 { return distEntropy(c.pDiff) }

// glcmSumAverage is the sum average (IBSI ZGXS): μ_{x+y} = Σ k p_{x+y}(k).
func glcmSumAverage(c *glcmCtx) float64 { return distMean(c.pSum, 0) }

// glcmSumVariance is the sum variance (IBSI OEEB): Σ (k − μ_{x+y})² p_{x+y}(k).
func glcmSumVariance(c *glcmCtx) float64 { return distVar(c.pSum, 0) }

// glcmSumEntropy is the sum entropy (IBSI P6QZ): −Σ p_{x+y}(k) log₂ p_{x+y}(k).
func glcmSumEntropy(c *glcmCtx) float64 { return distEntropy(c.pSum) }

// glcmASM is the angular second moment (IBSI 8ZQL): Σ p_ij².
func glcmASM(c *glcmCtx) float64 {
	var s float64
	for _, e := range c.cells {
		s += e.p * e.p
	}
	return s
}

func glcmSum(c *glcmCtx, f func(i, j float64) float64) float64 {
	var s float64
	for _, e := range c.cells {
		s += f(e.i, e.j) * e.p
	}
	return s
}

// glcmContrast is the contrast (IBSI ACUI): Σ (i − j)² p_ij.
func glcmContrast(c *glcmCtx) float64 {
	return glcmSum(c, func(i, j float64) float64 { return (i - j) * (i - j) })
}

// glcmDissimilarity is the dissimilarity (IBSI 8S9J): Σ |i − j| p_ij.
func glcmDissimilarity(c *glcmCtx) float64 {
	return glcmSum(c, func(i, j float64) float64 { return math.Abs(i - j) })
}

// glcmInverseDifference is the inverse difference (IBSI IB1Z): Σ p_ij/(1 + |i − j|).
func glcmInverseDifference(c *glcmCtx) float64 {
	return glcmSum(c, func(i, j float64) float64 { return 1 / (1 + math.Abs(i-j)) })
}

// glcmNormInverseDifference is the normalised inverse difference (IBSI NDRX):
// Σ p_ij/(1 + |i − j|/N_g).
func glcmNormInverseDifference(c *glcmCtx) float64 {
	return glcmSum(c, func(i, j float64) float64 { return 1 / (1 + math.Abs(i-j)/c.ng) })
}

// glcmIDM is the inverse difference moment (IBSI WF0Z): Σ p_ij/(1 + (i − j)²).
func glcmIDM(c *glcmCtx) float64 {
	return glcmSum(c, func(i, j float64) float64 { return 1 / (1 + (i-j)*(i-j)) })
}

// glcmNormIDM is the normalised inverse difference moment (IBSI 1QCO):
// Σ p_ij/(1 + (i − j)²/N_g²).
func glcmNormIDM(c *glcmCtx) float64 {
	return glcmSum(c, func(i, j float64) float64 { return 1 / (1 + (i-j)*(i-j)/(c.ng*c.ng)) })
}

// glcmInverseVariance is the inverse variance (IBSI E8JP): Σ_{i≠j} p_ij/(i − j)².
func glcmInverseVariance(c *glcmCtx) float64 {
	var s float64
	for k := 1; k < len(c.pDiff); k++ {
		s += c.pDiff[k] / float64(k*k)
	}
	return s
}

// glcmCorrelation is the correlation (IBSI NI2N): Σ (i − μ_i.)(j − μ_.j) p_ij/(σ_i. σ_.j);
// 1 when σ_i. σ_.j = 0 (a single grey level: perfectly self-similar, as PyRadiomics).
func glcmCorrelation(c *glcmCtx) float64 {
	s := glcmSum(c, func(i, j float64) float64 { return (i - c.mui) * (j - c.muj) })
	return ratio(s, c.sdi*c.sdj, 1)
}

// glcmAutocorrelation is the autocorrelation (IBSI QWB0): Σ i j p_ij.
func glcmAutocorrelation(c *glcmCtx) float64 {
	return glcmSum(c, func(i, j float64) float64 { return i * j })
}

func glcmCluster(c *glcmCtx, pow int) float64 {
	return glcmSum(c, func(i, j float64) float64 {
		t := i + j - c.mui - c.muj
		r := 1.0
		for range pow {
			r *= t
		}
		return r
	})
}

// glcmClusterTendency is the cluster tendency (IBSI DG8W): Σ (i + j − μ_i. − μ_.j)² p_ij.
func glcmClusterTendency(c *glcmCtx) float64 { return glcmCluster(c, 2) }

// glcmClusterShade is the cluster shade (IBSI 7NFM): Σ (i + j − μ_i. − μ_.j)³ p_ij.
func glcmClusterShade(c *glcmCtx) float64 { return glcmCluster(c, 3) }

// glcmClusterProminence is the cluster prominence (IBSI AE86): Σ (i + j − μ_i. − μ_.j)⁴ p_ij.
func glcmClusterProminence(c *glcmCtx) float64 { return glcmCluster(c, 4) }

// glcmInfoCorr1 is the first information correlation (IBSI R8DG): (HXY − HXY1)/HX with
// HXY the joint entropy, HXY1 = −Σ p_ij log₂(p_i. p_.j) and HX = −Σ p_i. log₂ p_i.;
// 0 when HX = 0 (a single grey level).
func glcmInfoCorr1(c *glcmCtx) float64 { c.entropies(); return ratio(c.hxy-c.hxy1, c.hx, 0) }

// glcmInfoCorr2 is the second information correlation (IBSI JN9H):
// √(1 − exp(−2(HXY2 − HXY))), HXY2 = −Σ_i Σ_j p_i. p_.j log₂(p_i. p_.j); the argument is
// clamped at 0 against rounding.
func glcmInfoCorr2(c *glcmCtx) float64 {
	c.entropies()
	return math.Sqrt(max(0, 1-math.Exp(-2*(c.hxy2-c.hxy))))
}

// GLCMFeatures returns the GLCM features (IBSI 3.6) of r under every aggregation of
// Settings.Dims, at Chebyshev distance dist.
func (r *ROI) GLCMFeatures(dist int, only2D bool) ([]Feature, error) {
	vals, err := dirAggregates(r, only2D, func() texMatrix { return NewGLCM(r.Ng) },
		func(m texMatrix, z int, d [3]int) { m.(*GLCM).Add(r, z, d, dist) })
	if err != nil {
		return nil, err
	}
	return emitAggregates(nil, FamilyGLCM, glcmDefs, vals), nil
}
