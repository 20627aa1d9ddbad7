package radiomics

import (
	"fmt"
	"math"
	"slices"
)

// PeakRadiusMM is the radius of the 1 cm³ sphere of the local intensity features (IBSI
// 3.2): r = (3/(4π))^{1/3} cm.
const PeakRadiusMM = 6.203504908994001

// localGrowth is how many times MaxROIVoxels the box grown by the sphere's radius may
// hold: its prefix sums take 8 bytes a voxel, so 16 × 8 = 128 bytes per voxel of the
// limit, within BytesPerROIVoxel (the other families' memory is not held meanwhile).
const localGrowth = 16

// sphereMeans returns, for each voxel of r's intensity mask (in voxel order) its
// intensity and the mean intensity of the image voxels whose centres lie within
// PeakRadiusMM of its centre (voxels outside the region included, voxels beyond the
// image left out). In a one-slice image the sphere meets the image in a disc.
func (r *ROI) sphereMeans() (x, mean []float64, err error) {
	img := r.img
	if img == nil {
		return nil, nil, fmt.Errorf("%w: local intensity needs the whole image; use Prepare", ErrInput)
	}
	sp := r.Spacing
	R := PeakRadiusMM
	ky := int(R / sp[1])
	kz := 0
	if img.Nz > 1 {
		kz = int(R / sp[2])
	}
	type span struct{ dy, dz, a int }
	var spans []span
	for dz := -kz; dz <= kz; dz++ {
		for dy := -ky; dy <= ky; dy++ {
			rem := R*R*(1+1e-12) - float64(dz*dz)*sp[2]*sp[2] - float64(dy*dy)*sp[1]*sp[1]
			if img.Nz == 1 && dz != 0 {
				continue
			}
			if rem < 0 {
				continue
			}
			spans = append(spans, span{dy, dz, int(math.Sqrt(rem) / sp[0])})
		}
	}
	// Prefix sums along x over the rows of the box grown by the sphere.
	kx := int(R / sp[0])
	x0, x1 := max(0, r.Origin[0]-kx), min(img.Nx, r.Origin[0]+r.Nx+kx)
	y0, y1 := max(0, r.Origin[1]-ky), min(img.Ny, r.Origin[1]+r.Ny+ky)
	z0, z1 := max(0, r.Origin[2]-kz), min(img.Nz, r.Origin[2]+r.Nz+kz)
	w := x1 - x0 + 1
	ny := y1 - y0
	if lim := r.maxVox; lim > 0 && (x1-x0)*ny*(z1-z0) > localGrowth*lim {
		return nil, nil, fmt.Errorf("%w: local intensity reads the region grown by the %.2f mm sphere radius, %d×%d×%d = %d voxels of %g × %g × %g mm, more than %d × MaxROIVoxels = %d; "+
			"raise Settings.MaxROIVoxels (ceusrad radiomics -max-roi-voxels) or leave the family out",
			ErrROITooLarge, R, x1-x0, ny, z1-z0, (x1-x0)*ny*(z1-z0), sp[0], sp[1], sp[2], localGrowth, localGrowth*lim)
	}
	pre := make([]float64, w*ny*(z1-z0))
	for z := z0; z < z1; z++ {
		for y := y0; y < y1; y++ {
			row := img.Data[img.Nx*(y+img.Ny*z):]
			p := pre[w*((y-y0)+ny*(z-z0)):]
			for x := x0; x < x1; x++ {
				if math.IsNaN(row[x]) || math.IsInf(row[x], 0) {
					return nil, nil, fmt.Errorf("%w: intensity %g at voxel (%d, %d, %d), within %.2f mm of the region: local intensity needs finite values", ErrInput, row[x], x, y, z, R)
				}
				p[x-x0+1] = p[x-x0] + row[x]
			}
		}
	}
	// Row by row of centres: sums[bx] accumulates the sphere sum of the centre at box
	// column bx, cnt[bx] the number of image voxels in it. Spans of equal half-width
	// are taken two at a time, and the counts of the unclamped centres go through a
	// difference array, which keeps the inner loop short.
	slices.SortStableFunc(spans, func(a, b span) int { return a.a - b.a })
	nIn := r.NumIntensity()
	x = make([]float64, 0, nIn)
	mean = make([]float64, 0, nIn)
	sums := make([]float64, r.Nx)
	cnt := make([]int, r.Nx+1)
	ox := r.Origin[0]
	rowOf := func(q span, cy, cz int) []float64 {
		y, z := cy+q.dy, cz+q.dz
		if y < y0 || y >= y1 || z < z0 || z >= z1 {
			return nil
		}
		o := w * ((y - y0) + ny*(z-z0))
		return pre[o : o+w]
	}
	// clamped adds one span's sums at the centres whose span leaves [x0, x1).
	clamped := func(p []float64, q span, from, to int) {
		for bx := from; bx < to; bx++ {
			cx := ox + bx
			a, b := max(x0, cx-q.a), min(x1-1, cx+q.a)
			if a <= b {
				sums[bx] += p[b-x0+1] - p[a-x0]
				cnt[bx] += b - a + 1
				cnt[bx+1] -= b - a + 1
			}
		}
	}
	for bz := 0; bz < r.Nz; bz++ {
		for by := 0; by < r.Ny; by++ {
			base := r.Nx * (by + r.Ny*bz)
			row := r.Int[base : base+r.Nx]
			if !slices.Contains(row, true) {
				continue
			}
			clear(sums)
			clear(cnt)
			cy, cz := r.Origin[1]+by, r.Origin[2]+bz
			for i := 0; i < len(spans); {
				q := spans[i]
				p1 := rowOf(q, cy, cz)
				var p2 []float64
				step := 1
				if i+1 < len(spans) && spans[i+1].a == q.a {
					p2 = rowOf(spans[i+1], cy, cz)
					step = 2
				}
				i += step
				if p1 == nil {
					p1, p2 = p2, nil
				}
				if p1 == nil {
					continue
				}
				lo := min(r.Nx, max(0, x0+q.a-ox))
				hi := max(lo, min(r.Nx, x1-q.a-ox)) // centres lo..hi-1 need no clamping
				clamped(p1, q, 0, lo)
				clamped(p1, q, hi, r.Nx)
				if p2 != nil {
					clamped(p2, q, 0, lo)
					clamped(p2, q, hi, r.Nx)
				}
				if lo == hi {
					continue
				}
				n := 2*q.a + 1
				off := lo + ox - q.a - x0
				sv := sums[lo:hi]
				if p2 == nil {
					a, b := p1[off:off+len(sv)], p1[off+n:off+n+len(sv)]
					for k := range sv {
						sv[k] += b[k] - a[k]
					}
					cnt[lo] += n
					cnt[hi] -= n
				} else {
					a, b := p1[off:off+len(sv)], p1[off+n:off+n+len(sv)]
					c, d := p2[off:off+len(sv)], p2[off+n:off+n+len(sv)]
					for k := range sv {
						sv[k] += (b[k] - a[k]) + (d[k] - c[k])
					}
					cnt[lo] += 2 * n
					cnt[hi] -= 2 * n
				}
			}
			run := 0
			for bx, in := range row {
				run += cnt[bx]
				if in {
					x = append(x, r.X[base+bx])
					mean = append(mean, sums[bx]/float64(run))
				}
			}
		}
	}
	return x, mean, nil
}

