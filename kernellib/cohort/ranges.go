package cohort

import "github.com/ceusrad/ceusrad/kernellib/imaging"

// The physical ranges the manifest accepts. A value outside them is a
// typing error (a frame interval in ms written as a rate, an offset in ms
// written as seconds) more likely than a real acquisition, and would give
// absurd times downstream (arrival times of 10²⁹⁸ s).
const (
	// MinFrameRate and MaxFrameRate bound frame_rate, in frames per
	// second: the range the cine readers accept (imaging.MinFrameRate).
	MinFrameRate, MaxFrameRate = imaging.MinFrameRate, imaging.MaxFrameRate
	// MinInjectionOffset and MaxInjectionOffset bound injection_offset_s,
	// the contrast injection's time on the cine's clock, in seconds after
	// its first frame (datasets/README.md): from an hour before the first
	// frame (a late-phase cine) to 10 minutes after it, which covers any
	// CEUS examination (wash-out is followed for 4–6 minutes).
	MinInjectionOffset, MaxInjectionOffset = -3600.0, 600.0
)
