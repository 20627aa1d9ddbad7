package roc

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// DeLong holds DeLong's nonparametric estimates for k scores measured on the
// same m cases and n controls (DeLong, DeLong & Clarke-Pearson, Biometrics
// 1988, 44:837–845).
//
// For score r, the placement of case i is V10ᵣ(i) = (1/n) Σⱼ ψ(Xᵣᵢ, Yᵣⱼ) and
// that of control j is V01ᵣ(j) = (1/m) Σᵢ ψ(Xᵣᵢ, Yᵣⱼ), ψ = 1 if the case
// scores higher, ½ if tied, 0 otherwise. The AUC is θᵣ = mean V10ᵣ = mean
// V01ᵣ, and its covariance matrix is
//
//	S = S10/m + S01/n,  S10ᵣₛ = Σᵢ (V10ᵣ(i) − θᵣ)(V10ₛ(i) − θₛ)/(m − 1),
//	                    S01ᵣₛ = Σⱼ (V01ᵣ(j) − θᵣ)(V01ₛ(j) − θₛ)/(n − 1)
//
// (DeLong et al. 1988; pROC's var, cov and roc.test). The
// placements come from mid-ranks as Sun & Xu (IEEE Signal Process. Lett.
// 2014, 21:1389–1393) showed: V10ᵣ(i) = (Tᵢ − Tˣᵢ)/n and
// V01ᵣ(j) = 1 − (Tⱼ − Tʸⱼ)/m, T the mid-rank in the pooled sample, Tˣ among
// the cases, Tʸ among the controls. All three ranks come from one sort of
// each score, so the cost is O(k N log N) for the sorts (O(kN) with the
// radix sort used for large N) plus O(k² N) for S.
type DeLong struct {
	// AUC[r] is θᵣ, the Mann–Whitney AUC of score r.
	AUC []float64
	// Cov is S, the k×k covariance matrix of the AUCs.
	Cov [][]float64
	// S10 and S01 are the covariance matrices of the case and the control
	// placements.
	S10, S01 [][]float64
	// Directions of the scores, as given.
	Directions []Direction
	// Cases (m) and Controls (n).
	Cases, Controls int
}

// parallelMin is the number of observations from which the scores are
// processed in parallel.
const parallelMin = 1 << 15

// NewDeLong computes the DeLong AUCs and covariance matrix of k ≥ 1 scores
// measured on the same observations, scores[r][i] being score r of
// observation i. dirs gives the direction of each score: none means
// CasesHigher for all, one applies to all, otherwise one per score. Every
// score is checked as the package checks input, and at least 2 cases and 2
// controls are needed. The result does not depend on GOMAXPROCS: scores are
// processed in parallel, each on its own.
func NewDeLong(scores [][]float64, truth []bool, dirs ...Direction) (*DeLong, error) {
	k := len(scores)
	dir, err := checkScores(scores, truth, dirs, checkVariance)
	if err != nil {
		return nil, err
	}
	m, n := countClasses(truth)
	// v[r][i]: the placement of observation i in score r, V10 for a case,
	// V01 for a control.
	v := make([][]float64, k)
	auc := make([]float64, k)
	one := func(r int) {
		v[r] = make([]float64, len(truth))
		auc[r] = placements(scores[r], truth, dir[r], m, n, v[r])
	}
	workers := min(k, runtime.GOMAXPROCS(0))
	if workers > 1 && len(truth) >= parallelMin {
		var wg sync.WaitGroup
		next := make(chan int)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for r := range next {
					one(r)
				}
			}()
		}
		for r := 0; r < k; r++ {
			next <- r
		}
		close(next)
		wg.Wait()
	} else {
		for r := 0; r < k; r++ {
			one(r)
		}
	}
	d := &DeLong{AUC: auc, Directions: dir, Cases: m, Controls: n, Cov: square(k)}
	d.S10, d.S01 = covPlacements(v, truth, auc, m, n)
	for r := 0; r < k; r++ {
		for s := 0; s < k; s++ {
			d.Cov[r][s] = d.S10[r][s]/float64(m) + d.S01[r][s]/float64(n)
		}
	}
	return d, nil
}

