package deep

import "math"

// Resize resamples a w×h image (row-major float32) to ow×oh with the
// antialiased bilinear (triangle) filter of Pillow's Image.resize
// (Resample.c, precompute_coeffs): output pixel i takes its centre at
// (i + ½)·s in input coordinates, s = w/ow, and weights the input pixels j
// by max(0, 1 − |j + ½ − centre|/f), f = max(s, 1), normalised to sum to
// one — so downsampling averages over the footprint instead of aliasing. A
// horizontal pass is followed by a vertical one, each accumulating in
// float64 and storing float32, as Pillow does for mode "F".
func Resize(src []float32, w, h, ow, oh int) []float32 {
	xk := resampleCoeffs(w, ow)
	yk := resampleCoeffs(h, oh)
	tmp := make([]float32, ow*h)
	for y := 0; y < h; y++ {
		row := src[y*w : (y+1)*w]
		for x, k := range xk {
			s := 0.0
			for j, wt := range k.w {
				s += float64(row[k.min+j]) * wt
			}
			tmp[y*ow+x] = float32(s)
		}
	}
	out := make([]float32, ow*oh)
	for y, k := range yk {
		for x := 0; x < ow; x++ {
			s := 0.0
			for j, wt := range k.w {
				s += float64(tmp[(k.min+j)*ow+x]) * wt
			}
			out[y*ow+x] = float32(s)
		}
	}
	return out
}

// coeffs are the weights of one output pixel over input pixels min,
// min+1, ...
type coeffs struct {
	min int
	w   []float64
}

// resampleCoeffs follows Pillow's precompute_coeffs with the bilinear
// filter (support 1).
func resampleCoeffs(in, out int) []coeffs {
	scale := float64(in) / float64(out)
	fs := math.Max(scale, 1)
	support := fs
	cs := make([]coeffs, out)
	for i := range cs {
		centre := (float64(i) + 0.5) * scale
		lo := int(centre - support + 0.5) // C's (int) truncates toward zero
		lo = max(lo, 0)
		hi := min(int(centre+support+0.5), in)
		w := make([]float64, max(hi-lo, 0))
		sum := 0.0
		for j := range w {
			d := math.Abs((float64(j+lo) - centre + 0.5) / fs)
			if d < 1 {
				w[j] = 1 - d
			}
			sum += w[j]
		}
		if sum != 0 {
			for j := range w {
				w[j] /= sum
			}
		}
		cs[i] = coeffs{min: lo, w: w}
	}
	return cs
}
