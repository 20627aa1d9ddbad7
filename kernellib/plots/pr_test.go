package plots

import (
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/vg"
)

func TestPR(t *testing.T) {
	s := PRSeries{Label: "model", Recall: []float64{0.25, 0.5, 0.5, 1}, Precision: []float64{1, 1, 0.67, 0.5}}
	p, err := PR([]PRSeries{s, {Label: "other", Recall: []float64{1}, Precision: []float64{0.4}}}, 0.4)
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Min != 0 || p.X.Max != 1 || p.Y.Max != 1 || p.X.Label.Text != "recall (sensitivity)" {
		t.Errorf("axes %v..%v, %q", p.X.Min, p.X.Max, p.X.Label.Text)
	}
	for name, bad := range map[string]PRSeries{
		"precision 1.2":     {Recall: []float64{0.5, 1}, Precision: []float64{1.2, 0.5}},
		"recall decreasing": {Recall: []float64{1, 0.5}, Precision: []float64{0.5, 1}},
		"lengths":           {Recall: []float64{1}, Precision: []float64{0.5, 1}},
		"no points":         {},
	} {
		if _, err := PR([]PRSeries{bad}, 0.4); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := PR(nil, 0.5); err == nil {
		t.Error("no curves: no error")
	}
	if _, err := Save(p, filepath.Join(t.TempDir(), "pr"), 4*vg.Inch, 4*vg.Inch, 96); err != nil {
		t.Fatal(err)
	}
}
