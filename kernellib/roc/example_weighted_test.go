package roc_test

import (
	"fmt"

	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// The twelve lesions of the core examples, re-weighted: responders were
// sampled at half the rate of non-responders, so each counts twice; the
// last lesion was not verified and has weight 0 (left out). The weighted
// AUCs are scikit-learn 1.2's roc_auc_score(sample_weight = w).
func ExampleNewWeightedDeLong() {
	w := []float64{2, 2, 1, 2, 2, 1, 2, 1, 1, 2, 1, 0}
	d, err := roc.NewWeightedDeLong([][]float64{lesionRating, lesionModel}, lesionTruth, w)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d cases (weight %g), %d controls (weight %g), %d left out\n",
		d.Cases, d.CaseWeight, d.Controls, d.ControlWeight, d.Excluded)
	for r, name := range []string{"rating", "model"} {
		ci, _ := d.CI(r, 0.95)
		fmt.Printf("%s: weighted AUC %.4f, SE %.4f, 95%% CI %.4f to %.4f\n", name, d.AUC[r], d.SE(r), ci[0], ci[1])
	}
	p, _ := d.Paired(0, 1, 0.95)
	fmt.Printf("rating - model: %.4f, z %.3f, p %.4f\n", p.Diff, p.Z, p.P)
	// Output:
	// 6 cases (weight 12), 5 controls (weight 5), 1 left out
	// rating: weighted AUC 0.7833, SE 0.1431, 95% CI 0.5029 to 1.0000
	// model: weighted AUC 0.7333, SE 0.1670, 95% CI 0.4060 to 1.0000
	// rating - model: 0.0500, z 0.523, p 0.6010
}

// Eight patients with one to three lesions each: the AUC is over all
// lesion pairs, and the variance accounts for the lesions of one patient
// being correlated (Obuchowski 1997).
func ExampleNewClustered() {
	patient := []string{"p1", "p1", "p2", "p3", "p3", "p3", "p4", "p5", "p6", "p6", "p7", "p8"}
	c, err := roc.NewClustered([][]float64{lesionRating, lesionModel}, lesionTruth, patient)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d lesions (%d cases, %d controls) in %d patients\n", c.Cases+c.Controls, c.Cases, c.Controls, c.Clusters)
	for r, name := range []string{"rating", "model"} {
		ci, _ := c.CI(r, 0.95)
		fmt.Printf("%s: AUC %.4f, clustered SE %.4f, 95%% CI %.4f to %.4f\n", name, c.AUC[r], c.SE(r), ci[0], ci[1])
	}
	p, _ := c.Paired(0, 1, 0.95)
	fmt.Printf("rating - model: %.4f, z %.3f, p %.4f\n", p.Diff, p.Z, p.P)
	// Output:
	// 12 lesions (6 cases, 6 controls) in 8 patients
	// rating: AUC 0.8194, clustered SE 0.1153, 95% CI 0.5935 to 1.0000
	// model: AUC 0.7778, clustered SE 0.1539, 95% CI 0.4761 to 1.0000
	// rating - model: 0.0417, z 0.508, p 0.6111
}
