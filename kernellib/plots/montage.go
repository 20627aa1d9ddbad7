package plots

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Outline returns img as RGBA with the boundary of a region drawn over it in
// col: a pixel is on the boundary when it is inside the region (inside(x, y)
// true) and one of its 4-neighbours is outside or off the image. inside takes
// coordinates relative to img's bounds' origin.
func Outline(img image.Image, inside func(x, y int) bool, col color.Color) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Src)
	in := func(x, y int) bool {
		return x >= 0 && y >= 0 && x < b.Dx() && y < b.Dy() && inside(x, y)
	}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			if in(x, y) && (!in(x-1, y) || !in(x+1, y) || !in(x, y-1) || !in(x, y+1)) {
				out.Set(x, y, col)
			}
		}
	}
	return out
}

// Montage lays tiles out in a grid of cols columns on a white background,
// each tile scaled by an integer factor zoom (nearest neighbour, so pixels
// stay visible) with its label written under it.
func Montage(tiles []image.Image, labels []string, cols, zoom int) (*image.RGBA, error) {
	if len(tiles) == 0 {
		return nil, fmt.Errorf("plots: Montage: no tiles")
	}
	if labels != nil && len(labels) != len(tiles) {
		return nil, fmt.Errorf("plots: Montage: %d tiles but %d labels", len(tiles), len(labels))
	}
	if cols < 1 || zoom < 1 {
		return nil, fmt.Errorf("plots: Montage: %d columns at zoom %d: both must be at least 1", cols, zoom)
	}
	tw, th := 0, 0
	for _, t := range tiles {
		tw, th = max(tw, t.Bounds().Dx()*zoom), max(th, t.Bounds().Dy()*zoom)
	}
	const gap, text = 6, 16
	rows := (len(tiles) + cols - 1) / cols
	ncol := min(cols, len(tiles))
	out := image.NewRGBA(image.Rect(0, 0, ncol*(tw+gap)+gap, rows*(th+text+gap)+gap))
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	face := basicfont.Face7x13
	for i, t := range tiles {
		x0 := gap + (i%cols)*(tw+gap)
		y0 := gap + (i/cols)*(th+text+gap)
		b := t.Bounds()
		for y := 0; y < b.Dy()*zoom; y++ {
			for x := 0; x < b.Dx()*zoom; x++ {
				out.Set(x0+x, y0+y, t.At(b.Min.X+x/zoom, b.Min.Y+y/zoom))
			}
		}
		if labels != nil {
			d := font.Drawer{Dst: out, Src: image.Black, Face: face,
				Dot: fixed.P(x0, y0+th+text-3)}
			d.DrawString(labels[i])
		}
	}
	return out, nil
}
