package roc

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// prFixture is testdata/pr_sklearn.json (reference_pr.py): scikit-learn
// 1.2's precision_recall_curve and average_precision_score.
type prFixture struct {
	Meta  map[string]string
	Cases []struct {
		Name, Direction  string
		Truth            []int
		Scores           []float64
		Precision        []float64
		Recall           []float64
		Thresholds       []float64
		AveragePrecision float64 `json:"average_precision"`
	}
}

func loadPR(t *testing.T) prFixture {
	t.Helper()
	var f prFixture
	readFixture(t, "pr_sklearn.json", &f)
	if f.Meta["sklearn"] != "1.2.1" || len(f.Cases) < 8 {
		t.Fatalf("fixture by sklearn %q with %d cases, want 1.2.1 and 8", f.Meta["sklearn"], len(f.Cases))
	}
	return f
}

func boolTruth(y []int) []bool {
	t := make([]bool, len(y))
	for i, v := range y {
		t[i] = v == 1
	}
	return t
}

func TestPRMatchesSklearn(t *testing.T) {
	for _, c := range loadPR(t).Cases {
		dir := CasesHigher
		if c.Direction == ">" {
			dir = ControlsHigher
		}
		truth := boolTruth(c.Truth)
		pr, err := NewPRCurve(c.Scores, truth, dir)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		// sklearn: our points reversed, then (recall 0, precision 1).
		prec := append(slices.Clone(pr.Precision), 1)
		rec := append(slices.Clone(pr.Recall), 0)
		th := slices.Clone(pr.Thresholds)
		slices.Reverse(prec[:len(prec)-1])
		slices.Reverse(rec[:len(rec)-1])
		slices.Reverse(th)
		if !slices.Equal(prec, c.Precision) || !slices.Equal(rec, c.Recall) || !slices.Equal(th, c.Thresholds) {
			t.Errorf("%s: curve differs from sklearn's:\n precision %v\n sklearn   %v\n recall %v\n sklearn %v\n thresholds %v\n sklearn    %v",
				c.Name, prec, c.Precision, rec, c.Recall, th, c.Thresholds)
		}
		ap, err := AveragePrecision(c.Scores, truth, dir)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(ap-c.AveragePrecision) > 1e-14 {
			t.Errorf("%s: AP %.17g, sklearn %.17g", c.Name, ap, c.AveragePrecision)
		}
		// Both areas lie in [0, 1] and are 1 for a perfect score.
		dg := pr.AUCInterpolated()
		if !(dg >= 0 && dg <= 1) {
			t.Errorf("%s: interpolated area %v not in [0, 1]", c.Name, dg)
		}
		if c.Name == "perfect" && (ap != 1 || dg != 1) {
			t.Errorf("perfect: AP %v, interpolated %v, want 1 and 1", ap, dg)
		}
	}
}

// TestPRInterpolatedNumeric integrates Davis & Goadrich's interpolated
// curve numerically — the false positives linear in the true positives
// between points, precision against recall by the midpoint rule — and
// compares with the closed form.
func TestPRInterpolatedNumeric(t *testing.T) {
	for _, c := range loadPR(t).Cases {
		dir := CasesHigher
		if c.Direction == ">" {
			dir = ControlsHigher
		}
		pr, err := NewPRCurve(c.Scores, boolTruth(c.Truth), dir)
		if err != nil {
			t.Fatal(err)
		}
		area := 0.0
		t0, f0 := 0.0, 0.0
		for i := range pr.TP {
			t1, f1 := float64(pr.TP[i]), float64(pr.FP[i])
			if t1 > t0 {
				const steps = 4000
				h := (t1 - t0) / steps
				for j := 0; j < steps; j++ {
					x := (float64(j) + 0.5) * h
					fp := f0 + (f1-f0)/(t1-t0)*x
					area += (t0 + x) / (t0 + x + fp) * h
				}
			}
			t0, f0 = t1, f1
		}
		area /= float64(pr.Cases)
		if got := pr.AUCInterpolated(); math.Abs(got-area) > 1e-7 {
			t.Errorf("%s: closed form %.12f, numerical %.12f", c.Name, got, area)
		}
	}
	// Hand-worked: cases and controls alternate, case first (n = 4):
	// points (1,0) (1,1) (2,1) (2,2). Segments: [0,1] at precision 1; from
	// (1,1) to (2,1) the precision (1+x)/(2+x), area 1 − ln(3/2).
	pr, _ := NewPRCurve([]float64{4, 3, 2, 1}, []bool{true, false, true, false}, CasesHigher)
	want := (1 + 1 - math.Log(1.5)) / 2
	if got := pr.AUCInterpolated(); math.Abs(got-want) > 1e-15 {
		t.Errorf("alternating: %v, want %v", got, want)
	}
	if got := pr.AveragePrecision(); math.Abs(got-(1+2.0/3)/2) > 1e-15 {
		t.Errorf("alternating AP: %v, want %v", got, (1+2.0/3)/2)
	}
}

