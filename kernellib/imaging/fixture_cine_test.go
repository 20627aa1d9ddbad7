package imaging

import (
	"encoding/binary"
	"errors"
	"image"
	"io"
	"math"
	"path/filepath"
	"testing"
)

// pixelsOf flattens a grey image row by row (16-bit as uint16 values).
func pixelsOf(m image.Image) []int {
	b := m.Bounds()
	out := make([]int, 0, b.Dx()*b.Dy())
	switch g := m.(type) {
	case *image.Gray:
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				out = append(out, int(g.GrayAt(b.Min.X+x, b.Min.Y+y).Y))
			}
		}
	case *image.Gray16:
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				out = append(out, int(g.Gray16At(b.Min.X+x, b.Min.Y+y).Y))
			}
		}
	default:
		return nil
	}
	return out
}

// expectedFrame returns frame i of a fixture's expected pixels.
func (f *fixture) expectedFrame(i int) []int {
	n := f.Width * f.Height
	out := make([]int, n)
	if f.Bits == 16 {
		for k := range out {
			out[k] = int(binary.LittleEndian.Uint16(f.Pixels[2*(i*n+k):]))
		}
	} else {
		for k := range out {
			out[k] = int(f.Pixels[i*n+k])
		}
	}
	return out
}

// jpegTolerance is the largest difference allowed between Go's image/jpeg and IJG
// libjpeg (Pillow, dcmtk), whose inverse DCTs round differently (ISO/IEC 10918-2 allows
// ±1 per IDCT output; upsampling of chroma does not enter the Y channel).
const jpegTolerance = 1

// comparePixels reports the largest absolute difference and fails beyond tol.
func comparePixels(t *testing.T, what string, got, want []int, tol int) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d pixels, want %d", what, len(got), len(want))
	}
	worst := 0
	for k := range got {
		d := got[k] - want[k]
		if d < 0 {
			d = -d
		}
		worst = max(worst, d)
	}
	if worst > tol {
		t.Errorf("%s: largest pixel difference %d, tolerance %d", what, worst, tol)
	}
}

func TestFixtureCines(t *testing.T) {
	fx := loadFixtures(t)
	n := 0
	for i := range fx.Fixtures {
		f := &fx.Fixtures[i]
		if f.Kind != "cine" {
			continue
		}
		n++
		t.Run(filepath.Base(f.File), func(t *testing.T) {
			opt := CineOptions{}
			times := f.Times
			if f.Timing == "" {
				opt.FrameRate = 12.5
				times = make([]float64, f.Frames)
				for k := range times {
					times[k] = float64(k) / 12.5
				}
				if _, err := OpenCine(filepath.Join("testdata", f.File), CineOptions{}); err == nil {
					t.Fatal("a cine without timing opened without CineOptions.FrameRate")
				}
			}
			c, err := OpenCine(filepath.Join("testdata", f.File), opt)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			info := c.Info()
			wantTiming := TimingSource(f.Timing)
			if f.Timing == "" {
				wantTiming = TimingOption
			}
			if info.Width != f.Width || info.Height != f.Height || info.NumFrames != f.Frames || info.BitsAllocated != f.Bits ||
				info.Photometric != f.Photometric || info.TransferSyntax != f.TransferSyntax || info.Timing != wantTiming {
				t.Errorf("info %+v; want %d×%d, %d frames, %d bits, %s, %s, %s", info, f.Width, f.Height, f.Frames, f.Bits, f.Photometric, f.TransferSyntax, wantTiming)
			}
			if f.PixelSpacingMM != nil && math.Abs(info.PixelSpacingMM-*f.PixelSpacingMM) > 1e-12 {
				t.Errorf("PixelSpacingMM %v, want %v", info.PixelSpacingMM, *f.PixelSpacingMM)
			}
			tol := f.Tolerance
			if f.JPEG {
				tol = max(tol, jpegTolerance)
			}
			for k := 0; ; k++ {
				fr, err := c.Next()
				if errors.Is(err, io.EOF) {
					if k != f.Frames {
						t.Fatalf("EOF after %d frames, want %d", k, f.Frames)
					}
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if fr.Index != k || math.Abs(fr.Time-times[k]) > 1e-9 {
					t.Errorf("frame %d: index %d, time %v s, want %v s", k, fr.Index, fr.Time, times[k])
				}
				comparePixels(t, "frame "+string(rune('0'+k)), pixelsOf(fr.Img), f.expectedFrame(k), tol)
			}
		})
	}
	if n < 15 {
		t.Fatalf("only %d cine fixtures", n)
	}
}
