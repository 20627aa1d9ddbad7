package cohort

import (
	"fmt"

	"github.com/ceusrad/ceusrad/kernellib/internal/split"
)

// Partition divides the indices 0..n−1 of a cohort into a training part and
// a held-out part (the validation cohort of a split, or the test fold of a
// k-fold partition). Both are sorted; together they hold every index once.
type Partition struct {
	Train, Test []int
}

// Every random choice here draws from kernellib/internal/split's seeded PCG
// (SplitMix64-derived state, Fisher–Yates shuffles with Lemire's bounded
// integers); stream separates the kinds of split and the replicate number
// the replicates, so that replicate r is the same whether or not the others
// are drawn.
const (
	streamSplit   = 0x73706c6974 // "split"
	streamResplit = 0x726573706c // "respl"
	streamKFold   = 0x6b666f6c64 // "kfold"
)

// PaperTrainSize is the size of the training cohort in a cohort of n
// patients in the proportion of the paper (Liu et al., Eur Radiol 2020: 89
// training and 41 validation patients of 130): round(89·n/130), halves up,
// and at least 1 and at most n−1 for n ≥ 2.
func PaperTrainSize(n int) int {
	t := (89*n + 65) / 130
	return max(1, min(t, n-1))
}

func partitions(ps []split.Part) []Partition {
	out := make([]Partition, len(ps))
	for i, p := range ps {
		out[i] = Partition(p)
	}
	return out
}

func checkSplit(n, nTrain int) error {
	if n < 2 {
		return fmt.Errorf("cohort: split: %d patients, want at least 2", n)
	}
	if nTrain < 1 || nTrain > n-1 {
		return fmt.Errorf("cohort: split: training size %d, want 1 to %d for %d patients", nTrain, n-1, n)
	}
	return nil
}

// StratifiedSplit draws a training cohort of nTrain patients and a
// validation cohort of the rest, stratified by labels (e.g. the response):
// each label's share of the training cohort is allocated in proportion by
// the largest-remainder method, so that it is within one patient of
// n_label·nTrain/n, and its members are drawn at random without
// replacement. The same seed gives the same split.
func StratifiedSplit[L comparable](labels []L, nTrain int, seed uint64) (Partition, error) {
	if err := checkSplit(len(labels), nTrain); err != nil {
		return Partition{}, err
	}
	return Partition(split.Draw(split.Strata(labels), len(labels), nTrain, split.NewPCG(seed, streamSplit, 0))), nil
}

// PaperSplit is the paper's stratified train/validation split:
// StratifiedSplit with PaperTrainSize(n) training patients (89 of 130).
func PaperSplit[L comparable](labels []L, seed uint64) (Partition, error) {
	return StratifiedSplit(labels, PaperTrainSize(len(labels)), seed)
}

// Resplits draws r stratified train/validation splits of nTrain training
// patients, as the paper's robustness analysis re-draws its cohorts. Split i
// is drawn from its own generator, derived from (seed, i), so it does not
// depend on r or on the other splits, and differs from StratifiedSplit's
// split with the same seed.
func Resplits[L comparable](labels []L, nTrain, r int, seed uint64) ([]Partition, error) {
	if err := checkSplit(len(labels), nTrain); err != nil {
		return nil, err
	}
	if r < 0 {
		return nil, fmt.Errorf("cohort: resplits: %d replicates, want ≥ 0", r)
	}
	groups := split.Strata(labels)
	out := make([]Partition, r)
	for i := range out {
		out[i] = Partition(split.Draw(groups, len(labels), nTrain, split.NewPCG(seed, streamResplit, i)))
	}
	return out, nil
}

// StratifiedKFold partitions the patients into k folds stratified by labels
// and returns, for each fold, the fold as Test and the other k−1 folds as
// Train. The members of each label are shuffled, the labels laid end to end
// (in order of first appearance) and the j-th patient of that sequence put
// in fold j mod k, so that every fold holds within one of n/k patients and,
// of each label, within one of n_label/k (the balance of scikit-learn's
// StratifiedKFold). A label with fewer than k members leaves some folds
// without it. StratifiedKFold(labels, k, seed) is replicate 0 of
// RepeatedStratifiedKFold(labels, k, repeats, seed).
func StratifiedKFold[L comparable](labels []L, k int, seed uint64) ([]Partition, error) {
	f, err := RepeatedStratifiedKFold(labels, k, 1, seed)
	if err != nil {
		return nil, err
	}
	return f[0], nil
}

// RepeatedStratifiedKFold draws repeats independent stratified k-fold
// partitions (see StratifiedKFold); repeat i is drawn from its own
// generator, derived from (seed, i).
func RepeatedStratifiedKFold[L comparable](labels []L, k, repeats int, seed uint64) ([][]Partition, error) {
	n := len(labels)
	if k < 2 || k > n {
		return nil, fmt.Errorf("cohort: k-fold: k = %d, want 2 to %d for %d patients", k, n, n)
	}
	if repeats < 1 {
		return nil, fmt.Errorf("cohort: k-fold: %d repeats, want ≥ 1", repeats)
	}
	groups := split.Strata(labels)
	out := make([][]Partition, repeats)
	for i := range out {
		out[i] = partitions(split.Deal(groups, n, k, split.NewPCG(seed, streamKFold, i)))
	}
	return out, nil
}
