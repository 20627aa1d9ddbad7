package imaging

import "image"

// rgbPlanesLuma converts a JPEG frame that Go's decoder returned as YCbCr (three
// components without an Adobe or JFIF marker, whose colour space it guesses) but that
// the DICOM Photometric Interpretation declares RGB. As GDCM does, the PI is followed
// (PS3.5 8.2.1): the three planes are R, G and B, taken without a colour transform,
// and converted with Luma8. Subsampled second and third planes (4:2:2, 4:2:0) are
// upsampled as IJG libjpeg does by default (do_fancy_upsampling, jdsample.c: the
// triangle filter h2v1_fancy_upsample / h2v2_fancy_upsample), so that the result
// matches GDCM's, which decodes with libjpeg; other ratios take the nearest sample.
// The second result marks the chromatic pixels (chroma above the 8-bit threshold t8;
// overlay.go) of the whole image; nil when none, or when t8 < 0 (detection off).
func rgbPlanesLuma(y *image.YCbCr, t8 int) (*image.Gray, *Mask) {
	b := y.Rect
	w, h := b.Dx(), b.Dy()
	cb, cr := upsamplePlane(y, y.Cb), upsamplePlane(y, y.Cr)
	out := image.NewGray(image.Rect(0, 0, w, h))
	ov := overlayMask{w: w, h: h}
	for j := 0; j < h; j++ {
		for i := 0; i < w; i++ {
			yi := y.YOffset(b.Min.X+i, b.Min.Y+j)
			var g, bl uint8
			if cb != nil {
				g, bl = cb[j*w+i], cr[j*w+i]
			} else {
				ci := y.COffset(b.Min.X+i, b.Min.Y+j)
				g, bl = y.Cb[ci], y.Cr[ci]
			}
			out.Pix[j*out.Stride+i] = Luma8(y.Y[yi], g, bl)
			if t8 >= 0 && int(Chroma8(y.Y[yi], g, bl)) > t8 {
				ov.set(i, j)
			}
		}
	}
	return out, ov.m
}

// upsamplePlane returns chroma plane p of y at full resolution (w×h, row-major) for
// 4:4:4 (a copy), 4:2:2 and 4:2:0; nil for other ratios.
func upsamplePlane(y *image.YCbCr, p []uint8) []uint8 {
	b := y.Rect
	w, h := b.Dx(), b.Dy()
	cw := (w + 1) / 2
	out := make([]uint8, w*h)
	at := func(cx, cy int) int { return int(p[cy*y.CStride+cx]) } // relative to the plane origin
	switch y.SubsampleRatio {
	case image.YCbCrSubsampleRatio444:
		for j := 0; j < h; j++ {
			for i := 0; i < w; i++ {
				out[j*w+i] = uint8(at(i, j))
			}
		}
	case image.YCbCrSubsampleRatio422:
		// h2v1: out[2i] = (3 c[i] + c[i-1] + 1) >> 2, out[2i+1] = (3 c[i] + c[i+1] + 2) >> 2.
		for j := 0; j < h; j++ {
			for i := 0; i < cw; i++ {
				c := at(i, j)
				lo, hi := c, c
				if i > 0 {
					lo = (3*c + at(i-1, j) + 1) >> 2
				}
				if i < cw-1 {
					hi = (3*c + at(i+1, j) + 2) >> 2
				}
				set(out, w, 2*i, j, lo)
				set(out, w, 2*i+1, j, hi)
			}
		}
	case image.YCbCrSubsampleRatio420:
		// h2v2: colsum = 3 nearer row + farther row (edge rows repeated), then
		// out[2i] = (3 s[i] + s[i-1] + 8) >> 4, out[2i+1] = (3 s[i] + s[i+1] + 7) >> 4.
		ch := (h + 1) / 2
		sum := make([]int, cw)
		for j := 0; j < h; j++ {
			cy := j / 2
			far := cy - 1
			if j%2 == 1 {
				far = cy + 1
			}
			far = min(max(far, 0), ch-1)
			for i := range sum {
				sum[i] = 3*at(i, cy) + at(i, far)
			}
			for i := 0; i < cw; i++ {
				lo, hi := (4*sum[i]+8)>>4, (4*sum[i]+7)>>4
				if i > 0 {
					lo = (3*sum[i] + sum[i-1] + 8) >> 4
				}
				if i < cw-1 {
					hi = (3*sum[i] + sum[i+1] + 7) >> 4
				}
				set(out, w, 2*i, j, lo)
				set(out, w, 2*i+1, j, hi)
			}
		}
	default:
		return nil
	}
	return out
}

func set(out []uint8, w, x, y, v int) {
	if x < w {
		out[y*w+x] = uint8(v)
	}
}
