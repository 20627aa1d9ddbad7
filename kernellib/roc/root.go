package roc

import (
	"fmt"
	"math"
)

// brentRoot returns a zero of f in [a, b], where f(a) and f(b) — given as fa
// and fb — have opposite signs (either may be ±Inf), by Brent's method
// (R. P. Brent, Algorithms for Minimization without Derivatives, 1973,
// ch. 4, procedure zero; the algorithm of R's uniroot): inverse quadratic or
// secant interpolation where it stays inside the bracket and shrinks it
// fast enough, bisection otherwise. It stops when the bracket is narrower
// than 4·eps·|x| + tol, or after 200 steps.
func brentRoot(f func(float64) float64, a, b, fa, fb, tol float64) (float64, error) {
	if math.IsNaN(fa) || math.IsNaN(fb) {
		return math.NaN(), fmt.Errorf("%w: f is NaN at an end of [%v, %v]", ErrParameter, a, b)
	}
	if fa == 0 {
		return a, nil
	}
	if fb == 0 {
		return b, nil
	}
	if (fa > 0) == (fb > 0) {
		return math.NaN(), fmt.Errorf("%w: f has the same sign at both ends of [%v, %v]", ErrParameter, a, b)
	}
	const eps = 0x1p-52
	c, fc := a, fa
	for range 200 {
		prev := b - a
		if math.Abs(fc) < math.Abs(fb) {
			// b is the best guess so far, c the other end of the bracket.
			a, b, c = b, c, b
			fa, fb, fc = fb, fc, fb
		}
		tolAct := 2*eps*math.Abs(b) + tol/2
		step := (c - b) / 2
		if math.Abs(step) <= tolAct || fb == 0 {
			return b, nil
		}
		if math.Abs(prev) >= tolAct && math.Abs(fa) > math.Abs(fb) && !math.IsInf(fa, 0) && !math.IsInf(fc, 0) {
			var p, q float64
			cb := c - b
			if a == c { // secant
				t1 := fb / fa
				p, q = cb*t1, 1-t1
			} else { // inverse quadratic interpolation
				qa, qb, t2 := fa/fc, fb/fc, fb/fa
				p = t2 * (cb*qa*(qa-qb) - (b-a)*(qb-1))
				q = (qa - 1) * (qb - 1) * (t2 - 1)
			}
			if p > 0 {
				q = -q
			} else {
				p = -p
			}
			if p < 0.75*cb*q-math.Abs(tolAct*q)/2 && p < math.Abs(prev*q/2) {
				step = p / q
			}
		}
		if math.Abs(step) < tolAct {
			step = math.Copysign(tolAct, step)
		}
		a, fa = b, fb
		b += step
		fb = f(b)
		if math.IsNaN(fb) {
			return math.NaN(), fmt.Errorf("%w: f is NaN at %v", ErrParameter, b)
		}
		if (fb > 0 && fc > 0) || (fb < 0 && fc < 0) {
			c, fc = a, fa
		}
	}
	return b, nil
}
