package roc_test

import (
	"fmt"

	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// The numbers printed by these examples are those of pROC 1.18's
// power.roc.test for the same plans (testdata/proc_power.R).

// How many cases (and, at one control per case, controls) does a study need
// to show with 90% power, two-sided at 5%, that a test with AUC 0.8 beats
// chance? And with 41 cases and 41 controls, what is the smallest AUC it can
// detect with 80% power?
func ExamplePowerOneAUC() {
	n, err := roc.PowerOneAUC(roc.PowerPlan{AUC: 0.8, Alpha: 0.05, Power: 0.9})
	if err != nil {
		panic(err)
	}
	fmt.Printf("cases %.2f, controls %.2f\n", n.Cases, n.Controls)
	a, err := roc.PowerOneAUC(roc.PowerPlan{Cases: 41, Controls: 41, Alpha: 0.05, Power: 0.8})
	if err != nil {
		panic(err)
	}
	fmt.Printf("detectable AUC %.4f\n", a.AUC)
	// Output:
	// cases 16.62, controls 16.62
	// detectable AUC 0.6726
}

// Liu et al. report validation AUCs of 0.93 (R-DLCEUS) and 0.80 (R-TIC) on 41
// patients; the correlation of the two AUCs is not reported, so take 0.5.
// With 27 responders and 14 non-responders, the power to detect that
// difference; and the responders needed for 80% power at the same ratio.
func ExamplePowerTwoParams() {
	b, err := roc.EqualVarianceParams(0.93, 0.80, 0.5)
	if err != nil {
		panic(err)
	}
	had, err := roc.PowerTwoParams(b, roc.PowerPlan{Cases: 27, Controls: 14, Alpha: 0.05})
	if err != nil {
		panic(err)
	}
	need, err := roc.PowerTwoParams(b, roc.PowerPlan{Kappa: 14.0 / 27, Alpha: 0.05, Power: 0.8})
	if err != nil {
		panic(err)
	}
	fmt.Printf("power with 27 + 14: %.3f\n", had.Power)
	fmt.Printf("for 80%% power: %.1f cases, %.1f controls\n", need.Cases, need.Controls)
	// Output:
	// power with 27 + 14: 0.697
	// for 80% power: 38.4 cases, 19.9 controls
}

// Two scores measured on the same twelve lesions: the power of the paired
// comparison at this size, and the cases needed for 80%, by DeLong's
// variances (pROC's default method). The variance under H₀ is that of two
// curves both as accurate as the first, so the order matters: the first
// curve is the reference the second is compared against.
func ExamplePowerTwoCurves() {
	truth := []bool{true, true, false, true, true, false, true, false, false, true, false, false}
	rating := []float64{5, 4, 4, 5, 3, 2, 3, 3, 1, 2, 2, 1}
	model := []float64{0.91, 0.85, 0.77, 0.70, 0.66, 0.58, 0.52, 0.45, 0.40, 0.33, 0.27, 0.12}
	for _, s := range [][2][]float64{{rating, model}, {model, rating}} {
		p, err := roc.PowerTwoCurves(s[0], s[1], truth, roc.PowerDeLong, roc.PowerPlan{Alpha: 0.05})
		if err != nil {
			panic(err)
		}
		n, err := roc.PowerTwoCurves(s[0], s[1], truth, roc.PowerDeLong, roc.PowerPlan{Alpha: 0.05, Power: 0.8})
		if err != nil {
			panic(err)
		}
		fmt.Printf("AUC %.4f vs %.4f: power %.4f with %.0f cases; %.2f cases for 80%%\n", p.AUC, p.AUC2, p.Power, p.Cases, n.Cases)
	}
	// Output:
	// AUC 0.8194 vs 0.7778: power 0.4975 with 6 cases; 40.84 cases for 80%
	// AUC 0.7778 vs 0.8194: power 0.0142 with 6 cases; 274.00 cases for 80%
}
