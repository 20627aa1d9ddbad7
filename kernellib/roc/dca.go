package roc

import (
	"fmt"
	"sort"
)

// NetBenefit is one row of a decision curve at the threshold probability
// Threshold = pt: the true and false positives of the model when patients
// with predicted risk p ≥ pt are treated, and the net benefits
//
//	Model     = TP/N − FP/N · pt/(1 − pt)
//	TreatAll  = π − (1 − π) · pt/(1 − pt)   (π the event rate)
//	TreatNone = 0
//
// (Vickers & Elkin, Med. Decis. Making 2006, eq. 1), and the standardised
// net benefit Standardized = Model/π, the net benefit as a fraction of the
// maximum, π (Kerr et al., J. Clin. Oncol. 2016; the "relative utility" of
// Baker et al., J. R. Stat. Soc. A 2009).
type NetBenefit struct {
	Threshold                  float64
	TP, FP                     int
	Model, TreatAll, TreatNone float64
	Standardized               float64
}

// DecisionCurve returns the decision curve analysis (Vickers & Elkin 2006)
// of predicted probabilities p against outcomes y: one NetBenefit row per
// threshold probability, in the order given. A patient is treated when
// p ≥ pt, as in Vickers & Elkin's published code. Thresholds must
// lie in [0, 1) (pt = 1 has infinite odds); probabilities in [0, 1]; both
// outcomes must be present.
func DecisionCurve(p []float64, y []bool, thresholds []float64) ([]NetBenefit, error) {
	if err := checkProbs(p, y, false); err != nil {
		return nil, err
	}
	if err := checkBothClasses(y); err != nil {
		return nil, err
	}
	if len(thresholds) == 0 {
		return nil, fmt.Errorf("%w: no threshold probabilities", ErrEmpty)
	}
	for i, pt := range thresholds {
		if !(pt >= 0 && pt < 1) {
			return nil, fmt.Errorf("%w: threshold probability %d is %v, not in [0, 1)", ErrParameter, i, pt)
		}
	}
	n := float64(len(p))
	ev, _ := countClasses(y)
	prev := float64(ev) / n
	var evP, neP []float64
	for i, v := range p {
		if y[i] {
			evP = append(evP, v)
		} else {
			neP = append(neP, v)
		}
	}
	sort.Float64s(evP)
	sort.Float64s(neP)
	rows := make([]NetBenefit, len(thresholds))
	for k, pt := range thresholds {
		// SearchFloat64s finds the first prediction ≥ pt.
		tp := len(evP) - sort.SearchFloat64s(evP, pt)
		fp := len(neP) - sort.SearchFloat64s(neP, pt)
		odds := pt / (1 - pt)
		r := NetBenefit{Threshold: pt, TP: tp, FP: fp,
			Model:    float64(tp)/n - float64(fp)/n*odds,
			TreatAll: prev - (1-prev)*odds,
		}
		r.Standardized = r.Model / prev
		rows[k] = r
	}
	return rows, nil
}
