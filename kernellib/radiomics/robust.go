package radiomics

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// Perturbation is a change of a segmentation for feature robustness analysis (as in
// Zwanenburg et al., Sci Rep 2019, "Assessing robustness of radiomic features by image
// perturbation"): the mask is eroded (Grow < 0) or dilated (Grow > 0) by |Grow| voxels,
// then deformed by Jitter (when its Amplitude is not 0), then shifted by Shift voxels.
type Perturbation struct {
	Name   string
	Grow   int
	Jitter Jitter
	Shift  [3]int
}

// Same reports whether p and q change a mask the same way (their names aside).
func (p Perturbation) Same(q Perturbation) bool {
	return p.Grow == q.Grow && p.Shift == q.Shift && p.Jitter == q.Jitter
}

// Jitter is a random elastic deformation of the contour, as a second reader's
// freehand outline would differ: the elastic distortion of Simard, Steinkraus & Platt
// ("Best practices for convolutional neural networks applied to visual document
// analysis", ICDAR 2003, §2) — a displacement field (Δx, Δy) of independent uniform
// values in [−1, 1] at every pixel, each component smoothed by a Gaussian of SD Sigma
// pixels — here scaled so that the root-mean-square displacement is Amplitude pixels;
// every output pixel takes the mask's value at the nearest pixel of its displaced
// position (outside the image: background). The field depends only on Seed and the
// image's width and height; every slice of a volume is deformed by the same field.
type Jitter struct {
	Amplitude, Sigma float64
	Seed             uint64
}

// HeldOutPerturbations are mask perturbations of other kinds than
// DefaultPerturbations, for testing the robustness of a model whose features were
// selected under DefaultPerturbations without re-using them: erosion and dilation by 3
// voxels (the selection used 1 and 2), a diagonal shift by 2 voxels (the selection
// shifted by 1 along one axis), and three seeded elastic contour jitters of 1.5 pixels
// RMS with a smoothing SD of 6 pixels (Jitter).
func HeldOutPerturbations() []Perturbation {
	j := func(seed uint64) Perturbation {
		return Perturbation{Name: fmt.Sprintf("elastic jitter %d", seed), Jitter: Jitter{Amplitude: 1.5, Sigma: 6, Seed: seed}}
	}
	return []Perturbation{
		{Name: "erode 3", Grow: -3}, {Name: "dilate 3", Grow: 3},
		{Name: "shift +x+y 2", Shift: [3]int{2, 2, 0}},
		j(1), j(2), j(3),
	}
}

// DefaultPerturbations are erosion and dilation by 1 and 2 voxels and shifts by one
// voxel along ±x and ±y.
func DefaultPerturbations() []Perturbation {
	return []Perturbation{
		{Name: "erode 1", Grow: -1}, {Name: "erode 2", Grow: -2},
		{Name: "dilate 1", Grow: 1}, {Name: "dilate 2", Grow: 2},
		{Name: "shift +x", Shift: [3]int{1, 0, 0}}, {Name: "shift -x", Shift: [3]int{-1, 0, 0}},
		{Name: "shift +y", Shift: [3]int{0, 1, 0}}, {Name: "shift -y", Shift: [3]int{0, -1, 0}},
	}
}

