package cohort

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
)

// Partition divides the indices 0..n−1 of a cohort into a training part and
// a held-out part (the validation cohort of a split, or the test fold of a
// k-fold partition). Both are sorted; together they hold every index once.
type Partition struct {
	Train, Test []int
}

// Every random choice here draws from a PCG (O'Neill 2014, the DXSM variant
// of math/rand/v2) whose 128-bit state is derived from (seed, stream, r) by
// the SplitMix64 finaliser (Steele, Lea & Flood 2014); stream separates the
// kinds of split and r the replicates, so that replicate r is the same
// whether or not the others are drawn. Shuffles are Fisher–Yates (Knuth,
// TAOCP vol. 2, Algorithm P) with Lemire's (2019) unbiased bounded integers,
// written out here so that the result does not depend on math/rand's
// methods, only on the PCG output.
const (
	streamSplit   = 0x73706c6974 // "split"
	streamResplit = 0x726573706c // "respl"
	streamKFold   = 0x6b666f6c64 // "kfold"
)

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func newPCG(seed, stream uint64, r int) *rand.PCG {
	h := splitmix64(seed ^ splitmix64(stream))
	hi := splitmix64(h ^ splitmix64(uint64(r)))
	lo := splitmix64(hi ^ 0x6a09e667f3bcc909)
	return rand.NewPCG(hi, lo)
}

// intn returns a uniform integer in [0, n), n > 0 (Lemire 2019, "Fast random
// integer generation in an interval", ACM TOMACS 29:3).
func intn(src *rand.PCG, n int) int {
	un := uint64(n)
	hi, lo := bits.Mul64(src.Uint64(), un)
	if lo < un {
		thresh := -un % un
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), un)
		}
	}
	return int(hi)
}

func shuffle(src *rand.PCG, x []int) {
	for i := len(x) - 1; i > 0; i-- {
		j := intn(src, i+1)
		x[i], x[j] = x[j], x[i]
	}
}

// strata groups the indices of labels by label, the groups in order of
// first appearance and each in increasing index order.
func strata[L comparable](labels []L) [][]int {
	pos := map[L]int{}
	var g [][]int
	for i, l := range labels {
		k, ok := pos[l]
		if !ok {
			k = len(g)
			pos[l] = k
			g = append(g, nil)
		}
		g[k] = append(g[k], i)
	}
	return g
}

// PaperTrainSize is the size of the training cohort in a cohort of n
// patients in the proportion of the paper (Liu et al., Eur Radiol 2020: 89
// training and 41 validation patients of 130): round(89·n/130), halves up,
// and at least 1 and at most n−1 for n ≥ 2.
func PaperTrainSize(n int) int {
	t := (89*n + 65) / 130
	return max(1, min(t, n-1))
}

// allocate shares nTrain seats among strata of the given sizes in proportion
// by the largest-remainder (Hamilton) method: stratum c gets
// ⌊n_c·nTrain/n⌋ and the seats left go to the largest remainders, ties to
// the stratum seen first. Each share is within one of n_c·nTrain/n.
func allocate(sizes []int, nTrain int) []int {
	n := 0
	for _, s := range sizes {
		n += s
	}
	share := make([]int, len(sizes))
	rem := make([]int, len(sizes))
	left := nTrain
	for c, s := range sizes {
		share[c] = s * nTrain / n
		rem[c] = s * nTrain % n
		left -= share[c]
	}
	order := make([]int, len(sizes))
	for c := range order {
		order[c] = c
	}
	slices.SortStableFunc(order, func(a, b int) int { return rem[b] - rem[a] })
	for _, c := range order[:left] {
		share[c]++
	}
	return share
}

func drawSplit(groups [][]int, n, nTrain int, src *rand.PCG) Partition {
	sizes := make([]int, len(groups))
	for c, g := range groups {
		sizes[c] = len(g)
	}
	share := allocate(sizes, nTrain)
	p := Partition{Train: make([]int, 0, nTrain), Test: make([]int, 0, n-nTrain)}
	for c, g := range groups {
		g = slices.Clone(g)
		shuffle(src, g)
		p.Train = append(p.Train, g[:share[c]]...)
		p.Test = append(p.Test, g[share[c]:]...)
	}
	slices.Sort(p.Train)
	slices.Sort(p.Test)
	return p
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
	return drawSplit(strata(labels), len(labels), nTrain, newPCG(seed, streamSplit, 0)), nil
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
	groups := strata(labels)
	out := make([]Partition, r)
	for i := range out {
		out[i] = drawSplit(groups, len(labels), nTrain, newPCG(seed, streamResplit, i))
	}
	return out, nil
}

func drawFolds(groups [][]int, n, k int, src *rand.PCG) []Partition {
	fold := make([]int, n)
	pos := 0
	for _, g := range groups {
		g = slices.Clone(g)
		shuffle(src, g)
		for _, i := range g {
			fold[i] = pos % k
			pos++
		}
	}
	out := make([]Partition, k)
	for f := range out {
		out[f].Test = make([]int, 0, n/k+1)
		out[f].Train = make([]int, 0, n-n/k)
	}
	for i, f := range fold {
		out[f].Test = append(out[f].Test, i)
		for g := range out {
			if g != f {
				out[g].Train = append(out[g].Train, i)
			}
		}
	}
	return out
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
	groups := strata(labels)
	out := make([][]Partition, repeats)
	for i := range out {
		out[i] = drawFolds(groups, n, k, newPCG(seed, streamKFold, i))
	}
	return out, nil
}
