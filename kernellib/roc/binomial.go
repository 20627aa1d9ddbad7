package roc

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// ErrParameter is wrapped by the errors for an invalid argument other than
// the data: a confidence level outside (0, 1), a count outside [0, n], a
// weight or a cut-off out of range.
var ErrParameter = errors.New("roc: invalid parameter")

// Proportion is X successes out of N trials with its estimate X/N and two
// confidence intervals at the level it was built with: the Wilson score
// interval (Wilson 1927) and the Clopper–Pearson exact interval (Clopper &
// Pearson 1934). With N = 0 the estimate and both intervals are NaN: the
// proportion is undefined (e.g. the PPV when no observation tests positive).
type Proportion struct {
	X, N   int
	Est    float64
	Wilson [2]float64
	Exact  [2]float64
}

// NewProportion returns the proportion x/n with its Wilson and
// Clopper–Pearson intervals at the given level (e.g. 0.95). n = 0 gives NaN
// estimate and intervals, not an error; x outside [0, n] or level outside
// (0, 1) is an error wrapping ErrParameter.
func NewProportion(x, n int, level float64) (Proportion, error) {
	if err := checkCount(x, n, level, true); err != nil {
		return Proportion{}, err
	}
	if n == 0 {
		nan := math.NaN()
		return Proportion{X: x, N: n, Est: nan, Wilson: [2]float64{nan, nan}, Exact: [2]float64{nan, nan}}, nil
	}
	p := Proportion{X: x, N: n, Est: float64(x) / float64(n)}
	p.Wilson[0], p.Wilson[1] = wilson(x, n, level)
	p.Exact[0], p.Exact[1] = clopperPearson(x, n, level)
	return p, nil
}

// WilsonCI returns the Wilson score interval for a binomial proportion
// (Wilson, J. Am. Stat. Assoc. 1927; Newcombe, Stat. Med. 1998, method 3),
// the set of π whose score test |p̂ − π| / √(π(1−π)/n) ≤ z accepts:
//
//	(p̂ + z²/2n ± z √(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n),
//
// with p̂ = x/n and z = Φ⁻¹((1+level)/2). It equals R's
// prop.test(x, n, correct = FALSE)$conf.int; the bounds are set to exactly 0
// when x = 0 and 1 when x = n, as prop.test does.
func WilsonCI(x, n int, level float64) (lo, hi float64, err error) {
	if err := checkCount(x, n, level, false); err != nil {
		return 0, 0, err
	}
	lo, hi = wilson(x, n, level)
	return lo, hi, nil
}

// ClopperPearsonCI returns the Clopper–Pearson "exact" interval for a
// binomial proportion (Clopper & Pearson, Biometrika 1934), by the Beta
// quantiles of its equivalence with the binomial tail:
//
//	lower = B⁻¹(α/2; x, n−x+1)  (0 when x = 0),
//	upper = B⁻¹(1−α/2; x+1, n−x) (1 when x = n),
//
// with α = 1 − level, as R's binom.test computes it.
func ClopperPearsonCI(x, n int, level float64) (lo, hi float64, err error) {
	if err := checkCount(x, n, level, false); err != nil {
		return 0, 0, err
	}
	lo, hi = clopperPearson(x, n, level)
	return lo, hi, nil
}

// checkCount validates a binomial count and a confidence level; allowZero
// accepts n = 0.
func checkCount(x, n int, level float64, allowZero bool) error {
	if err := checkConfLevel(level); err != nil {
		return err
	}
	if n < 0 || (n == 0 && !allowZero) {
		if n == 0 {
			return fmt.Errorf("%w: a proportion needs n > 0 trials", ErrEmpty)
		}
		return fmt.Errorf("%w: negative number of trials %d", ErrParameter, n)
	}
	if x < 0 || x > n {
		return fmt.Errorf("%w: %d successes out of %d trials", ErrParameter, x, n)
	}
	return nil
}

// checkConfLevel requires a confidence level strictly between 0 and 1.
func checkConfLevel(level float64) error {
	if !(level > 0 && level < 1) {
		return fmt.Errorf("%w: confidence level %v is not in (0, 1)", ErrParameter, level)
	}
	return nil
}

// zLevel is the two-sided normal quantile Φ⁻¹((1+level)/2).
func zLevel(level float64) float64 {
	return distuv.UnitNormal.Quantile((1 + level) / 2)
}

func wilson(x, n int, level float64) (lo, hi float64) {
	z := zLevel(level)
	nf := float64(n)
	p := float64(x) / nf
	z22n := z * z / (2 * nf)
	half := z * math.Sqrt(p*(1-p)/nf+z22n/(2*nf))
	den := 1 + 2*z22n
	lo, hi = (p+z22n-half)/den, (p+z22n+half)/den
	if x == 0 {
		lo = 0
	}
	if x == n {
		hi = 1
	}
	return math.Max(lo, 0), math.Min(hi, 1)
}

func clopperPearson(x, n int, level float64) (lo, hi float64) {
	alpha := (1 - level) / 2
	lo, hi = 0, 1
	if x > 0 {
		lo = distuv.Beta{Alpha: float64(x), Beta: float64(n - x + 1)}.Quantile(alpha)
	}
	if x < n {
		hi = distuv.Beta{Alpha: float64(x + 1), Beta: float64(n - x)}.Quantile(1 - alpha)
	}
	return lo, hi
}
