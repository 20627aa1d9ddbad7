package learn

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// Selection is a fitted feature selection: it keeps the input columns
// Keep, in increasing order, and drops the others.
type Selection struct {
	// Method names the selector ("mann-whitney", "correlation", "mrmr",
	// "lasso", "keep").
	Method string
	// Keep are the kept input columns, increasing.
	Keep []int
	// Score is, per input column, the statistic the selector ranked on:
	// the Mann–Whitney p-value (Mann–Whitney and correlation filters), the
	// relevance I(x; y) in nats (mRMR), the λ at which the feature entered
	// the lasso path (0 if it never did); nil for KeepColumns.
	Score []float64
	// Order is the order in which the features were selected (mRMR: the
	// greedy order; lasso: the order of entry on the path); nil otherwise.
	Order []int
	// Partner is, for the correlation filter, per input column: the kept
	// column it correlates with above the threshold when it was dropped for
	// redundancy, −1 otherwise; nil for the other selectors.
	Partner []int
	width   int
}

// Transform keeps the selected columns of X.
func (s *Selection) Transform(X [][]float64) ([][]float64, error) {
	p, err := CheckX(X, true)
	if err != nil {
		return nil, err
	}
	if p != s.width {
		return nil, fmt.Errorf("%w: %d columns, the %s selection was fitted on %d", ErrShape, p, s.Method, s.width)
	}
	out := make([][]float64, len(X))
	for i, row := range X {
		r := make([]float64, len(s.Keep))
		for k, j := range s.Keep {
			r[k] = row[j]
		}
		out[i] = r
	}
	return out, nil
}

// Columns returns the kept input columns.
func (s *Selection) Columns() []int { return slices.Clone(s.Keep) }

// MannWhitneyTest is the result of a two-sided Mann–Whitney U test.
type MannWhitneyTest struct {
	// U is the statistic of the cases, R₁ − m(m+1)/2 with R₁ the rank sum
	// of the m cases among all values (mid-ranks for ties); U/(mn) is the
	// AUC of the values as a score.
	U float64
	// Z is the continuity-corrected normal deviate and P the two-sided
	// p-value.
	Z, P float64
}

// MannWhitney tests whether the values of cases and controls differ in
// location (Mann & Whitney 1947; Wilcoxon rank-sum) by the normal
// approximation with tie and continuity corrections, as SciPy's
// mannwhitneyu(method="asymptotic", use_continuity=True, two-sided):
// with U = max(U₁, mn − U₁), μ = mn/2 and
// σ² = mn/12 · [(N+1) − Σ(t³−t)/(N(N−1))] over the tie groups of sizes t,
// z = (U − μ − ½)/σ and p = min(1, 2·(1 − Φ(z))). All values tied give
// p = 1. The values must be finite.
func MannWhitney(values []float64, y []bool) (MannWhitneyTest, error) {
	if len(values) != len(y) {
		return MannWhitneyTest{}, fmt.Errorf("%w: %d values for %d labels", ErrShape, len(values), len(y))
	}
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return MannWhitneyTest{}, fmt.Errorf("%w: value %d is %v", ErrNotFinite, i, v)
		}
	}
	if err := cvCheckBothClasses(y); err != nil {
		return MannWhitneyTest{}, err
	}
	return mannWhitney(values, y, make([]int, len(values))), nil
}

// mannWhitney is MannWhitney on checked input; idx is scratch of len n.
func mannWhitney(values []float64, y []bool, idx []int) MannWhitneyTest {
	n := len(values)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return values[idx[a]] < values[idx[b]] })
	r1, m, ties := 0.0, 0, 0.0
	for i := 0; i < n; {
		j := i + 1
		for j < n && values[idx[j]] == values[idx[i]] {
			j++
		}
		mid := float64(i+j+1) / 2
		t := float64(j - i)
		ties += t*t*t - t
		for k := i; k < j; k++ {
			if y[idx[k]] {
				r1 += mid
			}
		}
		i = j
	}
	for _, v := range y {
		if v {
			m++
		}
	}
	fm, fn, N := float64(m), float64(n-m), float64(n)
	u1 := r1 - fm*(fm+1)/2
	u := math.Max(u1, fm*fn-u1)
	mu := fm * fn / 2
	s := math.Sqrt(fm * fn / 12 * ((N + 1) - ties/(N*(N-1))))
	z := (u - mu - 0.5) / s
	p := 1.0
	if s > 0 {
		p = math.Min(1, math.Erfc(z/math.Sqrt2))
	} else {
		z = math.NaN()
	}
	return MannWhitneyTest{U: u1, Z: z, P: p}
}

