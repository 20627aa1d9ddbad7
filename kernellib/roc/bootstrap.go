package roc

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Resampling says how a bootstrap replicate is drawn.
type Resampling int

const (
	// Stratified draws m cases from the m cases and n controls from the n
	// controls, with replacement, so every replicate keeps the class sizes
	// (pROC boot.stratified = TRUE, the default).
	Stratified Resampling = iota
	// Plain draws N = m + n observations from all N with replacement, so the
	// class sizes vary. A replicate that holds only one class has no AUC (nor
	// sensitivity, or specificity): as in pROC, which warns "NA value(s)
	// produced during bootstrap were ignored", it is dropped, and
	// BootCI.Dropped counts it.
	Plain
)

// String returns the name of the resampling scheme.
func (r Resampling) String() string {
	if r == Plain {
		return "plain"
	}
	return "stratified"
}

// DefaultReplicates is the number of bootstrap replicates and of permutations
// used when the options leave it zero (pROC's boot.n = 2000).
const DefaultReplicates = 2000

// BootOptions sets a bootstrap. The zero value is pROC's default: 2000
// stratified replicates, 95% intervals, seed 0.
type BootOptions struct {
	// Replicates is the number of bootstrap replicates; 0 means 2000.
	Replicates int
	// Level is the confidence level of the intervals; 0 means 0.95.
	Level float64
	// Seed fixes the replicates: replicate b is drawn from a generator
	// seeded with (Seed, b), so the result does not depend on GOMAXPROCS.
	Seed uint64
	// Resampling is Stratified (the default) or Plain.
	Resampling Resampling
}

// withDefaults fills the zero fields and checks the others.
func (o BootOptions) withDefaults() (BootOptions, error) {
	if o.Replicates == 0 {
		o.Replicates = DefaultReplicates
	}
	if o.Level == 0 {
		o.Level = 0.95
	}
	if o.Replicates < 2 {
		return o, fmt.Errorf("roc: %d bootstrap replicates, need at least 2", o.Replicates)
	}
	if !(o.Level > 0 && o.Level < 1) {
		return o, fmt.Errorf("roc: confidence level %v is not in (0, 1)", o.Level)
	}
	if o.Resampling != Stratified && o.Resampling != Plain {
		return o, fmt.Errorf("roc: unknown resampling scheme %d", int(o.Resampling))
	}
	return o, nil
}

// BootCI is the bootstrap distribution of a statistic and its confidence
// intervals.
type BootCI struct {
	// Estimate is the statistic on the original data.
	Estimate float64
	// SE is the bootstrap standard error: the standard deviation of the
	// replicates, with denominator B − 1.
	SE float64
	// Median is the median of the replicates (the middle value pROC prints
	// beside a bootstrap interval).
	Median float64
	// Level is the confidence level of the intervals.
	Level float64
	// Percentile is the percentile interval (Efron & Tibshirani 1993,
	// ch. 13): the (1−Level)/2 and (1+Level)/2 quantiles of the replicates,
	// by R's default quantile definition (Hyndman & Fan 1996, type 7), as
	// pROC computes it.
	Percentile [2]float64
	// BCa is the bias-corrected and accelerated interval (Efron 1987,
	// JASA 82:171; Efron & Tibshirani 1993, §14.3): the quantiles of the
	// replicates, as Percentile, at α' = Φ(z0 + (z0 + z_α)/(1 − a(z0 + z_α)))
	// for α = (1∓Level)/2.
	BCa [2]float64
	// Z0 is the BCa bias correction z0 = Φ⁻¹(#{θ* < θ̂}/B + ½#{θ* = θ̂}/B)
	// (Efron & Tibshirani 1993, eq. 14.14, replicates tied with θ̂ counted
	// ½ as SciPy does). When θ̂ lies outside the replicates the proportion
	// is clamped to [½/B, 1 − ½/B].
	Z0 float64
	// Accel is the BCa acceleration from the jackknife (Efron & Tibshirani
	// 1993, eq. 14.15 and, for several samples, eq. 15.36):
	// a = Σ_k n_k⁻³ Σ_j l_kj³ / (6 (Σ_k n_k⁻² Σ_j l_kj²)^{3/2}) with
	// l_kj = (n_k − 1)(θ̄_k − θ̂_(kj)), θ̂_(kj) the statistic without
	// observation j of sample k. A stratified bootstrap has two samples, the
	// cases and the controls (four for an unpaired comparison); a plain
	// bootstrap one, all N observations, where a reduces to
	// Σ d³ / (6 (Σ d²)^{3/2}), d = θ̄ − θ̂_(i).
	Accel float64
	// Values are the replicates, in replicate order, dropped ones left out.
	Values []float64
	// Dropped counts the replicates dropped because they held one class
	// only (Plain resampling alone; see Plain).
	Dropped int
}

