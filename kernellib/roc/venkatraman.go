package roc

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// PermOptions sets a permutation test. The zero value is pROC's default:
// 2000 permutations, seed 0.
type PermOptions struct {
	// Permutations is the number of permutations; 0 means 2000.
	Permutations int
	// Seed fixes the permutations: permutation b is drawn from a generator
	// seeded with (Seed, b), so the result does not depend on GOMAXPROCS.
	Seed uint64
	// PROCMixing makes the unpaired test use pROC 1.18's mixing proportion
	// (m₁ + m₂)/(2N₁) instead of Venkatraman's pooled prevalence
	// (m₁ + m₂)/(N₁ + N₂); the two agree when both samples have the same
	// size. Only for reproducing pROC's numbers.
	PROCMixing bool
}

func (o PermOptions) withDefaults() (PermOptions, error) {
	if o.Permutations == 0 {
		o.Permutations = DefaultReplicates
	}
	if o.Permutations < 1 {
		return o, fmt.Errorf("roc: %d permutations, need at least 1", o.Permutations)
	}
	return o, nil
}

// PermTest is the result of a permutation test.
type PermTest struct {
	// E is the statistic on the original data.
	E float64
	// P is the permutation p-value #{E* ≥ E} / B, as pROC computes it.
	P float64
	// Permuted holds E* of each permutation, in permutation order (for a
	// plot of the null distribution).
	Permuted []float64
}

// classOrder returns, for the scores oriented by dir (negated for
// ControlsHigher), the class of the observation at each rank, ranks taken
// with ties broken by order of appearance (R's rank(ties.method =
// "first"), pROC's default for this test), and the rank of each
// observation (0-based).
func classOrder(scores []float64, truth []bool, dir Direction) (cls []bool, rank []int32) {
	sign := 1.0
	if dir == ControlsHigher {
		sign = -1
	}
	order := make([]int32, len(scores))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(sign*scores[a], sign*scores[b]) })
	cls = make([]bool, len(scores))
	rank = make([]int32, len(scores))
	for k, i := range order {
		cls[k] = truth[i]
		rank[i] = int32(k)
	}
	return cls, rank
}

// venkatramanPairedStat is the E statistic of Venkatraman & Begg (1996) for
// two rankings of the same N observations, given the class at each rank:
// E = Σ_{x=1..N} |e_S(x) − e_R(x)|, where e(x) = FN(x) + FP(x) counts the
// cases ranked ≤ x and the controls ranked > x. As FN + FP = n − x + 2FN,
// E = 2 Σ_x |FN_S(x) − FN_R(x)|.
func venkatramanPairedStat(clsR, clsS []bool) float64 {
	var fnR, fnS, e int
	for k := range clsR {
		if clsR[k] {
			fnR++
		}
		if clsS[k] {
			fnS++
		}
		d := fnS - fnR
		if d < 0 {
			d = -d
		}
		e += d
	}
	return float64(2 * e)
}

// VenkatramanTest is the permutation test of Venkatraman & Begg (1996,
// Biometrika 83:835) that two paired ROC curves are equal at every operating
// point, as pROC's roc.test(method = "venkatraman", paired = TRUE)
// implements it. The scores are oriented (negated for ControlsHigher) and
// ranked, ties broken by order of appearance; E sums over the rank
// thresholds the absolute difference of the two scores' error counts
// (venkatramanPairedStat). A permutation exchanges the ranks of the two
// scores of each observation with probability ½ and re-ranks; ties between
// a kept and an exchanged rank are broken at random, as pROC's uniform
// jitter does. The p-value is #{E* ≥ E}/B.
//
// pROC ranks the raw predictor whatever the curves' direction: with
// ControlsHigher this test equals pROC's on the negated score.
func VenkatramanTest(x, y []float64, truth []bool, dirX, dirY Direction, opt PermOptions) (*PermTest, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(x) != len(y) {
		return nil, fmt.Errorf("%w: paired scores have %d and %d values", ErrLength, len(x), len(y))
	}
	if err := checkInput(x, truth); err != nil {
		return nil, fmt.Errorf("first score: %w", err)
	}
	if err := checkInput(y, truth); err != nil {
		return nil, fmt.Errorf("second score: %w", err)
	}
	n := len(x)
	clsR, rankR := classOrder(x, truth, dirX)
	clsS, rankS := classOrder(y, truth, dirY)
	res := &PermTest{E: venkatramanPairedStat(clsR, clsS), Permuted: make([]float64, opt.Permutations)}
	parallelReplicates(opt.Permutations, func() func(b int) {
		var r repRNG
		// Slot 4k+2 holds the unjittered rank k (0-based), slots 4k+1
		// and 4k+3 a jittered rank k below or above it: scanning the
		// slots in order ranks the permuted values.
		slotR := make([]int32, 4*n+4)
		slotS := make([]int32, 4*n+4)
		pr := make([]bool, n)
		ps := make([]bool, n)
		return func(b int) {
			r.seed(opt.Seed, streamVenkatraman, b)
			for i := range slotR {
				slotR[i], slotS[i] = -1, -1
			}
			for i := 0; i < n; i++ {
				u := r.pcg.Uint64()
				keep, lowR, lowS := u&1 == 1, u&2 == 2, u&4 == 4
				kr, ks := 4*int(rankR[i])+2, 4*int(rankS[i])+2
				if keep { // R3 = jittered R, S3 = jittered S
					if lowR {
						kr--
					} else {
						kr++
					}
					if lowS {
						ks--
					} else {
						ks++
					}
					slotR[kr], slotS[ks] = int32(i), int32(i)
				} else { // R3 = S, S3 = R, unjittered
					slotR[ks], slotS[kr] = int32(i), int32(i)
				}
			}
			pack(slotR, truth, pr)
			pack(slotS, truth, ps)
			res.Permuted[b] = venkatramanPairedStat(pr, ps)
		}
	})
	res.P = permP(res.E, res.Permuted)
	return res, nil
}

