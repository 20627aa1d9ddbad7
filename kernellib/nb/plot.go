package nb

import (
	"bytes"
	"fmt"

	"github.com/ceusrad/ceusrad/kernellib/plots"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// PlotPNG renders p in the figure theme (plots.Draw: margins, the legend
// below the data) to PNG bytes at the given physical size and resolution
// (dots per inch), the same picture Save writes: the image is
// w·dpi/72 × h·dpi/72 pixels, vg's points being 1/72 inch. A figure for a
// journal is typically 300 dpi.
func PlotPNG(p *plot.Plot, w, h vg.Length, dpi int) ([]byte, error) {
	if p == nil {
		return nil, fmt.Errorf("nb: nil plot")
	}
	if w <= 0 || h <= 0 || dpi <= 0 {
		return nil, fmt.Errorf("nb: PNG size %v×%v at %d dpi: size and dpi must be positive", w, h, dpi)
	}
	b, err := plots.PNG(p, w, h, dpi)
	if err != nil {
		return nil, fmt.Errorf("nb: %w", err)
	}
	return b, nil
}

// PlotSVG renders p in the figure theme (plots.Draw) to an SVG document of
// the given size.
func PlotSVG(p *plot.Plot, w, h vg.Length) (string, error) {
	if p == nil {
		return "", fmt.Errorf("nb: nil plot")
	}
	if w <= 0 || h <= 0 {
		return "", fmt.Errorf("nb: SVG size %v×%v: size must be positive", w, h)
	}
	c := vgsvg.New(w, h)
	plots.Draw(p, draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return "", fmt.Errorf("nb: encoding SVG: %w", err)
	}
	return buf.String(), nil
}

// Plot shows p inline as a PNG of size w×h at dpi dots per inch. The
// notebook displays it at its physical size for 96 dpi screens, so a 300 dpi
// figure stays sharp.
func Plot(p *plot.Plot, w, h vg.Length, dpi int) error {
	png, err := PlotPNG(p, w, h, dpi)
	if err != nil {
		return err
	}
	// Shown at its physical size in CSS pixels (96 per inch), so that a
	// high-dpi PNG is sharp rather than huge.
	Current().PNG(png, cssPixels(w), cssPixels(h))
	return nil
}

// PlotSVGInline shows p inline as SVG of size w×h.
func PlotSVGInline(p *plot.Plot, w, h vg.Length) error {
	svg, err := PlotSVG(p, w, h)
	if err != nil {
		return err
	}
	Current().SVG(svg)
	return nil
}

// cssPixels converts a vg length (points, 1/72 inch) to CSS pixels (1/96 inch).
func cssPixels(l vg.Length) int { return int(float64(l)*96/72 + 0.5) }
