package radiomics

import (
	"fmt"
	"math"
	"slices"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// Image filters applied before feature extraction (IBSI 2, "convolutional filters":
// the response map of a filter replaces the image, and the intensity-based families
// are computed from it with the same mask). Filters work on the whole image, in 2D for
// a one-slice image and in 3D otherwise, and return a new volume; the input is not
// changed.

// boundary maps an index outside [0, n) back into it.
type boundary func(i, n int) int

// reflect is the symmetric extension (d c b a | a b c d | d c b a): SciPy's "reflect"
// mode, IBSI 2's "mirror" padding.
func reflect(i, n int) int {
	if n == 1 {
		return 0
	}
	p := 2 * n
	i %= p
	if i < 0 {
		i += p
	}
	if i >= n {
		i = p - 1 - i
	}
	return i
}

// periodic is the periodic extension (a b c d | a b c d), as the stationary wavelet
// transform of PyWavelets.
func periodic(i, n int) int {
	i %= n
	if i < 0 {
		i += n
	}
	return i
}

// correlate1 returns out[n] = Σ_k f[k]·in[n + k − c] along axis (0 x, 1 y, 2 z) of v,
// indices beyond the volume mapped back by b.
func correlate1(v *imaging.Volume, axis int, f []float64, c int, b boundary) *imaging.Volume {
	out := &imaging.Volume{Nx: v.Nx, Ny: v.Ny, Nz: v.Nz, Spacing: v.Spacing, Datatype: imaging.DTFloat64, Data: make([]float64, len(v.Data))}
	dims := [3]int{v.Nx, v.Ny, v.Nz}
	strides := [3]int{1, v.Nx, v.Nx * v.Ny}
	n, st := dims[axis], strides[axis]
	line := make([]float64, n)
	res := make([]float64, n)
	// idx[k][j]: the index into the line of tap k at position j, precomputed.
	idx := make([][]int, len(f))
	for k := range f {
		idx[k] = make([]int, n)
		for j := 0; j < n; j++ {
			idx[k][j] = b(j+k-c, n)
		}
	}
	// Every line along the axis starts at a voxel whose axis coordinate is 0.
	for z := 0; z < v.Nz; z++ {
		for y := 0; y < v.Ny; y++ {
			for x := 0; x < v.Nx; x++ {
				if [3]int{x, y, z}[axis] != 0 {
					continue
				}
				start := x + v.Nx*(y+v.Ny*z)
				for j := 0; j < n; j++ {
					line[j] = v.Data[start+j*st]
				}
				clear(res)
				for k, w := range f {
					if w == 0 {
						continue
					}
					ik := idx[k]
					for j := range res {
						res[j] += w * line[ik[j]]
					}
				}
				for j := 0; j < n; j++ {
					out.Data[start+j*st] = res[j]
				}
			}
		}
	}
	return out
}

// gaussianKernel returns the sampled Gaussian of standard deviation s (voxels),
// normalised to sum 1, or its second derivative (order 2): g_k (k²/s⁴ − 1/s²), for k in
// [−r, r], r = ⌊4s + 0.5⌋ (as SciPy's gaussian_filter1d with truncate = 4).
func gaussianKernel(s float64, order int) []float64 {
	r := int(4*s + 0.5)
	g := make([]float64, 2*r+1)
	var sum float64
	for k := -r; k <= r; k++ {
		g[k+r] = math.Exp(-0.5 * float64(k*k) / (s * s))
		sum += g[k+r]
	}
	for i := range g {
		g[i] /= sum
		if order == 2 {
			k := float64(i - r)
			g[i] *= k*k/(s*s*s*s) - 1/(s*s)
		}
	}
	return g
}

func checkImage(img *imaging.Volume) error {
	if img == nil || img.Nx <= 0 || img.Ny <= 0 || img.Nz <= 0 || len(img.Data) != img.Nx*img.Ny*img.Nz {
		return fmt.Errorf("%w: filter: not a volume", ErrInput)
	}
	for i, v := range img.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: filter: intensity %g at voxel %d: want finite values", ErrInput, v, i)
		}
	}
	return nil
}

