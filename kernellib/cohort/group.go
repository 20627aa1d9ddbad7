package cohort

import (
	"fmt"

	"github.com/ceusrad/ceusrad/kernellib/internal/split"
)

// Grouped splits keep the rows of one group — the lesions of one patient —
// together: a patient's lesions are all in training or all held out, never
// both, so that no patient leaks from a model's fit into its validation.
// Each function groups the rows by groups[i] (e.g. Groups(patients)), labels
// each group by the most frequent label of its rows, a tie going to the label
// that comes first among its rows (a patient with one responding and one
// non-responding lesion is stratified by the lesion listed first), draws the
// ungrouped split of the groups with those labels, and returns the rows of
// the groups drawn. Sizes (nTrain, the folds' balance) therefore count
// patients, not lesions. With one row per group the result is the ungrouped
// split exactly.

// groupUnits checks the lengths and returns the units and their labels.
func groupUnits[L, G comparable](labels []L, groups []G) ([][]int, []L, error) {
	if len(groups) != len(labels) {
		return nil, nil, fmt.Errorf("cohort: grouped split: %d groups for %d labels, want one a row", len(groups), len(labels))
	}
	units := split.Strata(groups)
	return units, split.UnitLabels(labels, units), nil
}

// GroupedStratifiedSplit is StratifiedSplit of whole groups (see above):
// nTrain groups (patients) train, the others are held out.
func GroupedStratifiedSplit[L, G comparable](labels []L, groups []G, nTrain int, seed uint64) (Partition, error) {
	units, ul, err := groupUnits(labels, groups)
	if err != nil {
		return Partition{}, err
	}
	p, err := StratifiedSplit(ul, nTrain, seed)
	if err != nil {
		return Partition{}, err
	}
	ps := []Partition{p}
	expand(ps, units)
	return ps[0], nil
}

// GroupedPaperSplit is the paper's split of whole groups:
// GroupedStratifiedSplit with PaperTrainSize(number of groups) training
// groups.
func GroupedPaperSplit[L, G comparable](labels []L, groups []G, seed uint64) (Partition, error) {
	return GroupedStratifiedSplit(labels, groups, PaperTrainSize(len(split.Strata(groups))), seed)
}

// GroupedResplits is Resplits of whole groups: r splits with nTrain
// training groups each.
func GroupedResplits[L, G comparable](labels []L, groups []G, nTrain, r int, seed uint64) ([]Partition, error) {
	units, ul, err := groupUnits(labels, groups)
	if err != nil {
		return nil, err
	}
	ps, err := Resplits(ul, nTrain, r, seed)
	if err != nil {
		return nil, err
	}
	expand(ps, units)
	return ps, nil
}

// GroupedRepeatedStratifiedKFold is RepeatedStratifiedKFold of whole
// groups: every fold holds within one of G/k groups and, of each group
// label, within one of G_label/k.
func GroupedRepeatedStratifiedKFold[L, G comparable](labels []L, groups []G, k, repeats int, seed uint64) ([][]Partition, error) {
	units, ul, err := groupUnits(labels, groups)
	if err != nil {
		return nil, err
	}
	fs, err := RepeatedStratifiedKFold(ul, k, repeats, seed)
	if err != nil {
		return nil, err
	}
	for _, r := range fs {
		expand(r, units)
	}
	return fs, nil
}

// expand replaces partitions of units by those of their rows.
func expand(ps []Partition, units [][]int) {
	for i, p := range ps {
		ps[i] = Partition(split.Expand(split.Part(p), units))
	}
}
