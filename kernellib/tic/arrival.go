package tic

import (
	"errors"
	"fmt"
	"math"
)

// ErrNoArrival: a curve without a sustained rise above its baseline (Arrival).
var ErrNoArrival = errors.New("tic: no contrast arrival")

// ArrivalOptions control Arrival.
type ArrivalOptions struct {
	// BaselineEndS ends the pre-contrast period on the curve's clock: the
	// samples with t < BaselineEndS give the baseline level and noise, and
	// the rise is looked for from there on.
	BaselineEndS float64
	// K is the threshold above the baseline in baseline standard
	// deviations; 0 means DefaultArrivalK.
	K float64
	// Sustain is the number of consecutive samples that must exceed the
	// threshold; 0 means DefaultArrivalSustain.
	Sustain int
}

// Defaults of ArrivalOptions.
const (
	DefaultArrivalK       = 3
	DefaultArrivalSustain = 3
)

// Arrival returns the contrast arrival time of the curve (t, y), on the curve's
// clock: the first sustained rise above the pre-contrast baseline.
//
// In CEUS quantification the arrival time AT is the time from the injection of
// the contrast agent to the beginning of the curve (World J Gastroenterol
// 29:4021, 2023, doi:10.3748/wjg.v29.i25.4021, Table 1). Where a noisy curve
// begins is a choice; Arrival takes the threshold rule of bolus-arrival
// detection:
//
//   - baseline b = median of the samples with t < BaselineEndS, noise
//     s = 1.4826·MAD of the same samples (the robust SD, consistent for
//     Gaussian noise; Hampel, J Am Stat Assoc 69:383, 1974, as in RejectFlash),
//     floored at 0.1 % of max y − b for noise-free curves; at least 3 samples;
//   - threshold h = b + K·s;
//   - the first run of Sustain consecutive samples, from BaselineEndS on, that
//     all exceed h; the arrival is where the curve crosses h just before the
//     run, interpolated linearly between the last sample at or below h and the
//     run's first sample (the run's first time when the sample before it is
//     above h too).
//
// With K = 3 the chance that noise alone exceeds h is 0.13 % per sample, so
// three in a row (Sustain = 3) is about 2·10⁻⁹: a flash or a noise spike does
// not start the curve. The threshold lags the true start of a smooth bolus by
// the time the curve takes to rise by K·s: on the synthetic cohort, whose
// lesion enhancement is a lognormal starting at a known time, the lag is about
// 1.4 s (TestArrivalSyntheticCohort). The tangent-based AT of Parameters
// (Tranquart et al. 2012), an extrapolation from the steepest wash-in, lies
// later still (about 2.4 s there).
//
// A curve without such a run, or with fewer than 3 pre-contrast samples, is an
// error wrapping ErrNoArrival.
func Arrival(t, y []float64, o ArrivalOptions) (float64, error) {
	if err := checkCurve(t, y, 2); err != nil {
		return math.NaN(), err
	}
	k, sustain := o.K, o.Sustain
	if k == 0 {
		k = DefaultArrivalK
	}
	if sustain == 0 {
		sustain = DefaultArrivalSustain
	}
	if !(k > 0) || sustain < 1 {
		return math.NaN(), fmt.Errorf("tic: Arrival: K %v and Sustain %d; want K > 0 and Sustain ≥ 1", k, sustain)
	}
	var pre []float64
	start := len(t)
	for i, ti := range t {
		if ti < o.BaselineEndS {
			pre = append(pre, y[i])
		} else if start == len(t) {
			start = i
		}
	}
	if len(pre) < 3 {
		return math.NaN(), fmt.Errorf("%w: %d samples before t = %g s, and the baseline needs at least 3", ErrNoArrival, len(pre), o.BaselineEndS)
	}
	b := median(append([]float64(nil), pre...))
	dev := make([]float64, len(pre))
	for i, v := range pre {
		dev[i] = math.Abs(v - b)
	}
	top := b
	for _, v := range y {
		top = math.Max(top, v)
	}
	sd := math.Max(1.4826*median(dev), 1e-3*(top-b))
	h := b + k*sd
	run := 0
	for i := start; i < len(t); i++ {
		if y[i] <= h {
			run = 0
			continue
		}
		run++
		if run < sustain {
			continue
		}
		j := i - sustain + 1 // first sample of the run
		if j == 0 || y[j-1] > h {
			return t[j], nil
		}
		return t[j-1] + (h-y[j-1])/(y[j]-y[j-1])*(t[j]-t[j-1]), nil
	}
	return math.NaN(), fmt.Errorf("%w: the curve never exceeds its baseline %.4g by %g SD (%.4g) for %d consecutive samples after t = %g s", ErrNoArrival, b, k, k*sd, sustain, o.BaselineEndS)
}
