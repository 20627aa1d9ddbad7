package radiomics

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// morphCtx holds what the 3D morphological features (IBSI 3.1) are computed from.
type morphCtx struct {
	vol, area         float64    // mesh volume and area (mm³, mm²)
	nv                int        // voxels of the morphological mask
	voxVol            float64    // volume of one voxel (mm³)
	lambda            [3]float64 // eigenvalues of the covariance of the voxel centres (mm²), decreasing
	com               float64    // centre of mass shift (mm)
	diameter          float64    // largest distance between hull vertices (mm)
	aabb              [3]float64 // extent of the mesh vertices along x, y, z (mm)
	hullVol, hullArea float64    // volume and area of the convex hull of the mesh
	meanInt           float64    // mean intensity of the intensity mask
	moran, geary      float64    // Moran's I and Geary's C
}

func (r *ROI) morphCtx() *morphCtx {
	c := &morphCtx{}
	m := surfaceStats(r)
	c.vol, c.area = m.vol, m.area
	sp := r.Spacing
	c.voxVol = sp[0] * sp[1] * sp[2]
	c.nv = r.NumMorph()
	for k := 0; k < 3; k++ {
		c.aabb[k] = m.hi[k] - m.lo[k]
	}
	if h := convexHull3(m.hullPts); h != nil {
		var hv [][3]float64
		c.hullVol, c.hullArea, hv = hullMeasures(h, sp)
		c.diameter = maxDistance(hv)
	}
	c.lambda = r.principal(3)
	c.com = r.centreOfMassShift()
	c.meanInt = newDist(r.intensities()).mean
	c.moran, c.geary = r.moranGeary()
	return c
}

// eachVoxel calls f with the index and centre (mm) of every voxel of r's box, in order.
func (r *ROI) eachVoxel(f func(i int, p [3]float64)) {
	i := 0
	for z := 0; z < r.Nz; z++ {
		pz := float64(z) * r.Spacing[2]
		for y := 0; y < r.Ny; y++ {
			py := float64(y) * r.Spacing[1]
			for x := 0; x < r.Nx; x++ {
				f(i, [3]float64{float64(x) * r.Spacing[0], py, pz})
				i++
			}
		}
	}
}

// principal returns the eigenvalues, largest first, of the sample covariance matrix
// (divided by N − 1, as NumPy's cov) of the centres (mm) of the morphological mask's
// voxels, in 3 or 2 (x, y) dims; zeros for one voxel.
func (r *ROI) principal(dims int) [3]float64 {
	var out [3]float64
	// One pass: Σ p and Σ p pᵀ, then the covariance about the mean.
	var s1 [3]float64
	var s2 [3][3]float64
	n := 0
	r.eachVoxel(func(i int, p [3]float64) {
		if !r.Morph[i] {
			return
		}
		n++
		for a := 0; a < 3; a++ {
			s1[a] += p[a]
			for b := a; b < 3; b++ {
				s2[a][b] += p[a] * p[b]
			}
		}
	})
	if n < 2 {
		return out
	}
	nf := float64(n)
	cov := mat.NewSymDense(dims, nil)
	for a := 0; a < dims; a++ {
		for b := a; b < dims; b++ {
			cov.SetSym(a, b, (s2[a][b]-s1[a]*s1[b]/nf)/(nf-1))
		}
	}
	var es mat.EigenSym
	if !es.Factorize(cov, false) {
		return out
	}
	ev := es.Values(nil) // increasing
	for k := range ev {
		out[k] = max(0, ev[len(ev)-1-k])
	}
	return out
}

// centreOfMassShift is the distance (mm) between the centre of the morphological mask's
// voxels and the intensity-weighted centre of the intensity mask's voxels, Σ X_k r_k /
// Σ X_k (IBSI KLMA); 0 when Σ X_k = 0.
func (r *ROI) centreOfMassShift() float64 {
	var g, w [3]float64
	var n, sw float64
	r.eachVoxel(func(i int, p [3]float64) {
		if r.Morph[i] {
			for k := 0; k < 3; k++ {
				g[k] += p[k]
			}
			n++
		}
		if r.Int[i] {
			for k := 0; k < 3; k++ {
				w[k] += r.X[i] * p[k]
			}
			sw += r.X[i]
		}
	})
	if sw == 0 {
		return 0
	}
	var d2 float64
	for k := 0; k < 3; k++ {
		d := g[k]/n - w[k]/sw
		d2 += d * d
	}
	return math.Sqrt(d2)
}