func TestPRDirection(t *testing.T) {
	c := loadPR(t).Cases[2] // ties_quarter
	truth := boolTruth(c.Truth)
	neg := make([]float64, len(c.Scores))
	for i, v := range c.Scores {
		neg[i] = -v
	}
	a, _ := NewPRCurve(c.Scores, truth, CasesHigher)
	b, _ := NewPRCurve(neg, truth, ControlsHigher)
	for i := range a.Thresholds {
		if a.Thresholds[i] != -b.Thresholds[i] || a.Precision[i] != b.Precision[i] || a.Recall[i] != b.Recall[i] {
			t.Fatalf("point %d: %v %v %v vs negated %v %v %v", i, a.Thresholds[i], a.Precision[i], a.Recall[i],
				b.Thresholds[i], b.Precision[i], b.Recall[i])
		}
	}
	if a.AUCInterpolated() != b.AUCInterpolated() {
		t.Errorf("interpolated %v vs %v", a.AUCInterpolated(), b.AUCInterpolated())
	}
}

// TestJackAP compares the O(N) leave-one-out average precisions with the
// average precision of each data set with one observation left out.
func TestJackAP(t *testing.T) {
	for _, c := range loadPR(t).Cases {
		truth := boolTruth(c.Truth)
		m, n := countClasses(truth)
		if m < 2 || n < 2 || len(truth) > 150 {
			continue
		}
		dir := CasesHigher
		if c.Direction == ">" {
			dir = ControlsHigher
		}
		jack := newRankedScore(c.Scores, truth, dir).jackAP(truth)
		for i := range truth {
			s := slices.Delete(slices.Clone(c.Scores), i, i+1)
			y := slices.Delete(slices.Clone(truth), i, i+1)
			want, err := AveragePrecision(s, y, dir)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(jack[i]-want) > 1e-13 {
				t.Fatalf("%s: leave out %d: %.17g, want %.17g", c.Name, i, jack[i], want)
			}
		}
	}
}

// TestBootstrapAveragePrecision recomputes replicates by drawing them
// again and computing the average precision of the resampled data.
func TestBootstrapAveragePrecision(t *testing.T) {
	c := loadPR(t).Cases[4] // rare_top_controls: ties, few cases
	truth := boolTruth(c.Truth)
	for _, how := range []Resampling{Stratified, Plain} {
		opt := BootOptions{Replicates: 200, Seed: 9, Resampling: how}
		ci, err := BootstrapAveragePrecision(c.Scores, truth, CasesHigher, opt)
		if err != nil {
			t.Fatal(err)
		}
		if ci.Estimate != c.AveragePrecision && math.Abs(ci.Estimate-c.AveragePrecision) > 1e-14 {
			t.Errorf("%v: estimate %v, sklearn %v", how, ci.Estimate, c.AveragePrecision)
		}
		s := newSample(truth)
		idx := make([]int32, len(truth))
		var r repRNG
		kept := 0
		for b := 0; b < opt.Replicates; b++ {
			r.seed(opt.Seed, streamBootstrap, b)
			bm, bn := s.draw(&r, how, idx)
			if bm == 0 || bn == 0 {
				continue
			}
			xs, ys := make([]float64, len(idx)), make([]bool, len(idx))
			for j, i := range idx {
				xs[j], ys[j] = c.Scores[i], truth[i]
			}
			want, err := AveragePrecision(xs, ys, CasesHigher)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(ci.Values[kept]-want) > 1e-13 {
				t.Fatalf("%v replicate %d: %v, recomputed %v", how, b, ci.Values[kept], want)
			}
			kept++
		}
		if kept != len(ci.Values) || !(ci.Percentile[0] < ci.Estimate && ci.Estimate < ci.Percentile[1]) || ci.Accel == 0 {
			t.Errorf("%v: %d of %d replicates, interval %v around %v, a = %v", how, len(ci.Values), kept, ci.Percentile, ci.Estimate, ci.Accel)
		}
	}
}

func TestPRBadInput(t *testing.T) {
	if _, err := NewPRCurve([]float64{1, 2}, []bool{true}, CasesHigher); !errors.Is(err, ErrLength) {
		t.Errorf("length: %v", err)
	}
	if _, err := AveragePrecision([]float64{1, 2}, []bool{true, true}, CasesHigher); !errors.Is(err, ErrOneClass) {
		t.Errorf("one class: %v", err)
	}
	if _, err := AveragePrecision([]float64{1, math.NaN()}, []bool{true, false}, CasesHigher); !errors.Is(err, ErrNotFinite) {
		t.Errorf("NaN: %v", err)
	}
	if _, err := BootstrapAveragePrecision([]float64{1, 2, 3}, []bool{true, false, false}, CasesHigher, BootOptions{}); !errors.Is(err, ErrTooFew) {
		t.Errorf("one case: %v", err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, 20)
	y := make([]bool, 20)
	for i := range x {
		x[i], y[i] = rng.Float64(), i%2 == 0
	}
	if _, err := BootstrapAveragePrecision(x, y, CasesHigher, BootOptions{Replicates: 1}); err == nil {
		t.Error("1 replicate: no error")
	}
}