// mannWhitneyAll returns the Mann–Whitney p-value of every column of X.
func mannWhitneyAll(X [][]float64, y []bool) []float64 {
	n, p := len(X), len(X[0])
	col := make([]float64, n)
	idx := make([]int, n)
	out := make([]float64, p)
	for j := 0; j < p; j++ {
		for i, row := range X {
			col[i] = row[j]
		}
		out[j] = mannWhitney(col, y, idx).P
	}
	return out
}

// MannWhitneyFilter is a univariate filter: it ranks the features by the
// p-value of the two-sided Mann–Whitney U test between cases and controls
// (MannWhitney) in the training rows and keeps the K with the smallest
// p-values (ties to the lower column), or, with K = 0, every feature with
// p < P. Exactly one of K > 0 and P in (0, 1] is set. Keeping no feature
// is an error (ErrTooFew). The p-values are a ranking device here, not
// tests: no multiplicity correction is applied.
type MannWhitneyFilter struct {
	K int
	P float64
}

// Fit ranks the columns of X on the training rows.
func (f MannWhitneyFilter) Fit(X [][]float64, y []bool) (Transform, error) {
	p, err := CheckXY(X, y, false)
	if err != nil {
		return nil, err
	}
	if (f.K > 0) == (f.P > 0) || f.K < 0 || f.P < 0 || f.P > 1 {
		return nil, fmt.Errorf("%w: Mann–Whitney filter K = %d, P = %v: want exactly one of K ≥ 1 and P in (0, 1]", ErrParameter, f.K, f.P)
	}
	pv := mannWhitneyAll(X, y)
	s := &Selection{Method: "mann-whitney", Score: pv, width: p}
	if f.K > 0 {
		s.Keep = selectSmallest(pv, min(f.K, p))
	} else {
		for j, v := range pv {
			if v < f.P {
				s.Keep = append(s.Keep, j)
			}
		}
		if len(s.Keep) == 0 {
			best := slices.Min(pv)
			return nil, fmt.Errorf("%w: no feature has a Mann–Whitney p < %v (smallest %.4g)", ErrTooFew, f.P, best)
		}
	}
	return s, nil
}

// selectSmallest returns the columns of the k smallest scores (ties to the
// lower column), increasing.
func selectSmallest(score []float64, k int) []int {
	idx := make([]int, len(score))
	for j := range idx {
		idx[j] = j
	}
	sort.SliceStable(idx, func(a, b int) bool { return score[idx[a]] < score[idx[b]] })
	keep := slices.Clone(idx[:k])
	slices.Sort(keep)
	return keep
}

// CorrelationFilter removes redundancy: of every pair of features whose
// Pearson correlation |r| in the training rows exceeds Threshold it drops
// one, keeping the more univariately significant (smaller Mann–Whitney
// p-value, ties to the lower column). Greedily: the features are visited in
// order of increasing p-value and one is kept when |r| ≤ Threshold with
// every feature kept before it. A constant feature has no correlation and
// is treated as uncorrelated (r = 0). Threshold is in (0, 1).
type CorrelationFilter struct {
	Threshold float64
}

