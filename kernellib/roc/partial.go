package roc

import (
	"fmt"
	"math"
)

// Focus names the axis of the ROC plot over which a partial AUC is taken.
type Focus int

const (
	// SpecificityFocus: the partial AUC over a specificity range, the area
	// under Se(Sp) for Sp in [lo, hi] (pROC partial.auc.focus =
	// "specificity", its default).
	SpecificityFocus Focus = iota
	// SensitivityFocus: the partial AUC over a sensitivity range, the area
	// under Sp(Se) for Se in [lo, hi] (pROC partial.auc.focus =
	// "sensitivity").
	SensitivityFocus
)

// String returns pROC's name of the focus.
func (f Focus) String() string {
	if f == SensitivityFocus {
		return "sensitivity"
	}
	return "specificity"
}

// checkRange orders the limits of a partial AUC and checks them.
func checkRange(a, b float64) (lo, hi float64, err error) {
	lo, hi = math.Min(a, b), math.Max(a, b)
	if math.IsNaN(a) || math.IsNaN(b) || lo < 0 || hi > 1 || lo == hi {
		return 0, 0, fmt.Errorf("%w: partial AUC range [%v, %v] must lie within [0, 1] and have a positive width", ErrParameter, a, b)
	}
	return lo, hi, nil
}

// PartialAUC returns the area under the curve between a and b (in either
// order) on the focus axis: ∫ Se dSp over Sp ∈ [lo, hi] for SpecificityFocus,
// ∫ Sp dSe over Se ∈ [lo, hi] for SensitivityFocus (McClish 1989; Jiang,
// Metz & Nishikawa 1996 for the sensitivity range). It is pROC's
// auc(partial.auc = c(hi, lo), partial.auc.focus) step by step: the
// trapezoids between the points inside the range, plus the slivers up to the
// limits with the curve linearly interpolated there. The largest value is
// hi − lo.
func (c *Curve) PartialAUC(focus Focus, a, b float64) (float64, error) {
	lo, hi, err := checkRange(a, b)
	if err != nil {
		return 0, err
	}
	x, y := c.Specificities, c.Sensitivities
	if focus == SensitivityFocus {
		x, y = reversed(c.Sensitivities), reversed(c.Specificities)
	}
	return partialArea(x, y, lo, hi), nil
}

func reversed(x []float64) []float64 {
	r := make([]float64, len(x))
	for i, v := range x {
		r[len(x)-1-i] = v
	}
	return r
}

// partialArea is pROC's auc.roc for a partial range, on x increasing from 0
// to 1 and y, translated from R line by line (0-based indices).
func partialArea(x, y []float64, lo, hi float64) float64 {
	// x is sorted, so the points inside [lo, hi] are x[s:e].
	s := 0
	for s < len(x) && x[s] < lo {
		s++
	}
	e := s
	for e < len(x) && x[e] <= hi {
		e++
	}
	auc := 0.0
	for i := s + 1; i < e; i++ {
		auc += (y[i] + y[i-1]) / 2 * (x[i] - x[i-1])
	}
	// firstAtLeast(v): R's match(FALSE, x < v).
	firstAtLeast := func(v float64) int {
		i := 0
		for i < len(x) && x[i] < v {
			i++
		}
		return i
	}
	if s == e { // the whole range falls between two points
		iHi := firstAtLeast(hi)
		iLo := iHi - 1
		pHi := (x[iHi] - hi) / (x[iHi] - x[iLo])
		pLo := (lo - x[iLo]) / (x[iHi] - x[iLo])
		yHi := y[iHi] + pHi*(y[iLo]-y[iHi])
		yLo := y[iLo] - pLo*(y[iLo]-y[iHi])
		return (yHi + yLo) / 2 * (hi - lo)
	}
	if !contains(x[s:e], hi) {
		out := firstAtLeast(hi)
		in := out - 1
		p := (hi - x[out]) / (x[in] - x[out])
		yi := y[out] + p*(y[in]-y[out])
		auc += (hi - x[in]) * (y[in] + yi) / 2
	}
	if !contains(x[s:e], lo) {
		// R: match(TRUE, x > lo) - 1, the last point below lo.
		out := 0
		for out < len(x) && !(x[out] > lo) {
			out++
		}
		out--
		in := out + 1
		p := (x[in] - lo) / (x[in] - x[out])
		yi := y[in] + p*(y[out]-y[in])
		auc += (x[in] - lo) * (y[in] + yi) / 2
	}
	return auc
}

func contains(x []float64, v float64) bool {
	for _, w := range x {
		if w == v {
			return true
		}
	}
	return false
}

// McClish standardizes a partial AUC over the range [a, b] (either order)
// as McClish (Med Decis Making 1989, 9:190–195) proposed and pROC's
// partial.auc.correct = TRUE computes:
//
//	pAUCc = ½ (1 + (pAUC − min) / (max − min)),
//
// with max = hi − lo (the perfect curve) and min = ((1−hi) + (1−lo))(hi−lo)/2
// (the diagonal), so that the diagonal gives ½ and a perfect curve 1, like a
// full AUC. It is an error for a curve below the diagonal, pAUC < min, where
// the correction is undefined (pROC returns NA with a warning). The formula
// is the same for either focus.
func McClish(pAUC, a, b float64) (float64, error) {
	lo, hi, err := checkRange(a, b)
	if err != nil {
		return 0, err
	}
	minA := ((1 - hi) + (1 - lo)) * (hi - lo) / 2
	maxA := hi - lo
	if pAUC < minA {
		return 0, fmt.Errorf("%w: McClish correction undefined: partial AUC %v over [%v, %v] is below the diagonal's %v", ErrParameter, pAUC, lo, hi, minA)
	}
	return (1 + (pAUC-minA)/(maxA-minA)) / 2, nil
}

// PartialAUCCorrected returns the partial AUC between a and b on the focus
// axis standardized by McClish's correction (see McClish and PartialAUC).
func (c *Curve) PartialAUCCorrected(focus Focus, a, b float64) (float64, error) {
	p, err := c.PartialAUC(focus, a, b)
	if err != nil {
		return 0, err
	}
	return McClish(p, a, b)
}

// PartialAUC returns the partial AUC of scores against truth between a and b
// on the focus axis, McClish-corrected if correct is set: NewCurve followed
// by Curve.PartialAUC or Curve.PartialAUCCorrected.
func PartialAUC(scores []float64, truth []bool, dir Direction, focus Focus, a, b float64, correct bool) (float64, error) {
	c, err := NewCurve(scores, truth, dir)
	if err != nil {
		return 0, err
	}
	if correct {
		return c.PartialAUCCorrected(focus, a, b)
	}
	return c.PartialAUC(focus, a, b)
}
