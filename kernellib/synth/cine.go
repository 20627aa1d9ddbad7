package synth

import (
	"image"
	"math"
)

// CEUS display constants (package documentation, "CEUS").
const (
	ceusTopDB          = 12  // display top, dB above the liver's portal peak
	tissueResidualDB   = -34 // tissue signal left by contrast-specific imaging, dB re liver peak
	noiseFloorCEUSDB   = -40 // electronic noise, dB re liver peak
	bubblePSFLateralPx = 1.3 // bubble speckle PSF, lateral σ, px of a 128-px field
	bubblePSFAxialPx   = 0.9 // axial σ
)

// Cine is a simulated CEUS cine.
type Cine struct {
	Frames           []*image.Gray // 8-bit display frames, Width×Height
	Times            []float64     // acquisition time of each frame, s after the first (Times[0] = 0)
	InjectionOffsetS float64       // injection time, s after the first frame
	// Displacement is the breathing displacement (x, y) of the tissue in
	// each frame, in pixels; the masks are drawn at (0, 0).
	Displacement   [][2]float64
	PixelSpacingMM float64
}

// FrameTimes returns the acquisition times of p's frames for pt: frame i is
// taken at i/FrameRate + ε_i, ε_i ~ N(0, FrameJitterS²) clipped to
// ±0.25/FrameRate, and frame 0 at exactly 0, so the times strictly increase
// and the intervals vary as a scanner's Frame Time Vector (DICOM PS3.3
// C.7.6.5.1.2) records them.
func FrameTimes(p Params, pt *Patient) []float64 {
	r := newRNG(pt.CohortSeed, streamCine, pt.Index)
	return frameTimes(p, r)
}

func frameTimes(p Params, r interface{ NormFloat64() float64 }) []float64 {
	n := p.nFrames()
	t := make([]float64, n)
	lim := 0.25 / p.FrameRate
	for i := 1; i < n; i++ {
		t[i] = float64(i)/p.FrameRate + clamp(p.FrameJitterS*r.NormFloat64(), -lim, lim)
	}
	return t
}

// BreathingDisplacement returns the tissue displacement at cine time t, in
// pixels: A·cos⁴(πt/T − φ)·(cos α, sin α), the breathing model of Lujan et al.
// (Med Phys 26:715, 1999) with n = 2 (z(t) = z0 − b·cos^{2n}(πt/τ − φ)):
// still at end-expiration most of the time, A at peak inspiration. A is
// Params.BreathingAmplitudePx (scaled to the field); T, φ and α are the
// patient's BreathPeriodS, BreathPhase and BreathAngle.
func BreathingDisplacement(p Params, pt *Patient, t float64) (dx, dy float64) {
	k := pt.Kinetics
	c := math.Cos(math.Pi*t/k.BreathPeriodS - k.BreathPhase)
	m := p.BreathingAmplitudePx * p.scale() * c * c * c * c
	return m * math.Cos(k.BreathAngle), m * math.Sin(k.BreathAngle)
}

// SimulateCine returns pt's CEUS cine. Each frame at time t (τ = t − injection
// after the injection) is, per pixel x,
//
//	I(x) = g(y)·[S(x − d(t))·B_t(x) + T(x − d(t))] + N_0·E_t(x)
//
// where S = Σ_k w_k(x)·ℓ_k(τ) is the contrast signal (the components of
// Kinetics.TissueCurves, weighted per pixel by the Anatomy's perfusion and
// late-fraction fields and blurred by the PSF), d(t) the breathing
// displacement (bilinear interpolation), B_t fresh bubble speckle
// (exponential, mean 1, PSF σ 1.3 × 0.9 px; bubbles move between frames so
// it decorrelates), T the tissue residual (tissue echo at −34 dB), g the
// depth attenuation, N_0·E_t exponential noise at −40 dB. The display value is
// the log compression of I over Params.CEUSDynamicRangeDB with the top 12 dB
// above the liver's portal peak, shifted by the patient's CEUSGainDB plus the
// centre's Params.CEUSGainOffsetDB.
func SimulateCine(p Params, pt *Patient) (*Cine, error) {
	a, err := SimulateAnatomy(p, pt)
	if err != nil {
		return nil, err
	}
	return renderCine(p, pt, a, tissueEcho(p, pt, a)), nil
}

// contrastWeights returns the per-pixel weights w_k of the components on a's
// padded grid, blurred by the PSF.
func contrastWeights(p Params, pt *Patient, a *Anatomy) [nComp][]float64 {
	n := len(a.Labels)
	k := pt.Kinetics
	var w [nComp][]float64
	for c := range w {
		w[c] = make([]float64, n)
	}
	for i, l := range a.Labels {
		switch l {
		case TissueViable:
			w[compTumourArterial][i] = k.TumourPeak * a.Perfusion[i]
			w[compTumourLate][i] = k.TumourPeak * a.Perfusion[i] * k.TumourLateFrac * a.LateFrac[i]
		case TissueLiver:
			w[compLiverArterial][i] = liverArterialWeight * a.LiverPerf[i]
			w[compLiverPortal][i] = a.LiverPerf[i]
		case TissueRim:
			w[compRim][i] = rimPeak * k.RimStrength
		case TissueVessel:
			w[compVessel][i] = vesselPeak
		}
	}
	for c := range w {
		blurSame(w[c], a.GridWidth(), a.GridHeight(), psfSigmaPx*p.scale())
	}
	return w
}

