// Package mw is the Mann–Whitney AUC for the packages that sit before roc
// in ceusrad's data flow (deep, learn) and so must not import it: the
// cross-validation and early-stopping AUCs. kernellib/roc has the full ROC
// analysis (and a radix-sorted version of the same statistic).
package mw

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// ErrInput is wrapped by every input error of AUC.
var ErrInput = errors.New("mw: invalid input")

// AUC returns the Mann–Whitney estimate of the area under the ROC curve of
// scores for the outcomes truth (true = case, cases expected higher):
// θ = (Σ mid-ranks of the cases − m(m+1)/2)/(mn), ties counting ½ (Bamber
// 1975; Hanley & McNeil, Radiology 1982). Lengths must agree, every score
// be finite, and both classes be present.
func AUC(scores []float64, truth []bool) (float64, error) {
	if len(scores) != len(truth) {
		return 0, fmt.Errorf("%w: %d scores for %d outcomes", ErrInput, len(scores), len(truth))
	}
	m := 0
	for i, s := range scores {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return 0, fmt.Errorf("%w: score %d is %v", ErrInput, i, s)
		}
		if truth[i] {
			m++
		}
	}
	n := len(scores) - m
	if m == 0 || n == 0 {
		return 0, fmt.Errorf("%w: %d cases and %d controls, need both", ErrInput, m, n)
	}
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return scores[idx[a]] < scores[idx[b]] })
	sum := 0.0
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		mid := float64(i+j+1) / 2
		for k := i; k < j; k++ {
			if truth[idx[k]] {
				sum += mid
			}
		}
		i = j
	}
	return (sum - float64(m)*float64(m+1)/2) / (float64(m) * float64(n)), nil
}