// Fit finds the kept columns of X on the training rows.
func (f CorrelationFilter) Fit(X [][]float64, y []bool) (Transform, error) {
	p, err := CheckXY(X, y, false)
	if err != nil {
		return nil, err
	}
	if !(f.Threshold > 0 && f.Threshold < 1) {
		return nil, fmt.Errorf("%w: correlation threshold %v, want a value in (0, 1)", ErrParameter, f.Threshold)
	}
	pv := mannWhitneyAll(X, y)
	order := make([]int, p)
	for j := range order {
		order[j] = j
	}
	sort.SliceStable(order, func(a, b int) bool { return pv[order[a]] < pv[order[b]] })
	cols := columnsCentred(X)
	s := &Selection{Method: "correlation", Score: pv, Partner: make([]int, p), width: p}
	for j := range s.Partner {
		s.Partner[j] = -1
	}
	var kept []int
	for _, j := range order {
		ok := true
		for _, k := range kept {
			if math.Abs(corrCentred(cols[j], cols[k])) > f.Threshold {
				s.Partner[j] = k
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, j)
		}
	}
	slices.Sort(kept)
	s.Keep = kept
	return s, nil
}

// columnsCentred returns the columns of X, centred on their means.
func columnsCentred(X [][]float64) [][]float64 {
	n, p := len(X), len(X[0])
	cols := make([][]float64, p)
	for j := range cols {
		c := make([]float64, n)
		m := 0.0
		for i, row := range X {
			c[i] = row[j]
			m += row[j]
		}
		m /= float64(n)
		for i := range c {
			c[i] -= m
		}
		cols[j] = c
	}
	return cols
}

// corrCentred is Pearson's r of two centred columns, 0 when either is
// constant.
func corrCentred(a, b []float64) float64 {
	sab, saa, sbb := 0.0, 0.0, 0.0
	for i, v := range a {
		sab += v * b[i]
		saa += v * v
		sbb += b[i] * b[i]
	}
	if saa == 0 || sbb == 0 {
		return 0
	}
	return sab / math.Sqrt(saa*sbb)
}

// Pearson is Pearson's product-moment correlation of two columns,
// r = Σ(aᵢ−ā)(bᵢ−b̄)/√(Σ(aᵢ−ā)² Σ(bᵢ−b̄)²), 0 when either is constant.
func Pearson(a, b []float64) (float64, error) {
	if len(a) != len(b) || len(a) < 2 {
		return 0, fmt.Errorf("%w: columns of %d and %d values, want equal lengths ≥ 2", ErrShape, len(a), len(b))
	}
	X := make([][]float64, len(a))
	for i := range a {
		X[i] = []float64{a[i], b[i]}
	}
	for i, row := range X {
		for _, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("%w: row %d: %v", ErrNotFinite, i, v)
			}
		}
	}
	cols := columnsCentred(X)
	return corrCentred(cols[0], cols[1]), nil
}

// MRMR is minimum-redundancy maximum-relevance selection (Peng, Long &
// Ding, IEEE TPAMI 27:8, 2005) with the MID (mutual information
// difference) criterion: the first feature maximises the relevance
// I(x_j; y); each next one maximises
//
//	I(x_j; y) − (1/|S|) Σ_{s∈S} I(x_j; x_s)
//
// over the features not yet in S, until K are selected (ties to the lower
// column). Mutual information is the plug-in (maximum-likelihood)
// estimate in nats on discretised features,
// I(a; b) = Σ p(a,b) log[p(a,b)/(p(a)p(b))] over the cells of their
// contingency table (scikit-learn's mutual_info_score); each feature is
// discretised into three states at μ ± Width·σ of its training values
// (μ the mean, σ the population SD; below, between, above), as Peng et
// al. discretised their continuous data sets (Width 1 or 0.5). This
// estimator is biased upward for small n and does not see effects inside
// a state; it ranks, it does not measure.
type MRMR struct {
	K int
	// Width is the half-width of the middle state in SDs (0: 1).
	Width float64
}

