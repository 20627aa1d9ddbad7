package imaging

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"text/tabwriter"
)

// The conformance test opens every image of Debian's third-party DICOM test files
// (python3-pydicom's pydicom/data/test_files and octave-dicom's imdata) and compares
// the grey frames with those GDCM + pydicom give, as recorded by
// testdata/conformance/make_reference.py in reference.json.gz (see that script for
// the conversion and the tool versions). A file either decodes to the reference —
// identical samples (SHA-256) for lossless data; within max(1, 0.5 % of the value
// range) on the reference's sample grid and in the mean for lossy data — or is
// refused with a message that names the file and the reason, holds no "runtime error"
// and repeats none of the file's patient name or ID.

// conformanceDecodes are the files that must decode to the reference: a file of this
// list that is refused, or decodes differently, fails the test. Transfer syntaxes
// that need GDCM (needsTranscode) are skipped when gdcmconv is not installed.
var conformanceDecodes = map[string]bool{
	// native little/big endian, MONOCHROME1/2, 8/16 bits, signed
	"octave-dicom/CT-MONO2-16-ankle.dcm":        true,
	"octave-dicom/simple-test.dcm":              true,
	"pydicom/CT_small.dcm":                      true,
	"pydicom/MR_small.dcm":                      true,
	"pydicom/MR_small_bigendian.dcm":            true,
	"pydicom/MR_small_expb.dcm":                 true,
	"pydicom/MR_small_implicit.dcm":             true,
	"pydicom/dicomdirtests/77654033/CR1/6154":   true,
	"pydicom/dicomdirtests/77654033/CR2/6247":   true,
	"pydicom/dicomdirtests/77654033/CR3/6278":   true,
	"pydicom/dicomdirtests/77654033/CT2/17106":  true,
	"pydicom/dicomdirtests/77654033/CT2/17136":  true,
	"pydicom/dicomdirtests/77654033/CT2/17166":  true,
	"pydicom/dicomdirtests/77654033/CT2/17196":  true,
	"pydicom/dicomdirtests/98892001/CT2N/6293":  true,
	"pydicom/dicomdirtests/98892001/CT2N/6924":  true,
	"pydicom/dicomdirtests/98892001/CT5N/2062":  true,
	"pydicom/dicomdirtests/98892001/CT5N/2392":  true,
	"pydicom/dicomdirtests/98892001/CT5N/2693":  true,
	"pydicom/dicomdirtests/98892001/CT5N/3023":  true,
	"pydicom/dicomdirtests/98892001/CT5N/3353":  true,
	"pydicom/dicomdirtests/98892003/MR1/15820":  true,
	"pydicom/dicomdirtests/98892003/MR1/4919":   true,
	"pydicom/dicomdirtests/98892003/MR1/5641":   true,
	"pydicom/dicomdirtests/98892003/MR2/15970":  true,
	"pydicom/dicomdirtests/98892003/MR2/4950":   true,
	"pydicom/dicomdirtests/98892003/MR2/4981":   true,
	"pydicom/dicomdirtests/98892003/MR2/5011":   true,
	"pydicom/dicomdirtests/98892003/MR2/6273":   true,
	"pydicom/dicomdirtests/98892003/MR2/6605":   true,
	"pydicom/dicomdirtests/98892003/MR2/6935":   true,
	"pydicom/dicomdirtests/98892003/MR700/4467": true,
	"pydicom/dicomdirtests/98892003/MR700/4528": true,
	"pydicom/dicomdirtests/98892003/MR700/4558": true,
	"pydicom/dicomdirtests/98892003/MR700/4588": true,
	"pydicom/dicomdirtests/98892003/MR700/4618": true,
	"pydicom/dicomdirtests/98892003/MR700/4648": true,
	"pydicom/dicomdirtests/98892003/MR700/4678": true,
	// native colour
	"pydicom/SC_rgb_jpeg_dcmd.dcm":             true,
	"pydicom/SC_ybr_full_422_uncompressed.dcm": true,
	// JPEG Baseline (Go's image/jpeg)
	"pydicom/SC_rgb_dcmtk_+eb+cy+n1.dcm":       true,
	"pydicom/SC_rgb_dcmtk_+eb+cy+n2.dcm":       true,
	"pydicom/SC_rgb_dcmtk_+eb+cy+np.dcm":       true,
	"pydicom/SC_rgb_dcmtk_+eb+cy+s2.dcm":       true,
	"pydicom/SC_rgb_dcmtk_+eb+cy+s4.dcm":       true,
	"pydicom/SC_rgb_jpeg_dcmtk.dcm":            true,
	"pydicom/SC_rgb_dcmtk_+eb+cr.dcm":          true,
	"pydicom/SC_rgb_jpeg_app14_dcmd.dcm":       true,
	"pydicom/SC_jpeg_no_color_transform_2.dcm": true,
	// RGB JPEG with no Adobe/JFIF marker: the Photometric Interpretation is followed
	"pydicom/SC_jpeg_no_color_transform.dcm": true,
	"pydicom/SC_rgb_jpeg_lossy_gdcm.dcm":     true,
	// RLE Lossless (rle.go), palette colour (palette.go), big endian OB, padded pixel
	// data, encapsulated pixel data inside an Icon Image Sequence
	"octave-dicom/US-PAL-8-10x-echo.dcm":   true,
	"octave-dicom/simpleImageWithIcon.dcm": true,
	"pydicom/ExplVR_BigEnd.dcm":            true,
	"pydicom/MR_small_RLE.dcm":             true,
	"pydicom/MR_small_padded.dcm":          true,
	"pydicom/SC_rgb_rle.dcm":               true,
	"pydicom/SC_rgb_rle_16bit.dcm":         true,
	"pydicom/SC_rgb_rle_16bit_2frame.dcm":  true,
	"pydicom/SC_rgb_rle_2frame.dcm":        true,
	// GDCM transcoding (gdcm.go)
	"pydicom/693_J2KI.dcm":                  true,
	"pydicom/GDCMJ2K_TextGBR.dcm":           true,
	"pydicom/J2K_pixelrep_mismatch.dcm":     true,
	"pydicom/JPEG-lossy.dcm":                true,
	"pydicom/JPEG2000.dcm":                  true,
	"pydicom/JPGExtended.dcm":               true,
	"pydicom/MR_small_jp2klossless.dcm":     true,
	"pydicom/MR_small_jpeg_ls_lossless.dcm": true,
	"pydicom/SC_rgb_gdcm_KY.dcm":            true,
	"pydicom/SC_rgb_jpeg_gdcm.dcm":          true,
	"pydicom/image_dfl.dcm":                 true,
}

