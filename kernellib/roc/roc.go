package roc

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Errors wrapped by the input checks of every function in the package.
var (
	// ErrLength: scores and truth (or two score vectors) differ in length.
	ErrLength = errors.New("roc: length mismatch")
	// ErrEmpty: no observations.
	ErrEmpty = errors.New("roc: no observations")
	// ErrNotFinite: a score is NaN or ±Inf.
	ErrNotFinite = errors.New("roc: score is not finite")
	// ErrOneClass: all observations are cases, or all are controls.
	ErrOneClass = errors.New("roc: only one class present")
	// ErrTooFew: fewer than 2 cases or 2 controls where a variance is needed.
	ErrTooFew = errors.New("roc: too few cases or controls")
)

// Direction says which way a score points.
type Direction int

const (
	// CasesHigher: higher scores mean a case (pROC direction = "<",
	// controls < cases). The default.
	CasesHigher Direction = iota
	// ControlsHigher: higher scores mean a control (pROC direction = ">").
	ControlsHigher
)

// String returns pROC's notation for the direction.
func (d Direction) String() string {
	if d == ControlsHigher {
		return ">"
	}
	return "<"
}

// checkInput validates one score vector against the truth: equal lengths,
// at least one observation, finite scores, both classes present.
func checkInput(scores []float64, truth []bool) error {
	if len(scores) != len(truth) {
		return fmt.Errorf("%w: %d scores but %d truth values", ErrLength, len(scores), len(truth))
	}
	if len(scores) == 0 {
		return ErrEmpty
	}
	for i, s := range scores {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return fmt.Errorf("%w: score %d is %v", ErrNotFinite, i, s)
		}
	}
	nCases := 0
	for _, t := range truth {
		if t {
			nCases++
		}
	}
	if nCases == 0 {
		return fmt.Errorf("%w: no cases among %d observations", ErrOneClass, len(truth))
	}
	if nCases == len(truth) {
		return fmt.Errorf("%w: no controls among %d observations", ErrOneClass, len(truth))
	}
	return nil
}

// checkVariance validates the input like checkInput and also requires at
// least two cases and two controls, as every variance estimate does.
func checkVariance(scores []float64, truth []bool) error {
	if err := checkInput(scores, truth); err != nil {
		return err
	}
	m, n := countClasses(truth)
	if m < 2 || n < 2 {
		return fmt.Errorf("%w: %d cases and %d controls, need at least 2 of each for a variance", ErrTooFew, m, n)
	}
	return nil
}

// countClasses returns the number of cases (true) and controls (false).
func countClasses(truth []bool) (cases, controls int) {
	for _, t := range truth {
		if t {
			cases++
		}
	}
	return cases, len(truth) - cases
}

// Split returns the scores of the cases and of the controls, oriented so that
// cases are expected higher: with ControlsHigher every score is negated.
// It validates the input as every function of the package does.
func Split(scores []float64, truth []bool, dir Direction) (cases, controls []float64, err error) {
	if err := checkInput(scores, truth); err != nil {
		return nil, nil, err
	}
	m, n := countClasses(truth)
	cases = make([]float64, 0, m)
	controls = make([]float64, 0, n)
	sign := 1.0
	if dir == ControlsHigher {
		sign = -1
	}
	for i, s := range scores {
		if truth[i] {
			cases = append(cases, sign*s)
		} else {
			controls = append(controls, sign*s)
		}
	}
	return cases, controls, nil
}

// MidRanks returns the mid-ranks (1-based, ties get the mean of the ranks
// they span) of x. It sorts x once: O(N) by a radix sort on the bits of the
// scores for large N, O(N log N) by comparison otherwise. NaNs, equal to
// nothing, rank last, each on its own, in the order they come.
func MidRanks(x []float64) []float64 {
	r := make([]float64, len(x))
	keys, idx := sortedOrder(x, nil)
	for i := 0; i < len(idx); {
		j := i + 1
		if keys[i] != nanKey {
			for j < len(idx) && keys[j] == keys[i] {
				j++
			}
		}
		mid := float64(i+j+1) / 2 // ranks i+1..j, mean (i+1+j)/2
		for k := i; k < j; k++ {
			r[idx[k]] = mid
		}
		i = j
	}
	return r
}

// nanKey is the sort key of every NaN, above that of +Inf.
const nanKey = math.MaxUint64