// PerturbMask returns the mask after the perturbation. Erosion and dilation are
// repeated |Grow| times with the 3×3 square structuring element in each slice for a
// one-slice mask, the 3×3×3 cube otherwise (voxels beyond the image count as outside);
// the shift moves every voxel by p.Shift, dropping those that leave the image.
func PerturbMask(m *imaging.Mask, p Perturbation) *imaging.Mask {
	cur := &imaging.Mask{Width: m.Width, Height: m.Height, Depth: m.Depth, Data: slices.Clone(m.Data)}
	zr := 1
	if m.Depth == 1 {
		zr = 0
	}
	steps := p.Grow
	if steps < 0 {
		steps = -steps
	}
	for range steps {
		next := make([]bool, len(cur.Data))
		for z := 0; z < m.Depth; z++ {
			for y := 0; y < m.Height; y++ {
				for x := 0; x < m.Width; x++ {
					// Dilation: any neighbour inside; erosion: every neighbour inside.
					hit, all := false, true
					for dz := -zr; dz <= zr; dz++ {
						for dy := -1; dy <= 1; dy++ {
							for dx := -1; dx <= 1; dx++ {
								if cur.At(x+dx, y+dy, z+dz) {
									hit = true
								} else {
									all = false
								}
							}
						}
					}
					i := x + m.Width*(y+m.Height*z)
					if p.Grow > 0 {
						next[i] = hit
					} else {
						next[i] = all
					}
				}
			}
		}
		cur.Data = next
	}
	if p.Jitter.Amplitude != 0 {
		cur = jitterMask(cur, p.Jitter)
	}
	if p.Shift != [3]int{} {
		next := make([]bool, len(cur.Data))
		for z := 0; z < m.Depth; z++ {
			for y := 0; y < m.Height; y++ {
				for x := 0; x < m.Width; x++ {
					if cur.At(x-p.Shift[0], y-p.Shift[1], z-p.Shift[2]) {
						next[x+m.Width*(y+m.Height*z)] = true
					}
				}
			}
		}
		cur.Data = next
	}
	return cur
}

// jitterMask deforms m by the elastic displacement field of j (Jitter).
func jitterMask(m *imaging.Mask, j Jitter) *imaging.Mask {
	w, h := m.Width, m.Height
	rng := rand.New(rand.NewPCG(j.Seed, 0x6a6974746572)) // "jitter"
	dx, dy := make([]float64, w*h), make([]float64, w*h)
	for i := range dx {
		dx[i] = 2*rng.Float64() - 1
		dy[i] = 2*rng.Float64() - 1
	}
	gaussSmooth2D(dx, w, h, j.Sigma)
	gaussSmooth2D(dy, w, h, j.Sigma)
	ms := 0.0
	for i := range dx {
		ms += dx[i]*dx[i] + dy[i]*dy[i]
	}
	scale := 0.0
	if ms > 0 {
		scale = j.Amplitude / math.Sqrt(ms/float64(w*h))
	}
	out := &imaging.Mask{Width: w, Height: h, Depth: m.Depth, Data: make([]bool, len(m.Data))}
	for z := 0; z < m.Depth; z++ {
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				i := x + w*y
				sx := int(math.Round(float64(x) + scale*dx[i]))
				sy := int(math.Round(float64(y) + scale*dy[i]))
				out.Data[i+w*h*z] = m.At(sx, sy, z)
			}
		}
	}
	return out
}

// gaussSmooth2D convolves the w × h field f in place with a Gaussian of SD sigma
// (separable, truncated at 3σ, edges replicated); sigma ≤ 0 leaves it as it is.
func gaussSmooth2D(f []float64, w, h int, sigma float64) {
	if sigma <= 0 {
		return
	}
	r := int(math.Ceil(3 * sigma))
	k := make([]float64, 2*r+1)
	sum := 0.0
	for i := range k {
		d := float64(i - r)
		k[i] = math.Exp(-d * d / (2 * sigma * sigma))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	clamp := func(v, n int) int { return min(max(v, 0), n-1) }
	tmp := make([]float64, len(f))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s := 0.0
			for i, kv := range k {
				s += kv * f[clamp(x+i-r, w)+w*y]
			}
			tmp[x+w*y] = s
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s := 0.0
			for i, kv := range k {
				s += kv * tmp[x+w*clamp(y+i-r, h)]
			}
			f[x+w*y] = s
		}
	}
}

// ErrICCUndefined: every value of the feature is the same (both mean squares are 0).
var ErrICCUndefined = errors.New("radiomics: ICC undefined: no variance at all")

