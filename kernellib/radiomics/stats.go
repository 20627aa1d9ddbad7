package radiomics

import (
	"math"
	"slices"
	"sort"
)

// dist is the distribution of the intensities (or grey levels) of a region, as the
// distinct values in increasing order and their counts, with its moments precomputed.
type dist struct {
	val  []float64 // distinct values, increasing
	cnt  []int     // their counts
	cum  []int     // cum[i] = cnt[0] + ... + cnt[i]
	n    int
	mean float64
	m2   float64 // central moments, divided by n
	m3   float64
	m4   float64
	sum2 float64 // Σ X²
}

// newDist builds the distribution of the values. Integer values spanning a modest range
// are counted; others sorted.
func newDist(x []float64) *dist {
	d := &dist{n: len(x)}
	if len(x) == 0 {
		return d
	}
	lo, hi := x[0], x[0]
	integer := true
	for _, v := range x {
		lo = min(lo, v)
		hi = max(hi, v)
		if integer && v != math.Trunc(v) {
			integer = false
		}
	}
	if integer && hi-lo < 1<<20 {
		c := make([]int, int(hi-lo)+1)
		for _, v := range x {
			c[int(v-lo)]++
		}
		for i, k := range c {
			if k > 0 {
				d.val = append(d.val, lo+float64(i))
				d.cnt = append(d.cnt, k)
			}
		}
	} else {
		s := slices.Clone(x)
		slices.Sort(s)
		for i := 0; i < len(s); {
			j := i
			for j < len(s) && s[j] == s[i] {
				j++
			}
			d.val = append(d.val, s[i])
			d.cnt = append(d.cnt, j-i)
			i = j
		}
	}
	d.finish()
	return d
}

// newDistCounts builds the distribution of grey levels 1..len(h) with counts h.
func newDistCounts(h []int) *dist {
	d := &dist{}
	for i, k := range h {
		if k > 0 {
			d.val = append(d.val, float64(i+1))
			d.cnt = append(d.cnt, k)
			d.n += k
		}
	}
	d.finish()
	return d
}

func (d *dist) finish() {
	d.n = 0
	d.cum = make([]int, len(d.cnt))
	var s float64
	for i, k := range d.cnt {
		d.n += k
		d.cum[i] = d.n
		s += float64(k) * d.val[i]
		d.sum2 += float64(k) * d.val[i] * d.val[i]
	}
	if d.n == 0 {
		return
	}
	nf := float64(d.n)
	d.mean = s / nf
	for i, k := range d.cnt {
		e := d.val[i] - d.mean
		e2 := e * e
		d.m2 += float64(k) * e2
		d.m3 += float64(k) * e2 * e
		d.m4 += float64(k) * e2 * e2
	}
	d.m2 /= nf
	d.m3 /= nf
	d.m4 /= nf
}

// at returns the k-th smallest value (0-based).
func (d *dist) at(k int) float64 {
	i := sort.SearchInts(d.cum, k+1)
	return d.val[i]
}

// percentile returns the q-th quantile (0 ≤ q ≤ 1) by linear interpolation between
// order statistics: with h = (N − 1)q, X_(⌊h⌋) + (h − ⌊h⌋)(X_(⌊h⌋+1) − X_(⌊h⌋)) (Hyndman &
// Fan 1996, definition 7; NumPy's and R's default). IBSI 3.3 leaves the interpolation
// open; on integer data where it matters the choice is stated with the feature.
func (d *dist) percentile(q float64) float64 {
	h := float64(d.n-1) * q
	k := int(math.Floor(h))
	lo := d.at(k)
	if k+1 >= d.n {
		return lo
	}
	return lo + (h-float64(k))*(d.at(k+1)-lo)
}

func (d *dist) variance() float64 { return d.m2 }

func (d *dist) skewness() float64 {
	if d.m2 == 0 {
		return 0
	}
	return d.m3 / math.Pow(d.m2, 1.5)
}

func (d *dist) kurtosis() float64 {
	if d.m2 == 0 {
		return 0
	}
	return d.m4/(d.m2*d.m2) - 3
}

func (d *dist) minimum() float64 { return d.val[0] }
func (d *dist) maximum() float64 { return d.val[len(d.val)-1] }

// meanAbsDev returns 1/N Σ |X − c|.
func (d *dist) meanAbsDev(c float64) float64 {
	var s float64
	for i, k := range d.cnt {
		s += float64(k) * math.Abs(d.val[i]-c)
	}
	return s / float64(d.n)
}

// robustMAD returns the mean absolute deviation from their mean of the values between
// the 10th and 90th percentiles (inclusive).
func (d *dist) robustMAD() float64 {
	p10, p90 := d.percentile(0.1), d.percentile(0.9)
	var s float64
	n := 0
	for i, k := range d.cnt {
		if v := d.val[i]; v >= p10 && v <= p90 {
			s += float64(k) * v
			n += k
		}
	}
	if n == 0 {
		return 0
	}
	mu := s / float64(n)
	var a float64
	for i, k := range d.cnt {
		if v := d.val[i]; v >= p10 && v <= p90 {
			a += float64(k) * math.Abs(v-mu)
		}
	}
	return a / float64(n)
}

func (d *dist) cov() float64 { return ratio(math.Sqrt(d.m2), d.mean, 0) }

