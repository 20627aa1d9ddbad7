package synth

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Params are the settings of the simulator. The zero value is not usable:
// start from DefaultParams and change what you need. Every field is
// explained, with the reason for its default, in the package documentation.
type Params struct {
	// Width and Height of the lesion-centred field, in pixels (default
	// 128×128). Lengths inside the field (lesion radius, rim, speckle grain,
	// motion amplitude) are given for a 128-pixel field and scale with
	// min(Width, Height)/128.
	Width, Height int

	// FrameRate is the nominal cine frame rate in frames/s (default 2).
	FrameRate float64
	// DurationS is the cine length in seconds, from the first frame
	// (default 130).
	DurationS float64
	// InjectionOffsetMinS and InjectionOffsetMaxS bound the uniform draw of
	// the injection time after the first frame, in seconds (default 2 and 8).
	InjectionOffsetMinS, InjectionOffsetMaxS float64
	// FrameJitterS is the standard deviation of the frame-time jitter in
	// seconds (default 0.02); each jitter is clipped to ±0.25/FrameRate.
	FrameJitterS float64
	// BreathingAmplitudePx is the peak breathing displacement in pixels of a
	// 128-pixel field (default 3); 0 turns breathing off.
	BreathingAmplitudePx float64

	// CEUSDynamicRangeDB is the log-compression dynamic range of the CEUS
	// display in dB (default 55).
	CEUSDynamicRangeDB float64
	// BModeDynamicRangeDB is that of the B-mode display (default 55).
	BModeDynamicRangeDB float64

	// BModeGrainDB is the standard deviation, in dB at heterogeneity 1, of
	// the lesion's B-mode grain that follows the perfusion pattern (default
	// 1.5): the B-mode image's only link to spatial heterogeneity.
	BModeGrainDB float64

	// Intercept, BetaViable, BetaHetero, BetaSize and BetaAFP are the
	// coefficients of the logistic response model (defaults 0.7, 1.6, 2.2,
	// 0.5, 0.4), see Patient.Latent:
	//
	//	logit P(OR) = Intercept + BetaViable·z_v − BetaHetero·z_h − BetaSize·z_s − BetaAFP·z_a.
	Intercept, BetaViable, BetaHetero, BetaSize, BetaAFP float64

	// The centre fields below make a cohort look as if it came from another
	// hospital (see Centre and SecondCentre). Their zero values are the
	// default centre and reproduce its cohort byte for byte; SUMMARY.md lists
	// them, in a section of their own, only when one is set.

	// Centre is the label of the centre written into SUMMARY.md (default
	// "": the default centre, no label). It changes no draw.
	Centre string `centre:"true"`

	// CEUSGainOffsetDB and BModeGainOffsetDB are the centre's scanner gain
	// in dB added to every patient's operator gain (Kinetics.CEUSGainDB and
	// BModeGainDB) before log compression (default 0). A gain of g dB lifts
	// every grey level that is not clipped by g·255/DR levels (DR the
	// dynamic range: 4.6 levels per dB at 55 dB). Acquisition only: the
	// biology, the outcomes and the Bayes-optimal AUC do not change.
	CEUSGainOffsetDB  float64 `centre:"true"`
	BModeGainOffsetDB float64 `centre:"true"`

	// ZViableShift, ZHeteroShift, ZSizeShift and ZAFPShift move the mean of
	// the latent scores z_v, z_h, z_s and z_a, in standard deviations
	// (default 0): the centre's case mix. ZSizeShift = δ multiplies the
	// median tumour size by exp(0.5·δ) (5 cm → 6.4 cm at δ = 0.5), ZAFPShift
	// the median AFP by exp(2.5·δ). The response model (Latent's logistic
	// model with the same β) is unchanged: P(OR | biology) transports, but
	// the responder share moves by the shift of the mean linear predictor,
	// βv·δv − βh·δh − βs·δs − βa·δa, and the Bayes-optimal AUC moves a
	// little (the spread of η is the same, its place on the logistic curve
	// is not; Population reports both).
	ZViableShift, ZHeteroShift, ZSizeShift, ZAFPShift float64 `centre:"true"`

	// ZSpread widens (> 0) or narrows (< 0) the case mix: every latent
	// score is multiplied by 1 + ZSpread before the shifts (default 0). The
	// spread of the linear predictor η grows by the same factor, so unlike
	// a shift it changes the Bayes-optimal AUC (0.929 → 0.953 at 0.3,
	// → 0.884 at −0.3; the OR rate 0.574 → 0.560 and 0.596; Population,
	// 200 000 patients): a more mixed population is easier to rank, with
	// the same P(OR | biology).
	ZSpread float64 `centre:"true"`

	// AllValidation puts every patient in the validation split (default
	// false: the stratified 89/41 split of Split): an external cohort, whose
	// patients all validate a model trained elsewhere (ceusrad validate
	// ignores the split column; cohort.csv also accepts "external" there).
	AllValidation bool `centre:"true"`
}