// conformanceKnownMismatch are files this tree decodes, but not to the reference,
// with the reason. The test fails when one of them matches, so that the
// entry moves to conformanceDecodes.
var conformanceKnownMismatch = map[string]string{}

type confReference struct {
	Roots    map[string]string `json:"roots"`
	Versions map[string]string `json:"versions"`
	Files    []confFile        `json:"files"`
}

type confFile struct {
	File           string `json:"file"`
	SHA256         string `json:"sha256"`
	TransferSyntax string `json:"transfer_syntax"`
	Photometric    string `json:"photometric"`
	Frames         int    `json:"frames"`
	Rows           int    `json:"rows"`
	Columns        int    `json:"columns"`
	PatientName    string `json:"patient_name"`
	PatientID      string `json:"patient_id"`
	Lossy          bool   `json:"lossy"`
	Decoder        string `json:"decoder"`
	Why            string `json:"why"`
	Grey           *struct {
		Dtype  string `json:"dtype"`
		Range  int    `json:"range"`
		Frames []struct {
			Shape    [2]int  `json:"shape"`
			SHA256   string  `json:"sha256"`
			Min      int     `json:"min"`
			Max      int     `json:"max"`
			Mean     float64 `json:"mean"`
			GridStep [2]int  `json:"grid_step"`
			Grid     []byte  `json:"grid"`
		} `json:"frames"`
	} `json:"grey"`
}

func loadConformance(t *testing.T) *confReference {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "conformance", "reference.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var ref confReference
	if err := json.NewDecoder(zr).Decode(&ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Files) < 50 {
		t.Fatalf("reference.json.gz lists %d files", len(ref.Files))
	}
	return &ref
}

// confResult is one row of the summary table.
type confResult struct {
	file, syntax, photometric, status, detail string
}

