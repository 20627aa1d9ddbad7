package tic

import (
	"errors"
	"fmt"
	"image"
	"io"
	"math"

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
//	I_r(t_k) = (1/|R_r \ O_k|) Σ_{(x,y) ∈ R_r \ O_k} f_k(x, y),
//
// the ROI-mean TIC of CEUS quantification (Dietrich et al., "How to perform
// Contrast-Enhanced Ultrasound (CEUS)", Ultrasound Int Open 2018; Tang et
// al., Insights Imaging 2011), where O_k is the frame's burned-in coloured
// overlay (imaging.Frame.Overlay; empty for grey cines): the pixels of a
// caliper, a colour bar or an ECG trace are left out of that frame's mean.
type Curves struct {
	Time  []float64
	Names []string
	// Mean[r][k] is ROI r's mean at frame k.
	Mean [][]float64
	// Pixels[r] is the number of pixels in ROI r.
	Pixels []int

	// Scale is the scale of Mean and FrameMean: Display (the cine's grey
	// values) or Power (linearised, see LogCompression).
	Scale Scale
	// Frames[k] is the index, in the order read, of the frame of sample k;
	// it skips the frames rejected as flashes (Rejected).
	Frames []int
	// Rejected are the indices of the frames rejected as flash or
	// destruction frames (ExtractOptions.RejectFlash), nil otherwise.
	Rejected []int
	// FrameMean is the whole-frame mean of every frame read, on Scale,
	// overlay pixels left out, when flash rejection was asked for; nil
	// otherwise.
	FrameMean []float64
	// Shifts is the estimated motion of every frame read relative to the
	// reference frame when motion correction was asked for; nil otherwise.
	Shifts []Shift
	// OverlayPixels[r] is the largest number of ROI r's pixels left out of
	// one frame's mean as a coloured overlay (imaging.Frame.Overlay), over
	// the frames read; OverlayFrames[r] the number of frames read in which
	// any was left out. Both are 0 for a grey cine.
	OverlayPixels []int
	OverlayFrames []int
}

// OverlayWarnings returns one message for every ROI of which more than
// imaging.OverlayWarnFraction of the pixels were left out of some frame as a
// coloured overlay (OverlayPixels); nil when none.
func (c *Curves) OverlayWarnings() []string {
	var out []string
	for r, n := range c.OverlayPixels {
		if float64(n) > imaging.OverlayWarnFraction*float64(c.Pixels[r]) {
			out = append(out, fmt.Sprintf("ROI %s: up to %d of its %d pixels (%.1f%%) are covered by a coloured overlay (calipers, text, colour bars, ECG) in %d frames and were left out of the mean; check the ROI and the export",
				c.Names[r], n, c.Pixels[r], 100*float64(n)/float64(c.Pixels[r]), c.OverlayFrames[r]))
		}
	}
	return out
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

// Scale is the intensity scale of extracted curves.
type Scale int

const (
	// Display is the cine's stored grey values, log-compressed by the
	// scanner (the raw curve).
	Display Scale = iota
	// Power is relative echo power, each pixel linearised by
	// LogCompression.Power before averaging.
	Power
)

// String returns "display" or "power".
func (s Scale) String() string {
	if s == Power {
		return "power"
	}
	return "display"
}

// ExtractOptions control ExtractWith. The zero value extracts raw display
// means, as Extract does.
type ExtractOptions struct {
	// Scale selects raw display values or linearised echo power.
	Scale Scale
	// Compression is the display's log compression, needed for Power.
	Compression LogCompression
	// Motion, when not nil, turns on rigid motion correction: each
	// frame's translation is estimated by tracking (MotionOptions), over
	// the ROIs' bounding box widened by MarginPx, and each ROI is read at
	// its shifted position by bilinear interpolation. The ROIs are taken
	// to be drawn on the position of frame 0.
	Motion *MotionOptions
	// RejectFlash turns on flash/destruction-frame rejection: the
	// whole-frame mean of every frame is recorded (Curves.FrameMean) and
	// the frames RejectFlash flags in it, with FlashHalfWindow (0 means 3)
	// and FlashThreshold (0 means 6), are left out of the curves.
	RejectFlash     bool
	FlashHalfWindow int
	FlashThreshold  float64
}

// Extract reads the cine frame by frame and returns the ROI-mean curve of
// every ROI in display values. Each mask must be 2D, have the cine's frame
// size and hold at least one pixel. progress, when not nil, is called after
// every frame with (frames done, frames declared by the header). The cine
// is not closed. It is ExtractWith with the zero ExtractOptions.
func Extract(c imaging.Cine, rois []ROI, progress func(done, total int)) (*Curves, error) {
	return ExtractWith(c, rois, ExtractOptions{}, progress)
}

// ExtractWith reads the cine frame by frame, streaming (one frame in
// memory at a time, two with motion correction), and returns the
// ROI-mean curve of every ROI,
//
//	I_r(t_k) = (1/|R_r|) Σ_{x ∈ R_r} v(f_k(x + s_k)),
//
// v the identity (Display) or LogCompression.Power (Power), s_k the
// frame's estimated shift (0 without motion correction). Flash frames are
// then dropped when asked for. Masks as for Extract; progress as for
// Extract.
func ExtractWith(c imaging.Cine, rois []ROI, o ExtractOptions, progress func(done, total int)) (*Curves, error) {
	info := c.Info()
	if len(rois) == 0 {
		return nil, fmt.Errorf("tic: %s: no ROI given", info.Path)
	}
	w, h := info.Width, info.Height
	out := &Curves{Names: make([]string, len(rois)), Mean: make([][]float64, len(rois)), Pixels: make([]int, len(rois)), Scale: o.Scale,
		OverlayPixels: make([]int, len(rois)), OverlayFrames: make([]int, len(rois))}
	runs := make([][]run, len(rois))
	idx := make([][]int, len(rois))
	bbox := image.Rectangle{}
	for r, roi := range rois {
		m := roi.Mask
		if m == nil {
			return nil, fmt.Errorf("tic: ROI %q has no mask", roi.Name)
		}
		if m.Depth > 1 || m.Width != w || m.Height != h || len(m.Data) != w*h {
			return nil, fmt.Errorf("tic: ROI %q is %dx%dx%d but the frames of %s are %dx%d", roi.Name, m.Width, m.Height, m.Depth, info.Path, w, h)
		}
		for y := 0; y < h; y++ {
			for x := 0; x < w; {
				if !m.Data[y*w+x] {
					x++
					continue
				}
				x0 := x
				for x < w && m.Data[y*w+x] {
					idx[r] = append(idx[r], y*w+x)
					x++
				}
				runs[r] = append(runs[r], run{y, x0, x})
				bbox = bbox.Union(image.Rect(x0, y, x, y+1))
			}
		}
		if len(idx[r]) == 0 {
			return nil, fmt.Errorf("tic: ROI %q is empty", roi.Name)
		}
		out.Names[r] = roi.Name
		out.Pixels[r] = len(idx[r])
	}
	var lut8, lut16 []float64
	switch o.Scale {
	case Display:
	case Power:
		bits := info.BitsAllocated
		if bits != 16 {
			bits = 8
		}
		lc, err := o.Compression.check(bits)
		if err != nil {
			return nil, fmt.Errorf("%w (%s)", err, info.Path)
		}
		if bits == 16 {
			lut16 = lc.table(16)
		} else {
			lut8 = lc.table(8)
		}
	default:
		return nil, fmt.Errorf("tic: unknown scale %d", o.Scale)
	}
	var mo MotionOptions
	var box image.Rectangle
	if o.Motion != nil {
		mo = *o.Motion
		if mo.SearchPx == 0 {
			mo.SearchPx = 6
		}
		if mo.MarginPx == 0 {
			mo.MarginPx = 8
		}
		if mo.SearchPx < 1 || mo.MarginPx < 0 {
			return nil, fmt.Errorf("tic: motion options %+v: want SearchPx ≥ 1, MarginPx ≥ 0", *o.Motion)
		}
		box = bbox.Inset(-mo.MarginPx)
	}
	var (
		all    [][]float64 // all[r][k], every frame read
		times  []float64
		fmean  []float64
		tmpl   []float64
		warped []float64
		prev   Shift
		disp   = make([]float64, w*h)
		vals   []float64
	)
	all = make([][]float64, len(rois))
	for k := 0; ; k++ {
		f, err := c.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("tic: %w", err)
		}
		fr, err := frameOf(f.Img, w, h)
		if err != nil {
			return nil, fmt.Errorf("tic: %s frame %d: %w", info.Path, f.Index, err)
		}
		var ov []bool
		if f.Overlay != nil {
			if m := f.Overlay; m.Width != w || m.Height != h || len(m.Data) != w*h {
				return nil, fmt.Errorf("tic: %s frame %d: overlay mask is %dx%d, the frame %dx%d", info.Path, f.Index, m.Width, m.Height, w, h)
			}
			ov = f.Overlay.Data
		}
		times = append(times, f.Time)
		left := func(r, n int) error { // n of ROI r's pixels were left out
			if n == len(idx[r]) {
				return fmt.Errorf("tic: %s frame %d: every pixel of ROI %q is covered by a coloured overlay (imaging.Frame.Overlay)", info.Path, f.Index, rois[r].Name)
			}
			if n > 0 {
				out.OverlayFrames[r]++
				out.OverlayPixels[r] = max(out.OverlayPixels[r], n)
			}
			return nil
		}
		if o.Motion == nil {
			for r := range rois {
				s, n := fr.roiSum(runs[r], lut8, lut16), 0
				if ov != nil {
					var so float64
					so, n = fr.overlaySum(runs[r], ov, lut8, lut16)
					s -= so
				}
				if err := left(r, n); err != nil {
					return nil, err
				}
				all[r] = append(all[r], s/float64(len(idx[r])-n))
			}
		} else {
			fr.values(disp, nil, nil)
			if ov != nil {
				fillOverlay(disp, ov, w, h)
			}
			bl := blur3(blur3(disp, w, h), w, h)
			var s Shift
			if k == 0 {
				s = Shift{NCC: 1}
				tmpl = bl
				warped = make([]float64, w*h)
			} else {
				if s, err = estimateShift(tmpl, bl, w, h, box, int(math.Round(prev.DX)), int(math.Round(prev.DY)), mo.SearchPx); err != nil {
					return nil, fmt.Errorf("%w (%s frame %d)", err, info.Path, f.Index)
				}
				warpInto(warped, bl, w, h, s.DX, s.DY)
				for i := range tmpl {
					tmpl[i] = (1-trackAlpha)*tmpl[i] + trackAlpha*warped[i]
				}
			}
			prev = s
			out.Shifts = append(out.Shifts, s)
			if vals == nil {
				vals = make([]float64, w*h)
			}
			fr.values(vals, lut8, lut16)
			for r := range rois {
				m, n := shiftedMean(vals, w, h, idx[r], s.DX, s.DY, ov)
				if err := left(r, n); err != nil {
					return nil, err
				}
				all[r] = append(all[r], m)
			}
		}
		if o.RejectFlash {
			fmean = append(fmean, fr.mean(lut8, lut16, ov))
		}
		if progress != nil {
			progress(k+1, info.NumFrames)
		}
	}
	if len(times) == 0 {
		return nil, fmt.Errorf("tic: %s has no frames", info.Path)
	}
	reject := map[int]bool{}
	if o.RejectFlash {
		hw, th := o.FlashHalfWindow, o.FlashThreshold
		if hw == 0 {
			hw = 3
		}
		if th == 0 {
			th = 6
		}
		rej, err := RejectFlash(fmean, hw, th)
		if err != nil {
			return nil, err
		}
		out.FrameMean, out.Rejected = fmean, rej
		for _, i := range rej {
			reject[i] = true
		}
	}
	for k := range times {
		if reject[k] {
			continue
		}
		out.Time = append(out.Time, times[k])
		out.Frames = append(out.Frames, k)
	}
	for r := range rois {
		if len(reject) == 0 {
			out.Mean[r] = all[r]
			continue
		}
		for k, v := range all[r] {
			if !reject[k] {
				out.Mean[r] = append(out.Mean[r], v)
			}
		}
	}
	if len(out.Time) == 0 {
		return nil, fmt.Errorf("tic: %s: every frame was rejected as a flash", info.Path)
	}
	return out, nil
}

// run is the pixels x0 ≤ x < x1 of row y of a mask.
type run struct{ y, x0, x1 int }

// frame is an 8- or 16-bit grey frame.
type frame struct {
	g8   *image.Gray
	g16  *image.Gray16
	w, h int
}

func frameOf(img image.Image, w, h int) (frame, error) {
	if s := img.Bounds().Size(); s.X != w || s.Y != h {
		return frame{}, fmt.Errorf("frame is %dx%d, expected %dx%d", s.X, s.Y, w, h)
	}
	switch g := img.(type) {
	case *image.Gray:
		return frame{g8: g, w: w, h: h}, nil
	case *image.Gray16:
		return frame{g16: g, w: w, h: h}, nil
	}
	return frame{}, fmt.Errorf("frame of type %T, want *image.Gray or *image.Gray16", img)
}

// roiSum returns the sum of the values in the runs: display values, or
// their images by lut8 (8-bit frames) or lut16 (16-bit frames) when given.
func (f frame) roiSum(runs []run, lut8, lut16 []float64) float64 {
	if f.g8 != nil {
		pix, st := f.g8.Pix, f.g8.Stride
		if lut8 == nil {
			var s uint64
			for _, r := range runs {
				s += sum8(pix[r.y*st+r.x0 : r.y*st+r.x1])
			}
			return float64(s)
		}
		lut := (*[256]float64)(lut8)
		s := 0.0
		for _, r := range runs {
			s += sumLUT8(pix[r.y*st+r.x0:r.y*st+r.x1], lut)
		}
		return s
	}
	pix, st := f.g16.Pix, f.g16.Stride
	s := 0.0
	for _, r := range runs {
		row := pix[r.y*st+2*r.x0 : r.y*st+2*r.x1]
		for i := 0; i < len(row); i += 2 {
			v := int(row[i])<<8 | int(row[i+1])
			if lut16 != nil {
				s += lut16[v]
			} else {
				s += float64(v)
			}
		}
	}
	return s
}

// overlaySum returns the sum (as roiSum) and the number of the pixels of the
// runs that the overlay ov (w×h, x fastest) marks.
func (f frame) overlaySum(runs []run, ov []bool, lut8, lut16 []float64) (float64, int) {
	s, n := 0.0, 0
	for _, r := range runs {
		o := r.y * f.w
		for x := r.x0; x < r.x1; x++ {
			if !ov[o+x] {
				continue
			}
			n++
			var v int
			if f.g8 != nil {
				v = int(f.g8.Pix[r.y*f.g8.Stride+x])
				if lut8 != nil {
					s += lut8[v]
					continue
				}
			} else {
				row := f.g16.Pix[r.y*f.g16.Stride:]
				v = int(row[2*x])<<8 | int(row[2*x+1])
				if lut16 != nil {
					s += lut16[v]
					continue
				}
			}
			s += float64(v)
		}
	}
	return s, n
}

// mean returns the whole-frame mean value, leaving out the pixels the
// overlay ov marks (nil: none).
func (f frame) mean(lut8, lut16 []float64, ov []bool) float64 {
	rs := make([]run, f.h)
	for y := range rs {
		rs[y] = run{y, 0, f.w}
	}
	s, n := f.roiSum(rs, lut8, lut16), 0
	if ov != nil {
		var so float64
		so, n = f.overlaySum(rs, ov, lut8, lut16)
		s -= so
	}
	if n == f.w*f.h {
		return math.NaN()
	}
	return s / float64(f.w*f.h-n)
}

// values writes every pixel's value (x fastest) into dst.
func (f frame) values(dst []float64, lut8, lut16 []float64) {
	for y := 0; y < f.h; y++ {
		d := dst[y*f.w : (y+1)*f.w]
		if f.g8 != nil {
			row := f.g8.Pix[y*f.g8.Stride : y*f.g8.Stride+f.w]
			for x, v := range row {
				if lut8 != nil {
					d[x] = lut8[v]
				} else {
					d[x] = float64(v)
				}
			}
			continue
		}
		row := f.g16.Pix[y*f.g16.Stride : y*f.g16.Stride+2*f.w]
		for x := range d {
			v := int(row[2*x])<<8 | int(row[2*x+1])
			if lut16 != nil {
				d[x] = lut16[v]
			} else {
				d[x] = float64(v)
			}
		}
	}
}

// fillOverlay replaces every pixel of vals (w×h) that the overlay ov marks
// by the inverse-distance weighted mean of the nearest unmarked pixels up,
// down, left and right of it (within 16 pixels; left as it is when there is
// none), so that a static overlay does not hold the motion tracking at zero
// shift. It is for the tracking only: the ROI means leave those pixels out.
func fillOverlay(vals []float64, ov []bool, w, h int) {
	const reach = 16
	for i, o := range ov {
		if !o {
			continue
		}
		x, y := i%w, i/w
		s, ws := 0.0, 0.0
		for _, d := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
			for k := 1; k <= reach; k++ {
				xx, yy := x+k*d[0], y+k*d[1]
				if xx < 0 || yy < 0 || xx >= w || yy >= h {
					break
				}
				if j := yy*w + xx; !ov[j] {
					s += vals[j] / float64(k)
					ws += 1 / float64(k)
					break
				}
			}
		}
		if ws > 0 {
			vals[i] = s / ws
		}
	}
}

