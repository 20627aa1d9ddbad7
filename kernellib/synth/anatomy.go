package synth

import (
	"fmt"
	"image"
	"math"
	"sort"
)

// Tissue classes of an Anatomy's label map.
const (
	TissueWall     uint8 = iota // abdominal wall above the liver capsule: no contrast
	TissueLiver                 // portal-fed liver parenchyma
	TissueVessel                // portal-vein branch
	TissueRim                   // capsule/rim around the lesion
	TissueViable                // viable, arterially fed tumour
	TissueNecrosis              // necrotic tumour: no enhancement
)

// Anatomy is the tissue under the probe at rest (end of expiration), on a
// grid that extends Margin pixels beyond each side of the Width×Height field
// so that breathing can move tissue into view. Slices are row-major on that
// grid, (Width+2·Margin)×(Height+2·Margin).
type Anatomy struct {
	Width, Height  int
	Margin         int
	PixelSpacingMM float64 // tumour size / largest lesion diameter in pixels
	CentreX        float64 // lesion centre, field pixels
	CentreY        float64
	RadiusPx       float64 // mean lesion radius R0, pixels

	Labels []uint8 // tissue class (Tissue...)

	// Perfusion is the viable tumour's perfusion multiplier m(x): its mean
	// over viable pixels is exactly 1 (1 elsewhere).
	Perfusion []float64
	// LateFrac is the viable tumour's late-component multiplier β(x),
	// scaled so that the mean of Perfusion·LateFrac over viable pixels is
	// exactly 1 (1 elsewhere).
	LateFrac []float64
	// Grain is the lesion's B-mode grain field, correlated 0.7 with the
	// perfusion pattern (standard normal).
	Grain []float64
	// LesionTex and LiverTex are B-mode textures unrelated to the biology
	// (standard normal).
	LesionTex, LiverTex []float64
	// LiverPerf is the liver parenchyma's mild perfusion texture (mean 1).
	LiverPerf []float64

	capsule capsuleGeom
	vessel  vesselGeom
}

type capsuleGeom struct {
	present             bool
	y0, slope, curv, x0 float64 // capsule y = y0 + slope·(x−x0) + curv·(x−x0)², padded grid
}

func (c capsuleGeom) y(x float64) float64 {
	d := x - c.x0
	return c.y0 + c.slope*d + c.curv*d*d
}

type vesselGeom struct {
	present      bool
	cx, cy       float64 // lesion centre, padded grid
	nx, ny       float64 // unit normal of the vessel axis
	d, curv, rad float64
	wall         float64
}

// offset is the signed distance-like coordinate of (x, y) from the vessel's
// axis: s − κu², with s along the normal and u along the axis.
func (v vesselGeom) offset(x, y float64) float64 {
	dx, dy := x-v.cx, y-v.cy
	s := v.nx*dx + v.ny*dy - v.d
	u := -v.ny*dx + v.nx*dy
	return s - v.curv*u*u
}

// GridWidth is the width of the padded grid: Width + 2·Margin.
func (a *Anatomy) GridWidth() int { return a.Width + 2*a.Margin }

// GridHeight is the height of the padded grid: Height + 2·Margin.
func (a *Anatomy) GridHeight() int { return a.Height + 2*a.Margin }

// margin is the padding of the grid for p: the breathing amplitude plus 2.
func (p Params) margin() int { return int(math.Ceil(p.BreathingAmplitudePx*p.scale())) + 2 }

