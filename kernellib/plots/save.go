package plots

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Save writes p as base+".png" at dpi dots per inch and base+".svg", both
// w×h, creating base's folder when needed, and returns the two paths.
// Journals typically ask for 300–600 dpi.
func Save(p *plot.Plot, base string, w, h vg.Length, dpi int) ([]string, error) {
	if p == nil {
		return nil, fmt.Errorf("plots: Save %s: nil plot", base)
	}
	if w <= 0 || h <= 0 || dpi <= 0 {
		return nil, fmt.Errorf("plots: Save %s: size %v×%v at %d dpi must be positive", base, w, h, dpi)
	}
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		return nil, fmt.Errorf("plots: Save: %w", err)
	}
	png := base + ".png"
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))
	p.Draw(draw.New(c))
	if err := writeTo(png, vgimg.PngCanvas{Canvas: c}); err != nil {
		return nil, err
	}
	svg := base + ".svg"
	s := vgsvg.New(w, h)
	p.Draw(draw.New(s))
	if err := writeTo(svg, s); err != nil {
		return nil, err
	}
	return []string{png, svg}, nil
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
