package cohort

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// NumericShare is the share of a clinical column's present (non-missing)
// cells that must be finite numbers for the column to be numeric when some
// are not: at least 90 %. Such a column is numeric, and each of its other
// present cells is reported as a Problem (a stray "abc" or "<20" in an AFP
// column would otherwise turn the whole column into categories in Table 1).
// A column with fewer than ten values present is numeric, in the same way,
// when all but one of them are numbers and there are at least three.
// A column below both rules is categorical and nothing is reported.
const NumericShare = 0.9

// clinicalProblems applies NumericShare to every clinical column over rows
// (every row of the manifest with the header's number of fields), and also
// reports every cell that is a number but not a finite one (Inf, -Inf,
// Infinity), whatever its column.
func clinicalProblems(file string, rows []clinicalRow, clinical []string) Problems {
	var probs Problems
	for _, col := range clinical {
		present, numbers, infinite := 0, 0, 0
		for _, p := range rows {
			switch s := p.Clinical[col]; {
			case s == "":
				continue
			case isFinite(s):
				numbers++
			case isInfinite(s):
				infinite++
			}
			present++
		}
		others := present - numbers
		numeric := others > 0 && numbers > 0 &&
			(float64(numbers) >= NumericShare*float64(present) || (present < 10 && others == 1 && numbers >= 3))
		if !numeric && infinite == 0 {
			continue
		}
		for _, p := range rows {
			s := p.Clinical[col]
			switch {
			case s == "" || isFinite(s):
			case isInfinite(s):
				probs = append(probs, Problem{File: file, Line: p.Line, Row: p.Row, Column: col,
					Msg: fmt.Sprintf("%q is not a finite number: write a number, or NA or an empty cell for a missing value", s)})
			case numeric:
				probs = append(probs, Problem{File: file, Line: p.Line, Row: p.Row, Column: col,
					Msg: fmt.Sprintf("%q is not a number, in a numeric column (%d of its %d values are numbers): write a number, or NA or an empty cell for a missing value", s, numbers, present)})
			}
		}
	}
	return probs
}

// clinicalRow is what clinicalProblems needs of a manifest row.
type clinicalRow struct {
	Line, Row int
	Clinical  map[string]string
}

// isFinite reports whether s is a finite number (as parseFinite), without
// the allocation of a parse error for the common non-numeric cell: a
// number starts with a digit or a point after an optional sign, except the
// non-finite spellings (inf, infinity, nan), which are not finite anyway.
func isFinite(s string) bool {
	t := strings.TrimSpace(s)
	if t != "" && (t[0] == '+' || t[0] == '-') {
		t = t[1:]
	}
	if t == "" || !(t[0] >= '0' && t[0] <= '9' || t[0] == '.') {
		return false
	}
	_, err := parseFinite(s)
	return err == nil
}

// isInfinite reports whether s parses as an infinite number.
func isInfinite(s string) bool {
	t := strings.TrimLeft(strings.TrimSpace(s), "+-")
	if t == "" || (t[0] != 'i' && t[0] != 'I') {
		return false
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return err == nil && math.IsInf(v, 0)
}