// SecondCentre returns the parameters of centre "B", a second hospital for
// external validation: DefaultParams with
//
//   - a scanner 4 dB hotter on both displays (CEUSGainOffsetDB and
//     BModeGainOffsetDB 4: about +18 grey levels where nothing clips);
//   - 3 frames/s instead of 2 (FrameRate 3: 391 frames in 130 s);
//   - larger tumours (ZSizeShift 0.5: median 6.4 cm instead of 5 cm), more
//     AFP (ZAFPShift 0.3: median 212 ng/mL instead of 100) and less viable
//     tissue (ZViableShift −0.3): a referral centre's later-stage case mix,
//     which lowers the responder share from 0.574 to 0.483 (Population,
//     200 000 patients) and leaves the Bayes-optimal AUC at 0.929;
//   - every patient in the validation split (AllValidation).
//
// The response model (Intercept and the β) is the same as at the default
// centre: only acquisition and case mix differ. TestSecondCentre measures
// the shifts.
func SecondCentre() Params {
	p := DefaultParams()
	p.Centre = "B"
	p.CEUSGainOffsetDB = 4
	p.BModeGainOffsetDB = 4
	p.FrameRate = 3
	p.ZSizeShift = 0.5
	p.ZAFPShift = 0.3
	p.ZViableShift = -0.3
	p.AllValidation = true
	return p
}

// CentreParams returns the parameters of the named centre: "A" (or "") is
// DefaultParams, "B" is SecondCentre.
func CentreParams(name string) (Params, error) {
	switch name {
	case "", "A":
		return DefaultParams(), nil
	case "B":
		return SecondCentre(), nil
	}
	return Params{}, fmt.Errorf("synth: centre %q: want A (the default centre) or B (SecondCentre)", name)
}

// DefaultParams returns the defaults documented on each field of Params.
// With them the population objective-response rate is about 0.57 and the
// Bayes-optimal AUC about 0.93 (see Population).
func DefaultParams() Params {
	return Params{
		Width:                128,
		Height:               128,
		FrameRate:            2,
		DurationS:            130,
		InjectionOffsetMinS:  2,
		InjectionOffsetMaxS:  8,
		FrameJitterS:         0.02,
		BreathingAmplitudePx: 3,
		CEUSDynamicRangeDB:   55,
		BModeDynamicRangeDB:  55,
		BModeGrainDB:         1.5,
		Intercept:            0.7,
		BetaViable:           1.6,
		BetaHetero:           2.2,
		BetaSize:             0.5,
		BetaAFP:              0.4,
	}
}

