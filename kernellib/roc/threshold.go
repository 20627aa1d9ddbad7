package roc

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// BestMethod is the optimality criterion that picks an operating point on
// the ROC curve, as pROC's coords(x = "best", best.method = ...).
type BestMethod int

const (
	// Youden maximises the weighted Youden index se + r·sp (Youden,
	// Cancer 1950; Perkins & Schisterman, Am. J. Epidemiol. 2006).
	Youden BestMethod = iota
	// TopLeft minimises the weighted squared distance to the top-left
	// corner (1−se)² + r·(1−sp)² (pROC's "closest.topleft").
	TopLeft
)

// String returns pROC's name of the method.
func (m BestMethod) String() string {
	if m == TopLeft {
		return "closest.topleft"
	}
	return "youden"
}

// BestWeights are pROC's best.weights = c(cost, prevalence): Cost is the
// cost of a false negative relative to a false positive, Prevalence the
// prevalence of cases in the population the operating point is meant for
// (which may differ from the sample's). They enter the criteria through
// r = (1 − Prevalence) / (Cost · Prevalence) (Perkins & Schisterman 2006).
// The zero value stands for pROC's default c(1, 0.5), r = 1.
type BestWeights struct {
	Cost, Prevalence float64
}

// ratio returns r = (1 − prevalence)/(cost · prevalence), computed as pROC
// computes it, after checking cost > 0 and 0 < prevalence < 1.
func (w BestWeights) ratio() (float64, error) {
	if w.Cost == 0 && w.Prevalence == 0 {
		w = BestWeights{Cost: 1, Prevalence: 0.5}
	}
	if !(w.Cost > 0) || math.IsInf(w.Cost, 0) {
		return 0, fmt.Errorf("%w: best-weights cost %v is not a positive finite number", ErrParameter, w.Cost)
	}
	if !(w.Prevalence > 0 && w.Prevalence < 1) {
		return 0, fmt.Errorf("%w: best-weights prevalence %v is not in (0, 1)", ErrParameter, w.Prevalence)
	}
	return (1 - w.Prevalence) / (w.Cost * w.Prevalence), nil
}

// OperatingPoint is a threshold of the empirical ROC curve with its
// sensitivity, specificity and the value of the criterion that chose it:
// se + r·sp for Youden (2 at a perfect point when r = 1; pROC's "youden"
// coordinate), and (1−se)² + r·(1−sp)² for TopLeft (pROC's
// "closest.topleft" coordinate, 0 at a perfect point).
type OperatingPoint struct {
	Threshold   float64
	Sensitivity float64
	Specificity float64
	Criterion   float64
}

// curvePoint is one threshold of the empirical curve with its counts.
type curvePoint struct {
	threshold float64
	tp, fp    int
}

// empiricalCurve returns every threshold of the empirical ROC curve as pROC
// places them (roc.utils.thresholds): −Inf, the midpoints (a+b)/2 of
// consecutive distinct scores (a/2 + b/2 beyond 1e100 in magnitude, and a
// near-tie whose midpoint rounds onto a score moved to the side that keeps
// the classification), and +Inf, in increasing order, each with its true and
// false positive counts. A score is positive when score ≥ threshold for
// CasesHigher and score ≤ threshold for ControlsHigher, as pROC's
// direction "<" and ">" do; at a midpoint both conventions agree.
// The input must have been validated. O(N log N).
func empiricalCurve(scores []float64, truth []bool, dir Direction) (pts []curvePoint, m, n int) {
	m, n = countClasses(truth)
	type obs struct {
		v      float64
		isCase bool
	}
	sorted := make([]obs, len(scores))
	for i, s := range scores {
		sorted[i] = obs{s, truth[i]}
	}
	slices.SortFunc(sorted, func(a, b obs) int { return cmp.Compare(a.v, b.v) })
	// Distinct values in increasing order, with the cases and controls at each.
	type group struct {
		v            float64
		cases, ctrls int
	}
	groups := make([]group, 0, len(scores))
	for _, o := range sorted {
		if len(groups) == 0 || groups[len(groups)-1].v != o.v {
			groups = append(groups, group{v: o.v})
		}
		g := &groups[len(groups)-1]
		if o.isCase {
			g.cases++
		} else {
			g.ctrls++
		}
	}
	u := len(groups)
	pts = make([]curvePoint, u+1)
	// below[k]: cases and controls with value < groups[k].v.
	bc, bk := 0, 0
	for k := 0; k <= u; k++ {
		var t float64
		switch k {
		case 0:
			t = math.Inf(-1)
		case u:
			t = math.Inf(1)
		default:
			a, b := groups[k-1].v, groups[k].v
			t = (a + b) / 2
			if math.Abs(t) > 1e100 {
				t = a/2 + b/2
			}
			if t == a || t == b { // near tie: keep the classification of a and b
				if dir == ControlsHigher {
					t = a
				} else {
					t = b
				}
			}
		}
		if dir == ControlsHigher {
			pts[k] = curvePoint{threshold: t, tp: bc, fp: bk}
		} else {
			pts[k] = curvePoint{threshold: t, tp: m - bc, fp: n - bk}
		}
		if k < u {
			bc += groups[k].cases
			bk += groups[k].ctrls
		}
	}
	return pts, m, n
}

