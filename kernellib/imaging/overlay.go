package imaging

import (
	"image"
	"image/color"
	"math"
)

// Overlays. Ultrasound machines burn annotations into the exported pixels:
// coloured calipers and measurement marks, text, colour bars, ECG traces,
// colour-Doppler boxes. Inside a region of interest they corrupt the
// time–intensity curve and the texture. The grey ultrasound image itself has no
// chroma, so a coloured annotation is found pixel by pixel from the colour
// samples, before they are converted to grey: a pixel is chromatic when its
// chroma, the HSV/HSL chroma C = max(R, G, B) − min(R, G, B) (Joblove &
// Greenberg, "Color spaces for computer graphics", SIGGRAPH 1978), exceeds a
// threshold. Grey annotations (white text, grey calipers) are not found this
// way; they need no handling here (they are part of the display the user draws
// the ROI on, and can be left out of the ROI).
//
// The detection is per frame: Frame.Overlay holds the chromatic pixels of that
// frame, so a moving overlay (an ECG sweep, a cursor) is excluded exactly where
// it is, and a static one (a caliper) in every frame it is in. (A union over the
// cine would need a second pass over the file, and would also remove the pixels a
// moving trace covers only briefly.)
//
// Grey sources (MONOCHROME1/2 DICOM, grey PNG/JPEG frames) have no chroma and
// cost nothing: Overlay is nil. Colour sources — RGB and YBR DICOM (native, RLE,
// JPEG Baseline), PALETTE COLOR, colour PNG/JPEG frames and stills — are tested
// pixel by pixel as they are converted; a YCbCr JPEG frame is tested at its stored
// chroma sample (no upsampling filter). Video files are decoded by ffmpeg straight
// to grey and get no detection. DICOM files that GDCM transcodes (JPEG Lossless,
// JPEG-LS, JPEG 2000) are tested like native ones.
//
// Cost (BenchmarkChromaMaskRGBA, BenchmarkOverlayRGBFrame; 2-core machine shared
// with other work, so the figures vary by a factor 2): about 1.4–1.7 ms for an
// 800×600 RGB frame, against 5–14 ms for reading the frame's grey values.

// DefaultChromaThreshold is the default of CineOptions.ChromaThreshold, on the
// 8-bit scale: a pixel is chromatic when max(R, G, B) − min(R, G, B) > 24 (for
// samples of b bits the threshold is scaled by (2^b − 1)/255: 257 for 16 bits).
//
// Why 24 (measured by testdata/overlay/measure_chroma_noise.py, whose output is
// testdata/overlay/chroma_noise.json, and checked on the committed JPEG frames by
// TestChromaNoiseRealUltrasound): in the third-party ultrasound cine
// US-PAL-8-10x-echo.dcm (Debian's octave-dicom; 10 palette-colour frames of
// 600×430, a grey echo with colour-Doppler pixels) the grey pixels have chroma 0
// and the colour pixels chroma 15 to 255. A grey image compressed as JPEG keeps
// chroma 0 (its Cb and Cr planes are constant, which the DCT codes exactly), at
// any quality. Chroma noise appears only near colour: JPEG's 4:2:0 subsampling
// and 8×8 DCT ringing spread a coloured pixel's chroma over up to 16 pixels. More
// than 16 pixels from any colour pixel the largest chroma of the echo compressed
// by libjpeg (Pillow) at quality 30, 50, 75 and 90 (4:2:0) was 14, 19, 12 and 9
// (99.99th percentile 5 to 7), and 0 at quality 95 (4:4:4); 24 lies above these
// with a margin, so grey ultrasound away from colour is never flagged, while
// calipers, text and colour bars (saturated colours, chroma above 100) and all but
// the faintest Doppler pixels are (after JPEG quality 50, 93 to 94 % of the echo's
// Doppler pixels). No published threshold for this was found: 24 is this
// package's, set from the measurement above. (That calipers left in stored
// ultrasound images bias quantitative analysis is the premise of, e.g., "Automated
// Removal of Caliper Annotations from Thyroid Ultrasound Images", Research Square
// preprint, doi:10.21203/rs.3.rs-8754736/v1, which paints them out with a learned
// model; for an ROI mean or an ROI's texture, leaving the pixels out suffices.) Pixels
// within a few pixels of a coloured overlay in a JPEG are flagged when the
// overlay's bleed exceeds the threshold; their grey value is corrupted by the same
// ringing, so leaving them out is right.
const DefaultChromaThreshold = 24

