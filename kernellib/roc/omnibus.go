package roc

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// ContrastTest is DeLong's χ² test of a set of contrasts of k correlated
// AUCs, H₀: Lθ = 0.
type ContrastTest struct {
	// L is the p×k contrast matrix and Estimate = Lθ̂.
	L        [][]float64
	Estimate []float64
	// Chi2 = (Lθ̂)ᵀ (L S Lᵀ)⁺ (Lθ̂), DF = rank(L S Lᵀ) and P = P(χ²_DF ≥
	// Chi2).
	Chi2 float64
	DF   int
	P    float64
}

// Contrast tests H₀: Lθ = 0 for a p×k matrix L of contrasts (each row sums
// to 0) of the k AUCs with DeLong's statistic
//
//	χ² = (Lθ̂)ᵀ (L S Lᵀ)⁻¹ (Lθ̂),  referred to χ² with rank(L S Lᵀ) df
//
// (DeLong, DeLong & Clarke-Pearson, Biometrics 1988, 44:837–845, §3). When
// L S Lᵀ is singular — two scores with identical placements, such as a
// score given twice, make a contrast with no variance — the inverse is the
// Moore–Penrose pseudo-inverse and the degrees of freedom are the rank of
// L S Lᵀ: the test is then the test of the contrasts that vary. An
// eigenvalue of L S Lᵀ counts as 0 at or below 4p·ε·‖L‖²·maxᵣ Sᵣᵣ (the
// rounding of its entries; ε the float64 epsilon, ‖L‖ the largest row sum
// of |Lᵢⱼ|). A contrast with no variance but a non-zero estimate (beyond
// rounding, 64k·ε·‖L‖) makes χ² = +Inf and p = 0, as
// Paired makes z = ±Inf; with no varying contrast at all and a zero
// estimate, χ² = 0, DF = 0 and p = 1.
func (d *DeLong) Contrast(L [][]float64) (ContrastTest, error) {
	k := len(d.AUC)
	if len(L) == 0 {
		return ContrastTest{}, fmt.Errorf("%w: contrast matrix has no rows", ErrParameter)
	}
	sMax := 0.0
	for r := 0; r < k; r++ {
		sMax = math.Max(sMax, d.Cov[r][r])
	}
	norm := 0.0
	for i, row := range L {
		if len(row) != k {
			return ContrastTest{}, fmt.Errorf("%w: contrast row %d has %d coefficients for %d AUCs", ErrLength, i, len(row), k)
		}
		sum, abs := 0.0, 0.0
		for _, c := range row {
			if math.IsNaN(c) || math.IsInf(c, 0) {
				return ContrastTest{}, fmt.Errorf("%w: contrast row %d has coefficient %v", ErrParameter, i, c)
			}
			sum += c
			abs += math.Abs(c)
		}
		if abs == 0 || math.Abs(sum) > 1e-12*abs {
			return ContrastTest{}, fmt.Errorf("%w: contrast row %d sums to %v, a contrast's coefficients sum to 0 and are not all 0", ErrParameter, i, sum)
		}
		norm = math.Max(norm, abs)
	}
	p := len(L)
	// M = L S, then V = M Lᵀ.
	est := make([]float64, p)
	V := mat.NewSymDense(p, nil)
	M := make([][]float64, p)
	for i := range M {
		M[i] = make([]float64, k)
		for s := 0; s < k; s++ {
			for r, c := range L[i] {
				M[i][s] += c * d.Cov[r][s]
			}
		}
		for r, c := range L[i] {
			est[i] += c * d.AUC[r]
		}
	}
	for i := 0; i < p; i++ {
		for j := 0; j <= i; j++ {
			v := 0.0
			for s, c := range L[j] {
				v += M[i][s] * c
			}
			V.SetSym(i, j, v)
		}
	}
	chi2, df := pseudoQuadratic(V, est, 4*float64(p)*eps*norm*norm*sMax, 64*float64(k)*eps*norm)
	t := ContrastTest{L: L, Estimate: est, Chi2: chi2, DF: df}
	switch {
	case math.IsInf(chi2, 1):
		t.P = 0
	case df == 0:
		t.P = 1
	default:
		t.P = distuv.ChiSquared{K: float64(df)}.Survival(chi2)
	}
	return t, nil
}

