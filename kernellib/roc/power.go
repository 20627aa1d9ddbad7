package roc

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// ErrUnreachable is wrapped by the errors of a power calculation whose
// target no study reaches: a power no number of cases gives (two equal
// AUCs), an AUC that would have to be 1 or more, a significance level that
// would have to be 1 or more.
var ErrUnreachable = errors.New("roc: power target cannot be reached")

// PowerPlan is a power calculation for ROC studies in the semantics of
// pROC 1.18's power.roc.test (Robin et al. 2011) after Obuchowski &
// McClish (Stat Med 1997, 16:1529–1542) and Obuchowski, Lieber & Wians
// (Clin Chem 2004, 50:1118–1125): of the effect (the AUC, or two AUCs), the
// numbers of cases and controls, the significance level and the power,
// every one but one is given and the last is solved for.
//
// As input, the zero value of AUC, Alpha and Power means "unknown"; the
// cases are unknown when Cases and Controls are both zero. Of Cases,
// Controls and Kappa = Controls/Cases two are enough (pROC's ncases,
// ncontrols, kappa): Controls = Kappa·Cases, or Cases = Controls/Kappa;
// Kappa zero means 1 (pROC's default) where a ratio is needed and not
// otherwise given. Counts are real numbers, as pROC reports them: round the
// cases up to plan a study.
//
// As output, every field is filled: the solved one, and Kappa,
// Controls and the AUCs where they followed from the others.
type PowerPlan struct {
	// AUC is the AUC under the alternative for one curve tested against
	// 0.5, in (0.5, 1). In the two-curve forms it is the first curve's AUC
	// and AUC2 the second's (output only).
	AUC, AUC2 float64
	// Cases (pROC's ncases), Controls (ncontrols) and Kappa
	// (kappa = ncontrols/ncases).
	Cases, Controls, Kappa float64
	// Alpha is the significance level (pROC's sig.level), in (0, 1).
	Alpha float64
	// Power is 1 − β, in (0, 1).
	Power float64
	// OneSided asks for a one-sided test (pROC's alternative =
	// "one.sided"); two-sided by default, which tests at Alpha/2 each side.
	OneSided bool
}

// unknown names what the plan leaves unknown.
func (p PowerPlan) unknown(withAUC bool) []string {
	var u []string
	if withAUC && p.AUC == 0 {
		u = append(u, "AUC")
	}
	if p.Cases == 0 && p.Controls == 0 {
		u = append(u, "cases")
	}
	if p.Alpha == 0 {
		u = append(u, "alpha")
	}
	if p.Power == 0 {
		u = append(u, "power")
	}
	return u
}

// check validates the given fields and completes Cases, Controls and
// Kappa from any two of them, as pROC does.
func (p *PowerPlan) check() error {
	for _, v := range []struct {
		name string
		x    float64
	}{{"AUC", p.AUC}, {"cases", p.Cases}, {"controls", p.Controls}, {"kappa", p.Kappa}, {"alpha", p.Alpha}, {"power", p.Power}} {
		if math.IsNaN(v.x) || math.IsInf(v.x, 0) || v.x < 0 {
			return fmt.Errorf("%w: %s is %v, want a finite positive number (or 0 for unknown)", ErrParameter, v.name, v.x)
		}
	}
	if p.Alpha >= 1 {
		return fmt.Errorf("%w: alpha is %v, want a significance level in (0, 1)", ErrParameter, p.Alpha)
	}
	if p.Power >= 1 {
		return fmt.Errorf("%w: power is %v, want a probability in (0, 1): a power of 1 needs infinitely many cases", ErrParameter, p.Power)
	}
	switch {
	case p.Cases > 0 && p.Controls > 0:
		k := p.Controls / p.Cases
		if p.Kappa != 0 && math.Abs(p.Kappa-k) > 1e-12*k {
			return fmt.Errorf("%w: kappa %v but controls/cases = %v/%v = %v: give two of cases, controls and kappa", ErrParameter, p.Kappa, p.Controls, p.Cases, k)
		}
		p.Kappa = k
	case p.Cases > 0:
		p.Kappa = kappaOr1(p.Kappa)
		p.Controls = p.Kappa * p.Cases
	case p.Controls > 0:
		p.Kappa = kappaOr1(p.Kappa)
		p.Cases = p.Controls / p.Kappa
	}
	return nil
}

