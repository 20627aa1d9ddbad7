package tic_test

import (
	"fmt"
	"log"
	"math"

	"github.com/ceusrad/ceusrad/kernellib/synth"
	"github.com/ceusrad/ceusrad/kernellib/tic"
)

// A bolus of the simulator's own shape, sampled at 2 frames/s, is fitted by
// the lognormal model: μ = ln 7 + 0.45² = 2.1484, auc = √(2π)·0.45·7·e^(0.45²/2)
// = 8.737, the time to peak is the arrival plus the rise, 18 s, and the mean
// transit time t0 + e^(μ + σ²/2) = 20.48 s.
func ExampleFit() {
	var t, y []float64
	for x := 0.0; x <= 90; x += 0.5 {
		t = append(t, x)
		y = append(y, synth.LognormalBolus(x, 11, 7, 0.45)) // arrival 11 s, peak 7 s later
	}
	f, err := tic.Fit(tic.Lognormal, t, y, nil)
	if err != nil {
		log.Fatal(err)
	}
	p := f.Parameters()
	fmt.Printf("auc %.3f  mu %.4f  sigma %.3f  t0 %.2f  R² %.4f\n", f.Param("auc"), f.Param("mu"), f.Param("sigma"), f.Param("t0"), f.R2)
	fmt.Printf("PE %.3f at TTP %.2f s, MTT %.2f s\n", p.PE, p.TTP, p.MTT)
	// Output:
	// auc 8.737  mu 2.1484  sigma 0.450  t0 11.00  R² 1.0000
	// PE 1.000 at TTP 18.00 s, MTT 20.48 s
}

// An implausible fit is an error, not numbers.
func ExampleFit_implausible() {
	t := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	y := []float64{0, 0.1, 0.3, 0.6, 1, 1.5, 2.1, 2.8, 3.6, 4.5} // still rising: no peak
	_, err := tic.Fit(tic.GammaVariate, t, y, nil)
	fmt.Println(err != nil)
	// Output:
	// true
}

// The model-free parameters of a triangular curve follow from their
// definitions by hand.
func ExampleModelFree() {
	t := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	y := []float64{0, 0, 0, 2, 4, 6, 4, 2, 0, 0, 0}
	p, err := tic.ModelFree(t, y)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("AT %g  TTP %g  PE %g  RT %g  FT %g\n", p.AT, p.TTP, p.PE, p.RT, p.FT)
	fmt.Printf("WiR %g  WoR %g  WiAUC %g  WoAUC %g  AUC %g  WiPI %g  MTT %g\n", p.WiR, p.WoR, p.WiAUC, p.WoAUC, p.AUC, p.WiPI, p.MTT)
	// Output:
	// AT 2  TTP 5  PE 6  RT 3  FT 3
	// WiR 2  WoR 2  WiAUC 9  WoAUC 9  AUC 18  WiPI 3  MTT 5
}

// Linearisation inverts the display's log compression: over 55 dB, 255
// grey levels span 55 dB, so 51 levels are 11 dB (a factor 12.6 in power).
func ExampleLogCompression_Power() {
	l := tic.LogCompression{DynamicRangeDB: 55}
	fmt.Printf("%.4g %.4g %.4g\n", l.Power(255), l.Power(204), l.Power(0))
	fmt.Printf("%.1f dB\n", 10*math.Log10(l.Power(204)/l.Power(153)))
	// Output:
	// 1 0.07943 3.162e-06
	// 11.0 dB
}