// eps is the float64 machine epsilon, 2⁻⁵².
const eps = 0x1p-52

// pseudoQuadratic returns yᵀV⁺y and the rank of the symmetric matrix V
// from its eigendecomposition V = Σ λᵢuᵢuᵢᵀ: eigenvalues at or below tolV
// count as 0; χ² = Σ (uᵢᵀy)²/λᵢ over the others, or +Inf when y has a
// component above tolY along an eigenvector of a zero eigenvalue.
func pseudoQuadratic(V *mat.SymDense, y []float64, tolV, tolY float64) (chi2 float64, rank int) {
	p := len(y)
	if p == 1 {
		// One contrast: no decomposition, so that k = 2 is y²/v exactly.
		v := V.At(0, 0)
		if v > tolV {
			return y[0] * y[0] / v, 1
		}
		if math.Abs(y[0]) > tolY {
			return math.Inf(1), 0
		}
		return 0, 0
	}
	var eig mat.EigenSym
	if !eig.Factorize(V, true) {
		return math.NaN(), 0
	}
	lambda := eig.Values(nil)
	var U mat.Dense
	eig.VectorsTo(&U)
	inf := false
	for i, l := range lambda {
		u := 0.0
		for j := 0; j < p; j++ {
			u += U.At(j, i) * y[j]
		}
		if l > tolV {
			chi2 += u * u / l
			rank++
		} else if math.Abs(u) > tolY {
			inf = true
		}
	}
	if inf {
		return math.Inf(1), rank
	}
	return chi2, rank
}

// SuccessiveDifferences returns the (k−1)×k contrast matrix of the
// differences of consecutive AUCs, θ₁ − θ₂, θ₂ − θ₃, …, θₖ₋₁ − θₖ: a
// full-rank L whose null space is the line θ₁ = … = θₖ (DeLong et al.
// 1988, §3). Any other full-rank L with that null space gives the same χ².
func SuccessiveDifferences(k int) [][]float64 {
	L := make([][]float64, max(k-1, 0))
	for i := range L {
		L[i] = make([]float64, k)
		L[i][i], L[i][i+1] = 1, -1
	}
	return L
}

// Omnibus tests H₀: θ₁ = θ₂ = … = θₖ, that the k ≥ 2 correlated AUCs are
// all equal, with DeLong's χ² statistic on the successive differences
// (Contrast with L = SuccessiveDifferences(k); DeLong et al. 1988, §3). DF
// is k − 1 unless some scores have identical placements (see Contrast).
// For k = 2 the statistic is Paired's z² and p is the same. pROC has no
// such test (its roc.test compares two curves). It is the gatekeeper of a
// table of pairwise tests: test all k first, then the pairs.
func (d *DeLong) Omnibus() (ContrastTest, error) {
	k := len(d.AUC)
	if k < 2 {
		return ContrastTest{}, fmt.Errorf("%w: the omnibus test compares k ≥ 2 AUCs, got %d", ErrParameter, k)
	}
	return d.Contrast(SuccessiveDifferences(k))
}

// OmnibusDeLong is DeLong's omnibus test of k ≥ 2 scores of the same
// observations: NewDeLong(scores, truth, dirs...) followed by Omnibus. Its
// cost is that of NewDeLong, O(k N log N + k² N), and O(k³) for the test.
func OmnibusDeLong(scores [][]float64, truth []bool, dirs ...Direction) (ContrastTest, error) {
	if len(scores) == 1 {
		return ContrastTest{}, fmt.Errorf("%w: the omnibus test compares k ≥ 2 AUCs, got 1 score", ErrParameter)
	}
	d, err := NewDeLong(scores, truth, dirs...)
	if err != nil {
		return ContrastTest{}, err
	}
	return d.Omnibus()
}
