package roc

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"testing"
)

// checkPermAgainstPROC compares a permutation test with pROC's: E exactly
// (it is deterministic), the p-value and the mean and sd of the permuted
// statistics within Monte-Carlo error (see mcZ).
func checkPermAgainstPROC(t *testing.T, what string, got *PermTest, e, p float64, perm moments, bProc int) {
	t.Helper()
	if math.Abs(got.E-e) > 1e-9*math.Max(1, math.Abs(e)) {
		t.Errorf("%s: E %v, pROC %v", what, got.E, e)
	}
	b := len(got.Permuted)
	pbar := (p*float64(bProc) + got.P*float64(b)) / float64(bProc+b)
	if tol := mcZ*math.Sqrt(pbar*(1-pbar)*(1/float64(bProc)+1/float64(b))) + 1e-12; math.Abs(got.P-p) > tol {
		t.Errorf("%s: p %v, pROC %v (tolerance %.3g)", what, got.P, p, tol)
	}
	sd := sdev(got.Permuted)
	if tol := mcZ * math.Hypot(perm.SD/math.Sqrt(float64(bProc)), sd/math.Sqrt(float64(b))); math.Abs(meanOf(got.Permuted)-perm.Mean) > tol {
		t.Errorf("%s: mean of permuted E %v, pROC %v (tolerance %.3g)", what, meanOf(got.Permuted), perm.Mean, tol)
	}
	if perm.Kurtosis == nil {
		t.Fatalf("%s: pROC's permuted statistics are all equal; the fixture cannot size a tolerance", what)
	}
	if tol := mcZ * math.Hypot(seOfSD(perm.SD, *perm.Kurtosis, bProc), seOfSD(sd, kurtosis(got.Permuted), b)); math.Abs(sd-perm.SD) > tol {
		t.Errorf("%s: sd of permuted E %v, pROC %v (tolerance %.3g)", what, sd, perm.SD, tol)
	}
}

func TestVenkatramanAgainstPROC(t *testing.T) {
	for _, name := range procFixtureNames {
		f := loadProcFixture(t, name)
		truth := f.truth(t)
		for _, c := range f.Venkatraman {
			what := fmt.Sprintf("%s/%s-%s paired", name, c.X, c.Y)
			// pROC ranks the raw predictor: a ">" score was given to
			// pROC negated, and is given here as is, with ControlsHigher.
			got, err := VenkatramanTest(f.column(t, c.X), f.column(t, c.Y), truth, procDir(c.DirX), procDir(c.DirY),
				PermOptions{Permutations: ourReplicates, Seed: 21})
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if c.NegateX != (c.DirX == ">") {
				t.Fatalf("%s: fixture negates x: %v, direction %s", what, c.NegateX, c.DirX)
			}
			checkPermAgainstPROC(t, what, got, c.E, c.P, c.Permutations, c.BootN)
		}
		for k, c := range f.UnpairedVenkatraman {
			what := fmt.Sprintf("%s/unpaired %d", name, k)
			got, err := VenkatramanTestUnpaired(c.Sample1.Score, toTruth(c.Sample1.Truth), procDir(c.DirX),
				c.Sample2.Score, toTruth(c.Sample2.Truth), procDir(c.DirY),
				PermOptions{Permutations: ourReplicates, Seed: 22, PROCMixing: true})
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			checkPermAgainstPROC(t, what, got, c.E, c.P, c.Permutations, c.BootN)
		}
	}
}

// pROC's venkatraman.paired.stat written as pROC writes it, from ranks.
func pairedStatFromRanks(r, s []int32, truth []bool) float64 {
	n := len(truth)
	e := 0
	for x := 1; x <= n; x++ {
		var rfn, rfp, sfn, sfp int
		for i := range truth {
			rk, sk := int(r[i])+1, int(s[i])+1
			if truth[i] {
				if rk <= x {
					rfn++
				}
				if sk <= x {
					sfn++
				}
			} else {
				if rk > x {
					rfp++
				}
				if sk > x {
					sfp++
				}
			}
		}
		d := (sfn + sfp) - (rfn + rfp)
		if d < 0 {
			d = -d
		}
		e += d
	}
	return float64(e)
}