// newBootCI summarises replicates vals (NaN marks a dropped replicate) of a
// statistic whose value on the original data is est, with jackknife values
// jack grouped by stratum for the acceleration.
func newBootCI(est float64, vals []float64, level float64, jack [][]float64) (*BootCI, error) {
	kept := vals[:0:0]
	for _, v := range vals {
		if !math.IsNaN(v) {
			kept = append(kept, v)
		}
	}
	ci := &BootCI{Estimate: est, Level: level, Values: kept, Dropped: len(vals) - len(kept)}
	if len(kept) < 2 {
		return nil, fmt.Errorf("%w: %d of %d bootstrap replicates held both classes, need at least 2", ErrTooFew, len(kept), len(vals))
	}
	sorted := slices.Clone(kept)
	slices.Sort(sorted)
	ci.SE = sdev(kept)
	ci.Median = quantile7(sorted, 0.5)
	lo, hi := (1-level)/2, (1+level)/2
	ci.Percentile = [2]float64{quantile7(sorted, lo), quantile7(sorted, hi)}

	b := float64(len(sorted))
	below, equal := 0, 0
	for _, v := range sorted {
		switch {
		case v < est:
			below++
		case v == est:
			equal++
		}
	}
	p0 := (float64(below) + 0.5*float64(equal)) / b
	p0 = math.Min(math.Max(p0, 0.5/b), 1-0.5/b)
	std := distuv.UnitNormal
	ci.Z0 = std.Quantile(p0)
	ci.Accel = jackAcceleration(jack)
	adj := func(alpha float64) float64 {
		w := ci.Z0 + std.Quantile(alpha)
		d := 1 - ci.Accel*w
		if d <= 0 { // beyond the pole of the transformation
			if w > 0 {
				return 1
			}
			return 0
		}
		return std.CDF(ci.Z0 + w/d)
	}
	ci.BCa = [2]float64{quantile7(sorted, adj(lo)), quantile7(sorted, adj(hi))}
	return ci, nil
}

// quantile7 is R's default sample quantile (Hyndman & Fan 1996, type 7) of
// sorted x at probability p: with h = 1 + (B−1)p, lo = ⌊h⌋, hi = ⌈h⌉,
// Q = (1 − (h−lo)) x_lo + (h−lo) x_hi, written as R's quantile.default
// does.
func quantile7(sorted []float64, p float64) float64 {
	n := len(sorted)
	index := 1 + float64(n-1)*p
	lo := int(math.Floor(index))
	hi := int(math.Ceil(index))
	lo = min(max(lo, 1), n)
	hi = min(max(hi, 1), n)
	q := sorted[lo-1]
	if index > float64(lo) && sorted[hi-1] != q {
		h := index - float64(lo)
		q = (1-h)*q + h*sorted[hi-1]
	}
	return q
}

// sdev is the sample standard deviation, denominator len(x) − 1.
func sdev(x []float64) float64 {
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	ss := 0.0
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return math.Sqrt(ss / float64(len(x)-1))
}

// jackAcceleration is the BCa acceleration from leave-one-out values grouped
// by stratum (one group for a plain bootstrap):
// a = Σ_k n_k⁻³ Σ_j l_kj³ / (6 (Σ_k n_k⁻² Σ_j l_kj²)^{3/2}),
// l_kj = (n_k − 1)(θ̄_k − θ̂_(kj)). It is 0 when every leave-one-out value
// is the same.
func jackAcceleration(strata [][]float64) float64 {
	var num, den float64
	for _, jk := range strata {
		nk := len(jk)
		if nk < 2 {
			continue
		}
		mean := 0.0
		for _, v := range jk {
			mean += v
		}
		mean /= float64(nk)
		var s2, s3 float64
		for _, v := range jk {
			d := mean - v
			s2 += d * d
			s3 += d * d * d
		}
		f := float64(nk-1) / float64(nk)
		num += f * f * f * s3
		den += f * f * s2
	}
	if den == 0 {
		return 0
	}
	return num / (6 * math.Pow(den, 1.5))
}