// ICC31 returns the intraclass correlation ICC(3,1) of Shrout & Fleiss (1979), the
// two-way mixed, consistency, single-measure ICC(C,1) of McGraw & Wong (1996), of an
// n × k table x[i][j]: subject i (e.g. a lesion) measured under condition j (e.g. a
// segmentation):
//
//	ICC(3,1) = (MS_R − MS_E) / (MS_R + (k − 1) MS_E),
//
// MS_R the between-subjects mean square k Σ_i (x̄_i· − x̄)²/(n − 1) and MS_E the residual
// mean square Σ_ij (x_ij − x̄_i· − x̄_·j + x̄)²/((n − 1)(k − 1)). It needs n ≥ 2 and k ≥ 2;
// a table without any variance is ErrICCUndefined. A systematic shift of one
// condition (every value moved by the same amount) does not lower it: see ICC21.
func ICC31(x [][]float64) (float64, error) {
	ms, err := iccMeanSquares("ICC(3,1)", x)
	if err != nil {
		return 0, err
	}
	return (ms.r - ms.e) / (ms.r + float64(ms.k-1)*ms.e), nil
}

// ICC21 returns the intraclass correlation ICC(2,1) of Shrout & Fleiss (Psychol Bull
// 86:420, 1979, Table 1), the two-way random, absolute-agreement, single-measure
// ICC(A,1) of McGraw & Wong (Psychol Methods 1:30, 1996), of an n × k table x[i][j]
// (subject i under condition j):
//
//	ICC(2,1) = (MS_R − MS_E) / (MS_R + (k − 1) MS_E + k (MS_C − MS_E)/n),
//
// with MS_R and MS_E as in ICC31 and MS_C = n Σ_j (x̄_·j − x̄)²/(k − 1) the
// between-conditions mean square: unlike ICC(3,1), a systematic difference between
// conditions (an erosion that lowers every lesion's value) counts as disagreement —
// what moves a fixed model's predictions. It is the form Koo & Li (J Chiropr Med
// 15:155, 2016) recommend for inter-rater reliability where absolute values matter.
// It needs n ≥ 2 and k ≥ 2; a table without any variance is ErrICCUndefined.
func ICC21(x [][]float64) (float64, error) {
	ms, err := iccMeanSquares("ICC(2,1)", x)
	if err != nil {
		return 0, err
	}
	n, k := float64(ms.n), float64(ms.k)
	return (ms.r - ms.e) / (ms.r + (k-1)*ms.e + k*(ms.c-ms.e)/n), nil
}

// iccMS are the mean squares of the two-way analysis of variance of an n × k table
// without replication: subjects (r), conditions (c) and residual (e).
type iccMS struct {
	n, k    int
	r, c, e float64
}

// iccMeanSquares checks the table (what names the ICC for the errors) and returns its
// mean squares; a table without any variance is ErrICCUndefined.
func iccMeanSquares(what string, x [][]float64) (iccMS, error) {
	n := len(x)
	if n < 2 {
		return iccMS{}, fmt.Errorf("%w: %s needs at least 2 subjects, got %d", ErrInput, what, n)
	}
	k := len(x[0])
	if k < 2 {
		return iccMS{}, fmt.Errorf("%w: %s needs at least 2 conditions, got %d", ErrInput, what, k)
	}
	rows := make([]float64, n)
	cols := make([]float64, k)
	var grand float64
	for i, r := range x {
		if len(r) != k {
			return iccMS{}, fmt.Errorf("%w: %s: subject %d has %d values, subject 0 has %d", ErrInput, what, i, len(r), k)
		}
		for j, v := range r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return iccMS{}, fmt.Errorf("%w: %s: value %g of subject %d, condition %d", ErrInput, what, v, i, j)
			}
			rows[i] += v / float64(k)
			cols[j] += v / float64(n)
			grand += v / float64(n*k)
		}
	}
	var ssr, ssc, sse float64
	for j := range cols {
		ssc += (cols[j] - grand) * (cols[j] - grand)
	}
	for i, r := range x {
		ssr += (rows[i] - grand) * (rows[i] - grand)
		for j, v := range r {
			e := v - rows[i] - cols[j] + grand
			sse += e * e
		}
	}
	ms := iccMS{n: n, k: k, r: float64(k) * ssr / float64(n-1), c: float64(n) * ssc / float64(k-1),
		e: sse / float64((n-1)*(k-1))}
	// Differences at rounding level of the values count as none.
	if ms.r+float64(k-1)*ms.e <= 1e-24*math.Max(1, grand*grand) {
		return iccMS{}, ErrICCUndefined
	}
	return ms, nil
}

