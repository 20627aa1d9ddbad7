package roc

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
)

// glmTol is the tolerance against R's glm: both fits are iterative
// (Newton–Raphson here, IRLS to a deviance change of 1e-14 in R).
const glmTol = 1e-7

func clinCheckCoef(t *testing.T, name string, got CalibrationCoef, want clinCoef) {
	t.Helper()
	clinCheck(t, name+" estimate", got.Est, want.Est, glmTol)
	clinCheck(t, name+" SE", got.SE, want.SE, glmTol)
	clinCheck(t, name+" CI lower", got.CI[0], want.CI[0], glmTol)
	clinCheck(t, name+" CI upper", got.CI[1], want.CI[1], glmTol)
	clinCheck(t, name+" z", got.Z, want.Z, glmTol)
	clinCheck(t, name+" p", got.P, want.P, 1e-6)
}

// TestCalibrationR compares the logistic recalibration with R's glm
// (coefficients, vcov, confint.default), and O/E, Brier, calibration curves
// and the Hosmer–Lemeshow test with their formulas written out in R.
func TestCalibrationR(t *testing.T) {
	fx := clinLoadR(t)
	if len(fx.Calibration) != 3 {
		t.Fatalf("%d calibration data sets, want 3", len(fx.Calibration))
	}
	for name, c := range fx.Calibration {
		p := clinFloats(c.P)
		rc, err := LogisticCalibration(p, c.Y, 0.95)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		clinCheckCoef(t, name+" in-the-large", rc.InTheLarge, c.InTheLarge)
		clinCheckCoef(t, name+" intercept", rc.Intercept, c.Intercept)
		clinCheckCoef(t, name+" slope", rc.Slope, c.Slope)
		if rc.Slope.Null != 1 || rc.InTheLarge.Null != 0 || rc.N != len(p) {
			t.Errorf("%s: nulls %v %v, N %d", name, rc.InTheLarge.Null, rc.Slope.Null, rc.N)
		}

		oe, err := ObservedExpectedRatio(p, c.Y, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		if oe.Observed != c.Observed {
			t.Errorf("%s: observed %d, want %d", name, oe.Observed, c.Observed)
		}
		clinCheck(t, name+" expected", oe.Expected, c.Expected, 1e-12)
		clinCheck(t, name+" O/E", oe.Ratio, c.OE, 1e-12)
		clinCheck(t, name+" O/E lower", oe.CI[0], c.OECI[0], 1e-12)
		clinCheck(t, name+" O/E upper", oe.CI[1], c.OECI[1], 1e-12)

		b, err := Brier(p, c.Y)
		if err != nil {
			t.Fatal(err)
		}
		clinCheck(t, name+" Brier", b.Brier, c.Brier, 1e-12)
		clinCheck(t, name+" Brier max", b.Max, c.BrierMax, 1e-12)
		clinCheck(t, name+" scaled Brier", b.Scaled, c.BrierScale, 1e-12)

		for _, cv := range c.Curves {
			st := QuantileBins
			if cv.Strategy == "uniform" {
				st = UniformBins
			}
			cname := fmt.Sprintf("%s %s %d", name, cv.Strategy, cv.Bins)
			bins, err := CalibrationCurve(p, c.Y, cv.Bins, st, cv.Level)
			if err != nil {
				t.Fatal(err)
			}
			if len(bins) != len(cv.Rows) {
				t.Errorf("%s: %d bins, want %d", cname, len(bins), len(cv.Rows))
				continue
			}
			for j, r := range cv.Rows {
				g := bins[j]
				if g.N != r.N || g.Events != r.Events {
					t.Errorf("%s bin %d: %d/%d, want %d/%d", cname, j, g.Events, g.N, r.Events, r.N)
				}
				clinCheck(t, cname+" lo", g.Lo, r.Lo, 1e-12)
				clinCheck(t, cname+" hi", g.Hi, r.Hi, 1e-12)
				clinCheck(t, cname+" mean predicted", g.MeanPredicted, r.MeanPredicted, 1e-12)
				clinCheck(t, cname+" observed", g.Observed, r.Observed, 1e-15)
				clinCheck(t, cname+" wilson lo", g.CI[0], r.Wilson[0], 1e-12)
				clinCheck(t, cname+" wilson hi", g.CI[1], r.Wilson[1], 1e-12)
			}
		}

		for _, h := range c.HL {
			for _, sm := range []struct {
				sample HLSample
				df     int
				p      clinNum
			}{{FittedSample, h.DF, h.P}, {ValidationSample, h.DFValidation, h.PValidation}} {
				hl, err := HosmerLemeshow(p, c.Y, h.Groups, sm.sample)
				if err != nil {
					t.Fatal(err)
				}
				hname := fmt.Sprintf("%s HL g=%d %v", name, h.Groups, sm.sample)
				if hl.DF != sm.df || hl.Sample != sm.sample {
					t.Errorf("%s: df %d (%v), want %d", hname, hl.DF, hl.Sample, sm.df)
				}
				clinCheck(t, hname+" chi2", hl.Chi2, h.Chi2, 1e-12)
				clinCheck(t, hname+" p", hl.P, sm.p, 1e-9)
				clinCheck(t, hname+" min expected", hl.MinExpected, h.MinExpected, 1e-12)
				// Every fixture has a group with fewer than 5 expected.
				if h.MinExpected < HLMinExpected && !strings.Contains(hl.Warning, "below 5") {
					t.Errorf("%s: min expected %v but warning %q", hname, hl.MinExpected, hl.Warning)
				}
				n := 0
				for _, g := range hl.Groups {
					n += g.N
				}
				if n != len(p) {
					t.Errorf("%s: groups hold %d of %d predictions", hname, n, len(p))
				}
			}
		}
	}
}

// TestCalibrationSklearn compares calibration curves with
// sklearn.calibration.calibration_curve and the Brier score with
// sklearn.metrics.brier_score_loss.
func TestCalibrationSklearn(t *testing.T) {
	fx := clinLoadPy(t)
	for i, c := range fx.Calibration {
		p := clinFloats(c.P)
		b, err := Brier(p, c.Y)
		if err != nil {
			t.Fatal(err)
		}
		clinCheck(t, fmt.Sprintf("set %d Brier", i), b.Brier, c.Brier, 1e-12)
		for _, cv := range c.Curves {
			st := QuantileBins
			if cv.Strategy == "uniform" {
				st = UniformBins
			}
			name := fmt.Sprintf("set %d %s %d", i, cv.Strategy, cv.Bins)
			bins, err := CalibrationCurve(p, c.Y, cv.Bins, st, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			if len(bins) != len(cv.Observed) {
				t.Errorf("%s: %d bins, sklearn %d", name, len(bins), len(cv.Observed))
				continue
			}
			for j := range bins {
				clinCheck(t, name+" observed", bins[j].Observed, cv.Observed[j], 1e-12)
				clinCheck(t, name+" mean predicted", bins[j].MeanPredicted, cv.MeanPredicted[j], 1e-12)
			}
		}
	}
}

// TestLogisticFitScore checks the maximum-likelihood conditions directly:
// at the fitted slope model the score equations Σ(y − μ) = 0 and
// Σ(y − μ)·logit(p) = 0 hold, and for the in-the-large model
// Σ μ = Σ y.
func TestLogisticFitScore(t *testing.T) {
	fx := clinLoadR(t)
	c := fx.Calibration["small"]
	p := clinFloats(c.P)
	rc, err := LogisticCalibration(p, c.Y, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	var s0, s1, sm, sy float64
	for i, v := range p {
		lp := math.Log(v / (1 - v))
		y := 0.0
		if c.Y[i] {
			y = 1
		}
		mu := invLogit(rc.Intercept.Est + rc.Slope.Est*lp)
		s0 += y - mu
		s1 += (y - mu) * lp
		sm += invLogit(rc.InTheLarge.Est + lp)
		sy += y
	}
	if math.Abs(s0) > 1e-10 || math.Abs(s1) > 1e-10 || math.Abs(sm-sy) > 1e-10 {
		t.Errorf("score equations not solved: %v %v %v", s0, s1, sm-sy)
	}
}

// TestCalibrationPerfect: probabilities that are the logistic model itself
// give a recalibration slope near 1 on a large sample; a deliberately
// overconfident copy (logit doubled) gives a slope near 1/2.
func TestCalibrationPerfect(t *testing.T) {
	n := 20000
	p := make([]float64, n)
	q := make([]float64, n)
	y := make([]bool, n)
	r := rand.New(rand.NewPCG(7, 0))
	for i := range p {
		x := 4*r.Float64() - 2
		p[i] = invLogit(x)
		q[i] = invLogit(2 * x)
		y[i] = r.Float64() < p[i]
	}
	rc, err := LogisticCalibration(p, y, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(rc.Slope.Est-1) > 4*rc.Slope.SE || math.Abs(rc.InTheLarge.Est) > 4*rc.InTheLarge.SE {
		t.Errorf("calibrated model: slope %v ± %v, in-the-large %v ± %v", rc.Slope.Est, rc.Slope.SE, rc.InTheLarge.Est, rc.InTheLarge.SE)
	}
	rc, err = LogisticCalibration(q, y, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(rc.Slope.Est-0.5) > 4*rc.Slope.SE {
		t.Errorf("overconfident model: slope %v ± %v, want 0.5", rc.Slope.Est, rc.Slope.SE)
	}
}

func TestCalibrationErrors(t *testing.T) {
	p := []float64{0.1, 0.4, 0.35, 0.8}
	y := []bool{false, false, true, true}
	check := func(name string, err, want error) {
		t.Helper()
		if !errors.Is(err, want) {
			t.Errorf("%s: error %v, want %v", name, err, want)
		}
	}
	_, err := LogisticCalibration([]float64{0, 0.4, 0.35, 0.8}, y, 0.95)
	check("p = 0 in logistic fit", err, ErrProbability)
	_, err = LogisticCalibration([]float64{0.1, 0.4, 1, 0.8}, y, 0.95)
	check("p = 1 in logistic fit", err, ErrProbability)
	_, err = LogisticCalibration([]float64{0.1, 1.4, 0.35, 0.8}, y, 0.95)
	check("p > 1", err, ErrProbability)
	_, err = LogisticCalibration([]float64{0.1, math.NaN(), 0.35, 0.8}, y, 0.95)
	check("NaN", err, ErrNotFinite)
	_, err = LogisticCalibration(p, []bool{true, true, true, true}, 0.95)
	check("one class", err, ErrOneClass)
	_, err = LogisticCalibration(p, y[:2], 0.95)
	check("length", err, ErrLength)
	_, err = LogisticCalibration([]float64{0.1, 0.2, 0.8, 0.9}, y, 0.95)
	check("separated", err, ErrParameter)
	_, err = LogisticCalibration([]float64{0.3, 0.3, 0.3, 0.3}, y, 0.95)
	check("constant logit", err, ErrParameter)
	_, err = Brier(nil, nil)
	check("Brier empty", err, ErrEmpty)
	_, err = Brier([]float64{-0.1, 0.4, 0.35, 0.8}, y)
	check("Brier p < 0", err, ErrProbability)
	_, err = ObservedExpectedRatio(p, y, 2)
	check("O/E level", err, ErrParameter)
	_, err = CalibrationCurve(p, y, 0, QuantileBins, 0.95)
	check("0 bins", err, ErrParameter)
	_, err = CalibrationCurve(p, y, 3, BinStrategy(9), 0.95)
	check("strategy", err, ErrParameter)
	_, err = HosmerLemeshow(p, y, 2, ValidationSample)
	check("HL 2 groups", err, ErrParameter)
	_, err = HosmerLemeshow(p, y, 3, HLSample(7))
	check("HL sample", err, ErrParameter)
	_, err = HosmerLemeshowGroups(p, 2)
	check("HL at most 2 groups", err, ErrParameter)
	_, err = HosmerLemeshowGroups([]float64{0.2, 1.2}, 10)
	check("HL groups p > 1", err, ErrProbability)
	_, err = HosmerLemeshow([]float64{0.2, 0.2, 0.2, 0.7}, y, 10, FittedSample)
	check("HL too few distinct", err, ErrTooFew)
	_, err = HosmerLemeshow([]float64{0, 0, 0.2, 0.3, 0.5, 0.6, 0.7, 0.9}, append(y, y...), 4, FittedSample)
	check("HL zero expected", err, ErrProbability)
	_, err = ClipProbabilities(p, 0.5)
	check("clip eps", err, ErrParameter)

	// No event: O/E is 0 and its interval undefined.
	oe, err := ObservedExpectedRatio(p, make([]bool, len(p)), 0.95)
	if err != nil || oe.Ratio != 0 || !math.IsNaN(oe.CI[0]) || math.Abs(oe.Expected-1.65) > 1e-15 {
		t.Errorf("no event: %+v, %v", oe, err)
	}

	// Clipping makes a model with 0 and 1 outputs usable.
	raw := []float64{0, 0.3, 0.6, 1, 0.2, 0.7}
	yy := []bool{false, true, false, true, false, true}
	c, err := ClipProbabilities(raw, 1e-6)
	if err != nil || c[0] != 1e-6 || c[3] != 1-1e-6 || c[1] != 0.3 || raw[0] != 0 {
		t.Fatalf("ClipProbabilities = %v, %v", c, err)
	}
	if _, err := LogisticCalibration(c, yy, 0.95); err != nil {
		t.Errorf("clipped probabilities: %v", err)
	}
}

// TestBinEdges checks the quantile edges against a direct type-7 quantile
// and the bin assignment rule (left-open, right-closed, first bin closed).
func TestBinEdges(t *testing.T) {
	p := []float64{0.9, 0.1, 0.5, 0.3, 0.3, 0.7, 0.2}
	e := binEdges(p, 4, QuantileBins)
	s := append([]float64(nil), p...)
	sort.Float64s(s)
	for k, q := range []float64{0, 0.25, 0.5, 0.75, 1} {
		h := q * float64(len(s)-1)
		lo := int(math.Floor(h))
		want := s[lo]
		if lo+1 < len(s) {
			want += (h - float64(lo)) * (s[lo+1] - s[lo])
		}
		if math.Abs(e[k]-want) > 1e-15 {
			t.Errorf("edge %d = %v, want %v", k, e[k], want)
		}
	}
	// edges: 0.1, 0.25, 0.3, 0.6, 0.9
	n, ev, _ := assignBins(p, make([]bool, len(p)), e)
	if want := []int{2, 2, 1, 2}; fmt.Sprint(n) != fmt.Sprint(want) || ev[0] != 0 {
		t.Errorf("bin counts %v, want %v (edges %v)", n, want, e)
	}
}

// TestHosmerLemeshowGroups checks the group rule (average expected count
// of the rarer outcome per group at least 5, between 3 and the maximum)
// and that the warning is set exactly when a group expects fewer than 5.
func TestHosmerLemeshowGroups(t *testing.T) {
	rep := func(v float64, n int) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = v
		}
		return out
	}
	for _, c := range []struct {
		p    []float64
		maxG int
		want int
	}{
		{rep(0.4, 41), 10, 3},   // 16.4 expected events: 3 groups (5.5 each), not 10 (1.6)
		{rep(0.5, 60), 10, 6},   // 30 of each outcome
		{rep(0.5, 200), 10, 10}, // 100: capped at the maximum
		{rep(0.9, 200), 10, 4},  // the rarer outcome is the non-event: 20
		{rep(0.02, 50), 10, 3},  // 1 expected event: the minimum, 3
	} {
		g, err := HosmerLemeshowGroups(c.p, c.maxG)
		if err != nil || g != c.want {
			t.Errorf("%d predictions of %v: %d groups (%v), want %d", len(c.p), c.p[0], g, err, c.want)
		}
	}
	// 200 predictions spread over [0.4, 0.6]: every decile expects about 10
	// events and 10 non-events, no warning; over [0.02, 0.98] the lowest
	// decile expects about 1 event.
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range []struct {
		lo, hi float64
		warn   bool
	}{{0.4, 0.6, false}, {0.02, 0.98, true}} {
		p := make([]float64, 200)
		y := make([]bool, 200)
		for i := range p {
			p[i] = c.lo + (c.hi-c.lo)*rng.Float64()
			y[i] = rng.Float64() < p[i]
		}
		hl, err := HosmerLemeshow(p, y, 10, ValidationSample)
		if err != nil {
			t.Fatal(err)
		}
		if (hl.Warning != "") != c.warn || (hl.MinExpected < HLMinExpected) != c.warn || hl.DF != 10 {
			t.Errorf("p in [%v, %v]: min expected %.2f, df %d, warning %q", c.lo, c.hi, hl.MinExpected, hl.DF, hl.Warning)
		}
	}
}
