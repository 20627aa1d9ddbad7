package cohort

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// ErrTooFew is wrapped by the errors of the tests when a group holds too few
// values for the test to be defined.
var ErrTooFew = errors.New("too few values")

// ErrNoVariation is wrapped by the errors of the tests when the data do not
// vary (zero variance, all values tied, or a single level), so that the test
// statistic is undefined.
var ErrNoVariation = errors.New("no variation")

// TestResult is the outcome of a two-sided hypothesis test.
type TestResult struct {
	// Statistic is the test statistic: t, U, χ² or W; NaN for Fisher's
	// exact test, which has none.
	Statistic float64
	// DF is the degrees of freedom for t and χ²; NaN otherwise.
	DF float64
	// P is the two-sided p-value.
	P float64
}

func checkFinite(name string, x []float64) error {
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("cohort: %s[%d] = %v: want a finite number", name, i, v)
		}
	}
	return nil
}

// meanVar returns the mean and the unbiased (n−1) variance of x, by the
// two-pass algorithm with the compensating term of Chan, Golub & LeVeque
// (1983), as gonum's stat.MeanVariance.
func meanVar(x []float64) (mean, variance float64) {
	n := float64(len(x))
	for _, v := range x {
		mean += v
	}
	mean /= n
	var ss, comp float64
	for _, v := range x {
		d := v - mean
		ss += d * d
		comp += d
	}
	variance = (ss - comp*comp/n) / (n - 1)
	return mean, variance
}

// WelchT is Welch's unequal-variance two-sample t-test (Welch, Biometrika
// 1947; Satterthwaite 1946), two-sided:
//
//	t  = (x̄a − x̄b) / √(sa²/na + sb²/nb)
//	df = (sa²/na + sb²/nb)² / ((sa²/na)²/(na−1) + (sb²/nb)²/(nb−1))
//	p  = 2·P(T_df > |t|) = I_{df/(df+t²)}(df/2, 1/2)
//
// with s² the unbiased variances and I the regularised incomplete beta
// function. It is scipy.stats.ttest_ind(a, b, equal_var=False) and R's
// t.test(a, b) (var.equal = FALSE). Each group needs two values, and the
// variances must not both be zero.
func WelchT(a, b []float64) (TestResult, error) {
	nan := TestResult{math.NaN(), math.NaN(), math.NaN()}
	if len(a) < 2 || len(b) < 2 {
		return nan, fmt.Errorf("cohort: Welch t-test: groups of %d and %d values, want at least 2 each: %w", len(a), len(b), ErrTooFew)
	}
	if err := checkFinite("a", a); err != nil {
		return nan, err
	}
	if err := checkFinite("b", b); err != nil {
		return nan, err
	}
	ma, va := meanVar(a)
	mb, vb := meanVar(b)
	na, nb := float64(len(a)), float64(len(b))
	sa, sb := va/na, vb/nb
	se2 := sa + sb
	if !(se2 > 0) {
		return nan, fmt.Errorf("cohort: Welch t-test: both groups have zero variance: %w", ErrNoVariation)
	}
	t := (ma - mb) / math.Sqrt(se2)
	df := se2 * se2 / (sa*sa/(na-1) + sb*sb/(nb-1))
	p := mathext.RegIncBeta(df/2, 0.5, df/(df+t*t))
	return TestResult{Statistic: t, DF: df, P: math.Min(p, 1)}, nil
}

// midranks returns the ranks of v (1-based, ties given the mean of the ranks
// they span) and Σ(t³ − t) over the groups of t tied values.
func midranks(v []float64) (ranks []float64, ties float64) {
	n := len(v)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(i, j int) int {
		switch {
		case v[i] < v[j]:
			return -1
		case v[i] > v[j]:
			return 1
		}
		return 0
	})
	ranks = make([]float64, n)
	for i := 0; i < n; {
		j := i + 1
		for j < n && v[idx[j]] == v[idx[i]] {
			j++
		}
		r := float64(i+j+1) / 2 // mean of ranks i+1 .. j
		for k := i; k < j; k++ {
			ranks[idx[k]] = r
		}
		t := float64(j - i)
		ties += t*t*t - t
		i = j
	}
	return ranks, ties
}

