package roc

import (
	"math"
	"math/rand/v2"
	"testing"
)

// clinBenchData returns n scores, predicted probabilities from a second
// model, and outcomes, deterministically.
func clinBenchData(n int) (score, p2 []float64, y []bool) {
	r := rand.New(rand.NewPCG(2024, uint64(n)))
	score, p2, y = make([]float64, n), make([]float64, n), make([]bool, n)
	for i := range score {
		x := r.NormFloat64()
		score[i] = invLogit(-1 + 1.2*x)
		p2[i] = invLogit(-1 + 1.2*x + 0.5*r.NormFloat64())
		y[i] = r.Float64() < score[i]
	}
	return score, p2, y
}

func BenchmarkBestThresholds(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		s, _, y := clinBenchData(n)
		b.Run(benchName(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := BestThresholds(s, y, CasesHigher, Youden, BestWeights{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMetricsAt(b *testing.B) {
	s, _, y := clinBenchData(100000)
	for b.Loop() {
		if _, err := MetricsAt(s, y, CasesHigher, 0.3, 0.95); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLogisticCalibration(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		p, _, y := clinBenchData(n)
		b.Run(benchName(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := LogisticCalibration(p, y, 0.95); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkHosmerLemeshow(b *testing.B) {
	p, _, y := clinBenchData(100000)
	for b.Loop() {
		if _, err := HosmerLemeshow(p, y, 10, ValidationSample); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecisionCurve(b *testing.B) {
	p, _, y := clinBenchData(100000)
	pts := make([]float64, 99)
	for i := range pts {
		pts[i] = float64(i+1) / 100
	}
	for b.Loop() {
		if _, err := DecisionCurve(p, y, pts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReclassification(b *testing.B) {
	old, new, y := clinBenchData(100000)
	for b.Loop() {
		if _, err := CategoricalNRI(old, new, y, []float64{0.1, 0.3}, 0.95); err != nil {
			b.Fatal(err)
		}
		if _, err := ContinuousNRI(old, new, y, 0.95); err != nil {
			b.Fatal(err)
		}
		if _, err := IDI(old, new, y, 0.95); err != nil {
			b.Fatal(err)
		}
	}
}

func benchName(n int) string {
	return "n=1e" + string(rune('0'+int(math.Round(math.Log10(float64(n))))))
}
