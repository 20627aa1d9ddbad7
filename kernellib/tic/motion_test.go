package tic

import (
	"image"
	"math"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/synth"
)

// blobs is a smooth test pattern: Gaussian blobs of σ 4 px, evaluated at
// (x − dx, y − dy), i.e. moved by (dx, dy).
func blobs(w, h int, dx, dy float64) []float64 {
	c := [][3]float64{{30, 40, 1}, {60, 30, 0.7}, {45, 70, -0.5}, {70, 65, 0.9}, {20, 20, 0.4}}
	v := make([]float64, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s := 0.0
			for _, b := range c {
				ex, ey := float64(x)-dx-b[0], float64(y)-dy-b[1]
				s += b[2] * math.Exp(-(ex*ex+ey*ey)/32)
			}
			v[y*w+x] = s
		}
	}
	return v
}

func TestEstimateShift(t *testing.T) {
	const w, h = 96, 96
	ref := blobs(w, h, 0, 0)
	box := image.Rect(10, 10, 86, 86)
	for _, d := range [][2]float64{{0, 0}, {2.3, -1.7}, {-0.4, 0.45}, {5, -4}, {-5.6, 3.2}} {
		s, err := EstimateShift(ref, blobs(w, h, d[0], d[1]), w, h, box, 6)
		if err != nil {
			t.Fatal(err)
		}
		if math.Hypot(s.DX-d[0], s.DY-d[1]) > 0.1 || s.NCC < 0.9 {
			t.Errorf("shift %v: estimated (%.3f, %.3f), NCC %.3f", d, s.DX, s.DY, s.NCC)
		}
	}
	for _, c := range []struct {
		ref, img []float64
		box      image.Rectangle
		search   int
		want     string
	}{
		{ref, ref[:10], box, 6, "want 96×96"},
		{ref, ref, box, 0, "search 0"},
		{ref, ref, image.Rect(0, 0, 3, 3), 6, "want ≥ 16"},
	} {
		if _, err := EstimateShift(c.ref, c.img, w, h, c.box, c.search); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one containing %q", err, c.want)
		}
	}
}

// TestMotionSynthetic: patient P001 simulated with breathing of 10 px
// (Params.BreathingAmplitudePx; the default is 3). Motion correction
// tracks the true displacement (synth.Cine.Displacement, relative to frame
// 0) within 1.5 px at every frame, and brings the linearised lesion curve
// closer to the true tissue curve than no correction does.
func TestMotionSynthetic(t *testing.T) {
	s0 := patient0(t)
	p := s0.params
	p.BreathingAmplitudePx = 10
	img, err := synth.SimulatePatient(p, s0.pt)
	if err != nil {
		t.Fatal(err)
	}
	s := &simPatient{pt: s0.pt, params: p, img: img, rois: s0.rois}
	k := s.pt.Kinetics
	o := ExtractOptions{Scale: Power, Compression: LogCompression{DynamicRangeDB: 55}}
	plain, err := ExtractWith(s.cine(), s.rois, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	o.Motion = &MotionOptions{}
	corr, err := ExtractWith(s.cine(), s.rois, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if plain.Shifts != nil || len(corr.Shifts) != len(corr.Time) {
		t.Fatalf("shifts: %d without, %d with correction for %d frames", len(plain.Shifts), len(corr.Shifts), len(corr.Time))
	}
	d := img.Cine.Displacement
	worst, moved := 0.0, 0.0
	for i, sh := range corr.Shifts {
		e := math.Hypot(sh.DX-(d[i][0]-d[0][0]), sh.DY-(d[i][1]-d[0][1]))
		worst = math.Max(worst, e)
		moved = math.Max(moved, math.Hypot(d[i][0]-d[0][0], d[i][1]-d[0][1]))
	}
	var tv []float64
	for _, ti := range corr.Time {
		v, _, _, _ := k.TissueCurves(ti - s.pt.InjectionOffsetS)
		tv = append(tv, v)
	}
	_, rp := fitTruth(tv, plain.Mean[0])
	_, rc := fitTruth(tv, corr.Mean[0])
	t.Logf("largest motion %.2f px, largest tracking error %.2f px; lesion residual %.4f without, %.4f with correction", moved, worst, rp, rc)
	if worst > 1.5 || moved < 8 {
		t.Errorf("tracking error %.2f px (motion up to %.2f px)", worst, moved)
	}
	if !(rc < 0.8*rp) {
		t.Errorf("correction did not help: residual %.4f vs %.4f", rc, rp)
	}
}