// Fit selects K columns of X on the training rows.
func (f MRMR) Fit(X [][]float64, y []bool) (Transform, error) {
	p, err := CheckXY(X, y, false)
	if err != nil {
		return nil, err
	}
	w := f.Width
	if w == 0 {
		w = 1
	}
	if f.K < 1 || !(w > 0) || math.IsInf(w, 0) {
		return nil, fmt.Errorf("%w: mRMR K = %d, Width = %v: want K ≥ 1 and a positive width", ErrParameter, f.K, f.Width)
	}
	k := min(f.K, p)
	disc := make([][]int, p)
	for j := range disc {
		col := make([]float64, len(X))
		for i, row := range X {
			col[i] = row[j]
		}
		disc[j] = Discretize3(col, w)
	}
	cls := make([]int, len(y))
	for i, v := range y {
		if v {
			cls[i] = 1
		}
	}
	rel := make([]float64, p)
	for j := range rel {
		rel[j] = MutualInformation(disc[j], cls)
	}
	s := &Selection{Method: "mrmr", Score: rel, width: p}
	in := make([]bool, p)
	red := make([]float64, p) // Σ_{s∈S} I(x_j; x_s)
	for len(s.Order) < k {
		best, bestV := -1, math.Inf(-1)
		for j := 0; j < p; j++ {
			if in[j] {
				continue
			}
			v := rel[j]
			if len(s.Order) > 0 {
				v -= red[j] / float64(len(s.Order))
			}
			if v > bestV {
				best, bestV = j, v
			}
		}
		in[best] = true
		s.Order = append(s.Order, best)
		for j := 0; j < p; j++ {
			if !in[j] {
				red[j] += MutualInformation(disc[j], disc[best])
			}
		}
	}
	s.Keep = cvSorted(s.Order)
	return s, nil
}

// Discretize3 maps values to three states: 0 below μ − width·σ, 2 above
// μ + width·σ, 1 between (μ the mean, σ the population SD of the values),
// Peng et al.'s (2005) discretisation of continuous features for mRMR.
func Discretize3(values []float64, width float64) []int {
	n := float64(len(values))
	mu := 0.0
	for _, v := range values {
		mu += v
	}
	mu /= n
	ss := 0.0
	for _, v := range values {
		ss += (v - mu) * (v - mu)
	}
	sd := math.Sqrt(ss / n)
	lo, hi := mu-width*sd, mu+width*sd
	out := make([]int, len(values))
	for i, v := range values {
		switch {
		case v < lo:
			out[i] = 0
		case v > hi:
			out[i] = 2
		default:
			out[i] = 1
		}
	}
	return out
}

// MutualInformation is the plug-in estimate, in nats, of the mutual
// information of two discrete variables given as non-negative integer
// labels of equal length: I(a; b) = Σ_{u,v} (n_uv/n) log(n·n_uv/(n_u n_v))
// (scikit-learn's mutual_info_score). It returns NaN for labels of
// different lengths or a negative label.
func MutualInformation(a, b []int) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return math.NaN()
	}
	na, nb := 0, 0
	for i := range a {
		if a[i] < 0 || b[i] < 0 {
			return math.NaN()
		}
		na = max(na, a[i]+1)
		nb = max(nb, b[i]+1)
	}
	joint := make([]float64, na*nb)
	ca := make([]float64, na)
	cb := make([]float64, nb)
	for i := range a {
		joint[a[i]*nb+b[i]]++
		ca[a[i]]++
		cb[b[i]]++
	}
	n := float64(len(a))
	mi := 0.0
	for u := 0; u < na; u++ {
		for v := 0; v < nb; v++ {
			if c := joint[u*nb+v]; c > 0 {
				mi += c / n * math.Log(n*c/(ca[u]*cb[v]))
			}
		}
	}
	return max(mi, 0)
}

// LassoSelect keeps the features of an L1 (or elastic-net) logistic
// regression (LogisticPath; Tibshirani 1996): with K > 0, the first K
// features to enter the path as λ decreases (features entering at the same
// λ by decreasing |β| there); otherwise the non-zero coefficients at the λ
// chosen by LogisticCV (Folds, Rule, Criterion, Seed). A chosen λ with no
// non-zero coefficient is an error (ErrTooFew): with the 1-SE rule and a
// weak signal, use K or MinRule.
type LassoSelect struct {
	K int
	// Penalty is L1 (the zero value) or ElasticNet with L1Ratio.
	Penalty   Penalty
	L1Ratio   float64
	Folds     int
	Rule      Rule
	Criterion Criterion
	Seed      uint64
}

