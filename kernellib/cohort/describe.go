package cohort

import (
	"math"
	"slices"
)

// Quantile returns the p-quantile of x by linear interpolation between order
// statistics, Hyndman & Fan (1996) definition 7: with x sorted and
// h = (n−1)p, Q(p) = x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋) (0-based). It is R's
// quantile(type = 7) and numpy.percentile's default ('linear'). NaN for an
// empty x or p outside [0, 1]. x is not modified.
func Quantile(x []float64, p float64) float64 {
	if len(x) == 0 || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	s := slices.Clone(x)
	slices.Sort(s)
	return quantileSorted(s, p)
}

func quantileSorted(s []float64, p float64) float64 {
	h := float64(len(s)-1) * p
	lo := math.Floor(h)
	i := int(lo)
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[i] + (h-lo)*(s[i+1]-s[i])
}

// Summary describes a sample of a continuous variable.
type Summary struct {
	// N is the number of values.
	N int
	// Mean and SD are the mean and the standard deviation with the n−1
	// denominator (NaN for SD when N < 2).
	Mean, SD float64
	// Median, Q1 and Q3 are the 0.5, 0.25 and 0.75 quantiles by Quantile
	// (Hyndman & Fan definition 7); Q3 − Q1 is the interquartile range.
	Median, Q1, Q3 float64
}

// Describe returns the summary of x; its fields are NaN when x is empty.
func Describe(x []float64) Summary {
	s := Summary{N: len(x), Mean: math.NaN(), SD: math.NaN(), Median: math.NaN(), Q1: math.NaN(), Q3: math.NaN()}
	if len(x) == 0 {
		return s
	}
	m, v := meanVar(x)
	s.Mean = m
	if len(x) >= 2 {
		s.SD = math.Sqrt(v)
	}
	sorted := slices.Clone(x)
	slices.Sort(sorted)
	s.Median = quantileSorted(sorted, 0.5)
	s.Q1 = quantileSorted(sorted, 0.25)
	s.Q3 = quantileSorted(sorted, 0.75)
	return s
}
