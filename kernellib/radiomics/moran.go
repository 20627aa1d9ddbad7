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

// fft3 transforms a px × py × pz array (x fastest) in place along each axis.
func fft3(a []complex128, p [3]int) {
	stride := [3]int{1, p[0], p[0] * p[1]}
	for axis := 0; axis < 3; axis++ {
		n := p[axis]
		if n == 1 {
			continue
		}
		t := fourier.NewCmplxFFT(n)
		line := make([]complex128, n)
		st := stride[axis]
		u, v := (axis+1)%3, (axis+2)%3
		for j := 0; j < p[v]; j++ {
			for i := 0; i < p[u]; i++ {
				start := i*stride[u] + j*stride[v]
				for k := range line {
					line[k] = a[start+k*st]
				}
				t.Coefficients(line, line)
				for k := range line {
					a[start+k*st] = line[k]
				}
			}
		}
	}
}

// moranSumsFFT computes the sums of moranSumsDirect as Σ_o w(o) C_ab(o) over voxel
// offsets o, C_ab(o) = Σ_p a(p) b(p + o), by Parseval: (1/M) Σ_f conj(A_f) B_f conj(W_f).
func (r *ROI) moranSumsFFT(mu float64) (w, m, g float64) {
	dims := [3]int{r.Nx, r.Ny, r.Nz}
	var p [3]int
	for k := range p {
		p[k] = smoothSize(2*dims[k] - 1)
	}
	size := p[0] * p[1] * p[2]
	mask := make([]complex128, size)
	dev := make([]complex128, size)
	dev2 := make([]complex128, size)
	wt := make([]complex128, size)
	r.eachVoxel(func(i int, _ [3]float64) {
		if !r.Int[i] {
			return
		}
		x, y, z := i%r.Nx, (i/r.Nx)%r.Ny, i/(r.Nx*r.Ny)
		j := x + p[0]*(y+p[1]*z)
		d := r.X[i] - mu
		mask[j], dev[j], dev2[j] = 1, complex(d, 0), complex(d*d, 0)
	})
	sp := r.Spacing
	for oz := -(dims[2] - 1); oz < dims[2]; oz++ {
		for oy := -(dims[1] - 1); oy < dims[1]; oy++ {
			for ox := -(dims[0] - 1); ox < dims[0]; ox++ {
				if ox == 0 && oy == 0 && oz == 0 {
					continue
				}
				dx, dy, dz := float64(ox)*sp[0], float64(oy)*sp[1], float64(oz)*sp[2]
				j := (ox + p[0]) % p[0]
				j += p[0] * ((oy+p[1])%p[1] + p[1]*((oz+p[2])%p[2]))
				wt[j] = complex(1/math.Sqrt(dx*dx+dy*dy+dz*dz), 0)
			}
		}
	}
	for _, a := range [][]complex128{mask, dev, dev2, wt} {
		fft3(a, p)
	}
	var sw, sm, sq float64
	for f := range wt {
		cw := complex(real(wt[f]), -imag(wt[f]))
		sw += real(complex(real(mask[f]), -imag(mask[f])) * mask[f] * cw)
		sm += real(complex(real(dev[f]), -imag(dev[f])) * dev[f] * cw)
		sq += real(complex(real(dev2[f]), -imag(dev2[f])) * mask[f] * cw)
	}
	M := float64(size)
	w, m = sw/M, sm/M
	// Σ w (d_k − d_l)² = Σ w (d_k² + d_l² − 2 d_k d_l) = 2 Σ_o w C_{d²,mask} − 2 Σ_o w C_{d,d}.
	g = 2*sq/M - 2*m
	return w, m, g
}
