package roc

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// PairedTest is DeLong's test of two correlated AUCs, scores A and B
// measured on the same cases and controls.
type PairedTest struct {
	// A and B are the indices of the scores compared.
	A, B int
	// AUCA and AUCB are their AUCs; Diff = AUCA − AUCB.
	AUCA, AUCB, Diff float64
	// SE is the standard error of Diff, √(Sₐₐ + S_bb − 2Sₐ_b).
	SE float64
	// Z = Diff/SE and its two-sided p-value 2Φ(−|Z|).
	Z, P float64
	// CI is Diff ± z₁₋α/₂ · SE at Level, not clipped (pROC's conf.int).
	CI    [2]float64
	Level float64
}

// Paired tests H₀: θₐ = θ_b for scores a and b with DeLong's contrast
// L = (1, −1): Z = (θₐ − θ_b)/√(L S Lᵀ), two-sided p = 2Φ(−|Z|), and the
// confidence interval of the difference at the given level (DeLong, DeLong
// & Clarke-Pearson 1988; pROC's roc.test(method = "delong",
// paired = TRUE)). When both the difference and its standard error are 0, Z
// is 0 and p is 1, as in pROC.
func (d *DeLong) Paired(a, b int, level float64) (PairedTest, error) {
	if err := d.checkIndex(a); err != nil {
		return PairedTest{}, err
	}
	if err := d.checkIndex(b); err != nil {
		return PairedTest{}, err
	}
	if err := checkLevel(level); err != nil {
		return PairedTest{}, err
	}
	S := d.Cov
	// L S Lᵀ summed in pROC's order, clamped at 0 against rounding.
	v := (S[a][a] - S[b][a]) - (S[a][b] - S[b][b])
	se := math.Sqrt(math.Max(v, 0))
	diff := d.AUC[a] - d.AUC[b]
	z := ratioZ(diff, se)
	zc := zCrit(level)
	return PairedTest{A: a, B: b, AUCA: d.AUC[a], AUCB: d.AUC[b], Diff: diff, SE: se,
		Z: z, P: twoSidedP(z), CI: [2]float64{diff - zc*se, diff + zc*se}, Level: level}, nil
}

// PairedDeLong is DeLong's paired test of two scores a and b of the same
// observations, both in direction dir: NewDeLong followed by Paired(0, 1,
// level).
func PairedDeLong(a, b []float64, truth []bool, dir Direction, level float64) (PairedTest, error) {
	d, err := NewDeLong([][]float64{a, b}, truth, dir)
	if err != nil {
		return PairedTest{}, err
	}
	return d.Paired(0, 1, level)
}

// PairwiseTest is one row of the table of all pairwise paired tests, with
// its p-value adjusted for the k(k−1)/2 comparisons.
type PairwiseTest struct {
	PairedTest
	// PHolm and PBonferroni are the Holm (1979) and Bonferroni adjusted
	// p-values over all the pairs of the table.
	PHolm, PBonferroni float64
}

// Pairwise returns DeLong's paired test for every pair of the k scores, in
// the order (0,1), (0,2), …, (0,k−1), (1,2), …, with the p-values adjusted
// for multiplicity by Holm's step-down method (Holm, Scand. J. Statist. 1979,
// 6:65–70) and by Bonferroni's. The CIs are unadjusted, at level.
func (d *DeLong) Pairwise(level float64) ([]PairwiseTest, error) {
	if err := checkLevel(level); err != nil {
		return nil, err
	}
	k := len(d.AUC)
	var rows []PairwiseTest
	var p []float64
	for a := 0; a < k; a++ {
		for b := a + 1; b < k; b++ {
			t, err := d.Paired(a, b, level)
			if err != nil {
				return nil, err
			}
			rows = append(rows, PairwiseTest{PairedTest: t})
			p = append(p, t.P)
		}
	}
	holm, bonf := Holm(p), Bonferroni(p)
	for i := range rows {
		rows[i].PHolm, rows[i].PBonferroni = holm[i], bonf[i]
	}
	return rows, nil
}