func (d *dist) qcod() float64 {
	p25, p75 := d.percentile(0.25), d.percentile(0.75)
	return ratio(p75-p25, p75+p25, 0)
}

// Intensity-based statistical features (IBSI 3.3), on the intensities X_k of the N_v
// voxels of the intensity mask (not discretised). Percentiles interpolate linearly
// (dist.percentile). A constant region has skewness and kurtosis 0, and a zero
// denominator gives the coefficient of variation and the quartile coefficient of
// dispersion the value 0.
var statDefs = []def[*dist]{
	{"mean_intensity", "Q4LE", statMean},
	{"intensity_variance", "ECT3", statVariance},
	{"intensity_skewness", "KE2A", statSkewness},
	{"excess_intensity_kurtosis", "IPH6", statKurtosis},
	{"median_intensity", "Y12H", statMedian},
	{"minimum_intensity", "1GSF", statMinimum},
	{"10th_intensity_percentile", "QG58", statP10},
	{"90th_intensity_percentile", "8DWT", statP90},
	{"maximum_intensity", "84IY", statMaximum},
	{"intensity_interquartile_range", "SALO", statIQR},
	{"intensity_range", "2OJQ", statRange},
	{"intensity_based_mean_absolute_deviation", "4FUA", statMAD},
	{"intensity_based_robust_mean_absolute_deviation", "1128", statRobustMAD},
	{"intensity_based_median_absolute_deviation", "N72L", statMedianAD},
	{"intensity_based_coefficient_of_variation", "7TET", statCoV},
	{"intensity_based_quartile_coefficient_of_dispersion", "9S40", statQCOD},
	{"intensity_based_energy", "N8CA", statEnergy},
	{"root_mean_square_intensity", "5ZWQ", statRMS},
}

// statMean is the mean intensity (IBSI Q4LE): μ = 1/N_v Σ X_k.
func statMean(d *dist) float64 { return d.mean }

// statVariance is the intensity variance (IBSI ECT3): 1/N_v Σ (X_k − μ)².
func statVariance(d *dist) float64 { return d.variance() }

// statSkewness is the intensity skewness (IBSI KE2A): m₃/m₂^{3/2} with central moments
// m_j = 1/N_v Σ (X_k − μ)^j; 0 for a constant region.
func statSkewness(d *dist) float64 { return d.skewness() }

// statKurtosis is the excess intensity kurtosis (IBSI IPH6): m₄/m₂² − 3; 0 for a constant
// region.
func statKurtosis(d *dist) float64 { return d.kurtosis() }

// statMedian is the median intensity (IBSI Y12H), the 50th percentile.
func statMedian(d *dist) float64 { return d.percentile(0.5) }

// statMinimum is the minimum intensity (IBSI 1GSF).
func statMinimum(d *dist) float64 { return d.minimum() }

// statP10 is the 10th intensity percentile P₁₀ (IBSI QG58).
func statP10(d *dist) float64 { return d.percentile(0.1) }

// statP90 is the 90th intensity percentile P₉₀ (IBSI 8DWT).
func statP90(d *dist) float64 { return d.percentile(0.9) }

// statMaximum is the maximum intensity (IBSI 84IY).
func statMaximum(d *dist) float64 { return d.maximum() }

// statIQR is the intensity interquartile range P₇₅ − P₂₅ (IBSI SALO).
func statIQR(d *dist) float64 { return d.percentile(0.75) - d.percentile(0.25) }

// statRange is the intensity range max − min (IBSI 2OJQ).
func statRange(d *dist) float64 { return d.maximum() - d.minimum() }

// statMAD is the intensity-based mean absolute deviation (IBSI 4FUA): 1/N_v Σ |X_k − μ|.
func statMAD(d *dist) float64 { return d.meanAbsDev(d.mean) }

// statRobustMAD is the intensity-based robust mean absolute deviation (IBSI 1128): the
// mean absolute deviation, from their own mean, of the intensities with P₁₀ ≤ X ≤ P₉₀.
func statRobustMAD(d *dist) float64 { return d.robustMAD() }

// statMedianAD is the intensity-based median absolute deviation (IBSI N72L):
// 1/N_v Σ |X_k − M|, M the median.
func statMedianAD(d *dist) float64 { return d.meanAbsDev(d.percentile(0.5)) }

// statCoV is the intensity-based coefficient of variation (IBSI 7TET): σ/μ with σ the
// square root of the variance; 0 when μ = 0.
func statCoV(d *dist) float64 { return d.cov() }

// statQCOD is the intensity-based quartile coefficient of dispersion (IBSI 9S40):
// (P₇₅ − P₂₅)/(P₇₅ + P₂₅); 0 when P₇₅ + P₂₅ = 0.
func statQCOD(d *dist) float64 { return d.qcod() }

// statEnergy is the intensity-based energy (IBSI N8CA): Σ X_k².
func statEnergy(d *dist) float64 { return d.sum2 }

// statRMS is the root mean square intensity (IBSI 5ZWQ): √(Σ X_k² / N_v).
func statRMS(d *dist) float64 { return math.Sqrt(d.sum2 / float64(d.n)) }

// Statistics returns the intensity-based statistical features (IBSI 3.3) of the
// intensity mask of r.
func (r *ROI) Statistics() []Feature {
	d := newDist(r.intensities())
	return emit(nil, FamilyStatistics, "", statDefs, evalDefs(statDefs, d))
}