// LoG returns the image filtered by the scale-normalised Laplacian of Gaussian of
// scale sigmaMM (mm) (IBSI 2, "Laplacian of Gaussian"; Lindeberg 1998):
//
//	σ² ∇²(G_σ * I) = σ² Σ_a ∂²(G_σ * I)/∂x_a²,
//
// x_a in mm over the image's axes (x, y for a one-slice image; x, y, z otherwise), as
// PyRadiomics' LoG filter (SimpleITK's LaplacianRecursiveGaussian normalised across
// scale). Each term is a separable convolution with sampled Gaussians of σ/spacing
// voxels, truncated at 4σ, the second derivative along a; the image is extended
// symmetrically beyond its edges ("mirror" padding).
func LoG(img *imaging.Volume, sigmaMM float64) (*imaging.Volume, error) {
	if err := checkImage(img); err != nil {
		return nil, err
	}
	if !(sigmaMM > 0) || math.IsInf(sigmaMM, 0) {
		return nil, fmt.Errorf("%w: LoG sigma %g mm: want a positive value", ErrInput, sigmaMM)
	}
	axes := 3
	if img.Nz == 1 {
		axes = 2
	}
	for a := 0; a < axes; a++ {
		if !(img.Spacing[a] > 0) {
			return nil, fmt.Errorf("%w: LoG: voxel spacing %v mm: want positive values", ErrInput, img.Spacing)
		}
	}
	out := &imaging.Volume{Nx: img.Nx, Ny: img.Ny, Nz: img.Nz, Spacing: img.Spacing, Datatype: imaging.DTFloat64, Data: make([]float64, len(img.Data))}
	for a := 0; a < axes; a++ {
		t := img
		for b := 0; b < axes; b++ {
			s := sigmaMM / img.Spacing[b]
			order := 0
			if b == a {
				order = 2
			}
			k := gaussianKernel(s, order)
			t = correlate1(t, b, k, len(k)/2, reflect)
		}
		scale := sigmaMM * sigmaMM / (img.Spacing[a] * img.Spacing[a])
		for i, v := range t.Data {
			out.Data[i] += scale * v
		}
	}
	return out, nil
}

// waveletFilters holds the decomposition filters (low pass, high pass) of the
// wavelets WaveletBands knows, as PyWavelets lists them (dec_lo, dec_hi): Haar, and
// Daubechies' coiflet of order 1 (Daubechies, Ten Lectures on Wavelets, 1992, Table 8.1).
var waveletFilters = map[string][2][]float64{
	"haar": {
		{math.Sqrt2 / 2, math.Sqrt2 / 2},
		{-math.Sqrt2 / 2, math.Sqrt2 / 2},
	},
	"coif1": {
		{-0.015655728135791993, -0.07273261951252645, 0.3848648468648578, 0.8525720202116004, 0.3378976624574818, -0.07273261951252645},
		{0.07273261951252645, 0.3378976624574818, -0.8525720202116004, 0.3848648468648578, 0.07273261951252645, -0.015655728135791993},
	},
}

// Wavelets returns the names WaveletBands accepts.
func Wavelets() []string {
	var n []string
	for k := range waveletFilters {
		n = append(n, k)
	}
	slices.Sort(n)
	return n
}

// WaveletBands returns the one-level undecimated (stationary) wavelet decomposition of
// the image (Nason & Silverman 1995; IBSI 2, "separable wavelets"): each sub-band
// filters every axis with the low-pass (L) or high-pass (H) decomposition filter f of
// length N, y[n] = Σ_k f[k] x[n + N/2 − k], the image extended periodically — as
// PyWavelets' swtn(level=1), which PyRadiomics' wavelet filter calls. The bands are
// named by their filters along x, y (and z for a 3D image): "LL", "LH", "HL", "HH" in
// 2D, "LLL" … "HHH" in 3D; wavelet is "haar" or "coif1".
func WaveletBands(img *imaging.Volume, wavelet string) (map[string]*imaging.Volume, error) {
	if err := checkImage(img); err != nil {
		return nil, err
	}
	f, ok := waveletFilters[wavelet]
	if !ok {
		return nil, fmt.Errorf("%w: wavelet %q: want one of %v", ErrInput, wavelet, Wavelets())
	}
	axes := 3
	if img.Nz == 1 {
		axes = 2
	}
	// As a correlation: y[n] = Σ_j g[j] x[n + j − c] with g the reversed filter and
	// c = N − 1 − N/2.
	var taps [2][]float64
	for b := range 2 {
		taps[b] = slices.Clone(f[b])
		slices.Reverse(taps[b])
	}
	c := len(f[0]) - 1 - len(f[0])/2
	out := map[string]*imaging.Volume{}
	var rec func(v *imaging.Volume, axis int, name string)
	rec = func(v *imaging.Volume, axis int, name string) {
		if axis == axes {
			out[name] = v
			return
		}
		rec(correlate1(v, axis, taps[0], c, periodic), axis+1, name+"L")
		rec(correlate1(v, axis, taps[1], c, periodic), axis+1, name+"H")
	}
	rec(img, 0, "")
	return out, nil
}

// Filtered returns copies of the features with the family prefixed by the filter's name
// ("log_1mm" + "/" + "glcm"), so that features of several response maps can stand in
// one table.
func Filtered(fs []Feature, filter string) []Feature {
	out := slices.Clone(fs)
	for i := range out {
		out[i].Family = filter + "/" + out[i].Family
	}
	return out
}
