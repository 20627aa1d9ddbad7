package roc

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// BinormalPair describes two correlated ROC curves measured on the same
// cases and controls by the binormal model, the parameters of pROC's
// power.roc.test(parslist) (Obuchowski & McClish 1997): curve r has
// intercept Ar and slope Br, and binormal AUC Φ(Ar/√(1 + Br²));
// RhoControls and RhoCases are the correlations of the two scores among the
// controls and among the cases (pROC's rn and ra); Delta is the AUC
// difference to detect, AUC₁ − AUC₂.
type BinormalPair struct {
	A1, B1, A2, B2        float64
	RhoControls, RhoCases float64
	Delta                 float64
}

// EqualVarianceParams returns the binormal pair with equal variances
// (B = 1, A = √2 Φ⁻¹(AUC)) whose AUCs are auc1 and auc2, correlated by rho
// among both the cases and the controls, with Delta = auc1 − auc2: the
// planning form when only two AUCs and a guess of their correlation are
// known (Obuchowski & McClish 1997 §3; Hanley & McNeil, Radiology 1983,
// 148:839–843, tabulate typical correlations, often 0.3–0.6 for two
// tests read on the same patients).
func EqualVarianceParams(auc1, auc2, rho float64) (BinormalPair, error) {
	for _, a := range []float64{auc1, auc2} {
		if !(a > 0 && a < 1) {
			return BinormalPair{}, fmt.Errorf("%w: AUC %v, want an AUC in (0, 1)", ErrParameter, a)
		}
	}
	if !(rho >= -1 && rho <= 1) {
		return BinormalPair{}, fmt.Errorf("%w: correlation %v, want a correlation in [-1, 1]", ErrParameter, rho)
	}
	q := func(a float64) float64 { return math.Sqrt2 * distuv.UnitNormal.Quantile(a) }
	return BinormalPair{A1: q(auc1), B1: 1, A2: q(auc2), B2: 1, RhoControls: rho, RhoCases: rho, Delta: auc1 - auc2}, nil
}

// AUCs returns the binormal AUCs of the two curves, Φ(A/√(1 + B²)).
func (b BinormalPair) AUCs() (auc1, auc2 float64) {
	return binormalAUC(b.A1, b.B1), binormalAUC(b.A2, b.B2)
}

func binormalAUC(a, b float64) float64 { return distuv.UnitNormal.CDF(a / math.Sqrt(1+b*b)) }

// check validates the parameters.
func (b BinormalPair) check() error {
	for _, v := range []struct {
		name string
		x    float64
	}{{"A1", b.A1}, {"B1", b.B1}, {"A2", b.A2}, {"B2", b.B2}, {"Delta", b.Delta}} {
		if math.IsNaN(v.x) || math.IsInf(v.x, 0) {
			return fmt.Errorf("%w: binormal parameter %s is %v, want a finite number", ErrParameter, v.name, v.x)
		}
	}
	for _, v := range []struct {
		name string
		x    float64
	}{{"RhoControls", b.RhoControls}, {"RhoCases", b.RhoCases}} {
		if !(v.x >= -1 && v.x <= 1) {
			return fmt.Errorf("%w: %s is %v, want a correlation in [-1, 1]", ErrParameter, v.name, v.x)
		}
	}
	return nil
}

// binormalFG are Obuchowski & McClish's (1997, eq. 4) partial derivatives
// of the binormal AUC with respect to A (f) and B (g), for the full AUC:
// f = e^{−A²/(2(1+B²))} / √(2π(1+B²)), g = −e^{−A²/(2(1+B²))} A B / √(2π(1+B²)³)
// (pROC's f.full and g.full).
func binormalFG(a, b float64) (f, g float64) {
	e2 := 1 + b*b
	e1 := math.Exp(-a * a / (2 * e2))
	return e1 / math.Sqrt(2*math.Pi*e2), -e1 * a * b / math.Sqrt(2*math.Pi*e2*e2*e2)
}

