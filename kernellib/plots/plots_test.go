package plots

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

func TestForest(t *testing.T) {
	p, err := Forest([]string{"R-DLCEUS", "R-TIC"}, []float64{0.93, 0.80}, []float64{0.80, 0.64}, []float64{0.98, 0.90}, "AUC", 0.5)
	if err != nil {
		t.Fatal(err)
	}
	ticks := p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max)
	if len(ticks) != 2 || ticks[0].Label != "R-DLCEUS" || ticks[0].Value != 1 || ticks[1].Value != 0 {
		t.Errorf("rows not labelled top to bottom: %+v", ticks)
	}
	xmin, xmax, _, _ := plotter.XYRange(plotter.XYs{{X: 0.64}, {X: 0.98}})
	if p.X.Min > xmin || p.X.Max < xmax {
		t.Errorf("x range [%v, %v] does not hold the intervals", p.X.Min, p.X.Max)
	}
	if _, err := Forest([]string{"a"}, []float64{0.9}, []float64{0.95}, []float64{0.99}, "AUC", math.NaN()); err == nil {
		t.Error("estimate outside its interval: no error")
	}
	if _, err := Forest([]string{"a", "b"}, []float64{0.9}, nil, nil, "AUC", 0.5); err == nil {
		t.Error("length mismatch: no error")
	}
}

func TestHistogram(t *testing.T) {
	p, err := Histogram([]float64{0.4, 0.5, 0.5, 0.6}, 3, "AUC", true, 0.45, 0.55)
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Label.Text != "density" {
		t.Errorf("y label %q", p.Y.Label.Text)
	}
	if _, err := Histogram([]float64{1, math.NaN()}, 3, "x", false); err == nil {
		t.Error("NaN value: no error")
	}
	if _, err := Histogram(nil, 3, "x", false); err == nil {
		t.Error("no values: no error")
	}
}

func TestSave(t *testing.T) {
	p, err := Forest([]string{"a"}, []float64{0.7}, []float64{0.6}, []float64{0.8}, "AUC", 0.5)
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(t.TempDir(), "sub", "forest")
	paths, err := Save(p, base, 3*vg.Inch, 2*vg.Inch, 300)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{base + ".pdf", base + ".png", base + ".svg"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Fatalf("Save wrote %v, want %v", paths, want)
	}
	b, err := os.ReadFile(paths[1])
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if s := img.Bounds().Size(); s.X != 900 || s.Y != 600 {
		t.Errorf("PNG is %v pixels, want 900x600 (3x2 inches at 300 dpi)", s)
	}
	if x, y, ok, err := PNGDPI(b); err != nil || !ok || math.Abs(x-300) > 0.01 || math.Abs(y-300) > 0.01 {
		t.Errorf("PNG pHYs: %v × %v dpi (found %v, %v), want 300", x, y, ok, err)
	}
	pdf, err := os.ReadFile(paths[0])
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte("/FontFile")) {
		t.Errorf("PDF: %v, starts %q, embedded font program: %v", err, pdf[:min(8, len(pdf))], bytes.Contains(pdf, []byte("/FontFile")))
	}
	svg, err := os.ReadFile(paths[2])
	if err != nil || !strings.Contains(string(svg), "<svg") {
		t.Errorf("SVG: %v %.100s", err, svg)
	}
	if _, err := Save(p, base, 0, vg.Inch, 300); err == nil {
		t.Error("zero width: no error")
	}
}

func TestROC(t *testing.T) {
	s := ROCSeries{Label: "model", Specificities: []float64{0, 0.5, 1}, Sensitivities: []float64{1, 0.8, 0},
		BandSpecificities: []float64{0, 0.5, 1}, BandLower: []float64{1, 0.6, 0}, BandUpper: []float64{1, 0.95, 0.1},
		ShowPoint: true, PointSpecificity: 0.5, PointSensitivity: 0.8}
	p, err := ROC([]ROCSeries{s, {Label: "other", Specificities: []float64{0, 1}, Sensitivities: []float64{1, 0}}})
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Min != 0 || p.X.Max != 1 || p.Y.Max != 1 || p.X.Label.Text != "1 − specificity" {
		t.Errorf("axes %v..%v, %q", p.X.Min, p.X.Max, p.X.Label.Text)
	}
	bad := s
	bad.BandLower = []float64{1, 0.99, 0}
	if _, err := ROC([]ROCSeries{bad}); err == nil {
		t.Error("band lower above upper: no error")
	}
	bad = s
	bad.Sensitivities = []float64{1, 1.2, 0}
	if _, err := ROC([]ROCSeries{bad}); err == nil {
		t.Error("sensitivity 1.2: no error")
	}
	if _, err := ROC(nil); err == nil {
		t.Error("no curves: no error")
	}
	if _, err := Save(p, filepath.Join(t.TempDir(), "roc"), 4*vg.Inch, 4*vg.Inch, 96); err != nil {
		t.Fatal(err)
	}
}

