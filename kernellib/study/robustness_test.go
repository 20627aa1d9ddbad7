package study

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/plots"
)

// toyCohort: n patients with outcome y and a latent marker x; models see x
// plus noise of their own size, so their AUCs are ordered.
func toyCohort(n int) (y []bool, x []float64) {
	rng := rand.New(rand.NewPCG(42, 1))
	for i := 0; i < n; i++ {
		yi := rng.Float64() < 0.6
		m := rng.NormFloat64()
		if yi {
			m += 1.5
		}
		y, x = append(y, yi), append(x, m)
	}
	return y, x
}

// noisyModel scores validation patients by the marker plus seeded noise.
func noisyModel(name string, x []float64, noise float64) ModelSpec {
	return ModelSpec{Name: name, Fit: func(train, valid []int, seed uint64) ([]float64, error) {
		rng := rand.New(rand.NewPCG(seed, uint64(len(name))))
		p := make([]float64, len(valid))
		for i, j := range valid {
			p[i] = 1 / (1 + math.Exp(-(x[j] + noise*rng.NormFloat64())))
		}
		return p, nil
	}}
}

func TestRobust(t *testing.T) {
	y, x := toyCohort(130)
	specs := []ModelSpec{noisyModel("sharp", x, 0.1), noisyModel("blurred", x, 3)}
	calls := 0
	r1, err := Robust(y, specs, RobustnessOptions{Splits: 40, Seed: 9, Workers: 1}, func(d, total int) { calls++ })
	if err != nil {
		t.Fatal(err)
	}
	r2, err := Robust(y, specs, RobustnessOptions{Splits: 40, Seed: 9, Workers: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if calls != 40 || len(r1.AUC[0]) != 40 {
		t.Fatalf("%d progress calls, %d AUCs", calls, len(r1.AUC[0]))
	}
	for k := range r1.AUC {
		for s := range r1.AUC[k] {
			if r1.AUC[k][s] != r2.AUC[k][s] {
				t.Fatalf("1 and 3 workers differ at model %d split %d", k, s)
			}
		}
	}
	p := r1.Pairs[0]
	if p.A != "sharp" || p.B != "blurred" || p.AHigher < 0.9 || p.MedianDiff <= 0 {
		t.Errorf("sharp vs blurred: %+v", p)
	}
	// Holm's adjustment over several pairs: TestRobustHolmThreePairs.
	if r1.Table().Nrow() != 2 || r1.PairTable().Nrow() != 1 {
		t.Error("tables have the wrong number of rows")
	}
	if fig, err := r1.Figure(); err != nil {
		t.Error(err)
	} else if err := plots.CheckFigure(fig, robustnessSize[0], robustnessSize[1]); err != nil {
		t.Error(err) // the box plot whole inside its frame, nothing at the canvas edge
	}
	bad := ModelSpec{Name: "short", Fit: func(train, valid []int, seed uint64) ([]float64, error) { return []float64{0.5}, nil }}
	if _, err := Robust(y, []ModelSpec{bad}, RobustnessOptions{Splits: 2}, nil); err == nil {
		t.Error("a model returning too few probabilities: no error")
	}
}
