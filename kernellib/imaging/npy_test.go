package imaging

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sliceCine is a Cine over frames held in memory; declared overrides the frame count
// its Info reports (to test writers against a lying header).
type sliceCine struct {
	frames   []image.Image
	declared int
	next     int
}

func (c *sliceCine) Info() CineInfo {
	b := c.frames[0].Bounds()
	return CineInfo{Path: "memory", Format: "test", Width: b.Dx(), Height: b.Dy(), NumFrames: c.declared}
}

func (c *sliceCine) Next() (Frame, error) {
	if c.next >= len(c.frames) {
		return Frame{}, io.EOF
	}
	c.next++
	return Frame{Index: c.next - 1, Img: c.frames[c.next-1]}, nil
}

func (c *sliceCine) Close() error { return nil }

func TestNPYHeaderRoundTrip(t *testing.T) {
	for _, shape := range [][]int{{3, 4, 5}, {1, 600, 800}, {7}, {0, 2, 2}, {2700, 1080, 1920}} {
		h, err := NPYHeader(shape)
		if err != nil {
			t.Fatal(err)
		}
		if len(h)%64 != 0 || h[len(h)-1] != '\n' {
			t.Errorf("shape %v: header of %d bytes ending %q, want a multiple of 64 ending in a newline", shape, len(h), h[len(h)-1])
		}
		if got := int(binary.LittleEndian.Uint16(h[8:10])); got != len(h)-10 {
			t.Errorf("shape %v: HEADER_LEN %d, want %d", shape, got, len(h)-10)
		}
		descr, fortran, got, err := ParseNPYHeader(bytes.NewReader(h))
		if err != nil {
			t.Fatal(err)
		}
		if descr != "<f4" || fortran || len(got) != len(shape) {
			t.Fatalf("shape %v: parsed %q fortran=%v shape %v", shape, descr, fortran, got)
		}
		for i := range shape {
			if got[i] != shape[i] {
				t.Errorf("shape %v: parsed %v", shape, got)
			}
		}
	}
	if !strings.Contains(string(mustHeader(t, []int{7})), "'shape': (7,)") {
		t.Errorf("a one-dimensional shape must keep its trailing comma: %q", mustHeader(t, []int{7}))
	}
	if _, err := NPYHeader([]int{-1}); err == nil {
		t.Error("a negative dimension was accepted")
	}
	if _, _, _, err := ParseNPYHeader(strings.NewReader("\x93NUMPY\x02\x00abcd")); err == nil {
		t.Error("format 2.0 magic was accepted")
	}
}

func mustHeader(t *testing.T, shape []int) []byte {
	h, err := NPYHeader(shape)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestNPYHeaderNumPy compares the header with the one numpy.lib.format writes for the
// same array (byte for byte), when /usr/bin/python3 with numpy is present.
func TestNPYHeaderNumPy(t *testing.T) {
	py := numpyPython(t)
	out, err := exec.Command(py, "-c", `
import io, sys, numpy as np
b = io.BytesIO()
np.save(b, np.zeros((3, 17, 29), dtype='<f4'))
sys.stdout.buffer.write(b.getvalue()[:128])
`).Output()
	if err != nil {
		t.Fatal(err)
	}
	h := mustHeader(t, []int{3, 17, 29})
	if !bytes.Equal(out[:len(h)], h) {
		t.Errorf("header differs from numpy's:\n got %q\nwant %q", h, out[:len(h)])
	}
}

// numpyPython returns /usr/bin/python3 when it imports numpy, else skips the test.
func numpyPython(t *testing.T) string {
	t.Helper()
	const py = "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import numpy").Run(); err != nil {
		t.Skipf("%s with numpy is not available: %v", py, err)
	}
	return py
}