// binormalVar is the variance (× number of cases) of a binormal AUC with
// kappa controls per case by the delta method (Obuchowski & McClish 1997,
// eq. 4; pROC's var.params.obuchowski):
// f² (1 + B²/kappa + A²/2) + g² B² (1 + kappa)/(2 kappa).
func binormalVar(a, b, kappa float64) float64 {
	f, g := binormalFG(a, b)
	return f*f*(1+b*b/kappa+a*a/2) + g*g*b*b*(1+kappa)/(2*kappa)
}

// binormalCov is the covariance (× number of cases) of the two binormal
// AUCs (Obuchowski & McClish 1997, eq. 5; pROC's cov.params.obuchowski).
func binormalCov(p BinormalPair, kappa float64) float64 {
	f1, g1 := binormalFG(p.A1, p.B1)
	f2, g2 := binormalFG(p.A2, p.B2)
	ra, rn := p.RhoCases, p.RhoControls
	return f1*f2*(ra+rn*p.B1*p.B2/kappa+ra*ra*p.A1*p.A2/2) +
		g1*g2*(p.B1*p.B2*(rn*rn+kappa*ra*ra)/(2*kappa)) +
		f1*g2*(ra*ra*p.A1*p.B2/2) + f2*g1*(ra*ra*p.A2*p.B1/2)
}

// deltaVariances returns the variances (× number of cases) of AUC₁ − AUC₂
// under H₀, 2 var₁ − 2 cov₁₂, and under the alternative,
// var₁ + var₂ − 2 cov₁₂ (pROC's var0.delta.covvar and var.delta.covvar).
func deltaVariances(var1, var2, cov12 float64) (v0, va float64) {
	return 2*var1 - 2*cov12, var1 + var2 - 2*cov12
}

// PowerTwoParams solves a plan for the difference of two correlated AUCs
// given as binormal parameters (pROC's power.roc.test(parslist, ncases =,
// ncontrols =, kappa =, sig.level =, power =); Obuchowski & McClish 1997):
// the variances of the two AUCs and their covariance at the plan's kappa
// (binormalVar, binormalCov) give the variance of the difference under H₀,
// 2 var₁ − 2 cov₁₂, and under the alternative, var₁ + var₂ − 2 cov₁₂, and
// then cases, power or alpha follow as for one AUC with δ = Delta.
//
// Exactly one of cases, alpha and power must be unknown (zero); p.AUC and
// p.AUC2 must be zero (the output sets them to the binormal AUCs).
func PowerTwoParams(b BinormalPair, p PowerPlan) (PowerPlan, error) {
	if err := b.check(); err != nil {
		return p, err
	}
	if p.AUC != 0 || p.AUC2 != 0 {
		return p, fmt.Errorf("%w: AUC %v and AUC2 %v given; the binormal parameters give the AUCs", ErrParameter, p.AUC, p.AUC2)
	}
	if err := p.check(); err != nil {
		return p, err
	}
	if err := oneUnknown(p.unknown(false), "cases, alpha and power"); err != nil {
		return p, err
	}
	if p.Cases == 0 {
		p.Kappa = kappaOr1(p.Kappa)
	}
	v0, va := deltaVariances(binormalVar(b.A1, b.B1, p.Kappa), binormalVar(b.A2, b.B2, p.Kappa), binormalCov(b, p.Kappa))
	p, err := solveObuchowski(p, v0, va, b.Delta, fmt.Sprintf("an AUC difference of %v", b.Delta))
	p.AUC, p.AUC2 = b.AUCs()
	return p, err
}

// PowerMethod is how PowerTwoCurves estimates the variances and the
// covariance of two AUCs from data.
type PowerMethod int

const (
	// PowerDeLong: DeLong's nonparametric estimates (pROC's default,
	// method = "delong").
	PowerDeLong PowerMethod = iota
	// PowerBinormal: Obuchowski & McClish's binormal formulas with each
	// curve's binormal fit and the Pearson correlations of the scores among
	// the cases and among the controls (pROC's method = "obuchowski").
	PowerBinormal
)

// String returns pROC's name of the method.
func (m PowerMethod) String() string {
	if m == PowerBinormal {
		return "obuchowski"
	}
	return "delong"
}

