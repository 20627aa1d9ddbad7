package roc

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// sklearnWeighted is testdata/sklearn_weighted.json, written by
// sklearn_weighted.py with scikit-learn 1.2.
type sklearnWeighted struct {
	Meta  map[string]string
	Cases []struct {
		Name, Direction string
		Truth           []int
		Scores, Weights []float64
		AUC             float64
		FPR, TPR        []float64
	}
}

func loadSklearnWeighted(t *testing.T) *sklearnWeighted {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "sklearn_weighted.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f sklearnWeighted
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if f.Meta["sklearn"] != "1.2.1" || len(f.Cases) < 5 {
		t.Fatalf("fixture from scikit-learn %q with %d cases, want 1.2.1 and ≥ 5", f.Meta["sklearn"], len(f.Cases))
	}
	return &f
}

func intTruth(v []int) []bool {
	t := make([]bool, len(v))
	for i, x := range v {
		t[i] = x == 1
	}
	return t
}

func TestWeightedMatchesSklearn(t *testing.T) {
	f := loadSklearnWeighted(t)
	for _, c := range f.Cases {
		dir := CasesHigher
		if c.Direction == ">" {
			dir = ControlsHigher
		}
		truth := intTruth(c.Truth)
		auc, err := WeightedAUC(c.Scores, truth, c.Weights, dir)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if !closeTo(auc, c.AUC) {
			t.Errorf("%s: weighted AUC %.17g, scikit-learn %.17g", c.Name, auc, c.AUC)
		}
		cv, err := NewWeightedCurve(c.Scores, truth, c.Weights, dir)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		// scikit-learn's points run from (0, 0) up; ours by increasing
		// specificity, from (1, 1) down.
		K := len(cv.Sensitivities)
		if K != len(c.FPR) {
			t.Fatalf("%s: %d points, scikit-learn %d", c.Name, K, len(c.FPR))
		}
		for p := 0; p < K; p++ {
			q := K - 1 - p
			if math.Abs(cv.Sensitivities[q]-c.TPR[p]) > 1e-12 || math.Abs(1-cv.Specificities[q]-c.FPR[p]) > 1e-12 {
				t.Errorf("%s point %d: (fpr, tpr) = (%.15g, %.15g), scikit-learn (%.15g, %.15g)", c.Name, p,
					1-cv.Specificities[q], cv.Sensitivities[q], c.FPR[p], c.TPR[p])
			}
		}
		if a := cv.AUC(); !closeTo(a, c.AUC) {
			t.Errorf("%s: trapezoidal area of the weighted curve %.17g, scikit-learn %.17g", c.Name, a, c.AUC)
		}
		d, err := NewWeightedDeLong([][]float64{c.Scores}, truth, c.Weights, dir)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if !closeTo(d.AUC[0], c.AUC) {
			t.Errorf("%s: NewWeightedDeLong AUC %.17g, scikit-learn %.17g", c.Name, d.AUC[0], c.AUC)
		}
	}
}

// tiedPair is benchData with the scores rounded to one decimal (ties).
func tiedPair(n int) (a, b []float64, truth []bool) {
	a, b, truth = benchData(n)
	for i := range a {
		a[i] = math.Round(a[i]*10) / 10
		b[i] = math.Round(b[i]*10) / 10
	}
	return a, b, truth
}

func TestWeightedEqualWeightsIsDeLong(t *testing.T) {
	a, b, truth := tiedPair(400)
	want, err := NewDeLong([][]float64{a, b}, truth, CasesHigher, ControlsHigher)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []float64{1, 2.5, 1e-3} {
		w := make([]float64, len(truth))
		for i := range w {
			w[i] = c
		}
		got, err := NewWeightedDeLong([][]float64{a, b}, truth, w, CasesHigher, ControlsHigher)
		if err != nil {
			t.Fatal(err)
		}
		for r := 0; r < 2; r++ {
			if !closeTo(got.AUC[r], want.AUC[r]) {
				t.Errorf("weights %v: AUC %d = %.17g, DeLong %.17g", c, r, got.AUC[r], want.AUC[r])
			}
			for s := 0; s < 2; s++ {
				if !closeTo(got.Cov[r][s], want.Cov[r][s]) {
					t.Errorf("weights %v: Cov[%d][%d] = %.17g, DeLong %.17g", c, r, s, got.Cov[r][s], want.Cov[r][s])
				}
			}
		}
		cv, _ := NewWeightedCurve(a, truth, w, CasesHigher)
		plain, _ := NewCurve(a, truth, CasesHigher)
		for i := range plain.Sensitivities {
			if cv.Sensitivities[i] != plain.Sensitivities[i] && c == 1 {
				t.Fatalf("unit weights: Se[%d] = %v, unweighted %v", i, cv.Sensitivities[i], plain.Sensitivities[i])
			}
		}
	}
}

