package roc

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// ErrProbability is wrapped by the errors for a predicted probability
// outside [0, 1], or exactly 0 or 1 where its logit is needed.
var ErrProbability = errors.New("roc: predicted probability out of range")

// checkProbs validates predicted probabilities against the outcome: equal
// lengths, at least one observation, finite values in [0, 1]; with open set,
// values strictly inside (0, 1), as a logit requires.
func checkProbs(p []float64, y []bool, open bool) error {
	if len(p) != len(y) {
		return fmt.Errorf("%w: %d probabilities but %d outcomes", ErrLength, len(p), len(y))
	}
	if len(p) == 0 {
		return ErrEmpty
	}
	for i, v := range p {
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			return fmt.Errorf("%w: probability %d is %v", ErrNotFinite, i, v)
		case v < 0 || v > 1:
			return fmt.Errorf("%w: probability %d is %v, outside [0, 1]", ErrProbability, i, v)
		case open && (v == 0 || v == 1):
			return fmt.Errorf("%w: probability %d is exactly %v and its logit is infinite; clip the probabilities first (ClipProbabilities)", ErrProbability, i, v)
		}
	}
	return nil
}

// checkBothClasses requires at least one event and one non-event.
func checkBothClasses(y []bool) error {
	ev, ne := countClasses(y)
	if ev == 0 {
		return fmt.Errorf("%w: no events among %d outcomes", ErrOneClass, len(y))
	}
	if ne == 0 {
		return fmt.Errorf("%w: no non-events among %d outcomes", ErrOneClass, len(y))
	}
	return nil
}

// ClipProbabilities returns a copy of p with every value clipped to
// [eps, 1 − eps], so that its logit is finite (0 < eps < 0.5). It is the
// usual remedy for models that output probabilities of exactly 0 or 1
// before a logistic recalibration; the functions of this package never clip
// silently.
func ClipProbabilities(p []float64, eps float64) ([]float64, error) {
	if !(eps > 0 && eps < 0.5) {
		return nil, fmt.Errorf("%w: clipping epsilon %v is not in (0, 0.5)", ErrParameter, eps)
	}
	out := make([]float64, len(p))
	for i, v := range p {
		if math.IsNaN(v) {
			return nil, fmt.Errorf("%w: probability %d is NaN", ErrNotFinite, i)
		}
		out[i] = math.Min(math.Max(v, eps), 1-eps)
	}
	return out, nil
}

// CalibrationCoef is one coefficient of a logistic recalibration model:
// the maximum-likelihood estimate, its standard error from the inverse of
// the observed information, the Wald interval Est ± z·SE (R's
// confint.default on a glm), and the Wald test of Est = Null, the value
// under perfect calibration, with its two-sided p-value.
type CalibrationCoef struct {
	Est, SE float64
	CI      [2]float64
	Null    float64
	Z, P    float64
}

// Recalibration is the logistic recalibration of predicted probabilities p
// against the outcome y (Cox, Biometrika 1958; Steyerberg, "Clinical
// Prediction Models", 2nd ed. 2019, ch. 15):
//
//	InTheLarge: a in logit P(y=1) = a + logit(p)      (logit(p) as offset)
//	Intercept, Slope: α, β in logit P(y=1) = α + β·logit(p)
//
// A perfectly calibrated model has a = 0 (calibration-in-the-large) and
// β = 1 (calibration slope; β < 1 signals overfitting, predictions too
// extreme). Null is 0 for a and α, 1 for β.
type Recalibration struct {
	N          int
	InTheLarge CalibrationCoef
	Intercept  CalibrationCoef
	Slope      CalibrationCoef
}

