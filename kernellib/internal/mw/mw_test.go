package mw

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// AUC equals the O(mn) definition, ties counted ½, on data with many ties.
func TestAUCMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for rep := 0; rep < 50; rep++ {
		n := 3 + rng.IntN(40)
		s, y := make([]float64, n), make([]bool, n)
		for i := range s {
			s[i] = float64(rng.IntN(6))
			y[i] = i%2 == 0
		}
		got, err := AUC(s, y)
		if err != nil {
			t.Fatal(err)
		}
		pairs, want := 0.0, 0.0
		for i := range s {
			for j := range s {
				if y[i] && !y[j] {
					pairs++
					switch {
					case s[i] > s[j]:
						want++
					case s[i] == s[j]:
						want += 0.5
					}
				}
			}
		}
		if math.Abs(got-want/pairs) > 1e-12 {
			t.Fatalf("AUC %v, definition %v", got, want/pairs)
		}
	}
	for _, c := range []struct {
		s []float64
		y []bool
	}{{[]float64{1}, []bool{true, false}}, {[]float64{1, math.NaN()}, []bool{true, false}}, {[]float64{1, 2}, []bool{true, true}}} {
		if _, err := AUC(c.s, c.y); !errors.Is(err, ErrInput) {
			t.Errorf("AUC(%v, %v): %v", c.s, c.y, err)
		}
	}
}
