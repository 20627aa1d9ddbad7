package imaging

import (
	"image"
	"image/color"
)

// Luma8 converts an 8-bit R'G'B' triple to grey with the ITU-R BT.601 luma weights,
// Y = 0.299 R + 0.587 G + 0.114 B, rounded to nearest (halves up). The weights sum to
// one, so the result is exact integer arithmetic: (299 R + 587 G + 114 B + 500) / 1000.
func Luma8(r, g, b uint8) uint8 {
	return uint8((299*uint32(r) + 587*uint32(g) + 114*uint32(b) + 500) / 1000)
}

// Luma16 is Luma8 for 16-bit samples: (299 R + 587 G + 114 B + 500) / 1000.
func Luma16(r, g, b uint16) uint16 {
	return uint16((299*uint64(r) + 587*uint64(g) + 114*uint64(b) + 500) / 1000)
}

// ToGray converts a decoded image to grey with its origin at (0,0):
//
//   - *image.Gray and *image.Gray16 are copied as they are;
//   - *image.YCbCr (colour JPEG) gives its Y plane (JFIF Y is the BT.601 luma);
//   - 16-bit colour (*image.RGBA64, *image.NRGBA64) gives *image.Gray16 by Luma16;
//   - any other image gives *image.Gray by Luma8 of its 8-bit R, G, B samples
//     (non-premultiplied samples for *image.NRGBA, premultiplied otherwise; alpha
//     itself is not used).
func ToGray(img image.Image) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	switch m := img.(type) {
	case *image.Gray:
		out := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			copy(out.Pix[y*out.Stride:y*out.Stride+w], m.Pix[i:i+w])
		}
		return out
	case *image.Gray16:
		out := image.NewGray16(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			copy(out.Pix[y*out.Stride:y*out.Stride+2*w], m.Pix[i:i+2*w])
		}
		return out
	case *image.YCbCr:
		out := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			i := m.YOffset(b.Min.X, b.Min.Y+y)
			copy(out.Pix[y*out.Stride:y*out.Stride+w], m.Y[i:i+w])
		}
		return out
	case *image.NRGBA:
		out := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			row := out.Pix[y*out.Stride:]
			for x := 0; x < w; x++ {
				p := m.Pix[i+4*x : i+4*x+3]
				row[x] = Luma8(p[0], p[1], p[2])
			}
		}
		return out
	case *image.RGBA:
		out := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			row := out.Pix[y*out.Stride:]
			for x := 0; x < w; x++ {
				p := m.Pix[i+4*x : i+4*x+3]
				row[x] = Luma8(p[0], p[1], p[2])
			}
		}
		return out
	case *image.RGBA64, *image.NRGBA64:
		out := image.NewGray16(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				var r, g, bl uint16
				if n, ok := m.(*image.NRGBA64); ok {
					c := n.NRGBA64At(b.Min.X+x, b.Min.Y+y)
					r, g, bl = c.R, c.G, c.B
				} else {
					c := m.(*image.RGBA64).RGBA64At(b.Min.X+x, b.Min.Y+y)
					r, g, bl = c.R, c.G, c.B
				}
				out.SetGray16(x, y, color.Gray16{Y: Luma16(r, g, bl)})
			}
		}
		return out
	default:
		out := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				r, g, bl, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				out.Pix[y*out.Stride+x] = Luma8(uint8(r>>8), uint8(g>>8), uint8(bl>>8))
			}
		}
		return out
	}
}

// cropGray copies box r of m into a new image with its origin at (0,0).
func cropGray(m image.Image, r image.Rectangle) image.Image {
	if r == m.Bounds() && r.Min == (image.Point{}) {
		return m
	}
	switch g := m.(type) {
	case *image.Gray:
		return ToGray(g.SubImage(r))
	case *image.Gray16:
		return ToGray(g.SubImage(r))
	}
	return ToGray(m.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(r))
}