// LogisticCalibration fits the recalibration models of Recalibration by
// Newton–Raphson (equivalently IRLS, McCullagh & Nelder 1989, §2.5) with
// step halving, iterating until every coefficient changes by less than
// 1e-12 relative: the same maximum-likelihood estimates and standard errors
// as R's glm(y ~ 1, offset = qlogis(p), family = binomial) and
// glm(y ~ qlogis(p), family = binomial). Probabilities must lie strictly
// inside (0, 1) (ErrProbability otherwise: clip them with
// ClipProbabilities), and both outcomes must be present. A fit that does not
// converge in 100 iterations (e.g. logit(p) separates the outcomes) is an
// error.
func LogisticCalibration(p []float64, y []bool, level float64) (Recalibration, error) {
	if err := checkConfLevel(level); err != nil {
		return Recalibration{}, err
	}
	if err := checkProbs(p, y, true); err != nil {
		return Recalibration{}, err
	}
	if err := checkBothClasses(y); err != nil {
		return Recalibration{}, err
	}
	lp := make([]float64, len(p))
	for i, v := range p {
		lp[i] = math.Log(v / (1 - v))
	}
	z := zLevel(level)
	rc := Recalibration{N: len(p)}
	// Calibration-in-the-large: intercept only, logit(p) as offset.
	b, cov, err := logisticFit(nil, lp, y)
	if err != nil {
		return Recalibration{}, fmt.Errorf("calibration-in-the-large: %w", err)
	}
	rc.InTheLarge = waldCoef(b[0], math.Sqrt(cov[0]), 0, z)
	// Calibration slope: intercept and logit(p) as covariate.
	b, cov, err = logisticFit(lp, nil, y)
	if err != nil {
		return Recalibration{}, fmt.Errorf("calibration slope: %w", err)
	}
	rc.Intercept = waldCoef(b[0], math.Sqrt(cov[0]), 0, z)
	rc.Slope = waldCoef(b[1], math.Sqrt(cov[3]), 1, z)
	return rc, nil
}

func waldCoef(est, se, null, z float64) CalibrationCoef {
	zs := (est - null) / se
	return CalibrationCoef{
		Est: est, SE: se,
		CI:   [2]float64{est - z*se, est + z*se},
		Null: null,
		Z:    zs,
		P:    2 * distuv.UnitNormal.CDF(-math.Abs(zs)),
	}
}

// logisticFit fits logit P(y=1) = b0 [+ b1·x] + offset by Newton–Raphson
// with step halving on the deviance. x == nil fits the intercept only;
// offset == nil means no offset. It returns the coefficients and their
// covariance matrix (row-major, 1×1 or 2×2), the inverse of X'WX at the
// optimum.
func logisticFit(x, offset []float64, y []bool) (b, cov []float64, err error) {
	k := 1
	if x != nil {
		k = 2
	}
	b = make([]float64, k)
	f := logisticEval(x, offset, y, b)
	const maxIter = 100
	for iter := 0; ; iter++ {
		if iter == maxIter {
			return nil, nil, fmt.Errorf("%w: logistic fit did not converge in %d iterations (are the outcomes separated?)", ErrParameter, maxIter)
		}
		step := make([]float64, k)
		if k == 1 {
			if !(f.h[0] > 0) {
				return nil, nil, fmt.Errorf("%w: logistic fit has a singular information matrix", ErrParameter)
			}
			step[0] = f.g[0] / f.h[0]
		} else {
			det := f.h[0]*f.h[2] - f.h[1]*f.h[1]
			if !(det > 0) {
				return nil, nil, fmt.Errorf("%w: logistic fit has a singular information matrix (constant logit?)", ErrParameter)
			}
			step[0] = (f.h[2]*f.g[0] - f.h[1]*f.g[1]) / det
			step[1] = (f.h[0]*f.g[1] - f.h[1]*f.g[0]) / det
		}
		nb := make([]float64, k)
		var nf logisticState
		for half := 0; ; half++ {
			for j := range nb {
				nb[j] = b[j] + step[j]
			}
			nf = logisticEval(x, offset, y, nb)
			if nf.dev <= f.dev*(1+1e-15) || half == 30 {
				break
			}
			for j := range step {
				step[j] /= 2
			}
		}
		conv := true
		for j := range nb {
			if math.Abs(nb[j]-b[j]) > 1e-12*(math.Abs(nb[j])+1e-3) {
				conv = false
			}
		}
		b, f = nb, nf
		if conv {
			break
		}
	}
	h := f.h
	if k == 1 {
		return b, []float64{1 / h[0]}, nil
	}
	det := h[0]*h[2] - h[1]*h[1]
	return b, []float64{h[2] / det, -h[1] / det, -h[1] / det, h[0] / det}, nil
}