// renderCine makes the frames of SimulateCine from the anatomy and the tissue
// echo.
func renderCine(p Params, pt *Patient, a *Anatomy, echo []float64) *Cine {
	W, H := p.Width, p.Height
	gw := a.GridWidth()
	r := newRNG(pt.CohortSeed, streamCine, pt.Index)
	times := frameTimes(p, r)
	w := contrastWeights(p, pt, a)
	resid := math.Pow(10, tissueResidualDB/10)
	tis := make([]float64, len(echo))
	for i, e := range echo {
		tis[i] = resid * e
	}
	noise := math.Pow(10, noiseFloorCEUSDB/10)
	lc := newLogCompress(pt.Kinetics.CEUSGainDB+p.CEUSGainOffsetDB, ceusTopDB, p.CEUSDynamicRangeDB)
	gy := depthGain(p)
	sp := newSpeckler(W, H, bubblePSFLateralPx*p.scale(), bubblePSFAxialPx*p.scale())
	bubbles := make([]float64, W*H)
	sig := make([]float64, len(echo))
	c := &Cine{
		Frames: make([]*image.Gray, len(times)), Times: times,
		InjectionOffsetS: pt.InjectionOffsetS, PixelSpacingMM: a.PixelSpacingMM,
		Displacement: make([][2]float64, len(times)),
	}
	var cv [nComp]float64
	m := float64(a.Margin)
	for f, t := range times {
		pt.Kinetics.curves(t-pt.InjectionOffsetS, &cv)
		for i := range sig {
			sig[i] = 0
		}
		for k := 0; k < nComp; k++ {
			if cv[k] == 0 {
				continue
			}
			ck := cv[k]
			for i, wk := range w[k] {
				sig[i] += wk * ck
			}
		}
		dx, dy := BreathingDisplacement(p, pt, t)
		c.Displacement[f] = [2]float64{dx, dy}
		// Output pixel (x, y) shows the tissue at rest position (x−dx, y−dy).
		sx, sy := m-dx, m-dy
		ix, iy := math.Floor(sx), math.Floor(sy)
		fx, fy := sx-ix, sy-iy
		w00, w10, w01, w11 := (1-fx)*(1-fy), fx*(1-fy), (1-fx)*fy, fx*fy
		ox, oy := int(ix), int(iy)
		sp.draw(r, bubbles)
		img := image.NewGray(image.Rect(0, 0, W, H))
		for y := 0; y < H; y++ {
			base := (y+oy)*gw + ox
			g := gy[y]
			pix := img.Pix[y*img.Stride : y*img.Stride+W]
			bub := bubbles[y*W : (y+1)*W]
			for x := range pix {
				j := base + x
				s := w00*sig[j] + w10*sig[j+1] + w01*sig[j+gw] + w11*sig[j+gw+1]
				ts := w00*tis[j] + w10*tis[j+1] + w01*tis[j+gw] + w11*tis[j+gw+1]
				pix[x] = lc.value(g*(s*bub[x]+ts) + noise*r.ExpFloat64())
			}
		}
		c.Frames[f] = img
	}
	return c
}

// Images are everything SimulatePatient makes for one patient.
type Images struct {
	Anatomy *Anatomy
	Cine    *Cine
	BMode   *image.Gray
	Lesion  *image.Gray // lesion mask, 0/255
	Liver   *image.Gray // liver reference mask, 0/255
}

// SimulatePatient makes pt's anatomy, cine, B-mode image and masks at once
// (the same as SimulateAnatomy, SimulateCine, SimulateBMode and
// SimulateMasks, sharing the anatomy).
func SimulatePatient(p Params, pt *Patient) (*Images, error) {
	a, err := SimulateAnatomy(p, pt)
	if err != nil {
		return nil, err
	}
	echo := tissueEcho(p, pt, a)
	return &Images{
		Anatomy: a,
		Cine:    renderCine(p, pt, a, echo),
		BMode:   renderBMode(p, pt, a, echo),
		Lesion:  a.LesionMask(),
		Liver:   a.LiverMask(),
	}, nil
}

// SimulateMasks returns pt's lesion and liver masks (Anatomy.LesionMask and
// Anatomy.LiverMask), 0/255, in the geometry of the B-mode image and of the
// cine at rest.
func SimulateMasks(p Params, pt *Patient) (lesion, liver *image.Gray, err error) {
	a, err := SimulateAnatomy(p, pt)
	if err != nil {
		return nil, nil, err
	}
	return a.LesionMask(), a.LiverMask(), nil
}