// sample is the two-class data set a bootstrap resamples: the class of each
// observation and the observations of each class.
type sample struct {
	truth    []bool
	cases    []int32
	controls []int32
}

func newSample(truth []bool) *sample {
	s := &sample{truth: truth}
	for i, t := range truth {
		if t {
			s.cases = append(s.cases, int32(i))
		} else {
			s.controls = append(s.controls, int32(i))
		}
	}
	return s
}

// draw fills idx (length N) with the observations of one replicate drawn
// with generator r: for Stratified the m cases come first, then the n
// controls; for Plain, N draws from all. It returns the numbers of cases and
// controls drawn.
func (s *sample) draw(r *repRNG, how Resampling, idx []int32) (m, n int) {
	if how == Plain {
		nAll := len(s.truth)
		for k := range idx {
			i := int32(r.intn(nAll))
			idx[k] = i
			if s.truth[i] {
				m++
			}
		}
		return m, nAll - m
	}
	m, n = len(s.cases), len(s.controls)
	for k := 0; k < m; k++ {
		idx[k] = s.cases[r.intn(m)]
	}
	for k := 0; k < n; k++ {
		idx[m+k] = s.controls[r.intn(n)]
	}
	return m, n
}

// jackStrata groups per-observation leave-one-out values into the strata
// of the resampling: cases and controls for Stratified, all for Plain.
func (s *sample) jackStrata(jack []float64, how Resampling) [][]float64 {
	if how == Plain {
		return [][]float64{jack}
	}
	c := make([]float64, len(s.cases))
	k := make([]float64, len(s.controls))
	for j, i := range s.cases {
		c[j] = jack[i]
	}
	for j, i := range s.controls {
		k[j] = jack[i]
	}
	return [][]float64{c, k}
}

// rankedScore is one score ranked once for fast resampled AUCs. The oriented
// scores are sorted and cut into groups of equal values; code[i] =
// 2·group(i) + [i is a case] indexes a count vector of length 2G in which a
// replicate tallies how many times it drew each observation's (group,
// class). The AUC of the replicate is then one O(G) sweep (aucCounts):
// no replicate is sorted again.
type rankedScore struct {
	code    []int32
	nGroups int
}

func newRankedScore(scores []float64, truth []bool, dir Direction) *rankedScore {
	sign := 1.0
	if dir == ControlsHigher {
		sign = -1
	}
	order := make([]int32, len(scores))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(sign*scores[a], sign*scores[b]) })
	rs := &rankedScore{code: make([]int32, len(scores))}
	g := -1
	for k, i := range order {
		if k == 0 || scores[i] != scores[order[k-1]] {
			g++
		}
		c := int32(2 * g)
		if truth[i] {
			c++
		}
		rs.code[i] = c
	}
	rs.nGroups = g + 1
	return rs
}

// tally clears cnt (length 2G) and counts the drawn observations idx in it.
func (rs *rankedScore) tally(idx []int32, cnt []int32) {
	clear(cnt)
	code := rs.code
	for _, i := range idx {
		cnt[code[i]]++
	}
}

// aucCounts is the Mann–Whitney AUC of a weighted sample given per group
// (ascending) its control count cnt[2g] and case count cnt[2g+1]:
// θ = Σ_g c_g (K_g + ½ k_g) / (m n), K_g the controls below group g, so that
// a tied case–control pair counts ½. It is computed in integers, hence
// exactly the same for the same multiset of observations.
func aucCounts(cnt []int32, m, n int) float64 {
	var below, sum int64
	for g := 0; g+1 < len(cnt); g += 2 {
		k, c := int64(cnt[g]), int64(cnt[g+1])
		sum += c * (2*below + k)
		below += k
	}
	return float64(sum) / (2 * float64(m) * float64(n))
}

