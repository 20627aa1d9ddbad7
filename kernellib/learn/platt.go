package learn

import (
	"fmt"
	"math"
)

// Platt is a fitted Platt sigmoid, P(case | f) = 1 / (1 + exp(A·f + B)),
// mapping a decision value f to a probability (Platt 1999). A is negative
// when larger decision values mean cases.
type Platt struct {
	A, B float64
}

// Prob returns 1 / (1 + exp(A·f + B)), evaluated without overflow for
// either sign of A·f + B (Lin, Lin & Weng 2007, §3, "sigmoid_predict").
func (s Platt) Prob(f float64) float64 {
	z := s.A*f + s.B
	if z >= 0 {
		e := math.Exp(-z)
		return e / (1 + e)
	}
	return 1 / (1 + math.Exp(z))
}

// FitPlatt fits Platt's sigmoid to decision values f and labels y by
// maximum likelihood with Platt's prior-corrected targets t_i =
// (N₊+1)/(N₊+2) for cases and 1/(N₋+2) for controls (Platt 1999,
// "Probabilistic outputs for support vector machines and comparisons to
// regularized likelihood methods", §2.2), minimising
//
//	F(A, B) = −Σ_i [t_i log p_i + (1 − t_i) log(1 − p_i)],  p_i = 1/(1+exp(A f_i + B)),
//
// by Newton's method with backtracking line search and the numerically
// stable evaluation of Lin, Lin & Weng (2007), "A note on Platt's
// probabilistic outputs for support vector machines", Machine Learning
// 68:267–276, Algorithm 1 (the code LIBSVM's -b 1 runs): start A = 0,
// B = log((N₋+1)/(N₊+1)); Hessian + 1e-12·I; stop when both gradient
// components are below 1e-5 in absolute value; at most 100 iterations.
// Non-finite f, y of another length or one class only are errors.
func FitPlatt(f []float64, y []bool) (Platt, error) {
	if len(f) != len(y) {
		return Platt{}, fmt.Errorf("%w: %d decision values but %d labels", ErrShape, len(f), len(y))
	}
	var prior1, prior0 float64
	for i, v := range f {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Platt{}, fmt.Errorf("%w: decision value %d = %v", ErrNotFinite, i, v)
		}
		if y[i] {
			prior1++
		} else {
			prior0++
		}
	}
	if prior1 == 0 || prior0 == 0 {
		return Platt{}, fmt.Errorf("%w: %v cases among %d decision values", ErrOneClass, prior1, len(y))
	}
	const (
		maxIter = 100
		minStep = 1e-10
		sigma   = 1e-12
		eps     = 1e-5
	)
	hi, lo := (prior1+1)/(prior1+2), 1/(prior0+2)
	t := make([]float64, len(f))
	for i := range t {
		if y[i] {
			t[i] = hi
		} else {
			t[i] = lo
		}
	}
	objective := func(A, B float64) float64 {
		var s float64
		for i, fi := range f {
			z := fi*A + B
			if z >= 0 {
				s += t[i]*z + math.Log1p(math.Exp(-z))
			} else {
				s += (t[i]-1)*z + math.Log1p(math.Exp(z))
			}
		}
		return s
	}
	A, B := 0.0, math.Log((prior0+1)/(prior1+1))
	fval := objective(A, B)
	for range maxIter {
		h11, h22, h21, g1, g2 := sigma, sigma, 0.0, 0.0, 0.0
		for i, fi := range f {
			z := fi*A + B
			var p, q float64
			if z >= 0 {
				e := math.Exp(-z)
				p, q = e/(1+e), 1/(1+e)
			} else {
				e := math.Exp(z)
				p, q = 1/(1+e), e/(1+e)
			}
			d2 := p * q
			h11 += fi * fi * d2
			h22 += d2
			h21 += fi * d2
			d1 := t[i] - p
			g1 += fi * d1
			g2 += d1
		}
		if math.Abs(g1) < eps && math.Abs(g2) < eps {
			break
		}
		det := h11*h22 - h21*h21
		dA := -(h22*g1 - h21*g2) / det
		dB := -(-h21*g1 + h11*g2) / det
		gd := g1*dA + g2*dB
		step := 1.0
		for ; step >= minStep; step /= 2 {
			nA, nB := A+step*dA, B+step*dB
			if nf := objective(nA, nB); nf < fval+1e-4*step*gd {
				A, B, fval = nA, nB, nf
				break
			}
		}
		if step < minStep {
			break // no further decrease possible at double precision
		}
	}
	return Platt{A: A, B: B}, nil
}

// plattDecisions returns cross-validated decision values for Platt scaling,
// as LIBSVM's svm_binary_svc_probability: with fold[i] ∈ [0, k) the fold
// of row i (stratified and seeded in FitSVM, where LIBSVM shuffles), an SVM
// with the same C, γ and tolerance is fitted on each fold's complement, and
// every row gets the decision value of the model that did not see it. A
// complement holding one class gives +1 (all cases) or −1 (all controls),
// as in LIBSVM. The folds run in parallel; the result does not depend on
// the number of cores.
func plattDecisions(s SVM, gamma float64, X [][]float64, y []bool, fold []int, k int) ([]float64, error) {
	dec := make([]float64, len(y))
	errs := make([]error, k)
	forEachIndex(k, func(f int) {
		var train, test []int
		cases := 0
		for i, g := range fold {
			if g == f {
				test = append(test, i)
			} else {
				train = append(train, i)
				if y[i] {
					cases++
				}
			}
		}
		if len(test) == 0 {
			return
		}
		if cases == 0 || cases == len(train) {
			v := -1.0
			if cases > 0 {
				v = 1
			}
			for _, i := range test {
				dec[i] = v
			}
			return
		}
		m, err := s.solve(X, y, train, gamma)
		if err != nil {
			errs[f] = fmt.Errorf("Platt scaling, fold %d of %d: %w", f+1, k, err)
			return
		}
		for _, i := range test {
			dec[i] = m.decision(X[i])
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return dec, nil
}

// stratifiedFoldsSVM assigns each row to one of k folds: the cases and the
// controls are each shuffled (seeded) and dealt round-robin, so every fold
// holds ⌊·⌋ or ⌈·⌉ of each class.
func stratifiedFoldsSVM(y []bool, k int, seed uint64) []int {
	rng := streamRNG(seed, 0x706c617474) // "platt"
	fold := make([]int, len(y))
	var cases, controls []int
	for i, v := range y {
		if v {
			cases = append(cases, i)
		} else {
			controls = append(controls, i)
		}
	}
	next := 0
	for _, group := range [][]int{cases, controls} {
		rng.Shuffle(len(group), func(a, b int) { group[a], group[b] = group[b], group[a] })
		for _, i := range group {
			fold[i] = next % k
			next++
		}
	}
	return fold
}