// ellipsoidArea approximates the surface area of an ellipsoid with semi-axes
// a ≥ b ≥ c by the Legendre series of IBSI 3.1.20 (RDD2): 4π a b Σ_{ν=0}^{20}
// (αβ)^ν P_ν((α² + β²)/(2αβ))/(1 − 4ν²), α = √(1 − b²/a²), β = √(1 − c²/a²), with
// (αβ)^ν P_ν evaluated by the Legendre recurrence to stay finite as αβ → 0.
func ellipsoidArea(a, b, c float64) float64 {
	if a <= 0 {
		return 0
	}
	al := math.Sqrt(max(0, 1-b*b/(a*a)))
	be := math.Sqrt(max(0, 1-c*c/(a*a)))
	u := al * be
	h := (al*al + be*be) / 2 // x·u
	q0, q1 := 1.0, h         // Q_ν = u^ν P_ν(x)
	sum := q0 / 1
	for nu := 1; nu <= 20; nu++ {
		sum += q1 / (1 - 4*float64(nu*nu))
		q0, q1 = q1, ((2*float64(nu)+1)*h*q1-float64(nu)*u*u*q0)/float64(nu+1)
	}
	return 4 * math.Pi * a * b * sum
}

// 3D morphological features (IBSI 3.1), from the marching-cubes mesh of the
// morphological mask (volume V, area A; mesh.go), its convex hull, and the principal
// components λ₁ ≥ λ₂ ≥ λ₃ of its voxel centres. Ratios with a vanishing denominator
// (a flat region has λ₃ = 0) take the value 0; elongation and flatness are 1 when
// λ₁ = 0 (one voxel).
var morphDefs = []def[*morphCtx]{
	{"volume_mesh", "RNU0", morphVolume},
	{"volume_voxel_counting", "YEKZ", morphVoxelVolume},
	{"surface_area_mesh", "C0JK", morphArea},
	{"surface_to_volume_ratio", "2PR5", morphSurfaceToVolume},
	{"compactness_1", "SKGS", morphCompactness1},
	{"compactness_2", "BQWJ", morphCompactness2},
	{"spherical_disproportion", "KRCK", morphSphericalDisproportion},
	{"sphericity", "QCFX", morphSphericity},
	{"asphericity", "25C7", morphAsphericity},
	{"centre_of_mass_shift", "KLMA", func(c *morphCtx) float64 { return c.com }},
	{"maximum_3d_diameter", "L0JK", func(c *morphCtx) float64 { return c.diameter }},
	{"major_axis_length", "TDIC", morphMajor},
	{"minor_axis_length", "P9VJ", morphMinor},
	{"least_axis_length", "7J51", morphLeast},
	{"elongation", "Q3CK", morphElongation},
	{"flatness", "N17B", morphFlatness},
	{"volume_density_axis_aligned_bounding_box", "PBX1", morphVolumeDensityAABB},
	{"area_density_axis_aligned_bounding_box", "R59B", morphAreaDensityAABB},
	{"volume_density_approximate_enclosing_ellipsoid", "6BDE", morphVolumeDensityAEE},
	{"area_density_approximate_enclosing_ellipsoid", "RDD2", morphAreaDensityAEE},
	{"volume_density_convex_hull", "R3ER", morphVolumeDensityHull},
	{"area_density_convex_hull", "7T7F", morphAreaDensityHull},
	{"integrated_intensity", "99N0", morphIntegratedIntensity},
	{"morans_i_index", "N365", func(c *morphCtx) float64 { return c.moran }},
	{"gearys_c_measure", "NPT7", func(c *morphCtx) float64 { return c.geary }},
}

// morphVolume is the mesh volume V (IBSI RNU0), mm³.
func morphVolume(c *morphCtx) float64 { return c.vol }

// morphVoxelVolume is the voxel-counting volume N_v · voxel volume (IBSI YEKZ), mm³.
func morphVoxelVolume(c *morphCtx) float64 { return float64(c.nv) * c.voxVol }

// morphArea is the mesh surface area A (IBSI C0JK), mm².
func morphArea(c *morphCtx) float64 { return c.area }

// morphSurfaceToVolume is A/V (IBSI 2PR5), mm⁻¹.
func morphSurfaceToVolume(c *morphCtx) float64 { return ratio(c.area, c.vol, 0) }

// morphCompactness1 is V/(π^{1/2} A^{3/2}) (IBSI SKGS).
func morphCompactness1(c *morphCtx) float64 {
	return ratio(c.vol, math.Sqrt(math.Pi)*math.Pow(c.area, 1.5), 0)
}