func TestConformance(t *testing.T) {
	ref := loadConformance(t)
	present := map[string]bool{}
	for name, root := range ref.Roots {
		if st, err := os.Stat(root); err == nil && st.IsDir() {
			present[name] = true
		} else {
			t.Logf("%s test files are not installed (%s): their files are skipped", name, root)
		}
	}
	if len(present) == 0 {
		t.Skip("no third-party DICOM test files: install Debian's python3-pydicom and octave-dicom (and libgdcm-tools)")
	}
	_, errGDCM := exec.LookPath("gdcmconv")
	if errGDCM != nil {
		t.Log("gdcmconv is not installed (Debian libgdcm-tools): files that need it are expected to be refused")
	}
	var rows []confResult
	decoded, refused := 0, 0
	for _, e := range ref.Files {
		root, rel, _ := strings.Cut(e.File, "/")
		if !present[root] {
			continue
		}
		path := filepath.Join(ref.Roots[root], filepath.FromSlash(rel))
		if sum, err := fileSHA256(path); err != nil {
			t.Errorf("%s: %v (listed in reference.json.gz)", e.File, err)
			continue
		} else if sum != e.SHA256 {
			t.Errorf("%s differs from the file the reference was made from (new Debian package?): rerun testdata/conformance/make_reference.py", e.File)
			continue
		}
		row := confResult{file: e.File, syntax: shortSyntax(e.TransferSyntax), photometric: e.Photometric}
		transcoded := needsTranscode(e.TransferSyntax)
		noTool := transcoded && errGDCM != nil
		frames, info, err := readConformance(path, e.TransferSyntax)
		if err != nil {
			refused++
			row.status, row.detail = "refused", strings.TrimPrefix(strings.TrimPrefix(err.Error(), "imaging: "), path+": ")
			msg := err.Error()
			switch {
			case !strings.Contains(msg, path):
				t.Errorf("%s: the message does not name the file: %v", e.File, err)
			case len(msg) < len("imaging: "+path+": ")+12:
				t.Errorf("%s: the message gives no reason: %v", e.File, err)
			case strings.Contains(msg, "runtime error"):
				t.Errorf("%s: %v", e.File, err)
			}
			for _, s := range []string{e.PatientName, e.PatientID} {
				if len(s) >= 3 && strings.Contains(msg, s) {
					t.Errorf("%s: the message repeats a patient name or ID from the header: %v", e.File, err)
				}
			}
			if noTool && !strings.Contains(msg, "libgdcm-tools") {
				t.Errorf("%s: gdcmconv is missing, but the message does not say which package provides it: %v", e.File, err)
			}
			if conformanceDecodes[e.File] && !noTool {
				t.Errorf("%s is expected to decode: %v", e.File, err)
			}
			rows = append(rows, row)
			continue
		}
		decoded++
		if info.Photometric != e.Photometric {
			row.photometric = e.Photometric + "→" + info.Photometric
		}
		diff, mismatch := compareConformance(&e, frames)
		row.status, row.detail = "decoded", diff
		if mismatch != "" {
			row.status, row.detail = "MISMATCH", mismatch
		}
		known, isKnown := conformanceKnownMismatch[e.File]
		switch {
		case mismatch != "" && isKnown:
			row.status = "known mismatch"
			row.detail = mismatch + " [" + known + "]"
		case mismatch != "":
			t.Errorf("%s decodes differently from %s: %s", e.File, e.Decoder, mismatch)
		case isKnown:
			t.Errorf("%s now matches the reference: move it from conformanceKnownMismatch to conformanceDecodes", e.File)
		case !conformanceDecodes[e.File]:
			t.Logf("%s decodes to the reference: add it to conformanceDecodes", e.File)
		}
		rows = append(rows, row)
	}
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "file\tsyntax\tphotometric\tresult\tmax diff / reason")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.file, r.syntax, r.photometric, r.status, r.detail)
	}
	tw.Flush()
	t.Logf("conformance against %s (%s; %s):\n%s%d files: %d decoded, %d refused",
		"GDCM + pydicom", ref.Versions["gdcmconv"], "pydicom "+ref.Versions["pydicom"], b.String(), len(rows), decoded, refused)
}

// readConformance reads every frame of the file. Transfer syntaxes that need GDCM go
// through openTranscoded directly (in case OpenCine does not yet call it itself).
func readConformance(path, ts string) ([]image.Image, CineInfo, error) {
	open := OpenCine
	if needsTranscode(ts) {
		open = openTranscoded
	}
	c, err := open(path, CineOptions{FrameRate: 10})
	if err != nil {
		return nil, CineInfo{}, err
	}
	defer c.Close()
	var out []image.Image
	for {
		f, err := c.Next()
		if errors.Is(err, io.EOF) {
			return out, c.Info(), nil
		}
		if err != nil {
			return nil, CineInfo{}, err
		}
		out = append(out, f.Img)
	}
}