// checkScores checks k ≥ 1 score vectors against the truth with check
// (checkInput or checkVariance), naming the score when k > 1, and expands
// the directions (directions).
func checkScores(scores [][]float64, truth []bool, dirs []Direction, check func([]float64, []bool) error) ([]Direction, error) {
	k := len(scores)
	if k == 0 {
		return nil, fmt.Errorf("%w: no score vectors", ErrEmpty)
	}
	dir, err := directions(k, dirs)
	if err != nil {
		return nil, err
	}
	for r, s := range scores {
		if err := check(s, truth); err != nil {
			if k == 1 {
				return nil, err
			}
			return nil, fmt.Errorf("score %d: %w", r, err)
		}
	}
	return dir, nil
}

// directions expands the directions given to NewDeLong to one per score:
// none means CasesHigher for all, one applies to all, otherwise one per
// score.
func directions(k int, dirs []Direction) ([]Direction, error) {
	dir := make([]Direction, k)
	switch len(dirs) {
	case 0:
	case 1:
		for r := range dir {
			dir[r] = dirs[0]
		}
	case k:
		copy(dir, dirs)
	default:
		return nil, fmt.Errorf("%w: %d directions for %d scores", ErrLength, len(dirs), k)
	}
	return dir, nil
}

func square(k int) [][]float64 {
	a := make([][]float64, k)
	for r := range a {
		a[r] = make([]float64, k)
	}
	return a
}

// covPlacements returns S10 and S01: Σ (vᵣ(i) − θᵣ)(vₛ(i) − θₛ)/(m − 1)
// over the cases and the same over the n controls, for all r, s.
func covPlacements(v [][]float64, truth []bool, theta []float64, m, n int) (s10, s01 [][]float64) {
	k := len(v)
	s10, s01 = square(k), square(k)
	for r := 0; r < k; r++ {
		for s := 0; s <= r; s++ {
			a, b := v[r], v[s]
			tr, ts := theta[r], theta[s]
			sc, sk := 0.0, 0.0
			for i, t := range truth {
				p := (a[i] - tr) * (b[i] - ts)
				if t {
					sc += p
				} else {
					sk += p
				}
			}
			s10[r][s], s10[s][r] = sc/float64(m-1), sc/float64(m-1)
			s01[r][s], s01[s][r] = sk/float64(n-1), sk/float64(n-1)
		}
	}
	return s10, s01
}

// placements fills v with the placements of one score, V10 for the cases
// and V01 for the controls, from a single sort, walking the groups of tied
// scores (Sun & Xu 2014), and returns θ = mean V10, computed exactly in
// integers before the one final division.
func placements(x []float64, truth []bool, dir Direction, m, n int, v []float64) float64 {
	keys, idx, release := sortedOrder(x, truth)
	defer release()
	fm, fn := float64(m), float64(n)
	casesBelow, ctlBelow := 0, 0
	var twice uint64 // Σ over cases of 2·(controls below) + (controls tied)
	for i := 0; i < len(idx); {
		j := i
		c, d := 0, 0
		for j < len(idx) && keys[j] == keys[i] {
			if idx[j]&caseBit != 0 {
				c++
			} else {
				d++
			}
			j++
		}
		// Twice the controls under a case of this group (ties count ½)
		// and twice the cases over a control of it, in the score's
		// direction.
		var ctlUnder2, casesOver2 int
		if dir == CasesHigher {
			ctlUnder2 = 2*ctlBelow + d
			casesOver2 = 2*(m-casesBelow-c) + c
		} else {
			ctlUnder2 = 2*(n-ctlBelow-d) + d
			casesOver2 = 2*casesBelow + c
		}
		vc := float64(ctlUnder2) / (2 * fn)
		vk := float64(casesOver2) / (2 * fm)
		for g := i; g < j; g++ {
			o := idx[g]
			if o&caseBit != 0 {
				v[o&^caseBit] = vc
			} else {
				v[o] = vk
			}
		}
		twice += uint64(c) * uint64(ctlUnder2)
		casesBelow += c
		ctlBelow += d
		i = j
	}
	return float64(twice) / (2 * fm * fn)
}

// checkIndex checks a score index against the number of scores.
func (d *DeLong) checkIndex(r int) error {
	if r < 0 || r >= len(d.AUC) {
		return fmt.Errorf("%w: score index %d out of range [0, %d)", ErrParameter, r, len(d.AUC))
	}
	return nil
}

// checkLevel checks a confidence level.
func checkLevel(level float64) error {
	if !(level > 0 && level < 1) {
		return fmt.Errorf("%w: confidence level %v is not in (0, 1)", ErrParameter, level)
	}
	return nil
}

