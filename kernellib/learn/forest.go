package learn

import (
	"fmt"
	"math"
	"slices"
)

// RandomForest is Breiman's random forest classifier (Breiman 2001,
// "Random forests", Machine Learning 45:5–32): Trees CART trees (Gini
// criterion), each grown on a bootstrap sample of the n rows (n draws with
// replacement, duplicates acting as weights) with MaxFeatures randomly
// chosen candidate features at every split, unpruned unless MinLeaf or
// MaxDepth say otherwise. Defaults follow scikit-learn's
// RandomForestClassifier, except Trees (500, as R's randomForest).
//
// Tree t draws from a random stream derived from (Seed, t) alone, and the
// trees are grown in parallel and combined in index order, so the forest is
// the same on any number of cores.
//
// Features are used as given: trees are invariant to monotone transforms
// of each feature, so no scaling is needed.
type RandomForest struct {
	// Trees is the number of trees; 0 means 500.
	Trees int
	// MaxFeatures is mtry, the number of features tried at each split;
	// 0 means ⌊√p⌋ (at least 1).
	MaxFeatures int
	// MinLeaf is the least number of distinct training rows in a leaf;
	// 0 means 1.
	MinLeaf int
	// MaxDepth bounds the depth of the trees (root = 0); 0 means unlimited.
	MaxDepth int
	// Seed drives the bootstrap samples and the feature draws.
	Seed uint64
}

// ForestModel is a fitted random forest.
type ForestModel struct {
	trees      []cartTree
	oob        [][]int32 // per tree: the training rows left out of its bootstrap sample
	x          []float64 // training rows, n×p row-major (for OOB permutation importance)
	y          []bool
	n, p       int
	oobProba   []float64
	oobAcc     float64
	oobCount   int
	importance []float64
}

// Fit grows the forest; see FitForest.
func (rf RandomForest) Fit(X [][]float64, y []bool) (Model, error) {
	return rf.FitForest(X, y)
}

// FitForest grows the forest on X (n × p, finite) and y (both classes
// present), then computes the out-of-bag (OOB) predictions and the impurity
// importances. The model keeps a copy of the training rows for
// OOBPermutationImportance. Errors wrap ErrShape, ErrNotFinite, ErrOneClass or
// ErrParameter (Trees, MaxFeatures, MinLeaf or MaxDepth negative, or
// MaxFeatures > p).
func (rf RandomForest) FitForest(X [][]float64, y []bool) (*ForestModel, error) {
	p, err := CheckXY(X, y, false)
	if err != nil {
		return nil, err
	}
	switch {
	case rf.Trees < 0:
		return nil, fmt.Errorf("%w: RandomForest Trees = %d, want ≥ 1 (0 = 500)", ErrParameter, rf.Trees)
	case rf.MaxFeatures < 0 || rf.MaxFeatures > p:
		return nil, fmt.Errorf("%w: RandomForest MaxFeatures = %d, want 1…%d (0 = ⌊√p⌋)", ErrParameter, rf.MaxFeatures, p)
	case rf.MinLeaf < 0:
		return nil, fmt.Errorf("%w: RandomForest MinLeaf = %d, want ≥ 1 (0 = 1)", ErrParameter, rf.MinLeaf)
	case rf.MaxDepth < 0:
		return nil, fmt.Errorf("%w: RandomForest MaxDepth = %d, want ≥ 1 (0 = unlimited)", ErrParameter, rf.MaxDepth)
	}
	T := rf.Trees
	if T == 0 {
		T = 500
	}
	mtry := rf.MaxFeatures
	if mtry == 0 {
		mtry = max(1, int(math.Floor(math.Sqrt(float64(p)))))
	}
	minLeaf := max(1, rf.MinLeaf)
	n := len(X)
	m := &ForestModel{trees: make([]cartTree, T), oob: make([][]int32, T),
		x: make([]float64, n*p), y: slices.Clone(y), n: n, p: p}
	for i, row := range X {
		copy(m.x[i*p:], row)
	}
	imps := make([][]float64, T)
	forEachIndex(T, func(t int) {
		rng := streamRNG(rf.Seed, uint64(t))
		w := make([]float64, n)
		for range n {
			w[rng.IntN(n)]++
		}
		var in []int
		var out []int32
		for i, c := range w {
			if c > 0 {
				in = append(in, i)
			} else {
				out = append(out, int32(i))
			}
		}
		b := cartBuilder{x: m.x, p: p, y: m.y, w: w, mtry: mtry, minLeaf: minLeaf,
			maxDepth: rf.MaxDepth, rng: rng}
		m.trees[t], imps[t] = b.grow(in)
		m.oob[t] = out
	})

	// Out-of-bag predictions, accumulated in tree order.
	sum := make([]float64, n)
	cnt := make([]int, n)
	for t := range m.trees {
		for _, i := range m.oob[t] {
			sum[i] += m.trees[t].leafValue(m.x[int(i)*p : int(i+1)*p])
			cnt[i]++
		}
	}
	m.oobProba = make([]float64, n)
	correct := 0
	for i := range sum {
		if cnt[i] == 0 {
			m.oobProba[i] = math.NaN()
			continue
		}
		m.oobProba[i] = sum[i] / float64(cnt[i])
		m.oobCount++
		if (m.oobProba[i] > 0.5) == y[i] {
			correct++
		}
	}
	m.oobAcc = math.NaN()
	if m.oobCount > 0 {
		m.oobAcc = float64(correct) / float64(m.oobCount)
	}

	// Impurity importance: per-tree normalised, averaged, renormalised
	// (scikit-learn's feature_importances_).
	m.importance = make([]float64, p)
	used := 0
	for t, imp := range imps {
		if len(m.trees[t].value) <= 1 {
			continue
		}
		var s float64
		for _, v := range imp {
			s += v
		}
		if s == 0 {
			continue
		}
		used++
		for j, v := range imp {
			m.importance[j] += v / s
		}
	}
	if used > 0 {
		var s float64
		for _, v := range m.importance {
			s += v
		}
		for j := range m.importance {
			m.importance[j] /= s
		}
	}
	return m, nil
}

