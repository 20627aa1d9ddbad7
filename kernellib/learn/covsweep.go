package learn

import "fmt"

// covScratch holds the buffers of covSweeps, reused across calls.
type covScratch struct {
	set   []int     // the active columns swept
	gram  []float64 // a × a weighted Gram matrix of the active columns
	wx    []float64 // a columns of wᵢ x_ij
	s     []float64 // (1/n) Σᵢ wᵢ x_ij: cross-term with the intercept
	q     []float64 // (1/n) Σᵢ x_ij rᵢ at the current solution
	delta []float64 // change of each active coefficient not yet applied to r and η
	at    []int     // scratch of newtonActiveGram
}

// covSweeps runs the sweeps over the active set of one IRLS quadratic
// (the inner loop of solve, until max v_j Δβ_j² / w̄ < Tol) with the
// covariance updates of Friedman, Hastie & Tibshirani (J Stat Softw 33:1,
// 2010, §2.2) applied to the weighted problem: with the Gram matrix
// G_jk = (1/n) Σᵢ wᵢ x_ij x_ik of the active columns, their
// intercept cross-terms s_j = (1/n) Σᵢ wᵢ x_ij and the inner products
// q_j = (1/n) Σᵢ x_ij rᵢ with the weighted working residual, a change d of
// β_j updates q_k −= G_kj d and Σr/n −= s_j d in O(a) operations instead of
// the O(n) of the naive update of r (a = active-set size, n = rows); r and
// η are brought up to date once, at the end (and before a Newton step).
// glmnet keeps naive updates for the logistic model because the weights
// change at every IRLS step, so G must be rebuilt there (O(a²n)); with the
// many active sweeps of a tight tolerance on a few dozen patients it still
// pays. The coordinate updates, their order, the soft-thresholding and the
// convergence test are those of sweep, so the iterates are the same in
// exact arithmetic (the tests compare against the naive sweeps).
func (f *logitProblem) covSweeps(lam, sw float64, newton *bool) error {
	n := f.n
	inv := 1 / float64(n)
	l1 := lam * f.alpha
	l2 := lam * (1 - f.alpha)
	l1s := l1 * (1 + 1e-10)
	cs := &f.cov
	A := append(cs.set[:0], f.active...)
	cs.set = A
	a := len(A)
	if cap(cs.gram) < a*a {
		cs.gram = make([]float64, a*a)
	}
	if cap(cs.wx) < a*n {
		cs.wx = make([]float64, a*n)
	}
	if cap(cs.s) < a {
		cs.s = make([]float64, a)
		cs.q = make([]float64, a)
		cs.delta = make([]float64, a)
	}
	G, wx := cs.gram[:a*a], cs.wx[:a*n]
	s, q, delta := cs.s[:a], cs.q[:a], cs.delta[:a]
	for ai, c := range A {
		col := f.x[c*n : (c+1)*n]
		dst := wx[ai*n : (ai+1)*n]
		sx := 0.0
		for i, x := range col {
			dst[i] = f.w[i] * x
			sx += dst[i]
		}
		s[ai] = sx * inv
		bi := 0
		for ; bi+4 <= ai; bi += 4 {
			v0, v1, v2, v3 := lrDot4(dst, f.x[A[bi]*n:(A[bi]+1)*n], f.x[A[bi+1]*n:(A[bi+1]+1)*n],
				f.x[A[bi+2]*n:(A[bi+2]+1)*n], f.x[A[bi+3]*n:(A[bi+3]+1)*n])
			for k, v := range [4]float64{v0, v1, v2, v3} {
				G[ai*a+bi+k] = v * inv
				G[(bi+k)*a+ai] = v * inv
			}
		}
		for ; bi < ai; bi++ {
			v := lrDot(dst, f.x[A[bi]*n:(A[bi]+1)*n]) * inv
			G[ai*a+bi] = v
			G[bi*a+ai] = v
		}
		// The diagonal is v_j itself, as in sweep.
		G[ai*a+ai] = f.v[c]
	}
	R := f.covSync(A, q, delta)
	b0 := 0.0 // intercept change not yet applied
	for inner := 1; ; inner++ {
		f.sweeps++
		if f.sweeps > f.maxIter {
			f.covApply(A, delta, b0)
			return fmt.Errorf("%w: %d coordinate-descent sweeps (MaxIter)", ErrNoConvergence, f.maxIter)
		}
		dlx := 0.0
		for ai, c := range A {
			vj := f.v[c]
			bj := f.beta[c]
			g := q[ai] + vj*bj
			nb := softThreshold(g, l1, l1s, vj+l2)
			if d := nb - bj; d != 0 {
				f.beta[c] = nb
				delta[ai] += d
				lrAxpy(-d, G[ai*a:(ai+1)*a], q)
				R -= s[ai] * d
				dlx = max(dlx, vj*d*d)
			}
		}
		if sw > 0 {
			if d := R / sw; d != 0 {
				f.b0 += d
				b0 += d
				for k, sk := range s {
					q[k] -= sk * d
				}
				R -= sw * d
				dlx = max(dlx, sw*d*d)
			}
		}
		if dlx/sw < f.tol {
			break
		}
		if *newton && inner%pathNewtonAfter == 0 && (a < n || l2 > 0) {
			f.covApply(A, delta, b0)
			b0 = 0
			*newton = f.newtonActiveGram(lam, sw, A, G, s)
			R = f.covSync(A, q, delta)
		}
	}
	f.covApply(A, delta, b0)
	return nil
}

// covSync sets q_j = (1/n) Σᵢ x_ij rᵢ for the active columns from the
// current residual, clears the pending changes, and returns (1/n) Σᵢ rᵢ.
func (f *logitProblem) covSync(A []int, q, delta []float64) float64 {
	n := f.n
	inv := 1 / float64(n)
	for ai, c := range A {
		q[ai] = lrDot(f.x[c*n:(c+1)*n], f.r) * inv
		delta[ai] = 0
	}
	R := 0.0
	for _, v := range f.r {
		R += v
	}
	return R * inv
}

// covApply applies the pending coefficient changes delta and intercept
// change d0 to the residual r and the linear predictor η, and clears them.
func (f *logitProblem) covApply(A []int, delta []float64, d0 float64) {
	n := f.n
	for ai, c := range A {
		if d := delta[ai]; d != 0 {
			lrUpdateResidual(f.x[c*n:(c+1)*n], f.w, f.r, f.eta, d)
			delta[ai] = 0
		}
	}
	if d0 != 0 {
		for i := range f.r {
			f.r[i] -= f.w[i] * d0
			f.eta[i] += d0
		}
	}
}

// lrAxpy is y += α·x over len(x), unrolled by four.
func lrAxpy(alpha float64, x, y []float64) {
	y = y[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		y[i] += alpha * x[i]
		y[i+1] += alpha * x[i+1]
		y[i+2] += alpha * x[i+2]
		y[i+3] += alpha * x[i+3]
	}
	for ; i < len(x); i++ {
		y[i] += alpha * x[i]
	}
}

// lrDot4 is the four inner products of a with b0…b3 (each of len(a)) in
// one pass over a, for the Gram matrix of covSweeps.
func lrDot4(a, b0, b1, b2, b3 []float64) (s0, s1, s2, s3 float64) {
	b0, b1, b2, b3 = b0[:len(a)], b1[:len(a)], b2[:len(a)], b3[:len(a)]
	for i, x := range a {
		s0 += x * b0[i]
		s1 += x * b1[i]
		s2 += x * b2[i]
		s3 += x * b3[i]
	}
	return
}