// PowerTwoCurves solves a plan for the difference of the AUCs of two scores
// measured on the same cases and controls (pROC's power.roc.test(roc1,
// roc2, sig.level =, power =, kappa =, method =)): the AUC difference
// δ = AUC₁ − AUC₂ and the variances (× number of cases) of the two AUCs and
// their covariance come from the data, by DeLong's method (pROC's default)
// or the binormal one, and then, as in PowerTwoParams,
//
//   - alpha given, power unknown: the power of a study of the data's size;
//   - power given, alpha unknown: the significance level it needs;
//   - both given: the cases needed, and Controls = Kappa·Cases with Kappa
//     the data's controls/cases unless the plan gives one (as in pROC, the
//     variances stay those at the data's ratio).
//
// Under H₀ both curves are taken to be as accurate as the first (the
// variance of the difference is 2 var₁ − 2 cov₁₂), so the order matters: the
// first score is the reference the second is compared against, and
// swapping them can change the power a lot.
//
// The plan's Cases, Controls, AUC and AUC2 must be zero (the data fix them;
// the output sets them). The directions of the two scores are given by the
// caller (none: CasesHigher for both). The binormal method fits each curve
// as pROC's smooth(method = "binormal") does: the least-squares line of
// Φ⁻¹(specificity) on Φ⁻¹(sensitivity) over the curve's points with both in
// (0, 1), intercept A and slope B (that parametrisation is pROC's, kept for
// agreement; its issue #122 questions it).
func PowerTwoCurves(score1, score2 []float64, truth []bool, method PowerMethod, p PowerPlan, dirs ...Direction) (PowerPlan, error) {
	if p.Cases != 0 || p.Controls != 0 || p.AUC != 0 || p.AUC2 != 0 {
		return p, fmt.Errorf("%w: cases %v, controls %v, AUC %v, AUC2 %v given; with two curves the data give them (leave alpha or power unknown, or give both to solve for the cases)", ErrParameter, p.Cases, p.Controls, p.AUC, p.AUC2)
	}
	if p.Alpha == 0 && p.Power == 0 {
		return p, fmt.Errorf("%w: alpha and power are both unknown; give one of them, or both to solve for the cases", ErrParameter)
	}
	solveCases := p.Alpha != 0 && p.Power != 0
	if p.Kappa != 0 && !solveCases {
		return p, fmt.Errorf("%w: kappa %v given; it only sets the controls per case of a planned study (give alpha and power to solve for the cases)", ErrParameter, p.Kappa)
	}
	if err := p.check(); err != nil {
		return p, err
	}
	d, err := NewDeLong([][]float64{score1, score2}, truth, dirs...)
	if err != nil {
		return p, err
	}
	m, n := float64(d.Cases), float64(d.Controls)
	var var1, var2, cov12 float64
	switch method {
	case PowerDeLong:
		var1, var2, cov12 = d.Cov[0][0]*m, d.Cov[1][1]*m, d.Cov[0][1]*m
	case PowerBinormal:
		b, err := binormalFromData(score1, score2, truth, d.Directions)
		if err != nil {
			return p, err
		}
		k := n / m
		var1, var2, cov12 = binormalVar(b.A1, b.B1, k), binormalVar(b.A2, b.B2, k), binormalCov(b, k)
	default:
		return p, fmt.Errorf("%w: unknown power method %d", ErrParameter, method)
	}
	if !solveCases {
		p.Cases, p.Controls = m, n
	}
	if p.Kappa == 0 {
		p.Kappa = n / m
	}
	v0, va := deltaVariances(var1, var2, cov12)
	delta := d.AUC[0] - d.AUC[1]
	p, err = solveObuchowski(p, v0, va, delta, fmt.Sprintf("AUCs %v and %v", d.AUC[0], d.AUC[1]))
	p.AUC, p.AUC2 = d.AUC[0], d.AUC[1]
	return p, err
}

