package imaging

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// codecFixtures mirrors testdata/dicom_codecs.json, written by
// testdata/make_dicom_codecs.py from pydicom's and GDCM's decoding.
type codecFixtures struct {
	Versions map[string]string `json:"versions"`
	Fixtures []fixture         `json:"fixtures"`
	External []struct {
		Path   string   `json:"path"`
		Frames int      `json:"frames"`
		Width  int      `json:"width"`
		Height int      `json:"height"`
		Bits   int      `json:"bits"`
		SHA256 []string `json:"frame_sha256"`
		// Lossy files: the expected grey frames (8-bit, zlib) and the tolerance.
		Pixels    []byte `json:"pixels_zlib_b64"`
		Tolerance int    `json:"tolerance"`
		Reference string `json:"reference"`
	} `json:"external"`
}

func loadCodecFixtures(t *testing.T) *codecFixtures {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "dicom_codecs.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx codecFixtures
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	return &fx
}

// TestDICOMCodecs decodes the RLE Lossless, PALETTE COLOR, 8-bit big-endian, icon,
// padded and RGB-JPEG fixtures and compares every frame with pydicom's (or GDCM's)
// decoding followed by the BT.601 luma.
func TestDICOMCodecs(t *testing.T) {
	fx := loadCodecFixtures(t)
	if len(fx.Fixtures) < 10 {
		t.Fatalf("only %d codec fixtures", len(fx.Fixtures))
	}
	for i := range fx.Fixtures {
		f := &fx.Fixtures[i]
		t.Run(filepath.Base(f.File), func(t *testing.T) {
			c, err := OpenCine(filepath.Join("testdata", f.File), CineOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			info := c.Info()
			if info.Width != f.Width || info.Height != f.Height || info.NumFrames != f.Frames || info.BitsAllocated != f.Bits ||
				info.Photometric != f.Photometric || info.TransferSyntax != f.TransferSyntax || info.Timing != TimingSource(f.Timing) {
				t.Errorf("info %+v; want %d×%d, %d frames, %d bits, %s, %s, %s", info, f.Width, f.Height, f.Frames, f.Bits, f.Photometric, f.TransferSyntax, f.Timing)
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
				if fr.Index != k || math.Abs(fr.Time-f.Times[k]) > 1e-9 {
					t.Errorf("frame %d: index %d, time %v s, want %v s", k, fr.Index, fr.Time, f.Times[k])
				}
				comparePixels(t, "frame", pixelsOf(fr.Img), f.expectedFrame(k), f.Tolerance)
			}
		})
	}
}

// TestDICOMExternalFiles decodes third-party test files of Debian's octave-dicom and
// python3-pydicom, when installed, and compares every grey frame with the SHA-256 of
// pydicom's decoding recorded by make_dicom_codecs.py (lossless: exact), or for JPEG
// files with GDCM's decoding within the recorded tolerance.
func TestDICOMExternalFiles(t *testing.T) {
	fx := loadCodecFixtures(t)
	for _, e := range fx.External {
		t.Run(filepath.Base(e.Path), func(t *testing.T) {
			if _, err := os.Stat(e.Path); err != nil {
				t.Skipf("not installed: %v", err)
			}
			c, err := OpenCine(e.Path, CineOptions{FrameRate: 10})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			info := c.Info()
			if info.Width != e.Width || info.Height != e.Height || info.NumFrames != e.Frames || info.BitsAllocated != e.Bits {
				t.Fatalf("info %+v; want %d×%d, %d frames, %d bits", info, e.Width, e.Height, e.Frames, e.Bits)
			}
			var want []byte
			if e.Pixels != nil {
				zr, err := zlib.NewReader(bytes.NewReader(e.Pixels))
				if err != nil {
					t.Fatal(err)
				}
				if want, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			for k := range e.Frames {
				fr, err := c.Next()
				if err != nil {
					t.Fatal(err)
				}
				if want != nil {
					n := e.Width * e.Height
					ref := make([]int, n)
					for i := range ref {
						ref[i] = int(want[k*n+i])
					}
					comparePixels(t, e.Reference, pixelsOf(fr.Img), ref, e.Tolerance)
					continue
				}
				var b []byte
				for _, v := range pixelsOf(fr.Img) {
					if e.Bits == 8 {
						b = append(b, byte(v))
					} else {
						b = binary.LittleEndian.AppendUint16(b, uint16(v))
					}
				}
				if h := sha256.Sum256(b); hex.EncodeToString(h[:]) != e.SHA256[k] {
					t.Errorf("frame %d differs from pydicom's", k)
				}
			}
		})
	}
}

// TestBigEndian8BitOW: 8-bit samples stored as OW in Explicit VR Big Endian have their
// bytes swapped in pairs (PS3.5 7.3, 8.1.1); made from codec_be_gray8.dcm (OB) by
// swapping the pixel bytes and the VR, the frames must not change.
func TestBigEndian8BitOW(t *testing.T) {
	b := readFixture(t, "dicom/codec_be_gray8.dcm")
	i := bytes.LastIndex(b, []byte{0x7F, 0xE0, 0x00, 0x10, 'O', 'B', 0, 0})
	if i < 0 {
		t.Fatal("Pixel Data (OB, big endian) not found")
	}
	ow := bytes.Clone(b)
	ow[i+4], ow[i+5] = 'O', 'W'
	n := int(binary.BigEndian.Uint32(ow[i+8:]))
	px := ow[i+12 : i+12+n]
	for k := 0; k+1 < len(px); k += 2 {
		px[k], px[k+1] = px[k+1], px[k]
	}
	pOB := filepath.Join("testdata", "dicom", "codec_be_gray8.dcm")
	pOW := writeTemp(t, "be_ow.dcm", ow)
	a, err := OpenCine(pOB, CineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	c, err := OpenCine(pOW, CineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for k := 0; k < a.Info().NumFrames; k++ {
		fa, err1 := a.Next()
		fc, err2 := c.Next()
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		comparePixels(t, "OW frame", pixelsOf(fc.Img), pixelsOf(fa.Img), 0)
	}
}
