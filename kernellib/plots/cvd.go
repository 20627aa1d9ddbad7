package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"
)

// Vision is a kind of colour vision a figure is checked under.
type Vision int

// The colour visions of CheckPalette: normal trichromacy and the three
// dichromacies, simulated at severity 1.0 (Machado et al. 2009).
const (
	Normal Vision = iota
	Protanopia
	Deuteranopia
	Tritanopia
)

func (v Vision) String() string {
	return [...]string{"normal vision", "protanopia", "deuteranopia", "tritanopia"}[v]
}

// machado holds the matrices of Machado, Oliveira & Fernandes, "A
// Physiologically-based Model for Simulation of Color Vision Deficiency",
// IEEE TVCG 15(6):1291–1298, 2009, severity 1.0 (their supplementary
// table), which map linear sRGB to what a dichromat sees, in linear sRGB.
var machado = [...][3][3]float64{
	Normal:       {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
	Protanopia:   {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}},
	Deuteranopia: {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}},
	Tritanopia:   {{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}},
}

// srgbDecode maps an sRGB component in [0, 1] to linear light (IEC
// 61966-2-1); srgbEncode is its inverse, clipping to [0, 1].
func srgbDecode(c float64) float64 {
	if c <= 0.04045 {
		return c / 12.92
	}
	return math.Pow((c+0.055)/1.055, 2.4)
}

func srgbEncode(c float64) float64 {
	c = math.Min(1, math.Max(0, c))
	if c <= 0.0031308 {
		return 12.92 * c
	}
	return 1.055*math.Pow(c, 1/2.4) - 0.055
}

// Simulate returns how c appears under colour vision v, as sRGB
// components in [0, 1]: Machado et al.'s matrix applied to linear sRGB,
// the result clipped to the gamut and encoded again.
func Simulate(c color.Color, v Vision) [3]float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	lin := [3]float64{srgbDecode(float64(n.R) / 255), srgbDecode(float64(n.G) / 255), srgbDecode(float64(n.B) / 255)}
	m := machado[v]
	var out [3]float64
	for i := range out {
		out[i] = srgbEncode(m[i][0]*lin[0] + m[i][1]*lin[1] + m[i][2]*lin[2])
	}
	return out
}

// Lab converts sRGB components in [0, 1] to CIELAB (CIE 15:2004) under
// the D65 white point, 2° observer, with the sRGB→XYZ matrix of IEC
// 61966-2-1 (the constants of scikit-image's rgb2lab, the reference of
// the tests).
func Lab(rgb [3]float64) [3]float64 {
	r, g, b := srgbDecode(rgb[0]), srgbDecode(rgb[1]), srgbDecode(rgb[2])
	x := (0.412453*r + 0.357580*g + 0.180423*b) / 0.95047
	y := 0.212671*r + 0.715160*g + 0.072169*b
	z := (0.019334*r + 0.119193*g + 0.950227*b) / 1.08883
	f := func(t float64) float64 {
		if t > 0.008856 {
			return math.Cbrt(t)
		}
		return 7.787*t + 16.0/116
	}
	fx, fy, fz := f(x), f(y), f(z)
	return [3]float64{116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)}
}

