package radiomics

import (
	"math"

	"gonum.org/v1/gonum/dsp/fourier"
)

// moranDirectMax is the largest intensity mask for which moranGeary sums the pairs
// directly; larger regions go through the Fourier transform.
const moranDirectMax = 3000

// moranGeary returns Moran's I and Geary's C of the intensity mask (IBSI N365, NPT7),
// with weights w_kl = 1/‖r_k − r_l‖ (mm) over all pairs k ≠ l:
//
//	I = N_v/Σw · Σ w_kl (X_k − μ)(X_l − μ) / Σ (X_k − μ)²
//	C = (N_v − 1)/(2Σw) · Σ w_kl (X_k − X_l)² / Σ (X_k − μ)²
//
// Exact either way: by direct summation over the N_v² pairs for small regions, else
// as sums over voxel offsets of the weight times the autocorrelations of the mask, of
// X − μ and of (X − μ)² (Wiener–Khinchin, with zero padding so nothing wraps round),
// which takes O(M log M) for a box of M voxels. A region of one voxel or of constant
// intensity has I = 0 and C = 1 (no spatial autocorrelation is measurable).
func (r *ROI) moranGeary() (float64, float64) {
	n := 0
	var mu float64
	for i, in := range r.Int {
		if in {
			mu += r.X[i]
			n++
		}
	}
	mu /= float64(n)
	var ss float64
	for i, in := range r.Int {
		if in {
			ss += (r.X[i] - mu) * (r.X[i] - mu)
		}
	}
	if n < 2 || ss == 0 {
		return 0, 1
	}
	var w, m, g float64 // Σw, Σ w d_k d_l, Σ w (X_k − X_l)² over ordered pairs
	if n <= moranDirectMax {
		w, m, g = r.moranSumsDirect(mu)
	} else {
		w, m, g = r.moranSumsFFT(mu)
	}
	return float64(n) / w * m / ss, float64(n-1) * g / (2 * w * ss)
}

// moranSumsDirect sums over the ordered pairs of intensity-mask voxels.
func (r *ROI) moranSumsDirect(mu float64) (w, m, g float64) {
	var d []float64
	var ps [][3]float64
	r.eachVoxel(func(i int, p [3]float64) {
		if r.Int[i] {
			d = append(d, r.X[i]-mu)
			ps = append(ps, p)
		}
	})
	for k := range d {
		for l := k + 1; l < len(d); l++ {
			e := sub3(ps[k], ps[l])
			wt := 1 / math.Sqrt(dot3(e, e))
			w += wt
			m += wt * d[k] * d[l]
			q := d[k] - d[l]
			g += wt * q * q
		}
	}
	return 2 * w, 2 * m, 2 * g
}

// smoothSize returns the smallest n ≥ min whose only prime factors are 2, 3 and 5.
func smoothSize(lo int) int {
	for n := max(lo, 1); ; n++ {
		k := n
		for _, p := range []int{2, 3, 5} {
			for k%p == 0 {
				k /= p
			}
		}
		if k == 1 {
			return n
		}
	}
}

// spectrum3 holds the half spectrum of real p[0] × p[1] × p[2] arrays (x fastest):
// the p[0]/2+1 non-negative x frequencies of each line, then every y and z
// frequency, laid out h·(ky + p[1]·kz) + kx with h = p[0]/2+1. Real input makes the
// other half redundant (X(−f) = conj X(f)), so one array takes half the memory of a
// complex transform.
type spectrum3 struct {
	p    [3]int
	h    int
	rx   *fourier.FFT
	cy   *fourier.CmplxFFT
	cz   *fourier.CmplxFFT
	line []float64
	buf  []complex128
}

func newSpectrum3(p [3]int) *spectrum3 {
	s := &spectrum3{p: p, h: p[0]/2 + 1, rx: fourier.NewFFT(p[0]), line: make([]float64, p[0]),
		buf: make([]complex128, max(p[1], p[2]))}
	if p[1] > 1 {
		s.cy = fourier.NewCmplxFFT(p[1])
	}
	if p[2] > 1 {
		s.cz = fourier.NewCmplxFFT(p[2])
	}
	return s
}

// transformYZ transforms a along y, then z (forward) or z, then y (inverse), in place,
// touching only the y lines with z < nz (the others are zero) on the way forward.
func (s *spectrum3) transformYZ(a []complex128, inverse bool, nz int) {
	h, p := s.h, s.p
	alongY := func(zs int) {
		if s.cy == nil {
			return
		}
		b := s.buf[:p[1]]
		for z := 0; z < zs; z++ {
			for kx := 0; kx < h; kx++ {
				o := kx + h*p[1]*z
				for y := range b {
					b[y] = a[o+h*y]
				}
				if inverse {
					s.cy.Sequence(b, b)
				} else {
					s.cy.Coefficients(b, b)
				}
				for y := range b {
					a[o+h*y] = b[y]
				}
			}
		}
	}
	alongZ := func() {
		if s.cz == nil {
			return
		}
		b := s.buf[:p[2]]
		st := h * p[1]
		for o := 0; o < st; o++ {
			for z := range b {
				b[z] = a[o+st*z]
			}
			if inverse {
				s.cz.Sequence(b, b)
			} else {
				s.cz.Coefficients(b, b)
			}
			for z := range b {
				a[o+st*z] = b[z]
			}
		}
	}
	if inverse {
		alongZ()
		alongY(p[2])
		return
	}
	alongY(nz)
	alongZ()
}

