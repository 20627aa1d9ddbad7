package roc_test

import (
	"fmt"

	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// Thirty lesions: truth (true = responder), a reader's 1-5 rating and a
// model's probability. Bootstrap results depend on the seed, never on the
// number of cores. pROC 1.18 on the same data, with 20000 replicates and its
// own random numbers, gives: ci.auc 0.749-0.973; roc.test(method =
// "bootstrap") D = -0.282, p = 0.778; ci.thresholds at 4: Se 0.385-0.846,
// Sp 0.824-1; roc.test(method = "venkatraman") E = 22, p = 0.558.
var (
	bootTruth = []bool{
		true, true, false, true, true, false, true, false, false, true,
		false, false, true, false, true, false, false, true, false, false,
		true, false, true, true, false, false, true, false, false, false}
	bootRating = []float64{
		5, 4, 4, 5, 3, 2, 3, 3, 1, 2,
		2, 1, 4, 2, 5, 3, 1, 4, 2, 1,
		3, 2, 4, 5, 3, 1, 2, 2, 1, 3}
	bootModel = []float64{
		0.91, 0.85, 0.77, 0.70, 0.66, 0.58, 0.52, 0.45, 0.40, 0.33,
		0.27, 0.12, 0.81, 0.35, 0.88, 0.49, 0.22, 0.61, 0.30, 0.18,
		0.57, 0.41, 0.74, 0.69, 0.63, 0.15, 0.38, 0.29, 0.26, 0.44}
)

func ExampleBootstrapAUC() {
	ci, err := roc.BootstrapAUC(bootRating, bootTruth, roc.CasesHigher, roc.BootOptions{Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Printf("AUC %.3f, bootstrap SE %.3f (%d stratified replicates)\n", ci.Estimate, ci.SE, len(ci.Values))
	fmt.Printf("95%% CI percentile %.3f-%.3f, BCa %.3f-%.3f\n", ci.Percentile[0], ci.Percentile[1], ci.BCa[0], ci.BCa[1])
	// Output:
	// AUC 0.878, bootstrap SE 0.058 (2000 stratified replicates)
	// 95% CI percentile 0.742-0.973, BCa 0.715-0.959
}

func ExampleBootstrapTest() {
	t, err := roc.BootstrapTest(bootModel, bootRating, bootTruth, roc.CasesHigher, roc.CasesHigher, roc.BootOptions{Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Printf("AUC model %.3f, rating %.3f\n", t.AUC1, t.AUC2)
	fmt.Printf("difference %.3f, 95%% CI %.3f to %.3f; D = %.2f, p = %.3f\n",
		t.Diff.Estimate, t.Diff.Percentile[0], t.Diff.Percentile[1], t.D, t.P)
	// Output:
	// AUC model 0.869, rating 0.878
	// difference -0.009, 95% CI -0.077 to 0.050; D = -0.28, p = 0.778
}

func ExampleBootstrapSeSp() {
	r, err := roc.BootstrapSeSp(bootRating, bootTruth, roc.CasesHigher, 4, roc.BootOptions{Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Printf("rating >= 4: sensitivity %.3f (%.3f-%.3f), specificity %.3f (%.3f-%.3f)\n",
		r.Sensitivity.Estimate, r.Sensitivity.Percentile[0], r.Sensitivity.Percentile[1],
		r.Specificity.Estimate, r.Specificity.Percentile[0], r.Specificity.Percentile[1])
	// Output:
	// rating >= 4: sensitivity 0.615 (0.385-0.846), specificity 0.941 (0.824-1.000)
}

func ExampleVenkatramanTest() {
	t, err := roc.VenkatramanTest(bootModel, bootRating, bootTruth, roc.CasesHigher, roc.CasesHigher, roc.PermOptions{Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Printf("E = %.0f, p = %.3f (%d permutations)\n", t.E, t.P, len(t.Permuted))
	// Output:
	// E = 22, p = 0.559 (2000 permutations)
}
