package roc

import "math"

// PRCurve is the empirical precision–recall curve of a score: one point per
// distinct score u, at which an observation is called positive when its
// score is at or above u (CasesHigher; at or below u for ControlsHigher),
//
//	precision = TP/(TP + FP),  recall = TP/m,
//
// TP and FP the cases and controls called positive, m the cases. Tied
// scores make one point, as in scikit-learn's precision_recall_curve. The
// points run from the most case-like score down, so recall increases;
// scikit-learn returns the same points in the reverse order followed by the
// point (recall 0, precision 1), which has no threshold.
type PRCurve struct {
	// Thresholds are the distinct scores, decreasing for CasesHigher and
	// increasing for ControlsHigher; Precision and Recall, TP and FP are
	// those at each threshold.
	Thresholds []float64
	Precision  []float64
	Recall     []float64
	TP, FP     []int
	// Direction of the score, as given by the caller.
	Direction Direction
	// Cases (m) and Controls (n) counted in the truth.
	Cases, Controls int
}

// NewPRCurve builds the precision–recall curve of scores against truth
// (true marks a case) in O(N log N) — O(N) for large N by the radix sort of
// NewCurve. The input is checked as everywhere in the package.
func NewPRCurve(scores []float64, truth []bool, dir Direction) (*PRCurve, error) {
	if err := checkInput(scores, truth); err != nil {
		return nil, err
	}
	m, n := countClasses(truth)
	keys, idx, release := sortedOrder(scores, truth)
	defer release()
	K := distinct(keys)
	c := &PRCurve{Direction: dir, Cases: m, Controls: n, Thresholds: make([]float64, 0, K),
		Precision: make([]float64, 0, K), Recall: make([]float64, 0, K), TP: make([]int, 0, K), FP: make([]int, 0, K)}
	tp, fp := 0, 0
	// Walk the groups of equal scores from the most case-like one.
	step, i := -1, len(keys)-1
	if dir == ControlsHigher {
		step, i = 1, 0
	}
	for i >= 0 && i < len(keys) {
		g := keys[i]
		for ; i >= 0 && i < len(keys) && keys[i] == g; i += step {
			if idx[i]&caseBit != 0 {
				tp++
			} else {
				fp++
			}
		}
		c.Thresholds = append(c.Thresholds, keyFloat(g))
		c.Precision = append(c.Precision, float64(tp)/float64(tp+fp))
		c.Recall = append(c.Recall, float64(tp)/float64(m))
		c.TP = append(c.TP, tp)
		c.FP = append(c.FP, fp)
	}
	return c, nil
}

// prAreas accumulates the two areas under a precision–recall curve walked
// from the most case-like score down, one group of tied scores at a time
// (add), as Σ over groups of an area times m: ap for the average precision
// and dg for the Davis–Goadrich interpolated area. The counts are float64
// so that a bootstrap replicate's counts go through the same code.
type prAreas struct {
	tp, fp, ap, dg float64
}

// add moves past a group of tied scores holding cases cases and controls
// controls.
func (a *prAreas) add(cases, controls float64) {
	if cases == 0 && controls == 0 {
		return
	}
	tp, fp := a.tp+cases, a.fp+controls
	if cases > 0 {
		a.ap += cases * tp / (tp + fp)
		a.dg += dgSegment(a.tp, a.fp, cases, controls)
	}
	a.tp, a.fp = tp, fp
}

// dgSegment is m times the area under Davis & Goadrich's interpolation of
// the PR curve between the points (TP, FP) = (t, f) and (t + Δt, f + Δf):
// the false positives grow linearly with the true positives,
// FP(x) = f + s·x for TP = t + x, s = Δf/Δt, so the precision along the
// segment is (t + x)/(t + f + (1 + s)x), integrated exactly over
// x ∈ [0, Δt] (Boyd, Eng & Page, ECML PKDD 2013, §3):
//
//	Δt/c + (t·s − f)/c² · ln(1 + cΔt/(t + f)),  c = 1 + s,
//
// and Δt/c, the constant precision Δt/(Δt + Δf), from (0, 0).
func dgSegment(t, f, dt, df float64) float64 {
	s := df / dt
	c := 1 + s
	if t+f == 0 {
		return dt / c
	}
	return dt/c + (t*s-f)/(c*c)*math.Log1p(c*dt/(t+f))
}

// areas walks the curve's points.
func (c *PRCurve) areas() prAreas {
	var a prAreas
	tp, fp := 0, 0
	for i := range c.TP {
		a.add(float64(c.TP[i]-tp), float64(c.FP[i]-fp))
		tp, fp = c.TP[i], c.FP[i]
	}
	return a
}

// AveragePrecision is the average precision exactly as scikit-learn's
// average_precision_score defines it, the step-wise area
//
//	AP = Σₖ (Rₖ − Rₖ₋₁) Pₖ,  R₀ = 0,
//
// over the points of the curve (a group of tied scores is one step, at the
// precision of the whole group): the mean, over the cases, of the precision
// at the threshold of each case's score. It does not interpolate, so it is
// not optimistic as the trapezoidal rule on PR points is (Davis & Goadrich,
// ICML 2006).
func (c *PRCurve) AveragePrecision() float64 {
	a := c.areas()
	return a.ap / float64(c.Cases)
}