// forward fills a (zeroed, length h·p[1]·p[2]) with the spectrum of the real array
// whose value at box voxel (x, y, z) < n is f(x, y, z) and 0 elsewhere.
func (s *spectrum3) forward(a []complex128, n [3]int, f func(x, y, z int) float64) {
	h, p := s.h, s.p
	for z := 0; z < n[2]; z++ {
		for y := 0; y < n[1]; y++ {
			clear(s.line)
			for x := 0; x < n[0]; x++ {
				s.line[x] = f(x, y, z)
			}
			o := h * (y + p[1]*z)
			s.rx.Coefficients(a[o:o+h], s.line)
		}
	}
	s.transformYZ(a, false, n[2])
}

// weightedSum transforms the spectrum a back in place (destroying it) into the real
// array c and returns Σ_o w(o) c(o) / (p[0]·p[1]·p[2]) over the offsets o ≠ 0 with
// |o_k| < n[k], w(o) = 1/‖o·spacing‖: the weighted sum of a correlation whose spectrum
// a is. Each x line is inverted into a scratch line, so c is never stored whole.
func (s *spectrum3) weightedSum(a []complex128, n [3]int, sp [3]float64) float64 {
	s.transformYZ(a, true, s.p[2])
	h, p := s.h, s.p
	var sum float64
	for oz := -(n[2] - 1); oz < n[2]; oz++ {
		kz := (oz + p[2]) % p[2]
		for oy := -(n[1] - 1); oy < n[1]; oy++ {
			ky := (oy + p[1]) % p[1]
			o := h * (ky + p[1]*kz)
			s.rx.Sequence(s.line, a[o:o+h])
			dy, dz := float64(oy)*sp[1], float64(oz)*sp[2]
			r2 := dy*dy + dz*dz
			for ox := -(n[0] - 1); ox < n[0]; ox++ {
				if ox == 0 && oy == 0 && oz == 0 {
					continue
				}
				dx := float64(ox) * sp[0]
				sum += s.line[(ox+p[0])%p[0]] / math.Sqrt(dx*dx+r2)
			}
		}
	}
	return sum / float64(p[0]*p[1]*p[2])
}

// moranSumsFFT computes the sums of moranSumsDirect as Σ_o w(o) C_ab(o) over voxel
// offsets o, C_ab(o) = Σ_p a(p) b(p + o) the correlation of the mask, of the deviations
// d = X − μ and of d², computed as the inverse transform of conj(A)·B (Wiener–Khinchin)
// with zero padding to p_k ≥ 2 n_k − 1 so that nothing wraps round. Memory: two half
// spectra of the padded box, 16 bytes per padded voxel, about 128 bytes per voxel of the
// box (the weights are computed as the sums are taken, never stored).
func (r *ROI) moranSumsFFT(mu float64) (w, m, g float64) {
	n := [3]int{r.Nx, r.Ny, r.Nz}
	var p [3]int
	for k := range p {
		p[k] = smoothSize(2*n[k] - 1)
	}
	s := newSpectrum3(p)
	size := s.h * p[1] * p[2]
	at := func(x, y, z int) int { return x + r.Nx*(y+r.Ny*z) }
	a := make([]complex128, size)
	b := make([]complex128, size)
	s.forward(a, n, func(x, y, z int) float64 { return b2f(r.Int[at(x, y, z)]) })
	s.forward(b, n, func(x, y, z int) float64 {
		if i := at(x, y, z); r.Int[i] {
			d := r.X[i] - mu
			return d * d
		}
		return 0
	})
	for f, af := range a {
		b[f] = complex(real(b[f]), -imag(b[f])) * af // conj(D²)·M: C_{d²,mask}
		a[f] = complex(real(af)*real(af)+imag(af)*imag(af), 0)
	}
	w = s.weightedSum(a, n, r.Spacing)
	sq := s.weightedSum(b, n, r.Spacing)
	b = nil
	clear(a)
	s.forward(a, n, func(x, y, z int) float64 {
		if i := at(x, y, z); r.Int[i] {
			return r.X[i] - mu
		}
		return 0
	})
	for f, af := range a {
		a[f] = complex(real(af)*real(af)+imag(af)*imag(af), 0)
	}
	m = s.weightedSum(a, n, r.Spacing)
	// Σ w (d_k − d_l)² = Σ w (d_k² + d_l² − 2 d_k d_l) = 2 Σ_o w C_{d²,mask} − 2 Σ_o w C_{d,d}.
	g = 2*sq - 2*m
	return w, m, g
}

// b2f is 1 for true and 0 for false.
func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
