package radiomics

import "math"

// histCtx is the intensity histogram of the discretised region: the counts H_i of grey
// levels i = 1..N_g and their distribution.
type histCtx struct {
	h  []int
	d  *dist
	ng int
}

// gradient returns the histogram gradient H'_i (IBSI 3.4.20): H₂ − H₁ at i = 1,
// H_Ng − H_{Ng−1} at i = N_g, (H_{i+1} − H_{i−1})/2 elsewhere; 0 for N_g = 1.
func (c *histCtx) gradient() []float64 {
	n := len(c.h)
	g := make([]float64, n)
	if n < 2 {
		return g
	}
	g[0] = float64(c.h[1] - c.h[0])
	g[n-1] = float64(c.h[n-1] - c.h[n-2])
	for i := 1; i < n-1; i++ {
		g[i] = float64(c.h[i+1]-c.h[i-1]) / 2
	}
	return g
}

// Intensity histogram features (IBSI 3.4), on the grey levels of the intensity mask,
// i = 1..N_g with counts H_i and probabilities p_i = H_i/N_v. The first sixteen mirror
// the statistical features (IBSI 3.3) with grey levels for intensities; IBSI prints the
// identifier 1PR8 for both the minimum and the 10th percentile.
var histDefs = []def[*histCtx]{
	{"mean_discretised_intensity", "X6K6", func(c *histCtx) float64 { return statMean(c.d) }},
	{"discretised_intensity_variance", "CH89", func(c *histCtx) float64 { return statVariance(c.d) }},
	{"discretised_intensity_skewness", "88K1", func(c *histCtx) float64 { return statSkewness(c.d) }},
	{"excess_discretised_intensity_kurtosis", "C3I7", func(c *histCtx) float64 { return statKurtosis(c.d) }},
	{"median_discretised_intensity", "WIFQ", func(c *histCtx) float64 { return statMedian(c.d) }},
	{"minimum_discretised_intensity", "1PR8", func(c *histCtx) float64 { return statMinimum(c.d) }},
	{"10th_discretised_intensity_percentile", "1PR8", func(c *histCtx) float64 { return statP10(c.d) }},
	{"90th_discretised_intensity_percentile", "GPMT", func(c *histCtx) float64 { return statP90(c.d) }},
	{"maximum_discretised_intensity", "3NCY", func(c *histCtx) float64 { return statMaximum(c.d) }},
	{"intensity_histogram_mode", "AMMC", histMode},
	{"discretised_intensity_interquartile_range", "WR0O", func(c *histCtx) float64 { return statIQR(c.d) }},
	{"discretised_intensity_range", "5Z3W", func(c *histCtx) float64 { return statRange(c.d) }},
	{"intensity_histogram_mean_absolute_deviation", "D2ZX", func(c *histCtx) float64 { return statMAD(c.d) }},
	{"intensity_histogram_robust_mean_absolute_deviation", "WRZB", func(c *histCtx) float64 { return statRobustMAD(c.d) }},
	{"intensity_histogram_median_absolute_deviation", "4RNL", func(c *histCtx) float64 { return statMedianAD(c.d) }},
	{"intensity_histogram_coefficient_of_variation", "CWYJ", func(c *histCtx) float64 { return statCoV(c.d) }},
	{"intensity_histogram_quartile_coefficient_of_dispersion", "SLWD", func(c *histCtx) float64 { return statQCOD(c.d) }},
	{"discretised_intensity_entropy", "TLU2", histEntropy},
	{"discretised_intensity_uniformity", "BJ5W", histUniformity},
	{"maximum_histogram_gradient", "12CE", histMaxGradient},
	{"maximum_histogram_gradient_intensity", "8E6O", histMaxGradientLevel},
	{"minimum_histogram_gradient", "VQB3", histMinGradient},
	{"minimum_histogram_gradient_intensity", "RHQZ", histMinGradientLevel},
}

// histMode is the intensity histogram mode (IBSI AMMC): the grey level with the largest
// count; among ties, the one closest to the mean (the lower one if two are equally close).
func histMode(c *histCtx) float64 {
	best, bi := -1, 0
	for i, k := range c.h {
		if k > best || (k == best && math.Abs(float64(i+1)-c.d.mean) < math.Abs(float64(bi+1)-c.d.mean)) {
			best, bi = k, i
		}
	}
	return float64(bi + 1)
}

// histEntropy is the discretised intensity entropy (IBSI TLU2): −Σ p_i log₂ p_i.
func histEntropy(c *histCtx) float64 {
	var e float64
	for _, k := range c.h {
		e -= plog2p(float64(k) / float64(c.d.n))
	}
	return e
}

// histUniformity is the discretised intensity uniformity (IBSI BJ5W): Σ p_i².
func histUniformity(c *histCtx) float64 {
	var u float64
	for _, k := range c.h {
		p := float64(k) / float64(c.d.n)
		u += p * p
	}
	return u
}

func argExt(g []float64, sign float64) int {
	bi := 0
	for i, v := range g {
		if sign*v > sign*g[bi] {
			bi = i
		}
	}
	return bi
}

// histMaxGradient is the maximum histogram gradient (IBSI 12CE): max_i H'_i, with the
// gradient H' of histCtx.gradient, in voxel counts.
func histMaxGradient(c *histCtx) float64 { g := c.gradient(); return g[argExt(g, 1)] }

// histMaxGradientLevel is the maximum histogram gradient intensity (IBSI 8E6O): the
// (first) grey level at which H' is largest.
func histMaxGradientLevel(c *histCtx) float64 { return float64(argExt(c.gradient(), 1) + 1) }

// histMinGradient is the minimum histogram gradient (IBSI VQB3): min_i H'_i.
func histMinGradient(c *histCtx) float64 { g := c.gradient(); return g[argExt(g, -1)] }

// histMinGradientLevel is the minimum histogram gradient intensity (IBSI RHQZ): the
// (first) grey level at which H' is smallest.
func histMinGradientLevel(c *histCtx) float64 { return float64(argExt(c.gradient(), -1) + 1) }

// histogram returns the counts of grey levels 1..Ng in the intensity mask.
func (r *ROI) histogram() []int {
	h := make([]int, r.Ng)
	for _, l := range r.Level {
		if l > 0 {
			h[l-1]++
		}
	}
	return h
}

// Histogram returns the intensity histogram features (IBSI 3.4) of r.
func (r *ROI) Histogram() []Feature {
	h := r.histogram()
	c := &histCtx{h: h, d: newDistCounts(h), ng: r.Ng}
	return emit(nil, FamilyHistogram, "", histDefs, evalDefs(histDefs, c))
}
