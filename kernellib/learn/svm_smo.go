package learn

import (
	"fmt"
	"math"
)

// smoTau replaces a non-positive curvature a_ij in the two-variable
// sub-problem (LIBSVM's TAU).
const smoTau = 1e-12

// smoResult is the solution of the C-SVC dual.
type smoResult struct {
	alpha []float64 // 0 ≤ α_i ≤ C
	rho   float64   // f(x) = Σ α_i y_i K(x_i, x) − ρ
	iter  int
}

// smoSolve solves the soft-margin SVM dual
//
//	min_α ½ αᵀQα − eᵀα   subject to  yᵀα = 0,  0 ≤ α_i ≤ C,
//
// with Q_ij = y_i y_j K_ij and y_i = ±1, by sequential minimal optimisation
// with the second-order working-set selection of Fan, Chen & Lin (2005),
// "Working set selection using second order information for training
// support vector machines", JMLR 6:1889–1918, Algorithm WSS 2, exactly as in
// LIBSVM's Solver (Chang & Lin 2011, §4.1). It stops when the maximal
// violating pair's gap m(α) − M(α) falls below eps (LIBSVM -e), and computes
// ρ as the mean of y_i∇_i f over free variables, or the midpoint of the
// feasible interval when none is free (Chang & Lin 2011, §4.1.5). No
// shrinking: it changes the path, not the solution.
func smoSolve(k *kernelRows, y []float64, C, eps float64, maxIter int) (smoResult, error) {
	n := k.n
	alpha := make([]float64, n)
	G := make([]float64, n) // ∇f(α) = Qα − e
	for i := range G {
		G[i] = -1
	}
	upper := func(t int) bool { return alpha[t] >= C }
	lower := func(t int) bool { return alpha[t] <= 0 }
	iter := 0
	for ; ; iter++ {
		// Working-set selection (WSS 2).
		gmax, gmax2 := math.Inf(-1), math.Inf(-1)
		i, j := -1, -1
		for t := range n {
			if y[t] > 0 {
				if !upper(t) && -G[t] >= gmax {
					gmax, i = -G[t], t
				}
			} else if !lower(t) && G[t] >= gmax {
				gmax, i = G[t], t
			}
		}
		var Ki []float64
		if i >= 0 {
			Ki = k.row(i)
		}
		objMin := math.Inf(1)
		for t := range n {
			var diff float64
			if y[t] > 0 {
				if lower(t) {
					continue
				}
				diff = gmax + G[t]
				if G[t] >= gmax2 {
					gmax2 = G[t]
				}
			} else {
				if upper(t) {
					continue
				}
				diff = gmax - G[t]
				if -G[t] >= gmax2 {
					gmax2 = -G[t]
				}
			}
			if diff > 0 {
				a := k.diag[i] + k.diag[t] - 2*Ki[t]
				if a <= 0 {
					a = smoTau
				}
				if obj := -diff * diff / a; obj <= objMin {
					j, objMin = t, obj
				}
			}
		}
		if gmax+gmax2 < eps || j < 0 {
			break
		}
		if iter >= maxIter {
			return smoResult{}, fmt.Errorf("%w: SVM MaxIter = %d reached with KKT gap %.3g > Tol = %g",
				ErrParameter, maxIter, gmax+gmax2, eps)
		}

		// Two-variable update with clipping to the box (LIBSVM Solver::Solve).
		Ki = k.row(i)
		Kj := k.row(j)
		a := k.diag[i] + k.diag[j] - 2*Ki[j]
		if a <= 0 {
			a = smoTau
		}
		oldI, oldJ := alpha[i], alpha[j]
		if y[i] != y[j] {
			delta := (-G[i] - G[j]) / a
			diff := alpha[i] - alpha[j]
			alpha[i] += delta
			alpha[j] += delta
			if diff > 0 {
				if alpha[j] < 0 {
					alpha[j], alpha[i] = 0, diff
				}
			} else if alpha[i] < 0 {
				alpha[i], alpha[j] = 0, -diff
			}
			if diff > 0 { // C_i − C_j = 0
				if alpha[i] > C {
					alpha[i], alpha[j] = C, C-diff
				}
			} else if alpha[j] > C {
				alpha[j], alpha[i] = C, C+diff
			}
		} else {
			delta := (G[i] - G[j]) / a
			sum := alpha[i] + alpha[j]
			alpha[i] -= delta
			alpha[j] += delta
			if sum > C {
				if alpha[i] > C {
					alpha[i], alpha[j] = C, sum-C
				}
			} else if alpha[j] < 0 {
				alpha[j], alpha[i] = 0, sum
			}
			if sum > C {
				if alpha[j] > C {
					alpha[j], alpha[i] = C, sum-C
				}
			} else if alpha[i] < 0 {
				alpha[i], alpha[j] = 0, sum
			}
		}
		// ∇_t += Q_ti Δα_i + Q_tj Δα_j, with Q_ti = y_t y_i K_ti.
		di := y[i] * (alpha[i] - oldI)
		dj := y[j] * (alpha[j] - oldJ)
		for t := range n {
			G[t] += y[t] * (Ki[t]*di + Kj[t]*dj)
		}
	}

	// ρ (LIBSVM Solver::calculate_rho).
	ub, lb := math.Inf(1), math.Inf(-1)
	var sumFree float64
	nFree := 0
	for t := range n {
		yG := y[t] * G[t]
		switch {
		case upper(t):
			if y[t] < 0 {
				ub = math.Min(ub, yG)
			} else {
				lb = math.Max(lb, yG)
			}
		case lower(t):
			if y[t] > 0 {
				ub = math.Min(ub, yG)
			} else {
				lb = math.Max(lb, yG)
			}
		default:
			nFree++
			sumFree += yG
		}
	}
	rho := (ub + lb) / 2
	if nFree > 0 {
		rho = sumFree / float64(nFree)
	}
	return smoResult{alpha: alpha, rho: rho, iter: iter}, nil
}
