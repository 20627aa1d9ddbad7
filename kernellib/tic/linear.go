package tic

import (
	"fmt"
	"math"
)

// LogCompression is the display mapping of an ultrasound scanner: the echo
// power P (or intensity, ∝ amplitude²) is log-compressed over a dynamic
// range of DR decibels onto the grey levels 0..MaxLevel,
//
//	d = MaxLevel · (1 + 10·log10(P/P_top) / DR),
//
// clipped to [0, MaxLevel], P_top the power shown at MaxLevel (set by the
// gain). Linearisation inverts it (Power):
//
//	P/P_top = 10^(DR·(d/MaxLevel − 1)/10),
//
// which is proportional to the echo power and so, at low mechanical index,
// to the local microbubble concentration, the quantity indicator-dilution
// theory needs (CEUS quantification on linearised data: Tranquart et al.,
// Ultraschall Med 33 Suppl 1:S31, 2012; Dietrich et al., Ultrasound Int Open
// 4:E2, 2018). kernellib/synth's CEUS
// display is this mapping with DR = Params.CEUSDynamicRangeDB (55 dB) and
// 8-bit levels. The scale of P is relative (P_top = 1): ratios, shapes and
// times are exact, absolute powers are known only up to the gain.
type LogCompression struct {
	// DynamicRangeDB is DR, the range of echo power in dB that the display
	// spans from 0 to MaxLevel; it must be > 0.
	DynamicRangeDB float64
	// MaxLevel is the display value at the top of the range; 0 means the
	// largest value of the data's bit depth (255 for 8-bit, 65535 for
	// 16-bit frames).
	MaxLevel float64
}

// DefaultDynamicRangeDB is the dynamic range DefaultOptions assumes: 55 dB,
// that of kernellib/synth's default CEUS display. A real scanner's value
// is one of its display settings (often 40–60 dB for contrast modes).
const DefaultDynamicRangeDB = 55

// check validates l for frames of the given bit depth and returns it with
// MaxLevel filled in.
func (l LogCompression) check(bits int) (LogCompression, error) {
	if !(l.DynamicRangeDB > 0) || math.IsInf(l.DynamicRangeDB, 0) {
		return l, fmt.Errorf("tic: dynamic range %v dB: want a finite value > 0", l.DynamicRangeDB)
	}
	if l.MaxLevel == 0 {
		l.MaxLevel = float64(int(1)<<bits - 1)
	}
	if !(l.MaxLevel > 0) || math.IsInf(l.MaxLevel, 0) {
		return l, fmt.Errorf("tic: MaxLevel %v: want a finite value > 0", l.MaxLevel)
	}
	return l, nil
}

// Power returns the relative echo power P/P_top = 10^(DR·(d/MaxLevel − 1)/10)
// of display value d (MaxLevel 0 is taken as 255).
func (l LogCompression) Power(d float64) float64 {
	m := l.MaxLevel
	if m == 0 {
		m = 255
	}
	return math.Pow(10, l.DynamicRangeDB*(d/m-1)/10)
}

// Display returns the display value MaxLevel·(1 + 10·log10(P)/DR) of the
// relative power P, unclipped: the inverse of Power.
func (l LogCompression) Display(p float64) float64 {
	m := l.MaxLevel
	if m == 0 {
		m = 255
	}
	return m * (1 + 10*math.Log10(p)/l.DynamicRangeDB)
}

// table returns Power for every level 0..2^bits−1.
func (l LogCompression) table(bits int) []float64 {
	t := make([]float64, 1<<bits)
	for d := range t {
		t[d] = l.Power(float64(d))
	}
	return t
}

// Linearise returns Power of every value of d. Applied to a curve of ROI
// means of display values it linearises the mean, which differs from the
// mean of the linearised pixels (the log is concave: Jensen's inequality);
// ExtractWith with Scale Power linearises each pixel before averaging, as
// quantification requires. Use Linearise for curves that are already
// ROI-means of a single pixel or of a homogeneous region.
func Linearise(d []float64, l LogCompression) ([]float64, error) {
	if _, err := l.check(8); err != nil {
		return nil, err
	}
	out := make([]float64, len(d))
	for i, v := range d {
		out[i] = l.Power(v)
	}
	return out, nil
}