// TestWeightedIntegerIsRepetition checks what integer weights share with the
// data with each row repeated w times, and what they do not: the AUC and the
// placements agree, the DeLong variance of the repeated data is the
// frequency-weight formula Σ wᵢ(V10ᵢ − θ)²/(W₁(W₁ − 1)) + Σ wⱼ(V01ⱼ −
// θ)²/(W₀(W₀ − 1)), and the sampling-weight variance of NewWeightedDeLong
// differs from it (as its doc says).
func TestWeightedIntegerIsRepetition(t *testing.T) {
	a, _, truth := tiedPair(120)
	rng := rand.New(rand.NewPCG(7, 8))
	w := make([]float64, len(truth))
	var ra []float64
	var rt []bool
	for i := range w {
		w[i] = float64(rng.IntN(4)) // 0..3, zeros leave rows out
		for c := 0; c < int(w[i]); c++ {
			ra = append(ra, a[i])
			rt = append(rt, truth[i])
		}
	}
	rep, err := NewDeLong([][]float64{ra}, rt)
	if err != nil {
		t.Fatal(err)
	}
	wd, err := NewWeightedDeLong([][]float64{a}, truth, w)
	if err != nil {
		t.Fatal(err)
	}
	if !closeTo(wd.AUC[0], rep.AUC[0]) {
		t.Errorf("weighted AUC %.17g, AUC of the repeated rows %.17g", wd.AUC[0], rep.AUC[0])
	}
	// Placements: those of the repeated rows, row by row.
	in, err := prepareWeighted([][]float64{a}, truth, w, nil, 2)
	if err != nil {
		t.Fatal(err)
	}
	v := make([]float64, len(in.truth))
	theta := weightedPlacements(in.scores[0], in.truth, in.w, CasesHigher, in.wm, in.wn, v)
	rv := make([]float64, len(rt))
	rm, rn := countClasses(rt)
	placements(ra, rt, CasesHigher, rm, rn, rv)
	u := 0
	s10, s01 := 0.0, 0.0
	for i := range in.truth {
		for c := 0; c < int(in.w[i]); c++ {
			if math.Abs(v[i]-rv[u]) > 1e-12 {
				t.Fatalf("observation %d: weighted placement %v, repeated rows %v", i, v[i], rv[u])
			}
			u++
		}
		d := (v[i] - theta) * (v[i] - theta) * in.w[i]
		if in.truth[i] {
			s10 += d
		} else {
			s01 += d
		}
	}
	freq := s10/(in.wm*(in.wm-1)) + s01/(in.wn*(in.wn-1))
	if !closeTo(freq, rep.Var(0)) {
		t.Errorf("frequency-weight variance %.17g, DeLong of the repeated rows %.17g", freq, rep.Var(0))
	}
	if r := wd.Var(0) / rep.Var(0); math.Abs(r-1) < 0.2 {
		t.Errorf("sampling-weight variance %.6g is within 20%% of the repeated rows' %.6g (ratio %.3f); the doc says they differ", wd.Var(0), rep.Var(0), r)
	}
}