// sortKey maps a float64 to a uint64 whose unsigned order is the numeric
// order of the floats; −0 and +0 map to the same key, NaNs to nanKey.
func sortKey(x float64) uint64 {
	if x == 0 {
		x = 0 // −0 → +0
	}
	if x != x {
		return nanKey
	}
	b := math.Float64bits(x)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

// keyFloat inverts sortKey for non-NaN keys (−0 comes back as +0).
func keyFloat(k uint64) float64 {
	if k>>63 != 0 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// caseBit marks a case in the indices sortedOrder returns with a truth.
const caseBit = 1 << 31

// radixMin is the length below which sortedOrder sorts by comparison.
const radixMin = 1 << 10

// sortedOrder returns the keys of x sorted ascending and the stable
// permutation idx that sorts x: keys[i] = sortKey(x[idx[i]]). Equal scores
// have equal keys. Given a truth, each index also carries caseBit for a
// case, so that a pass over the sorted order reads nothing else; then x
// holds fewer than 2³¹ scores, otherwise fewer than 2³². For large x it is
// an LSD radix sort with 8-bit digits (Knuth, TAOCP vol. 3, §5.2.5) that
// skips the digits on which all keys agree; for small x a comparison sort.
func sortedOrder(x []float64, truth []bool) (keys []uint64, idx []uint32) {
	n := len(x)
	keys = make([]uint64, n)
	idx = make([]uint32, n)
	for i, v := range x {
		keys[i] = sortKey(v)
		idx[i] = uint32(i)
	}
	if truth != nil {
		for i, t := range truth {
			if t {
				idx[i] |= caseBit
			}
		}
	}
	if n < radixMin {
		type pair struct {
			k uint64
			i uint32
		}
		p := make([]pair, n)
		for i := range p {
			p[i] = pair{keys[i], idx[i]}
		}
		slices.SortFunc(p, func(a, b pair) int {
			if c := cmp.Compare(a.k, b.k); c != 0 {
				return c
			}
			return cmp.Compare(a.i&^caseBit, b.i&^caseBit)
		})
		for i, e := range p {
			keys[i], idx[i] = e.k, e.i
		}
		return keys, idx
	}
	const bits = 8
	const buckets = 1 << bits
	const passes = 64 / bits
	var count [passes][buckets]uint32
	for _, k := range keys {
		for p := 0; p < passes; p++ {
			count[p][(k>>(p*bits))&(buckets-1)]++
		}
	}
	k2 := make([]uint64, n)
	i2 := make([]uint32, n)
	for p := 0; p < passes; p++ {
		c := &count[p]
		shift := uint(p * bits)
		if c[(keys[0]>>shift)&(buckets-1)] == uint32(n) {
			continue // every key has the same digit
		}
		sum := uint32(0)
		for b := range c {
			c[b], sum = sum, sum+c[b]
		}
		for i, k := range keys {
			d := (k >> shift) & (buckets - 1)
			j := c[d]
			c[d]++
			k2[j] = k
			i2[j] = idx[i]
		}
		keys, k2 = k2, keys
		idx, i2 = i2, idx
	}
	return keys, idx
}

// AUC returns the area under the empirical ROC curve, the Mann–Whitney
// statistic θ = (1/mn) Σᵢ Σⱼ ψ(Xᵢ, Yⱼ) with ψ = 1 if the case score Xᵢ
// exceeds the control score Yⱼ, ½ if tied, 0 otherwise (Bamber 1975; Hanley
// & McNeil 1982). It is computed from mid-ranks in O(N log N):
// θ = (Σ ranks of cases − m(m+1)/2) / (mn).
func AUC(scores []float64, truth []bool, dir Direction) (float64, error) {
	cases, controls, err := Split(scores, truth, dir)
	if err != nil {
		return 0, err
	}
	return aucSplit(cases, controls), nil
}

// aucSplit is the Mann–Whitney AUC of already split and oriented scores.
func aucSplit(cases, controls []float64) float64 {
	m, n := len(cases), len(controls)
	all := make([]float64, 0, m+n)
	all = append(all, cases...)
	all = append(all, controls...)
	r := MidRanks(all)
	sum := 0.0
	for i := 0; i < m; i++ {
		sum += r[i]
	}
	return (sum - float64(m)*float64(m+1)/2) / (float64(m) * float64(n))
}