// kappaOr1 is pROC's default kappa = 1.
func kappaOr1(k float64) float64 {
	if k == 0 {
		return 1
	}
	return k
}

// oneUnknown checks that exactly one of the named quantities is unknown.
func oneUnknown(u []string, all string) error {
	switch len(u) {
	case 1:
		return nil
	case 0:
		return fmt.Errorf("%w: nothing to solve for: leave one of %s unknown (zero)", ErrParameter, all)
	}
	return fmt.Errorf("%w: %s are all unknown; give all but one of %s", ErrParameter, strings.Join(u, ", "), all)
}

// sideLevel is the significance level of each side: Alpha/2 two-sided.
func (p PowerPlan) sideLevel() float64 {
	if p.OneSided {
		return p.Alpha
	}
	return p.Alpha / 2
}

// obuchowskiV0 is the variance (× number of cases) of the empirical AUC
// under H₀: AUC = 0.5 with kappa controls per case, 0.0792 (1 + 1/kappa)
// (Obuchowski & McClish 1997; pROC's v0 of the numeric form).
func obuchowskiV0(kappa float64) float64 { return 0.0792 * (1 + 1/kappa) }

// ObuchowskiVar is the variance (× number of cases) of the empirical AUC θ
// with kappa controls per case that Obuchowski & McClish (1997, eq. 3;
// Obuchowski 1994) derive under the binormal model with equal variances,
//
//	V(θ) = 0.0099 e^{−A²/2} ((5A² + 8) + (A² + 8)/kappa),  A = 1.414 Φ⁻¹(θ),
//
// with their rounded constants, as pROC's var.theta.obuchowski.
func ObuchowskiVar(theta, kappa float64) float64 {
	a := distuv.UnitNormal.Quantile(theta) * 1.414
	return 0.0099 * math.Exp(-a*a/2) * ((5*a*a + 8) + (a*a+8)/kappa)
}

// PowerOneAUC solves a plan for one AUC tested against 0.5 (pROC's
// power.roc.test(auc =, ncases =, ncontrols =, kappa =, sig.level =,
// power =), Obuchowski & McClish 1997): with v₀ = 0.0792 (1 + 1/kappa) the
// variance under H₀, V(θ) that under the alternative (ObuchowskiVar) and
// δ = θ − 0.5,
//
//	cases = (z_α √v₀ + z_β √V(θ))² / δ²,
//
// z_α = Φ⁻¹(1 − α) (α/2 two-sided) and z_β = Φ⁻¹(power). Cases, power and
// alpha are solved in closed form; the AUC by Brent's method on (0.5, 1),
// to the precision of the double (pROC's uniroot stops at 1.2e-4).
//
// Exactly one of AUC, cases, alpha and power must be unknown (zero); the
// AUC must lie in (0.5, 1), and a target power must exceed the one-sided
// level. Errors wrap ErrParameter for bad input and ErrUnreachable for a
// target no AUC below 1, or no alpha below 1, reaches.
func PowerOneAUC(p PowerPlan) (PowerPlan, error) {
	if err := p.check(); err != nil {
		return p, err
	}
	if p.AUC != 0 && !(p.AUC > 0.5 && p.AUC < 1) {
		return p, fmt.Errorf("%w: AUC is %v, want the AUC under the alternative in (0.5, 1)", ErrParameter, p.AUC)
	}
	if err := oneUnknown(p.unknown(true), "AUC, cases, alpha and power"); err != nil {
		return p, err
	}
	if p.AUC2 != 0 {
		return p, fmt.Errorf("%w: AUC2 is %v; one AUC is tested against 0.5 (use PowerTwoParams for two AUCs)", ErrParameter, p.AUC2)
	}
	if p.Cases == 0 {
		p.Kappa = kappaOr1(p.Kappa)
	}
	v0 := obuchowskiV0(p.Kappa)
	if p.AUC == 0 {
		return solveAUC(p, v0)
	}
	return solveObuchowski(p, v0, ObuchowskiVar(p.AUC, p.Kappa), p.AUC-0.5, "an AUC of "+fmt.Sprint(p.AUC))
}