// compareConformance compares decoded frames with the reference. It returns the
// largest difference found ("0" when identical) and, when they do not agree, why.
func compareConformance(e *confFile, frames []image.Image) (diff, mismatch string) {
	g := e.Grey
	if g == nil {
		return "", "decoded, but the reference gives no grey frames: " + e.Why
	}
	if len(frames) != len(g.Frames) {
		return "", fmt.Sprintf("%d frames, reference %d", len(frames), len(g.Frames))
	}
	tol := 0
	if e.Lossy {
		tol = max(1, int(0.005*float64(g.Range)))
	}
	worst := 0
	for i, m := range frames {
		rf := &g.Frames[i]
		w, h := m.Bounds().Dx(), m.Bounds().Dy()
		if [2]int{h, w} != rf.Shape {
			return "", fmt.Sprintf("frame %d is %d×%d, reference %d×%d", i, w, h, rf.Shape[1], rf.Shape[0])
		}
		vals, raw, bits := greySamples(m)
		if want := map[string]int{"uint8": 8, "uint16": 16}[g.Dtype]; bits != want {
			return "", fmt.Sprintf("frame %d has %d-bit samples, reference %s", i, bits, g.Dtype)
		}
		sum := sha256.Sum256(raw)
		if hex.EncodeToString(sum[:]) == rf.SHA256 {
			continue
		}
		// Not identical: compare on the reference's grid and in the mean.
		bps := bits / 8
		k := 0
		for y := 0; y < h; y += rf.GridStep[0] {
			for x := 0; x < w; x += rf.GridStep[1] {
				if bps*(k+1) > len(rf.Grid) {
					return "", "the reference grid is short"
				}
				want := int(rf.Grid[bps*k])
				if bps == 2 {
					want |= int(rf.Grid[bps*k+1]) << 8
				}
				if d := abs(vals[y*w+x] - want); d > worst {
					worst = d
				}
				k++
			}
		}
		mean := 0.0
		for _, v := range vals {
			mean += float64(v)
		}
		mean /= float64(len(vals))
		if d := int(math.Ceil(math.Abs(mean - rf.Mean))); d > worst {
			worst = d
		}
		if !e.Lossy {
			return fmt.Sprintf("%d", worst), fmt.Sprintf("frame %d: lossless data, but the samples differ (SHA-256; up to %d on the grid and mean)", i, worst)
		}
		if worst > tol {
			return fmt.Sprintf("%d", worst), fmt.Sprintf("frame %d: differs by %d, more than %d (0.5 %% of %d)", i, worst, tol, g.Range)
		}
	}
	if e.Lossy {
		return fmt.Sprintf("%d (lossy, tolerance %d)", worst, tol), ""
	}
	return "0", ""
}

// greySamples returns the samples of a grey frame row by row, their little-endian
// bytes (uint8, or uint16 LE, as make_reference.py hashes them) and the bit depth.
func greySamples(m image.Image) (vals []int, raw []byte, bits int) {
	b := m.Bounds()
	switch g := m.(type) {
	case *image.Gray:
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				v := g.GrayAt(x, y).Y
				vals, raw = append(vals, int(v)), append(raw, v)
			}
		}
		return vals, raw, 8
	case *image.Gray16:
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				v := g.Gray16At(x, y).Y
				vals, raw = append(vals, int(v)), append(raw, byte(v), byte(v>>8))
			}
		}
		return vals, raw, 16
	}
	return nil, nil, 0
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func fileSHA256(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:]), nil
}

// shortSyntax names a transfer syntax briefly for the summary table.
func shortSyntax(uid string) string {
	n := TransferSyntaxName(uid)
	if n == "" {
		if uid == "" {
			return "(none)"
		}
		return uid
	}
	if len(n) > 28 {
		n = n[:27] + "…"
	}
	return n
}

// TestConformanceListsKnownFiles keeps the lists in step with the reference.
func TestConformanceListsKnownFiles(t *testing.T) {
	ref := loadConformance(t)
	known := map[string]bool{}
	for _, e := range ref.Files {
		known[e.File] = true
	}
	var bad []string
	for f := range conformanceDecodes {
		if !known[f] {
			bad = append(bad, f)
		}
	}
	for f := range conformanceKnownMismatch {
		if !known[f] || conformanceDecodes[f] {
			bad = append(bad, f)
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Errorf("listed files not in reference.json.gz, or listed twice: %v", bad)
	}
}