// Validate reports the first field of p that is out of its range, naming the
// field and the range expected.
func (p Params) Validate() error {
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("synth: Params.%s = %v: want %s", field, v, want)
	}
	switch {
	case p.Width < 64 || p.Width > 2048:
		return bad("Width", p.Width, "64..2048 pixels")
	case p.Height < 64 || p.Height > 2048:
		return bad("Height", p.Height, "64..2048 pixels")
	case !finite(p.FrameRate) || p.FrameRate < 0.5 || p.FrameRate > 60:
		return bad("FrameRate", p.FrameRate, "0.5..60 frames/s")
	case !finite(p.DurationS) || p.DurationS < 10 || p.DurationS > 1200:
		return bad("DurationS", p.DurationS, "10..1200 s")
	case !finite(p.InjectionOffsetMinS) || p.InjectionOffsetMinS < 0:
		return bad("InjectionOffsetMinS", p.InjectionOffsetMinS, "a finite time ≥ 0 s")
	case !finite(p.InjectionOffsetMaxS) || p.InjectionOffsetMaxS < p.InjectionOffsetMinS || p.InjectionOffsetMaxS >= p.DurationS:
		return bad("InjectionOffsetMaxS", p.InjectionOffsetMaxS, "InjectionOffsetMinS..DurationS s")
	case !finite(p.FrameJitterS) || p.FrameJitterS < 0:
		return bad("FrameJitterS", p.FrameJitterS, "a finite SD ≥ 0 s")
	case !finite(p.BreathingAmplitudePx) || p.BreathingAmplitudePx < 0 || p.BreathingAmplitudePx > 16:
		return bad("BreathingAmplitudePx", p.BreathingAmplitudePx, "0..16 pixels")
	case !finite(p.CEUSDynamicRangeDB) || p.CEUSDynamicRangeDB < 20 || p.CEUSDynamicRangeDB > 100:
		return bad("CEUSDynamicRangeDB", p.CEUSDynamicRangeDB, "20..100 dB")
	case !finite(p.BModeDynamicRangeDB) || p.BModeDynamicRangeDB < 20 || p.BModeDynamicRangeDB > 100:
		return bad("BModeDynamicRangeDB", p.BModeDynamicRangeDB, "20..100 dB")
	case !finite(p.BModeGrainDB) || p.BModeGrainDB < 0 || p.BModeGrainDB > 20:
		return bad("BModeGrainDB", p.BModeGrainDB, "0..20 dB")
	case !finite(p.CEUSGainOffsetDB) || math.Abs(p.CEUSGainOffsetDB) > 30:
		return bad("CEUSGainOffsetDB", p.CEUSGainOffsetDB, "-30..30 dB")
	case !finite(p.BModeGainOffsetDB) || math.Abs(p.BModeGainOffsetDB) > 30:
		return bad("BModeGainOffsetDB", p.BModeGainOffsetDB, "-30..30 dB")
	case len(p.Centre) > 64 || strings.ContainsFunc(p.Centre, func(r rune) bool { return !unicode.IsPrint(r) }):
		return bad("Centre", strconv.Quote(p.Centre), "a printable label of at most 64 bytes")
	}
	if !finite(p.ZSpread) || p.ZSpread < -0.75 || p.ZSpread > 2 {
		return bad("ZSpread", p.ZSpread, "-0.75..2 (a factor 0.25..3 on every latent score)")
	}
	for _, c := range []struct {
		name string
		v    float64
	}{{"ZViableShift", p.ZViableShift}, {"ZHeteroShift", p.ZHeteroShift}, {"ZSizeShift", p.ZSizeShift}, {"ZAFPShift", p.ZAFPShift}} {
		if !finite(c.v) || math.Abs(c.v) > 3 {
			return bad(c.name, c.v, "-3..3 standard deviations")
		}
	}
	for _, c := range []struct {
		name string
		v    float64
	}{{"Intercept", p.Intercept}, {"BetaViable", p.BetaViable}, {"BetaHetero", p.BetaHetero}, {"BetaSize", p.BetaSize}, {"BetaAFP", p.BetaAFP}} {
		if !finite(c.v) || math.Abs(c.v) > 50 {
			return bad(c.name, c.v, "a finite coefficient with |β| ≤ 50")
		}
	}
	return nil
}

// IsDefaultCentre reports whether every centre field of p (those after the
// response coefficients: Centre, the gain offsets, the latent shifts and
// AllValidation) has its zero, default value.
func (p Params) IsDefaultCentre() bool {
	return p.Centre == "" && p.CEUSGainOffsetDB == 0 && p.BModeGainOffsetDB == 0 &&
		p.ZViableShift == 0 && p.ZHeteroShift == 0 && p.ZSizeShift == 0 && p.ZAFPShift == 0 && p.ZSpread == 0 && !p.AllValidation
}

// scale is the length unit of p's field: min(Width, Height)/128.
func (p Params) scale() float64 { return float64(min(p.Width, p.Height)) / 128 }

// nFrames is the number of frames of a cine: floor(DurationS·FrameRate)+1
// (the first frame at 0 s, the last no later than DurationS).
func (p Params) nFrames() int { return int(math.Floor(p.DurationS*p.FrameRate+1e-9)) + 1 }
