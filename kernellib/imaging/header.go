package imaging

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/suyashkumar/dicom/pkg/tag"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// ErrNotDICOM is wrapped by the error of ReadDICOMHeader for a file that is not a
// DICOM Part 10 file (no "DICM" at byte 128, PS3.10 7.1).
var ErrNotDICOM = errors.New("not a DICOM Part 10 file")

// Header is what ReadDICOMHeader reads from a DICOM file: the attributes an importer
// needs to sort a PACS export into patients, studies, cines and stills (PS3.3 C.7.1
// Patient, C.7.2 General Study, C.7.3 General Series, C.7.6.1 General Image, C.7.6.3
// Image Pixel, C.7.6.5 Cine, C.7.6.6 Multi-frame, C.7.6.4 Contrast/Bolus modules).
// Strings are the values as stored, trimmed of padding; numbers are zero (slices nil)
// when the attribute is absent or empty.
type Header struct {
	TransferSyntaxUID string // (0002,0010)
	SOPClassUID       string // (0008,0016)
	SOPInstanceUID    string // (0008,0018)
	Modality          string // (0008,0060)

	StudyInstanceUID  string // (0020,000D)
	SeriesInstanceUID string // (0020,000E)

	// Dates are DA (YYYYMMDD), times TM (HHMMSS.FFFFFF), as stored.
	StudyDate, StudyTime             string // (0008,0020), (0008,0030)
	SeriesDate, SeriesTime           string // (0008,0021), (0008,0031)
	AcquisitionDate, AcquisitionTime string // (0008,0022), (0008,0032)
	ContentDate, ContentTime         string // (0008,0023), (0008,0033)
	AcquisitionDateTime              string // (0008,002A), DT

	HasPixelData   bool // a top-level Pixel Data (7FE0,0010) element is present
	NumberOfFrames int  // (0028,0008); 1 when absent and the file has pixel data
	Rows, Columns  int  // (0028,0010), (0028,0011)

	ContrastBolusAgent     string // (0018,0010), free text; "" when absent
	ContrastBolusStartTime string // (0018,1042), TM

	FrameTime                   float64   // (0018,1063), ms between frames
	FrameTimeVector             []float64 // (0018,1065), ms increments, the first 0
	CineRate                    float64   // (0018,0040), frames per second
	RecommendedDisplayFrameRate float64   // (0008,2144), frames per second

	// Regions is the Sequence of Ultrasound Regions (0018,6011); nil when absent or
	// unreadable. Two side-by-side 2D regions (SideBySide) mark a dual display.
	Regions []Region

	// Identity holds the patient's identifying attributes. They must only ever reach
	// the importer's pseudonym map (kernellib/cohort/importer, id_map.csv): never a
	// manifest, report, log, error message or figure. Identity prints as
	// "[identity withheld]" with the fmt verbs and is left out of JSON, so that
	// printing a Header by mistake does not show them.
	Identity Identity `json:"-"`
}

// Identity is the identifying part of a DICOM header (PS3.3 C.7.1.1 Patient module).
// See Header.Identity: its values must only ever reach the importer's id map.
type Identity struct {
	PatientID   string // (0010,0020)
	PatientName string // (0010,0010), PN: components separated by ^, groups by =
	BirthDate   string // (0010,0030), DA: YYYYMMDD
}

// String hides the values: fmt's %v and %s print "[identity withheld]".
func (Identity) String() string { return "[identity withheld]" }

// GoString hides the values from fmt's %#v.
func (Identity) GoString() string { return "imaging.Identity{[withheld]}" }

// Empty reports whether none of the identifying attributes has a value.
func (id Identity) Empty() bool {
	return id.PatientID == "" && id.PatientName == "" && id.BirthDate == ""
}

// maxHeaderFragments bounds the encapsulated fragments the structure scan records
// (a 100 000-frame cine has at most that many fragments plus one per frame split).
const maxHeaderFragments = 1 << 20