// logisticState is the deviance, score vector g and information matrix h
// (h[0] = Σw, h[1] = Σw·x, h[2] = Σw·x²) of a logistic model at b.
type logisticState struct {
	dev float64
	g   [2]float64
	h   [3]float64
}

// logisticEval computes the logisticState at b in one pass, with one exp
// and one log per observation: with e = exp(−|η|) ≤ 1, μ = 1/(1+e) or
// e/(1+e) and log(1 + exp(∓η)) = log(1+e) + max(∓η, 0) (log(1+e) rather
// than log1p(e): the deviance only guards the step, and its absolute
// accuracy is what counts).
func logisticEval(x, offset []float64, y []bool, b []float64) logisticState {
	var s logisticState
	for i := range y {
		eta := b[0]
		if x != nil {
			eta += b[1] * x[i]
		}
		if offset != nil {
			eta += offset[i]
		}
		e := math.Exp(-math.Abs(eta))
		l := math.Log(1 + e)
		var mu float64
		if eta >= 0 {
			mu = 1 / (1 + e)
		} else {
			mu = e / (1 + e)
		}
		var r float64
		if y[i] {
			r = 1 - mu
			s.dev += l + math.Max(-eta, 0) // −log μ
		} else {
			r = -mu
			s.dev += l + math.Max(eta, 0) // −log(1−μ)
		}
		w := mu * (1 - mu)
		s.g[0] += r
		s.h[0] += w
		if x != nil {
			s.g[1] += r * x[i]
			s.h[1] += w * x[i]
			s.h[2] += w * x[i] * x[i]
		}
	}
	s.dev *= 2
	return s
}

// invLogit is 1/(1+e^(−η)), computed without overflow.
func invLogit(e float64) float64 {
	if e >= 0 {
		return 1 / (1 + math.Exp(-e))
	}
	ex := math.Exp(e)
	return ex / (1 + ex)
}

// ObservedExpected compares the number of observed events O with the
// number expected from the predictions, E = Σ p (Steyerberg 2019, ch. 15:
// calibration-in-the-large as O/E). The interval for O/E is
// exp(ln(O/E) ± z·√(1/O − 1/N)), the delta-method variance of ln O for a
// binomial O (Debray et al., BMJ 2017, Table 1); it is NaN when O = 0.
type ObservedExpected struct {
	N, Observed   int
	Expected      float64
	MeanPredicted float64 // E/N
	ObservedRate  float64 // O/N
	Ratio         float64 // O/E
	CI            [2]float64
}

// ObservedExpectedRatio returns the ObservedExpected summary of predicted
// probabilities p (in [0, 1]) against the outcomes y, with the interval for
// O/E at the given level.
func ObservedExpectedRatio(p []float64, y []bool, level float64) (ObservedExpected, error) {
	if err := checkConfLevel(level); err != nil {
		return ObservedExpected{}, err
	}
	if err := checkProbs(p, y, false); err != nil {
		return ObservedExpected{}, err
	}
	o, _ := countClasses(y)
	e := 0.0
	for _, v := range p {
		e += v
	}
	n := float64(len(p))
	oe := ObservedExpected{N: len(p), Observed: o, Expected: e,
		MeanPredicted: e / n, ObservedRate: float64(o) / n, Ratio: float64(o) / e}
	if o == 0 || e == 0 {
		oe.CI = [2]float64{math.NaN(), math.NaN()}
		return oe, nil
	}
	se := math.Sqrt(1/float64(o) - 1/n)
	z := zLevel(level)
	oe.CI = [2]float64{oe.Ratio * math.Exp(-z*se), oe.Ratio * math.Exp(z*se)}
	return oe, nil
}

// BrierScore is the Brier score B = (1/N) Σ (pᵢ − yᵢ)² (Brier, Mon. Weather
// Rev. 1950), its maximum for a non-informative model that predicts the
// observed rate ȳ to everyone, Max = ȳ(1 − ȳ), and the scaled Brier score
// 1 − B/Max (Steyerberg et al., Epidemiology 2010), NaN when only one
// outcome is present.
type BrierScore struct {
	Brier, Max, Scaled float64
}

