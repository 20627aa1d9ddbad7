package roc

import (
	"cmp"
	"math"
	"slices"
	"sync"
)

// Curve is an empirical ROC curve in pROC's convention (Robin et al. 2011,
// roc()): one point per threshold, the thresholds lying at −Inf, at the
// midpoints between consecutive distinct scores, and at +Inf. The points are
// ordered by increasing specificity (decreasing sensitivity), so the
// thresholds increase with CasesHigher and decrease with ControlsHigher,
// exactly as pROC orders roc$thresholds.
//
// With CasesHigher an observation is called positive when its score is at
// or above the threshold (pROC direction "<"); with ControlsHigher when it is
// at or below it (direction ">"). At a threshold t (CasesHigher)
//
//	Se(t) = #{cases with score ≥ t} / m,   Sp(t) = #{controls with score < t} / n,
//
// m cases and n controls. Thresholds are not scores (but for pROC's fix of a
// midpoint that rounds onto a score), so ≥ and > mostly agree.
type Curve struct {
	// Thresholds, Sensitivities and Specificities, one per point, in order
	// of increasing specificity; the first and last thresholds are ∓Inf
	// (±Inf for ControlsHigher).
	Thresholds    []float64
	Sensitivities []float64
	Specificities []float64
	// Direction of the score, as given by the caller.
	Direction Direction
	// Cases (m) and Controls (n) counted in the truth.
	Cases, Controls int
}

// NewCurve builds the empirical ROC curve of scores against truth (true marks
// a case) in O(N log N) — O(N) for large N by a radix sort of the scores. The
// thresholds are those of pROC's roc.utils.thresholds: (u₍ₖ₎ + u₍ₖ₊₁₎)/2
// between consecutive distinct scores u (u/2 + u'/2 where the sum would
// exceed 1e100 in magnitude), with pROC's fix for a midpoint that rounds onto
// a score; sensitivities and specificities are computed as pROC's
// roc.utils.perfs.all.fast does (tp/m and (n − fp)/n), so they match pROC
// bit for bit.
func NewCurve(scores []float64, truth []bool, dir Direction) (*Curve, error) {
	if err := checkInput(scores, truth); err != nil {
		return nil, err
	}
	m, n := countClasses(truth)
	keys, idx, release := sortedOrder(scores, truth)
	defer release()
	return curveFromOrder(m, n, dir, keys, idx, nil), nil
}

// curveFromOrder builds the curve from the sorted keys of the scores and
// the sorted indices carrying caseBit, in one sequential pass. With weights
// w (indexed like the scores; nil for unit weights) the counts of cases and
// controls become sums of their weights (NewWeightedCurve); sums of unit
// weights are exact, so nil and all-ones give the same curve bit for bit.
func curveFromOrder(m, n int, dir Direction, keys []uint64, idx []uint32, w []float64) *Curve {
	K := distinct(keys)
	weight := func(o uint32) float64 {
		if w == nil {
			return 1
		}
		return w[o&^caseBit]
	}
	fm, fn := float64(m), float64(n)
	if w != nil {
		fm, fn = 0, 0
		for _, o := range idx {
			if o&caseBit != 0 {
				fm += weight(o)
			} else {
				fn += weight(o)
			}
		}
	}
	// Point j (0..K) lies between the distinct scores u[j-1] and u[j].
	th := make([]float64, K+1)
	se := make([]float64, K+1)
	sp := make([]float64, K+1)
	casesBelow, ctlBelow := 0.0, 0.0 // weight at or below u[j-1]
	lo := math.Inf(-1)
	i := 0
	for j := 0; j <= K; j++ {
		hi := math.Inf(1)
		if j < K {
			hi = keyFloat(keys[i])
		}
		t := (lo + hi) / 2
		if math.Abs(t) > 1e100 {
			t = lo/2 + hi/2
		}
		// A midpoint that rounds onto a score (adjacent floats): pROC
		// moves it to the upper score for "<", keeps the lower for ">".
		if j > 0 && j < K {
			if dir == CasesHigher && t == lo {
				t = hi
			} else if dir == ControlsHigher && t == hi {
				t = lo
			}
		}
		th[j] = t
		if dir == CasesHigher {
			// pROC "<": se = tp/m, sp = (n − fp)/n, tp and fp above t.
			se[j] = (fm - casesBelow) / fm
			sp[j] = ctlBelow / fn
		} else {
			// pROC ">": tp and fp below t.
			se[j] = casesBelow / fm
			sp[j] = (fn - ctlBelow) / fn
		}
		if j == K {
			break
		}
		// Move past the group of scores equal to u[j].
		g := i
		for ; i < len(keys) && keys[i] == keys[g]; i++ {
			if idx[i]&caseBit != 0 {
				casesBelow += weight(idx[i])
			} else {
				ctlBelow += weight(idx[i])
			}
		}
		lo = hi
	}
	if dir == ControlsHigher {
		reverse(th)
		reverse(se)
		reverse(sp)
	}
	return &Curve{Thresholds: th, Sensitivities: se, Specificities: sp, Direction: dir, Cases: m, Controls: n}
}

// distinct counts the distinct values of sorted keys.
func distinct(keys []uint64) int {
	K := 0
	for i, k := range keys {
		if i == 0 || k != keys[i-1] {
			K++
		}
	}
	return K
}

func reverse(x []float64) {
	for i, j := 0, len(x)-1; i < j; i, j = i+1, j-1 {
		x[i], x[j] = x[j], x[i]
	}
}

// AUC returns the area under the curve by the trapezoidal rule over the
// points, Σ (Se₍ᵢ₎ + Se₍ᵢ₊₁₎)/2 · (Sp₍ᵢ₊₁₎ − Sp₍ᵢ₎), as pROC's auc() does. It
// equals the Mann–Whitney AUC (function AUC) up to rounding.
func (c *Curve) AUC() float64 {
	a := 0.0
	for i := 1; i < len(c.Specificities); i++ {
		a += (c.Sensitivities[i] + c.Sensitivities[i-1]) / 2 * (c.Specificities[i] - c.Specificities[i-1])
	}
	return a
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
//
// The slices come from a pool of scratch buffers (reused across calls to
// spare the allocation and page faults of large buffers); the caller calls
// release when done with them.
func sortedOrder(x []float64, truth []bool) (keys []uint64, idx []uint32, release func()) {
	n := len(x)
	buf := getSortBuf(n)
	release = func() { sortPool.Put(buf) }
	keys, idx = buf.keys, buf.idx
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
		return keys, idx, release
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
	k2, i2 := buf.k2, buf.i2
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
	return keys, idx, release
}

// sortBuf is the scratch space of sortedOrder.
type sortBuf struct {
	keys, k2 []uint64
	idx, i2  []uint32
}

var sortPool sync.Pool

// getSortBuf returns scratch space for n scores from the pool, or new.
func getSortBuf(n int) *sortBuf {
	b, _ := sortPool.Get().(*sortBuf)
	if b == nil || cap(b.keys) < n {
		return &sortBuf{keys: make([]uint64, n), k2: make([]uint64, n), idx: make([]uint32, n), i2: make([]uint32, n)}
	}
	b.keys, b.k2, b.idx, b.i2 = b.keys[:n], b.k2[:n], b.idx[:n], b.i2[:n]
	return b
}
