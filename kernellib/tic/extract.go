package tic

import (
	"errors"
	"fmt"
	"image"
	"io"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// ROI is a named region of interest in the geometry of the cine frames.
type ROI struct {
	Name string
	Mask *imaging.Mask
}

// Curves are time–intensity curves: for every frame its time (seconds from
// the first frame, as the cine reports it) and, for every ROI, the mean
// display value of the pixels inside it,
//
//	I_r(t_k) = (1/|R_r|) Σ_{(x,y) ∈ R_r} f_k(x, y),
//
// the ROI-mean TIC of CEUS quantification (Dietrich et al., "How to perform
// Contrast-Enhanced Ultrasound (CEUS)", Ultrasound Int Open 2018; Tang et
// al., Insights Imaging 2011).
type Curves struct {
	Time  []float64
	Names []string
	// Mean[r][k] is ROI r's mean at frame k.
	Mean [][]float64
	// Pixels[r] is the number of pixels in ROI r.
	Pixels []int
}

// Curve returns the curve of the ROI called name.
func (c *Curves) Curve(name string) ([]float64, error) {
	for i, n := range c.Names {
		if n == name {
			return c.Mean[i], nil
		}
	}
	return nil, fmt.Errorf("tic: no ROI named %q (have %v)", name, c.Names)
}

// Extract reads the cine frame by frame and returns the ROI-mean curve of
// every ROI. Each mask must be 2D, have the cine's frame size and hold at
// least one pixel. progress, when not nil, is called after every frame
// with (frames done, frames declared by the header). The cine is not closed.
func Extract(c imaging.Cine, rois []ROI, progress func(done, total int)) (*Curves, error) {
	info := c.Info()
	if len(rois) == 0 {
		return nil, fmt.Errorf("tic: %s: no ROI given", info.Path)
	}
	idx := make([][]int, len(rois))
	out := &Curves{Names: make([]string, len(rois)), Mean: make([][]float64, len(rois)), Pixels: make([]int, len(rois))}
	for r, roi := range rois {
		m := roi.Mask
		if m == nil {
			return nil, fmt.Errorf("tic: ROI %q has no mask", roi.Name)
		}
		if m.Depth > 1 || m.Width != info.Width || m.Height != info.Height {
			return nil, fmt.Errorf("tic: ROI %q is %dx%dx%d but the frames of %s are %dx%d", roi.Name, m.Width, m.Height, m.Depth, info.Path, info.Width, info.Height)
		}
		for i, in := range m.Data {
			if in {
				idx[r] = append(idx[r], i)
			}
		}
		if len(idx[r]) == 0 {
			return nil, fmt.Errorf("tic: ROI %q is empty", roi.Name)
		}
		out.Names[r] = roi.Name
		out.Pixels[r] = len(idx[r])
	}
	for k := 0; ; k++ {
		f, err := c.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("tic: %w", err)
		}
		vals, err := pixels(f.Img, info.Width, info.Height)
		if err != nil {
			return nil, fmt.Errorf("tic: %s frame %d: %w", info.Path, f.Index, err)
		}
		out.Time = append(out.Time, f.Time)
		for r, ix := range idx {
			s := 0.0
			for _, i := range ix {
				s += vals(i)
			}
			out.Mean[r] = append(out.Mean[r], s/float64(len(ix)))
		}
		if progress != nil {
			progress(k+1, info.NumFrames)
		}
	}
	if len(out.Time) == 0 {
		return nil, fmt.Errorf("tic: %s has no frames", info.Path)
	}
	return out, nil
}

// pixels returns an accessor of the frame's grey values by linear index
// (x fastest), for 8- and 16-bit grey frames.
func pixels(img image.Image, w, h int) (func(i int) float64, error) {
	if s := img.Bounds().Size(); s.X != w || s.Y != h {
		return nil, fmt.Errorf("frame is %dx%d, expected %dx%d", s.X, s.Y, w, h)
	}
	switch g := img.(type) {
	case *image.Gray:
		return func(i int) float64 { return float64(g.Pix[(i/w)*g.Stride+i%w]) }, nil
	case *image.Gray16:
		return func(i int) float64 {
			o := (i/w)*g.Stride + 2*(i%w)
			return float64(uint16(g.Pix[o])<<8 | uint16(g.Pix[o+1]))
		}, nil
	}
	return nil, fmt.Errorf("frame of type %T, want *image.Gray or *image.Gray16", img)
}