// MannWhitneyU is the Mann–Whitney U test (Mann & Whitney 1947; the
// Wilcoxon rank-sum test) by the normal approximation with the tie
// correction of the variance and a continuity correction of 1/2, two-sided:
//
//	U_a = R_a − na(na+1)/2,  U = max(U_a, na·nb − U_a)
//	σ²  = na·nb/12 · ((N+1) − Σ(t³−t)/(N(N−1)))
//	z   = (U − na·nb/2 − 1/2)/σ,  p = min(1, 2·(1 − Φ(z)))
//
// where R_a is the sum of the mid-ranks of a in the pooled sample of N
// values and t runs over the sizes of the groups of ties. It is
// scipy.stats.mannwhitneyu(a, b, method='asymptotic') (use_continuity=True)
// and R's wilcox.test(a, b, exact = FALSE, correct = TRUE). Statistic is U_a,
// as both report it. All values tied (σ = 0) is an error.
func MannWhitneyU(a, b []float64) (TestResult, error) {
	nan := TestResult{math.NaN(), math.NaN(), math.NaN()}
	if len(a) < 1 || len(b) < 1 {
		return nan, fmt.Errorf("cohort: Mann–Whitney U: groups of %d and %d values, want at least 1 each: %w", len(a), len(b), ErrTooFew)
	}
	if err := checkFinite("a", a); err != nil {
		return nan, err
	}
	if err := checkFinite("b", b); err != nil {
		return nan, err
	}
	pooled := make([]float64, 0, len(a)+len(b))
	pooled = append(append(pooled, a...), b...)
	ranks, ties := midranks(pooled)
	var ra float64
	for _, r := range ranks[:len(a)] {
		ra += r
	}
	na, nb := float64(len(a)), float64(len(b))
	n := na + nb
	ua := ra - na*(na+1)/2
	u := math.Max(ua, na*nb-ua)
	s2 := na * nb / 12 * ((n + 1) - ties/(n*(n-1)))
	if !(s2 > 0) {
		return TestResult{ua, math.NaN(), math.NaN()}, fmt.Errorf("cohort: Mann–Whitney U: all values tied: %w", ErrNoVariation)
	}
	z := (u - na*nb/2 - 0.5) / math.Sqrt(s2)
	p := math.Erfc(z / math.Sqrt2) // 2·(1 − Φ(z))
	return TestResult{Statistic: ua, DF: math.NaN(), P: math.Min(p, 1)}, nil
}

// checkTable checks a contingency table of counts and returns its row and
// column totals and grand total.
func checkTable(name string, table [][]int) (rows, cols []int, n int, err error) {
	if len(table) < 2 {
		return nil, nil, 0, fmt.Errorf("cohort: %s: table has %d rows, want at least 2: %w", name, len(table), ErrTooFew)
	}
	c := len(table[0])
	if c < 2 {
		return nil, nil, 0, fmt.Errorf("cohort: %s: table has %d columns, want at least 2: %w", name, c, ErrTooFew)
	}
	rows = make([]int, len(table))
	cols = make([]int, c)
	for i, r := range table {
		if len(r) != c {
			return nil, nil, 0, fmt.Errorf("cohort: %s: row %d has %d cells, want %d", name, i, len(r), c)
		}
		for j, v := range r {
			if v < 0 {
				return nil, nil, 0, fmt.Errorf("cohort: %s: cell [%d][%d] = %d: want a count ≥ 0", name, i, j, v)
			}
			if v > math.MaxInt32 {
				return nil, nil, 0, fmt.Errorf("cohort: %s: cell [%d][%d] = %d: want a count below 2³¹", name, i, j, v)
			}
			rows[i] += v
			cols[j] += v
			n += v
		}
	}
	for i, v := range rows {
		if v == 0 {
			return nil, nil, 0, fmt.Errorf("cohort: %s: row %d is empty: %w", name, i, ErrNoVariation)
		}
	}
	for j, v := range cols {
		if v == 0 {
			return nil, nil, 0, fmt.Errorf("cohort: %s: column %d is empty: %w", name, j, ErrNoVariation)
		}
	}
	return rows, cols, n, nil
}

// Expected returns the expected counts of a contingency table under
// independence, E_ij = r_i·c_j/N (r, c the row and column totals, N the
// grand total). Fisher's exact test is preferred over χ² when any E_ij < 5
// (Cochran 1954, the rule of Table1).
func Expected(table [][]int) ([][]float64, error) {
	rows, cols, n, err := checkTable("expected counts", table)
	if err != nil {
		return nil, err
	}
	e := make([][]float64, len(rows))
	for i, r := range rows {
		e[i] = make([]float64, len(cols))
		for j, c := range cols {
			e[i][j] = float64(r) * float64(c) / float64(n)
		}
	}
	return e, nil
}

