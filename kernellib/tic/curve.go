package tic

import (
	"fmt"
	"math"
	"sort"
)

// Smooth returns the centred moving average of y over window samples,
//
//	ỹ_i = (1/(2k+1)) Σ_{j=i−k..i+k} y_j,   k = min(⌊window/2⌋, i, n−1−i),
//
// the window shrinking symmetrically at the ends so that no value is
// extrapolated. window must be odd and ≥ 1 (1 returns a copy). Smoothing
// steadies the slopes of model-free parameters; fit the unsmoothed curve.
func Smooth(y []float64, window int) ([]float64, error) {
	if window < 1 || window%2 == 0 {
		return nil, fmt.Errorf("tic: smoothing window %d: want an odd number ≥ 1", window)
	}
	return movingAverage(y, window), nil
}

// Baseline returns the pre-contrast level of a curve: the median of the
// samples with t < until (the injection, or the end of a pre-contrast
// period). It is an error when no sample precedes until. Subtracting it
// gives the enhancement curve the models and parameters describe.
func Baseline(t, y []float64, until float64) (float64, error) {
	if len(t) != len(y) {
		return 0, fmt.Errorf("tic: curve has %d times but %d values", len(t), len(y))
	}
	var v []float64
	for i, ti := range t {
		if ti < until {
			v = append(v, y[i])
		}
	}
	if len(v) == 0 {
		return 0, fmt.Errorf("tic: no sample before t = %g s to estimate the baseline (first sample at %g s)", until, first(t))
	}
	return median(v), nil
}

func first(t []float64) float64 {
	if len(t) == 0 {
		return math.NaN()
	}
	return t[0]
}

// RejectFlash returns the indices of the samples of y that are flash or
// destruction frames: outliers by the Hampel identifier (Hampel, J Am Stat
// Assoc 69:383, 1974; Pearson, "Outliers in process modeling and
// identification", IEEE Trans Control Syst Technol 10:55, 2002),
//
//	|y_i − med_i| > threshold · s,   s = max(1.4826 · median_j |y_j − med_j|, 0.01 · (max y − min y)),
//
// med_i the median of y over the samples i−k..i+k, k = min(halfWindow, i,
// n−1−i) (the window shrinks symmetrically at the ends, so a ramp has no
// residual; a flash in the very first or last sample cannot be told from
// the curve). The scale s is the residuals' median absolute deviation over
// the whole curve (consistent with the SD for Gaussian noise), floored at
// 1 % of the curve's range so that the curvature of a smooth, almost
// noise-free curve (a whole-frame mean) is not taken for outliers. Use it on
// the whole-frame mean (Curves.FrameMean): a high-MI flash brightens the
// whole frame for a frame or two, and a sudden drop (bubble destruction)
// is just as abrupt. Typical halfWindow 3, threshold 6.
func RejectFlash(y []float64, halfWindow int, threshold float64) ([]int, error) {
	if halfWindow < 1 {
		return nil, fmt.Errorf("tic: flash rejection half-window %d: want ≥ 1", halfWindow)
	}
	if !(threshold > 0) {
		return nil, fmt.Errorf("tic: flash rejection threshold %v: want > 0", threshold)
	}
	n := len(y)
	abs := make([]float64, n)
	buf := make([]float64, 0, 2*halfWindow+1)
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range y {
		k := min(halfWindow, i, n-1-i)
		buf = append(buf[:0], y[i-k:i+k+1]...)
		abs[i] = math.Abs(y[i] - median(buf))
		lo, hi = math.Min(lo, y[i]), math.Max(hi, y[i])
	}
	s := math.Max(1.4826*median(append([]float64(nil), abs...)), 0.01*(hi-lo))
	if !(s > 0) {
		return nil, nil
	}
	var out []int
	for i, a := range abs {
		if a > threshold*s {
			out = append(out, i)
		}
	}
	return out, nil
}

// median returns the median of v (v is reordered).
func median(v []float64) float64 {
	sort.Float64s(v)
	n := len(v)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}
