package imaging

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"image"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/dicom/go_written.dcm and testdata/nifti/go_written.nii (run by testdata/make_fixtures.sh)")

// goldenVolume is the content of testdata/nifti/go_written.nii (int16).
func goldenVolume() *Volume {
	v := &Volume{Nx: 5, Ny: 4, Nz: 3, Spacing: [3]float64{0.7, 0.8, 2.5}}
	for i := 0; i < v.Nx*v.Ny*v.Nz; i++ {
		v.Data = append(v.Data, float64(i*37-200))
	}
	return v
}

// goldenCine is the content of testdata/dicom/go_written.dcm.
func goldenCine() ([]*image.Gray, CineMeta) {
	const n, w, h = 6, 24, 16
	frames := make([]*image.Gray, n)
	times := []float64{0, 0.5, 1.0, 1.55, 2.0, 2.5}
	for i := range frames {
		m := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				m.Pix[y*m.Stride+x] = uint8((x*x + 3*y*x + 29*i) % 251)
			}
		}
		frames[i] = m
	}
	return frames, CineMeta{PatientID: "GOLDEN-01", FrameTimes: times, PixelSpacingMM: 0.3, Description: "CEUS golden cine"}
}

// TestGoWrittenCine writes the golden cine and compares it byte for byte with the
// committed file, which make_fixtures.py has read with pydicom and dcmdump; it then
// checks what those tools saw (fixtures.json) against the cine's content.
func TestGoWrittenCine(t *testing.T) {
	frames, meta := goldenCine()
	golden := filepath.Join("testdata", "dicom", "go_written.dcm")
	p := filepath.Join(t.TempDir(), "go_written.dcm")
	if *update {
		p = golden
	}
	if err := WriteDICOMCine(p, frames, meta); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := WriteNIfTI(filepath.Join("testdata", "nifti", "go_written.nii"), goldenVolume(), DTInt16); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("WriteDICOMCine output (%d bytes) differs from %s (%d bytes), which pydicom and dcmdump were checked on; rerun testdata/make_fixtures.sh", len(got), golden, len(want))
	}
	fx := loadFixtures(t)
	gw := fx.GoWritten
	sum := sha256.Sum256(want)
	if gw.FileSHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("fixtures.json describes another go_written.dcm (sha256 %s)", gw.FileSHA256)
	}
	py := gw.Pydicom
	if py.SOPClass != uidUSMultiframe || py.TransferSyntax != uidExplicitLE || py.Photometric != "MONOCHROME2" {
		t.Errorf("pydicom saw SOP class %s, transfer syntax %s, %s", py.SOPClass, py.TransferSyntax, py.Photometric)
	}
	if py.Frames != len(frames) || py.Rows != 16 || py.Columns != 24 {
		t.Errorf("pydicom saw %d frames of %d×%d", py.Frames, py.Columns, py.Rows)
	}
	h := sha256.New()
	for _, f := range frames {
		h.Write(f.Pix)
	}
	if py.PixelSHA256 != hex.EncodeToString(h.Sum(nil)) {
		t.Errorf("pydicom decoded other pixels (sha256 %s)", py.PixelSHA256)
	}
	for i := 1; i < len(meta.FrameTimes); i++ {
		inc := 1000 * (meta.FrameTimes[i] - meta.FrameTimes[i-1])
		if d := py.FTV[i] - inc; d > 1e-9 || d < -1e-9 {
			t.Errorf("pydicom Frame Time Vector[%d] = %v ms, want %v", i, py.FTV[i], inc)
		}
	}
	if py.FTV[0] != 0 || py.FrameTime != 500 {
		t.Errorf("pydicom Frame Time Vector[0] = %v, Frame Time = %v; want 0 and 500", py.FTV[0], py.FrameTime)
	}
	if py.PixelSpacing[0] != 0.3 || py.PixelSpacing[1] != 0.3 || py.DeltaX != 0.03 || py.UnitsX != 3 {
		t.Errorf("pydicom Pixel Spacing %v, Physical Delta X %v (units %d); want 0.3 mm, 0.03 cm (3)", py.PixelSpacing, py.DeltaX, py.UnitsX)
	}
	if py.PatientID != meta.PatientID || py.Description != meta.Description {
		t.Errorf("pydicom Patient ID %q, Series Description %q", py.PatientID, py.Description)
	}
	if gw.Dcmdump.ExitCode != 0 || gw.Dcmdump.Stderr != "" {
		t.Errorf("dcmdump exit %d, stderr %q", gw.Dcmdump.ExitCode, gw.Dcmdump.Stderr)
	}
}

// TestGoWrittenNIfTI compares WriteNIfTI's output with the committed file that
// make_fixtures.py has read with nibabel, and checks what nibabel saw.
func TestGoWrittenNIfTI(t *testing.T) {
	v := goldenVolume()
	p := filepath.Join(t.TempDir(), "go_written.nii")
	if err := WriteNIfTI(p, v, DTInt16); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "nifti", "go_written.nii"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("WriteNIfTI output differs from testdata/nifti/go_written.nii; rerun testdata/make_fixtures.sh")
	}
	nb := loadFixtures(t).GoWrittenNIfTI
	if nb.Shape[0] != v.Nx || nb.Shape[1] != v.Ny || nb.Shape[2] != v.Nz || len(nb.Shape) != 3 {
		t.Errorf("nibabel shape %v", nb.Shape)
	}
	for i := 0; i < 3; i++ {
		if math.Abs(nb.Zooms[i]-v.Spacing[i]) > 1e-6 {
			t.Errorf("nibabel zooms %v, want %v", nb.Zooms, v.Spacing)
		}
	}
	if nb.Datatype != int(DTInt16) || nb.Units != "mm" {
		t.Errorf("nibabel datatype %d, units %q", nb.Datatype, nb.Units)
	}
	h := sha256.New()
	for _, x := range v.Data {
		h.Write(binary.LittleEndian.AppendUint64(nil, math.Float64bits(x)))
	}
	if nb.ValuesSHA256 != hex.EncodeToString(h.Sum(nil)) {
		t.Error("nibabel read other values")
	}
}
