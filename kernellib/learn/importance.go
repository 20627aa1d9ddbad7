package learn

import (
	"fmt"
	"math"
	"slices"
)

// OOBPermutationImportance returns Breiman's permutation importance of
// every feature (Breiman 2001, §10; R randomForest's importance(type = 1,
// scale = FALSE), "mean decrease in accuracy"): for each tree, the accuracy
// on its out-of-bag rows minus the accuracy on the same rows after the
// feature's values have been randomly permuted among them, averaged over
// the trees with at least one OOB row. A tree predicts a case when its leaf
// case fraction is > 0.5. Feature j's permutations draw from the stream
// (seed, j), so the result does not depend on the number of cores. A
// forest read by LoadModel keeps no training rows: every importance is NaN.
func (m *ForestModel) OOBPermutationImportance(seed uint64) []float64 {
	imp := make([]float64, m.p)
	if m.oob == nil {
		for j := range imp {
			imp[j] = math.NaN()
		}
		return imp
	}
	p := m.p
	forEachIndex(p, func(j int) {
		rng := streamRNG(seed, uint64(j))
		var sum float64
		used := 0
		var vals []float64
		for t := range m.trees {
			oob := m.oob[t]
			if len(oob) == 0 {
				continue
			}
			vals = vals[:0]
			for _, i := range oob {
				vals = append(vals, m.x[int(i)*p+j])
			}
			rng.Shuffle(len(vals), func(a, b int) { vals[a], vals[b] = vals[b], vals[a] })
			diff := 0
			for k, i := range oob {
				row := m.x[int(i)*p : int(i+1)*p]
				if (m.trees[t].leafValue(row) > 0.5) == m.y[i] {
					diff++
				}
				if (m.trees[t].leafValueWith(row, j, vals[k]) > 0.5) == m.y[i] {
					diff--
				}
			}
			sum += float64(diff) / float64(len(oob))
			used++
		}
		if used > 0 {
			imp[j] = sum / float64(used)
		}
	})
	return imp
}

// PermutationImportance returns the permutation importance of every feature
// of a fitted model on a given set (Breiman 2001, §10; Fisher, Rudin &
// Dominici 2019; scikit-learn's inspection.permutation_importance with
// scoring="accuracy"): the accuracy of m on (X, y) — a case predicted when
// P(case) > 0.5 — minus its accuracy after column j of X has been randomly
// permuted, repeated `repeats` times; mean and population standard
// deviation (ddof 0, as scikit-learn) over the repeats. Feature j draws
// from the stream (seed, j). X is not modified. Errors wrap ErrShape,
// ErrNotFinite or ErrParameter (repeats < 1), or come from m.
func PermutationImportance(m Model, X [][]float64, y []bool, repeats int, seed uint64) (mean, sd []float64, err error) {
	if repeats < 1 {
		return nil, nil, fmt.Errorf("%w: PermutationImportance repeats = %d, want ≥ 1", ErrParameter, repeats)
	}
	if len(X) != len(y) {
		return nil, nil, fmt.Errorf("%w: %d rows of X but %d labels", ErrShape, len(X), len(y))
	}
	p, err := CheckX(X, false)
	if err != nil {
		return nil, nil, err
	}
	accuracy := func(Xs [][]float64) (float64, error) {
		pr, err := m.PredictProba(Xs)
		if err != nil {
			return 0, err
		}
		if len(pr) != len(y) {
			return 0, fmt.Errorf("%w: model returned %d probabilities for %d rows", ErrShape, len(pr), len(y))
		}
		c := 0
		for i, v := range pr {
			if (v > 0.5) == y[i] {
				c++
			}
		}
		return float64(c) / float64(len(y)), nil
	}
	base, err := accuracy(X)
	if err != nil {
		return nil, nil, err
	}
	mean = make([]float64, p)
	sd = make([]float64, p)
	Xp := make([][]float64, len(X))
	for i, row := range X {
		Xp[i] = slices.Clone(row)
	}
	col := make([]float64, len(X))
	drops := make([]float64, repeats)
	for j := range p {
		rng := streamRNG(seed, uint64(j))
		for r := range repeats {
			for i := range X {
				col[i] = X[i][j]
			}
			rng.Shuffle(len(col), func(a, b int) { col[a], col[b] = col[b], col[a] })
			for i := range Xp {
				Xp[i][j] = col[i]
			}
			acc, err := accuracy(Xp)
			if err != nil {
				return nil, nil, err
			}
			drops[r] = base - acc
		}
		for i := range Xp {
			Xp[i][j] = X[i][j]
		}
		var s float64
		for _, d := range drops {
			s += d
		}
		mu := s / float64(repeats)
		var ss float64
		for _, d := range drops {
			ss += (d - mu) * (d - mu)
		}
		mean[j], sd[j] = mu, math.Sqrt(ss/float64(repeats))
	}
	return mean, sd, nil
}