// Brier returns the BrierScore of predicted probabilities p (in [0, 1])
// against the outcomes y; it equals sklearn.metrics.brier_score_loss.
func Brier(p []float64, y []bool) (BrierScore, error) {
	if err := checkProbs(p, y, false); err != nil {
		return BrierScore{}, err
	}
	s := 0.0
	for i, v := range p {
		d := v
		if y[i] {
			d = v - 1
		}
		s += d * d
	}
	n := float64(len(p))
	ev, _ := countClasses(y)
	ybar := float64(ev) / n
	b := BrierScore{Brier: s / n, Max: ybar * (1 - ybar)}
	b.Scaled = math.NaN()
	if b.Max > 0 {
		b.Scaled = 1 - b.Brier/b.Max
	}
	return b, nil
}

// BinStrategy says how a calibration curve groups the predictions.
type BinStrategy int

const (
	// QuantileBins: edges at the quantiles k/B of the predictions (R's
	// quantile type 7, numpy's "linear"), so bins hold about N/B
	// predictions each: sklearn's strategy = "quantile".
	QuantileBins BinStrategy = iota
	// UniformBins: edges at k/B on [0, 1]: sklearn's strategy = "uniform".
	UniformBins
)

// CalibrationBin is one bin of a calibration curve: predictions in
// (Lo, Hi] ([Lo, Hi] for the first bin), their number N and events, their
// sum Expected and mean MeanPredicted, the observed event fraction
// Observed = Events/N and its Wilson interval CI.
type CalibrationBin struct {
	Lo, Hi        float64
	N, Events     int
	Expected      float64
	MeanPredicted float64
	Observed      float64
	CI            [2]float64
}

// binEdges returns the B+1 bin edges of the strategy. Quantile edges are
// interpolated at the exact positions (N−1)·k/B of the sorted predictions
// (Hyndman & Fan 1996, definition 7); uniform edges are k/B.
func binEdges(p []float64, bins int, strategy BinStrategy) []float64 {
	edges := make([]float64, bins+1)
	if strategy == UniformBins {
		for k := range edges {
			edges[k] = float64(k) / float64(bins)
		}
		return edges
	}
	s := append([]float64(nil), p...)
	sort.Float64s(s)
	n := len(s)
	for k := range edges {
		num := (n - 1) * k // position num/bins, 0-based
		lo, rem := num/bins, num%bins
		edges[k] = s[lo]
		if rem > 0 {
			h := float64(rem) / float64(bins)
			edges[k] = s[lo] + h*(s[lo+1]-s[lo])
		}
	}
	return edges
}

// assignBins puts every prediction in the bin of its edges as sklearn's
// calibration_curve does (numpy.searchsorted on the interior edges, side
// "left"): bin j holds the p with edges[j] < p ≤ edges[j+1], the first bin
// also p = edges[0] (R's cut(..., include.lowest = TRUE)). It returns the
// count, events and sum of p of every bin.
func assignBins(p []float64, y []bool, edges []float64) (n, ev []int, sum []float64) {
	bins := len(edges) - 1
	n, ev, sum = make([]int, bins), make([]int, bins), make([]float64, bins)
	interior := edges[1:bins]
	for i, v := range p {
		j := sort.SearchFloat64s(interior, v) // number of interior edges < v
		n[j]++
		sum[j] += v
		if y[i] {
			ev[j]++
		}
	}
	return n, ev, sum
}

// CalibrationCurve returns the binned calibration curve (reliability
// diagram) of predicted probabilities p against outcomes y: B bins by the
// strategy, empty bins dropped, each with its mean prediction, observed
// event fraction and the Wilson interval (WilsonCI) of that fraction at the
// given level (Steyerberg 2019, ch. 15; Van Calster et al., J. Clin.
// Epidemiol. 2016). The mean predictions and fractions equal those of
// sklearn.calibration.calibration_curve(y, p, n_bins = B, strategy), except
// for a prediction lying exactly on a uniform edge k/B, which sklearn
// compares with k·(1/B) instead.
func CalibrationCurve(p []float64, y []bool, bins int, strategy BinStrategy, level float64) ([]CalibrationBin, error) {
	if err := checkConfLevel(level); err != nil {
		return nil, err
	}
	if bins < 1 {
		return nil, fmt.Errorf("%w: %d bins", ErrParameter, bins)
	}
	if strategy != QuantileBins && strategy != UniformBins {
		return nil, fmt.Errorf("%w: unknown bin strategy %d", ErrParameter, int(strategy))
	}
	if err := checkProbs(p, y, false); err != nil {
		return nil, err
	}
	edges := binEdges(p, bins, strategy)
	n, ev, sum := assignBins(p, y, edges)
	var out []CalibrationBin
	for j := range n {
		if n[j] == 0 {
			continue
		}
		b := CalibrationBin{Lo: edges[j], Hi: edges[j+1], N: n[j], Events: ev[j], Expected: sum[j],
			MeanPredicted: sum[j] / float64(n[j]), Observed: float64(ev[j]) / float64(n[j])}
		b.CI[0], b.CI[1] = wilson(ev[j], n[j], level)
		out = append(out, b)
	}
	return out, nil
}

