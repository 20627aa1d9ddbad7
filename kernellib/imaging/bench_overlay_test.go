package imaging

import (
	"image"
	"testing"
)

// BenchmarkOverlayRGBFrame converts one native 8-bit RGB frame of 800×600 (a typical
// ultrasound export) to grey, with the overlay detection on (a 2-pixel caliper across
// the frame, so that the mask is allocated) and off; the difference is the
// detection's cost per frame. The bytes per second are those of the RGB frame.
func BenchmarkOverlayRGBFrame(b *testing.B) {
	const w, h = 800, 600
	buf := make([]byte, 3*w*h)
	for i := 0; i < w*h; i++ {
		v := uint8(i*7 + i/w)
		buf[3*i], buf[3*i+1], buf[3*i+2] = v, v, v
	}
	for x := 0; x < w; x++ { // a yellow caliper on rows 300 and 301
		for _, y := range []int{300, 301} {
			buf[3*(y*w+x)+2] = 0
			buf[3*(y*w+x)] = 255
			buf[3*(y*w+x)+1] = 255
		}
	}
	for _, bc := range []struct {
		name   string
		chroma int
	}{{"detect", DefaultChromaThreshold}, {"off", -1}} {
		b.Run(bc.name, func(b *testing.B) {
			c := &dicomCine{chroma: bc.chroma, pix: pixelLayout{rows: h, cols: w, spp: 3, bitsAllocated: 8, bitsStored: 8,
				photometric: "RGB", crop: image.Rect(0, 0, w, h)}}
			b.SetBytes(int64(len(buf)))
			b.ReportAllocs()
			for b.Loop() {
				if _, ov := c.convert(buf); (ov == nil) != (bc.chroma < 0) {
					b.Fatal("overlay", ov != nil)
				}
			}
		})
	}
}

// BenchmarkChromaMaskRGBA is the detection alone on a decoded 800×600 RGBA frame (a
// colour PNG frame of a folder), all grey: no mask is allocated.
func BenchmarkChromaMaskRGBA(b *testing.B) {
	m := image.NewRGBA(image.Rect(0, 0, 800, 600))
	for i := range m.Pix {
		m.Pix[i] = uint8(i / 4)
	}
	b.SetBytes(int64(len(m.Pix)))
	for b.Loop() {
		if chromaMask(m, m.Rect, DefaultChromaThreshold) != nil {
			b.Fatal("chromatic pixels in a grey frame")
		}
	}
}