// TestWeightedDeLongSimulation checks the weighted DeLong variance against
// the empirical variance of θ_w over replicates of a weighted sample: each
// observation has a covariate z that sets both its score and its weight
// 1/π(z) (the inverse of its selection probability), so the weights matter.
// The mean estimated variance of each AUC and of their difference must be
// within 10% of the empirical variance over 3000 replicates (the standard
// error of an empirical variance is about √(2/3000) ≈ 2.6%).
func TestWeightedDeLongSimulation(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	const reps, m, n = 3000, 60, 90
	rng := rand.New(rand.NewPCG(20261205, 1))
	var th [3][]float64 // AUC a, AUC b, a − b
	var est [3]float64
	a, b := make([]float64, m+n), make([]float64, m+n)
	w := make([]float64, m+n)
	truth := make([]bool, m+n)
	for rep := 0; rep < reps; rep++ {
		for i := range truth {
			truth[i] = i < m
			z := rng.Float64()
			shift := 0.0
			if truth[i] {
				shift = 1
			}
			e := rng.NormFloat64()
			a[i] = shift*(0.3+1.2*z) + e
			b[i] = 0.7*e + 0.7*rng.NormFloat64() + shift*0.6 + 0.8*z
			w[i] = 1 / (0.1 + 0.9*z) // π(z) from 0.1 to 1
			if rng.Float64() < 0.05 {
				w[i] = 0
			}
		}
		d, err := NewWeightedDeLong([][]float64{a, b}, truth, w)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := d.Paired(0, 1, 0.95)
		th[0] = append(th[0], d.AUC[0])
		th[1] = append(th[1], d.AUC[1])
		th[2] = append(th[2], p.Diff)
		est[0] += d.Var(0) / reps
		est[1] += d.Var(1) / reps
		est[2] += p.SE * p.SE / reps
	}
	for q, name := range []string{"AUC a", "AUC b", "difference"} {
		emp := sampleVar(th[q])
		if r := est[q] / emp; math.Abs(r-1) > 0.10 {
			t.Errorf("%s: mean weighted DeLong variance %.4g, empirical %.4g (ratio %.3f)", name, est[q], emp, r)
		} else {
			t.Logf("%s: mean weighted DeLong variance %.4g, empirical %.4g (ratio %.3f)", name, est[q], emp, r)
		}
	}
}

// sampleVar is the sample variance with divisor len − 1.
func sampleVar(x []float64) float64 { return sdev(x) * sdev(x) }

func TestWeightedBadInput(t *testing.T) {
	s := []float64{0.1, 0.4, 0.35, 0.8, 0.2, 0.9}
	truth := []bool{false, false, true, true, false, true}
	for _, c := range []struct {
		name string
		w    []float64
		want error
		msg  string
	}{
		{"negative", []float64{1, 1, -0.5, 1, 1, 1}, ErrWeight, "weight 2 is -0.5"},
		{"NaN", []float64{1, 1, 1, math.NaN(), 1, 1}, ErrWeight, "weight 3 is NaN"},
		{"Inf", []float64{1, math.Inf(1), 1, 1, 1, 1}, ErrWeight, "weight 1 is +Inf"},
		{"length", []float64{1, 1, 1}, ErrLength, "3 weights for 6 observations"},
		{"no case", []float64{1, 1, 0, 0, 1, 0}, ErrOneClass, "0 cases and 3 controls of positive weight"},
		{"one case", []float64{1, 1, 0, 0, 1, 2}, ErrTooFew, "1 cases and 3 controls"},
	} {
		_, err := NewWeightedDeLong([][]float64{s}, truth, c.w)
		if !errors.Is(err, c.want) || !containsStr(err.Error(), c.msg) {
			t.Errorf("%s: error %v, want %v mentioning %q", c.name, err, c.want, c.msg)
		}
	}
	// An AUC needs only one case and one control of positive weight.
	if _, err := WeightedAUC(s, truth, []float64{1, 1, 0, 0, 1, 2}, CasesHigher); err != nil {
		t.Errorf("WeightedAUC with 1 case: %v", err)
	}
	if _, err := WeightedAUC([]float64{1, math.NaN()}, []bool{true, false}, []float64{1, 1}, CasesHigher); !errors.Is(err, ErrNotFinite) {
		t.Errorf("NaN score: %v, want ErrNotFinite", err)
	}
}

func containsStr(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