// BestThresholds returns the optimal operating points of the empirical ROC
// curve by the given criterion, as pROC's
// coords(roc, "best", best.method, best.weights = c(w.Cost, w.Prevalence))
// with its default best.policy = "all": every threshold whose criterion
// equals the optimum is returned, in increasing order of threshold.
//
// With r = (1 − prevalence)/(cost · prevalence) (Perkins & Schisterman,
// Am. J. Epidemiol. 2006), Youden maximises se + r·sp (Youden 1950) and
// TopLeft minimises (1−se)² + r·(1−sp)², over the thresholds that pROC
// places (see empiricalCurve: −Inf, the midpoints between consecutive
// distinct scores, +Inf). se and sp are computed as pROC computes them
// (tp/ncases, (ncontrols − fp)/ncontrols) and the criterion compared for
// exact equality, so that ties are the ones pROC sees. The direction is the
// caller's: CasesHigher classifies score ≥ threshold as positive (pROC "<"),
// ControlsHigher score ≤ threshold (pROC ">").
func BestThresholds(scores []float64, truth []bool, dir Direction, method BestMethod, w BestWeights) ([]OperatingPoint, error) {
	if err := checkInput(scores, truth); err != nil {
		return nil, err
	}
	if method != Youden && method != TopLeft {
		return nil, fmt.Errorf("%w: unknown best method %d", ErrParameter, int(method))
	}
	r, err := w.ratio()
	if err != nil {
		return nil, err
	}
	pts, m, n := empiricalCurve(scores, truth, dir)
	crit := make([]float64, len(pts))
	best := math.Inf(-1)
	for k, p := range pts {
		se := float64(p.tp) / float64(m)
		sp := float64(n-p.fp) / float64(n)
		if method == Youden {
			crit[k] = se + r*sp
		} else {
			crit[k] = -((1-se)*(1-se) + r*((1-sp)*(1-sp)))
		}
		best = math.Max(best, crit[k])
	}
	var out []OperatingPoint
	for k, p := range pts {
		if crit[k] != best {
			continue
		}
		c := crit[k]
		if method == TopLeft {
			c = -c
		}
		out = append(out, OperatingPoint{
			Threshold:   p.threshold,
			Sensitivity: float64(p.tp) / float64(m),
			Specificity: float64(n-p.fp) / float64(n),
			Criterion:   c,
		})
	}
	return out, nil
}

// Confusion is the 2×2 table of a dichotomised score.
type Confusion struct {
	TP, FN, FP, TN int
}

// Metrics are the accuracy measures of a score dichotomised at Threshold,
// each proportion with its Wilson and Clopper–Pearson intervals at Level:
//
//	Sensitivity = TP/(TP+FN), Specificity = TN/(TN+FP),
//	Accuracy = (TP+TN)/N, PPV = TP/(TP+FP), NPV = TN/(TN+FN),
//
// (Altman & Bland, BMJ 1994), and F1 = 2TP/(2TP+FP+FN), the harmonic mean
// of PPV and sensitivity (van Rijsbergen 1979). F1 is not a binomial
// proportion, so it has no interval here (a bootstrap gives one). A
// proportion with an empty denominator (PPV with no positive call, NPV with
// no negative call) is NaN, as is F1 when TP+FP+FN = 0 (impossible with both
// classes present).
type Metrics struct {
	Threshold float64
	Direction Direction
	Level     float64
	Confusion
	Sensitivity, Specificity, Accuracy, PPV, NPV Proportion
	F1                                           float64
}

// ConfusionAt returns the confusion matrix of the scores dichotomised at
// threshold: for CasesHigher a score ≥ threshold is positive, for
// ControlsHigher a score ≤ threshold is, as pROC's coords(roc, x = threshold,
// input = "threshold") counts with direction "<" and ">". The threshold may
// be ±Inf; NaN is an error.
func ConfusionAt(scores []float64, truth []bool, dir Direction, threshold float64) (Confusion, error) {
	if err := checkInput(scores, truth); err != nil {
		return Confusion{}, err
	}
	if math.IsNaN(threshold) {
		return Confusion{}, fmt.Errorf("%w: threshold is NaN", ErrParameter)
	}
	return confusion(scores, truth, dir, threshold), nil
}