// Chroma8 returns the chroma of an 8-bit R'G'B' triple, max(R, G, B) − min(R, G, B)
// (the HSV/HSL chroma; Joblove & Greenberg, SIGGRAPH 1978): 0 for grey, 255 for a
// fully saturated primary.
func Chroma8(r, g, b uint8) uint8 { return max(r, g, b) - min(r, g, b) }

// chroma16 is Chroma8 for 16-bit samples.
func chroma16(r, g, b uint32) uint32 { return max(r, g, b) - min(r, g, b) }

// ybrChroma returns the chroma of a full-range Y'CbCr triple with samples of the
// given bits (YBR_FULL, PS3.3 C.7.6.3.1.2, the JFIF/BT.601 equations): Y cancels
// from max − min but for clipping, so R, G and B are computed and clipped to the
// sample range first.
func ybrChroma(y, cb, cr uint32, bits int) uint32 {
	if bits == 8 {
		r, g, b := color.YCbCrToRGB(uint8(y), uint8(cb), uint8(cr))
		return uint32(Chroma8(r, g, b))
	}
	top := float64(uint32(1)<<bits - 1)
	mid := float64(uint32(1) << (bits - 1))
	fy, fb, fr := float64(y), float64(cb)-mid, float64(cr)-mid
	c := func(v float64) float64 { return math.Min(math.Max(math.Round(v), 0), top) }
	r := c(fy + 1.402*fr)
	g := c(fy - 0.344136*fb - 0.714136*fr)
	b := c(fy + 1.772*fb)
	return uint32(math.Max(r, math.Max(g, b)) - math.Min(r, math.Min(g, b)))
}

// chromaThreshold returns the threshold in effect on the 8-bit scale, or -1 when
// detection is off (CineOptions.ChromaThreshold < 0).
func (o CineOptions) chromaThreshold() int {
	switch {
	case o.ChromaThreshold < 0:
		return -1
	case o.ChromaThreshold == 0:
		return DefaultChromaThreshold
	}
	return o.ChromaThreshold
}

// scaledThreshold is an 8-bit threshold on the scale of bits-bit samples,
// t8·(2^bits − 1)/255 rounded (× 257 for 16 bits, as 0xFF maps to 0xFFFF).
func scaledThreshold(t8, bits int) uint32 {
	return uint32((uint64(t8)*(uint64(1)<<bits-1) + 127) / 255)
}

// OverlayWarnFraction is the share of a region of interest covered by a coloured
// overlay (in some frame) above which ceusrad warns (tic.Curves.OverlayWarnings,
// `ceusrad tic` and `ceusrad radiomics`): a few caliper pixels leave the statistics
// of the rest nearly unchanged, but when more than a tenth of the region is hidden
// they describe a different region from the one drawn (and an overlay that large
// usually means a Doppler box or a measurement drawn over the lesion), so the user
// should look.
const OverlayWarnFraction = 0.1

// overlayMask collects the chromatic pixels of one w×h frame, allocating the mask at
// the first one, so that a frame without any costs nothing.
type overlayMask struct {
	m    *Mask
	w, h int
}

func (o *overlayMask) set(x, y int) {
	if o.m == nil {
		o.m = &Mask{Width: o.w, Height: o.h, Depth: 1, Data: make([]bool, o.w*o.h)}
	}
	o.m.Data[y*o.w+x] = true
}