// shiftedMean is the mean of vals at the ROI's pixels shifted by (dx, dy),
// by bilinear interpolation, coordinates clamped to the image, leaving out
// the shifted pixels that the overlay ov (nil: none) marks any of the four
// interpolated from; n is the number left out.
func shiftedMean(vals []float64, w, h int, idx []int, dx, dy float64, ov []bool) (mean float64, n int) {
	s := 0.0
	for _, i := range idx {
		x := clampf(float64(i%w)+dx, 0, float64(w-1))
		y := clampf(float64(i/w)+dy, 0, float64(h-1))
		x0, y0 := int(x), int(y)
		fx, fy := x-float64(x0), y-float64(y0)
		x1, y1 := min(x0+1, w-1), min(y0+1, h-1)
		if ov != nil && (ov[y0*w+x0] || ov[y0*w+x1] || ov[y1*w+x0] || ov[y1*w+x1]) {
			n++
			continue
		}
		s += (1-fy)*((1-fx)*vals[y0*w+x0]+fx*vals[y0*w+x1]) + fy*((1-fx)*vals[y1*w+x0]+fx*vals[y1*w+x1])
	}
	return s / float64(len(idx)-n), n
}

// sum8 returns the sum of the bytes of row, four at a time.
func sum8(row []uint8) uint64 {
	var a, b, c, d uint64
	i := 0
	for ; i+4 <= len(row); i += 4 {
		a += uint64(row[i])
		b += uint64(row[i+1])
		c += uint64(row[i+2])
		d += uint64(row[i+3])
	}
	for ; i < len(row); i++ {
		a += uint64(row[i])
	}
	return a + b + c + d
}

// sumLUT8 returns Σ lut[v] over the bytes v of row, with four independent
// accumulators (the additions of one would wait on each other). The order
// of summation is fixed, so the result does not depend on the machine.
func sumLUT8(row []uint8, lut *[256]float64) float64 {
	var a, b, c, d float64
	i := 0
	for ; i+4 <= len(row); i += 4 {
		a += lut[row[i]]
		b += lut[row[i+1]]
		c += lut[row[i+2]]
		d += lut[row[i+3]]
	}
	for ; i < len(row); i++ {
		a += lut[row[i]]
	}
	return (a + b) + (c + d)
}
