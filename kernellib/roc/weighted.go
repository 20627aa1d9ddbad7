package roc

import (
	"errors"
	"fmt"
	"math"
)

// ErrWeight: a case weight is negative, NaN or ±Inf.
var ErrWeight = errors.New("roc: invalid case weight")

// Weighted AUC, curve and DeLong variance (case weights, e.g. inverse
// sampling probabilities of a verification-biased or case–control sample).
//
// With weights wᵢ ≥ 0 the AUC is the weighted Mann–Whitney statistic
//
//	θ_w = Σᵢ Σⱼ wᵢ wⱼ ψ(Xᵢ, Yⱼ) / (W₁ W₀),   W₁ = Σᵢ wᵢ (cases), W₀ = Σⱼ wⱼ (controls),
//
// the estimator of scikit-learn's roc_auc_score(sample_weight = w), of the
// inverse-probability-weighted AUC of He, Lyness & McDermott (Stat. Med.
// 2009, 28:361–376) and of the survey-weighted AUC of Iparragirre, Barrio &
// Arostegui (Stat 2023, 12:e635). A zero weight leaves the observation out.

// checkWeights validates weights against n observations: same length, every
// weight finite and ≥ 0. It returns the number of positive weights.
func checkWeights(weights []float64, n int) (int, error) {
	if len(weights) != n {
		return 0, fmt.Errorf("%w: %d weights for %d observations", ErrLength, len(weights), n)
	}
	pos := 0
	for i, w := range weights {
		switch {
		case math.IsNaN(w) || math.IsInf(w, 0):
			return 0, fmt.Errorf("%w: weight %d is %v, expected a finite number ≥ 0", ErrWeight, i, w)
		case w < 0:
			return 0, fmt.Errorf("%w: weight %d is %v, expected ≥ 0 (0 leaves the observation out)", ErrWeight, i, w)
		case w > 0:
			pos++
		}
	}
	return pos, nil
}

// weightedInput is the input of the weighted functions once checked, with
// the observations of zero weight left out.
type weightedInput struct {
	scores [][]float64
	truth  []bool
	w      []float64
	dir    []Direction
	// m and n count the cases and controls of positive weight, wm and wn
	// sum their weights; zero counts the observations left out.
	m, n   int
	wm, wn float64
	zero   int
}

// prepareWeighted checks k score vectors, the truth and the weights as the
// package checks its input (indices in errors are those of the caller) and
// drops the observations of zero weight; dirs are expanded as for
// NewDeLong. minEach is the least number of
// positive-weight cases and of controls needed (1 for an AUC, 2 for a
// variance).
func prepareWeighted(scores [][]float64, truth []bool, weights []float64, dirs []Direction, minEach int) (*weightedInput, error) {
	dir, err := checkScores(scores, truth, dirs, checkInput)
	if err != nil {
		return nil, err
	}
	pos, err := checkWeights(weights, len(truth))
	if err != nil {
		return nil, err
	}
	in := &weightedInput{scores: make([][]float64, len(scores)), dir: dir, zero: len(truth) - pos}
	keep := func(i int) bool { return weights[i] > 0 }
	for i, t := range truth {
		if !keep(i) {
			continue
		}
		in.truth = append(in.truth, t)
		in.w = append(in.w, weights[i])
		if t {
			in.m++
			in.wm += weights[i]
		} else {
			in.n++
			in.wn += weights[i]
		}
	}
	for r, s := range scores {
		in.scores[r] = make([]float64, 0, pos)
		for i, v := range s {
			if keep(i) {
				in.scores[r] = append(in.scores[r], v)
			}
		}
	}
	if in.m < minEach || in.n < minEach {
		err := ErrTooFew
		if in.m == 0 || in.n == 0 {
			err = ErrOneClass
		}
		return nil, fmt.Errorf("%w: %d cases and %d controls of positive weight (%d of weight 0 left out), need at least %d of each",
			err, in.m, in.n, in.zero, minEach)
	}
	return in, nil
}

