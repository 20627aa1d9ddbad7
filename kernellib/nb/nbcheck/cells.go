package nbcheck

import (
	"sort"
	"strings"
)

// CellStats are the figures of a notebook's code that a reader feels: how
// long its code cells are and how much of them is error handling.
type CellStats struct {
	// Lines holds, per code cell, its lines of code: blank lines, `//`
	// comments and GoNB's `%` and `!` lines left out.
	Lines []int
	// ErrChecks counts `if err != nil` in the code cells.
	ErrChecks int
}

// Stats returns the notebook's CellStats.
func (nb *Notebook) Stats() CellStats {
	var s CellStats
	for _, c := range nb.Cells {
		if c.Type != "code" {
			continue
		}
		n := 0
		for _, l := range strings.Split(string(c.Source), "\n") {
			l = strings.TrimSpace(l)
			if l == "" || strings.HasPrefix(l, "//") || strings.HasPrefix(l, "%") || strings.HasPrefix(l, "!") {
				continue
			}
			n++
		}
		s.Lines = append(s.Lines, n)
		s.ErrChecks += strings.Count(string(c.Source), "if err != nil")
	}
	return s
}

// Median is the median of x (the mean of the middle two for an even
// count; 0 for none).
func Median(x []int) float64 {
	if len(x) == 0 {
		return 0
	}
	s := append([]int(nil), x...)
	sort.Ints(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return float64(s[m])
	}
	return float64(s[m-1]+s[m]) / 2
}
