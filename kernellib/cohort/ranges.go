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
	// the offset in seconds between the contrast injection and the cine's
	// first frame (datasets/README.md): −10 minutes to +1 hour, which
	// covers any CEUS examination (wash-out is followed for 4–6 minutes).
	MinInjectionOffset, MaxInjectionOffset = -600.0, 3600.0
)
