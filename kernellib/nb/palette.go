package nb

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"sort"
)

// palettePNG re-encodes the PNG b with a palette of at most 256 colours:
// popularity quantisation (Heckbert 1982, "Color image quantization for
// frame buffer display", SIGGRAPH '82, §3): the 256 most frequent colours
// of the image form the palette and every other one is drawn in the
// nearest of them (squared distance in RGBA). A figure has a few flat
// colours (background, axes, text, its lines), kept exactly; only the
// anti-aliased shades of their edges move, by little. An image of at most
// 256 colours is re-encoded losslessly. A slider embeds many figures, and
// this makes each about a quarter of its PNG.
func palettePNG(b []byte) ([]byte, error) {
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("nb: decoding PNG: %w", err)
	}
	r := img.Bounds()
	count := map[color.RGBA]int{}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			count[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]++
		}
	}
	colors := make([]color.RGBA, 0, len(count))
	for c := range count {
		colors = append(colors, c)
	}
	pack := func(c color.RGBA) uint32 { return uint32(c.R)<<24 | uint32(c.G)<<16 | uint32(c.B)<<8 | uint32(c.A) }
	sort.Slice(colors, func(i, j int) bool { // most frequent first, ties in a fixed order
		if a, b := count[colors[i]], count[colors[j]]; a != b {
			return a > b
		}
		return pack(colors[i]) < pack(colors[j])
	})
	pal := colors[:min(len(colors), 256)]
	index := make(map[color.RGBA]uint8, len(colors))
	p := make(color.Palette, len(pal))
	for i, c := range pal {
		p[i] = c
		index[c] = uint8(i)
	}
	for _, c := range colors[len(pal):] {
		index[c] = uint8(nearest(pal, c))
	}
	out := image.NewPaletted(image.Rect(0, 0, r.Dx(), r.Dy()), p)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			out.Pix[(y-r.Min.Y)*out.Stride+x-r.Min.X] = index[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]
		}
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, out); err != nil {
		return nil, fmt.Errorf("nb: encoding PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// nearest returns the index of the colour of pal nearest c (squared RGBA
// distance; the first of equals).
func nearest(pal []color.RGBA, c color.RGBA) int {
	best, bd := 0, -1
	for i, q := range pal {
		d := sq(int(c.R)-int(q.R)) + sq(int(c.G)-int(q.G)) + sq(int(c.B)-int(q.B)) + sq(int(c.A)-int(q.A))
		if bd < 0 || d < bd {
			best, bd = i, d
		}
	}
	return best
}

func sq(x int) int { return x * x }