// Holm returns Holm's step-down adjusted p-values (Holm, Scand. J. Statist.
// 1979, 6:65–70): with p₍₁₎ ≤ … ≤ p₍ₖ₎ sorted (ties kept in input order),
// p̃₍ᵢ₎ = min(1, maxⱼ≤ᵢ (k − j + 1) p₍ⱼ₎), as R's p.adjust(method = "holm").
// It controls the family-wise error rate and is never less powerful than
// Bonferroni's.
func Holm(p []float64) []float64 {
	k := len(p)
	o := make([]int, k)
	for i := range o {
		o[i] = i
	}
	slices.SortStableFunc(o, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	adj := make([]float64, k)
	run := 0.0
	for i, j := range o {
		run = math.Max(run, float64(k-i)*p[j])
		adj[j] = math.Min(1, run)
	}
	return adj
}

// Bonferroni returns the Bonferroni adjusted p-values min(1, k·pᵢ) (Dunn,
// JASA 1961, 56:52–64), as R's p.adjust(method = "bonferroni").
func Bonferroni(p []float64) []float64 {
	adj := make([]float64, len(p))
	for i, v := range p {
		adj[i] = math.Min(1, float64(len(p))*v)
	}
	return adj
}

// UnpairedTest is DeLong's test of two AUCs from independent samples.
type UnpairedTest struct {
	// AUC1 and AUC2 are the AUCs of the two samples; Diff = AUC1 − AUC2.
	AUC1, AUC2, Diff float64
	// Var1 and Var2 are their DeLong variances; SE = √(Var1 + Var2).
	Var1, Var2, SE float64
	// T = Diff/SE, DF its Welch–Satterthwaite degrees of freedom and P the
	// two-sided p-value 2·F_t(−|T|; DF).
	T, DF, P float64
}

// UnpairedDeLong compares the AUCs of two independent samples, each with its
// own scores, truth and direction, as pROC's roc.test(method = "delong",
// paired = FALSE) does: the DeLong variances V₁, V₂ (DeLong et al. 1988) of
// each AUC give T = (θ₁ − θ₂)/√(V₁ + V₂), referred to a Student t
// distribution with the Welch–Satterthwaite-type degrees of freedom pROC uses
//
//	df = (V₁ + V₂)² / (V₁²/(N₁ − 1) + V₂²/(N₂ − 1)),
//
// N the total size of each sample (cases plus controls). When both
// variances are 0, T is 0 (equal AUCs, p = 1) or ±Inf (p = 0) and DF is
// +Inf.
func UnpairedDeLong(scores1 []float64, truth1 []bool, dir1 Direction, scores2 []float64, truth2 []bool, dir2 Direction) (UnpairedTest, error) {
	d1, err := NewDeLong([][]float64{scores1}, truth1, dir1)
	if err != nil {
		return UnpairedTest{}, fmt.Errorf("sample 1: %w", err)
	}
	d2, err := NewDeLong([][]float64{scores2}, truth2, dir2)
	if err != nil {
		return UnpairedTest{}, fmt.Errorf("sample 2: %w", err)
	}
	v1, v2 := d1.Var(0), d2.Var(0)
	n1, n2 := float64(len(truth1)), float64(len(truth2))
	t := UnpairedTest{AUC1: d1.AUC[0], AUC2: d2.AUC[0], Var1: v1, Var2: v2}
	t.Diff = t.AUC1 - t.AUC2
	t.SE = math.Sqrt(v1 + v2)
	t.T = ratioZ(t.Diff, t.SE)
	if v1+v2 == 0 {
		t.DF = math.Inf(1)
		t.P = twoSidedP(t.T)
		return t, nil
	}
	t.DF = (v1 + v2) * (v1 + v2) / (v1*v1/(n1-1) + v2*v2/(n2-1))
	t.P = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: t.DF}.CDF(-math.Abs(t.T))
	return t, nil
}
