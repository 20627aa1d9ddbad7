package deep

import (
	"fmt"
	"image"
	"math"
	"runtime"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/internal/parallel"
)

// Source names the files of one cine: the cine, its lesion mask (in the
// geometry of the frames) and its timing.
type Source struct {
	ID string
	// Cine is a path imaging.OpenCine accepts; Mask a path
	// imaging.ReadMask accepts.
	Cine, Mask string
	// FrameRate is used when the cine carries no timing (0: none).
	FrameRate float64
	// Region is the Ultrasound Region of a dual-display cine to use
	// (imaging.CineOptions.Region; "" for the whole frame); the mask is
	// brought into its coordinates by imaging.MaskForCine.
	Region string
	// InjectionOffset is the time of the injection in seconds after the
	// first frame; NaN is taken as 0 (the cine starts at the injection).
	InjectionOffset float64
}

// SourceOf returns the Source of a cohort patient: cine, lesion_mask,
// frame_rate, injection_offset_s and cine_region of the manifest.
func SourceOf(p cohort.Patient) Source {
	return Source{ID: p.ID, Cine: p.Cine, Mask: p.LesionMask, FrameRate: p.FrameRate, InjectionOffset: p.InjectionOffset, Region: p.CineRegion}
}

// SourcesOf returns the Sources of patients, in order.
func SourcesOf(ps []cohort.Patient) []Source {
	s := make([]Source, len(ps))
	for i, p := range ps {
		s[i] = SourceOf(p)
	}
	return s
}

// Clip is the preprocessed input of one cine: T sampled times, each with
// 2·JitterSteps+1 candidate frames, cropped around the lesion and resized
// to Size×Size, plus the lesion mask resized the same way. Intensities are
// stored as uint16, the value in [0, 1] (grey level / 255 for 8-bit data,
// / 65535 for 16-bit) times 65535, rounded.
type Clip struct {
	ID string
	// Frames (T), Candidates (K) and Size (S) give the layout of Pix:
	// Pix[((t·K + k)·S + y)·S + x]; candidate JitterSteps is the frame
	// nearest to the sampled time itself.
	Frames, Candidates, Size int
	// Times[t] is the sampled time, seconds after the injection;
	// FrameTimes[t·K+k] the time, on the cine's clock, of the frame used.
	Times, FrameTimes []float64
	Pix               []uint16
	// Mask[y·S + x] is the lesion's share of the pixel, in [0, 1]·65535.
	Mask []uint16
	// Box is the crop box in the cine's pixels (it may extend past the
	// frame, where the crop is zero).
	Box image.Rectangle
}

// Frame returns candidate k of sampled time t as values in [0, 1], row by
// row.
func (c *Clip) Frame(t, k int) []float32 {
	s2 := c.Size * c.Size
	out := make([]float32, s2)
	off := (t*c.Candidates + k) * s2
	for i := range out {
		out[i] = float32(c.Pix[off+i]) / 65535
	}
	return out
}

// CropBox returns the square crop box around the mask: the bounding box of
// its pixels, [x0, x1)×[y0, y1), grown by margin·max(x1−x0, y1−y0) on every
// side, side L = ⌈max(w, h)·(1 + 2·margin)⌉ centred on the box's centre
// (x0 = ⌊(x0+x1−L)/2⌋). It is an error when the mask is empty or 3D.
func CropBox(m *imaging.Mask, margin float64) (image.Rectangle, error) {
	if m.Depth > 1 {
		return image.Rectangle{}, fmt.Errorf("mask is 3D (%d slices), expected a 2D mask", m.Depth)
	}
	x0, y0, x1, y1 := m.Width, m.Height, -1, -1
	for y := 0; y < m.Height; y++ {
		for x := 0; x < m.Width; x++ {
			if m.Data[y*m.Width+x] {
				x0, y0 = min(x0, x), min(y0, y)
				x1, y1 = max(x1, x), max(y1, y)
			}
		}
	}
	if x1 < 0 {
		return image.Rectangle{}, fmt.Errorf("mask is empty, expected a lesion")
	}
	x1++
	y1++
	side := int(math.Ceil(float64(max(x1-x0, y1-y0)) * (1 + 2*margin)))
	bx := int(math.Floor(float64(x0+x1-side) / 2))
	by := int(math.Floor(float64(y0+y1-side) / 2))
	return image.Rect(bx, by, bx+side, by+side), nil
}

