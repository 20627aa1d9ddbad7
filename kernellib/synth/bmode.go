package synth

import (
	"image"
	"math"
)

// B-mode and tissue constants (package documentation, "B-mode").
const (
	bmodeTopDB        = 25   // display top, dB above mean liver reflectivity
	necrosisEchoDB    = -2.5 // necrotic pixels relative to the lesion's echogenicity
	rimEchoDB         = -6   // hypoechoic halo at RimStrength 1
	vesselLumenDB     = -25  // anechoic lumen
	vesselWallDB      = 5    // bright portal-vein wall
	capsuleLineDB     = 8    // Glisson's capsule, a bright line
	wallEchoDB        = -3   // abdominal wall, mean
	wallStriationDB   = 3    // abdominal-wall layering amplitude
	noiseFloorBModeDB = -40  // electronic noise, dB re liver
	depthAttenDBPerPx = 0.02 // residual attenuation after time-gain compensation, dB per pixel of a 128-px field
	psfSigmaPx        = 0.8  // resolution (partial volume) of tissue boundaries, px of a 128-px field
)

// reflectivityDB returns the tissue's B-mode backscatter in dB relative to
// mean liver, on a's padded grid, before speckle:
//
//	liver      L_tex·g_liver
//	lesion     E + (−2.5 if necrotic) + G·h·grain + T_les·g_lesion
//	rim        −6·rim
//	vessel     −25 (lumen), +5 on a 1.2 px wall
//	wall       −3 + 3·sin(2πy/(6 px)), +8 on the 1.2 px liver capsule
//
// with E = Kinetics.LesionEchoDB, G = Params.BModeGrainDB, h the
// heterogeneity, T_les = LesionTexDB, L_tex = LiverTexDB.
func reflectivityDB(p Params, pt *Patient, a *Anatomy) []float64 {
	gw, gh := a.GridWidth(), a.GridHeight()
	sc := p.scale()
	k := pt.Kinetics
	h := pt.Latent.Heterogeneity
	out := make([]float64, gw*gh)
	for y := 0; y < gh; y++ {
		for x := 0; x < gw; x++ {
			i := y*gw + x
			fx, fy := float64(x), float64(y)
			var db float64
			switch a.Labels[i] {
			case TissueLiver:
				db = k.LiverTexDB * a.LiverTex[i]
			case TissueViable, TissueNecrosis:
				db = k.LesionEchoDB + p.BModeGrainDB*h*a.Grain[i] + k.LesionTexDB*a.LesionTex[i]
				if a.Labels[i] == TissueNecrosis {
					db += necrosisEchoDB
				}
			case TissueRim:
				db = rimEchoDB * k.RimStrength
			case TissueVessel:
				db = vesselLumenDB
			case TissueWall:
				db = wallEchoDB + wallStriationDB*math.Sin(2*math.Pi*fy/(6*sc))
			}
			if a.vessel.present && a.Labels[i] == TissueLiver {
				if o := math.Abs(a.vessel.offset(fx, fy)); o >= a.vessel.rad && o < a.vessel.rad+a.vessel.wall {
					db = vesselWallDB
				}
			}
			if a.capsule.present && math.Abs(fy-a.capsule.y(fx)) < 1.2*sc {
				db = capsuleLineDB
			}
			out[i] = db
		}
	}
	return out
}

// tissueEcho returns the linear backscatter of the tissue at rest on a's
// padded grid: 10^(reflectivity/10), blurred by the point-spread function
// (σ = 0.8 px) and multiplied by static, fully developed tissue speckle
// (PSF σ 1.2 px lateral, 0.7 px axial). The CEUS tissue residual and the
// B-mode image share it, as they share the tissue.
func tissueEcho(p Params, pt *Patient, a *Anatomy) []float64 {
	gw, gh := a.GridWidth(), a.GridHeight()
	sc := p.scale()
	refl := reflectivityDB(p, pt, a)
	for i, db := range refl {
		refl[i] = math.Pow(10, db/10)
	}
	blurSame(refl, gw, gh, psfSigmaPx*sc)
	sp := newSpeckler(gw, gh, 1.2*sc, 0.7*sc)
	speck := make([]float64, gw*gh)
	sp.draw(newRNG(pt.CohortSeed, streamTissue, pt.Index), speck)
	for i := range refl {
		refl[i] *= speck[i]
	}
	return refl
}

