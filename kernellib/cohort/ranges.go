package cohort

// The physical ranges the manifest accepts. A value outside them is a
// typing error (a frame interval in ms written as a rate, an offset in ms
// written as seconds) more likely than a real acquisition, and would give
// absurd times downstream (arrival times of 10²⁹⁸ s).
const (
	// MinFrameRate and MaxFrameRate bound frame_rate, in frames per
	// second: clinical CEUS cines are recorded at about 1–30 fps, ultrafast
	// research acquisitions at up to some hundreds.
	MinFrameRate, MaxFrameRate = 0.1, 1000.0
	// MinInjectionOffset and MaxInjectionOffset bound injection_offset_s,
	// the time of the contrast injection on the cine's clock, in seconds:
	// up to 10 minutes before the cine starts and one hour into it.
	MinInjectionOffset, MaxInjectionOffset = -600.0, 3600.0
)
