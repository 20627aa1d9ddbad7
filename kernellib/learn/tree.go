package learn

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// cartTree is a fitted binary classification tree stored as flat arrays;
// node 0 is the root.
type cartTree struct {
	feature     []int32   // split feature; −1 at a leaf
	threshold   []float64 // a row goes left when x[feature] ≤ threshold
	left, right []int32
	value       []float64 // weighted fraction of cases among the node's training rows
}

// leafValue returns the case fraction of the leaf that x falls in.
func (t *cartTree) leafValue(x []float64) float64 {
	k := int32(0)
	for t.feature[k] >= 0 {
		if x[t.feature[k]] <= t.threshold[k] {
			k = t.left[k]
		} else {
			k = t.right[k]
		}
	}
	return t.value[k]
}

// leafValueWith is leafValue with feature j of x replaced by v.
func (t *cartTree) leafValueWith(x []float64, j int, v float64) float64 {
	k := int32(0)
	for f := t.feature[k]; f >= 0; f = t.feature[k] {
		xf := x[f]
		if int(f) == j {
			xf = v
		}
		if xf <= t.threshold[k] {
			k = t.left[k]
		} else {
			k = t.right[k]
		}
	}
	return t.value[k]
}

// cartBuilder grows one CART tree (Breiman, Friedman, Olshen & Stone 1984)
// with the Gini criterion on weighted rows, trying mtry randomly drawn
// features at each node (Breiman 2001).
type cartBuilder struct {
	x        []float64 // n×p row-major
	p        int
	y        []bool
	w        []float64 // row weights (bootstrap counts); rows in samples have w > 0
	mtry     int
	minLeaf  int
	maxDepth int // 0 = unlimited
	rng      *rand.Rand

	feats []int
	pairs []valueIndex
	imp   []float64 // Σ over the feature's splits of W·G − W_L·G_L − W_R·G_R
	tree  cartTree
}

type valueIndex struct {
	v float64
	i int
}

// grow builds the tree on the given rows (distinct indices) and returns it
// with the per-feature total impurity decrease.
func (b *cartBuilder) grow(samples []int) (cartTree, []float64) {
	b.feats = make([]int, b.p)
	b.pairs = make([]valueIndex, len(samples))
	b.imp = make([]float64, b.p)
	b.node(samples, 0)
	return b.tree, b.imp
}

func (b *cartBuilder) addNode(value float64) int32 {
	t := &b.tree
	t.feature = append(t.feature, -1)
	t.threshold = append(t.threshold, 0)
	t.left = append(t.left, -1)
	t.right = append(t.right, -1)
	t.value = append(t.value, value)
	return int32(len(t.value) - 1)
}

func gini(w0, w1 float64) float64 {
	w := w0 + w1
	return 1 - (w0*w0+w1*w1)/(w*w)
}

// node grows the subtree on samples (reordered in place) at the given depth
// and returns its index. The split is chosen, as in scikit-learn's
// BestSplitter, by visiting features in random order until mtry features
// that are not constant in the node have been tried (constant ones do not
// count), and, for each, every threshold halfway between consecutive
// distinct values that leaves at least minLeaf rows on each side; the split
// maximising the Gini impurity decrease wins (first found on ties). A node
// is a leaf when it is pure, has fewer than 2 or 2·minLeaf rows, is at
// maxDepth, or has no admissible split. (scikit-learn also splits pure
// nodes whose computed Gini is a rounding residue above DBL_EPSILON; their
// children are pure too, so predictions agree.)
func (b *cartBuilder) node(samples []int, depth int) int32 {
	var w0, w1 float64
	for _, s := range samples {
		if b.y[s] {
			w1 += b.w[s]
		} else {
			w0 += b.w[s]
		}
	}
	W := w0 + w1
	id := b.addNode(w1 / W)
	g := gini(w0, w1)
	n := len(samples)
	if (b.maxDepth > 0 && depth >= b.maxDepth) || n < 2 || n < 2*b.minLeaf || g <= 1e-15 {
		return id
	}

	p := b.p
	for k := range b.feats {
		b.feats[k] = k
	}
	bestF, bestThr, bestProxy := -1, 0.0, math.Inf(-1)
	var bestL0, bestL1 float64
	pairs := b.pairs[:n]
	visited := 0
	for k := 0; k < p && visited < b.mtry; k++ {
		r := k + b.rng.IntN(p-k)
		b.feats[k], b.feats[r] = b.feats[r], b.feats[k]
		f := b.feats[k]
		for m, s := range samples {
			pairs[m] = valueIndex{b.x[s*p+f], s}
		}
		slices.SortFunc(pairs, compareValues)
		if pairs[0].v == pairs[n-1].v {
			continue
		}
		visited++
		var l0, l1 float64
		for m := 0; m < n-1; m++ {
			s := pairs[m].i
			if b.y[s] {
				l1 += b.w[s]
			} else {
				l0 += b.w[s]
			}
			if pairs[m].v == pairs[m+1].v || m+1 < b.minLeaf || n-m-1 < b.minLeaf {
				continue
			}
			r0, r1 := w0-l0, w1-l1
			// Maximising this proxy minimises W_L·G_L + W_R·G_R.
			proxy := (l0*l0+l1*l1)/(l0+l1) + (r0*r0+r1*r1)/(r0+r1)
			if proxy > bestProxy {
				bestF, bestProxy, bestL0, bestL1 = f, proxy, l0, l1
				bestThr = pairs[m].v/2 + pairs[m+1].v/2
				if bestThr == pairs[m+1].v || math.IsInf(bestThr, 0) {
					bestThr = pairs[m].v
				}
			}
		}
	}
	if bestF < 0 {
		return id
	}

	// Partition samples: rows with x_f ≤ threshold first.
	nl := 0
	for m, s := range samples {
		if b.x[s*p+bestF] <= bestThr {
			samples[m], samples[nl] = samples[nl], samples[m]
			nl++
		}
	}
	wl := bestL0 + bestL1
	r0, r1 := w0-bestL0, w1-bestL1
	b.imp[bestF] += W*g - wl*gini(bestL0, bestL1) - (r0+r1)*gini(r0, r1)

	left := b.node(samples[:nl], depth+1)
	right := b.node(samples[nl:], depth+1)
	b.tree.feature[id] = int32(bestF)
	b.tree.threshold[id] = bestThr
	b.tree.left[id] = left
	b.tree.right[id] = right
	return id
}

// compareValues orders pairs by value as cmp.Compare does (a NaN first),
// with the two comparisons of ordinary numbers tried first: the sort of a
// node's values is the forest's hot path.
func compareValues(a, c valueIndex) int {
	switch {
	case a.v < c.v:
		return -1
	case a.v > c.v:
		return 1
	case a.v == c.v:
		return 0
	}
	return cmp.Compare(a.v, c.v)
}