func TestOutlineAndMontage(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 5, 5))
	red := color.RGBA{R: 255, A: 255}
	// a 3x3 square at (1..3, 1..3): its ring is outlined, its centre not.
	o := Outline(g, func(x, y int) bool { return x >= 1 && x <= 3 && y >= 1 && y <= 3 }, red)
	if o.RGBAAt(1, 1) != red || o.RGBAAt(3, 2) != red || o.RGBAAt(2, 2) == red || o.RGBAAt(0, 0) == red {
		t.Errorf("outline wrong: corner %v edge %v centre %v outside %v", o.RGBAAt(1, 1), o.RGBAAt(3, 2), o.RGBAAt(2, 2), o.RGBAAt(0, 0))
	}
	m, err := Montage([]image.Image{g, o, g}, []string{"0 s", "10 s", "20 s"}, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	// 2 columns of 15-pixel tiles with 6-pixel gaps; 2 rows of 15+16 with gaps.
	if s := m.Bounds().Size(); s.X != 2*(15+6)+6 || s.Y != 2*(15+16+6)+6 {
		t.Errorf("montage size %v", s)
	}
	// the outlined tile's corner pixel, zoomed by 3, lands at (6+21+3, 6+3).
	if m.RGBAAt(6+21+3, 6+3) != red {
		t.Errorf("zoomed outline pixel is %v", m.RGBAAt(6+21+3, 6+3))
	}
	if _, err := Montage([]image.Image{g}, []string{"a", "b"}, 1, 1); err == nil {
		t.Error("label count mismatch: no error")
	}
}

func TestLines(t *testing.T) {
	p, err := Lines([]float64{0, 1, 2}, [][]float64{{1, 3, 2}, {0, 1, 1}}, []string{"lesion", "liver"}, "time (s)", "intensity", 1.5)
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Label.Text != "time (s)" || p.Y.Max < 3 || p.Y.Min > 0 {
		t.Errorf("axes: %q y %v..%v", p.X.Label.Text, p.Y.Min, p.Y.Max)
	}
	if _, err := Lines([]float64{0, 1}, [][]float64{{1}}, []string{"a"}, "", ""); err == nil {
		t.Error("length mismatch: no error")
	}
}

func TestCalibrationAndDecisionCurves(t *testing.T) {
	s := CalibrationSeries{Label: "m", Predicted: []float64{0.1, 0.5, 0.9}, Observed: []float64{0.15, 0.4, 0.85},
		Lower: []float64{0.05, 0.3, 0.7}, Upper: []float64{0.3, 0.55, 0.95}}
	p, err := Calibration([]CalibrationSeries{s})
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Max != 1 || p.Y.Label.Text != "observed fraction" {
		t.Errorf("axes %v %q", p.X.Max, p.Y.Label.Text)
	}
	bad := s
	bad.Lower = []float64{0.2, 0.3, 0.7}
	if _, err := Calibration([]CalibrationSeries{bad}); err == nil {
		t.Error("interval not holding the observed value: no error")
	}
	th := []float64{0.1, 0.3, 0.5}
	d, err := DecisionCurves(th, []DecisionSeries{{"m", []float64{0.5, 0.3, -0.2}}}, []float64{0.55, 0.2, -0.6})
	if err != nil {
		t.Fatal(err)
	}
	if d.Y.Min != -0.2 || d.Y.Max < 0.55 {
		t.Errorf("y range %v..%v: want clipped at the lowest model value -0.2 and above 0.55", d.Y.Min, d.Y.Max)
	}
	if _, err := DecisionCurves(th, []DecisionSeries{{"m", []float64{1}}}, []float64{0, 0, 0}); err == nil {
		t.Error("length mismatch: no error")
	}
}
