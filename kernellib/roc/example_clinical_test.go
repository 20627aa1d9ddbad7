package roc_test

import (
	"fmt"

	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// Six patients, cases at scores 3, 5 and 6. Thresholds lie halfway between
// distinct scores, as in pROC. Youden's J = se + sp − 1 is 2/3 at both 2.5
// (se 1, sp 2/3) and 4.5 (se 2/3, sp 1): both are returned. Counting a
// missed case twice as costly as a false alarm (r = 0.5/(2·0.5) = 1/2)
// leaves only 2.5, where se + sp/2 = 4/3.
func ExampleBestThresholds() {
	scores := []float64{1, 2, 3, 4, 5, 6}
	truth := []bool{false, false, true, false, true, true}
	best, _ := roc.BestThresholds(scores, truth, roc.CasesHigher, roc.Youden, roc.BestWeights{})
	for _, op := range best {
		fmt.Printf("t=%.1f se=%.3f sp=%.3f se+sp=%.3f\n", op.Threshold, op.Sensitivity, op.Specificity, op.Criterion)
	}
	best, _ = roc.BestThresholds(scores, truth, roc.CasesHigher, roc.Youden, roc.BestWeights{Cost: 2, Prevalence: 0.5})
	fmt.Printf("cost 2: t=%.1f se+sp/2=%.3f\n", best[0].Threshold, best[0].Criterion)
	best, _ = roc.BestThresholds(scores, truth, roc.CasesHigher, roc.TopLeft, roc.BestWeights{})
	fmt.Printf("top-left: %d points, distance² %.4f\n", len(best), best[0].Criterion)
	// Output:
	// t=2.5 se=1.000 sp=0.667 se+sp=1.667
	// t=4.5 se=0.667 sp=1.000 se+sp=1.667
	// cost 2: t=2.5 se+sp/2=1.333
	// top-left: 2 points, distance² 0.1111
}

// At threshold 3.5 the six patients above give TP 2, FN 1, FP 1, TN 2:
// every proportion is 2/3. The Wilson interval for 2/3 is
// (2 + z²/2 ± z√(2·1/3 + z²/4)) / (3 + z²) = (0.2077, 0.9385) with
// z = 1.96, and the Clopper–Pearson interval (0.0943, 0.9916).
func ExampleMetricsAt() {
	scores := []float64{1, 2, 3, 4, 5, 6}
	truth := []bool{false, false, true, false, true, true}
	m, _ := roc.MetricsAt(scores, truth, roc.CasesHigher, 3.5, 0.95)
	fmt.Printf("%+v\n", m.Confusion)
	s := m.Sensitivity
	fmt.Printf("sensitivity %d/%d = %.4f, Wilson (%.4f, %.4f), exact (%.4f, %.4f)\n",
		s.X, s.N, s.Est, s.Wilson[0], s.Wilson[1], s.Exact[0], s.Exact[1])
	fmt.Printf("PPV %.4f NPV %.4f accuracy %.4f F1 %.4f\n", m.PPV.Est, m.NPV.Est, m.Accuracy.Est, m.F1)
	// Output:
	// {TP:2 FN:1 FP:1 TN:2}
	// sensitivity 2/3 = 0.6667, Wilson (0.2077, 0.9385), exact (0.0943, 0.9916)
	// PPV 0.6667 NPV 0.6667 accuracy 0.6667 F1 0.6667
}

// With no success in 10 trials the exact upper bound solves
// (1 − π)¹⁰ = 0.025: π = 1 − 0.025^(1/10) = 0.3085; Wilson's is
// z²/(n + z²) = 3.8415/13.8415 = 0.2775.
func ExampleClopperPearsonCI() {
	lo, hi, _ := roc.ClopperPearsonCI(0, 10, 0.95)
	fmt.Printf("exact  (%.4f, %.4f)\n", lo, hi)
	lo, hi, _ = roc.WilsonCI(0, 10, 0.95)
	fmt.Printf("Wilson (%.4f, %.4f)\n", lo, hi)
	// Output:
	// exact  (0.0000, 0.3085)
	// Wilson (0.0000, 0.2775)
}

// A threshold chosen on training data is applied unchanged to new data:
// the training optimum 2.5 classifies the validation scores 2.7 and 3.1 as
// positive.
func ExampleValidateThreshold() {
	train := []float64{1, 2, 3, 4, 5, 6}
	trainTruth := []bool{false, false, true, false, true, true}
	valid := []float64{2.7, 1.2, 3.1, 2.4}
	validTruth := []bool{true, false, false, true}
	op, m, _ := roc.ValidateThreshold(train, trainTruth, valid, validTruth,
		roc.CasesHigher, roc.Youden, roc.BestWeights{}, 0.95)
	fmt.Printf("threshold %.1f: %+v, sensitivity %.2f, specificity %.2f\n",
		op.Threshold, m.Confusion, m.Sensitivity.Est, m.Specificity.Est)
	// Output:
	// threshold 2.5: {TP:1 FN:1 FP:1 TN:1}, sensitivity 0.50, specificity 0.50
}

// Two risk groups make the recalibration model saturated, so it can be
// solved by hand: predictions 0.5 (logit 0) with 3 events in 4, and 0.2
// (logit −ln 4) with 1 event in 5. The fit reproduces each group's observed
// logit: α = logit(3/4) = ln 3 = 1.0986 and α − β ln 4 = logit(1/5) = −ln 4,
// so β = ln 12 / ln 4 = 1.7925.
func ExampleLogisticCalibration() {
	p := []float64{0.5, 0.5, 0.5, 0.5, 0.2, 0.2, 0.2, 0.2, 0.2}
	y := []bool{true, true, true, false, true, false, false, false, false}
	rc, _ := roc.LogisticCalibration(p, y, 0.95)
	fmt.Printf("intercept %.4f, slope %.4f\n", rc.Intercept.Est, rc.Slope.Est)
	// Output:
	// intercept 1.0986, slope 1.7925
}

// Brier = ((0.2)² + (0.3)² + (0.1)² + (0.4)²)/4 = 0.075; the non-informative
// model predicts 1/2 to all, Brier 1/4; scaled 1 − 0.075/0.25 = 0.7. Two
// events were observed, 2.2 expected.
func ExampleBrier() {
	p := []float64{0.2, 0.7, 0.9, 0.4}
	y := []bool{false, true, true, false}
	b, _ := roc.Brier(p, y)
	fmt.Printf("Brier %.3f, max %.2f, scaled %.2f\n", b.Brier, b.Max, b.Scaled)
	oe, _ := roc.ObservedExpectedRatio(p, y, 0.95)
	fmt.Printf("O %d, E %.1f, O/E %.4f\n", oe.Observed, oe.Expected, oe.Ratio)
	// Output:
	// Brier 0.075, max 0.25, scaled 0.70
	// O 2, E 2.2, O/E 0.9091
}

// Two fixed-width bins on [0, 1]: [0, 0.5] holds 0.1 and 0.15, no event;
// (0.5, 1] holds 0.6, 0.7 and 0.9 with 2 events.
func ExampleCalibrationCurve() {
	p := []float64{0.1, 0.15, 0.6, 0.7, 0.9}
	y := []bool{false, false, true, false, true}
	bins, _ := roc.CalibrationCurve(p, y, 2, roc.UniformBins, 0.95)
	for _, b := range bins {
		fmt.Printf("(%.1f, %.1f]: n=%d predicted %.4f observed %.4f\n", b.Lo, b.Hi, b.N, b.MeanPredicted, b.Observed)
	}
	// Output:
	// (0.0, 0.5]: n=2 predicted 0.1250 observed 0.0000
	// (0.5, 1.0]: n=3 predicted 0.7333 observed 0.6667
}

// Four patients, two events. At pt = 0.2 (odds 1/4) the model treats three
// (p ≥ 0.2): TP 2, FP 1, net benefit 2/4 − 1/4 · 1/4 = 0.4375, against
// treat-all 1/2 − 1/2 · 1/4 = 0.375. At pt = 0.5 (odds 1) it treats two:
// 1/4 − 1/4 = 0, as treating everyone or no one.
func ExampleDecisionCurve() {
	p := []float64{0.1, 0.3, 0.6, 0.8}
	y := []bool{false, true, false, true}
	rows, _ := roc.DecisionCurve(p, y, []float64{0.2, 0.5})
	for _, r := range rows {
		fmt.Printf("pt %.1f: model %.4f, treat all %.4f, treat none %.0f\n", r.Threshold, r.Model, r.TreatAll, r.TreatNone)
	}
	// Output:
	// pt 0.2: model 0.4375, treat all 0.3750, treat none 0
	// pt 0.5: model 0.0000, treat all 0.0000, treat none 0
}

// One cut-off at 20% risk. Of 2 events one moves up (0.15 → 0.25); of 3
// non-events one moves down (0.25 → 0.15): NRI = 1/2 + 1/3 = 0.8333, with
// null SE √((1/2)/2 + (1/3)/3) = 0.6009.
func ExampleCategoricalNRI() {
	old := []float64{0.15, 0.25, 0.25, 0.05, 0.30}
	new := []float64{0.25, 0.25, 0.15, 0.15, 0.30}
	y := []bool{true, true, false, false, false}
	r, _ := roc.CategoricalNRI(old, new, y, []float64{0.2}, 0.95)
	fmt.Printf("events %.4f, non-events %.4f, NRI %.4f (SE0 %.4f)\n",
		r.EventNRI.Est, r.NonEventNRI.Est, r.Total.Est, r.Total.SE0)
	// Output:
	// events 0.5000, non-events 0.3333, NRI 0.8333 (SE0 0.6009)
}

// Discrimination slopes: old 0.40 − 0.35 = 0.05, new 0.55 − 0.25 = 0.30, so
// IDI = 0.25. The differences new − old are 0.1, 0.2 among events
// (variance 0.005) and −0.1, −0.1 among non-events (variance 0):
// SE = √(0.005/2) = 0.05, z = 5.
func ExampleIDI() {
	old := []float64{0.2, 0.6, 0.3, 0.4}
	new := []float64{0.3, 0.8, 0.2, 0.3}
	y := []bool{true, true, false, false}
	r, _ := roc.IDI(old, new, y, 0.95)
	fmt.Printf("slopes %.2f → %.2f, IDI %.2f, SE %.2f, z %.1f\n", r.SlopeOld, r.SlopeNew, r.IDI.Est, r.IDI.SE, r.IDI.Z)
	// Output:
	// slopes 0.05 → 0.30, IDI 0.25, SE 0.05, z 5.0
}
