package radiomics

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// Perturbation is a change of a segmentation for feature robustness analysis (as in
// Zwanenburg et al., Sci Rep 2019, "Assessing robustness of radiomic features by image
// perturbation"): the mask is eroded (Grow < 0) or dilated (Grow > 0) by |Grow| voxels,
// then shifted by Shift voxels.
type Perturbation struct {
	Name  string
	Grow  int
	Shift [3]int
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
// a table without any variance is ErrICCUndefined.
func ICC31(x [][]float64) (float64, error) {
	n := len(x)
	if n < 2 {
		return 0, fmt.Errorf("%w: ICC(3,1) needs at least 2 subjects, got %d", ErrInput, n)
	}
	k := len(x[0])
	if k < 2 {
		return 0, fmt.Errorf("%w: ICC(3,1) needs at least 2 conditions, got %d", ErrInput, k)
	}
	rows := make([]float64, n)
	cols := make([]float64, k)
	var grand float64
	for i, r := range x {
		if len(r) != k {
			return 0, fmt.Errorf("%w: ICC(3,1): subject %d has %d values, subject 0 has %d", ErrInput, i, len(r), k)
		}
		for j, v := range r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("%w: ICC(3,1): value %g of subject %d, condition %d", ErrInput, v, i, j)
			}
			rows[i] += v / float64(k)
			cols[j] += v / float64(n)
			grand += v / float64(n*k)
		}
	}
	var ssr, sse float64
	for i, r := range x {
		ssr += (rows[i] - grand) * (rows[i] - grand)
		for j, v := range r {
			e := v - rows[i] - cols[j] + grand
			sse += e * e
		}
	}
	msr := float64(k) * ssr / float64(n-1)
	mse := sse / float64((n-1)*(k-1))
	den := msr + float64(k-1)*mse
	// Differences at rounding level of the values count as none.
	if den <= 1e-24*math.Max(1, grand*grand) {
		return 0, ErrICCUndefined
	}
	return (msr - mse) / den, nil
}

// Case is one image and its segmentation.
type Case struct {
	Name  string
	Image *imaging.Volume
	Mask  *imaging.Mask
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
			fs, err := Extract(c.Image, m, s)
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