// Local intensity features (IBSI 3.2).
var localDefs = []def[[2][]float64]{
	{"local_intensity_peak", "VJGA", localPeak},
	{"global_intensity_peak", "0F91", globalPeak},
}

// localPeak is the local intensity peak (IBSI VJGA): the mean intensity in the 1 cm³
// sphere centred on the voxel of the intensity mask with the highest intensity; with
// several such voxels, the largest of their means. v holds the intensities and the
// sphere means (ROI.sphereMeans).
func localPeak(v [2][]float64) float64 {
	x, m := v[0], v[1]
	hi := math.Inf(-1)
	for _, xi := range x {
		hi = max(hi, xi)
	}
	best := math.Inf(-1)
	for i, xi := range x {
		if xi == hi {
			best = max(best, m[i])
		}
	}
	return best
}

// globalPeak is the global intensity peak (IBSI 0F91): the largest mean intensity in a
// 1 cm³ sphere centred on any voxel of the intensity mask.
func globalPeak(v [2][]float64) float64 {
	best := math.Inf(-1)
	for _, mi := range v[1] {
		best = max(best, mi)
	}
	return best
}

// LocalIntensity returns the local intensity features (IBSI 3.2) of r.
func (r *ROI) LocalIntensity() ([]Feature, error) {
	x, m, err := r.sphereMeans()
	if err != nil {
		return nil, err
	}
	v := [2][]float64{x, m}
	return emit(nil, FamilyLocalIntensity, "", localDefs, evalDefs(localDefs, v)), nil
}
