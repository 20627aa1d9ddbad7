package study

import (
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// TestTransportTable: one row per model both comparisons hold, in the
// external comparison's order, with each side's own numbers.
func TestTransportTable(t *testing.T) {
	m := func(name string, auc, itl, slope, sens float64) ModelResult {
		r := ModelResult{Name: name, AUC: auc, CIDeLong: [2]float64{auc - 0.1, auc + 0.1}}
		r.Recalibration.InTheLarge.Est, r.Recalibration.Slope.Est = itl, slope
		r.Metrics.Sensitivity, r.Metrics.Specificity = roc.Proportion{Est: sens}, roc.Proportion{Est: 0.5}
		return r
	}
	internal := &Comparison{Models: []ModelResult{m("R-TIC", 0.8, 0.1, 1.1, 0.7), m("R-BMode", 0.7, 0, 1, 0.6)}}
	external := &Comparison{Models: []ModelResult{m("Clinical", 0.6, 0, 1, 0.5), m("R-TIC", 0.75, -0.4, 0.9, 0.65)}}
	df := TransportTable(internal, external)
	if df.Nrow() != 1 || df.Ncol() != 9 {
		t.Fatalf("%d×%d table:\n%v", df.Nrow(), df.Ncol(), df)
	}
	want := []string{"R-TIC", "0.800 (0.700 to 0.900)", "0.750 (0.650 to 0.850)", "0.100", "-0.400", "1.100", "0.900", "0.700 / 0.500", "0.650 / 0.500"}
	for j, w := range want {
		if got := df.Elem(0, j).String(); got != w {
			t.Errorf("column %q: %q, want %q", df.Names()[j], got, w)
		}
	}
}