// jackAUC returns the leave-one-out AUCs θ̂_(i), i = 0..N−1, in O(N) from
// the placements (DeLong et al. 1988): leaving out case i gives
// (S − V_i)/((m−1)n) and leaving out control j gives (S − W_j)/(m(n−1)),
// where S = mnθ̂, V_i = #{controls below x_i} + ½#{tied}, W_j =
// #{cases above y_j} + ½#{tied}. The original AUC is returned too.
func (rs *rankedScore) jackAUC(truth []bool) (jack []float64, auc float64) {
	cnt := make([]int64, 2*rs.nGroups)
	for _, c := range rs.code {
		cnt[c]++
	}
	m, n := countClasses(truth)
	// Doubled placements per group: V2[g] = 2K_g + k_g, W2[g] = 2(m − C_g − c_g) + c_g.
	v2 := make([]int64, rs.nGroups)
	w2 := make([]int64, rs.nGroups)
	var below, casesBelow, s2 int64
	for g := 0; g < rs.nGroups; g++ {
		k, c := cnt[2*g], cnt[2*g+1]
		v2[g] = 2*below + k
		w2[g] = 2*(int64(m)-casesBelow-c) + c
		s2 += c * v2[g]
		below += k
		casesBelow += c
	}
	auc = float64(s2) / (2 * float64(m) * float64(n))
	jack = make([]float64, len(truth))
	for i, c := range rs.code {
		g := c / 2
		if truth[i] {
			jack[i] = float64(s2-v2[g]) / (2 * float64(m-1) * float64(n))
		} else {
			jack[i] = float64(s2-w2[g]) / (2 * float64(m) * float64(n-1))
		}
	}
	return jack, auc
}

// BootstrapAUC is the bootstrap distribution of the AUC of one score, with
// its standard error and percentile and BCa intervals (Efron & Tibshirani
// 1993; Efron 1987), as pROC's ci.auc(method = "bootstrap") (Carpenter &
// Bithell 2000 percentile interval) and beyond.
//
// The scores are ranked once; a replicate is a vector of draw counts per
// observation and its AUC one O(N) sweep over the sorted order, ties
// counting ½ (see aucCounts), so B replicates cost O(N log N + B·N) and run
// in parallel on GOMAXPROCS goroutines with the same result on any number.
// It needs at least 2 cases and 2 controls.
func BootstrapAUC(scores []float64, truth []bool, dir Direction, opt BootOptions) (*BootCI, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := checkVariance(scores, truth); err != nil {
		return nil, err
	}
	s := newSample(truth)
	rs := newRankedScore(scores, truth, dir)
	jack, est := rs.jackAUC(truth)
	vals := bootAUCValues(s, []*rankedScore{rs}, opt, streamBootstrap)[0]
	return newBootCI(est, vals, opt.Level, s.jackStrata(jack, opt.Resampling))
}

// bootAUCValues returns, for each score of rss, the AUC of each replicate
// (NaN where a Plain replicate held one class). All scores share the
// replicates' draws, so they are paired.
func bootAUCValues(s *sample, rss []*rankedScore, opt BootOptions, stream uint64) [][]float64 {
	return bootCountValues(s, rss, opt, stream, aucCounts)
}

// bootCountValues is bootAUCValues for any statistic of a replicate's
// tallies (cnt per group and class, m cases, n controls).
func bootCountValues(s *sample, rss []*rankedScore, opt BootOptions, stream uint64, stat func(cnt []int32, m, n int) float64) [][]float64 {
	vals := make([][]float64, len(rss))
	for k := range vals {
		vals[k] = make([]float64, opt.Replicates)
	}
	parallelReplicates(opt.Replicates, func() func(b int) {
		var r repRNG
		idx := make([]int32, len(s.truth))
		cnt := make([][]int32, len(rss))
		for k, rs := range rss {
			cnt[k] = make([]int32, 2*rs.nGroups)
		}
		return func(b int) {
			r.seed(opt.Seed, stream, b)
			m, n := s.draw(&r, opt.Resampling, idx)
			for k, rs := range rss {
				if m == 0 || n == 0 {
					vals[k][b] = math.NaN()
					continue
				}
				rs.tally(idx, cnt[k])
				vals[k][b] = stat(cnt[k], m, n)
			}
		}
	})
	return vals
}

// checkPaired validates two paired scores against one truth vector.
func checkPaired(x, y []float64, truth []bool) error {
	if len(x) != len(y) {
		return fmt.Errorf("%w: paired scores have %d and %d values", ErrLength, len(x), len(y))
	}
	if err := checkVariance(x, truth); err != nil {
		return fmt.Errorf("first score: %w", err)
	}
	if err := checkVariance(y, truth); err != nil {
		return fmt.Errorf("second score: %w", err)
	}
	return nil
}