// binormalFromData fits the binormal line of each score's ROC curve as
// pROC's smooth.roc.binormal does and takes the Pearson correlations of the
// oriented scores among the cases and among the controls (pROC's ra and
// rn, which are the same when both directions are equal).
func binormalFromData(score1, score2 []float64, truth []bool, dirs []Direction) (BinormalPair, error) {
	var b BinormalPair
	var err error
	if b.A1, b.B1, err = binormalFit(score1, truth, dirs[0]); err != nil {
		return b, fmt.Errorf("score 0: %w", err)
	}
	if b.A2, b.B2, err = binormalFit(score2, truth, dirs[1]); err != nil {
		return b, fmt.Errorf("score 1: %w", err)
	}
	x1, y1, _ := Split(score1, truth, dirs[0])
	x2, y2, _ := Split(score2, truth, dirs[1])
	b.RhoCases = stat.Correlation(x1, x2, nil)
	b.RhoControls = stat.Correlation(y1, y2, nil)
	if math.IsNaN(b.RhoCases) || math.IsNaN(b.RhoControls) {
		return b, fmt.Errorf("%w: a score is constant among the cases or the controls: no correlation for the binormal method", ErrParameter)
	}
	return b, nil
}

// binormalFit returns pROC's binormal fit of a score's empirical ROC curve:
// the least-squares line Φ⁻¹(Sp) = A + B Φ⁻¹(Se) over the points with
// sensitivity and specificity both strictly between 0 and 1.
func binormalFit(score []float64, truth []bool, dir Direction) (a, b float64, err error) {
	c, err := NewCurve(score, truth, dir)
	if err != nil {
		return 0, 0, err
	}
	var xs, ys []float64
	for i, se := range c.Sensitivities {
		x := distuv.UnitNormal.Quantile(se)
		y := distuv.UnitNormal.Quantile(c.Specificities[i])
		if !math.IsInf(x, 0) && !math.IsInf(y, 0) {
			xs, ys = append(xs, x), append(ys, y)
		}
	}
	if len(xs) < 2 {
		return 0, 0, fmt.Errorf("%w: the ROC curve has %d point(s) with sensitivity and specificity in (0, 1), need 2 for a binormal fit", ErrTooFew, len(xs))
	}
	a, b = stat.LinearRegression(xs, ys, nil, false)
	if math.IsNaN(b) || math.IsInf(b, 0) {
		return 0, 0, fmt.Errorf("%w: the ROC curve's points all have one sensitivity: no binormal fit", ErrTooFew)
	}
	return a, b, nil
}

// PowerOneCurve solves a plan for one score's AUC tested against 0.5
// (pROC's power.roc.test(roc, sig.level =, power =, kappa =)): the AUC
// comes from the data; with alpha and power both given it solves for the
// cases (Kappa: the data's controls/cases unless the plan gives one),
// otherwise the cases and controls are the data's and the unknown alpha or
// power is solved; then as PowerOneAUC. The plan's Cases, Controls and AUC
// must be zero.
func PowerOneCurve(score []float64, truth []bool, dir Direction, p PowerPlan) (PowerPlan, error) {
	if p.Cases != 0 || p.Controls != 0 || p.AUC != 0 {
		return p, fmt.Errorf("%w: cases %v, controls %v, AUC %v given; with a curve the data give them", ErrParameter, p.Cases, p.Controls, p.AUC)
	}
	auc, err := AUC(score, truth, dir)
	if err != nil {
		return p, err
	}
	m, n := countClasses(truth)
	if !(auc > 0.5 && auc < 1) {
		return p, fmt.Errorf("%w: the curve's AUC is %v, not in (0.5, 1): nothing to plan against 0.5 (is the direction %s right?)", ErrParameter, auc, dir)
	}
	p.AUC = auc
	switch {
	case p.Alpha != 0 && p.Power != 0:
		if p.Kappa == 0 {
			p.Kappa = float64(n) / float64(m)
		}
	case p.Kappa != 0:
		return p, fmt.Errorf("%w: kappa %v given; it only sets the controls per case of a planned study (give alpha and power to solve for the cases)", ErrParameter, p.Kappa)
	default:
		p.Cases, p.Controls = float64(m), float64(n)
	}
	return PowerOneAUC(p)
}