// AUCInterpolated is the area under the precision–recall curve with Davis &
// Goadrich's interpolation between its points (Davis & Goadrich, "The
// relationship between precision-recall and ROC curves", ICML 2006, §4):
// between two points the true positives rise one by one and the false
// positives follow linearly — the straight ROC segment, which is not a
// straight line in PR space — integrated exactly with TP continuous
// (Boyd, Eng & Page 2013, §3; Keilwagen, Grosse & Grau, PLoS ONE 2014,
// 9:e92209). From recall 0 to the first point the precision is that of the
// first point with a case.
func (c *PRCurve) AUCInterpolated() float64 {
	a := c.areas()
	return a.dg / float64(c.Cases)
}

// AveragePrecision is scikit-learn's average_precision_score of scores
// against truth in direction dir (see PRCurve.AveragePrecision).
func AveragePrecision(scores []float64, truth []bool, dir Direction) (float64, error) {
	c, err := NewPRCurve(scores, truth, dir)
	if err != nil {
		return 0, err
	}
	return c.AveragePrecision(), nil
}

// prCounts is the average precision of a weighted sample given per group
// of tied scores, ascending, its control count cnt[2g] and case count
// cnt[2g+1] (the layout of rankedScore's tallies), m the cases.
func prCounts(cnt []int32, m, _ int) float64 {
	var a prAreas
	for g := len(cnt) - 2; g >= 0; g -= 2 {
		a.add(float64(cnt[g+1]), float64(cnt[g]))
	}
	return a.ap / float64(m)
}

// jackAP returns the leave-one-out average precisions, in O(N). With the
// groups in the order of the curve, cₕ cases in group h, Tₕ and Fₕ the
// cases and controls in groups 1..h and ρ(t, f) = t/(t + f) (0 for t = 0),
// mAP = Σₕ cₕ ρ(Tₕ, Fₕ). Leaving out a case of group g shifts Tₕ by −1 for
// h ≥ g: (m − 1)AP = Pᵍ + Σ_{h≥g} cₕ ρ(Tₕ − 1, Fₕ) − ρ(T_g − 1, F_g);
// leaving out a control shifts Fₕ: mAP = Pᵍ + Σ_{h≥g} cₕ ρ(Tₕ, Fₕ − 1),
// Pᵍ = Σ_{h<g} cₕ ρ(Tₕ, Fₕ). The suffix sums serve every g.
func (rs *rankedScore) jackAP(truth []bool) []float64 {
	G := rs.nGroups
	cnt := make([]float64, 2*G)
	for _, c := range rs.code {
		cnt[c]++
	}
	m, _ := countClasses(truth)
	rho := func(t, f float64) float64 {
		if t == 0 {
			return 0
		}
		return t / (t + f)
	}
	// Groups in curve order: h = G−1 … 0 (descending oriented score).
	T, F := make([]float64, G), make([]float64, G)
	var t, f float64
	for h := G - 1; h >= 0; h-- {
		t += cnt[2*h+1]
		f += cnt[2*h]
		T[h], F[h] = t, f
	}
	prefix := make([]float64, G) // Σ over groups before h in curve order
	caseSuf := make([]float64, G)
	ctlSuf := make([]float64, G)
	run := 0.0
	for h := G - 1; h >= 0; h-- {
		prefix[h] = run
		run += cnt[2*h+1] * rho(T[h], F[h])
	}
	var cs, ks float64
	for h := 0; h < G; h++ {
		c := cnt[2*h+1]
		if c > 0 {
			cs += c * rho(T[h]-1, F[h])
			ks += c * rho(T[h], F[h]-1)
		}
		caseSuf[h], ctlSuf[h] = cs, ks
	}
	jack := make([]float64, len(truth))
	fm := float64(m)
	for i, code := range rs.code {
		g := code / 2
		if truth[i] {
			jack[i] = (prefix[g] + caseSuf[g] - rho(T[g]-1, F[g])) / (fm - 1)
		} else {
			jack[i] = (prefix[g] + ctlSuf[g]) / fm
		}
	}
	return jack
}

// BootstrapAveragePrecision is the bootstrap distribution of the average
// precision (PRCurve.AveragePrecision) with its standard error and
// percentile and BCa intervals (Efron & Tibshirani 1993), by the
// resampling of opt (stratified by default, as pROC's), drawn as
// BootstrapAUC draws — the same seed gives the same replicates — and the
// acceleration from the exact leave-one-out values (jackAP). It needs at
// least 2 cases and 2 controls.
func BootstrapAveragePrecision(scores []float64, truth []bool, dir Direction, opt BootOptions) (*BootCI, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := checkVariance(scores, truth); err != nil {
		return nil, err
	}
	ap, err := AveragePrecision(scores, truth, dir)
	if err != nil {
		return nil, err
	}
	s := newSample(truth)
	rs := newRankedScore(scores, truth, dir)
	vals := bootCountValues(s, []*rankedScore{rs}, opt, streamBootstrap, prCounts)[0]
	return newBootCI(ap, vals, opt.Level, s.jackStrata(rs.jackAP(truth), opt.Resampling))
}