// DeltaE2000 is the CIEDE2000 colour difference of two CIELAB colours
// (CIE 142-2001; the formulas and test data of Sharma, Wu & Dalal, Color
// Res. Appl. 30(1):21–30, 2005), with kL = kC = kH = 1.
func DeltaE2000(lab1, lab2 [3]float64) float64 {
	l1, a1, b1 := lab1[0], lab1[1], lab1[2]
	l2, a2, b2 := lab2[0], lab2[1], lab2[2]
	c1, c2 := math.Hypot(a1, b1), math.Hypot(a2, b2)
	cm := (c1 + c2) / 2
	cm7 := math.Pow(cm, 7)
	g := 0.5 * (1 - math.Sqrt(cm7/(cm7+math.Pow(25, 7))))
	a1p, a2p := (1+g)*a1, (1+g)*a2
	c1p, c2p := math.Hypot(a1p, b1), math.Hypot(a2p, b2)
	hue := func(b, a float64) float64 {
		if a == 0 && b == 0 {
			return 0
		}
		h := math.Atan2(b, a) * 180 / math.Pi
		if h < 0 {
			h += 360
		}
		return h
	}
	h1p, h2p := hue(b1, a1p), hue(b2, a2p)
	dL, dC := l2-l1, c2p-c1p
	var dh float64
	switch {
	case c1p*c2p == 0:
		dh = 0
	case math.Abs(h2p-h1p) <= 180:
		dh = h2p - h1p
	case h2p-h1p > 180:
		dh = h2p - h1p - 360
	default:
		dh = h2p - h1p + 360
	}
	dH := 2 * math.Sqrt(c1p*c2p) * math.Sin(dh/2*math.Pi/180)
	lm, cmp := (l1+l2)/2, (c1p+c2p)/2
	var hm float64
	switch {
	case c1p*c2p == 0:
		hm = h1p + h2p
	case math.Abs(h1p-h2p) <= 180:
		hm = (h1p + h2p) / 2
	case h1p+h2p < 360:
		hm = (h1p + h2p + 360) / 2
	default:
		hm = (h1p + h2p - 360) / 2
	}
	rad := func(d float64) float64 { return d * math.Pi / 180 }
	t := 1 - 0.17*math.Cos(rad(hm-30)) + 0.24*math.Cos(rad(2*hm)) + 0.32*math.Cos(rad(3*hm+6)) - 0.20*math.Cos(rad(4*hm-63))
	dTheta := 30 * math.Exp(-math.Pow((hm-275)/25, 2))
	cm7p := math.Pow(cmp, 7)
	rc := 2 * math.Sqrt(cm7p/(cm7p+math.Pow(25, 7)))
	sl := 1 + 0.015*math.Pow(lm-50, 2)/math.Sqrt(20+math.Pow(lm-50, 2))
	sc := 1 + 0.045*cmp
	sh := 1 + 0.015*cmp*t
	rt := -math.Sin(rad(2*dTheta)) * rc
	return math.Sqrt(math.Pow(dL/sl, 2) + math.Pow(dC/sc, 2) + math.Pow(dH/sh, 2) + rt*(dC/sc)*(dH/sh))
}

// MinDeltaE is the smallest CIEDE2000 difference CheckPalette accepts
// between two series colours under any simulated colour vision: ten
// times the just-noticeable difference (ΔE00 ≈ 1), so that two thin lines
// are told apart at a glance, not only side by side. CIEDE2000 rather
// than CIE76 (plain Euclidean distance in CIELAB) because CIE76 overstates
// the differences of saturated colours — for the Okabe–Ito bluish green
// and orange under protanopia it gives 52 where CIEDE2000 gives 18 — and
// would pass pairs that look alike. The theme's palette clears it with
// 10.9 at its closest (reddish purple and orange under tritanopia); a
// saturated red and green fall to 9.6 under deuteranopia and fail.
const MinDeltaE = 10

// CheckPalette reports every pair of colours whose CIEDE2000 difference
// falls below minDE under normal vision or simulated protanopia,
// deuteranopia or tritanopia (Simulate, Lab, DeltaE2000), in one error.
func CheckPalette(colors []color.Color, minDE float64) error {
	var errs []error
	for v := Normal; v <= Tritanopia; v++ {
		lab := make([][3]float64, len(colors))
		for i, c := range colors {
			lab[i] = Lab(Simulate(c, v))
		}
		for i := range colors {
			for j := i + 1; j < len(colors); j++ {
				if d := DeltaE2000(lab[i], lab[j]); d < minDE {
					errs = append(errs, fmt.Errorf("under %s colours %d (%v) and %d (%v) differ by ΔE00 %.1f < %g", v, i, colors[i], j, colors[j], d, minDE))
				}
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("plots: palette: %w", errors.Join(errs...))
	}
	return nil
}