// Prepare reads one cine (streamed once, keeping only the sampled frames)
// and its mask and returns its Clip: for every sampled time τ of
// cfg.SampleTimes and every jitter step j, the frame nearest to
// τ + j·JitterS + InjectionOffset on the cine's clock, cropped to CropBox
// (zero outside the frame) and resized to Size×Size by Resize. It is an
// error when no frame lies within 1 s of a needed time, when the mask's
// size differs from the frames', or when the mask is empty.
func Prepare(src Source, cfg Config) (*Clip, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	mask, err := imaging.ReadMask(src.Mask)
	if err != nil {
		return nil, fmt.Errorf("deep: %s: %w", src.ID, err)
	}
	c, err := imaging.OpenCine(src.Cine, imaging.CineOptions{FrameRate: src.FrameRate, Region: src.Region})
	if err != nil {
		return nil, fmt.Errorf("deep: %s: %w", src.ID, err)
	}
	defer c.Close()
	info := c.Info()
	if mask, err = imaging.MaskForCine(mask, info); err != nil {
		return nil, fmt.Errorf("deep: %s: %s: %w", src.ID, src.Mask, err)
	}
	if info.Width != mask.Width || info.Height != mask.Height {
		return nil, fmt.Errorf("deep: %s: mask %s is %d×%d but the frames of %s are %d×%d", src.ID, src.Mask, mask.Width, mask.Height, src.Cine, info.Width, info.Height)
	}
	box, err := CropBox(mask, cfg.Margin)
	if err != nil {
		return nil, fmt.Errorf("deep: %s: %s: %w", src.ID, src.Mask, err)
	}
	off := src.InjectionOffset
	if math.IsNaN(off) {
		off = 0
	}
	taus := cfg.SampleTimes()
	K := cfg.Candidates()
	want := make([]float64, 0, len(taus)*K)
	for _, tau := range taus {
		for j := -cfg.JitterSteps; j <= cfg.JitterSteps; j++ {
			want = append(want, tau+float64(j)*cfg.JitterS+off)
		}
	}
	frames, err := imaging.FramesAt(c, want)
	if err != nil {
		return nil, fmt.Errorf("deep: %s: %w", src.ID, err)
	}
	S := cfg.Size
	clip := &Clip{ID: src.ID, Frames: len(taus), Candidates: K, Size: S, Times: taus,
		FrameTimes: make([]float64, len(want)), Pix: make([]uint16, len(want)*S*S), Box: box}
	for i, f := range frames {
		if math.Abs(f.Time-want[i]) > 1 {
			return nil, fmt.Errorf("deep: %s: %s has no frame within 1 s of %.2f s (%.2f s after the injection at %.2f s); the nearest is frame %d at %.2f s",
				src.ID, src.Cine, want[i], want[i]-off, off, f.Index, f.Time)
		}
		crop, err := cropFloat(f.Img, box)
		if err != nil {
			return nil, fmt.Errorf("deep: %s: %s frame %d: %w", src.ID, src.Cine, f.Index, err)
		}
		r := Resize(crop, box.Dx(), box.Dy(), S, S)
		clip.FrameTimes[i] = f.Time
		quantise(clip.Pix[i*S*S:(i+1)*S*S], r)
	}
	mf := make([]float32, box.Dx()*box.Dy())
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			if mask.At2D(x, y) {
				mf[(y-box.Min.Y)*box.Dx()+x-box.Min.X] = 1
			}
		}
	}
	clip.Mask = make([]uint16, S*S)
	quantise(clip.Mask, Resize(mf, box.Dx(), box.Dy(), S, S))
	return clip, nil
}

// quantise stores values in [0, 1] as round(v·65535), clamped.
func quantise(dst []uint16, v []float32) {
	for i, x := range v {
		dst[i] = uint16(math.Round(float64(min(max(x, 0), 1)) * 65535))
	}
}

// cropFloat cuts box out of a grey frame as values in [0, 1], zero outside
// the frame.
func cropFloat(img image.Image, box image.Rectangle) ([]float32, error) {
	w, h := box.Dx(), box.Dy()
	out := make([]float32, w*h)
	b := img.Bounds()
	in := box.Intersect(b)
	switch g := img.(type) {
	case *image.Gray:
		for y := in.Min.Y; y < in.Max.Y; y++ {
			row := g.Pix[g.PixOffset(in.Min.X, y):]
			o := (y-box.Min.Y)*w + in.Min.X - box.Min.X
			for x := 0; x < in.Dx(); x++ {
				out[o+x] = float32(row[x]) / 255
			}
		}
	case *image.Gray16:
		for y := in.Min.Y; y < in.Max.Y; y++ {
			row := g.Pix[g.PixOffset(in.Min.X, y):]
			o := (y-box.Min.Y)*w + in.Min.X - box.Min.X
			for x := 0; x < in.Dx(); x++ {
				out[o+x] = float32(uint16(row[2*x])<<8|uint16(row[2*x+1])) / 65535
			}
		}
	default:
		return nil, fmt.Errorf("frame is %T, expected 8- or 16-bit grey", img)
	}
	return out, nil
}

// PrepareAll runs Prepare on every source, in parallel over cfg.Workers
// goroutines, and returns the clips in the order of srcs. progress, when not
// nil, is called with (clips done, len(srcs)) after each clip. The first
// error, in the order of srcs, is returned.
func PrepareAll(srcs []Source, cfg Config, progress func(done, total int)) ([]*Clip, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	clips := make([]*Clip, len(srcs))
	errs := make([]error, len(srcs))
	_ = parallel.ForEach(len(srcs), workers(cfg.Workers), func(i int) error { // errs holds what it would join
		clips[i], errs[i] = Prepare(srcs[i], cfg)
		return errs[i]
	}, progress)
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return clips, nil
}

// workers returns n, or GOMAXPROCS when n is 0.
func workers(n int) int {
	if n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}