// BootstrapAUCDiff is the bootstrap distribution of the difference
// AUC(x) − AUC(y) of two scores measured on the same observations (paired):
// every replicate resamples observations, not scores, so the correlation of
// the two AUCs is kept (pROC's roc.test(method = "bootstrap", paired = TRUE)
// resampling). Its standard error, percentile and BCa intervals are those
// of BootCI; the jackknife leaves one observation out of both scores.
func BootstrapAUCDiff(x, y []float64, truth []bool, dirX, dirY Direction, opt BootOptions) (*BootCI, error) {
	diff, _, _, err := bootDiff(x, y, truth, dirX, dirY, opt)
	return diff, err
}

// bootDiff is BootstrapAUCDiff that also returns the two AUCs.
func bootDiff(x, y []float64, truth []bool, dirX, dirY Direction, opt BootOptions) (diff *BootCI, ax, ay float64, err error) {
	opt, err = opt.withDefaults()
	if err != nil {
		return nil, 0, 0, err
	}
	if err := checkPaired(x, y, truth); err != nil {
		return nil, 0, 0, err
	}
	s := newSample(truth)
	rx, ry := newRankedScore(x, truth, dirX), newRankedScore(y, truth, dirY)
	jx, ax := rx.jackAUC(truth)
	jy, ay := ry.jackAUC(truth)
	for i := range jx {
		jx[i] -= jy[i]
	}
	v := bootAUCValues(s, []*rankedScore{rx, ry}, opt, streamBootstrap)
	for b := range v[0] {
		v[0][b] -= v[1][b]
	}
	diff, err = newBootCI(ax-ay, v[0], opt.Level, s.jackStrata(jx, opt.Resampling))
	return diff, ax, ay, err
}

// BootTest is a bootstrap test of two AUCs.
type BootTest struct {
	// AUC1 and AUC2 are the AUCs on the original data.
	AUC1, AUC2 float64
	// D = (AUC1 − AUC2) / sd(AUC1* − AUC2*), the difference over its
	// bootstrap standard error (Hanley & McNeil 1983; pROC's roc.test
	// method "bootstrap").
	D float64
	// P is the two-sided p-value 2Φ(−|D|).
	P float64
	// Diff is the bootstrap distribution of AUC1* − AUC2* with its
	// intervals.
	Diff *BootCI
}

// newBootTest forms D and its p-value. As pROC, D = 0 when every replicate
// difference is 0 and the AUCs are equal.
func newBootTest(a1, a2 float64, diff *BootCI) *BootTest {
	t := &BootTest{AUC1: a1, AUC2: a2, Diff: diff}
	t.D = (a1 - a2) / diff.SE
	if math.IsNaN(t.D) {
		t.D = 0
	}
	t.P = 2 * distuv.UnitNormal.CDF(-math.Abs(t.D))
	return t
}

// BootstrapTest is the paired bootstrap test of two AUCs measured on the same
// observations, pROC's roc.test(method = "bootstrap", paired = TRUE):
// D = (AUC(x) − AUC(y)) / sd(AUC(x)* − AUC(y)*) over the replicates
// of BootstrapAUCDiff, referred to the standard normal (two-sided).
func BootstrapTest(x, y []float64, truth []bool, dirX, dirY Direction, opt BootOptions) (*BootTest, error) {
	diff, ax, ay, err := bootDiff(x, y, truth, dirX, dirY, opt)
	if err != nil {
		return nil, err
	}
	return newBootTest(ax, ay, diff), nil
}

