package roc

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// ReclassStat is an estimate of a reclassification measure with its
// inference: SE is the standard error used for the Wald interval
// CI = Est ± z·SE, and SE0 the standard error under the null hypothesis
// that the new model changes nothing, used for the test Z = Est/SE0 and its
// two-sided p-value P (Z and P are NaN when SE0 = 0). For the NRI the two
// differ (see NRIResult); for the IDI SE0 = SE.
type ReclassStat struct {
	Est, SE float64
	CI      [2]float64
	SE0     float64
	Z, P    float64
}

func reclassStat(est, se, se0, z float64) ReclassStat {
	s := ReclassStat{Est: est, SE: se, SE0: se0, CI: [2]float64{est - z*se, est + z*se}}
	s.Z, s.P = math.NaN(), math.NaN()
	if se0 > 0 {
		s.Z = est / se0
		s.P = 2 * distuv.UnitNormal.CDF(-math.Abs(s.Z))
	}
	return s
}

// NRIResult is the net reclassification improvement of a new model over an
// old one (Pencina et al., Stat. Med. 2008; 2011). Among the NEvents events,
// UpEvents moved up (a higher category, or a higher probability for the
// continuous NRI) and DownEvents down, and likewise among the NNonEvents
// non-events. With p_up,e = UpEvents/NEvents etc.:
//
//	EventNRI    = p_up,e − p_down,e
//	NonEventNRI = p_down,ne − p_up,ne
//	Total       = EventNRI + NonEventNRI
//
// The test uses the null standard error of Pencina et al. 2008 (the
// McNemar-type variance of a difference of two proportions when up and down
// are equally likely):
//
//	SE0(EventNRI)² = (p_up,e + p_down,e)/NEvents,  SE0(Total)² = SE0(EventNRI)² + SE0(NonEventNRI)²,
//
// and the interval the unconstrained multinomial standard error, as
// Harrell's Hmisc::improveProb does:
//
//	SE(EventNRI)² = (p_up,e + p_down,e − (p_up,e − p_down,e)²)/NEvents,  SE(Total)² = SE(EventNRI)² + SE(NonEventNRI)².
type NRIResult struct {
	NEvents, NNonEvents        int
	UpEvents, DownEvents       int
	UpNonEvents, DownNonEvents int
	EventNRI, NonEventNRI      ReclassStat
	Total                      ReclassStat
}

// checkReclass validates two probability vectors against the outcomes.
func checkReclass(old, new []float64, y []bool) error {
	if len(old) != len(new) {
		return fmt.Errorf("%w: %d old and %d new probabilities", ErrLength, len(old), len(new))
	}
	if err := checkProbs(old, y, false); err != nil {
		return fmt.Errorf("old model: %w", err)
	}
	if err := checkProbs(new, y, false); err != nil {
		return fmt.Errorf("new model: %w", err)
	}
	return checkBothClasses(y)
}

// riskCategory is the number of cut-offs ≤ p: categories are [c_k, c_k+1).
func riskCategory(p float64, cutoffs []float64) int {
	k := 0
	for _, c := range cutoffs {
		if p >= c {
			k++
		}
	}
	return k
}

// CategoricalNRI returns the NRI of Pencina et al. (Stat. Med. 2008) for
// the risk categories set by the cut-offs: with cut-offs c₁ < … < c_K in
// (0, 1), the categories are [0, c₁), [c₁, c₂), …, [c_K, 1] (a risk equal to
// a cut-off belongs to the higher category), and a subject moves up when its
// new category is higher than its old one. See NRIResult for the formulas;
// intervals at the given level.
func CategoricalNRI(old, new []float64, y []bool, cutoffs []float64, level float64) (NRIResult, error) {
	if err := checkConfLevel(level); err != nil {
		return NRIResult{}, err
	}
	if len(cutoffs) == 0 {
		return NRIResult{}, fmt.Errorf("%w: no risk cut-offs", ErrParameter)
	}
	for i, c := range cutoffs {
		if !(c > 0 && c < 1) {
			return NRIResult{}, fmt.Errorf("%w: cut-off %d is %v, not in (0, 1)", ErrParameter, i, c)
		}
		if i > 0 && !(c > cutoffs[i-1]) {
			return NRIResult{}, fmt.Errorf("%w: cut-offs are not strictly increasing at %d (%v after %v)", ErrParameter, i, c, cutoffs[i-1])
		}
	}
	if err := checkReclass(old, new, y); err != nil {
		return NRIResult{}, err
	}
	return nri(old, new, y, level, func(o, n float64) int {
		co, cn := riskCategory(o, cutoffs), riskCategory(n, cutoffs)
		switch {
		case cn > co:
			return 1
		case cn < co:
			return -1
		}
		return 0
	}), nil
}

