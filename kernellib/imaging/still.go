package imaging

import (
	"fmt"
	"image"
	"io"
	"math"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// isDICOM reports whether path starts with a Part 10 preamble and "DICM" (PS3.10 7.1).
func isDICOM(path string) (bool, error) {
	f, err := safeio.OpenRegular(path)
	if err != nil {
		return false, fmt.Errorf("imaging: %w", err)
	}
	defer f.Close()
	var b [132]byte
	if _, err := io.ReadFull(f, b[:]); err != nil {
		return false, nil
	}
	return string(b[128:]) == "DICM", nil
}

// ReadImage reads a B-mode still: a single-frame DICOM image (any encoding OpenCine
// reads), a PNG or a JPEG file. The result is grey, with its origin at (0,0):
// *image.Gray for 8-bit data and *image.Gray16 for 16-bit data; colour images (RGB
// exports of ultrasound machines) are converted with ToGray (BT.601 luma).
func ReadImage(path string) (image.Image, error) {
	img, _, err := ReadImageOverlay(path, -1)
	return img, err
}

// ReadImageOverlay reads a B-mode still as ReadImage does and also returns its
// chromatic pixels (burned-in coloured annotations; see Frame.Overlay and
// overlay.go), found with chromaThreshold as CineOptions.ChromaThreshold takes it (0:
// DefaultChromaThreshold, negative: no detection). The overlay is nil for a grey
// image and when no pixel is chromatic.
func ReadImageOverlay(path string, chromaThreshold int) (image.Image, *Mask, error) {
	dcm, err := isDICOM(path)
	if err != nil {
		return nil, nil, err
	}
	if dcm {
		c, err := OpenCine(path, CineOptions{ChromaThreshold: chromaThreshold})
		if err != nil {
			return nil, nil, err
		}
		defer c.Close()
		if n := c.Info().NumFrames; n != 1 {
			return nil, nil, fmt.Errorf("imaging: %s: a still image was expected, Number of Frames (0028,0008) is %d", path, n)
		}
		f, err := c.Next()
		if err != nil {
			return nil, nil, err
		}
		return f.Img, f.Overlay, nil
	}
	m, err := decodeImage(path, DefaultMaxPixels, image.Point{})
	if err != nil {
		return nil, nil, err
	}
	opt := CineOptions{ChromaThreshold: chromaThreshold}
	return ToGray(m), chromaMask(m, image.Rect(0, 0, m.Bounds().Dx(), m.Bounds().Dy()), opt.chromaThreshold()), nil
}

// Mask is a binary region of interest. Data[x + Width*(y + Height*z)] is true inside the
// region (x fastest, then y, then z); Depth is 1 for a 2D mask.
type Mask struct {
	Width, Height, Depth int
	Data                 []bool
}

// At reports whether voxel (x, y, z) is inside the region; false outside the mask.
func (m *Mask) At(x, y, z int) bool {
	if x < 0 || y < 0 || z < 0 || x >= m.Width || y >= m.Height || z >= m.Depth {
		return false
	}
	return m.Data[x+m.Width*(y+m.Height*z)]
}

// At2D reports whether pixel (x, y) of the first slice is inside the
// region (false outside the mask); it suits functions that take an
// inside(x, y) predicate, such as plots.Outline.
func (m *Mask) At2D(x, y int) bool { return m.At(x, y, 0) }

// Count returns the number of voxels inside the region.
func (m *Mask) Count() int {
	n := 0
	for _, v := range m.Data {
		if v {
			n++
		}
	}
	return n
}

// ReadMask reads a region-of-interest mask: a PNG image, where a pixel is inside when
// any of its colour samples is non-zero (grey or RGB; for palette images the colour,
// not the index; alpha-premultiplied, so fully transparent pixels are outside), or a NIfTI-1 image (.nii, .nii.gz; ReadNIfTI),
// where a voxel is inside when its scaled value is non-zero. A NIfTI mask holding
// NaN or an infinity (a float mask whose outside was written as NaN, say) is an
// error naming the file and the number of such voxels: neither is ever taken as
// inside or outside.
func ReadMask(path string) (*Mask, error) { return ReadMaskFor(path, 0, 0) }

// ReadMaskFor reads a mask (as ReadMask) that must be 2D and width×height pixels,
// the size of the image it outlines; width and height ≤ 0 accept any size and depth.
// The size is checked from the file's header (PNG IHDR, NIfTI-1 dim) before any pixel
// is decoded; a mask of another size is a *SizeError.
func ReadMaskFor(path string, width, height int) (*Mask, error) {
	var want [3]int
	if width > 0 && height > 0 {
		want = [3]int{width, height, 1}
	}
	lower := strings.ToLower(path)
	if strings.HasSuffix(lower, ".nii") || strings.HasSuffix(lower, ".nii.gz") {
		v, err := ReadNIfTIWith(path, NIfTIOptions{Want: want})
		if err != nil {
			return nil, err
		}
		m := &Mask{Width: v.Nx, Height: v.Ny, Depth: v.Nz, Data: make([]bool, len(v.Data))}
		bad := 0
		for i, x := range v.Data {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				bad++
			}
			m.Data[i] = x != 0
		}
		if bad > 0 {
			return nil, fmt.Errorf("imaging: %s: %d of %d mask voxels are NaN or infinite: a mask must hold finite values (non-zero inside, zero outside)", path, bad, len(v.Data))
		}
		return m, nil
	}
	if !strings.HasSuffix(lower, ".png") {
		return nil, fmt.Errorf("imaging: %s: a mask must be a PNG (.png) or NIfTI (.nii, .nii.gz) file", path)
	}
	if want != [3]int{} {
		cfg, err := decodeConfig(path)
		if err != nil {
			return nil, err
		}
		if cfg.Width != width || cfg.Height != height {
			return nil, &SizeError{Path: path, Got: [3]int{cfg.Width, cfg.Height, 1}, Want: want}
		}
	}
	img, err := decodeImage(path, DefaultMaxPixels, image.Point{})
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	m := &Mask{Width: b.Dx(), Height: b.Dy(), Depth: 1, Data: make([]bool, b.Dx()*b.Dy())}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r, g, bl, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			m.Data[y*m.Width+x] = r|g|bl != 0
		}
	}
	return m, nil
}
