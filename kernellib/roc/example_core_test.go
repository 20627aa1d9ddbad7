package roc_test

import (
	"fmt"

	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// The values printed by these examples are those pROC 1.18 gives for the
// same data (roc, auc, ci, var, roc.test; p.adjust for Holm and Bonferroni).

// Twelve lesions: truth (true = responder) and two scores, a radiologist's
// 1-5 rating and a model's probability.
var (
	lesionTruth  = []bool{true, true, false, true, true, false, true, false, false, true, false, false}
	lesionRating = []float64{5, 4, 4, 5, 3, 2, 3, 3, 1, 2, 2, 1}
	lesionModel  = []float64{0.91, 0.85, 0.77, 0.70, 0.66, 0.58, 0.52, 0.45, 0.40, 0.33, 0.27, 0.12}
)

func ExampleNewCurve() {
	c, err := roc.NewCurve(lesionRating, lesionTruth, roc.CasesHigher)
	if err != nil {
		panic(err)
	}
	fmt.Println("threshold  sens  spec")
	for i, t := range c.Thresholds {
		fmt.Printf("%9.1f  %.3f %.3f\n", t, c.Sensitivities[i], c.Specificities[i])
	}
	fmt.Printf("AUC %.4f\n", c.AUC())
	// Output:
	// threshold  sens  spec
	//      -Inf  1.000 0.000
	//       1.5  1.000 0.333
	//       2.5  0.833 0.667
	//       3.5  0.500 0.833
	//       4.5  0.333 1.000
	//      +Inf  0.000 1.000
	// AUC 0.8194
}

func ExampleCurve_PartialAUC() {
	c, err := roc.NewCurve(lesionModel, lesionTruth, roc.CasesHigher)
	if err != nil {
		panic(err)
	}
	// The area over specificities 80-100%, raw and McClish-corrected.
	p, _ := c.PartialAUC(roc.SpecificityFocus, 1, 0.8)
	pc, _ := c.PartialAUCCorrected(roc.SpecificityFocus, 1, 0.8)
	fmt.Printf("pAUC(Sp 0.8-1) = %.4f, corrected %.4f\n", p, pc)
	// Output:
	// pAUC(Sp 0.8-1) = 0.0778, corrected 0.6605
}

func ExampleNewDeLong() {
	d, err := roc.NewDeLong([][]float64{lesionRating, lesionModel}, lesionTruth)
	if err != nil {
		panic(err)
	}
	for r, name := range []string{"rating", "model"} {
		ci, _ := d.CI(r, 0.95)
		fmt.Printf("%-6s AUC %.3f  SE %.3f  95%% CI %.3f-%.3f\n", name, d.AUC[r], d.SE(r), ci[0], ci[1])
	}
	// Output:
	// rating AUC 0.819  SE 0.123  95% CI 0.578-1.000
	// model  AUC 0.778  SE 0.145  95% CI 0.494-1.000
}

func ExampleDeLong_CILogit() {
	d, _ := roc.NewDeLong([][]float64{lesionRating}, lesionTruth)
	ci, _ := d.CILogit(0, 0.95)
	fmt.Printf("AUC %.3f, logit-scale 95%% CI %.3f-%.3f\n", d.AUC[0], ci[0], ci[1])
	// Output:
	// AUC 0.819, logit-scale 95% CI 0.470-0.959
}

func ExampleDeLong_TestAUC() {
	d, _ := roc.NewDeLong([][]float64{lesionModel}, lesionTruth)
	t, _ := d.TestAUC(0, 0.5) // better than chance?
	fmt.Printf("z = %.2f, p = %.4f\n", t.Z, t.P)
	// Output:
	// z = 1.92, p = 0.0552
}

func ExampleDeLong_Paired() {
	d, _ := roc.NewDeLong([][]float64{lesionRating, lesionModel}, lesionTruth)
	t, _ := d.Paired(0, 1, 0.95)
	fmt.Printf("diff %.3f, z %.3f, p %.3f, 95%% CI %.3f to %.3f\n", t.Diff, t.Z, t.P, t.CI[0], t.CI[1])
	// Output:
	// diff 0.042, z 0.527, p 0.598, 95% CI -0.113 to 0.197
}

func ExampleDeLong_Pairwise() {
	size := []float64{31, 22, 40, 18, 29, 35, 24, 20, 33, 27, 15, 26} // mm
	d, _ := roc.NewDeLong([][]float64{lesionRating, lesionModel, size}, lesionTruth)
	rows, _ := d.Pairwise(0.95)
	names := []string{"rating", "model", "size"}
	for _, r := range rows {
		fmt.Printf("%-6s vs %-6s  p %.4f  Holm %.4f  Bonferroni %.4f\n", names[r.A], names[r.B], r.P, r.PHolm, r.PBonferroni)
	}
	// Output:
	// rating vs model   p 0.5982  Holm 0.5982  Bonferroni 1.0000
	// rating vs size    p 0.0619  Holm 0.1237  Bonferroni 0.1856
	// model  vs size    p 0.0399  Holm 0.1196  Bonferroni 0.1196
}

func ExampleUnpairedDeLong() {
	// The same model on an external cohort of eight lesions.
	extScores := []float64{0.8, 0.3, 0.6, 0.75, 0.2, 0.5, 0.65, 0.1}
	extTruth := []bool{true, false, true, false, false, true, true, false}
	t, err := roc.UnpairedDeLong(lesionModel, lesionTruth, roc.CasesHigher, extScores, extTruth, roc.CasesHigher)
	if err != nil {
		panic(err)
	}
	fmt.Printf("AUC %.3f vs %.3f: t = %.3f, df = %.1f, p = %.3f\n", t.AUC1, t.AUC2, t.T, t.DF, t.P)
	// Output:
	// AUC 0.778 vs 0.812: t = -0.142, df = 14.0, p = 0.889
}

func ExampleHolm() {
	fmt.Printf("%.2f\n", roc.Holm([]float64{0.01, 0.04, 0.03, 0.005}))
	// Output:
	// [0.03 0.06 0.06 0.02]
}