func confusion(scores []float64, truth []bool, dir Direction, threshold float64) Confusion {
	var c Confusion
	for i, s := range scores {
		pos := s >= threshold
		if dir == ControlsHigher {
			pos = s <= threshold
		}
		switch {
		case truth[i] && pos:
			c.TP++
		case truth[i]:
			c.FN++
		case pos:
			c.FP++
		default:
			c.TN++
		}
	}
	return c
}

// MetricsAt returns the confusion matrix and the Metrics of the scores
// dichotomised at threshold (positive when score ≥ threshold for
// CasesHigher, score ≤ threshold for ControlsHigher; see ConfusionAt), with
// Wilson (WilsonCI) and Clopper–Pearson (ClopperPearsonCI) intervals at the
// given level.
func MetricsAt(scores []float64, truth []bool, dir Direction, threshold, level float64) (Metrics, error) {
	if err := checkConfLevel(level); err != nil {
		return Metrics{}, err
	}
	c, err := ConfusionAt(scores, truth, dir, threshold)
	if err != nil {
		return Metrics{}, err
	}
	return metricsFrom(c, dir, threshold, level)
}

// MetricsFromConfusion returns the Metrics of a given confusion matrix
// (Threshold is NaN: unknown), with intervals at the given level.
func MetricsFromConfusion(c Confusion, level float64) (Metrics, error) {
	if err := checkConfLevel(level); err != nil {
		return Metrics{}, err
	}
	if c.TP < 0 || c.FN < 0 || c.FP < 0 || c.TN < 0 {
		return Metrics{}, fmt.Errorf("%w: negative count in confusion matrix %+v", ErrParameter, c)
	}
	if c.TP+c.FN+c.FP+c.TN == 0 {
		return Metrics{}, fmt.Errorf("%w: empty confusion matrix", ErrEmpty)
	}
	return metricsFrom(c, CasesHigher, math.NaN(), level)
}

func metricsFrom(c Confusion, dir Direction, threshold, level float64) (Metrics, error) {
	mt := Metrics{Threshold: threshold, Direction: dir, Level: level, Confusion: c}
	var err error
	set := func(dst *Proportion, x, n int) {
		if err == nil {
			*dst, err = NewProportion(x, n, level)
		}
	}
	set(&mt.Sensitivity, c.TP, c.TP+c.FN)
	set(&mt.Specificity, c.TN, c.TN+c.FP)
	set(&mt.Accuracy, c.TP+c.TN, c.TP+c.FN+c.FP+c.TN)
	set(&mt.PPV, c.TP, c.TP+c.FP)
	set(&mt.NPV, c.TN, c.TN+c.FN)
	if err != nil {
		return Metrics{}, err
	}
	mt.F1 = math.NaN()
	if d := 2*c.TP + c.FP + c.FN; d > 0 {
		mt.F1 = 2 * float64(c.TP) / float64(d)
	}
	return mt, nil
}

// ValidateThreshold fixes a threshold on training data and reports its
// accuracy on validation data, the honest way to quote an operating point
// (Leeflang et al., Clin. Chem. 2008, on the optimism of data-driven
// thresholds). The threshold is the optimum of the training ROC curve by
// BestThresholds(trainScores, trainTruth, dir, method, w); when several
// thresholds tie, the lowest is used, as pROC's best.policy = "first". The
// returned Metrics are those of MetricsAt(valScores, valTruth, dir, that
// threshold, level); the training operating point is returned beside them.
func ValidateThreshold(trainScores []float64, trainTruth []bool, valScores []float64, valTruth []bool,
	dir Direction, method BestMethod, w BestWeights, level float64) (OperatingPoint, Metrics, error) {
	if err := checkConfLevel(level); err != nil {
		return OperatingPoint{}, Metrics{}, err
	}
	if err := checkInput(valScores, valTruth); err != nil {
		return OperatingPoint{}, Metrics{}, fmt.Errorf("validation data: %w", err)
	}
	best, err := BestThresholds(trainScores, trainTruth, dir, method, w)
	if err != nil {
		return OperatingPoint{}, Metrics{}, fmt.Errorf("training data: %w", err)
	}
	op := best[0]
	mt, err := MetricsAt(valScores, valTruth, dir, op.Threshold, level)
	return op, mt, err
}