// ChiSquare is Pearson's χ² test of independence for an r×c table of counts
// (Pearson 1900):
//
//	X² = Σ (|O_ij − E_ij| − y)² / E_ij,  df = (r−1)(c−1),  p = P(χ²_df > X²)
//
// with E_ij the expected counts (see Expected). y = 0 except for a 2×2 table
// with yates set, where y = min(1/2, |O − E|) is Yates' (1934) continuity
// correction. It is scipy.stats.chi2_contingency(table, correction=yates)
// and R's chisq.test(table, correct = yates); both correct 2×2 tables by
// default and never correct larger ones. Empty rows or columns are an error.
func ChiSquare(table [][]int, yates bool) (TestResult, error) {
	nan := TestResult{math.NaN(), math.NaN(), math.NaN()}
	e, err := Expected(table)
	if err != nil {
		return nan, fmt.Errorf("cohort: χ² test: %w", err)
	}
	df := float64((len(table) - 1) * (len(table[0]) - 1))
	var x2 float64
	for i, r := range table {
		for j, o := range r {
			d := math.Abs(float64(o) - e[i][j])
			if yates && df == 1 {
				d -= math.Min(0.5, d)
			}
			x2 += d * d / e[i][j]
		}
	}
	p := mathext.GammaIncRegComp(df/2, x2/2)
	return TestResult{Statistic: x2, DF: df, P: p}, nil
}

// fisherRelErr is the relative tolerance with which a table counts as no
// more probable than the observed one: R's fisher.test uses 1 + 10⁻⁷.
const fisherRelErr = 1 + 1e-7

// MaxExactTables bounds the number of tables FisherExact enumerates; a table
// whose margins admit more is refused with ErrTooLarge.
const MaxExactTables = 20_000_000

// MaxExactTotal bounds the grand total of a table FisherExact accepts (its
// work space grows with it); a larger table is refused with ErrTooLarge.
const MaxExactTotal = 10_000_000

// ErrTooLarge is wrapped by FisherExact's error when the exact enumeration
// would visit more than MaxExactTables tables.
var ErrTooLarge = errors.New("exact test too large")

// FisherExact is Fisher's exact test of independence (Fisher 1922, 1935) for
// a 2×2 table, and its extension by Freeman & Halton (Biometrika 1951) for a
// k×2 or 2×k table, two-sided. Conditional on the margins, a k×2 table with
// column totals (A, B), row totals r_i and first column x_i has the
// multivariate hypergeometric probability
//
//	P(x) = Π_i C(r_i, x_i) / C(N, A)
//
// and the p-value is the sum of P over all tables with the same margins and
// P ≤ P(observed)·(1 + 10⁻⁷), the tolerance of R's fisher.test. For a 2×2
// table this is scipy.stats.fisher_exact(table) and R's fisher.test(table);
// for k×2 it is R's fisher.test(table) (network algorithm of Mehta & Patel
// 1983; here every table is enumerated, at most MaxExactTables of grand
// total at most MaxExactTotal). Empty rows or columns are an error.
func FisherExact(table [][]int) (TestResult, error) {
	nan := TestResult{math.NaN(), math.NaN(), math.NaN()}
	rows, cols, n, err := checkTable("Fisher's exact test", table)
	if err != nil {
		return nan, err
	}
	if n > MaxExactTotal {
		return nan, fmt.Errorf("cohort: Fisher's exact test: grand total %d, more than %d: %w", n, MaxExactTotal, ErrTooLarge)
	}
	var r []int // the k totals of the long side
	var x []int // observed counts in the first of the two short-side classes
	var a int   // total of that class
	switch {
	case len(cols) == 2:
		r, a = rows, cols[0]
		x = make([]int, len(rows))
		for i := range table {
			x[i] = table[i][0]
		}
	case len(rows) == 2:
		r, a = cols, rows[0]
		x = slices.Clone(table[0])
	default:
		return nan, fmt.Errorf("cohort: Fisher's exact test: a %d×%d table, want 2 rows or 2 columns", len(rows), len(cols))
	}
	if cnt := countTables(r, a); cnt > MaxExactTables {
		return nan, fmt.Errorf("cohort: Fisher's exact test: margins admit %.3g tables, more than %d: %w", cnt, MaxExactTables, ErrTooLarge)
	}
	lf := make([]float64, n+1) // lf[i] = log(i!), each from Lgamma to avoid accumulating rounding
	for i := range lf {
		lf[i], _ = math.Lgamma(float64(i) + 1)
	}
	lchoose := func(m, k int) float64 { return lf[m] - lf[k] - lf[m-k] }
	logNorm := lchoose(n, a)
	var lobs float64
	for i := range r {
		lobs += lchoose(r[i], x[i])
	}
	lobs -= logNorm
	limit := lobs + math.Log(fisherRelErr)
	// suffix[i] = Σ_{j≥i} r_j bounds what the remaining rows can absorb.
	k := len(r)
	suffix := make([]int, k+1)
	for i := k - 1; i >= 0; i-- {
		suffix[i] = suffix[i+1] + r[i]
	}
	var p float64
	var walk func(i, rem int, acc float64)
	walk = func(i, rem int, acc float64) {
		if i == k-1 {
			l := acc + lchoose(r[i], rem) - logNorm
			if l <= limit {
				p += math.Exp(l)
			}
			return
		}
		lo := max(0, rem-suffix[i+1])
		hi := min(r[i], rem)
		for xi := lo; xi <= hi; xi++ {
			walk(i+1, rem-xi, acc+lchoose(r[i], xi))
		}
	}
	walk(0, a, 0)
	return TestResult{Statistic: math.NaN(), DF: math.NaN(), P: math.Min(p, 1)}, nil
}

