package imaging

import (
	"encoding/json"
	"errors"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/suyashkumar/dicom"
	"github.com/suyashkumar/dicom/pkg/tag"
)

// gdcmManifest mirrors testdata/gdcm/manifest.json, written by make_gdcm_fixtures.py.
type gdcmManifest struct {
	Versions map[string]string `json:"versions"`
	Fixtures []struct {
		File           string `json:"file"`
		Source         string `json:"source"`
		TransferSyntax string `json:"transfer_syntax"`
		Photometric    string `json:"photometric"`
		RawPhotometric string `json:"raw_photometric"`
		Lossy          bool   `json:"lossy"`
		Tolerance      int    `json:"tolerance"`
		Frames         int    `json:"frames"`
		Grey           []byte `json:"gdcm_pydicom_grey"`
		PaletteIndices []byte `json:"palette_indices"`
	} `json:"fixtures"`
}

func loadGDCMManifest(t *testing.T) *gdcmManifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "gdcm", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m gdcmManifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Fixtures) < 10 {
		t.Fatalf("manifest lists %d fixtures", len(m.Fixtures))
	}
	return &m
}

func needGDCM(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("gdcmconv"); err != nil {
		t.Skip("gdcmconv is not installed (Debian libgdcm-tools)")
	}
}

// readCineFrames reads every frame of c.
func readCineFrames(t *testing.T, c Cine) []Frame {
	t.Helper()
	var out []Frame
	for {
		f, err := c.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
}

// TestTranscodeFixtures opens every compressed fixture through GDCM and compares it
// with its native source (dcmtk/GDCM/Pillow recompressed it, see
// make_gdcm_fixtures.py): the same metadata, frame times and regions; the same grey
// frames for lossless syntaxes; for lossy ones, the frames GDCM + pydicom decode,
// within the manifest's tolerance (0.5 % of the value range, at least 1).
func TestTranscodeFixtures(t *testing.T) {
	needGDCM(t)
	m := loadGDCMManifest(t)
	seen := map[string]bool{}
	for _, fx := range m.Fixtures {
		if fx.PaletteIndices != nil {
			continue
		}
		t.Run(fx.File, func(t *testing.T) {
			path := filepath.Join("testdata", "gdcm", fx.File)
			opt := CineOptions{FrameRate: 10}
			c, err := openTranscoded(path, opt)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			src, err := OpenCine(filepath.Join("testdata", "dicom", fx.Source), opt)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			got, want := c.Info(), src.Info()
			if got.Path != path || got.TransferSyntax != fx.TransferSyntax || got.Photometric != fx.RawPhotometric {
				t.Errorf("Path %q, TransferSyntax %s, Photometric %s; want %q, %s, %s", got.Path, got.TransferSyntax, got.Photometric, path, fx.TransferSyntax, fx.RawPhotometric)
			}
			want.Path, want.TransferSyntax, want.Photometric = got.Path, got.TransferSyntax, got.Photometric
			if !reflect.DeepEqual(got, want) {
				t.Errorf("info\n got %+v\nwant %+v", got, want)
			}
			gf, sf := readCineFrames(t, c), readCineFrames(t, src)
			if len(gf) != fx.Frames || len(sf) != fx.Frames {
				t.Fatalf("%d frames, source %d, manifest %d", len(gf), len(sf), fx.Frames)
			}
			for i := range gf {
				if gf[i].Time != sf[i].Time || gf[i].Index != i {
					t.Errorf("frame %d: index %d time %v, source time %v", i, gf[i].Index, gf[i].Time, sf[i].Time)
				}
				g, _, bits := greySamples(gf[i].Img)
				s, _, sbits := greySamples(sf[i].Img)
				if bits != sbits || len(g) != len(s) {
					t.Fatalf("frame %d: %d samples of %d bits, source %d of %d", i, len(g), bits, len(s), sbits)
				}
				ref := manifestFrame(fx.Grey, i, len(g), bits)
				worst, worstSrc := 0, 0
				for k := range g {
					worst = max(worst, abs(g[k]-ref[k]))
					worstSrc = max(worstSrc, abs(g[k]-s[k]))
				}
				if worst > fx.Tolerance {
					t.Errorf("frame %d differs by %d from GDCM + pydicom (tolerance %d)", i, worst, fx.Tolerance)
				}
				if !fx.Lossy && worstSrc != 0 {
					t.Errorf("frame %d of a lossless fixture differs by %d from the native source", i, worstSrc)
				}
			}
		})
		seen[fx.TransferSyntax] = true
	}
	for _, ts := range []string{"1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91"} {
		if !seen[ts] {
			t.Errorf("no fixture in %s", syntaxLabel(ts))
		}
		if !needsTranscode(ts) {
			t.Errorf("%s is not transcoded", syntaxLabel(ts))
		}
	}
}

// manifestFrame returns frame i (n samples of bits bits) of the manifest's grey frames.
func manifestFrame(b []byte, i, n, bits int) []int {
	out := make([]int, n)
	bps := bits / 8
	for k := range out {
		o := (i*n + k) * bps
		if o+bps > len(b) {
			return out
		}
		out[k] = int(b[o])
		if bps == 2 {
			out[k] |= int(b[o+1]) << 8
		}
	}
	return out
}

// TestTranscodeKeepsPalette: gdcmconv --raw decompresses a PALETTE COLOR cine but keeps
// the palette (it applies no LUT), so the palette decoder receives the indices.
func TestTranscodeKeepsPalette(t *testing.T) {
	needGDCM(t)
	m := loadGDCMManifest(t)
	var idx []byte
	for _, fx := range m.Fixtures {
		if fx.File == "jls_palette.dcm" {
			idx = fx.PaletteIndices
		}
	}
	if idx == nil {
		t.Fatal("no jls_palette.dcm in the manifest")
	}
	f, err := transcodeNative(filepath.Join("testdata", "gdcm", "jls_palette.dcm"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	ds, err := dicom.Parse(f, st.Size(), nil)
	if err != nil {
		t.Fatal(err)
	}
	pi, err := ds.FindElementByTag(tag.PhotometricInterpretation)
	if err != nil || strings.TrimSpace(dicom.MustGetStrings(pi.Value)[0]) != "PALETTE COLOR" {
		t.Fatalf("Photometric Interpretation %v, %v; want PALETTE COLOR", pi, err)
	}
	for _, tg := range []tag.Tag{tag.RedPaletteColorLookupTableData, tag.GreenPaletteColorLookupTableData, tag.BluePaletteColorLookupTableData} {
		if _, err := ds.FindElementByTag(tg); err != nil {
			t.Errorf("%v: %v", tg, err)
		}
	}
	pd, err := ds.FindElementByTag(tag.PixelData)
	if err != nil {
		t.Fatal(err)
	}
	info := dicom.MustGetPixelDataInfo(pd.Value)
	if info.IsEncapsulated || len(info.Frames) != 4 {
		t.Fatalf("encapsulated %v, %d frames", info.IsEncapsulated, len(info.Frames))
	}
	k := 0
	for i, fr := range info.Frames {
		nf := fr.NativeData
		for y := 0; y < nf.Rows(); y++ {
			for x := 0; x < nf.Cols(); x++ {
				p, err := nf.GetPixel(x, y)
				if err != nil {
					t.Fatal(err)
				}
				if p[0] != int(idx[k]) {
					t.Fatalf("frame %d (%d,%d): index %d, want %d", i, x, y, p[0], idx[k])
				}
				k++
			}
		}
	}
	if k != len(idx) {
		t.Errorf("%d indices, want %d", k, len(idx))
	}
}

// openFDsInto lists this process's open file descriptors whose target lies in dir
// (Linux /proc); ok is false where /proc/self/fd is not available.
func openFDsInto(dir string) (targets []string, ok bool) {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return nil, false
	}
	for _, e := range ents {
		l, err := os.Readlink(filepath.Join("/proc/self/fd", e.Name()))
		if err == nil && strings.HasPrefix(l, dir) {
			targets = append(targets, l)
		}
	}
	return targets, true
}

// TestTranscodeLeavesNoFile: the temporary copy is unlinked before openTranscoded
// returns, and closing the cine releases it; a failed conversion leaves nothing.
func TestTranscodeLeavesNoFile(t *testing.T) {
	needGDCM(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	c, err := openTranscoded(filepath.Join("testdata", "gdcm", "j2k_gray16.dcm"), CineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("%d entries left in TMPDIR while the cine is open", len(ents))
	}
	fds, procOK := openFDsInto(tmp)
	if procOK && (len(fds) != 1 || !strings.HasSuffix(fds[0], "(deleted)")) {
		t.Errorf("open descriptors into TMPDIR: %q, want one deleted copy", fds)
	}
	readCineFrames(t, c)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if fds, _ := openFDsInto(tmp); len(fds) != 0 {
		t.Errorf("after Close, descriptors still open: %q", fds)
	}
	// A failure (not a DICOM file for gdcmconv) leaves no folder behind either.
	bad := filepath.Join(t.TempDir(), "bad.dcm")
	b, _ := os.ReadFile(filepath.Join("testdata", "gdcm", "j2k_gray16.dcm"))
	if err := os.WriteFile(bad, b[:400], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := openTranscoded(bad, CineOptions{}); err == nil {
		t.Fatal("a truncated file was transcoded")
	} else if !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "JPEG 2000") {
		t.Errorf("message does not name the file and syntax: %v", err)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("%d entries left in TMPDIR after a failure", len(ents))
	}
}

// TestTranscodeWithoutGDCM: with no gdcmconv on PATH the message names the file, the
// syntax and the Debian package.
func TestTranscodeWithoutGDCM(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	path := filepath.Join("testdata", "gdcm", "jls_gray8.dcm")
	_, err := openTranscoded(path, CineOptions{})
	if err == nil {
		t.Fatal("no error without gdcmconv")
	}
	for _, want := range []string{path, "1.2.840.10008.1.2.4.80 (JPEG-LS Lossless Image Compression)", "install Debian's libgdcm-tools (gdcmconv)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
}

// fakeGDCM puts a gdcmconv shell script with the given body first on PATH.
func fakeGDCM(t *testing.T, body string) {
	t.Helper()
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	dir := t.TempDir()
	script := "#!/bin/sh\nPATH=/usr/bin:/bin\n" + body + "\n"
	if err := os.WriteFile(filepath.Join(dir, "gdcmconv"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	t.Setenv("TMPDIR", t.TempDir())
}

// TestTranscodeFailureMessage: only the last line of gdcmconv's error output reaches
// the message (gdcmconv may print header values before it).
func TestTranscodeFailureMessage(t *testing.T) {
	fakeGDCM(t, `echo "Tag (0010,0010) PatientName: DOE^JANE" >&2; echo "Could not decode the codestream" >&2; exit 3`)
	path := filepath.Join("testdata", "gdcm", "jls_gray8.dcm")
	_, err := openTranscoded(path, CineOptions{})
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if !strings.Contains(msg, path) || !strings.Contains(msg, "JPEG-LS") || !strings.Contains(msg, "Could not decode the codestream") || !strings.Contains(msg, "exit status 3") {
		t.Errorf("message: %v", err)
	}
	if strings.Contains(msg, "DOE") {
		t.Errorf("message repeats earlier gdcmconv output: %v", err)
	}
	if ents, _ := os.ReadDir(os.Getenv("TMPDIR")); len(ents) != 0 {
		t.Errorf("%d entries left in TMPDIR", len(ents))
	}
}

// TestTranscodeTimeout: a gdcmconv that hangs is stopped after gdcmconvTimeout.
func TestTranscodeTimeout(t *testing.T) {
	fakeGDCM(t, `exec sleep 30`)
	old := gdcmconvTimeout
	gdcmconvTimeout = 300 * time.Millisecond
	defer func() { gdcmconvTimeout = old }()
	start := time.Now()
	_, err := openTranscoded(filepath.Join("testdata", "gdcm", "jls_gray8.dcm"), CineOptions{})
	if err == nil || !strings.Contains(err.Error(), "did not finish within") {
		t.Fatalf("error %v, want a timeout", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestTranscodeRefusesCompressedOutput: output that is still compressed is refused.
func TestTranscodeRefusesCompressedOutput(t *testing.T) {
	fakeGDCM(t, `cp "$4" "$6"`)
	_, err := transcodeNative(filepath.Join("testdata", "gdcm", "jls_gray8.dcm"))
	if err == nil || !strings.Contains(err.Error(), "want a native one") {
		t.Fatalf("error %v, want a refusal of compressed output", err)
	}
}

// TestTranscodeMessagesNameOriginal: errors of the native reader after transcoding
// name the user's file, never the temporary copy.
func TestTranscodeMessagesNameOriginal(t *testing.T) {
	needGDCM(t)
	path := filepath.Join("testdata", "gdcm", "j2k_rgb.dcm")
	_, err := openTranscoded(path, CineOptions{Crop: image.Rect(0, 0, 1000, 1000)})
	if err == nil {
		t.Fatal("a crop outside the image was accepted")
	}
	if !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), "ceusrad-gdcm") || strings.Contains(err.Error(), "native.dcm") {
		t.Errorf("message: %v", err)
	}
}

func TestLastLine(t *testing.T) {
	for in, want := range map[string]string{
		"":                          "",
		"one\n":                     "one",
		"a\nb\n\n  \n":              "b",
		"x\nbell\a here\r\n":        "bell here",
		strings.Repeat("é", 300):    strings.Repeat("é", 200) + "…",
		"first\nsecond line\n\tend": "end",
	} {
		if got := lastLine([]byte(in)); got != want {
			t.Errorf("lastLine(%q) = %q, want %q", in, got, want)
		}
	}
	tb := &tailBuffer{max: 8}
	for _, s := range []string{"abc", "defghij", "klmnopqrstuvwxyz", "!"} {
		if n, err := tb.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatal(n, err)
		}
	}
	if got := string(tb.Bytes()); got != "tuvwxyz!" {
		t.Errorf("tail %q", got)
	}
}
