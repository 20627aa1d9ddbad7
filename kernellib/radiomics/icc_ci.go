package radiomics

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Agreement is an absolute-agreement ICC(2,1) with its confidence interval.
type Agreement struct {
	// ICC is ICC(2,1) (ICC21); CI its two-sided confidence interval.
	ICC float64
	CI  [2]float64
}

// ICC21CI returns ICC(2,1) of the n × k table x (ICC21: subjects × raters,
// two-way random effects, absolute agreement, single measure) with its
// two-sided confidence interval at level (e.g. 0.95), the interval of McGraw
// & Wong (Psychol Methods 1:30, 1996, Table 7, case 2A, ICC(A,1)) that Koo &
// Li (J Chiropr Med 15:155, 2016) ask to report with the estimate and that
// R's psych::ICC and irr::icc give:
//
//	a  = k ρ̂ / (n (1 − ρ̂)),   b = 1 + k ρ̂ (n − 1) / (n (1 − ρ̂)),
//	v  = (a MS_C + b MS_E)² / ((a MS_C)²/(k − 1) + (b MS_E)²/((n − 1)(k − 1))),
//	F* = F_{1−α/2}(n − 1, v),   F_* = F_{1−α/2}(v, n − 1),
//	lower = n (MS_R − F* MS_E) / (F* (k MS_C + (kn − k − n) MS_E) + n MS_R),
//	upper = n (F_* MS_R − MS_E) / (k MS_C + (kn − k − n) MS_E + n F_* MS_R),
//
// ρ̂ the ICC(2,1) estimate, v Satterthwaite's degrees of freedom, F_q the q
// quantile of the F distribution, the mean squares as in ICC31 and ICC21.
// When the raters agree exactly (MS_C = MS_E = 0, to rounding) the interval
// is [1, 1].
// A table without any variance is ErrICCUndefined.
func ICC21CI(x [][]float64, level float64) (Agreement, error) {
	if !(level > 0 && level < 1) {
		return Agreement{}, fmt.Errorf("%w: ICC(2,1) confidence level %g: want a number in (0, 1)", ErrInput, level)
	}
	ms, err := iccMeanSquares("ICC(2,1)", x)
	if err != nil {
		return Agreement{}, err
	}
	n, k := float64(ms.n), float64(ms.k)
	icc := (ms.r - ms.e) / (ms.r + (k-1)*ms.e + k*(ms.c-ms.e)/n)
	out := Agreement{ICC: icc, CI: [2]float64{math.NaN(), math.NaN()}}
	// Differences at rounding level count as none.
	if ms.e+ms.c <= 1e-24*ms.r {
		out.CI = [2]float64{1, 1}
		return out, nil
	}
	a := k * icc / (n * (1 - icc))
	b := 1 + k*icc*(n-1)/(n*(1-icc))
	v := (a*ms.c + b*ms.e) * (a*ms.c + b*ms.e) / ((a*ms.c)*(a*ms.c)/(k-1) + (b*ms.e)*(b*ms.e)/((n-1)*(k-1)))
	q := 1 - (1-level)/2
	if !(v > 0) || math.IsInf(v, 0) {
		return out, nil
	}
	fHi := distuv.F{D1: n - 1, D2: v}.Quantile(q)
	fLo := distuv.F{D1: v, D2: n - 1}.Quantile(q)
	w := k*ms.c + (k*n-k-n)*ms.e
	out.CI[0] = n * (ms.r - fHi*ms.e) / (fHi*w + n*ms.r)
	out.CI[1] = n * (fLo*ms.r - ms.e) / (w + n*fLo*ms.r)
	return out, nil
}