// Fit fits the path on the training rows and keeps the features.
func (f LassoSelect) Fit(X [][]float64, y []bool) (Transform, error) {
	p, err := CheckXY(X, y, false)
	if err != nil {
		return nil, err
	}
	if f.Penalty == L2 {
		return nil, fmt.Errorf("%w: the ridge (L2) selects nothing: use L1 or ElasticNet", ErrParameter)
	}
	if f.K < 0 {
		return nil, fmt.Errorf("%w: LassoSelect K = %d", ErrParameter, f.K)
	}
	var path *Path
	var chosen *LogisticModel
	if f.K > 0 {
		path, err = LogisticPath{Penalty: f.Penalty, L1Ratio: f.L1Ratio}.Fit(X, y)
	} else {
		chosen, path, err = LogisticCV{Penalty: f.Penalty, L1Ratio: f.L1Ratio, Folds: f.Folds, Rule: f.Rule,
			Criterion: f.Criterion, Seed: f.Seed}.FitPath(X, y)
	}
	if err != nil {
		return nil, err
	}
	s := &Selection{Method: "lasso", Score: make([]float64, p), width: p}
	var entered []int
	for j, k := range path.Entry {
		if k >= 0 {
			s.Score[j] = path.Lambda[k]
			entered = append(entered, j)
		}
	}
	sort.SliceStable(entered, func(a, b int) bool {
		ka, kb := path.Entry[entered[a]], path.Entry[entered[b]]
		if ka != kb {
			return ka < kb
		}
		return math.Abs(path.StdCoef[ka][entered[a]]) > math.Abs(path.StdCoef[kb][entered[b]])
	})
	s.Order = entered
	if f.K > 0 {
		s.Order = entered[:min(f.K, len(entered))]
	} else {
		s.Order = nil
		for _, j := range entered {
			if chosen.StdCoef[j] != 0 {
				s.Order = append(s.Order, j)
			}
		}
	}
	if len(s.Order) == 0 {
		return nil, fmt.Errorf("%w: the lasso selected no feature at the λ = %.4g chosen by cross-validation (%v rule)", ErrTooFew, chosen.Lambda, f.Rule)
	}
	s.Keep = cvSorted(s.Order)
	return s, nil
}

// KeepColumns keeps a caller-given set of input columns: the hook for a
// feature-stability filter, e.g. the radiomic features whose intra-class
// correlation between two segmentations (ICC(2,1) or ICC(3,1), Shrout &
// Fleiss 1979; Koo & Li 2016) exceeds 0.75, decided outside the model
// from repeated segmentations and applied unchanged in every fold.
// Columns must be distinct and in range.
type KeepColumns struct {
	Columns []int
}

// KeepNamed returns the KeepColumns that keeps the named features of a
// matrix whose columns are called names. An unknown or repeated name is an
// error.
func KeepNamed(names, keep []string) (KeepColumns, error) {
	pos := make(map[string]int, len(names))
	for j, n := range names {
		pos[n] = j
	}
	var k KeepColumns
	seen := map[string]bool{}
	for _, n := range keep {
		j, ok := pos[n]
		if !ok {
			return KeepColumns{}, fmt.Errorf("%w: no feature named %q", ErrParameter, n)
		}
		if seen[n] {
			return KeepColumns{}, fmt.Errorf("%w: feature %q named twice", ErrParameter, n)
		}
		seen[n] = true
		k.Columns = append(k.Columns, j)
	}
	return k, nil
}

// Fit checks the columns against X; nothing is learnt.
func (f KeepColumns) Fit(X [][]float64, y []bool) (Transform, error) {
	p, err := CheckX(X, true)
	if err != nil {
		return nil, err
	}
	if len(f.Columns) == 0 {
		return nil, fmt.Errorf("%w: KeepColumns keeps no column", ErrParameter)
	}
	seen := make([]bool, p)
	for _, j := range f.Columns {
		if j < 0 || j >= p || seen[j] {
			return nil, fmt.Errorf("%w: KeepColumns column %d: out of range [0, %d) or repeated", ErrParameter, j, p)
		}
		seen[j] = true
	}
	return &Selection{Method: "keep", Keep: cvSorted(f.Columns), width: p}, nil
}