// pack writes the classes of the occupied slots, in slot order, into cls.
func pack(slots []int32, truth []bool, cls []bool) {
	k := 0
	for _, i := range slots {
		if i >= 0 {
			cls[k] = truth[i]
			k++
		}
	}
}

// permP is #{E* ≥ E}/B.
func permP(e float64, perm []float64) float64 {
	c := 0
	for _, v := range perm {
		if v >= e {
			c++
		}
	}
	return float64(c) / float64(len(perm))
}

// venkatramanUnpaired holds what the unpaired statistic needs of one sample.
type venkatramanUnpaired struct {
	cases, controls int
}

// unpairedCurve returns, for a sample whose classes in rank order are cls,
// the points (p(x), e(x)), x = 1..N, of Venkatraman (2000): p = π F(x) +
// (1 − π) G(x) the mixture distribution at rank x and e = π F(x) + (1 − π)
// (1 − G(x)) the error rate, F and G the empirical distributions of the
// ranks of the cases and controls, π the mixing proportion. They are sorted
// by p, points with equal p averaged, as R's approxfun does.
func unpairedCurve(cls []bool, s venkatramanUnpaired, mp float64, px, ey []float64) (xs, ys []float64) {
	var fc, gc int
	for k, c := range cls {
		if c {
			fc++
		} else {
			gc++
		}
		f := float64(fc) / float64(s.cases)
		g := float64(gc) / float64(s.controls)
		px[k] = mp*f + (1-mp)*g
		ey[k] = mp*f + (1-mp)*(1-g)
	}
	return regularize(px, ey)
}

