package study

import (
	"math"
	"sort"
	"sync"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// holm3 is Holm's step-down adjustment of three p-values, written out for
// m = 3 (Holm, Scand. J. Statist. 1979): sorted p(1) ≤ p(2) ≤ p(3) become
// 3p(1), max(3p(1), 2p(2)), max(…, p(3)), each capped at 1.
func holm3(p [3]float64) [3]float64 {
	idx := []int{0, 1, 2}
	sort.Slice(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	var out [3]float64
	run := 0.0
	for rank, i := range idx {
		run = math.Max(run, math.Min(1, float64(3-rank)*p[i]))
		out[i] = run
	}
	return out
}

// TestRobustHolmThreePairs recomputes, from the validation patients and
// probabilities each model was given and returned on every split, the
// shares of splits in which each of three pairs is significant by DeLong's
// paired test, raw and Holm-adjusted over the three pairs of the split, and
// compares them with Robust's. With three pairs Holm differs from the raw
// p, so a share computed without the adjustment, or adjusted over the
// wrong set, fails.
func TestRobustHolmThreePairs(t *testing.T) {
	y, x := toyCohort(130)
	type call struct {
		valid []int
		prob  []float64
	}
	var mu sync.Mutex
	calls := map[uint64]map[string]call{} // seed (one per split) → model → call
	record := func(s ModelSpec) ModelSpec {
		fit := s.Fit
		s.Fit = func(train, valid []int, seed uint64) ([]float64, error) {
			p, err := fit(train, valid, seed)
			mu.Lock()
			if calls[seed] == nil {
				calls[seed] = map[string]call{}
			}
			calls[seed][s.Name] = call{append([]int(nil), valid...), append([]float64(nil), p...)}
			mu.Unlock()
			return p, err
		}
		return s
	}
	names := []string{"sharp", "medium", "blurred"}
	specs := []ModelSpec{record(noisyModel(names[0], x, 0.5)), record(noisyModel(names[1], x, 1.2)), record(noisyModel(names[2], x, 2.5))}
	const R = 40
	r, err := Robust(y, specs, RobustnessOptions{Splits: R, Seed: 4, Workers: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != R {
		t.Fatalf("%d splits recorded, want %d", len(calls), R)
	}
	pairs := [3][2]int{{0, 1}, {0, 2}, {1, 2}}
	var raw, holm [3]float64
	for _, byModel := range calls {
		valid := byModel[names[0]].valid
		truth := make([]bool, len(valid))
		for i, j := range valid {
			truth[i] = y[j]
		}
		var p [3]float64
		for k, pr := range pairs {
			a, b := byModel[names[pr[0]]], byModel[names[pr[1]]]
			tst, err := roc.PairedDeLong(a.prob, b.prob, truth, roc.CasesHigher, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			p[k] = tst.P
		}
		h := holm3(p)
		for k := range pairs {
			if p[k] < 0.05 {
				raw[k]++
			}
			if h[k] < 0.05 {
				holm[k]++
			}
		}
	}
	differs := false
	for k, pr := range pairs {
		got := r.Pairs[k]
		if got.A != names[pr[0]] || got.B != names[pr[1]] {
			t.Fatalf("pair %d is %s vs %s", k, got.A, got.B)
		}
		if got.Significant != raw[k]/R || got.SigHolm != holm[k]/R {
			t.Errorf("%s vs %s: significant in %v (Holm %v) of splits, recomputed %v (%v)", got.A, got.B, got.Significant, got.SigHolm, raw[k]/R, holm[k]/R)
		}
		differs = differs || raw[k] != holm[k]
	}
	if !differs {
		t.Errorf("Holm changed no verdict (raw %v, Holm %v): the example does not test the adjustment", raw, holm)
	}
	// holm3 itself on a hand-worked case: 0.01, 0.04, 0.03 → 0.03, 0.06, 0.06.
	if h := holm3([3]float64{0.01, 0.04, 0.03}); math.Abs(h[0]-0.03) > 1e-15 || math.Abs(h[1]-0.06) > 1e-15 || math.Abs(h[2]-0.06) > 1e-15 {
		t.Errorf("holm3 = %v", h)
	}
}
