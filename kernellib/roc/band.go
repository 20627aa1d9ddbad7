package roc

import (
	"fmt"
	"math"
	"slices"
)

// SensitivityAt returns the sensitivity of the curve at specificity sp as
// pROC's coords(input = "specificity", ret = "sensitivity") gives it: where
// points have exactly that specificity, the highest of their sensitivities
// (the first point in curve order); otherwise the linear interpolation
// between the two points whose specificities bracket sp. sp must lie in
// [0, 1].
func (c *Curve) SensitivityAt(sp float64) (float64, error) {
	if !(sp >= 0 && sp <= 1) {
		return 0, fmt.Errorf("%w: specificity %v not in [0, 1]", ErrParameter, sp)
	}
	spec, sens := c.Specificities, c.Sensitivities
	for i, s := range spec {
		if s == sp {
			return sens[i], nil
		}
	}
	// specificities increase along the curve; next is the first point above sp.
	next := slices.IndexFunc(spec, func(s float64) bool { return s > sp })
	if next <= 0 {
		return 0, fmt.Errorf("%w: specificity %v outside the curve's range", ErrParameter, sp)
	}
	prop := (sp - spec[next]) / (spec[next-1] - spec[next])
	return sens[next] + prop*(sens[next-1]-sens[next]), nil
}

// SensitivityBand is a bootstrap confidence band of the ROC curve: at each
// specificity, the percentile interval and median of the sensitivity over
// the replicates (pROC's ci.se; Robin et al. 2011; Fawcett 2006, vertical
// averaging).
type SensitivityBand struct {
	Specificities        []float64
	Lower, Median, Upper []float64
	Level                float64
	// Replicates is the number of replicates used (Plain replicates with
	// one class are dropped, as pROC does).
	Replicates int
}

// BootstrapSensitivityBand resamples the data (opt.Resampling, stratified by
// default, opt.Replicates replicates seeded by opt.Seed), rebuilds the ROC
// curve of every replicate and reads its sensitivity at each of specs with
// SensitivityAt; the band holds the (1 − Level)/2, 0.5 and (1 + Level)/2
// quantiles (R's type 7) of those sensitivities. The result does not depend
// on GOMAXPROCS.
func BootstrapSensitivityBand(scores []float64, truth []bool, dir Direction, specs []float64, opt BootOptions) (*SensitivityBand, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := checkVariance(scores, truth); err != nil {
		return nil, err
	}
	if len(specs) == 0 {
		return nil, fmt.Errorf("%w: no specificities", ErrParameter)
	}
	for _, sp := range specs {
		if !(sp >= 0 && sp <= 1) {
			return nil, fmt.Errorf("%w: specificity %v not in [0, 1]", ErrParameter, sp)
		}
	}
	s := newSample(truth)
	vals := make([][]float64, opt.Replicates) // [replicate][spec]
	parallelReplicates(opt.Replicates, func() func(b int) {
		var r repRNG
		idx := make([]int32, len(truth))
		sc := make([]float64, len(truth))
		tr := make([]bool, len(truth))
		return func(b int) {
			r.seed(opt.Seed, streamBand, b)
			bm, bn := s.draw(&r, opt.Resampling, idx)
			if bm == 0 || bn == 0 {
				return
			}
			for k, i := range idx {
				sc[k], tr[k] = scores[i], truth[i]
			}
			c, err := NewCurve(sc, tr, dir)
			if err != nil {
				return
			}
			v := make([]float64, len(specs))
			for j, sp := range specs {
				if v[j], err = c.SensitivityAt(sp); err != nil {
					return
				}
			}
			vals[b] = v
		}
	})
	band := &SensitivityBand{Specificities: slices.Clone(specs), Level: opt.Level,
		Lower: make([]float64, len(specs)), Median: make([]float64, len(specs)), Upper: make([]float64, len(specs))}
	col := make([]float64, 0, opt.Replicates)
	for j := range specs {
		col = col[:0]
		for _, v := range vals {
			if v != nil {
				col = append(col, v[j])
			}
		}
		if len(col) == 0 {
			return nil, fmt.Errorf("%w: every replicate had one class", ErrTooFew)
		}
		slices.Sort(col)
		a := (1 - opt.Level) / 2
		band.Lower[j], band.Median[j], band.Upper[j] = quantile7(col, a), quantile7(col, 0.5), quantile7(col, 1-a)
		band.Replicates = len(col)
	}
	if math.IsNaN(band.Lower[0]) {
		return nil, fmt.Errorf("%w: band is NaN", ErrNotFinite)
	}
	return band, nil
}
