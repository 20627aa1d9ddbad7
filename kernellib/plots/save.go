package plots

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// TIFFEnv is the environment variable that, set to 1, makes Save also
// write a TIFF (LZW, TIFFDPI dots per inch) for the journals that ask for
// one: CEUSRAD_TIFF=1 make reproduce.
const TIFFEnv = "CEUSRAD_TIFF"

// TIFFDPI is the resolution of the TIFF that Save writes on request
// (TIFFEnv): 600 dpi, what journals ask of combination artwork (line art
// with tone).
const TIFFDPI = 600

// Save writes p, drawn in the theme (Draw) at w×h, as
//
//   - base+".pdf": vector, its fonts embedded (what European Radiology and
//     most journals ask for);
//   - base+".png": dpi dots per inch (300 for print), its pHYs chunk
//     recording that resolution;
//   - base+".svg": vector, for the web;
//   - base+".tif", only when the environment sets TIFFEnv=1: RGB, LZW
//     compressed, TIFFDPI dots per inch, resolution tags set (WriteTIFF);
//
// creating base's folder when needed, and returns the paths written in that
// order. Each file is written atomically (safeio).
func Save(p *plot.Plot, base string, w, h vg.Length, dpi int) ([]string, error) {
	if p == nil {
		return nil, fmt.Errorf("plots: Save %s: nil plot", base)
	}
	return saveDrawing(func(c draw.Canvas) { Draw(p, c) }, base, w, h, dpi)
}

// saveDrawing writes what fn draws in the formats of Save.
func saveDrawing(fn func(draw.Canvas), base string, w, h vg.Length, dpi int) ([]string, error) {
	if w <= 0 || h <= 0 || dpi <= 0 {
		return nil, fmt.Errorf("plots: Save %s: size %v×%v at %d dpi must be positive", base, w, h, dpi)
	}
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		return nil, fmt.Errorf("plots: Save: %w", err)
	}
	pdf := vgpdf.New(w, h)
	pdf.EmbedFonts(true)
	fn(draw.New(pdfCanvas{pdf}))
	if err := writeTo(base+".pdf", pdf); err != nil {
		return nil, err
	}
	png, err := renderPNG(fn, w, h, dpi)
	if err != nil {
		return nil, fmt.Errorf("plots: Save %s: %w", base, err)
	}
	if err := writeTo(base+".png", bytes.NewReader(png)); err != nil {
		return nil, err
	}
	svg := vgsvg.New(w, h)
	fn(draw.New(svg))
	if err := writeTo(base+".svg", svg); err != nil {
		return nil, err
	}
	paths := []string{base + ".pdf", base + ".png", base + ".svg"}
	if os.Getenv(TIFFEnv) == "1" {
		c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(TIFFDPI))
		fn(draw.New(c))
		tif := base + ".tif"
		if err := safeio.WriteWith(tif, func(out io.Writer) error { return WriteTIFF(out, c.Image(), TIFFDPI) }); err != nil {
			return paths, fmt.Errorf("plots: %w", err)
		}
		paths = append(paths, tif)
	}
	return paths, nil
}

// renderPNG draws fn at w×h and dpi and encodes it as a PNG carrying its
// resolution (SetPNGDPI).
func renderPNG(fn func(draw.Canvas), w, h vg.Length, dpi int) ([]byte, error) {
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))
	fn(draw.New(c))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, err
	}
	return SetPNGDPI(buf.Bytes(), dpi)
}

// PNG renders p in the theme (Draw) at w×h and dpi dots per inch as PNG
// bytes that record their resolution (a pHYs chunk): the notebook helpers
// show it, Save writes it.
func PNG(p *plot.Plot, w, h vg.Length, dpi int) ([]byte, error) {
	if p == nil {
		return nil, fmt.Errorf("plots: PNG: nil plot")
	}
	if w <= 0 || h <= 0 || dpi <= 0 {
		return nil, fmt.Errorf("plots: PNG: size %v×%v at %d dpi must be positive", w, h, dpi)
	}
	return renderPNG(func(c draw.Canvas) { Draw(p, c) }, w, h, dpi)
}

// writeTo writes c to path atomically (a temporary file beside it, fsync, rename; see
// safeio.WriteWith): a failure half-way leaves the previous file whole.
func writeTo(path string, c interface {
	WriteTo(w io.Writer) (int64, error)
}) error {
	if err := safeio.WriteWith(path, func(w io.Writer) error {
		_, err := c.WriteTo(w)
		return err
	}); err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	return nil
}
