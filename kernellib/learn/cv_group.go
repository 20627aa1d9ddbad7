package learn

import (
	"fmt"

	"github.com/ceusrad/ceusrad/kernellib/internal/split"
)

// GroupedStratifiedKFold is StratifiedKFold over groups of rows that must
// stay together — the lesions of one patient: groups[i] names row i's group,
// every group's rows land in one test fold, and no group is in a fold's
// training and test rows at once (the leakage a per-row partition of a
// multi-lesion cohort would have). The groups are labelled by the more
// frequent outcome of their rows, a tie going to the outcome of the group's
// first row, and dealt to the folds by StratifiedKFold with those labels, so
// that fold sizes and class balance count groups; a fold's test rows then
// hold a case and a control whenever every group's rows share one outcome.
// With one row per group the folds are StratifiedKFold's exactly. The error
// cases of StratifiedKFold apply to the groups (e.g. fewer case groups than
// folds).
func GroupedStratifiedKFold(y []bool, groups []string, k int, seed uint64) ([]Fold, error) {
	return groupedStratifiedKFold(y, groups, k, seed, 0)
}

// RepeatedGroupedStratifiedKFold draws repeats independent
// GroupedStratifiedKFold partitions; repeat r depends only on (seed, r).
// With one row per group they are RepeatedStratifiedKFold's.
func RepeatedGroupedStratifiedKFold(y []bool, groups []string, k, repeats int, seed uint64) ([][]Fold, error) {
	if repeats < 1 {
		return nil, fmt.Errorf("%w: %d repeats, want ≥ 1", ErrParameter, repeats)
	}
	out := make([][]Fold, repeats)
	for r := range out {
		f, err := groupedStratifiedKFold(y, groups, k, seed, r)
		if err != nil {
			return nil, err
		}
		out[r] = f
	}
	return out, nil
}

func groupedStratifiedKFold(y []bool, groups []string, k int, seed uint64, rep int) ([]Fold, error) {
	if len(groups) != len(y) {
		return nil, fmt.Errorf("%w: %d group labels for %d rows", ErrShape, len(groups), len(y))
	}
	units := split.Strata(groups)
	f, err := stratifiedKFold(split.UnitLabels(y, units), k, seed, rep)
	if err != nil {
		return nil, fmt.Errorf("%w (counting the %d groups of %d rows)", err, len(units), len(y))
	}
	for i := range f {
		f[i] = Fold(split.Expand(split.Part(f[i]), units))
	}
	return f, nil
}
