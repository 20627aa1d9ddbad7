package roc_test

import (
	"fmt"

	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// Gatekeeping: test the three AUCs at once, then the pairs. The χ² is the
// one R gives from pROC's var and cov (testdata/proc_omnibus.R's formula).
func ExampleDeLong_Omnibus() {
	size := []float64{31, 22, 40, 18, 29, 35, 24, 20, 33, 27, 15, 26} // mm
	d, _ := roc.NewDeLong([][]float64{lesionRating, lesionModel, size}, lesionTruth)
	o, _ := d.Omnibus()
	fmt.Printf("AUCs equal? χ² = %.3f, df = %d, p = %.4f\n", o.Chi2, o.DF, o.P)
	// Output:
	// AUCs equal? χ² = 4.289, df = 2, p = 0.1171
}