// PredictProba returns P(case | x) for every row of X as the mean over the
// trees of the weighted fraction of cases in the leaf x falls in
// (scikit-learn's convention; Breiman's original forest takes a majority
// vote of the trees instead).
func (m *ForestModel) PredictProba(X [][]float64) ([]float64, error) {
	p, err := CheckX(X, false)
	if err != nil {
		return nil, err
	}
	if p != m.p {
		return nil, fmt.Errorf("%w: X has %d columns, the forest was fitted on %d", ErrShape, p, m.p)
	}
	out := make([]float64, len(X))
	const chunk = 64
	forEachIndex((len(X)+chunk-1)/chunk, func(c int) {
		for i := c * chunk; i < min(len(X), (c+1)*chunk); i++ {
			var s float64
			for t := range m.trees {
				s += m.trees[t].leafValue(X[i])
			}
			out[i] = s / float64(len(m.trees))
		}
	})
	return out, nil
}

// Trees returns the number of trees.
func (m *ForestModel) Trees() int { return len(m.trees) }

// OOBProba returns, for every training row, the mean leaf case fraction
// over the trees whose bootstrap sample left that row out (scikit-learn's
// oob_decision_function_[:, 1]); NaN for a row that every tree saw
// (probability about e^−Trees).
func (m *ForestModel) OOBProba() []float64 { return slices.Clone(m.oobProba) }

// OOBAccuracy returns the fraction of training rows with an OOB
// prediction whose OOB probability is on the right side of 0.5 (> 0.5 for
// a case; scikit-learn's oob_score_). Rows without an OOB prediction are
// left out (scikit-learn counts them as predicted controls).
func (m *ForestModel) OOBAccuracy() float64 { return m.oobAcc }

// OOBError returns 1 − OOBAccuracy, Breiman's out-of-bag error estimate.
func (m *ForestModel) OOBError() float64 { return 1 - m.oobAcc }

// OOBCount returns the number of training rows that have an OOB
// prediction.
func (m *ForestModel) OOBCount() int { return m.oobCount }

// ImpurityImportance returns the mean decrease in Gini impurity of every
// feature (Breiman 2001; "Gini importance"): for each tree, the sum over
// its splits on the feature of W·G − W_L·G_L − W_R·G_R (weighted rows W and
// Gini impurity G of the node and its children), normalised to sum 1; then
// the mean over the trees, normalised to sum 1 — scikit-learn's
// feature_importances_. Trees that are a single leaf are left out; all
// zeros when every tree is.
func (m *ForestModel) ImpurityImportance() []float64 { return slices.Clone(m.importance) }