// solveAUC finds the AUC at which the plan's cases give its power: the
// root in (0.5, 1) of (z_α √v₀ + z_β √V(θ))² / (θ − 0.5)² − cases, pROC's
// power.roc.test.optimize.auc.function, over pROC's interval.
func solveAUC(p PowerPlan, v0 float64) (PowerPlan, error) {
	za := distuv.UnitNormal.Quantile(1 - p.sideLevel())
	zb := distuv.UnitNormal.Quantile(p.Power)
	if zb <= -za {
		return p, fmt.Errorf("%w: power %v is not above the one-sided level %v: no AUC above 0.5 gives so little power", ErrUnreachable, p.Power, p.sideLevel())
	}
	f := func(x float64) float64 {
		s := za*math.Sqrt(v0) + zb*math.Sqrt(ObuchowskiVar(x, p.Kappa))
		return s*s/((x-0.5)*(x-0.5)) - p.Cases
	}
	lo, hi := 0.5, 1-1e-16
	fhi := f(hi)
	if fhi > 0 {
		return p, fmt.Errorf("%w: %.4g cases and %.4g controls give power %v at alpha %v with no AUC below 1", ErrUnreachable, p.Cases, p.Controls, p.Power, p.Alpha)
	}
	auc, err := brentRoot(f, lo, hi, f(lo), fhi, 1e-15)
	if err != nil {
		return p, err
	}
	p.AUC = auc
	return p, nil
}

// solveObuchowski solves the plan's unknown cases, power or alpha from the
// variances (× number of cases) of the statistic under H₀ (v0) and under
// the alternative (va) and the effect delta, by pROC's solve.nd,
// solve.zbeta and solve.zalpha (Obuchowski & McClish 1997, eq. 2):
//
//	cases = (z_α √v₀ + z_β √v_A)² / δ²,
//	z_β = (√cases |δ| − z_α √v₀) / √v_A,  z_α = (√cases |δ| − z_β √v_A) / √v₀.
//
// effect describes δ for the errors.
func solveObuchowski(p PowerPlan, v0, va, delta float64, effect string) (PowerPlan, error) {
	if !(v0 > 0 && va > 0) || math.IsInf(v0, 0) || math.IsInf(va, 0) {
		return p, fmt.Errorf("%w: the variances of the statistic under H0 (%v) and under the alternative (%v) must be positive and finite", ErrParameter, v0, va)
	}
	switch {
	case p.Cases == 0:
		za := distuv.UnitNormal.Quantile(1 - p.sideLevel())
		zb := distuv.UnitNormal.Quantile(p.Power)
		s := za*math.Sqrt(v0) + zb*math.Sqrt(va)
		if delta == 0 {
			return p, fmt.Errorf("%w: %s: no difference to detect, no number of cases gives power %v", ErrUnreachable, effect, p.Power)
		}
		if s <= 0 {
			return p, fmt.Errorf("%w: power %v is at or below the power of a study with no cases (%.4g) at alpha %v", ErrUnreachable, p.Power, distuv.UnitNormal.CDF(-za*math.Sqrt(v0/va)), p.Alpha)
		}
		p.Cases = s * s / (delta * delta)
		p.Controls = p.Kappa * p.Cases
	case p.Power == 0:
		za := distuv.UnitNormal.Quantile(1 - p.sideLevel())
		zb := (math.Sqrt(p.Cases*delta*delta) - za*math.Sqrt(v0)) / math.Sqrt(va)
		p.Power = distuv.UnitNormal.CDF(zb)
	default: // alpha
		zb := distuv.UnitNormal.Quantile(p.Power)
		za := (math.Sqrt(p.Cases*delta*delta) - zb*math.Sqrt(va)) / math.Sqrt(v0)
		a := 1 - distuv.UnitNormal.CDF(za)
		if !p.OneSided {
			a *= 2
		}
		if !(a < 1) {
			return p, fmt.Errorf("%w: %.4g cases and %.4g controls give power %v only at a significance level of %.4g, not below 1", ErrUnreachable, p.Cases, p.Controls, p.Power, a)
		}
		p.Alpha = a
	}
	return p, nil
}
