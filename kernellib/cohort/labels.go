package cohort

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// LabelSet is the coding of a binary outcome (truth) column: the value that
// marks a case, the value that marks a control, and the missing-value tokens
// of IsMissing. The accepted sets are
//
//   - 1/0 (or 0/1): numbers, compared by value, so "1", "1.0" and "1.00"
//     are the same label; any other number ("2", "0.5") is refused;
//   - OR/NR (or NR/OR): the response coding of the manifest (ResponseOR,
//     ResponseNR), exact and case-sensitive as there;
//   - any other pair of distinct, non-missing strings given explicitly
//     (e.g. yes/no), compared exactly after trimming spaces.
//
// A value that is neither label nor missing is an error naming it, never a
// control.
type LabelSet struct {
	// Positive marks a case, Negative a control.
	Positive, Negative string
	numeric            bool
	pos, neg           float64
}

// Label is the meaning of one value of an outcome column.
type Label int

// The labels Parse returns.
const (
	LabelMissing Label = iota // empty or a missing-value token (IsMissing)
	LabelCase                 // equal to LabelSet.Positive
	LabelControl              // equal to LabelSet.Negative
)

// NewLabelSet returns the label set with case value positive and control
// value negative. An empty negative is inferred for the documented sets:
// 1 → 0, 0 → 1, OR → NR, NR → OR; for any other positive it must be given.
func NewLabelSet(positive, negative string) (LabelSet, error) {
	positive, negative = strings.TrimSpace(positive), strings.TrimSpace(negative)
	if IsMissing(positive) {
		return LabelSet{}, fmt.Errorf("cohort: case label %q is empty or a missing-value token", positive)
	}
	p, perr := parseLabelNumber(positive)
	if negative == "" {
		switch {
		case perr == nil && p == 1:
			negative = "0"
		case perr == nil && p == 0:
			negative = "1"
		case positive == ResponseOR:
			negative = ResponseNR
		case positive == ResponseNR:
			negative = ResponseOR
		default:
			return LabelSet{}, fmt.Errorf("cohort: case label %q is not one of the documented sets (1/0, OR/NR): name the control label too", positive)
		}
	}
	if IsMissing(negative) {
		return LabelSet{}, fmt.Errorf("cohort: control label %q is a missing-value token", negative)
	}
	s := LabelSet{Positive: positive, Negative: negative}
	n, nerr := parseLabelNumber(negative)
	switch {
	case perr == nil && nerr == nil:
		if p == n {
			return LabelSet{}, fmt.Errorf("cohort: case label %q and control label %q are the same number", positive, negative)
		}
		s.numeric, s.pos, s.neg = true, p, n
	case positive == negative:
		return LabelSet{}, fmt.Errorf("cohort: case and control label are both %q", positive)
	}
	return s, nil
}

// parseLabelNumber parses a plain decimal number (digits, sign, point,
// exponent; no hexadecimal, no infinities).
func parseLabelNumber(s string) (float64, error) {
	for _, r := range s {
		if !strings.ContainsRune("0123456789+-.eE", r) {
			return math.NaN(), fmt.Errorf("%q is not a decimal number", s)
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return math.NaN(), fmt.Errorf("%q is not a finite decimal number", s)
	}
	return v, nil
}

// Parse returns what value means: LabelMissing when IsMissing(value),
// LabelCase or LabelControl when it equals a label (by value for a numeric
// set), and an error naming the value and the accepted labels otherwise.
func (s LabelSet) Parse(value string) (Label, error) {
	v := strings.TrimSpace(value)
	if IsMissing(v) {
		return LabelMissing, nil
	}
	if s.numeric {
		if x, err := parseLabelNumber(v); err == nil {
			switch x {
			case s.pos:
				return LabelCase, nil
			case s.neg:
				return LabelControl, nil
			}
		}
	} else {
		switch v {
		case s.Positive:
			return LabelCase, nil
		case s.Negative:
			return LabelControl, nil
		}
	}
	return LabelMissing, fmt.Errorf("%q is not a label: want %s (case), %s (control), or empty/NA (missing)", value, s.Positive, s.Negative)
}