// The O(N) statistic equals pROC's O(N²) definition, ties ranked by order of
// appearance, in both directions.
func TestVenkatramanPairedStat(t *testing.T) {
	x, truth := tiedData(80, 0.4, 31)
	y, _ := tiedData(80, 0.4, 32)
	for _, dx := range []Direction{CasesHigher, ControlsHigher} {
		clsR, rankR := classOrder(x, truth, dx)
		clsS, rankS := classOrder(y, truth, CasesHigher)
		if got, want := venkatramanPairedStat(clsR, clsS), pairedStatFromRanks(rankR, rankS, truth); got != want {
			t.Errorf("%v: E %v, definition %v", dx, got, want)
		}
	}
	// Ties are broken by order of appearance.
	cls, rank := classOrder([]float64{2, 1, 2, 1}, []bool{true, false, false, true}, CasesHigher)
	if want := []int32{2, 0, 3, 1}; fmt.Sprint(rank) != fmt.Sprint(want) {
		t.Errorf("ranks %v, want %v", rank, want)
	}
	if want := []bool{false, true, true, false}; fmt.Sprint(cls) != fmt.Sprint(want) {
		t.Errorf("classes %v, want %v", cls, want)
	}
	// Identical scores: E = 0 and every permutation gives 0 too: p = 1.
	res, err := VenkatramanTest(x, x, truth, CasesHigher, CasesHigher, PermOptions{Permutations: 50})
	if err != nil {
		t.Fatal(err)
	}
	if res.E != 0 || res.P != 1 {
		t.Errorf("same score twice: E %v, p %v, want 0 and 1", res.E, res.P)
	}
}

