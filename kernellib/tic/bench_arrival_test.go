package tic

import (
	"math"
	"testing"
)

// BenchmarkArrival: the arrival of a 261-sample curve (130 s at 2 frames/s, the
// synthetic cohort's cines) with noise on its baseline.
func BenchmarkArrival(b *testing.B) {
	p := []float64{30, 2.3, 0.5, 8}
	t, y := make([]float64, 261), make([]float64, 261)
	for i := range t {
		t[i] = float64(i) / 2
		y[i] = 10 + 0.1*math.Sin(float64(i)*1.7) + Lognormal.Eval(t[i]-4, p)
	}
	for b.Loop() {
		if _, err := Arrival(t, y, ArrivalOptions{BaselineEndS: 3}); err != nil {
			b.Fatal(err)
		}
	}
}