// Case is one image and its segmentation.
type Case struct {
	Name  string
	Image *imaging.Volume
	Mask  *imaging.Mask
	// Overlay marks the image's burned-in coloured overlay
	// (imaging.ReadImageOverlay), left out of the intensity mask
	// (ExtractExcluding); nil when none.
	Overlay *imaging.Mask
}

// FeatureICC is the robustness of one feature: ICC(3,1) over the cases, with the
// original mask and each perturbed mask as the conditions. Defined is false when the
// feature has the same value everywhere (ICC is then 0).
type FeatureICC struct {
	Key     string // Feature.Key()
	Feature Feature
	ICC     float64
	Defined bool
}

// Robustness extracts the features of every case with its mask and with each
// perturbed mask (PerturbMask) and returns, for each feature in extraction order, its
// ICC(3,1) (ICC31) with the cases as subjects and the masks as conditions. It needs
// at least 2 cases and 1 perturbation; an extraction error names the case and the
// perturbation (e.g. an erosion that empties a small mask).
func Robustness(cases []Case, s Settings, ps []Perturbation) ([]FeatureICC, error) {
	if len(cases) < 2 || len(ps) < 1 {
		return nil, fmt.Errorf("%w: robustness needs ≥ 2 cases and ≥ 1 perturbation, got %d and %d", ErrInput, len(cases), len(ps))
	}
	k := len(ps) + 1
	var keys []string
	var first []Feature
	var table [][][]float64 // feature, case, condition
	for ci, c := range cases {
		for j := 0; j < k; j++ {
			m, what := c.Mask, "original mask"
			if j > 0 {
				m, what = PerturbMask(c.Mask, ps[j-1]), "mask "+ps[j-1].Name
			}
			fs, _, err := ExtractExcluding(c.Image, m, c.Overlay, s)
			if err != nil {
				return nil, fmt.Errorf("case %d (%s), %s: %w", ci, c.Name, what, err)
			}
			if keys == nil {
				first = fs
				for _, f := range fs {
					keys = append(keys, f.Key())
				}
				table = make([][][]float64, len(fs))
				for f := range table {
					table[f] = make([][]float64, len(cases))
					for i := range table[f] {
						table[f][i] = make([]float64, k)
					}
				}
			}
			if len(fs) != len(keys) {
				return nil, fmt.Errorf("case %d (%s), %s: %d features, the first extraction gave %d", ci, c.Name, what, len(fs), len(keys))
			}
			for f, x := range fs {
				if x.Key() != keys[f] {
					return nil, fmt.Errorf("case %d (%s), %s: feature %d is %s, the first extraction gave %s", ci, c.Name, what, f, x.Key(), keys[f])
				}
				table[f][ci][j] = x.Value
			}
		}
	}
	out := make([]FeatureICC, len(keys))
	for f := range keys {
		icc, err := ICC31(table[f])
		out[f] = FeatureICC{Key: keys[f], Feature: first[f], ICC: icc, Defined: err == nil}
		if err != nil && !errors.Is(err, ErrICCUndefined) {
			return nil, fmt.Errorf("%s: %w", keys[f], err)
		}
	}
	return out, nil
}

// RobustFeatures returns the keys of the features whose ICC(3,1) is defined and at
// least threshold (e.g. 0.75, "good" reliability for Koo & Li 2016; 0.9 "excellent"),
// in the order given: the feature filter of a learning pipeline.
func RobustFeatures(iccs []FeatureICC, threshold float64) []string {
	var keys []string
	for _, f := range iccs {
		if f.Defined && f.ICC >= threshold {
			keys = append(keys, f.Key)
		}
	}
	return keys
}
