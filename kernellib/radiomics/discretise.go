package radiomics

import (
	"fmt"
	"math"
)

// Method is an intensity discretisation method (IBSI 2.7).
type Method int

// The discretisation methods.
const (
	// Identity uses the intensities as grey levels, unchanged: every intensity in the
	// intensity mask must be an integer ≥ 1, and N_g is the largest of them. This is
	// how the IBSI digital phantom is processed (IBSI 5.1: "no discretisation").
	Identity Method = iota
	// FixedBinNumber is IBSI's fixed bin number method (IBSI 2.7.1, "FBN"):
	//   X_d = ⌊N_g (X − X_min)/(X_max − X_min)⌋ + 1, and X_d = N_g when X = X_max,
	// with X_min and X_max the extremes of the intensity mask.
	FixedBinNumber
	// FixedBinSize is IBSI's fixed bin size method (IBSI 2.7.2, "FBS"):
	//   X_d = ⌊(X − X_min)/w_b⌋ + 1,
	// with X_min the lower bound of the re-segmentation range when it is finite, else the
	// smallest intensity of the intensity mask.
	//
	// PyRadiomics differs: its bin edges are multiples of w_b (X_d = ⌊X/w_b⌋ −
	// ⌊X_min/w_b⌋ + 1), so the two agree only when X_min is a multiple of w_b.
	// PyRadiomics' fixed bin count (binCount) is IBSI's FBN.
	FixedBinSize
)

// String returns IBSI's abbreviation of the method.
func (m Method) String() string {
	switch m {
	case Identity:
		return "none"
	case FixedBinNumber:
		return "FBN"
	case FixedBinSize:
		return "FBS"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// Discretisation is an intensity discretisation (IBSI 2.7).
type Discretisation struct {
	Method Method
	Bins   int     // FixedBinNumber: the number of bins N_g
	Width  float64 // FixedBinSize: the bin width w_b, in intensity units
}

// MaxGreyLevels is the largest number of grey levels Prepare accepts (a GLCM of N_g²
// cells takes 8 MB at this size); discretise images with more.
const MaxGreyLevels = 1024

func (d Discretisation) check() error {
	switch d.Method {
	case Identity:
	case FixedBinNumber:
		if d.Bins < 1 || d.Bins > MaxGreyLevels {
			return fmt.Errorf("%w: fixed bin number %d: want 1..%d", ErrInput, d.Bins, MaxGreyLevels)
		}
	case FixedBinSize:
		if !(d.Width > 0) || math.IsInf(d.Width, 0) {
			return fmt.Errorf("%w: fixed bin width %g: want a positive finite value", ErrInput, d.Width)
		}
	default:
		return fmt.Errorf("%w: discretisation method %d: want Identity, FixedBinNumber or FixedBinSize", ErrInput, int(d.Method))
	}
	return nil
}

// IsIntegerLevels reports whether every value is an integer ≥ 1, so that the values can
// be used as grey levels without discretisation (Identity).
func IsIntegerLevels(values []float64) bool {
	for _, x := range values {
		if x < 1 || x != math.Trunc(x) {
			return false
		}
	}
	return true
}

// discretise fills r.Level, r.Ng and r.LevelValue.
func (r *ROI) discretise(d Discretisation, reseg *Range) error {
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, in := range r.Int {
		if in {
			lo = min(lo, r.X[i])
			hi = max(hi, r.X[i])
		}
	}
	r.Level = make([]int32, len(r.X))
	r.method = d.Method
	switch d.Method {
	case Identity:
		if hi > MaxGreyLevels {
			return fmt.Errorf("%w: no discretisation: largest intensity %g exceeds %d grey levels", ErrInput, hi, MaxGreyLevels)
		}
		for i, in := range r.Int {
			if !in {
				continue
			}
			x := r.X[i]
			if x < 1 || x != math.Trunc(x) {
				return fmt.Errorf("%w: no discretisation needs integer intensities ≥ 1, found %g; use FixedBinNumber or FixedBinSize", ErrInput, x)
			}
			r.Level[i] = int32(x)
		}
		r.Ng = int(hi)
		r.LevelValue = make([]float64, r.Ng)
		for i := range r.LevelValue {
			r.LevelValue[i] = float64(i + 1)
		}
	case FixedBinNumber:
		ng := d.Bins
		for i, in := range r.Int {
			if !in {
				continue
			}
			l := 1
			if hi > lo {
				l = int(math.Floor(float64(ng)*(r.X[i]-lo)/(hi-lo))) + 1
				if l > ng {
					l = ng
				}
			}
			r.Level[i] = int32(l)
		}
		r.Ng = ng
		r.LevelValue = make([]float64, ng)
		for i := range r.LevelValue {
			r.LevelValue[i] = float64(i + 1)
		}
	case FixedBinSize:
		w := d.Width
		xmin := lo
		if reseg != nil && !math.IsInf(reseg.Min, 0) {
			xmin = reseg.Min
		}
		top := hi
		if reseg != nil && !math.IsInf(reseg.Max, 0) {
			top = reseg.Max
		}
		ngf := math.Floor((top-xmin)/w) + 1
		if ngf > MaxGreyLevels {
			return fmt.Errorf("%w: bin width %g over intensities %g..%g gives %.0f grey levels, more than %d", ErrInput, w, xmin, top, ngf, MaxGreyLevels)
		}
		ng := 0
		for i, in := range r.Int {
			if !in {
				continue
			}
			l := int(math.Floor((r.X[i]-xmin)/w)) + 1
			r.Level[i] = int32(l)
			ng = max(ng, l)
		}
		if reseg != nil && !math.IsInf(reseg.Max, 0) {
			ng = max(ng, int(ngf))
		}
		r.Ng = ng
		r.LevelValue = make([]float64, ng)
		for i := range r.LevelValue {
			r.LevelValue[i] = xmin + (float64(i)+0.5)*w
		}
	}
	return nil
}
