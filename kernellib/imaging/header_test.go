package imaging

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// headerRef is one file of testdata/header/header_ref.json (make_header_ref.py,
// pydicom).
type headerRef struct {
	Path                                             string
	TransferSyntaxUID, SOPClassUID, SOPInstanceUID   string
	Modality, StudyInstanceUID, SeriesInstanceUID    string
	StudyDate, StudyTime, SeriesTime                 string
	AcquisitionTime, ContentTime                     string
	HasPixelData                                     bool
	NumberOfFrames, Rows, Columns                    int
	ContrastBolusAgent, ContrastBolusStartTime       string
	FrameTime, CineRate, RecommendedDisplayFrameRate float64
	FrameTimeVector                                  []float64
	PatientID, PatientName, BirthDate                string
}

// TestReadDICOMHeaderMatchesPydicom reads third-party files (pydicom's and
// octave-dicom's test files: explicit/implicit VR, big endian, RLE, JPEG 2000, no
// pixel data, an icon image sequence) and compares every field with pydicom's reading.
func TestReadDICOMHeaderMatchesPydicom(t *testing.T) {
	b, err := os.ReadFile("testdata/header/header_ref.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Pydicom  string
		Files    []headerRef
		NotDICOM []string `json:"not_dicom"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	for _, r := range ref.Files {
		t.Run(filepath.Base(r.Path), func(t *testing.T) {
			if _, err := os.Stat(r.Path); err != nil {
				t.Skipf("%v (Debian python3-pydicom / octave-dicom not installed)", err)
			}
			h, err := ReadDICOMHeader(r.Path)
			if err != nil {
				t.Fatal(err)
			}
			got := headerRef{Path: r.Path,
				TransferSyntaxUID: h.TransferSyntaxUID, SOPClassUID: h.SOPClassUID, SOPInstanceUID: h.SOPInstanceUID,
				Modality: h.Modality, StudyInstanceUID: h.StudyInstanceUID, SeriesInstanceUID: h.SeriesInstanceUID,
				StudyDate: h.StudyDate, StudyTime: h.StudyTime, SeriesTime: h.SeriesTime,
				AcquisitionTime: h.AcquisitionTime, ContentTime: h.ContentTime,
				HasPixelData: h.HasPixelData, NumberOfFrames: h.NumberOfFrames, Rows: h.Rows, Columns: h.Columns,
				ContrastBolusAgent: h.ContrastBolusAgent, ContrastBolusStartTime: h.ContrastBolusStartTime,
				FrameTime: h.FrameTime, CineRate: h.CineRate, RecommendedDisplayFrameRate: h.RecommendedDisplayFrameRate,
				FrameTimeVector: h.FrameTimeVector,
				PatientID:       h.Identity.PatientID, PatientName: h.Identity.PatientName, BirthDate: h.Identity.BirthDate,
			}
			gj, _ := json.Marshal(got)
			rj, _ := json.Marshal(r)
			if string(gj) != string(rj) {
				t.Errorf("got  %s\nwant %s (pydicom %s)", gj, rj, ref.Pydicom)
			}
		})
	}
	for _, p := range ref.NotDICOM {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		if _, err := ReadDICOMHeader(p); !errors.Is(err, ErrNotDICOM) {
			t.Errorf("%s: error %v, want ErrNotDICOM", p, err)
		}
	}
}

func TestReadDICOMHeaderOfWrittenCine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.dcm")
	frames := []*image.Gray{image.NewGray(image.Rect(0, 0, 6, 4)), image.NewGray(image.Rect(0, 0, 6, 4)), image.NewGray(image.Rect(0, 0, 6, 4))}
	if err := WriteDICOMCine(path, frames, CineMeta{PatientID: "X", FrameTimes: []float64{0, 0.1, 0.25}, PixelSpacingMM: 0.3}); err != nil {
		t.Fatal(err)
	}
	h, err := ReadDICOMHeader(path)
	if err != nil {
		t.Fatal(err)
	}
	if h.NumberOfFrames != 3 || h.Rows != 4 || h.Columns != 6 || h.Modality != "US" || !h.HasPixelData {
		t.Errorf("header %+v", h)
	}
	rate, src, ok := h.FrameRate()
	if !ok || src != RateFrameTimeVector || math.Abs(rate-2/0.25) > 1e-9 {
		t.Errorf("FrameRate = %v %q %v, want 8 from the Frame Time Vector", rate, src, ok)
	}
	if d, ok := h.Duration(); !ok || math.Abs(d-0.25) > 1e-9 {
		t.Errorf("Duration = %v %v, want 0.25", d, ok)
	}
}

func TestReadDICOMHeaderRefusesNonRegularAndJunk(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	if _, err := ReadDICOMHeader(fifo); err == nil || !strings.Contains(err.Error(), "named pipe") {
		t.Errorf("FIFO: %v", err)
	}
	junk := filepath.Join(dir, "junk.txt")
	os.WriteFile(junk, []byte("hello"), 0o644)
	if _, err := ReadDICOMHeader(junk); !errors.Is(err, ErrNotDICOM) {
		t.Errorf("junk: %v, want ErrNotDICOM", err)
	}
	if _, err := ReadDICOMHeader(dir); err == nil {
		t.Error("a folder was read")
	}
}

func TestIdentityNeverPrints(t *testing.T) {
	h := Header{Modality: "US", Identity: Identity{PatientID: "ID-4711", PatientName: "DOE^JANE", BirthDate: "19610203"}}
	j, _ := json.Marshal(h)
	for _, s := range []string{fmt.Sprint(h), fmt.Sprintf("%v %+v %#v %s", h, h, h, h.Identity), string(j)} {
		for _, v := range []string{"4711", "DOE", "JANE", "1961"} {
			if strings.Contains(s, v) {
				t.Errorf("%q shows %q", s, v)
			}
		}
	}
}

func TestParseDICOMTime(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"10", 36000, true}, {"1015", 36900, true}, {"101530", 36930, true}, {"101530.25", 36930.25, true},
		{"10:15:30.5", 36930.5, true}, {"101530.123456+0100", 36930.123456, true}, {" 000000 ", 0, true},
		{"", 0, false}, {"2400", 0, false}, {"1060", 0, false}, {"101", 0, false}, {"1015.5", 0, false}, {"101530.1e3", 0, false},
	} {
		got, ok := ParseDICOMTime(c.in)
		if ok != c.ok || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("ParseDICOMTime(%q) = %v %v, want %v %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestReadDICOMHeaderRefusesTruncated cuts a file at every length: the header reader
// must refuse it (the whole-file parser alone returns what it read before the cut
// without an error) or, once the cut falls inside Pixel Data, read the header whole;
// a cut before the Image Pixel module leaves an object without image attributes,
// which an importer skips as not an image.
func TestReadDICOMHeaderRefusesTruncated(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.dcm")
	frames := []*image.Gray{image.NewGray(image.Rect(0, 0, 6, 4)), image.NewGray(image.Rect(0, 0, 6, 4))}
	if err := WriteDICOMCine(path, frames, CineMeta{PatientID: "X", FrameTimes: []float64{0, 0.1}, PixelSpacingMM: 0.3}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	whole, err := ReadDICOMHeader(path)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.dcm")
	for n := 132; n < len(b); n++ {
		os.WriteFile(cut, b[:n], 0o644)
		h, err := ReadDICOMHeader(cut)
		noImage := !h.HasPixelData && h.Rows == 0 && h.Columns == 0 && h.NumberOfFrames == 0
		if err == nil && !noImage && (h.SOPInstanceUID != whole.SOPInstanceUID || h.NumberOfFrames != 2 || !h.HasPixelData) {
			t.Fatalf("cut at %d of %d bytes: read a partial header without error", n, len(b))
		}
	}
}