// weightedPlacements fills v with the weighted placements of one score,
// V10(i) = Σⱼ wⱼ ψ(Xᵢ, Yⱼ)/W₀ for a case and V01(j) = Σᵢ wᵢ ψ(Xᵢ, Yⱼ)/W₁
// for a control, and returns θ_w = Σᵢ wᵢ V10(i)/W₁. Like placements, from
// one sort, walking the groups of tied scores with the weights of the cases
// and controls below: O(N log N).
func weightedPlacements(x []float64, truth []bool, w []float64, dir Direction, wm, wn float64, v []float64) float64 {
	keys, idx, release := sortedOrder(x, truth)
	defer release()
	casesBelow, ctlBelow := 0.0, 0.0
	sum := 0.0 // Σ over cases of wᵢ · (control weight under it)
	for i := 0; i < len(idx); {
		j := i
		c, d := 0.0, 0.0 // case and control weight of this group of ties
		for j < len(idx) && keys[j] == keys[i] {
			if o := idx[j]; o&caseBit != 0 {
				c += w[o&^caseBit]
			} else {
				d += w[o]
			}
			j++
		}
		var ctlUnder, casesOver float64 // ties count ½
		if dir == CasesHigher {
			ctlUnder = ctlBelow + d/2
			casesOver = (wm - casesBelow - c) + c/2
		} else {
			ctlUnder = (wn - ctlBelow - d) + d/2
			casesOver = casesBelow + c/2
		}
		for g := i; g < j; g++ {
			if o := idx[g]; o&caseBit != 0 {
				v[o&^caseBit] = ctlUnder / wn
			} else {
				v[o] = casesOver / wm
			}
		}
		sum += c * ctlUnder
		casesBelow += c
		ctlBelow += d
		i = j
	}
	return sum / (wm * wn)
}

// WeightedAUC returns the weighted AUC θ_w = Σᵢ Σⱼ wᵢ wⱼ ψ(Xᵢ, Yⱼ) / (W₁ W₀)
// of one score, i cases and j controls, ψ = 1 if the case scores higher, ½
// if tied, 0 otherwise: scikit-learn's roc_auc_score(y, s, sample_weight = w)
// (and the area under NewWeightedCurve). Weights must be finite and ≥ 0; a
// weight of 0 leaves the observation out; at least one case and one control
// of positive weight are needed. O(N log N).
func WeightedAUC(scores []float64, truth []bool, weights []float64, dir Direction) (float64, error) {
	in, err := prepareWeighted([][]float64{scores}, truth, weights, []Direction{dir}, 1)
	if err != nil {
		return 0, err
	}
	v := make([]float64, len(in.truth))
	return weightedPlacements(in.scores[0], in.truth, in.w, dir, in.wm, in.wn, v), nil
}

// NewWeightedCurve builds the weighted empirical ROC curve: the thresholds of
// NewCurve, with the counts of cases and controls replaced by their weights,
//
//	Se(t) = Σ{wᵢ : case i, score ≥ t} / W₁,   Sp(t) = Σ{wⱼ : control j, score < t} / W₀
//
// (CasesHigher), the points of scikit-learn's roc_curve(sample_weight = w,
// drop_intermediate = False). Observations of weight 0 are left out before
// the thresholds are chosen, as scikit-learn does; Cases and Controls count
// those of positive weight. Its trapezoidal area is WeightedAUC.
func NewWeightedCurve(scores []float64, truth []bool, weights []float64, dir Direction) (*Curve, error) {
	in, err := prepareWeighted([][]float64{scores}, truth, weights, []Direction{dir}, 1)
	if err != nil {
		return nil, err
	}
	keys, idx, release := sortedOrder(in.scores[0], in.truth)
	defer release()
	return curveFromOrder(in.m, in.n, dir, keys, idx, in.w), nil
}