// HosmerLemeshowGroup is one risk group of the Hosmer–Lemeshow test:
// predictions in (Lo, Hi] ([Lo, Hi] for the first), their number N, the
// observed events and the expected events Σp.
type HosmerLemeshowGroup struct {
	Lo, Hi    float64
	N, Events int
	Expected  float64
}

// HLSample says where the predictions tested by HosmerLemeshow come from,
// which fixes the degrees of freedom of the reference χ² distribution.
type HLSample int

const (
	// FittedSample: the model was fitted on these patients, by maximum
	// likelihood. Ĉ is then approximately χ² with G − 2 degrees of freedom
	// (Hosmer & Lemeshow, Commun. Stat. Theory Methods 1980: χ²(G − p − 1)
	// plus a weighted sum of p χ²(1) terms from the estimated grouping,
	// which their simulations showed to be close to χ²(G − 2); Hosmer,
	// Lemeshow & Sturdivant, "Applied Logistic Regression", 3rd ed. 2013,
	// §5.2.2).
	FittedSample HLSample = iota
	// ValidationSample: the model was fitted elsewhere and its
	// probabilities are fixed before these patients are seen (a held-out
	// or external validation cohort). No parameter is estimated on them,
	// so Ĉ is referred to χ² with G degrees of freedom (Hosmer, Lemeshow
	// & Sturdivant 2013, ch. 5, assessment of fit in a validation sample;
	// Hosmer & Lemeshow, 2nd ed. 2000, §5.6).
	ValidationSample
)

// String names the sample as results and tables print it.
func (s HLSample) String() string {
	switch s {
	case FittedSample:
		return "fitted"
	case ValidationSample:
		return "validation"
	}
	return fmt.Sprintf("HLSample(%d)", int(s))
}

// HLMinExpected is the smallest expected count, of events or of
// non-events, in a Hosmer–Lemeshow group below which the χ² approximation
// is doubtful (the usual rule for Pearson's χ², Cochran, Biometrics 1954;
// Hosmer, Lemeshow & Sturdivant 2013, §5.2.2, on small expected
// frequencies).
const HLMinExpected = 5.0

// HosmerLemeshowTest is the Hosmer–Lemeshow goodness-of-fit statistic
//
//	Ĉ = Σ_g (O_g − E_g)²/E_g + ((N_g − O_g) − (N_g − E_g))²/(N_g − E_g),
//
// with O_g the events and E_g = Σ p in group g, referred to χ² with DF
// degrees of freedom: G − 2 on the sample the model was fitted on, G on a
// validation sample (HLSample). MinExpected is the smallest expected count
// (E_g or N_g − E_g) over the groups; Warning is empty unless it is below
// HLMinExpected, and then says so.
type HosmerLemeshowTest struct {
	Groups      []HosmerLemeshowGroup
	Sample      HLSample
	Chi2        float64
	DF          int
	P           float64
	MinExpected float64
	Warning     string
}

