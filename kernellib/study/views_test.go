package study

import (
	"fmt"
	"math"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/plots"
	"github.com/ceusrad/ceusrad/kernellib/roc"
	"github.com/ceusrad/ceusrad/kernellib/tic"
	"gonum.org/v1/plot/vg"
)

func TestThresholdView(t *testing.T) {
	truth := []bool{true, true, true, false, false, true, false, false}
	scores := []float64{0.9, 0.8, 0.8, 0.7, 0.4, 0.3, 0.2, 0.1}
	v, err := NewThresholdView("toy", scores, truth)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.15, 0.25, 0.35, 0.55, 0.75, 0.85}
	got := v.Thresholds()
	if len(got) != len(want) {
		t.Fatalf("thresholds %v, want %v", got, want)
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Fatalf("thresholds %v, want %v", got, want)
		}
	}
	for _, c := range []struct {
		t    float64
		want int
	}{{-1, 0}, {0.19, 0}, {0.21, 1}, {0.5, 3}, {0.86, 5}, {9, 5}} {
		if got := v.Nearest(c.t); got != c.want {
			t.Errorf("Nearest(%v) = %d, want %d", c.t, got, c.want)
		}
	}
	p, conf, meas, err := v.At(0.55)
	if err != nil {
		t.Fatal(err)
	}
	if err := plots.CheckFigure(p, plots.SingleColumn, 100*vg.Millimeter); err != nil {
		t.Error(err)
	}
	if p == nil || conf.Nrow() != 3 || meas.Nrow() != 5 {
		t.Fatalf("view: plot %v, %d×%d and %d×%d tables", p != nil, conf.Nrow(), conf.Ncol(), meas.Nrow(), meas.Ncol())
	}
	// Called OR at ≥ 0.55: 0.9, 0.8, 0.8 (OR) and 0.7 (NR).
	if got := fmt.Sprint(conf.Col("OR").Records(), conf.Col("NR").Records()); got != "[3 1 4] [1 3 4]" {
		t.Errorf("2×2 table %s", got)
	}
	m, err := roc.MetricsAt(scores, truth, roc.CasesHigher, 0.55, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := meas.Elem(0, 1).String(), fmt.Sprintf("3/4 = %.3f", m.Sensitivity.Est); got != want {
		t.Errorf("sensitivity %q, want %q", got, want)
	}
	if got, want := meas.Elem(1, 2).String(), fmt.Sprintf("%.3f to %.3f", m.Specificity.Wilson[0], m.Specificity.Wilson[1]); got != want {
		t.Errorf("specificity CI %q, want %q", got, want)
	}
	if _, err := NewThresholdView("one class", []float64{1, 2}, []bool{true, true}); err == nil {
		t.Error("one class gave no error")
	}
}

func TestCineView(t *testing.T) {
	c := smallCohort(t, 4)
	p := c.Patients[0]
	a, err := tic.AnalysePatient(p, tic.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewCineView(p, a, 6)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Frames) != 6 || len(v.Times) != 6 {
		t.Fatalf("%d frames, %d times", len(v.Frames), len(v.Times))
	}
	les, _ := a.ROI("lesion")
	for i := 1; i < len(v.Times); i++ {
		if v.Times[i] <= v.Times[i-1] {
			t.Errorf("times not increasing: %v", v.Times)
		}
	}
	// Frames are read at the curve's own times (1 frame per second here).
	if math.Abs(v.Times[0]-les.Time[0]) > 0.5 || math.Abs(v.Times[5]-les.Time[len(les.Time)-1]) > 0.5 {
		t.Errorf("frame times %v do not span the curve %v…%v", v.Times, les.Time[0], les.Time[len(les.Time)-1])
	}
	img, err := v.Frame(2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 2*v.Frames[2].Img.Bounds().Dx() {
		t.Errorf("zoomed frame %v", b)
	}
	// The outline is drawn: some yellow pixels.
	yellow := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r>>8 == 255 && g>>8 == 220 && b>>8 == 0 {
				yellow++
			}
		}
	}
	if yellow == 0 {
		t.Error("no lesion outline in the frame")
	}
	peak := 0
	for i, y := range les.Smoothed {
		if y > les.Smoothed[peak] {
			peak = i
		}
	}
	if k := v.PeakFrame(); math.Abs(v.Times[k]-les.Time[peak]) > (v.Times[1]-v.Times[0])/2+0.5 {
		t.Errorf("peak frame %d at %.1f s, curve peaks at %.1f s", k, v.Times[k], les.Time[peak])
	}
	if fig, err := v.Curves(5); err != nil {
		t.Fatal(err)
	} else if err := plots.CheckFigure(fig, plots.OneAndHalfColumn, 75*vg.Millimeter); err != nil {
		t.Error(err)
	}
	if _, err := v.Frame(6, 1); err == nil {
		t.Error("frame out of range gave no error")
	}
	if _, err := NewCineView(p, a, 1); err == nil {
		t.Error("n = 1 gave no error")
	}
}

// A threshold is one point of the ROC curve: the view lists every
// threshold the scores allow and, at one of them, the 2×2 table and the
// accuracy measures.
func ExampleThresholdView() {
	truth := []bool{true, true, true, false, false, true, false, false}
	scores := []float64{0.9, 0.8, 0.8, 0.7, 0.4, 0.3, 0.2, 0.1}
	v, err := NewThresholdView("toy", scores, truth)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.2f\n", v.Thresholds())
	_, conf, meas, _ := v.At(v.Thresholds()[3])
	fmt.Println(conf.Col("OR").Records(), conf.Col("NR").Records())
	fmt.Println(meas.Col("estimate").Records()[:2])
	// Output:
	// [0.15 0.25 0.35 0.55 0.75 0.85]
	// [3 1 4] [1 3 4]
	// [3/4 = 0.750 3/4 = 0.750]
}

func TestMostConfident(t *testing.T) {
	or, nr := MostConfident([]float64{0.6, 0.9, 0.2, 0.4, 0.1}, []bool{true, true, false, false, true})
	if or != 1 || nr != 2 {
		t.Errorf("MostConfident = %d, %d; want 1, 2", or, nr)
	}
	if or, nr := MostConfident([]float64{0.5}, []bool{true}); or != 0 || nr != -1 {
		t.Errorf("one class: %d, %d", or, nr)
	}
}
