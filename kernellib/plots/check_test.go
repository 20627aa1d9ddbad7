package plots

import (
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// rocSeries is a ROC curve of a score with separation d between n cases
// and n controls, with a band ±0.08 around it.
func rocSeries(label string, d float64) ROCSeries {
	s := ROCSeries{Label: label}
	for k := 0; k <= 40; k++ {
		sp := float64(k) / 40
		se := math.Pow(1-sp, 1/(1+d))
		s.Specificities = append(s.Specificities, sp)
		s.Sensitivities = append(s.Sensitivities, 1-se+se) // placeholder replaced below
		s.Sensitivities[k] = 1 - math.Pow(sp, 1+d)
		s.BandSpecificities = append(s.BandSpecificities, sp)
		s.BandLower = append(s.BandLower, math.Max(0, s.Sensitivities[k]-0.08))
		s.BandUpper = append(s.BandUpper, math.Min(1, s.Sensitivities[k]+0.08))
	}
	s.ShowPoint, s.PointSpecificity, s.PointSensitivity = true, 0.75, 1-math.Pow(0.75, 1+d)
	return s
}

// themeFigures are the package's figures as the study draws them, with
// the sizes the study writes them at.
func themeFigures(t *testing.T) map[string]struct {
	p    *plot.Plot
	w, h vg.Length
} {
	t.Helper()
	out := map[string]struct {
		p    *plot.Plot
		w, h vg.Length
	}{}
	add := func(name string, p *plot.Plot, err error, w, h vg.Length) {
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = struct {
			p    *plot.Plot
			w, h vg.Length
		}{p, w, h}
	}
	r := rand.New(rand.NewPCG(3, 4))
	var four []ROCSeries
	for i, n := range []string{"R-DLCEUS, AUC 0.93 (0.80–0.98)", "R-TIC, AUC 0.80 (0.64–0.90)", "R-BMode, AUC 0.81 (0.67–0.95)", "Clinical, AUC 0.70 (0.52–0.85)"} {
		four = append(four, rocSeries(n, 3-0.6*float64(i)))
	}
	p, err := ROC(four)
	add("roc 4 models", p, err, SingleColumn, 105*vg.Millimeter)
	p, err = ROC(four[:2])
	add("roc 2 models", p, err, SingleColumn, 100*vg.Millimeter)
	var cal []CalibrationSeries
	for i := 0; i < 4; i++ {
		s := CalibrationSeries{Label: four[i].Label[:strings.Index(four[i].Label, ",")]}
		for b := 0; b < 5; b++ {
			pr := 0.1 + 0.2*float64(b)
			ob := math.Min(1, math.Max(0, pr+0.1*(r.Float64()-0.5)))
			s.Predicted, s.Observed = append(s.Predicted, pr), append(s.Observed, ob)
			s.Lower, s.Upper = append(s.Lower, math.Max(0, ob-0.2)), append(s.Upper, math.Min(1, ob+0.2))
		}
		cal = append(cal, s)
	}
	p, err = Calibration(cal)
	add("calibration", p, err, SingleColumn, 105*vg.Millimeter)
	var th []float64
	for k := 1; k <= 90; k++ {
		th = append(th, float64(k)/100)
	}
	var dec []DecisionSeries
	all := make([]float64, len(th))
	for k, x := range th {
		all[k] = 0.4 - 0.6*x/(1-x)
	}
	for i := 0; i < 4; i++ {
		s := DecisionSeries{Label: cal[i].Label}
		for _, x := range th {
			s.NetBenefit = append(s.NetBenefit, math.Max(-0.03, 0.4*(1-x)-0.05*float64(i)))
		}
		dec = append(dec, s)
	}
	p, err = DecisionCurves(th, dec, all)
	add("decision curves", p, err, SingleColumn, 100*vg.Millimeter)
	var pr []PRSeries
	for i := 0; i < 4; i++ {
		pr = append(pr, PRSeries{Label: cal[i].Label, Recall: []float64{0.2, 0.5, 0.8, 1}, Precision: []float64{1, 0.9 - 0.1*float64(i), 0.7, 0.45}})
	}
	p, err = PR(pr, 0.4)
	add("pr", p, err, SingleColumn, 105*vg.Millimeter)
	auc := make([][]float64, 4)
	for k := range auc {
		for s := 0; s < 50; s++ {
			auc[k] = append(auc[k], math.Min(1, 0.9-0.05*float64(k)+0.06*r.NormFloat64()))
		}
	}
	p, err = Box([]string{"R-DLCEUS", "R-TIC", "R-BMode", "Clinical"}, auc, "validation AUC")
	add("box", p, err, SingleColumn, 70*vg.Millimeter)
	var icc []float64
	for k := 0; k < 400; k++ {
		icc = append(icc, math.Min(1, 0.95-math.Abs(0.1*r.NormFloat64())))
	}
	p, err = Histogram(icc, 30, "ICC(3,1)", false)
	add("histogram counts", p, err, SingleColumn, 60*vg.Millimeter)
	p, err = Histogram(auc[0], 20, "AUC", true, 0.8, 0.95)
	add("histogram density", p, err, SingleColumn, 60*vg.Millimeter)
	p, err = Forest([]string{"R-DLCEUS", "R-TIC", "R-BMode"}, []float64{0.93, 0.80, 0.81}, []float64{0.80, 0.64, 0.67}, []float64{0.98, 0.90, 0.95}, "AUC", 0.5)
	add("forest", p, err, SingleColumn, 50*vg.Millimeter)
	x := make([]float64, 60)
	ys := [][]float64{make([]float64, 60), make([]float64, 60)}
	for i := range x {
		x[i] = float64(i)
		ys[0][i] = 40 * math.Exp(-math.Pow(math.Log(float64(i+1)/12), 2))
		ys[1][i] = 25 * math.Exp(-math.Pow(math.Log(float64(i+1)/20), 2))
	}
	p, err = Lines(x, ys, []string{"lesion", "liver"}, "time after injection (s)", "enhancement", 15)
	add("lines", p, err, OneAndHalfColumn, 70*vg.Millimeter)
	p, err = HeatMap([]float64{6, 2, 0, 2, 4, 2, 0, 2, 2}, 3, 3, 1, 1, "j", "i")
	add("heat map", p, err, SingleColumn, 90*vg.Millimeter)
	return out
}

// Every figure of the package, at the size the study writes it, passes
// CheckFigure, and its PDF opens in poppler with its fonts embedded.
func TestFiguresPassTheCheck(t *testing.T) {
	dir := t.TempDir()
	for name, f := range themeFigures(t) {
		if err := CheckFigure(f.p, f.w, f.h); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		paths, err := Save(f.p, filepath.Join(dir, strings.ReplaceAll(name, " ", "_")), f.w, f.h, 100)
		if err != nil {
			t.Fatal(err)
		}
		switch err := CheckPDF(paths[0]); {
		case errors.Is(err, ErrNoPDFInfo):
			t.Log(err)
		case err != nil:
			t.Errorf("%s: %v", name, err)
		}
	}
}

// The check catches what it is for: a box plot cut by the frame (gonum's
// default x range, the robustness figure before the theme), a legend
// label too long for the canvas, and small text. (Bars above the y range
// are clipped at the frame by gonum; TestHistogramRoomAndIntegerCounts
// checks the histogram's room above them.)
func TestCheckFigureCatches(t *testing.T) {
	cut := newPlot()
	for k := 0; k < 3; k++ {
		b, err := plotter.NewBoxPlot(vg.Points(28), float64(k), plotter.Values{0.7, 0.8, 0.85, 0.9})
		if err != nil {
			t.Fatal(err)
		}
		cut.Add(b)
	}
	if err := CheckFigure(cut, SingleColumn, 60*vg.Millimeter); err == nil || !strings.Contains(err.Error(), "beyond the data rectangle") {
		t.Errorf("box plot cut by the frame: %v", err)
	}
	long, err := ROC([]ROCSeries{rocSeries(strings.Repeat("a very long legend label ", 6), 2)})
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckFigure(long, SingleColumn, 100*vg.Millimeter); err == nil || !strings.Contains(err.Error(), "of the edge") {
		t.Errorf("legend wider than the canvas: %v", err)
	}
	small, err := Forest([]string{"a"}, []float64{0.7}, []float64{0.6}, []float64{0.8}, "AUC", 0.5)
	if err != nil {
		t.Fatal(err)
	}
	small.X.Tick.Label.Font.Size = vg.Points(5)
	if err := CheckFigure(small, SingleColumn, 40*vg.Millimeter); err == nil || !strings.Contains(err.Error(), "below 7 pt") {
		t.Errorf("5 pt tick labels: %v", err)
	}
}

// The histogram leaves room above its tallest bar and marks counts at
// whole numbers only.
func TestHistogramRoomAndIntegerCounts(t *testing.T) {
	v := make([]float64, 0, 100)
	for i := 0; i < 100; i++ {
		v = append(v, float64(i%7))
	}
	p, err := Histogram(v, 7, "x", false)
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Max <= 15 || p.X.Min >= 0 || p.X.Max <= 6 {
		t.Errorf("axes x %v..%v, y to %v: no room beside the bins or above the tallest (15)", p.X.Min, p.X.Max, p.Y.Max)
	}
	for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if tk.Value != math.Round(tk.Value) || strings.Contains(tk.Label, ".") {
			t.Errorf("count tick %v labelled %q", tk.Value, tk.Label)
		}
	}
}

func TestIntegerTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   string
	}{{0, 5.3, "0 1 2 3 4 5"}, {0, 53, "0 10 20 30 40 50"}, {0.2, 0.9, ""}, {-3, 9, "-2 0 2 4 6 8"}, {0, 1300, "0 500 1000"}} {
		var got []string
		for _, tk := range (IntegerTicks{}).Ticks(c.lo, c.hi) {
			got = append(got, tk.Label)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("IntegerTicks(%v, %v) = %v, want %s", c.lo, c.hi, got, c.want)
		}
	}
}