// HosmerLemeshow returns the Hosmer–Lemeshow test of predicted
// probabilities p against outcomes y with g groups by "deciles of risk"
// (g = 10 is usual): the groups are cut at the quantiles k/g of p (R's
// quantile type 7) into intervals closed on the right, as
// ResourceSelection::hoslem.test does, except that tied quantiles do not
// stop the test: empty groups are dropped and G, the number of non-empty
// groups, gives the degrees of freedom (G − 2 for a FittedSample, G for a
// ValidationSample). Fewer than 3 non-empty groups, or a group whose
// predictions are all 0 or all 1 (a zero expected count), is an error. An
// expected count below HLMinExpected is not an error but sets Warning;
// HosmerLemeshowGroups suggests fewer groups.
func HosmerLemeshow(p []float64, y []bool, g int, sample HLSample) (HosmerLemeshowTest, error) {
	if g < 3 {
		return HosmerLemeshowTest{}, fmt.Errorf("%w: %d groups, the Hosmer–Lemeshow test needs at least 3", ErrParameter, g)
	}
	if sample != FittedSample && sample != ValidationSample {
		return HosmerLemeshowTest{}, fmt.Errorf("%w: unknown Hosmer–Lemeshow sample %d (want FittedSample or ValidationSample)", ErrParameter, int(sample))
	}
	if err := checkProbs(p, y, false); err != nil {
		return HosmerLemeshowTest{}, err
	}
	edges := binEdges(p, g, QuantileBins)
	n, ev, sum := assignBins(p, y, edges)
	t := HosmerLemeshowTest{Sample: sample, MinExpected: math.Inf(1)}
	low := 0
	for j := range n {
		if n[j] == 0 {
			continue
		}
		e1, e0 := sum[j], float64(n[j])-sum[j]
		if !(e1 > 0 && e0 > 0) {
			return HosmerLemeshowTest{}, fmt.Errorf("%w: Hosmer–Lemeshow group (%v, %v] has expected count 0 (all predictions 0 or 1)", ErrProbability, edges[j], edges[j+1])
		}
		o1, o0 := float64(ev[j]), float64(n[j]-ev[j])
		t.Chi2 += (o1-e1)*(o1-e1)/e1 + (o0-e0)*(o0-e0)/e0
		t.Groups = append(t.Groups, HosmerLemeshowGroup{Lo: edges[j], Hi: edges[j+1], N: n[j], Events: ev[j], Expected: e1})
		t.MinExpected = math.Min(t.MinExpected, math.Min(e1, e0))
		if math.Min(e1, e0) < HLMinExpected {
			low++
		}
	}
	if len(t.Groups) < 3 {
		return HosmerLemeshowTest{}, fmt.Errorf("%w: only %d distinct risk groups, the Hosmer–Lemeshow test needs at least 3", ErrTooFew, len(t.Groups))
	}
	t.DF = len(t.Groups)
	if sample == FittedSample {
		t.DF -= 2
	}
	t.P = distuv.ChiSquared{K: float64(t.DF)}.Survival(t.Chi2)
	if low > 0 {
		t.Warning = fmt.Sprintf("%d of %d groups have an expected count below %g (smallest %.1f): the χ² approximation is doubtful",
			low, len(t.Groups), HLMinExpected, t.MinExpected)
		if len(t.Groups) > 3 {
			t.Warning += "; fewer groups would help"
		}
	}
	return t, nil
}

// HosmerLemeshowGroups returns the number of Hosmer–Lemeshow groups for n
// predictions summing to e (the expected events): the largest G ≤ maxG
// with at least HLMinExpected expected counts of the rarer outcome per
// group on average, G = ⌊min(e, n − e)/HLMinExpected⌋, and at least 3 (the
// test's minimum; the result's Warning then says the counts are small).
// For 41 validation patients with about 17 expected events it gives 3
// rather than the usual 10 (about 1.7 expected events a group).
func HosmerLemeshowGroups(p []float64, maxG int) (int, error) {
	if maxG < 3 {
		return 0, fmt.Errorf("%w: at most %d groups, the Hosmer–Lemeshow test needs at least 3", ErrParameter, maxG)
	}
	e := 0.0
	for i, v := range p {
		if math.IsNaN(v) || v < 0 || v > 1 {
			return 0, fmt.Errorf("%w: probability %d is %v, outside [0, 1]", ErrProbability, i, v)
		}
		e += v
	}
	rare := math.Min(e, float64(len(p))-e)
	g := int(math.Floor(rare/HLMinExpected + 1e-9)) // 1e-9: Σp rounding
	return min(max(g, 3), maxG), nil
}
