package imaging

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio/fifotest"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// patchElement replaces the value of explicit-VR little-endian element (g,e) at the
// top level of a DICOM file with v, which must have the same length.
func patchElement(t *testing.T, b []byte, g, e uint16, v []byte) []byte {
	t.Helper()
	key := binary.LittleEndian.AppendUint16(binary.LittleEndian.AppendUint16(nil, g), e)
	i := bytes.Index(b[132:], key)
	if i < 0 {
		t.Fatalf("element (%04X,%04X) not found", g, e)
	}
	i += 132
	if n := int(binary.LittleEndian.Uint16(b[i+6:])); n != len(v) {
		t.Fatalf("element (%04X,%04X) has %d bytes, patch %d", g, e, n, len(v))
	}
	out := bytes.Clone(b)
	copy(out[i+8:], v)
	return out
}

func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// readAll opens a cine and reads every frame, returning the first error.
func readAll(path string, opt CineOptions) (n int, err error) {
	c, err := OpenCine(path, opt)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	for {
		_, err := c.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

func TestUltrasoundRegionsAndCrop(t *testing.T) {
	p := filepath.Join("testdata", "dicom", "py_gray8_ftv_regions.dcm")
	c, err := OpenCine(p, CineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	info := c.Info()
	full, _ := c.Next()
	c.Close()
	want := []Region{
		{Bounds: image.Rect(0, 0, 16, 12), SpatialFormat: 1, DataType: 1, UnitsX: 3, UnitsY: 3, DeltaX: 0.012, DeltaY: 0.012},
		{Bounds: image.Rect(16, 0, 32, 12), SpatialFormat: 1, DataType: 1, UnitsX: 3, UnitsY: 3, DeltaX: 0.02, DeltaY: 0.02},
	}
	if len(info.Regions) != 2 || info.Regions[0] != want[0] || info.Regions[1] != want[1] {
		t.Fatalf("Regions %+v, want %+v", info.Regions, want)
	}
	if info.PixelSpacingMM != 0 {
		t.Errorf("PixelSpacingMM %v without a crop over two regions of different size, want 0", info.PixelSpacingMM)
	}
	for _, tc := range []struct {
		crop    image.Rectangle
		spacing float64
	}{{image.Rect(16, 0, 32, 12), 0.2}, {image.Rect(2, 1, 14, 11), 0.12}, {image.Rect(10, 0, 20, 12), 0}} {
		c, err := OpenCine(p, CineOptions{Crop: tc.crop})
		if err != nil {
			t.Fatal(err)
		}
		info := c.Info()
		if math.Abs(info.PixelSpacingMM-tc.spacing) > 1e-12 || info.Width != tc.crop.Dx() || info.Height != tc.crop.Dy() || info.Crop != tc.crop {
			t.Errorf("crop %v: spacing %v, %d×%d, Crop %v; want %v mm", tc.crop, info.PixelSpacingMM, info.Width, info.Height, info.Crop, tc.spacing)
		}
		f, err := c.Next()
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
		g := f.Img.(*image.Gray)
		for y := 0; y < tc.crop.Dy(); y++ {
			for x := 0; x < tc.crop.Dx(); x++ {
				if g.GrayAt(x, y) != full.Img.(*image.Gray).GrayAt(tc.crop.Min.X+x, tc.crop.Min.Y+y) {
					t.Fatalf("crop %v: pixel (%d,%d) differs from the full frame", tc.crop, x, y)
				}
			}
		}
	}
	if _, err := OpenCine(p, CineOptions{Crop: image.Rect(20, 0, 40, 12)}); err == nil || !strings.Contains(err.Error(), "Crop") {
		t.Errorf("crop outside the image: %v", err)
	}
}

func TestCropEveryEncoding(t *testing.T) {
	// The crop path of each pixel layout must give the same pixels as cropping the full frame.
	crop := image.Rect(3, 2, 13, 9)
	fx := loadFixtures(t)
	for _, f := range fx.Fixtures {
		if f.Kind != "cine" {
			continue
		}
		p := filepath.Join("testdata", f.File)
		opt := CineOptions{FrameRate: 10}
		a, err := OpenCine(p, opt)
		if err != nil {
			t.Fatal(err)
		}
		opt.Crop = crop
		b, err := OpenCine(p, opt)
		if err != nil {
			t.Fatal(err)
		}
		for {
			fa, errA := a.Next()
			fb, errB := b.Next()
			if errA != nil || errB != nil {
				if errA != io.EOF || errB != io.EOF {
					t.Fatalf("%s: %v, %v", f.File, errA, errB)
				}
				break
			}
			sub := pixelsOf(fa.Img.(interface {
				SubImage(image.Rectangle) image.Image
			}).SubImage(crop))
			got := pixelsOf(fb.Img)
			if fb.Img.Bounds() != image.Rect(0, 0, crop.Dx(), crop.Dy()) {
				t.Fatalf("%s: cropped bounds %v", f.File, fb.Img.Bounds())
			}
			comparePixels(t, f.File, got, sub, 0)
		}
		a.Close()
		b.Close()
	}
}

func TestDICOMDeclaredSizes(t *testing.T) {
	golden := readFixture(t, "dicom/go_written.dcm") // 6 frames of 24×16
	us := func(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
	for _, tc := range []struct {
		name string
		b    []byte
		opt  CineOptions
		want string
	}{
		{"more frames than the file holds", patchElement(t, golden, 0x0028, 0x0008, []byte("9 ")), CineOptions{}, "Pixel Data (7FE0,0010) holds 2304 bytes, but 9 frames"},
		{"fewer frames than the file holds", patchElement(t, golden, 0x0028, 0x0008, []byte("5 ")), CineOptions{}, "but 5 frames"},
		{"over MaxFrames", golden, CineOptions{MaxFrames: 5}, "Number of Frames (0028,0008) = 6"},
		{"over MaxPixels", golden, CineOptions{MaxPixels: 300}, "exceed the limit of 300 pixels"},
		{"huge rows and columns", patchElement(t, patchElement(t, golden, 0x0028, 0x0010, us(8192)), 0x0028, 0x0011, us(8192)), CineOptions{}, "6 frames of 8192×8192×1 samples"},
		{"rows 0", patchElement(t, golden, 0x0028, 0x0010, us(0)), CineOptions{}, "Rows (0028,0010) = 0"},
		{"12 bits allocated", patchElement(t, golden, 0x0028, 0x0100, us(12)), CineOptions{}, "Bits Allocated (0028,0100) = 12"},
		{"bits stored over allocated", patchElement(t, golden, 0x0028, 0x0101, us(9)), CineOptions{}, "Bits Stored (0028,0101) = 9"},
		{"unknown photometric", patchElement(t, golden, 0x0028, 0x0004, []byte("PALETTE COLOR")[:12]), CineOptions{}, "Photometric Interpretation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeTemp(t, "x.dcm", tc.b)
			runtime.GC()
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			_, err := OpenCine(p, tc.opt)
			runtime.ReadMemStats(&m1)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("error %v; want one naming %s and %q", err, p, tc.want)
			}
			if a := m1.TotalAlloc - m0.TotalAlloc; a > 1<<20 {
				t.Errorf("allocated %d bytes before refusing", a)
			}
		})
	}
	// Encapsulated: the frame count must match the JPEG images found.
	jp := readFixture(t, "dicom/py_jpeg_gray_2frag_nobot.dcm")
	for _, n := range []string{"3 ", "5 "} {
		p := writeTemp(t, "j.dcm", patchElement(t, jp, 0x0028, 0x0008, []byte(n)))
		if _, err := OpenCine(p, CineOptions{}); err == nil || !strings.Contains(err.Error(), "JPEG images in 8 fragments") {
			t.Errorf("Number of Frames %s with 4 JPEG images: %v", n, err)
		}
	}
}

func TestDICOMTimingErrors(t *testing.T) {
	golden := readFixture(t, "dicom/go_written.dcm")
	// An FTV with a zero increment (times must increase): "0\500\500\550\450\500" → "0\500\0  \550\450\500".
	i := bytes.Index(golden, []byte(`0\500\500\550\450\500`))
	if i < 0 {
		t.Fatal("Frame Time Vector not found in go_written.dcm")
	}
	b := bytes.Clone(golden)
	copy(b[i:], `0\500\0  \550\450\500`)
	p := writeTemp(t, "ftv.dcm", b)
	if _, err := OpenCine(p, CineOptions{}); err == nil || !strings.Contains(err.Error(), "Frame Time Vector (0018,1065) value 3 is 0 ms") {
		t.Errorf("zero increment: %v", err)
	}
	copy(b[i:], `0\500\x  \550\450\500`)
	p = writeTemp(t, "ftv.dcm", b)
	if _, err := OpenCine(p, CineOptions{}); err == nil || !strings.Contains(err.Error(), "FrameTimeVector (0018,1065)") {
		t.Errorf("malformed DS: %v", err)
	}
	p = filepath.Join("testdata", "dicom", "py_gray8_notiming.dcm")
	_, err := OpenCine(p, CineOptions{})
	if err == nil || !strings.Contains(err.Error(), "Frame Time Vector (0018,1065), Frame Time (0018,1063) or Cine Rate (0018,0040)") || !strings.Contains(err.Error(), p) {
		t.Errorf("no timing: %v", err)
	}
}

// TestDICOMTruncated cuts fixtures at many lengths: every cut must give an error
// (at open or at a frame), never a panic and never a full read.
func TestDICOMTruncated(t *testing.T) {
	for _, name := range []string{"go_written.dcm", "py_gray8_ftv_regions.dcm", "py_jpeg_gray_2frag_bot.dcm", "dcmtk_gray16_bigendian.dcm", "py_gray8_ft_implicit.dcm", "dcmtk_img2dcm_color.dcm",
		"codec_rle_rgb8.dcm", "codec_rle_pal8_hotiron.dcm", "codec_pal8_segmented.dcm", "codec_icon_encapsulated.dcm", "codec_be_gray8.dcm"} {
		b := readFixture(t, "dicom/"+name)
		dir := t.TempDir()
		step := max(1, len(b)/150)
		for n := 0; n < len(b)-1; n += step {
			p := filepath.Join(dir, "t.dcm")
			if err := os.WriteFile(p, b[:n], 0o644); err != nil {
				t.Fatal(err)
			}
			if k, err := readAll(p, CineOptions{FrameRate: 10}); err == nil {
				t.Fatalf("%s cut to %d of %d bytes: read %d frames without error", name, n, len(b), k)
			} else if !strings.Contains(err.Error(), p) {
				t.Fatalf("%s cut to %d bytes: error does not name the file: %v", name, n, err)
			}
		}
	}
}

// TestDICOMCorrupted flips random bytes (seeded) in fixtures: no panic, and any error
// names the file.
func TestDICOMCorrupted(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	dir := t.TempDir()
	for _, name := range []string{"go_written.dcm", "py_gray8_ftv_regions.dcm", "py_jpeg_ybr422.dcm", "py_gray8_ft_implicit.dcm", "dcmtk_gray16_bigendian.dcm",
		"codec_rle_gray16.dcm", "codec_rle_pal16.dcm", "codec_pal8_segmented.dcm", "codec_icon_encapsulated.dcm", "codec_jpeg_rgb_noadobe.dcm"} {
		b := readFixture(t, "dicom/"+name)
		for trial := 0; trial < 100; trial++ {
			c := bytes.Clone(b)
			for k := 0; k < 1+rng.IntN(4); k++ {
				c[132+rng.IntN(len(c)-132)] = byte(rng.UintN(256))
			}
			p := filepath.Join(dir, "c.dcm")
			if err := os.WriteFile(p, c, 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := readAll(p, CineOptions{FrameRate: 10}); err != nil && !strings.Contains(err.Error(), p) {
				t.Fatalf("error does not name the file: %v", err)
			}
		}
	}
}

// TestParseMetaRecovers feeds the third-party parser a data set that makes it panic (a
// sequence of defined length holding an element where an item belongs, which it
// type-asserts to an item) and expects an error naming the element being read, never
// a Go runtime error; the structure scan refuses the same file first, naming the problem.
func TestParseMetaRecovers(t *testing.T) {
	var ds2 dcmGen
	ds2.s(0x0008, 0x0060, "CS", "US")
	ds2.raw(0x0008, 0x1115, "SQ", new(dcmGen).s(0x0008, 0x0060, "CS", "US").b)
	ds2.hdr(0x7FE0, 0x0010, "OB", 0)
	b := dcmFile(uidExplicitLE, ds2.b)
	start := int64(len(b) - len(ds2.b))
	scan := &dcmScan{bo: binary.LittleEndian, pixelElem: int64(len(b) - 12), top: []int64{start, start + 10}}
	_, err := parseMeta(bytes.NewReader(b), scan)
	var pp *parsePanic
	if !errors.As(err, &pp) || !strings.Contains(err.Error(), "ReferencedSeriesSequence (0008,1115) at byte 248") || strings.Contains(err.Error(), "runtime error") {
		t.Fatalf("parseMeta: %v", err)
	}
	p := writeTemp(t, "bad_sequence.dcm", b)
	if _, err := OpenCine(p, CineOptions{}); err == nil || !strings.Contains(err.Error(), "sequence item expected") {
		t.Errorf("OpenCine: %v", err)
	}
}

func TestDICOMNotDICOM(t *testing.T) {
	p := writeTemp(t, "x.dcm", []byte("just text, not DICOM"))
	if _, err := OpenCine(p, CineOptions{}); err == nil || !strings.Contains(err.Error(), `no "DICM" at byte 128`) {
		t.Errorf("%v", err)
	}
	if _, err := OpenCine(filepath.Join(t.TempDir(), "missing.dcm"), CineOptions{}); err == nil {
		t.Error("missing file opened")
	}
	if _, err := OpenCine(filepath.Join("testdata", "dicom", "go_written.dcm"), CineOptions{FrameRate: -1}); err == nil {
		t.Error("negative frame rate accepted")
	}
}

func TestReadImageRefusesCine(t *testing.T) {
	p := filepath.Join("testdata", "dicom", "go_written.dcm")
	if _, err := ReadImage(p); err == nil || !strings.Contains(err.Error(), "Number of Frames (0028,0008) is 6") {
		t.Errorf("ReadImage of a cine: %v", err)
	}
}

func TestNextAfterClose(t *testing.T) {
	c, err := OpenCine(filepath.Join("testdata", "dicom", "go_written.dcm"), CineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Next(); err == nil || errors.Is(err, io.EOF) {
		t.Errorf("Next after Close: %v", err)
	}
}

// TestDICOMTransferSyntaxRefused: a syntax this package does not decode is refused by
// name before the metadata parser sees the file (which used to panic on unknown ones).
func TestDICOMTransferSyntaxRefused(t *testing.T) {
	var ds dcmGen
	ds.imagePixel("MONOCHROME2", 1, 0, 2, 2, 8)
	ds.raw(0x7FE0, 0x0010, "OB", []byte{1, 2, 3, 4})
	for _, tc := range []struct{ ts, want string }{
		{"1.2.3.4.5", `"1.2.3.4.5" (unknown transfer syntax) is not supported`},
		{"1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.80 (JPEG-LS Lossless) is not supported"},
		{"1.2.840.10008.1.2.4.102", "(MPEG-4 AVC/H.264 High Profile / Level 4.1)"},
		{"1.2.840.10008.1.2.1.99", "(Deflated Explicit VR Little Endian)"},
	} {
		if needsTranscode(tc.ts) {
			continue // decoded through the transcoder, tested there
		}
		p := writeTemp(t, "ts.dcm", dcmFile(tc.ts, ds.b))
		_, err := OpenCine(p, CineOptions{})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) || strings.Contains(err.Error(), "runtime error") {
			t.Errorf("%s: %v; want %q", tc.ts, err, tc.want)
		}
	}
	p := writeTemp(t, "ok.dcm", dcmFile(uidExplicitLE, ds.b))
	if _, err := readAll(p, CineOptions{}); err != nil {
		t.Errorf("the same file in Explicit VR Little Endian: %v", err)
	}
}

// TestOpenCineDICOMRefusesFIFO: a FIFO named as a cine is refused by name at once
// instead of blocking in open().
func TestOpenCineDICOMRefusesFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "cine.dcm")
	mkfifo(t, p)
	fifotest.Refused(t, "OpenCine(FIFO)", func() error { _, err := OpenCine(p, CineOptions{}); return err }, p, "named pipe")
}

// TestDICOMBoundsBeforeRead: multi-valued elements are bounded by what the header
// allows before the metadata parser reads them: a Frame Time Vector of two
// million values for 3 frames is refused without allocating (the parser used to take
// about 60 bytes per value), as are oversized LUT data and too many Ultrasound Regions.
func TestDICOMBoundsBeforeRead(t *testing.T) {
	pix := func(g *dcmGen) *dcmGen { return g.raw(0x7FE0, 0x0010, "OB", make([]byte, 3*4)) }
	ftv := bytes.Repeat([]byte(`1\`), 2_000_000)
	u := func(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
	var a dcmGen // Implicit VR: DS values of any length
	a.implicitLE(0x0018, 0x1065, ftv[:len(ftv)-1])
	a.implicitLE(0x0028, 0x0002, u(1)).implicitLE(0x0028, 0x0004, []byte("MONOCHROME2"))
	a.implicitLE(0x0028, 0x0008, []byte("3")).implicitLE(0x0028, 0x0010, u(2)).implicitLE(0x0028, 0x0011, u(2))
	a.implicitLE(0x0028, 0x0100, u(8)).implicitLE(0x0028, 0x0101, u(8)).implicitLE(0x0028, 0x0103, u(0))
	a.implicitLE(0x7FE0, 0x0010, make([]byte, 12))
	lut := make([]byte, 2*65536+2)
	var b dcmGen
	b.imagePixel("PALETTE COLOR", 1, 3, 2, 2, 8)
	b.u16(0x0028, 0x1101, "US", 0, 0, 16)
	b.raw(0x0028, 0x1201, "OW", lut)
	pix(&b)
	var c dcmGen
	var items dcmGen
	for range 65 {
		items.item(new(dcmGen).u16(0x0018, 0x6012, "US", 1).b)
	}
	c.raw(0x0018, 0x6011, "SQ", items.b)
	c.imagePixel("MONOCHROME2", 1, 3, 2, 2, 8)
	pix(&c)
	for _, tc := range []struct {
		name string
		ts   string
		ds   []byte
		want string
	}{
		{"frame time vector", uidImplicitLE, a.b, "Frame Time Vector (0018,1065) has 4000000 bytes, more than 3 values"},
		{"LUT data", uidExplicitLE, b.b, "RedPaletteColorLookupTableData (0028,1201) at byte"},
		{"regions", uidExplicitLE, c.b, "Sequence of Ultrasound Regions (0018,6011) has 65 items, more than the limit of 64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeTemp(t, "x.dcm", dcmFile(tc.ts, tc.ds))
			runtime.GC()
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			_, err := OpenCine(p, CineOptions{})
			runtime.ReadMemStats(&m1)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("error %v; want one naming %s and %q", err, p, tc.want)
			}
			if d := m1.TotalAlloc - m0.TotalAlloc; d > 4<<20 {
				t.Errorf("allocated %d bytes before refusing", d)
			}
		})
	}
}

// TestDICOMImplausibleValues: frame rates outside 0.1–1000 fps and pixel sizes outside
// 1 µm–10 mm are refused with the element named (Frame Time 1e300, Cine
// Rate 1e9 and Pixel Spacing 1e300 used to pass).
func TestDICOMImplausibleValues(t *testing.T) {
	f64 := func(v float64) []byte { return binary.LittleEndian.AppendUint64(nil, math.Float64bits(v)) }
	u32 := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
	region := func(delta float64) []byte {
		var it dcmGen
		it.u16(0x0018, 0x6012, "US", 1)
		it.raw(0x0018, 0x6018, "UL", u32(0)).raw(0x0018, 0x601A, "UL", u32(0))
		it.raw(0x0018, 0x601C, "UL", u32(1)).raw(0x0018, 0x601E, "UL", u32(1))
		it.u16(0x0018, 0x6024, "US", 3).u16(0x0018, 0x6026, "US", 3)
		it.raw(0x0018, 0x602C, "FD", f64(delta)).raw(0x0018, 0x602E, "FD", f64(delta))
		return new(dcmGen).item(it.b).b
	}
	build := func(cineRate, frameTime, ftv, spacing string, regionDelta float64) []byte {
		var g dcmGen
		if cineRate != "" {
			g.s(0x0018, 0x0040, "IS", cineRate)
		}
		if frameTime != "" {
			g.s(0x0018, 0x1063, "DS", frameTime)
		}
		if ftv != "" {
			g.s(0x0018, 0x1065, "DS", ftv)
		}
		if regionDelta != 0 {
			g.raw(0x0018, 0x6011, "SQ", region(regionDelta))
		}
		g.imagePixel("MONOCHROME2", 1, 3, 2, 2, 8)
		if spacing != "" {
			g.s(0x0028, 0x0030, "DS", spacing)
		}
		g.raw(0x7FE0, 0x0010, "OB", make([]byte, 12))
		return dcmFile(uidExplicitLE, g.b)
	}
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"frame time 1e300", build("", "1e300", "", "", 0), "Frame Time (0018,1063) = 1e+300 ms: want 1 to 10000 ms"},
		{"frame time 0.5 ms", build("", "0.5", "", "", 0), "Frame Time (0018,1063) = 0.5 ms"},
		{"cine rate 1e9", build("1000000000", "", "", "", 0), "Cine Rate (0018,0040) = 1e+09: want 0.1 to 1000 frames per second"},
		{"frame time vector", build("", "", `0\40\20000`, "", 0), "Frame Time Vector (0018,1065) value 3 is 20000 ms"},
		{"pixel spacing 1e300", build("", "40", "", `1e300\1e300`, 0), "Pixel Spacing (0028,0030) = [1e+300 1e+300] mm: want 0.001 to 10 mm"},
		{"pixel spacing 0.1 µm", build("", "40", "", `0.0001\0.0001`, 0), "Pixel Spacing (0028,0030)"},
		{"region delta 5 cm", build("", "40", "", "", 5), "Physical Delta X/Y = 5/5 cm; want 0.0001 to 1 cm"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeTemp(t, "x.dcm", tc.b)
			if _, err := OpenCine(p, CineOptions{}); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
				t.Errorf("%v; want %q", err, tc.want)
			}
		})
	}
	p := writeTemp(t, "ok.dcm", build("", "40", "", `0.2\0.2`, 0.02))
	c, err := OpenCine(p, CineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if info := c.Info(); info.FrameRate != 25 || info.PixelSpacingMM != 0.2 {
		t.Errorf("plausible values: %v fps, %v mm", info.FrameRate, info.PixelSpacingMM)
	}
	c.Close()
}