// A permutation of the paired test must rank the permuted values as pROC
// does: kept ranks jittered by U(−½, ½), exchanged ones not. Checked on
// one permutation against the literal sort of such values.
func TestVenkatramanPermutationRanks(t *testing.T) {
	x, truth := tiedData(30, 0.5, 41)
	y, _ := tiedData(30, 0.5, 42)
	_, rankR := classOrder(x, truth, CasesHigher)
	_, rankS := classOrder(y, truth, CasesHigher)
	// Values as pROC builds them, from one draw of the bits used by
	// VenkatramanTest's permutation 0.
	var r repRNG
	r.seed(5, streamVenkatraman, 0)
	r3 := make([]float64, len(x))
	s3 := make([]float64, len(x))
	for i := range x {
		u := r.pcg.Uint64()
		keep, lowR, lowS := u&1 == 1, u&2 == 2, u&4 == 4
		jit := func(low bool) float64 {
			if low {
				return -0.25
			}
			return 0.25
		}
		if keep {
			r3[i], s3[i] = float64(rankR[i])+jit(lowR), float64(rankS[i])+jit(lowS)
		} else {
			r3[i], s3[i] = float64(rankS[i]), float64(rankR[i])
		}
	}
	clsR, _ := classOrder(r3, truth, CasesHigher)
	clsS, _ := classOrder(s3, truth, CasesHigher)
	want := venkatramanPairedStat(clsR, clsS)
	got, err := VenkatramanTest(x, y, truth, CasesHigher, CasesHigher, PermOptions{Permutations: 1, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if got.Permuted[0] != want {
		t.Errorf("permuted E %v, from the literal values %v", got.Permuted[0], want)
	}
}

// R's approx (linear, rule 1) and regularize.values (ties = mean).
func TestApproxRegularize(t *testing.T) {
	xs, ys := regularize([]float64{0.5, 0.1, 0.5, 0.9}, []float64{1, 2, 3, 5})
	if fmt.Sprint(xs, ys) != fmt.Sprint([]float64{0.1, 0.5, 0.9}, []float64{2, 2, 5}) {
		t.Fatalf("regularize: %v %v", xs, ys)
	}
	for _, c := range []struct{ v, want float64 }{{0.1, 2}, {0.3, 2}, {0.7, 3.5}, {0.9, 5}} {
		if got := approx(xs, ys, c.v); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("approx(%v) = %v, want %v", c.v, got, c.want)
		}
	}
	if !math.IsNaN(approx(xs, ys, 0.05)) || !math.IsNaN(approx(xs, ys, 0.95)) {
		t.Error("approx outside the range is not NaN")
	}
}

func TestVenkatramanSameOnAnyCores(t *testing.T) {
	x, truth := tiedData(120, 0.4, 51)
	y, ty := tiedData(90, 0.3, 52)
	run := func() [][]float64 {
		z := make([]float64, len(x))
		for i := range x {
			z[i] = x[i] + float64(i%5)/10
		}
		a, err := VenkatramanTest(x, z, truth, CasesHigher, ControlsHigher, PermOptions{Permutations: 300, Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		b, err := VenkatramanTestUnpaired(x, truth, CasesHigher, y, ty, CasesHigher, PermOptions{Permutations: 300, Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		return [][]float64{a.Permuted, b.Permuted, {a.P, b.P, a.E, b.E}}
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(1)
	one := run()
	runtime.GOMAXPROCS(4)
	four := run()
	for k := range one {
		for i := range one[k] {
			if math.Float64bits(one[k][i]) != math.Float64bits(four[k][i]) {
				t.Fatalf("result %d value %d: %v on 1 core, %v on 4", k, i, one[k][i], four[k][i])
			}
		}
	}
}

func TestVenkatramanErrors(t *testing.T) {
	x := []float64{1, 2, 3, 4}
	truth := []bool{true, false, true, false}
	if _, err := VenkatramanTest(x, x[:3], truth, CasesHigher, CasesHigher, PermOptions{}); !errors.Is(err, ErrLength) {
		t.Errorf("length: %v, want ErrLength", err)
	}
	if _, err := VenkatramanTest(x, x, []bool{true, true, true, true}, CasesHigher, CasesHigher, PermOptions{}); !errors.Is(err, ErrOneClass) {
		t.Errorf("one class: %v, want ErrOneClass", err)
	}
	if _, err := VenkatramanTestUnpaired(x, truth, CasesHigher, []float64{1, math.Inf(1)}, []bool{true, false}, CasesHigher, PermOptions{}); !errors.Is(err, ErrNotFinite) {
		t.Errorf("Inf: %v, want ErrNotFinite", err)
	}
	if _, err := VenkatramanTest(x, x, truth, CasesHigher, CasesHigher, PermOptions{Permutations: -3}); err == nil {
		t.Error("-3 permutations accepted")
	}
}

// Venkatraman's pooled mixing proportion and pROC's agree for samples of the
// same size and differ otherwise.
func TestVenkatramanUnpairedMixing(t *testing.T) {
	x := []float64{0.1, 0.5, 0.3, 0.9, 0.7, 0.2, 0.8, 0.4}
	tx := []bool{false, true, false, true, true, false, true, false}
	y := []float64{0.3, 0.2, 0.6, 0.8, 0.1, 0.9, 0.5, 0.4}
	ty := []bool{true, false, false, true, false, true, true, false}
	opt := PermOptions{Permutations: 50, Seed: 3}
	pooled, err := VenkatramanTestUnpaired(x, tx, CasesHigher, y, ty, CasesHigher, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.PROCMixing = true
	proc, err := VenkatramanTestUnpaired(x, tx, CasesHigher, y, ty, CasesHigher, opt)
	if err != nil {
		t.Fatal(err)
	}
	if pooled.E != proc.E || pooled.P != proc.P {
		t.Errorf("equal sizes: pooled E=%v p=%v, pROC E=%v p=%v", pooled.E, pooled.P, proc.E, proc.P)
	}
	y2, ty2 := append(y, 0.05, 0.95, 0.45, 0.55), append(ty, false, true, false, false)
	opt.PROCMixing = false
	pooled, err = VenkatramanTestUnpaired(x, tx, CasesHigher, y2, ty2, CasesHigher, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.PROCMixing = true
	proc, err = VenkatramanTestUnpaired(x, tx, CasesHigher, y2, ty2, CasesHigher, opt)
	if err != nil {
		t.Fatal(err)
	}
	if pooled.E == proc.E {
		t.Errorf("sizes 8 and 12: pooled and pROC mixing give the same E = %v", pooled.E)
	}
}