// SimulateAnatomy builds the tissue map of pt at rest:
//
//   - the lesion: the star-shaped region |x−c| ≤ r(θ) around a centre c near
//     the middle of the field, with r(θ) = R0·e(θ)·(1 + Σ_{k=2..7} a_k cos(kθ+φ_k))
//     clipped to 0.55..1.6·R0, where e(θ) is an area-preserving ellipse of
//     axis ratio 1..1.35² and the harmonic amplitudes a_k ~ N(0, (0.07·g/k^0.7)²)
//     with a patient irregularity g ~ U(0.5, 1.5); R0 ~ U(0.18, 0.26)·min(W, H);
//   - necrosis: the (1−v)·N lesion pixels with the lowest score
//     g1(x) + 1.2(1−h)·(ρ(x) − 2/3)/0.24, g1 a smooth Gaussian field of correlation
//     length R0·(0.45 − 0.3h) and ρ = |x−c|/r(θ): central, compact necrosis
//     when h is low, scattered islands when h is high; the viable fraction
//     is v exactly;
//   - the viable tumour's perfusion m(x) = exp(s_m·g2)/mean(exp(s_m·g2)) with
//     s_m = 0.15 + 0.75h and its late-component multiplier β(x) with
//     s = 0.1 + 0.6h, scaled so that m and m·β have mean exactly 1 over the
//     viable pixels: the ROI-mean enhancement does not depend on h;
//   - a capsule/rim 2.5 px wide, an abdominal wall above a curved liver
//     capsule (60 % of patients, when there is room), and a portal-vein
//     branch (80 %) that keeps clear of the lesion.
//
// The pixel spacing makes the largest lesion diameter equal
// pt.Clinical.TumorSizeCM.
func SimulateAnatomy(p Params, pt *Patient) (*Anatomy, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if pt == nil {
		return nil, fmt.Errorf("synth: SimulateAnatomy: nil patient")
	}
	if !(pt.Latent.ViableFraction > 0 && pt.Latent.ViableFraction < 1) || !(pt.Latent.Heterogeneity >= 0 && pt.Latent.Heterogeneity <= 1) || !(pt.Clinical.TumorSizeCM > 0) {
		return nil, fmt.Errorf("synth: SimulateAnatomy %s: ViableFraction %v, Heterogeneity %v, TumorSizeCM %v: want 0<v<1, 0≤h≤1, size>0",
			pt.ID, pt.Latent.ViableFraction, pt.Latent.Heterogeneity, pt.Clinical.TumorSizeCM)
	}
	sc := p.scale()
	m := p.margin()
	a := &Anatomy{Width: p.Width, Height: p.Height, Margin: m}
	gw, gh := a.GridWidth(), a.GridHeight()
	n := gw * gh
	rg := newRNG(pt.CohortSeed, streamGeometry, pt.Index)
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*rg.Float64() }

	// Lesion shape.
	a.RadiusPx = float64(min(p.Width, p.Height)) * u(0.18, 0.26)
	a.CentreX = float64(p.Width)/2 + u(-4, 4)*sc
	a.CentreY = float64(p.Height)/2 + u(-4, 4)*sc
	elong := math.Sqrt(u(1.0, 1.35))
	psi := u(0, math.Pi)
	irr := u(0.5, 1.5)
	var amp, phase [8]float64
	for k := 2; k <= 7; k++ {
		amp[k] = 0.07 * irr / math.Pow(float64(k), 0.7) * rg.NormFloat64()
		phase[k] = u(0, 2*math.Pi)
	}
	r0 := a.RadiusPx
	radius := func(th float64) float64 {
		c, s := math.Cos(th-psi)/elong, math.Sin(th-psi)*elong
		r := 1 / math.Sqrt(c*c+s*s)
		h := 1.0
		for k := 2; k <= 7; k++ {
			h += amp[k] * math.Cos(float64(k)*th+phase[k])
		}
		return clamp(r0*r*h, 0.55*r0, 1.6*r0)
	}
	var maxDiam, maxR float64
	for i := 0; i < 360; i++ {
		th := float64(i) * math.Pi / 180
		maxDiam = math.Max(maxDiam, radius(th)+radius(th+math.Pi))
		maxR = math.Max(maxR, radius(th))
	}
	a.PixelSpacingMM = pt.Clinical.TumorSizeCM * 10 / maxDiam
	rimPx := 2.5 * sc
	cx, cy := a.CentreX+float64(m), a.CentreY+float64(m)

	// Liver capsule and abdominal wall.
	top := a.CentreY - maxR - rimPx
	if rg.Float64() < 0.6 && top >= 16*sc {
		a.capsule = capsuleGeom{present: true, x0: cx,
			y0: u(3*sc, top-10*sc) + float64(m), slope: u(-0.1, 0.1), curv: u(-0.002, 0.002) / sc}
	}
	// Portal-vein branch.
	if rg.Float64() < 0.8 {
		phi := u(0, 2*math.Pi)
		rad := u(2, 3.5) * sc
		a.vessel = vesselGeom{present: true, cx: cx, cy: cy, nx: math.Cos(phi), ny: math.Sin(phi),
			rad: rad, wall: 1.2 * sc, d: maxR + rimPx + rad + u(4, 22)*sc, curv: u(0, 0.006) / sc}
	}

	// Labels and the normalised radius ρ.
	a.Labels = make([]uint8, n)
	rho := make([]float64, n)
	lesion := make([]bool, n)
	var lesionIdx []int
	for y := 0; y < gh; y++ {
		for x := 0; x < gw; x++ {
			i := y*gw + x
			fx, fy := float64(x), float64(y)
			dx, dy := fx-cx, fy-cy
			dist := math.Hypot(dx, dy)
			rth := radius(math.Atan2(dy, dx))
			rho[i] = dist / rth
			switch {
			case a.capsule.present && fy < a.capsule.y(fx):
				a.Labels[i] = TissueWall
			case dist <= rth:
				a.Labels[i] = TissueViable
				lesion[i] = true
				lesionIdx = append(lesionIdx, i)
			case dist-rth <= rimPx:
				a.Labels[i] = TissueRim
			case a.vessel.present && math.Abs(a.vessel.offset(fx, fy)) < a.vessel.rad:
				a.Labels[i] = TissueVessel
			default:
				a.Labels[i] = TissueLiver
			}
		}
	}
	if len(lesionIdx) < 16 {
		return nil, fmt.Errorf("synth: SimulateAnatomy %s: lesion of %d pixels: the field is too small", pt.ID, len(lesionIdx))
	}

	// Necrosis: the lowest scores of a smooth field plus a radial bias.
	h, v := pt.Latent.Heterogeneity, pt.Latent.ViableFraction
	rf := newRNG(pt.CohortSeed, streamFields, pt.Index)
	g1 := smoothField(rf, gw, gh, r0*(0.45-0.3*h), lesion)
	lambda := 1.2 * (1 - h)
	score := make([]float64, len(lesionIdx))
	for j, i := range lesionIdx {
		score[j] = g1[i] + lambda*(rho[i]-2.0/3)/0.24
	}
	order := make([]int, len(lesionIdx))
	for j := range order {
		order[j] = j
	}
	sort.SliceStable(order, func(x, y int) bool { return score[order[x]] < score[order[y]] })
	nNec := int(math.Round((1 - v) * float64(len(lesionIdx))))
	viable := make([]bool, n)
	for _, i := range lesionIdx {
		viable[i] = true
	}
	for _, j := range order[:nNec] {
		i := lesionIdx[j]
		a.Labels[i] = TissueNecrosis
		viable[i] = false
	}

	// Perfusion and late-fraction multipliers, mean 1 over viable pixels.
	g2 := smoothField(rf, gw, gh, 0.18*r0, viable)
	g4 := smoothField(rf, gw, gh, 0.25*r0, viable)
	a.Perfusion = meanOneLogNormal(g2, 0.15+0.75*h, viable)
	a.LateFrac = meanOneLogNormal(g4, 0.1+0.6*h, viable)
	// Renormalise the late multiplier so that mean(m·β) = 1 exactly too:
	// the two fields are independent, but over one lesion their sample
	// covariance is not zero.
	var mb float64
	nv := 0
	for i, ok := range viable {
		if ok {
			mb += a.Perfusion[i] * a.LateFrac[i]
			nv++
		}
	}
	mb /= float64(nv)
	for i, ok := range viable {
		if ok {
			a.LateFrac[i] /= mb
		}
	}
	gx := smoothField(rf, gw, gh, 0.18*r0, lesion)
	a.Grain = make([]float64, n)
	for i := range gx {
		a.Grain[i] = 0.7*g2[i] + math.Sqrt(1-0.49)*gx[i]
	}
	a.LesionTex = smoothField(rf, gw, gh, 0.08*r0, lesion)
	a.LiverTex = smoothField(rf, gw, gh, 2.5*sc, nil)
	a.LiverPerf = meanOneLogNormal(smoothField(rf, gw, gh, 4*sc, nil), 0.12, nil)
	return a, nil
}

