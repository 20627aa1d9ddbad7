package imaging

import (
	"bytes"
	"image"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testFrames(n, w, h int) ([]*image.Gray, []float64) {
	frames := make([]*image.Gray, n)
	times := make([]float64, n)
	for i := range frames {
		m := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				m.Pix[y*m.Stride+x] = uint8(x*7 + y*3 + i*11)
			}
		}
		frames[i] = m
		times[i] = 3 + 0.5*float64(i) + 0.01*float64(i%3)
	}
	return frames, times
}

func TestWriteDICOMCineRoundTrip(t *testing.T) {
	// Odd pixel count (padding byte), sub-images not at the origin, times not starting at 0.
	frames, times := testFrames(5, 7, 3)
	big := image.NewGray(image.Rect(0, 0, 20, 20))
	frames[2] = big.SubImage(image.Rect(5, 6, 12, 9)).(*image.Gray)
	for y := 6; y < 9; y++ {
		for x := 5; x < 12; x++ {
			big.SetGray(x, y, color.Gray{uint8(x * y)})
		}
	}
	p := filepath.Join(t.TempDir(), "w.dcm")
	if err := WriteDICOMCine(p, frames, CineMeta{PatientID: "P001", FrameTimes: times, PixelSpacingMM: 0.2, Description: "CEUS"}); err != nil {
		t.Fatal(err)
	}
	c, err := OpenCine(p, CineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	info := c.Info()
	if info.NumFrames != 5 || info.Width != 7 || info.Height != 3 || info.PixelSpacingMM != 0.2 || info.Timing != TimingFrameTimeVector || len(info.Regions) != 1 {
		t.Fatalf("info %+v", info)
	}
	if d, _, _ := info.Regions[0].PixelSpacingMM(); math.Abs(d-0.2) > 1e-15 {
		t.Errorf("region spacing %v mm", d)
	}
	for i := 0; ; i++ {
		f, err := c.Next()
		if err == io.EOF {
			if i != 5 {
				t.Fatal(i)
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(f.Time-(times[i]-times[0])) > 1e-9 {
			t.Errorf("frame %d time %v want %v", i, f.Time, times[i]-times[0])
		}
		comparePixels(t, "frame", pixelsOf(f.Img), pixelsOf(frames[i]), 0)
	}
	// The same input gives the same bytes; other pixels give other UIDs.
	a, _ := os.ReadFile(p)
	if err := WriteDICOMCine(p, frames, CineMeta{PatientID: "P001", FrameTimes: times, PixelSpacingMM: 0.2, Description: "CEUS"}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	if !bytes.Equal(a, b) {
		t.Error("WriteDICOMCine is not deterministic")
	}
	frames[0].Pix[0]++
	if err := WriteDICOMCine(p, frames, CineMeta{PatientID: "P001", FrameTimes: times, PixelSpacingMM: 0.2, Description: "CEUS"}); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(p)
	if i := bytes.Index(a, []byte("2.25.")); i < 0 || bytes.Equal(a[i:i+uidLen], b[i:i+uidLen]) {
		t.Error("the SOP Instance UID does not depend on the pixels")
	}
}

func TestWriteDICOMCineErrors(t *testing.T) {
	dir := t.TempDir()
	frames, times := testFrames(3, 4, 4)
	ok := CineMeta{PatientID: "P", FrameTimes: times, PixelSpacingMM: 0.1}
	for _, tc := range []struct {
		name   string
		frames []*image.Gray
		meta   func(CineMeta) CineMeta
		want   string
	}{
		{"no frames", nil, func(m CineMeta) CineMeta { return m }, "no frames"},
		{"size mismatch", []*image.Gray{frames[0], image.NewGray(image.Rect(0, 0, 5, 4)), frames[2]}, func(m CineMeta) CineMeta { return m }, "frame 1"},
		{"times count", frames, func(m CineMeta) CineMeta { m.FrameTimes = times[:2]; return m }, "2 times for 3 frames"},
		{"times order", frames, func(m CineMeta) CineMeta { m.FrameTimes = []float64{0, 1, 1}; return m }, "FrameTimes[2]"},
		{"NaN time", frames, func(m CineMeta) CineMeta { m.FrameTimes = []float64{0, math.NaN(), 2}; return m }, "FrameTimes[1]"},
		{"spacing", frames, func(m CineMeta) CineMeta { m.PixelSpacingMM = 0; return m }, "PixelSpacingMM"},
		{"long id", frames, func(m CineMeta) CineMeta { m.PatientID = strings.Repeat("x", 65); return m }, "PatientID has 65"},
		{"backslash", frames, func(m CineMeta) CineMeta { m.Description = `a\b`; return m }, "Description"},
	} {
		p := filepath.Join(dir, tc.name+".dcm")
		err := WriteDICOMCine(p, tc.frames, tc.meta(ok))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v", tc.name, err)
		}
		if _, serr := os.Stat(p); serr == nil {
			t.Errorf("%s: a file was left behind", tc.name)
		}
	}
	// A frame function that fails half-way leaves no file.
	p := filepath.Join(dir, "half.dcm")
	err := WriteDICOMCineFunc(p, 4, 4, 3, func(i int) (*image.Gray, error) {
		if i == 2 {
			return nil, io.ErrUnexpectedEOF
		}
		return frames[i], nil
	}, ok)
	if err == nil || !strings.Contains(err.Error(), "frame 2") {
		t.Errorf("failing frame: %v", err)
	}
	if _, serr := os.Stat(p); serr == nil {
		t.Error("a partial file was left behind")
	}
}

func TestFormatDS(t *testing.T) {
	for _, v := range []float64{0, 40, 66.7, 1000.0 / 3, 1e-7, 123456789.123456789, -2.5} {
		s := formatDS(v)
		if len(s) > 16 {
			t.Errorf("formatDS(%v) = %q: longer than 16", v, s)
		}
		var back float64
		if _, err := fmtSscan(s, &back); err != nil || math.Abs(back-v) > 1e-12*math.Max(1, math.Abs(v)) {
			t.Errorf("formatDS(%v) = %q reads back as %v", v, s, back)
		}
	}
}

func TestWritePNGRoundTrip(t *testing.T) {
	dir := t.TempDir()
	g16 := image.NewGray16(image.Rect(0, 0, 3, 2))
	for i := range g16.Pix {
		g16.Pix[i] = uint8(37 * i)
	}
	p := filepath.Join(dir, "g16.png")
	if err := WritePNG(p, g16); err != nil {
		t.Fatal(err)
	}
	m, err := ReadImage(p)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := m.(*image.Gray16); !ok || !bytes.Equal(got.Pix, g16.Pix) {
		t.Errorf("16-bit PNG round trip gave %T", m)
	}
	if err := WritePNG(filepath.Join(dir, "nil.png"), nil); err == nil {
		t.Error("nil image written")
	}
}
