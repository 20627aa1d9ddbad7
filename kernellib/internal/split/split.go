// Package split is the one implementation of the seeded, stratified and
// optionally grouped train/test splits and k-fold partitions that
// kernellib/cohort (the study's cohorts) and kernellib/learn (the
// cross-validation folds) offer. Each caller passes its own stream constant,
// so that its partitions are the ones it always drew.
//
// Every random choice draws from a PCG (O'Neill 2014, the DXSM variant of
// math/rand/v2) whose 128-bit state is derived from (seed, stream, r) by the
// SplitMix64 finaliser (Steele, Lea & Flood 2014): stream separates the kinds
// of partition and r the replicates, so that replicate r is the same whether
// or not the others are drawn. Shuffles are Fisher–Yates (Knuth, TAOCP vol.
// 2, Algorithm P) with Lemire's (2019) unbiased bounded integers, written out
// here so that the result depends only on the PCG output, not on math/rand's
// methods.
//
// Grouping (several rows of one patient, e.g. several lesions) works on
// units: the groups, in order of first appearance, each labelled by
// UnitLabels. A grouped partition is the ungrouped one of the units with every
// unit expanded to its rows, so that with one row per group it is the
// ungrouped partition exactly.
package split

import (
	"math/bits"
	"math/rand/v2"
	"slices"
)

// Part is a training part and a held-out part (a validation cohort, or the
// test fold of a k-fold partition), both sorted, together every index once.
type Part struct {
	Train, Test []int
}

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// NewPCG returns the generator of replicate r of the partitions of kind
// stream drawn with seed (see the package doc).
func NewPCG(seed, stream uint64, r int) *rand.PCG {
	h := splitmix64(seed ^ splitmix64(stream))
	hi := splitmix64(h ^ splitmix64(uint64(r)))
	lo := splitmix64(hi ^ 0x6a09e667f3bcc909)
	return rand.NewPCG(hi, lo)
}

// Intn returns a uniform integer in [0, n), n > 0 (Lemire 2019, "Fast random
// integer generation in an interval", ACM TOMACS 29:3).
func Intn(src *rand.PCG, n int) int {
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

// Shuffle permutes x in place (Fisher–Yates, from the last element down).
func Shuffle(src *rand.PCG, x []int) {
	for i := len(x) - 1; i > 0; i-- {
		j := Intn(src, i+1)
		x[i], x[j] = x[j], x[i]
	}
}

// Strata groups the indices of labels by label, the groups in order of first
// appearance and each in increasing index order. Applied to group labels
// (patient IDs) it gives the units of a grouped partition.
func Strata[L comparable](labels []L) [][]int {
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

// Allocate shares nTrain seats among strata of the given sizes in proportion
// by the largest-remainder (Hamilton) method: stratum c gets ⌊n_c·nTrain/n⌋
// and the seats left go to the largest remainders, ties to the stratum seen
// first. Each share is within one of n_c·nTrain/n.
func Allocate(sizes []int, nTrain int) []int {
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

// Draw splits the indices 0..n−1, which strata partitions, into nTrain
// training indices and the rest: each stratum's share is Allocate's and its
// members are shuffled (stratum by stratum, in order) and the first share of
// them go to training.
func Draw(strata [][]int, n, nTrain int, src *rand.PCG) Part {
	sizes := make([]int, len(strata))
	for c, g := range strata {
		sizes[c] = len(g)
	}
	share := Allocate(sizes, nTrain)
	p := Part{Train: make([]int, 0, nTrain), Test: make([]int, 0, n-nTrain)}
	for c, g := range strata {
		g = slices.Clone(g)
		Shuffle(src, g)
		p.Train = append(p.Train, g[:share[c]]...)
		p.Test = append(p.Test, g[share[c]:]...)
	}
	slices.Sort(p.Train)
	slices.Sort(p.Test)
	return p
}

// Deal returns the k-fold partition of 0..n−1, which strata partitions: the
// members of each stratum are shuffled (stratum by stratum, in order), the
// strata laid end to end and the j-th index of that sequence put in fold
// j mod k, so that every fold holds within one of n/k indices and, of each
// stratum, within one of n_c/k (the balance of scikit-learn's
// StratifiedKFold). Fold f's Test are the indices dealt to it and its Train
// all the others.
func Deal(strata [][]int, n, k int, src *rand.PCG) []Part {
	fold := make([]int, n)
	pos := 0
	for _, g := range strata {
		g = slices.Clone(g)
		Shuffle(src, g)
		for _, i := range g {
			fold[i] = pos % k
			pos++
		}
	}
	return Parts(fold, k)
}

// Parts builds the k folds of a k-fold partition from the fold of every
// index: fold f's Test are the indices i with fold[i] = f, its Train all the
// others, both in increasing order.
func Parts(fold []int, k int) []Part {
	n := len(fold)
	out := make([]Part, k)
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
