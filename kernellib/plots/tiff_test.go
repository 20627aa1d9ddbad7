package plots

import (
	"bytes"
	"image"
	"image/color"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/tiff"
)

// testImage is a w×h RGB image with smooth gradients, flat areas and,
// where noisy is set, random pixels — enough distinct strings to fill
// the LZW table several times over.
func testImage(w, h int, noisy bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{uint8(x), uint8(y * 3), uint8((x + y) / 4), 255}
			if noisy && (x/16+y/16)%2 == 0 {
				c = color.NRGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// The TIFF LZW stream round-trips through golang.org/x/image/tiff's
// decoder (an implementation of TIFF 6.0 §13 with early change that no
// one here wrote): pixels, size and resolution come back.
func TestWriteTIFFDecodes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		w, h  int
		noisy bool
	}{{"gradient", 300, 200, false}, {"noise", 517, 333, true}, {"one pixel", 1, 1, false}, {"odd width", 3, 70000 / 9, true}} {
		img := testImage(tc.w, tc.h, tc.noisy)
		var buf bytes.Buffer
		if err := WriteTIFF(&buf, img, 600); err != nil {
			t.Fatal(err)
		}
		got, err := tiff.Decode(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("%s: x/image/tiff cannot decode: %v", tc.name, err)
		}
		if got.Bounds() != img.Bounds() {
			t.Fatalf("%s: bounds %v, want %v", tc.name, got.Bounds(), img.Bounds())
		}
		for y := 0; y < tc.h; y++ {
			for x := 0; x < tc.w; x++ {
				r, g, b, _ := got.At(x, y).RGBA()
				want := img.NRGBAAt(x, y)
				if uint8(r>>8) != want.R || uint8(g>>8) != want.G || uint8(b>>8) != want.B {
					t.Fatalf("%s: pixel (%d, %d) = %d %d %d, want %v", tc.name, x, y, r>>8, g>>8, b>>8, want)
				}
			}
		}
	}
	// A figure is mostly white: LZW must shrink it to a small fraction.
	fig := image.NewNRGBA(image.Rect(0, 0, 800, 600))
	for i := range fig.Pix {
		fig.Pix[i] = 255
	}
	for x := 0; x < 800; x++ {
		fig.SetNRGBA(x, 300+x/8%50, color.NRGBA{0x00, 0x72, 0xB2, 255})
	}
	var buf bytes.Buffer
	if err := WriteTIFF(&buf, fig, 600); err != nil {
		t.Fatal(err)
	}
	if raw := 3 * 800 * 600; buf.Len() > raw/20 {
		t.Errorf("a white figure with one line: %d bytes of %d raw, want under 5%%", buf.Len(), raw)
	}
	if err := WriteTIFF(&bytes.Buffer{}, image.NewRGBA(image.Rect(0, 0, 0, 5)), 600); err == nil {
		t.Error("empty image: no error")
	}
}

// A translucent pixel is flattened onto white.
func TestWriteTIFFFlattens(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 1, 1))
	img.SetNRGBA(0, 0, color.NRGBA{0, 0, 0, 128})
	var buf bytes.Buffer
	if err := WriteTIFF(&buf, img, 300); err != nil {
		t.Fatal(err)
	}
	got, err := tiff.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if r, _, _, _ := got.At(0, 0).RGBA(); r>>8 != 127 {
		t.Errorf("half-transparent black over white = %d, want 127", r>>8)
	}
}

// libtiff (tiffinfo, tiffcp; libtiff-tools) reads the file as an LZW RGB
// TIFF at 600 dpi, and decompressing it with tiffcp gives the pixels back.
// Skipped where libtiff-tools is not installed (.ci/run installs it).
func TestWriteTIFFLibtiff(t *testing.T) {
	info, err := exec.LookPath("tiffinfo")
	if err != nil {
		t.Skip("tiffinfo (libtiff-tools) not installed")
	}
	img := testImage(257, 190, true)
	dir := t.TempDir()
	p := filepath.Join(dir, "a.tif")
	var buf bytes.Buffer
	if err := WriteTIFF(&buf, img, 600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(info, "-D", p).CombinedOutput()
	if err != nil {
		t.Fatalf("tiffinfo -D: %v\n%s", err, out)
	}
	for _, want := range []string{"Image Width: 257 Image Length: 190", "Resolution: 600, 600 pixels/inch", "Compression Scheme: LZW", "RGB color"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("tiffinfo does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(strings.ToLower(string(out)), "error") {
		t.Errorf("tiffinfo reports an error:\n%s", out)
	}
	cp, err := exec.LookPath("tiffcp")
	if err != nil {
		return
	}
	raw := filepath.Join(dir, "raw.tif")
	if out, err := exec.Command(cp, "-c", "none", p, raw).CombinedOutput(); err != nil {
		t.Fatalf("tiffcp -c none: %v\n%s", err, out)
	}
	f, err := os.Open(raw)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := tiff.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	for y := 0; y < 190; y++ {
		for x := 0; x < 257; x++ {
			r, g, b, _ := got.At(x, y).RGBA()
			if w := img.NRGBAAt(x, y); uint8(r>>8) != w.R || uint8(g>>8) != w.G || uint8(b>>8) != w.B {
				t.Fatalf("libtiff decodes pixel (%d, %d) as %d %d %d, want %v", x, y, r>>8, g>>8, b>>8, w)
			}
		}
	}
}

// The fast path for premultiplied *image.RGBA (what vgimg renders) gives
// the pixels of the general path.
func TestWriteTIFFRGBA(t *testing.T) {
	src := testImage(50, 40, true)
	rgba := image.NewRGBA(src.Bounds())
	for y := 0; y < 40; y++ {
		for x := 0; x < 50; x++ {
			c := src.NRGBAAt(x, y)
			c.A = uint8(x * 5)
			rgba.Set(x, y, c)
		}
	}
	var fast, slow bytes.Buffer
	if err := WriteTIFF(&fast, rgba, 300); err != nil {
		t.Fatal(err)
	}
	// The same image behind an interface that is not *image.RGBA.
	if err := WriteTIFF(&slow, struct{ image.Image }{rgba}, 300); err != nil {
		t.Fatal(err)
	}
	a, err := tiff.Decode(&fast)
	if err != nil {
		t.Fatal(err)
	}
	b, err := tiff.Decode(&slow)
	if err != nil {
		t.Fatal(err)
	}
	for y := 0; y < 40; y++ {
		for x := 0; x < 50; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			if d := max(absDiff(r1, r2), absDiff(g1, g2), absDiff(b1, b2)); d > 0x101 { // one 8-bit level: premultiplied values are rounded once more
				t.Fatalf("pixel (%d, %d): fast %d %d %d, general %d %d %d", x, y, r1>>8, g1>>8, b1>>8, r2>>8, g2>>8, b2>>8)
			}
		}
	}
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}