// ContinuousNRI returns the category-free NRI, NRI(>0) of Pencina et al.
// (Stat. Med. 2011): a subject moves up when its new probability is higher
// than its old one, down when lower, and not at all when they are equal.
// See NRIResult for the formulas; intervals at the given level.
func ContinuousNRI(old, new []float64, y []bool, level float64) (NRIResult, error) {
	if err := checkConfLevel(level); err != nil {
		return NRIResult{}, err
	}
	if err := checkReclass(old, new, y); err != nil {
		return NRIResult{}, err
	}
	return nri(old, new, y, level, func(o, n float64) int {
		switch {
		case n > o:
			return 1
		case n < o:
			return -1
		}
		return 0
	}), nil
}

func nri(old, new []float64, y []bool, level float64, move func(o, n float64) int) NRIResult {
	var r NRIResult
	for i := range y {
		m := move(old[i], new[i])
		if y[i] {
			r.NEvents++
			switch m {
			case 1:
				r.UpEvents++
			case -1:
				r.DownEvents++
			}
		} else {
			r.NNonEvents++
			switch m {
			case 1:
				r.UpNonEvents++
			case -1:
				r.DownNonEvents++
			}
		}
	}
	ne, nn := float64(r.NEvents), float64(r.NNonEvents)
	pue, pde := float64(r.UpEvents)/ne, float64(r.DownEvents)/ne
	pun, pdn := float64(r.UpNonEvents)/nn, float64(r.DownNonEvents)/nn
	v0e, v0n := (pue+pde)/ne, (pun+pdn)/nn
	ve := (pue + pde - (pue-pde)*(pue-pde)) / ne
	vn := (pun + pdn - (pdn-pun)*(pdn-pun)) / nn
	z := zLevel(level)
	r.EventNRI = reclassStat(pue-pde, math.Sqrt(ve), math.Sqrt(v0e), z)
	r.NonEventNRI = reclassStat(pdn-pun, math.Sqrt(vn), math.Sqrt(v0n), z)
	r.Total = reclassStat(pue-pde+pdn-pun, math.Sqrt(ve+vn), math.Sqrt(v0e+v0n), z)
	return r
}

// IDIResult is the integrated discrimination improvement of a new model
// over an old one (Pencina et al., Stat. Med. 2008): with the
// discrimination slopes (Yates, Organ. Behav. Hum. Perform. 1982)
// SlopeOld = mean(old | event) − mean(old | non-event) and SlopeNew alike,
//
//	IDI = SlopeNew − SlopeOld = EventIDI + NonEventIDI,
//	EventIDI = mean(new − old | event),  NonEventIDI = −mean(new − old | non-event),
//
// with SE(IDI)² = s²_e/NEvents + s²_ne/NNonEvents, s²_e and s²_ne the sample
// variances (n − 1 divisor) of the differences new − old among events and
// non-events (Pencina et al. 2008, §3); z = IDI/SE (so SE0 = SE) and the
// interval IDI ± z·SE. Relative is the relative IDI, IDI/SlopeOld (Pencina
// et al., Stat. Med. 2012).
type IDIResult struct {
	NEvents, NNonEvents   int
	SlopeOld, SlopeNew    float64
	EventIDI, NonEventIDI float64
	IDI                   ReclassStat
	Relative              float64
}

// IDI returns the IDIResult of the new model's probabilities over the old
// model's, with its interval at the given level. It needs at least two
// events and two non-events (ErrTooFew).
func IDI(old, new []float64, y []bool, level float64) (IDIResult, error) {
	if err := checkConfLevel(level); err != nil {
		return IDIResult{}, err
	}
	if err := checkReclass(old, new, y); err != nil {
		return IDIResult{}, err
	}
	ev, ne := countClasses(y)
	if ev < 2 || ne < 2 {
		return IDIResult{}, fmt.Errorf("%w: %d events and %d non-events, need at least 2 of each for the IDI's variance", ErrTooFew, ev, ne)
	}
	// Means by Welford's update, for accuracy on large samples.
	var mOldE, mOldN, mNewE, mNewN float64
	var mdE, mdN, sdE, sdN float64
	var ke, kn float64
	for i := range y {
		d := new[i] - old[i]
		if y[i] {
			ke++
			mOldE += (old[i] - mOldE) / ke
			mNewE += (new[i] - mNewE) / ke
			delta := d - mdE
			mdE += delta / ke
			sdE += delta * (d - mdE)
		} else {
			kn++
			mOldN += (old[i] - mOldN) / kn
			mNewN += (new[i] - mNewN) / kn
			delta := d - mdN
			mdN += delta / kn
			sdN += delta * (d - mdN)
		}
	}
	r := IDIResult{NEvents: ev, NNonEvents: ne,
		SlopeOld: mOldE - mOldN, SlopeNew: mNewE - mNewN,
		EventIDI: mdE, NonEventIDI: -mdN}
	est := mdE - mdN
	se := math.Sqrt(sdE/(ke-1)/ke + sdN/(kn-1)/kn)
	r.IDI = reclassStat(est, se, se, zLevel(level))
	r.Relative = est / r.SlopeOld
	return r, nil
}