// TestWriteNPYNumPy writes a fixture cine and reads it back with numpy.load, comparing
// every value with the frames OpenCine delivers.
func TestWriteNPYNumPy(t *testing.T) {
	py := numpyPython(t)
	for _, name := range []string{"py_gray8_ftv_regions.dcm", "py_gray16_cinerate.dcm"} {
		src := filepath.Join("testdata", "dicom", name)
		out := filepath.Join(t.TempDir(), "frames.npy")
		c, err := OpenCine(src, CineOptions{})
		if err != nil {
			t.Fatal(err)
		}
		n, err := WriteNPY(out, c)
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
		// numpy prints shape, dtype, C-contiguity and every value.
		got, err := exec.Command(py, "-c", `
import sys, numpy as np
a = np.load(sys.argv[1])
print(a.shape, a.dtype.str, a.flags['C_CONTIGUOUS'])
print(' '.join(repr(float(v)) for v in a.ravel()))
`, out).Output()
		if err != nil {
			t.Fatalf("%s: numpy.load: %v", name, err)
		}
		lines := strings.Split(strings.TrimSpace(string(got)), "\n")
		frames := collectFrames(t, src, CineOptions{})
		b := frames[0].Img.Bounds()
		want := "(" + strconv.Itoa(len(frames)) + ", " + strconv.Itoa(b.Dy()) + ", " + strconv.Itoa(b.Dx()) + ") <f4 True"
		if n != len(frames) || lines[0] != want {
			t.Fatalf("%s: numpy sees %q after %d frames, want %q", name, lines[0], n, want)
		}
		vals := strings.Fields(lines[1])
		i := 0
		for _, f := range frames {
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					var v float64
					if _, err := fmtSscan(vals[i], &v); err != nil {
						t.Fatal(err)
					}
					if w := greyAt(f.Img, x, y); v != w {
						t.Fatalf("%s: frame %d (%d,%d): numpy %v, OpenCine %v", name, f.Index, x, y, v, w)
					}
					i++
				}
			}
		}
		if i != len(vals) {
			t.Errorf("%s: numpy has %d values, the cine %d", name, len(vals), i)
		}
	}
}

// greyAt returns the grey value of a *image.Gray or *image.Gray16 pixel.
func greyAt(img image.Image, x, y int) float64 {
	switch g := img.(type) {
	case *image.Gray:
		return float64(g.GrayAt(x, y).Y)
	case *image.Gray16:
		return float64(g.Gray16At(x, y).Y)
	}
	return math.NaN()
}

// collectFrames reads every frame of a cine.
func collectFrames(t *testing.T, path string, opt CineOptions) []Frame {
	t.Helper()
	c, err := OpenCine(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var fs []Frame
	for {
		f, err := c.Next()
		if errors.Is(err, io.EOF) {
			return fs
		}
		if err != nil {
			t.Fatal(err)
		}
		fs = append(fs, f)
	}
}

// TestWriteNPYCountMismatch: a cine delivering fewer or more frames than its header
// declares is an error, and nothing is left at the output path.
func TestWriteNPYCountMismatch(t *testing.T) {
	img := func(v uint8) image.Image {
		g := image.NewGray(image.Rect(0, 0, 3, 2))
		for i := range g.Pix {
			g.Pix[i] = v
		}
		return g
	}
	for _, tc := range []struct {
		frames   int
		declared int
		want     string
	}{{2, 3, "delivered 2 frames, its header declares 3"}, {3, 2, "more frames than the 2"}} {
		var fs []image.Image
		for i := 0; i < tc.frames; i++ {
			fs = append(fs, img(uint8(i)))
		}
		out := filepath.Join(t.TempDir(), "f.npy")
		_, err := WriteNPY(out, &sliceCine{frames: fs, declared: tc.declared})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%d frames declared %d: err %v, want %q", tc.frames, tc.declared, err, tc.want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s left behind after a failed write (stat: %v)", out, err)
		}
	}
	// A frame of the wrong size.
	big := image.NewGray(image.Rect(0, 0, 4, 2))
	_, err := WriteNPY(filepath.Join(t.TempDir(), "f.npy"), &sliceCine{frames: []image.Image{img(1), big}, declared: 2})
	if err == nil || !strings.Contains(err.Error(), "is 4×2, want 3×2") {
		t.Errorf("frame of another size: %v", err)
	}
	// The bytes of a good write: header then float32 little-endian values.
	out := filepath.Join(t.TempDir(), "ok.npy")
	if _, err := WriteNPY(out, &sliceCine{frames: []image.Image{img(7), img(250)}, declared: 2}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	h := mustHeader(t, []int{2, 2, 3})
	if len(b) != len(h)+2*2*3*4 {
		t.Fatalf("%d bytes, want %d", len(b), len(h)+48)
	}
	if v := math.Float32frombits(binary.LittleEndian.Uint32(b[len(h)+24:])); v != 250 {
		t.Errorf("first value of frame 1 is %v, want 250", v)
	}
}

// FuzzParseNPYHeader: any input is parsed or refused without a panic, and a header
// that parses as '<f4' C order round-trips through NPYHeader.
func FuzzParseNPYHeader(f *testing.F) {
	for _, s := range [][]int{{3, 4, 5}, {7}, {}} {
		h, _ := NPYHeader(s)
		f.Add(h)
	}
	f.Add([]byte("\x93NUMPY\x01\x00\x36\x00{'descr': '<f4', 'fortran_order': True, 'shape': (1,"))
	f.Fuzz(func(t *testing.T, b []byte) {
		descr, fortran, shape, err := ParseNPYHeader(bytes.NewReader(b))
		if err != nil || descr != "<f4" || fortran {
			return
		}
		if _, err := NPYHeader(shape); err != nil {
			t.Errorf("shape %v parsed but not writable: %v", shape, err)
		}
	})
}