// WeightedDeLong is DeLong's estimate for k scores of the same weighted
// observations. Its DeLong holds the weighted AUCs and their covariance
// matrix, so that its CI, CILogit, TestAUC, Paired and Pairwise work as for
// the unweighted estimate; Cases and Controls count the observations of
// positive weight.
type WeightedDeLong struct {
	DeLong
	// CaseWeight (W₁) and ControlWeight (W₀) are the sums of the weights.
	CaseWeight, ControlWeight float64
	// Excluded counts the observations of weight 0, left out.
	Excluded int
}

// NewWeightedDeLong computes the weighted AUCs of k ≥ 1 scores (WeightedAUC)
// and their covariance matrix from the weighted placements V10 and V01
// (weightedPlacements):
//
//	Sᵣₛ = m/(m−1) Σᵢ wᵢ² (V10ᵣ(i) − θᵣ)(V10ₛ(i) − θₛ) / W₁²
//	    + n/(n−1) Σⱼ wⱼ² (V01ᵣ(j) − θᵣ)(V01ₛ(j) − θₛ) / W₀²,
//
// m and n the cases and controls of positive weight. It is the Taylor
// linearisation (sandwich) variance of a ratio of weighted sums under
// with-replacement sampling of the cases and of the controls (Binder, Int.
// Stat. Rev. 1983, 51:279–292; Wolter, Introduction to Variance
// Estimation, 2nd ed. 2007, ch. 6), the influence terms of the weighted
// Mann–Whitney statistic being its weighted placements (as in Lumley &
// Scott, Biometrika 2013, 100:831–842, for rank tests under complex
// sampling). No published weighted-DeLong formula in exactly this form was
// found; it is validated by simulation in the tests (its mean over
// replicates against the empirical variance of θ_w). With equal weights it
// is DeLong's covariance (DeLong, DeLong & Clarke-Pearson 1988) exactly: the
// m/(m−1) factor is DeLong's 1/(m−1).
//
// The weights are sampling weights (an observation stands for w of the
// population), not frequencies: integer weights give the AUC and the
// placements of the data with each row repeated w times, but not its DeLong
// variance, which counts Σw observations instead of m + n.
//
// In the embedded DeLong, S10 and S01 are the two sums above scaled so that
// Cov = S10/m + S01/n as for DeLong. Directions are given as for NewDeLong.
func NewWeightedDeLong(scores [][]float64, truth []bool, weights []float64, dirs ...Direction) (*WeightedDeLong, error) {
	k := len(scores)
	in, err := prepareWeighted(scores, truth, weights, dirs, 2)
	if err != nil {
		return nil, err
	}
	dir := in.dir
	auc := make([]float64, k)
	v := make([][]float64, k)
	for r := range scores {
		v[r] = make([]float64, len(in.truth))
		auc[r] = weightedPlacements(in.scores[r], in.truth, in.w, dir[r], in.wm, in.wn, v[r])
		// Scale the deviations so that covPlacements' Σ(·)(·)/(m − 1)
		// is m · m/(m−1) Σ wᵢ²(·)(·)/W₁² (and likewise for controls).
		for i, t := range in.truth {
			f := float64(in.n) * in.w[i] / in.wn
			if t {
				f = float64(in.m) * in.w[i] / in.wm
			}
			v[r][i] = auc[r] + f*(v[r][i]-auc[r])
		}
	}
	d := &WeightedDeLong{DeLong: DeLong{AUC: auc, Directions: dir, Cases: in.m, Controls: in.n, Cov: square(k)},
		CaseWeight: in.wm, ControlWeight: in.wn, Excluded: in.zero}
	d.S10, d.S01 = covPlacements(v, in.truth, auc, in.m, in.n)
	for r := 0; r < k; r++ {
		for s := 0; s < k; s++ {
			d.Cov[r][s] = d.S10[r][s]/float64(in.m) + d.S01[r][s]/float64(in.n)
		}
	}
	return d, nil
}