// BootstrapTestUnpaired is the unpaired bootstrap test of two AUCs from
// independent samples, pROC's roc.test(method = "bootstrap",
// paired = FALSE): each replicate resamples the two samples independently,
// and D = (AUC₁ − AUC₂) / sd(AUC₁* − AUC₂*) is referred to the standard
// normal (two-sided). A Plain replicate in which either sample holds one
// class is dropped.
func BootstrapTestUnpaired(x []float64, truthX []bool, dirX Direction, y []float64, truthY []bool, dirY Direction, opt BootOptions) (*BootTest, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := checkVariance(x, truthX); err != nil {
		return nil, fmt.Errorf("first sample: %w", err)
	}
	if err := checkVariance(y, truthY); err != nil {
		return nil, fmt.Errorf("second sample: %w", err)
	}
	sx, sy := newSample(truthX), newSample(truthY)
	rx, ry := newRankedScore(x, truthX, dirX), newRankedScore(y, truthY, dirY)
	jx, ax := rx.jackAUC(truthX)
	jy, ay := ry.jackAUC(truthY)
	vx := bootAUCValues(sx, []*rankedScore{rx}, opt, streamBootstrap)[0]
	vy := bootAUCValues(sy, []*rankedScore{ry}, opt, streamBootstrapSecond)[0]
	for b := range vx {
		vx[b] -= vy[b]
	}
	for i := range jy {
		jy[i] = ax - jy[i]
	}
	for i := range jx {
		jx[i] -= ay
	}
	strata := append(sx.jackStrata(jx, opt.Resampling), sy.jackStrata(jy, opt.Resampling)...)
	diff, err := newBootCI(ax-ay, vx, opt.Level, strata)
	if err != nil {
		return nil, err
	}
	return newBootTest(ax, ay, diff), nil
}

// BootSeSp is the bootstrap distribution of the sensitivity and the
// specificity at one threshold.
type BootSeSp struct {
	// Threshold is the threshold, on the scale of the scores.
	Threshold float64
	// Sensitivity and Specificity share their replicates.
	Sensitivity, Specificity *BootCI
}

// BootstrapSeSp is the bootstrap distribution, standard errors and
// percentile and BCa intervals of the sensitivity tp/m and specificity tn/n
// at a threshold t, as pROC's ci.thresholds: with CasesHigher an observation
// is called positive when its score is ≥ t, with ControlsHigher when it is
// ≤ t (pROC's roc_utils_perfs). A Plain replicate with one class is dropped
// for both.
func BootstrapSeSp(scores []float64, truth []bool, dir Direction, threshold float64, opt BootOptions) (*BootSeSp, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := checkVariance(scores, truth); err != nil {
		return nil, err
	}
	if math.IsNaN(threshold) {
		return nil, fmt.Errorf("%w: threshold is NaN", ErrNotFinite)
	}
	// code: 2·[positive] + [case]; cnt[0] true negatives, cnt[1] false
	// negatives, cnt[2] false positives, cnt[3] true positives.
	code := make([]int32, len(scores))
	var orig [4]int
	for i, x := range scores {
		pos := x >= threshold
		if dir == ControlsHigher {
			pos = x <= threshold
		}
		if pos {
			code[i] = 2
		}
		if truth[i] {
			code[i]++
		}
		orig[code[i]]++
	}
	m, n := orig[1]+orig[3], orig[0]+orig[2]
	seHat := float64(orig[3]) / float64(m)
	spHat := float64(orig[0]) / float64(n)
	// Leave-one-out: a case changes only the sensitivity, a control only
	// the specificity.
	jse := make([]float64, len(scores))
	jsp := make([]float64, len(scores))
	for i, c := range code {
		jse[i], jsp[i] = seHat, spHat
		switch c {
		case 3:
			jse[i] = float64(orig[3]-1) / float64(m-1)
		case 1:
			jse[i] = float64(orig[3]) / float64(m-1)
		case 0:
			jsp[i] = float64(orig[0]-1) / float64(n-1)
		case 2:
			jsp[i] = float64(orig[0]) / float64(n-1)
		}
	}
	s := newSample(truth)
	se := make([]float64, opt.Replicates)
	sp := make([]float64, opt.Replicates)
	parallelReplicates(opt.Replicates, func() func(b int) {
		var r repRNG
		idx := make([]int32, len(truth))
		return func(b int) {
			r.seed(opt.Seed, streamBootstrap, b)
			bm, bn := s.draw(&r, opt.Resampling, idx)
			if bm == 0 || bn == 0 {
				se[b], sp[b] = math.NaN(), math.NaN()
				return
			}
			var cnt [4]int
			for _, i := range idx {
				cnt[code[i]]++
			}
			se[b] = float64(cnt[3]) / float64(bm)
			sp[b] = float64(cnt[0]) / float64(bn)
		}
	})
	out := &BootSeSp{Threshold: threshold}
	if out.Sensitivity, err = newBootCI(seHat, se, opt.Level, s.jackStrata(jse, opt.Resampling)); err != nil {
		return nil, err
	}
	if out.Specificity, err = newBootCI(spHat, sp, opt.Level, s.jackStrata(jsp, opt.Resampling)); err != nil {
		return nil, err
	}
	return out, nil
}