// countTables returns the number of vectors x with 0 ≤ x_i ≤ r_i and
// Σ x_i = a, by dynamic programming over the partial sums (as a float, which
// is exact far beyond MaxExactTables).
func countTables(r []int, a int) float64 {
	ways := make([]float64, a+1)
	ways[0] = 1
	next := make([]float64, a+1)
	for _, ri := range r {
		// next[s] = Σ_{x=0..min(ri,s)} ways[s−x], by a running window sum.
		var win float64
		for s := 0; s <= a; s++ {
			win += ways[s]
			if s-ri-1 >= 0 {
				win -= ways[s-ri-1]
			}
			next[s] = win
		}
		ways, next = next, ways
	}
	return ways[a]
}

// swPoly evaluates c[0] + c[1]·x + … + c[len(c)−1]·x^(len(c)−1) in the order of
// Algorithm AS 181.2 (Royston 1982), which R's swilk.c follows.
func swPoly(c []float64, x float64) float64 {
	r := c[0]
	if len(c) > 1 {
		p := x * c[len(c)-1]
		for j := len(c) - 2; j > 0; j-- {
			p = (p + c[j]) * x
		}
		r += p
	}
	return r
}

// ShapiroWilk is the Shapiro–Wilk W test of normality (Shapiro & Wilk,
// Biometrika 1965) by Royston's approximation, Algorithm AS R94 (Royston,
// Applied Statistics 44:547–551, 1995), for 3 ≤ n ≤ 5000 values:
//
//	W = (Σ a_i x_(i))² / Σ (x_i − x̄)²
//
// with the coefficients a_i from Royston's polynomial approximation to the
// normalised expected normal order statistics, and the p-value from his
// normalising transformation of log(1 − W): exact for n = 3, a polynomial in
// n for 4 ≤ n ≤ 11 and in log n above. It follows R's shapiro.test (swilk.c,
// in double precision; scipy.stats.shapiro computes the same in single
// precision). Constant data are an error (ErrNoVariation).
func ShapiroWilk(x []float64) (TestResult, error) {
	nan := TestResult{math.NaN(), math.NaN(), math.NaN()}
	n := len(x)
	if n < 3 || n > 5000 {
		return nan, fmt.Errorf("cohort: Shapiro–Wilk test: %d values, want 3 to 5000: %w", n, ErrTooFew)
	}
	if err := checkFinite("x", x); err != nil {
		return nan, err
	}
	xs := slices.Clone(x)
	slices.Sort(xs)
	rng := xs[n-1] - xs[0]
	if !(rng > 0) {
		return nan, fmt.Errorf("cohort: Shapiro–Wilk test: all values equal: %w", ErrNoVariation)
	}
	if rng < 1e-10 { // as shapiro.test: rescale tiny ranges
		for i := range xs {
			xs[i] /= rng
		}
		rng = xs[n-1] - xs[0]
	}
	if rng < 1e-19 {
		return nan, fmt.Errorf("cohort: Shapiro–Wilk test: range %g too small: %w", rng, ErrNoVariation)
	}
	var (
		c1 = []float64{0, .221157, -.147981, -2.07119, 4.434685, -2.706056}
		c2 = []float64{0, .042981, -.293762, -1.752461, 5.682633, -3.582633}
		c3 = []float64{.544, -.39978, .025054, -6.714e-4}
		c4 = []float64{1.3822, -.77857, .062767, -.0020322}
		c5 = []float64{-1.5861, -.31082, -.083751, .0038915}
		c6 = []float64{-.4803, -.082676, .0030302}
		g  = []float64{-2.273, .459}
	)
	an := float64(n)
	nn2 := n / 2
	a := make([]float64, nn2+1) // 1-based, as in AS R94
	if n == 3 {
		a[1] = 0.70710678 // √½ to the precision of AS R94
	} else {
		an25 := an + 0.25
		var summ2 float64
		for i := 1; i <= nn2; i++ {
			a[i] = mathext.NormalQuantile((float64(i) - 0.375) / an25)
			summ2 += a[i] * a[i]
		}
		summ2 *= 2
		ssumm2 := math.Sqrt(summ2)
		rsn := 1 / math.Sqrt(an)
		a1 := swPoly(c1, rsn) - a[1]/ssumm2
		var i1 int
		var fac float64
		if n > 5 {
			i1 = 3
			a2 := -a[2]/ssumm2 + swPoly(c2, rsn)
			fac = math.Sqrt((summ2 - 2*(a[1]*a[1]) - 2*(a[2]*a[2])) / (1 - 2*(a1*a1) - 2*(a2*a2)))
			a[2] = a2
		} else {
			i1 = 2
			fac = math.Sqrt((summ2 - 2*(a[1]*a[1])) / (1 - 2*(a1*a1)))
		}
		a[1] = a1
		for i := i1; i <= nn2; i++ {
			a[i] /= -fac
		}
	}
	// coef(i) is the coefficient of the i-th (0-based) order statistic:
	// −a[i+1] in the lower half, +a[n−i] in the upper, 0 in the middle.
	coef := func(i int) float64 {
		j := n - 1 - i
		switch {
		case i < j:
			return -a[i+1]
		case i > j:
			return a[j+1]
		}
		return 0
	}
	// W as the squared correlation of the data (scaled by their range) with
	// the coefficients; 1 − W is computed directly to keep its precision.
	var sa, sx float64
	for i := 0; i < n; i++ {
		sa += coef(i)
		sx += xs[i] / rng
	}
	sa /= an
	sx /= an
	var ssa, ssx, sax float64
	for i := 0; i < n; i++ {
		asa := coef(i) - sa
		xsx := xs[i]/rng - sx
		ssa += asa * asa
		ssx += xsx * xsx
		sax += asa * xsx
	}
	ssassx := math.Sqrt(ssa * ssx)
	w1 := (ssassx - sax) * (ssassx + sax) / (ssa * ssx)
	w := 1 - w1
	if n == 3 { // exact: p = 6/π·(asin(√W) − asin(√¾))
		p := 6 / math.Pi * (math.Asin(math.Sqrt(w)) - math.Asin(math.Sqrt(0.75)))
		return TestResult{Statistic: w, DF: math.NaN(), P: math.Max(p, 0)}, nil
	}
	y := math.Log(w1)
	var m, s float64
	if n <= 11 {
		gamma := swPoly(g, an)
		if y >= gamma {
			return TestResult{Statistic: w, DF: math.NaN(), P: 1e-99}, nil
		}
		y = -math.Log(gamma - y)
		m = swPoly(c3, an)
		s = math.Exp(swPoly(c4, an))
	} else {
		lx := math.Log(an)
		m = swPoly(c5, lx)
		s = math.Exp(swPoly(c6, lx))
	}
	p := 0.5 * math.Erfc((y-m)/s/math.Sqrt2) // upper tail of N(m, s²)
	return TestResult{Statistic: w, DF: math.NaN(), P: p}, nil
}