// regularize sorts the points (x, y) by x and replaces the points with
// equal x by one with the mean y (R's regularize.values, ties = mean).
// It reuses x and y when x is already strictly increasing.
func regularize(x, y []float64) ([]float64, []float64) {
	strict := true
	for k := 1; k < len(x); k++ {
		if !(x[k] > x[k-1]) {
			strict = false
			break
		}
	}
	if strict {
		return x, y
	}
	idx := make([]int, len(x))
	for k := range idx {
		idx[k] = k
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	var xs, ys []float64
	for k := 0; k < len(idx); {
		j, sum := k, 0.0
		for j < len(idx) && x[idx[j]] == x[idx[k]] {
			sum += y[idx[j]]
			j++
		}
		xs = append(xs, x[idx[k]])
		ys = append(ys, sum/float64(j-k))
		k = j
	}
	return xs, ys
}

// approx is R's approx1 linear interpolation of the points (xs, ys), xs
// increasing, at v; NaN outside [xs₀, xs_last] (approxfun rule = 1).
func approx(xs, ys []float64, v float64) float64 {
	i, j := 0, len(xs)-1
	if v < xs[i] || v > xs[j] {
		return math.NaN()
	}
	for i < j-1 {
		ij := (i + j) / 2
		if v < xs[ij] {
			j = ij
		} else {
			i = ij
		}
	}
	if v == xs[j] {
		return ys[j]
	}
	if v == xs[i] {
		return ys[i]
	}
	return ys[i] + (ys[j]-ys[i])*((v-xs[i])/(xs[j]-xs[i]))
}

// venkatramanUnpairedStat is the statistic of Venkatraman (2000,
// Biometrics 56:1134) as pROC computes it: the two samples' error-rate
// curves e(p) (unpairedCurve) are linearly interpolated on the sorted union
// of their p values, and E = ∫ |e_R(p) − e_S(p)| dp by the trapezoidal
// rule over the intervals where both curves are defined.
func venkatramanUnpairedStat(clsR, clsS []bool, sr, ss venkatramanUnpaired, mp float64, buf []float64) float64 {
	nr, ns := len(clsR), len(clsS)
	xr, yr := unpairedCurve(clsR, sr, mp, buf[:nr], buf[nr:2*nr])
	xsS, ysS := unpairedCurve(clsS, ss, mp, buf[2*nr:2*nr+ns], buf[2*nr+ns:2*nr+2*ns])
	grid := buf[2*nr+2*ns : 2*nr+2*ns+nr+ns]
	copy(grid, xr)
	copy(grid[len(xr):], xsS)
	grid = grid[:len(xr)+len(xsS)]
	slices.Sort(grid)
	integral := 0.0
	prev := math.NaN()
	for k, v := range grid {
		f := math.Abs(approx(xr, yr, v) - approx(xsS, ysS, v))
		if k > 0 {
			t := (f + prev) * (v - grid[k-1]) / 2
			if !math.IsNaN(t) {
				integral += t
			}
		}
		prev = f
	}
	return integral
}

// VenkatramanTestUnpaired is the permutation test of Venkatraman (2000,
// Biometrics 56:1134) that two ROC curves from independent samples are
// equal, as pROC's roc.test(method = "venkatraman", paired = FALSE)
// implements it. Each sample's oriented scores are ranked within the sample
// (ties broken by order of appearance); E (venkatramanUnpairedStat) is the
// area between the two samples' error-rate curves. A permutation jitters
// every rank by a uniform on (−½, ½), pools the cases of both samples and
// shuffles them back into the case positions, likewise the controls, and
// re-ranks. The p-value is #{E* ≥ E}/B.
//
// The mixing proportion is Venkatraman's pooled prevalence
// π = (m₁ + m₂)/(N₁ + N₂), m the numbers of cases and N the sample sizes.
// pROC 1.18 computes (m₁ + m₂)/(2N₁) instead (it adds the first sample's
// size twice), which differs when the samples differ in size;
// PermOptions.PROCMixing reproduces it. pROC ranks the raw predictor whatever
// the curves' direction: with ControlsHigher this test equals pROC's on the
// negated score.
func VenkatramanTestUnpaired(x []float64, truthX []bool, dirX Direction, y []float64, truthY []bool, dirY Direction, opt PermOptions) (*PermTest, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := checkInput(x, truthX); err != nil {
		return nil, fmt.Errorf("first sample: %w", err)
	}
	if err := checkInput(y, truthY); err != nil {
		return nil, fmt.Errorf("second sample: %w", err)
	}
	nr, ns := len(x), len(y)
	var sr, ss venkatramanUnpaired
	sr.cases, sr.controls = countClasses(truthX)
	ss.cases, ss.controls = countClasses(truthY)
	mp := float64(sr.cases+ss.cases) / float64(nr+ns)
	if opt.PROCMixing {
		mp = float64(sr.cases+ss.cases) / float64(2*nr)
	}
	clsR, rankR := classOrder(x, truthX, dirX)
	clsS, rankS := classOrder(y, truthY, dirY)
	bufLen := 3 * (nr + ns)
	res := &PermTest{
		E:        venkatramanUnpairedStat(clsR, clsS, sr, ss, mp, make([]float64, bufLen)),
		Permuted: make([]float64, opt.Permutations),
	}
	// Observations of each class, sample 1 first, in order of appearance.
	var casesR, ctrlR, casesS, ctrlS []int32
	for i, t := range truthX {
		if t {
			casesR = append(casesR, int32(i))
		} else {
			ctrlR = append(ctrlR, int32(i))
		}
	}
	for i, t := range truthY {
		if t {
			casesS = append(casesS, int32(i))
		} else {
			ctrlS = append(ctrlS, int32(i))
		}
	}
	parallelReplicates(opt.Permutations, func() func(b int) {
		var r repRNG
		vr := make([]float64, nr)
		vs := make([]float64, ns)
		pool := make([]float64, max(nr, ns)*2)
		type item struct {
			v      float64
			isCase bool
		}
		ir := make([]item, nr)
		is := make([]item, ns)
		pr := make([]bool, nr)
		ps := make([]bool, ns)
		buf := make([]float64, bufLen)
		mix := func(a, c []int32) {
			p := pool[:0]
			for _, i := range a {
				p = append(p, vr[i])
			}
			for _, i := range c {
				p = append(p, vs[i])
			}
			r.shuffle(p)
			for k, i := range a {
				vr[i] = p[k]
			}
			for k, i := range c {
				vs[i] = p[len(a)+k]
			}
		}
		order := func(v []float64, truth []bool, it []item, cls []bool) {
			for i := range v {
				it[i] = item{v[i], truth[i]}
			}
			slices.SortStableFunc(it, func(a, b item) int { return cmp.Compare(a.v, b.v) })
			for k := range it {
				cls[k] = it[k].isCase
			}
		}
		return func(b int) {
			r.seed(opt.Seed, streamVenkatraman, b)
			for i := range vr {
				vr[i] = float64(rankR[i]) + r.float64() - 0.5
			}
			for i := range vs {
				vs[i] = float64(rankS[i]) + r.float64() - 0.5
			}
			mix(ctrlR, ctrlS)
			mix(casesR, casesS)
			order(vr, truthX, ir, pr)
			order(vs, truthY, is, ps)
			res.Permuted[b] = venkatramanUnpairedStat(pr, ps, sr, ss, mp, buf)
		}
	})
	res.P = permP(res.E, res.Permuted)
	return res, nil
}
