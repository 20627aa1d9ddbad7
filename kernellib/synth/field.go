package synth

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
)

// gaussKernel returns exp(−k²/(2σ²)) for k = −⌈3σ⌉..⌈3σ⌉, normalised to sum 1
// (unitSum) or to sum of squares 1 (otherwise). σ ≤ 0 gives the identity.
func gaussKernel(sigma float64, unitSum bool) []float64 {
	if sigma <= 0 {
		return []float64{1}
	}
	r := int(math.Ceil(3 * sigma))
	k := make([]float64, 2*r+1)
	var s float64
	for i := range k {
		x := float64(i - r)
		k[i] = math.Exp(-x * x / (2 * sigma * sigma))
		if unitSum {
			s += k[i]
		} else {
			s += k[i] * k[i]
		}
	}
	if !unitSum {
		s = math.Sqrt(s)
	}
	for i := range k {
		k[i] /= s
	}
	return k
}

// convValid convolves src (sw×sh, row-major) with kx along x and ky along y
// and writes the valid part, (sw−len(kx)+1)×(sh−len(ky)+1), to dst. tmp must
// hold (sw−len(kx)+1)·sh values. The products and sums are gonum's vector
// kernels (SIMD), each element a·x then + y as a plain loop rounds them.
func convValid(dst, src []float64, sw, sh int, kx, ky, tmp []float64) {
	ow, oh := sw-len(kx)+1, sh-len(ky)+1
	for y := 0; y < sh; y++ {
		row := src[y*sw : (y+1)*sw]
		out := tmp[y*ow : (y+1)*ow]
		floats.ScaleTo(out, kx[0], row[:ow])
		for i := 1; i < len(kx); i++ {
			floats.AddScaled(out, kx[i], row[i:i+ow])
		}
	}
	for y := 0; y < oh; y++ {
		out := dst[y*ow : (y+1)*ow]
		floats.ScaleTo(out, ky[0], tmp[y*ow:(y+1)*ow])
		for i := 1; i < len(ky); i++ {
			floats.AddScaled(out, ky[i], tmp[(y+i)*ow:(y+i+1)*ow])
		}
	}
}

// blurSame convolves f (w×h) in place with the normalised Gaussian of
// standard deviation sigma pixels, edges extended by replication.
func blurSame(f []float64, w, h int, sigma float64) {
	if sigma <= 0 {
		return
	}
	k := gaussKernel(sigma, true)
	r := len(k) / 2
	pw, ph := w+2*r, h+2*r
	pad := make([]float64, pw*ph)
	for y := 0; y < ph; y++ {
		sy := min(max(y-r, 0), h-1)
		for x := 0; x < pw; x++ {
			sx := min(max(x-r, 0), w-1)
			pad[y*pw+x] = f[sy*w+sx]
		}
	}
	convValid(f, pad, pw, ph, k, k, make([]float64, w*ph))
}

// smoothField returns a w×h Gaussian random field with a Gaussian
// autocorrelation of length sigma pixels: white noise blurred by a Gaussian
// kernel (valid part of a padded grid, so no edge effects), then standardised
// to mean 0 and standard deviation 1 over the pixels where sel is true (all
// pixels when sel is nil).
func smoothField(r *rand.Rand, w, h int, sigma float64, sel []bool) []float64 {
	k := gaussKernel(sigma, true)
	pw, ph := w+len(k)-1, h+len(k)-1
	noise := make([]float64, pw*ph)
	for i := range noise {
		noise[i] = r.NormFloat64()
	}
	f := make([]float64, w*h)
	convValid(f, noise, pw, ph, k, k, make([]float64, w*ph))
	standardise(f, sel)
	return f
}

// standardise shifts and scales f to mean 0 and standard deviation 1 over
// the pixels where sel is true (all when sel is nil); f is left unchanged
// when fewer than two pixels are selected or they are all equal.
func standardise(f []float64, sel []bool) {
	var s, ss float64
	n := 0
	for i, v := range f {
		if sel == nil || sel[i] {
			s += v
			n++
		}
	}
	if n < 2 {
		return
	}
	m := s / float64(n)
	for i, v := range f {
		if sel == nil || sel[i] {
			ss += (v - m) * (v - m)
		}
	}
	sd := math.Sqrt(ss / float64(n-1))
	if sd == 0 {
		return
	}
	for i := range f {
		f[i] = (f[i] - m) / sd
	}
}

// speckler makes fully developed speckle: the intensity |h∗z|² of circular
// complex Gaussian white noise z filtered by a separable Gaussian point-spread
// function h, normalised so that Σh² = 1. The intensity is then exponential
// with mean 1 at every pixel (Goodman 1975; Wagner et al., IEEE Trans Sonics
// Ultrason 30:156, 1983: Rayleigh amplitude), correlated over the PSF.
type speckler struct {
	w, h      int
	kx, ky    []float64
	re, im    []float64 // noise, padded
	tmp, outI []float64
	outR      []float64
}

// newSpeckler prepares w×h speckle with PSF standard deviations sx (lateral)
// and sy (axial), in pixels.
func newSpeckler(w, h int, sx, sy float64) *speckler {
	kx, ky := gaussKernel(sx, false), gaussKernel(sy, false)
	pw, ph := w+len(kx)-1, h+len(ky)-1
	return &speckler{
		w: w, h: h, kx: kx, ky: ky,
		re: make([]float64, pw*ph), im: make([]float64, pw*ph),
		tmp: make([]float64, w*ph), outR: make([]float64, w*h), outI: make([]float64, w*h),
	}
}

// draw writes a fresh speckle intensity field to dst (w×h).
func (s *speckler) draw(r *rand.Rand, dst []float64) {
	for i := range s.re {
		s.re[i] = r.NormFloat64() * math.Sqrt2 / 2
		s.im[i] = r.NormFloat64() * math.Sqrt2 / 2
	}
	pw, ph := s.w+len(s.kx)-1, s.h+len(s.ky)-1
	convValid(s.outR, s.re, pw, ph, s.kx, s.ky, s.tmp)
	convValid(s.outI, s.im, pw, ph, s.kx, s.ky, s.tmp)
	for i := range dst {
		dst[i] = s.outR[i]*s.outR[i] + s.outI[i]*s.outI[i]
	}
}
