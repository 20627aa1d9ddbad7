package plots

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/tiff"
	"gonum.org/v1/plot/vg"
)

// halfWriter writes half a figure and then fails, as a full disk would.
type halfWriter struct{ err error }

func (h halfWriter) WriteTo(w io.Writer) (int64, error) {
	n, _ := w.Write([]byte("\x89PNG half"))
	return int64(n), h.err
}

// A figure whose writing fails half-way leaves the previous file whole and no
// temporary file beside it.
func TestSaveFailureKeepsPreviousFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "roc.png")
	if err := os.WriteFile(p, []byte("previous figure"), 0o644); err != nil {
		t.Fatal(err)
	}
	full := errors.New("no space left on device")
	if err := writeTo(p, halfWriter{full}); !errors.Is(err, full) {
		t.Fatalf("writeTo error = %v, want the writer's", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "previous figure" {
		t.Fatalf("after a failed write %s holds %q", p, b)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Fatalf("files left in %s: %v", dir, ents)
	}
	if err := writeTo(p, halfWriter{}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "\x89PNG half" {
		t.Fatalf("a whole write left %q", b)
	}
}

// SetPNGDPI inserts a pHYs chunk right after IHDR with a correct CRC (the
// chunk parser checks every CRC), image/png still decodes the result, and
// setting it again replaces the chunk rather than adding a second one.
func TestSetPNGDPI(t *testing.T) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 3, 2))); err != nil {
		t.Fatal(err)
	}
	if _, _, ok, err := PNGDPI(buf.Bytes()); ok || err != nil {
		t.Fatalf("image/png's own output has a pHYs chunk (%v) or does not parse: %v", ok, err)
	}
	b, err := SetPNGDPI(buf.Bytes(), 300)
	if err != nil {
		t.Fatal(err)
	}
	b, err = SetPNGDPI(b, 600)
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := pngChunks(b)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, c := range chunks {
		types = append(types, c.typ)
	}
	if len(types) < 4 || types[0] != "IHDR" || types[1] != "pHYs" || strings.Count(strings.Join(types, " "), "pHYs") != 1 {
		t.Errorf("chunks %v, want IHDR, one pHYs, then the rest", types)
	}
	// 600 dpi = 23622 pixels per metre: the bytes of the chunk's data.
	if d := chunks[1].data; !bytes.Equal(d, []byte{0, 0, 0x5C, 0x46, 0, 0, 0x5C, 0x46, 1}) {
		t.Errorf("pHYs data % x, want 23622 px/m twice and unit 1", d)
	}
	if x, y, ok, err := PNGDPI(b); err != nil || !ok || math.Abs(x-600) > 0.01 || math.Abs(y-600) > 0.01 {
		t.Errorf("PNGDPI = %v, %v, %v, %v; want 600 dpi", x, y, ok, err)
	}
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		t.Errorf("image/png cannot read the result: %v", err)
	}
	bad := append([]byte(nil), b...)
	bad[len(pngSignature)+25+8+2] ^= 1 // a bit of the pHYs data (after the 25 bytes of IHDR and pHYs's length and type)
	if _, err := pngChunks(bad); err == nil {
		t.Error("a flipped bit in pHYs: no CRC error")
	}
	if _, err := SetPNGDPI([]byte("GIF89a"), 300); err == nil {
		t.Error("not a PNG: no error")
	}
}

// Pillow, an implementation no one here wrote, reads the resolution as
// 300 dpi (img.info["dpi"]). Skipped where /usr/bin/python3 has no PIL.
func TestSetPNGDPIPillow(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import PIL").Run(); err != nil {
		t.Skip("no /usr/bin/python3 with Pillow")
	}
	p, err := Forest([]string{"a"}, []float64{0.7}, []float64{0.6}, []float64{0.8}, "AUC", 0.5)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := Save(p, filepath.Join(t.TempDir(), "f"), SingleColumn, 40*vg.Millimeter, 300)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", "import sys; from PIL import Image; d = Image.open(sys.argv[1]).info['dpi']; print('%.2f %.2f' % d)", paths[1]).CombinedOutput()
	if err != nil {
		t.Fatalf("PIL: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "300.00 300.00" {
		t.Errorf("PIL reads dpi %q, want 300.00 300.00", got)
	}
}

// With CEUSRAD_TIFF=1, Save also writes a 600 dpi LZW TIFF that
// golang.org/x/image/tiff decodes at the figure's size.
func TestSaveTIFFOnRequest(t *testing.T) {
	t.Setenv(TIFFEnv, "1")
	p, err := Histogram([]float64{1, 2, 2, 3, 3, 3}, 3, "x", false)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := Save(p, filepath.Join(t.TempDir(), "h"), 1*vg.Inch, 0.5*vg.Inch, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 4 || filepath.Ext(paths[3]) != ".tif" {
		t.Fatalf("paths %v, want pdf, png, svg, tif", paths)
	}
	f, err := os.Open(paths[3])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := tiff.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if s := img.Bounds().Size(); s.X != TIFFDPI || s.Y != TIFFDPI/2 {
		t.Errorf("TIFF %v pixels, want %d × %d (1 × 0.5 inch at %d dpi)", s, TIFFDPI, TIFFDPI/2, TIFFDPI)
	}
}

// pdfText encodes text for the PDF's WinAnsi fonts: the en dash and the
// degree sign are Windows-1252 bytes, the minus sign becomes the en dash,
// a Greek letter its name, and a character with no stand-in "?".
func TestPDFText(t *testing.T) {
	for in, want := range map[string]string{
		"AUC 0.93":         "AUC 0.93",
		"0.05–0.95":        "0.05\x960.95",
		"1 − specificity":  "1 \x96 specificity",
		"χ² test, α = 0.5": "chi\xb2 test, alpha = 0.5",
		"90°":              "90\xb0",
		"漢":                "?",
	} {
		if got := pdfText(in); got != want {
			t.Errorf("pdfText(%q) = %q, want %q", in, got, want)
		}
	}
}

// The text of a saved PDF reads back (poppler's pdftotext) with its dashes
// whole, not as the bytes of their UTF-8. Skipped without poppler-utils.
func TestSavePDFText(t *testing.T) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	p, err := ROC([]ROCSeries{{Label: "AUC 0.80 (0.64–0.90)", Specificities: []float64{0, 1}, Sensitivities: []float64{1, 0}}})
	if err != nil {
		t.Fatal(err)
	}
	paths, err := Save(p, filepath.Join(t.TempDir(), "roc"), SingleColumn, 100*vg.Millimeter, 72)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", paths[0], "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	s := string(out)
	if !strings.Contains(s, "1 – specificity") || !strings.Contains(s, "(0.64–0.90)") || strings.Contains(s, "â") {
		t.Errorf("PDF text:\n%s", s)
	}
}