// OverlayCount returns the number of pixels of roi that overlay marks (both w×h
// 2D masks; a nil overlay marks none). It is the count ceusrad reports as
// overlay_pixels.
func OverlayCount(roi, overlay *Mask) int {
	if roi == nil || overlay == nil {
		return 0
	}
	n := 0
	for i, v := range overlay.Data {
		if v && i < len(roi.Data) && roi.Data[i] {
			n++
		}
	}
	return n
}

// chromaMask returns the chromatic pixels (chroma > t8 on the 8-bit scale, scaled for
// 16-bit images) of the box r of a decoded image (r relative to the image's
// origin, Bounds().Min), as a mask of r's size; nil when there is none, when the
// image is grey, or when t8 < 0 (detection off).
func chromaMask(img image.Image, r image.Rectangle, t8 int) *Mask {
	if t8 < 0 {
		return nil
	}
	o := overlayMask{w: r.Dx(), h: r.Dy()}
	min0 := img.Bounds().Min
	switch m := img.(type) {
	case *image.Gray, *image.Gray16:
		return nil
	case *image.YCbCr:
		t := uint32(t8)
		for y := 0; y < o.h; y++ {
			for x := 0; x < o.w; x++ {
				px, py := min0.X+r.Min.X+x, min0.Y+r.Min.Y+y
				ci := m.COffset(px, py)
				if ybrChroma(uint32(m.Y[m.YOffset(px, py)]), uint32(m.Cb[ci]), uint32(m.Cr[ci]), 8) > t {
					o.set(x, y)
				}
			}
		}
	case *image.RGBA, *image.NRGBA:
		var pix []uint8
		var stride int
		if a, ok := m.(*image.RGBA); ok {
			pix, stride = a.Pix, a.Stride
		} else {
			n := m.(*image.NRGBA)
			pix, stride = n.Pix, n.Stride
		}
		t := uint8(min(t8, 255))
		for y := 0; y < o.h; y++ {
			row := pix[(r.Min.Y+y)*stride+4*r.Min.X:]
			for x := 0; x < o.w; x++ {
				if Chroma8(row[4*x], row[4*x+1], row[4*x+2]) > t {
					o.set(x, y)
				}
			}
		}
	case *image.Paletted:
		chromatic := make([]bool, len(m.Palette))
		for i, c := range m.Palette {
			cr, cg, cb, _ := c.RGBA()
			chromatic[i] = chroma16(cr, cg, cb) > scaledThreshold(t8, 16)
		}
		for y := 0; y < o.h; y++ {
			row := m.Pix[(r.Min.Y+y)*m.Stride+r.Min.X:]
			for x := 0; x < o.w; x++ {
				if int(row[x]) < len(chromatic) && chromatic[row[x]] {
					o.set(x, y)
				}
			}
		}
	default:
		t := scaledThreshold(t8, 16)
		for y := 0; y < o.h; y++ {
			for x := 0; x < o.w; x++ {
				cr, cg, cb, _ := img.At(min0.X+r.Min.X+x, min0.Y+r.Min.Y+y).RGBA()
				if chroma16(cr, cg, cb) > t {
					o.set(x, y)
				}
			}
		}
	}
	return o.m
}

// cropMask returns box r of a 2D mask as a mask of r's size; nil for a nil mask or
// when r holds none of its pixels.
func cropMask(m *Mask, r image.Rectangle) *Mask {
	if m == nil {
		return nil
	}
	if r.Min == (image.Point{}) && r.Dx() == m.Width && r.Dy() == m.Height {
		return m
	}
	o := overlayMask{w: r.Dx(), h: r.Dy()}
	for y := 0; y < r.Dy(); y++ {
		for x := 0; x < r.Dx(); x++ {
			if m.Data[(r.Min.Y+y)*m.Width+r.Min.X+x] {
				o.set(x, y)
			}
		}
	}
	return o.m
}