// Var returns the DeLong variance of AUC r, S[r][r] (pROC's var(roc)). Like
// indexing AUC, it panics for r outside [0, k).
func (d *DeLong) Var(r int) float64 { return d.Cov[r][r] }

// SE returns the DeLong standard error of AUC r, √S[r][r]. Like indexing
// AUC, it panics for r outside [0, k).
func (d *DeLong) SE(r int) float64 { return math.Sqrt(d.Cov[r][r]) }

// zCrit returns the two-sided critical value Φ⁻¹(1 − (1 − level)/2).
func zCrit(level float64) float64 {
	return distuv.UnitNormal.Quantile(1 - (1-level)/2)
}

// CI returns the normal-theory confidence interval of AUC r at the given
// level (0.95 for 95%), θ ± z₁₋α/₂ · SE, clipped to [0, 1] as pROC's
// ci.auc(method = "delong") does (DeLong et al. 1988).
func (d *DeLong) CI(r int, level float64) ([2]float64, error) {
	if err := d.checkIndex(r); err != nil {
		return [2]float64{}, err
	}
	if err := checkLevel(level); err != nil {
		return [2]float64{}, err
	}
	return normalCI(d.AUC[r], d.SE(r), level), nil
}

// normalCI is θ ± z·se clipped to [0, 1].
func normalCI(theta, se, level float64) [2]float64 {
	z := zCrit(level)
	lo, hi := theta-z*se, theta+z*se
	return [2]float64{math.Max(lo, 0), math.Min(hi, 1)}
}

// CILogit returns the confidence interval of AUC r at the given level built
// on the logit scale and transformed back, which stays inside (0, 1) and is
// asymmetric near the bounds (the delta method on the logit scale; Pepe,
// The Statistical Evaluation of Medical Tests for Classification and
// Prediction, 2003):
//
//	expit( logit θ ± z₁₋α/₂ · SE / (θ(1 − θ)) ).
//
// For θ = 0 or 1 (where SE = 0) it is [θ, θ].
func (d *DeLong) CILogit(r int, level float64) ([2]float64, error) {
	if err := d.checkIndex(r); err != nil {
		return [2]float64{}, err
	}
	if err := checkLevel(level); err != nil {
		return [2]float64{}, err
	}
	th := d.AUC[r]
	if th <= 0 || th >= 1 {
		return [2]float64{th, th}, nil
	}
	z := zCrit(level)
	l := math.Log(th / (1 - th))
	h := z * d.SE(r) / (th * (1 - th))
	expit := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	return [2]float64{expit(l - h), expit(l + h)}, nil
}

// AUCTest is the result of a test of one AUC against a given value.
type AUCTest struct {
	AUC, Null, SE float64
	// Z = (AUC − Null)/SE and its two-sided p-value 2Φ(−|Z|).
	Z, P float64
}

// TestAUC tests H₀: θᵣ = null (0.5 for "no better than chance") with the
// DeLong standard error: Z = (θ̂ᵣ − null)/SE, two-sided p = 2Φ(−|Z|)
// (DeLong et al. 1988; Hanley & McNeil, Radiology 1982, 143:29–36, for the
// normal approximation). pROC has no such test. With SE = 0, Z is 0 when
// θ̂ᵣ = null and ±Inf otherwise.
func (d *DeLong) TestAUC(r int, null float64) (AUCTest, error) {
	if err := d.checkIndex(r); err != nil {
		return AUCTest{}, err
	}
	if !(null >= 0 && null <= 1) {
		return AUCTest{}, fmt.Errorf("%w: null AUC %v is not in [0, 1]", ErrParameter, null)
	}
	se := d.SE(r)
	z := ratioZ(d.AUC[r]-null, se)
	return AUCTest{AUC: d.AUC[r], Null: null, SE: se, Z: z, P: twoSidedP(z)}, nil
}

// ratioZ is diff/se, with 0/0 = 0 (pROC's delong.paired.test).
func ratioZ(diff, se float64) float64 {
	if se == 0 && diff == 0 {
		return 0
	}
	return diff / se
}

// twoSidedP is 2Φ(−|z|).
func twoSidedP(z float64) float64 {
	return 2 * distuv.UnitNormal.CDF(-math.Abs(z))
}