// meanOneLogNormal returns exp(s·g)/mean(exp(s·g)), the mean taken over the
// pixels where sel is true (all when sel is nil); it is 1 where sel is false.
func meanOneLogNormal(g []float64, s float64, sel []bool) []float64 {
	out := make([]float64, len(g))
	var sum float64
	k := 0
	for i, v := range g {
		if sel == nil || sel[i] {
			out[i] = math.Exp(s * v)
			sum += out[i]
			k++
		}
	}
	for i := range out {
		if sel == nil || sel[i] {
			out[i] /= sum / float64(k)
		} else {
			out[i] = 1
		}
	}
	return out
}

// crop returns the W×H field at rest as a Gray image whose pixel is f(label).
func (a *Anatomy) crop(f func(i int) uint8) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, a.Width, a.Height))
	gw := a.GridWidth()
	for y := 0; y < a.Height; y++ {
		for x := 0; x < a.Width; x++ {
			img.Pix[y*img.Stride+x] = f((y+a.Margin)*gw + x + a.Margin)
		}
	}
	return img
}

// LabelImage returns the tissue classes of the field at rest (values
// TissueWall..TissueNecrosis).
func (a *Anatomy) LabelImage() *image.Gray {
	return a.crop(func(i int) uint8 { return a.Labels[i] })
}

