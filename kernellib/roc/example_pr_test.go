package roc_test

import (
	"fmt"

	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// The precision–recall curve of the model's probabilities for the twelve
// lesions; the average precision is scikit-learn's average_precision_score
// for the same data.
func ExampleNewPRCurve() {
	c, err := roc.NewPRCurve(lesionModel, lesionTruth, roc.CasesHigher)
	if err != nil {
		panic(err)
	}
	for i, t := range c.Thresholds[:4] {
		fmt.Printf("score ≥ %.2f: precision %.3f, recall %.3f\n", t, c.Precision[i], c.Recall[i])
	}
	fmt.Printf("average precision %.4f, interpolated area %.4f\n", c.AveragePrecision(), c.AUCInterpolated())
	// Output:
	// score ≥ 0.91: precision 1.000, recall 0.167
	// score ≥ 0.85: precision 1.000, recall 0.333
	// score ≥ 0.77: precision 0.667, recall 0.333
	// score ≥ 0.70: precision 0.750, recall 0.500
	// average precision 0.8107, interpolated area 0.7932
}
