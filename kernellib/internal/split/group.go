package split

import "slices"

// UnitLabels labels each unit (a group of row indices, e.g. the lesions of
// one patient) by the most frequent label of its rows; a tie goes to the
// label that comes first among the unit's rows (in row order: for a patient
// with one responding and one non-responding lesion, the label of the lesion
// listed first). A unit whose rows share one label (the usual case) gets it. So a unit
// labelled L holds at least one row labelled L: a fold with a unit of each
// label has a row of each label.
func UnitLabels[L comparable](labels []L, units [][]int) []L {
	out := make([]L, len(units))
	count := map[L]int{}
	for u, rows := range units {
		clear(count)
		best, bestN := labels[rows[0]], 0
		for _, i := range rows {
			count[labels[i]]++
		}
		for _, i := range rows {
			if c := count[labels[i]]; c > bestN {
				best, bestN = labels[i], c
			}
		}
		out[u] = best
	}
	return out
}

// Expand turns a partition of units into the partition of their rows (both
// parts sorted).
func Expand(p Part, units [][]int) Part {
	return Part{Train: rows(p.Train, units), Test: rows(p.Test, units)}
}

func rows(idx []int, units [][]int) []int {
	n := 0
	for _, u := range idx {
		n += len(units[u])
	}
	out := make([]int, 0, n)
	for _, u := range idx {
		out = append(out, units[u]...)
	}
	slices.Sort(out)
	return out
}
