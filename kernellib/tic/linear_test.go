package tic

import (
	"math"
	"sync"
	"testing"
)

func TestLogCompression(t *testing.T) {
	l := LogCompression{DynamicRangeDB: 55}
	if l.Power(255) != 1 || math.Abs(l.Power(0)-math.Pow(10, -5.5)) > 1e-18 {
		t.Errorf("Power(255) %v, Power(0) %v", l.Power(255), l.Power(0))
	}
	// 10·log10 of a power ratio is the difference in dB: 51 grey levels are 11 dB.
	if r := 10 * math.Log10(l.Power(200)/l.Power(149)); math.Abs(r-11) > 1e-12 {
		t.Errorf("51 levels = %v dB, want 11", r)
	}
	for _, d := range []float64{0, 17.5, 128, 255} {
		if math.Abs(l.Display(l.Power(d))-d) > 1e-9 {
			t.Errorf("Display(Power(%v)) = %v", d, l.Display(l.Power(d)))
		}
	}
	l16 := LogCompression{DynamicRangeDB: 60, MaxLevel: 65535}
	if math.Abs(l16.Power(65535/2.0)-1e-3) > 1e-15 {
		t.Errorf("16-bit mid-level %v, want 1e-3", l16.Power(65535/2.0))
	}
	got, err := Linearise([]float64{255, 0}, l)
	if err != nil || got[0] != 1 || got[1] != l.Power(0) {
		t.Errorf("Linearise %v %v", got, err)
	}
	if _, err := Linearise([]float64{1}, LogCompression{}); err == nil {
		t.Error("dynamic range 0: no error")
	}
}

var (
	simOnce sync.Once
	simP0   *simPatient
)

// patient0 is patient P001 of the default cohort (seed 1), simulated once.
func patient0(t testing.TB) *simPatient {
	simOnce.Do(func() { simP0 = simulate(t, 6, 0) })
	if simP0 == nil {
		t.Fatal("simulation failed")
	}
	return simP0
}

// fitTruth regresses y on the true curve x, y ≈ a + b·x, and returns b
// and the residual RMS relative to b·max x.
func fitTruth(x, y []float64) (b, rel float64) {
	n := float64(len(x))
	var sx, sy, sxx, sxy, mx float64
	for i := range x {
		sx += x[i]
		sy += y[i]
		sxx += x[i] * x[i]
		sxy += x[i] * y[i]
		mx = math.Max(mx, x[i])
	}
	b = (sxy - sx*sy/n) / (sxx - sx*sx/n)
	a := (sy - b*sx) / n
	r := 0.0
	for i := range x {
		r += (y[i] - a - b*x[i]) * (y[i] - a - b*x[i])
	}
	return b, math.Sqrt(r/n) / (b * mx)
}

// TestLinearisationSynth checks linearisation against the simulator, whose
// display is the log compression of the echo power over 55 dB
// (kernellib/synth, "CEUS image"): the mean speckle is 1, so the ROI mean
// of the linearised pixels must be an affine function of the true tissue
// curve (Kinetics.TissueCurves; the lesion mean is the viable fraction
// times the viable curve, plus the tissue residual and noise). With the
// right dynamic range the residual is within 3 % of the peak for the
// lesion and the liver; the raw display means and a wrong dynamic range
// (40 dB) are visibly non-linear.
func TestLinearisationSynth(t *testing.T) {
	s := patient0(t)
	k := s.pt.Kinetics
	run := func(o ExtractOptions) (les, liv float64) {
		cv, err := ExtractWith(s.cine(), s.rois, o, nil)
		if err != nil {
			t.Fatal(err)
		}
		var tv, tl []float64
		for _, ti := range cv.Time {
			v, _, _, l := k.TissueCurves(ti - s.pt.InjectionOffsetS)
			tv, tl = append(tv, v), append(tl, l)
		}
		_, les = fitTruth(tv, cv.Mean[0])
		_, liv = fitTruth(tl, cv.Mean[1])
		return les, liv
	}
	pl, pv := run(ExtractOptions{Scale: Power, Compression: LogCompression{DynamicRangeDB: 55}})
	dl, dv := run(ExtractOptions{})
	wl, wv := run(ExtractOptions{Scale: Power, Compression: LogCompression{DynamicRangeDB: 40}})
	t.Logf("relative residual: power %.4f/%.4f, display %.4f/%.4f, 40 dB %.4f/%.4f (lesion/liver)", pl, pv, dl, dv, wl, wv)
	if pl > 0.03 || pv > 0.03 {
		t.Errorf("linearised curves not proportional to the truth: %.4f, %.4f", pl, pv)
	}
	if dl < 2*pl || dv < 2*pv || wl < 1.5*pl || wv < 1.5*pv {
		t.Errorf("display (%.4f, %.4f) or 40 dB (%.4f, %.4f) as linear as 55 dB (%.4f, %.4f)", dl, dv, wl, wv, pl, pv)
	}
}