// LesionMask returns the lesion (viable tumour and necrosis, the rim
// excluded) at rest: 255 inside, 0 outside. It is the region the lesion's
// time–intensity curve and radiomic features are taken from.
func (a *Anatomy) LesionMask() *image.Gray {
	return a.crop(func(i int) uint8 {
		if l := a.Labels[i]; l == TissueViable || l == TissueNecrosis {
			return 255
		}
		return 0
	})
}

// LiverMask returns the reference region of liver parenchyma at rest: 255
// on liver pixels farther than 3 px (scaled) from any lesion, rim, vessel or
// wall pixel, 0 elsewhere. It excludes the lesion, so it serves lesion-to-
// liver ratios of the time–intensity curve.
func (a *Anatomy) LiverMask() *image.Gray {
	gw, gh := a.GridWidth(), a.GridHeight()
	d := int(math.Ceil(3 * float64(min(a.Width, a.Height)) / 128))
	ok := make([]bool, len(a.Labels))
	for i, l := range a.Labels {
		ok[i] = l == TissueLiver
	}
	// Erode by a (2d+1)² square: separable minimum along x then y.
	tmp := make([]bool, len(ok))
	for y := 0; y < gh; y++ {
		for x := 0; x < gw; x++ {
			v := true
			for k := max(0, x-d); k <= min(gw-1, x+d) && v; k++ {
				v = ok[y*gw+k]
			}
			tmp[y*gw+x] = v
		}
	}
	for y := 0; y < gh; y++ {
		for x := 0; x < gw; x++ {
			v := true
			for k := max(0, y-d); k <= min(gh-1, y+d) && v; k++ {
				v = tmp[k*gw+x]
			}
			ok[y*gw+x] = v
		}
	}
	return a.crop(func(i int) uint8 {
		if ok[i] {
			return 255
		}
		return 0
	})
}
