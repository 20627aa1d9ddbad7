package roc

import (
	"errors"
	"fmt"
	"math"
)

// Errors wrapped by the input checks of every function in the package.
var (
	// ErrLength: scores and truth (or two score vectors) differ in length.
	ErrLength = errors.New("roc: length mismatch")
	// ErrEmpty: no observations.
	ErrEmpty = errors.New("roc: no observations")
	// ErrNotFinite: a score is NaN or ±Inf.
	ErrNotFinite = errors.New("roc: score is not finite")
	// ErrOneClass: all observations are cases, or all are controls.
	ErrOneClass = errors.New("roc: only one class present")
	// ErrTooFew: fewer than 2 cases or 2 controls where a variance is needed.
	ErrTooFew = errors.New("roc: too few cases or controls")
)

// Direction says which way a score points.
type Direction int

const (
	// CasesHigher: higher scores mean a case (pROC direction = "<",
	// controls < cases). The default.
	CasesHigher Direction = iota
	// ControlsHigher: higher scores mean a control (pROC direction = ">").
	ControlsHigher
)

// String returns pROC's notation for the direction.
func (d Direction) String() string {
	if d == ControlsHigher {
		return ">"
	}
	return "<"
}

// checkInput validates one score vector against the truth: equal lengths,
// at least one observation, finite scores, both classes present.
func checkInput(scores []float64, truth []bool) error {
	if len(scores) != len(truth) {
		return fmt.Errorf("%w: %d scores but %d truth values", ErrLength, len(scores), len(truth))
	}
	if len(scores) == 0 {
		return ErrEmpty
	}
	for i, s := range scores {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return fmt.Errorf("%w: score %d is %v", ErrNotFinite, i, s)
		}
	}
	nCases := 0
	for _, t := range truth {
		if t {
			nCases++
		}
	}
	if nCases == 0 {
		return fmt.Errorf("%w: no cases among %d observations", ErrOneClass, len(truth))
	}
	if nCases == len(truth) {
		return fmt.Errorf("%w: no controls among %d observations", ErrOneClass, len(truth))
	}
	return nil
}

// checkVariance validates the input like checkInput and also requires at
// least two cases and two controls, as every variance estimate does.
func checkVariance(scores []float64, truth []bool) error {
	if err := checkInput(scores, truth); err != nil {
		return err
	}
	m, n := countClasses(truth)
	if m < 2 || n < 2 {
		return fmt.Errorf("%w: %d cases and %d controls, need at least 2 of each for a variance", ErrTooFew, m, n)
	}
	return nil
}

// countClasses returns the number of cases (true) and controls (false).
func countClasses(truth []bool) (cases, controls int) {
	for _, t := range truth {
		if t {
			cases++
		}
	}
	return cases, len(truth) - cases
}

// Split returns the scores of the cases and of the controls, oriented so that
// cases are expected higher: with ControlsHigher every score is negated.
// It validates the input as every function of the package does.
func Split(scores []float64, truth []bool, dir Direction) (cases, controls []float64, err error) {
	if err := checkInput(scores, truth); err != nil {
		return nil, nil, err
	}
	m, n := countClasses(truth)
	cases = make([]float64, 0, m)
	controls = make([]float64, 0, n)
	sign := 1.0
	if dir == ControlsHigher {
		sign = -1
	}
	for i, s := range scores {
		if truth[i] {
			cases = append(cases, sign*s)
		} else {
			controls = append(controls, sign*s)
		}
	}
	return cases, controls, nil
}

// MidRanks returns the mid-ranks (1-based, ties get the mean of the ranks
// they span) of x. It sorts x once: O(N) by a radix sort on the bits of the
// scores for large N, O(N log N) by comparison otherwise. NaNs, equal to
// nothing, rank last, each on its own, in the order they come.
func MidRanks(x []float64) []float64 {
	r := make([]float64, len(x))
	keys, idx, release := sortedOrder(x, nil)
	defer release()
	for i := 0; i < len(idx); {
		j := i + 1
		if keys[i] != nanKey {
			for j < len(idx) && keys[j] == keys[i] {
				j++
			}
		}
		mid := float64(i+j+1) / 2 // ranks i+1..j, mean (i+1+j)/2
		for k := i; k < j; k++ {
			r[idx[k]] = mid
		}
		i = j
	}
	return r
}

// AUC returns the area under the empirical ROC curve, the Mann–Whitney
// statistic θ = (1/mn) Σᵢ Σⱼ ψ(Xᵢ, Yⱼ) with ψ = 1 if the case score Xᵢ
// exceeds the control score Yⱼ, ½ if tied, 0 otherwise (Bamber 1975; Hanley
// & McNeil 1982). It is computed from mid-ranks in O(N log N):
// θ = (Σ ranks of cases − m(m+1)/2) / (mn).
func AUC(scores []float64, truth []bool, dir Direction) (float64, error) {
	cases, controls, err := Split(scores, truth, dir)
	if err != nil {
		return 0, err
	}
	return aucSplit(cases, controls), nil
}

// aucSplit is the Mann–Whitney AUC of already split and oriented scores.
func aucSplit(cases, controls []float64) float64 {
	m, n := len(cases), len(controls)
	all := make([]float64, 0, m+n)
	all = append(all, cases...)
	all = append(all, controls...)
	r := MidRanks(all)
	sum := 0.0
	for i := 0; i < m; i++ {
		sum += r[i]
	}
	return (sum - float64(m)*float64(m+1)/2) / (float64(m) * float64(n))
}