// ReadDICOMHeader reads the header of the DICOM Part 10 file at path: the File Meta
// Information and the data set up to the top-level Pixel Data element, whose value is
// never read; attributes of the Image Pixel module (PS3.3 C.7.6.3) without Pixel Data —
// a file cut short — are refused. The file is opened with safeio.OpenRegular (a FIFO or device is refused
// without blocking). A file without "DICM" at byte 128 gives an error wrapping
// ErrNotDICOM. A file the structure scan cannot walk to its Pixel Data (or one without
// pixel data, such as a DICOMDIR or a structured report) is parsed whole by
// github.com/suyashkumar/dicom with its pixel data skipped. Errors name the file and
// never contain the value of an identifying attribute.
func ReadDICOMHeader(path string) (Header, error) {
	f, err := safeio.OpenRegular(path)
	if err != nil {
		return Header{}, fmt.Errorf("imaging: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Header{}, fmt.Errorf("imaging: %w", err)
	}
	h, err := readHeader(f, st.Size())
	if err != nil {
		return Header{}, fmt.Errorf("imaging: %s: %w", path, err)
	}
	return h, nil
}

func readHeader(r io.ReaderAt, size int64) (Header, error) {
	var magic [4]byte
	if size < 132 {
		return Header{}, fmt.Errorf("%w: %d bytes, shorter than the 132-byte preamble and prefix (PS3.10 7.1)", ErrNotDICOM, size)
	}
	if _, err := r.ReadAt(magic[:], 128); err != nil {
		return Header{}, err
	}
	if string(magic[:]) != "DICM" {
		return Header{}, fmt.Errorf(`%w: no "DICM" at byte 128 (PS3.10 7.1)`, ErrNotDICOM)
	}
	var h Header
	scan, scanErr := scanDICOM(r, size, maxHeaderFragments)
	if scanErr == nil {
		h.HasPixelData = true
	} else {
		// The whole file is given to the parser; elements are then named by index.
		scan = &dcmScan{pixelElem: size}
	}
	dset, err := parseMeta(r, scan)
	if err != nil {
		if scanErr != nil {
			return Header{}, scanErr
		}
		return Header{}, err
	}
	ds := elems(dset.Elements)
	if scanErr != nil {
		// The whole-file parse is trusted when it found Pixel Data the scan could not
		// reach (e.g. an Icon Image Sequence with encapsulated pixels), or when the scan
		// walked the whole file and found none (a DICOMDIR, a report). Otherwise the
		// file is damaged (truncated…): the parser may have stopped early without error.
		h.HasPixelData = ds.find(tag.PixelData) != nil
		if !h.HasPixelData && !strings.HasPrefix(scanErr.Error(), "no Pixel Data") {
			return Header{}, scanErr
		}
	}
	if !h.HasPixelData {
		for _, t := range []tag.Tag{tag.SamplesPerPixel, tag.PhotometricInterpretation, tag.NumberOfFrames, tag.Rows, tag.Columns, tag.BitsAllocated} {
			if ds.find(t) != nil {
				return Header{}, fmt.Errorf("%s of the Image Pixel module but no Pixel Data (7FE0,0010): the file is cut short or damaged", tagName(t))
			}
		}
	}
	for _, s := range []struct {
		t   tag.Tag
		dst *string
	}{
		{tag.TransferSyntaxUID, &h.TransferSyntaxUID},
		{tag.SOPClassUID, &h.SOPClassUID},
		{tag.SOPInstanceUID, &h.SOPInstanceUID},
		{tag.Modality, &h.Modality},
		{tag.StudyInstanceUID, &h.StudyInstanceUID},
		{tag.SeriesInstanceUID, &h.SeriesInstanceUID},
		{tag.StudyDate, &h.StudyDate},
		{tag.StudyTime, &h.StudyTime},
		{tag.SeriesDate, &h.SeriesDate},
		{tag.SeriesTime, &h.SeriesTime},
		{tag.AcquisitionDate, &h.AcquisitionDate},
		{tag.AcquisitionTime, &h.AcquisitionTime},
		{tag.ContentDate, &h.ContentDate},
		{tag.ContentTime, &h.ContentTime},
		{tag.AcquisitionDateTime, &h.AcquisitionDateTime},
		{tag.ContrastBolusAgent, &h.ContrastBolusAgent},
		{tag.ContrastBolusStartTime, &h.ContrastBolusStartTime},
		{tag.PatientID, &h.Identity.PatientID},
		{tag.PatientName, &h.Identity.PatientName},
		{tag.PatientBirthDate, &h.Identity.BirthDate},
	} {
		*s.dst = strings.Trim(ds.str(s.t), " \x00")
	}
	if h.SOPClassUID == "" {
		h.SOPClassUID = strings.Trim(ds.str(tag.MediaStorageSOPClassUID), " \x00")
	}
	for _, s := range []struct {
		t   tag.Tag
		dst *int
	}{{tag.Rows, &h.Rows}, {tag.Columns, &h.Columns}, {tag.NumberOfFrames, &h.NumberOfFrames}} {
		n, _, err := ds.int1(s.t)
		if err != nil {
			return Header{}, err
		}
		*s.dst = n
	}
	if h.NumberOfFrames == 0 && h.HasPixelData {
		h.NumberOfFrames = 1
	}
	for _, s := range []struct {
		t   tag.Tag
		dst *float64
	}{{tag.FrameTime, &h.FrameTime}, {tag.CineRate, &h.CineRate}, {tag.RecommendedDisplayFrameRate, &h.RecommendedDisplayFrameRate}} {
		v, ok, err := ds.floats(s.t)
		if err != nil {
			return Header{}, err
		}
		if ok {
			*s.dst = v[0]
		}
	}
	ftv, _, err := ds.floats(tag.FrameTimeVector)
	if err != nil {
		return Header{}, err
	}
	h.FrameTimeVector = ftv
	if regs, err := ultrasoundRegions(ds); err == nil {
		h.Regions = regs
	}
	return h, nil
}

// Timing sources named by Header.FrameRate.
const (
	RateFrameTimeVector = "Frame Time Vector (0018,1065)"
	RateFrameTime       = "Frame Time (0018,1063)"
	RateCineRate        = "Cine Rate (0018,0040)"
	RateRecommended     = "Recommended Display Frame Rate (0008,2144)"
)

// FrameRate returns the cine's frame rate in frames per second and the attribute it
// came from, in the order the cine reader uses them (PS3.3 C.7.6.5): Frame Time Vector
// ((frames − 1) / the sum of its increments), Frame Time (1000 / ms), Cine Rate, then
// Recommended Display Frame Rate, which the cine reader does not use (a manifest that
// names the rate fills that gap). ok is false when none gives a positive, finite rate
// (or the Frame Time Vector does not have one value per frame).
func (h Header) FrameRate() (rate float64, source string, ok bool) {
	n := h.NumberOfFrames
	if len(h.FrameTimeVector) > 0 {
		if len(h.FrameTimeVector) != n || n < 2 {
			return 0, "", false
		}
		sum := 0.0
		for _, v := range h.FrameTimeVector[1:] {
			if !(v > 0) {
				return 0, "", false
			}
			sum += v
		}
		return fin(float64(n-1)*1000/sum, RateFrameTimeVector)
	}
	if h.FrameTime > 0 {
		return fin(1000/h.FrameTime, RateFrameTime)
	}
	if h.CineRate > 0 {
		return fin(h.CineRate, RateCineRate)
	}
	if h.RecommendedDisplayFrameRate > 0 {
		return fin(h.RecommendedDisplayFrameRate, RateRecommended)
	}
	return 0, "", false
}

func fin(v float64, src string) (float64, string, bool) {
	if math.IsInf(v, 0) || math.IsNaN(v) || v <= 0 {
		return 0, "", false
	}
	return v, src, true
}

// Duration returns the time from the first to the last frame in seconds, from the
// frame rate (see FrameRate); ok is false when the rate is unknown.
func (h Header) Duration() (float64, bool) {
	r, _, ok := h.FrameRate()
	if !ok || h.NumberOfFrames < 1 {
		return 0, false
	}
	return float64(h.NumberOfFrames-1) / r, true
}

// FirstFrameTime returns the time of day of the cine's first frame in seconds after
// midnight and the attribute it came from: the time part of Acquisition DateTime
// (0008,002A), else Acquisition Time (0008,0032), else Content Time (0008,0033)
// (PS3.3 C.7.6.1: the time the acquisition of the image data, or the creation of the
// pixel data, started).
func (h Header) FirstFrameTime() (sec float64, source string, ok bool) {
	if dt := h.AcquisitionDateTime; len(dt) > 8 {
		if s, ok := ParseDICOMTime(dt[8:]); ok {
			return s, "Acquisition DateTime (0008,002A)", true
		}
	}
	if s, ok := ParseDICOMTime(h.AcquisitionTime); ok {
		return s, "Acquisition Time (0008,0032)", true
	}
	if s, ok := ParseDICOMTime(h.ContentTime); ok {
		return s, "Content Time (0008,0033)", true
	}
	return 0, "", false
}

// ParseDICOMTime parses a TM value (PS3.5 6.2: HH, HHMM, HHMMSS or HHMMSS.FFFFFF, and
// the ACR-NEMA form HH:MM:SS.FFFFFF that older equipment still writes) into seconds
// after midnight. A DT value's UTC offset (+HHMM / -HHMM), if left on, is ignored.
func ParseDICOMTime(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "+-"); i >= 0 {
		s = s[:i]
	}
	s = strings.ReplaceAll(s, ":", "")
	if s == "" {
		return 0, false
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(whole) != 2 && len(whole) != 4 && len(whole) != 6 {
		return 0, false
	}
	var parts [3]int
	for i := 0; i < len(whole); i += 2 {
		v, err := strconv.Atoi(whole[i : i+2])
		if err != nil || v < 0 {
			return 0, false
		}
		parts[i/2] = v
	}
	if parts[0] > 23 || parts[1] > 59 || parts[2] > 60 {
		return 0, false
	}
	sec := float64(parts[0]*3600 + parts[1]*60 + parts[2])
	if frac != "" {
		if len(whole) != 6 || len(frac) > 6 || strings.Trim(frac, "0123456789") != "" {
			return 0, false
		}
		f, err := strconv.ParseFloat("0."+frac, 64)
		if err != nil {
			return 0, false
		}
		sec += f
	}
	return sec, true
}