// depthGain returns the residual depth attenuation 10^(−a·(y − H/2)/10) of each
// row y of the field, a = 0.02 dB per pixel of a 128-px field.
func depthGain(p Params) []float64 {
	g := make([]float64, p.Height)
	for y := range g {
		g[y] = math.Pow(10, -depthAttenDBPerPx/p.scale()*(float64(y)-float64(p.Height)/2)/10)
	}
	return g
}

// logCompress maps an intensity I to an 8-bit display value:
// round(255·(10·log10(I) + gain − top + DR)/DR), clipped to 0..255: the top
// dB maps to 255 and DR dB below it to 0.
//
// It looks the value up instead of taking a logarithm: the float64 bits of I
// (exponent and the top 8 mantissa bits) index buckets 0.012 dB wide, much
// narrower than one display level (DR/255, 0.22 dB at 55 dB), so each bucket
// holds the level at its lower end and the one intensity where the next
// level starts.
type logCompress struct {
	lo, hi uint64    // bucket indices (bits >> 44) of the table's ends
	level  []uint8   // level at the lower end of each bucket
	next   []float64 // intensity at which level+1 starts (+Inf if none)
}

const lcShift = 52 - 8 // keep the exponent and 8 mantissa bits

func newLogCompress(gainDB, topDB, drDB float64) logCompress {
	a := 255 / drDB * 10 / math.Ln10
	b := 255 / drDB * (gainDB - topDB + drDB)
	// Intensities below iMin give 0, above iMax give 255.
	iMin := math.Exp((0.5 - b) / a)
	iMax := math.Exp((254.5 - b) / a)
	lo := math.Float64bits(iMin/2) >> lcShift
	hi := math.Float64bits(iMax*2)>>lcShift + 1
	l := logCompress{lo: lo, hi: hi, level: make([]uint8, hi-lo), next: make([]float64, hi-lo)}
	exact := func(I float64) int { return int(clamp(math.Floor(a*math.Log(I)+b+0.5), 0, 255)) }
	for k := lo; k < hi; k++ {
		start := math.Float64frombits(k << lcShift)
		lv := exact(start)
		l.level[k-lo] = uint8(lv)
		l.next[k-lo] = math.Inf(1)
		if lv < 255 {
			t := math.Exp((float64(lv) + 0.5 - b) / a) // where level lv+1 starts
			if t < math.Float64frombits((k+1)<<lcShift) {
				l.next[k-lo] = t
			}
		}
	}
	return l
}

func (l logCompress) value(I float64) uint8 {
	k := math.Float64bits(I) >> lcShift
	if !(I > 0) || k < l.lo {
		return 0
	}
	if k >= l.hi {
		return 255
	}
	v := l.level[k-l.lo]
	if I >= l.next[k-l.lo] {
		v++
	}
	return v
}

// SimulateBMode returns pt's B-mode image at rest: the tissue echo
// (tissueEcho: reflectivity by tissue, PSF, static speckle), depth
// attenuation, the patient's gain plus the centre's Params.BModeGainOffsetDB,
// exponential electronic noise at −40 dB,
// and log compression over Params.BModeDynamicRangeDB with the top 25 dB
// above mean liver (so liver sits mid-grey).
func SimulateBMode(p Params, pt *Patient) (*image.Gray, error) {
	a, err := SimulateAnatomy(p, pt)
	if err != nil {
		return nil, err
	}
	return renderBMode(p, pt, a, tissueEcho(p, pt, a)), nil
}

func renderBMode(p Params, pt *Patient, a *Anatomy, echo []float64) *image.Gray {
	gw := a.GridWidth()
	img := image.NewGray(image.Rect(0, 0, p.Width, p.Height))
	lc := newLogCompress(pt.Kinetics.BModeGainDB+p.BModeGainOffsetDB, bmodeTopDB, p.BModeDynamicRangeDB)
	noise := math.Pow(10, noiseFloorBModeDB/10)
	r := newRNG(pt.CohortSeed, streamBMode, pt.Index)
	gy := depthGain(p)
	for y := 0; y < p.Height; y++ {
		row := echo[(y+a.Margin)*gw+a.Margin:]
		for x := 0; x < p.Width; x++ {
			img.Pix[y*img.Stride+x] = lc.value(gy[y]*row[x] + noise*r.ExpFloat64())
		}
	}
	return img
}