// morphCompactness2 is 36π V²/A³ (IBSI BQWJ).
func morphCompactness2(c *morphCtx) float64 {
	return ratio(36*math.Pi*c.vol*c.vol, c.area*c.area*c.area, 0)
}

// morphSphericalDisproportion is A/(36π V²)^{1/3} (IBSI KRCK).
func morphSphericalDisproportion(c *morphCtx) float64 {
	return ratio(c.area, math.Cbrt(36*math.Pi*c.vol*c.vol), 0)
}

// morphSphericity is (36π V²)^{1/3}/A (IBSI QCFX).
func morphSphericity(c *morphCtx) float64 {
	return ratio(math.Cbrt(36*math.Pi*c.vol*c.vol), c.area, 0)
}

// morphAsphericity is (A³/(36π V²))^{1/3} − 1 (IBSI 25C7).
func morphAsphericity(c *morphCtx) float64 {
	return ratio(c.area, math.Cbrt(36*math.Pi*c.vol*c.vol), 1) - 1
}

// morphMajor is the major axis length 4√λ₁ (IBSI TDIC), mm.
func morphMajor(c *morphCtx) float64 { return 4 * math.Sqrt(c.lambda[0]) }

// morphMinor is the minor axis length 4√λ₂ (IBSI P9VJ), mm.
func morphMinor(c *morphCtx) float64 { return 4 * math.Sqrt(c.lambda[1]) }

// morphLeast is the least axis length 4√λ₃ (IBSI 7J51), mm.
func morphLeast(c *morphCtx) float64 { return 4 * math.Sqrt(c.lambda[2]) }

// morphElongation is √(λ₂/λ₁) (IBSI Q3CK).
func morphElongation(c *morphCtx) float64 { return math.Sqrt(ratio(c.lambda[1], c.lambda[0], 1)) }

// morphFlatness is √(λ₃/λ₁) (IBSI N17B).
func morphFlatness(c *morphCtx) float64 { return math.Sqrt(ratio(c.lambda[2], c.lambda[0], 1)) }

// morphVolumeDensityAABB is V over the volume of the axis-aligned bounding box of the
// mesh (IBSI PBX1).
func morphVolumeDensityAABB(c *morphCtx) float64 {
	return ratio(c.vol, c.aabb[0]*c.aabb[1]*c.aabb[2], 0)
}

// morphAreaDensityAABB is A over the surface area of that box (IBSI R59B).
func morphAreaDensityAABB(c *morphCtx) float64 {
	a := c.aabb
	return ratio(c.area, 2*(a[0]*a[1]+a[0]*a[2]+a[1]*a[2]), 0)
}

func (c *morphCtx) semiAxes() (a, b, cc float64) {
	return 2 * math.Sqrt(c.lambda[0]), 2 * math.Sqrt(c.lambda[1]), 2 * math.Sqrt(c.lambda[2])
}

// morphVolumeDensityAEE is V/(4π a b c/3), with semi-axes a = 2√λ₁, b = 2√λ₂, c = 2√λ₃
// of the approximate enclosing ellipsoid (IBSI 6BDE).
func morphVolumeDensityAEE(c *morphCtx) float64 {
	a, b, cc := c.semiAxes()
	return ratio(c.vol, 4*math.Pi*a*b*cc/3, 0)
}

// morphAreaDensityAEE is A over the ellipsoid's area (ellipsoidArea) (IBSI RDD2).
func morphAreaDensityAEE(c *morphCtx) float64 {
	a, b, cc := c.semiAxes()
	return ratio(c.area, ellipsoidArea(a, b, cc), 0)
}

// morphVolumeDensityHull is V over the volume of the convex hull of the mesh (IBSI R3ER).
func morphVolumeDensityHull(c *morphCtx) float64 { return ratio(c.vol, c.hullVol, 0) }

// morphAreaDensityHull is A over the area of the convex hull of the mesh (IBSI 7T7F).
func morphAreaDensityHull(c *morphCtx) float64 { return ratio(c.area, c.hullArea, 0) }

// morphIntegratedIntensity is V times the mean intensity of the intensity mask (IBSI 99N0).
func morphIntegratedIntensity(c *morphCtx) float64 { return c.vol * c.meanInt }

// Morphology returns the 3D morphological features (IBSI 3.1) of r.
func (r *ROI) Morphology() ([]Feature, error) {
	c := r.morphCtx()
	return emit(nil, FamilyMorphology, "", morphDefs, evalDefs(morphDefs, c)), nil
}
