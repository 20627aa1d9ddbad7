// Package dcmtest writes small DICOM Part 10 files for tests: a patient, a study, a
// series and an 8-bit MONOCHROME2 image of one or more frames, in explicit VR little
// endian (PS3.5 7.1.2, PS3.10 7.1). It sets the attributes an importer of a PACS export
// reads — patient identity, study and series UIDs, dates and times, Contrast/Bolus
// Agent and Start Time, frame timing — which imaging.WriteDICOMCine does not. It is for
// tests only: the files are checked against pydicom in its own test.
package dcmtest

import (
	"encoding/binary"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

// SOP classes (PS3.4 B.5).
const (
	USMultiFrame = "1.2.840.10008.5.1.4.1.1.3.1" // Ultrasound Multi-frame Image Storage
	USImage      = "1.2.840.10008.5.1.4.1.1.6.1" // Ultrasound Image Storage
	CTImage      = "1.2.840.10008.5.1.4.1.1.2"   // CT Image Storage
)

// File describes one file. Empty strings and zero numbers are left out (or written
// empty where the attribute is type 2).
type File struct {
	SOPClassUID, Modality               string
	PatientID, PatientName, BirthDate   string
	StudyUID, SeriesUID, SOPInstanceUID string
	StudyDate, StudyTime                string
	AcquisitionTime, ContentTime        string
	ContrastAgent, ContrastStartTime    string
	Frames, Rows, Columns               int     // Frames > 1 writes Number of Frames
	FrameTimeMS                         float64 // Frame Time (0018,1063)
	FrameTimeVectorMS                   []float64
	CineRate, RecommendedFrameRate      int
	Value                               byte // every pixel's value
}

type elem struct {
	g, e uint16
	vr   string
	v    []byte
}

func str(g, e uint16, vr, s string) elem {
	b := []byte(s)
	if len(b)%2 == 1 {
		if vr == "UI" {
			b = append(b, 0)
		} else {
			b = append(b, ' ')
		}
	}
	return elem{g, e, vr, b}
}

func us(g, e uint16, v int) elem {
	return elem{g, e, "US", binary.LittleEndian.AppendUint16(nil, uint16(v))}
}

func ds(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func (x elem) bytes() []byte {
	b := binary.LittleEndian.AppendUint16(nil, x.g)
	b = binary.LittleEndian.AppendUint16(b, x.e)
	b = append(b, x.vr...)
	switch x.vr {
	case "OB", "OW", "SQ", "UN", "UT":
		b = append(b, 0, 0)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(x.v)))
	default:
		b = binary.LittleEndian.AppendUint16(b, uint16(len(x.v)))
	}
	return append(b, x.v...)
}

// Write writes f to path.
func Write(path string, f File) error {
	if f.Rows < 1 || f.Columns < 1 {
		return fmt.Errorf("dcmtest: %s: %d×%d pixels", path, f.Columns, f.Rows)
	}
	frames := max(f.Frames, 1)
	sop := f.SOPInstanceUID
	if sop == "" {
		sop = "2.25." + strconv.FormatUint(hash(path), 10)
	}
	es := []elem{
		str(0x0008, 0x0016, "UI", f.SOPClassUID),
		str(0x0008, 0x0018, "UI", sop),
		str(0x0008, 0x0020, "DA", f.StudyDate),
		str(0x0008, 0x0030, "TM", f.StudyTime),
		str(0x0008, 0x0060, "CS", f.Modality),
		str(0x0010, 0x0010, "PN", f.PatientName),
		str(0x0010, 0x0020, "LO", f.PatientID),
		str(0x0010, 0x0030, "DA", f.BirthDate),
		str(0x0020, 0x000D, "UI", f.StudyUID),
		str(0x0020, 0x000E, "UI", f.SeriesUID),
		us(0x0028, 0x0002, 1),
		str(0x0028, 0x0004, "CS", "MONOCHROME2"),
		us(0x0028, 0x0010, f.Rows),
		us(0x0028, 0x0011, f.Columns),
		us(0x0028, 0x0100, 8),
		us(0x0028, 0x0101, 8),
		us(0x0028, 0x0102, 7),
		us(0x0028, 0x0103, 0),
	}
	opt := func(g, e uint16, vr, s string) {
		if s != "" {
			es = append(es, str(g, e, vr, s))
		}
	}
	opt(0x0008, 0x0032, "TM", f.AcquisitionTime)
	opt(0x0008, 0x0033, "TM", f.ContentTime)
	opt(0x0018, 0x0010, "LO", f.ContrastAgent)
	opt(0x0018, 0x1042, "TM", f.ContrastStartTime)
	if f.FrameTimeMS > 0 {
		opt(0x0018, 0x1063, "DS", ds(f.FrameTimeMS))
	}
	if len(f.FrameTimeVectorMS) > 0 {
		v := make([]string, len(f.FrameTimeVectorMS))
		for i, x := range f.FrameTimeVectorMS {
			v[i] = ds(x)
		}
		opt(0x0018, 0x1065, "DS", strings.Join(v, `\`))
	}
	if f.CineRate > 0 {
		opt(0x0018, 0x0040, "IS", strconv.Itoa(f.CineRate))
	}
	if f.RecommendedFrameRate > 0 {
		opt(0x0008, 0x2144, "IS", strconv.Itoa(f.RecommendedFrameRate))
	}
	if f.Frames > 1 {
		opt(0x0028, 0x0008, "IS", strconv.Itoa(f.Frames))
	}
	sort.Slice(es, func(i, j int) bool {
		if es[i].g != es[j].g {
			return es[i].g < es[j].g
		}
		return es[i].e < es[j].e
	})
	n := frames * f.Rows * f.Columns
	px := make([]byte, n+n%2)
	for i := 0; i < n; i++ {
		px[i] = f.Value
	}
	es = append(es, elem{0x7FE0, 0x0010, "OB", px})

	var meta []byte
	for _, e := range []elem{
		{0x0002, 0x0001, "OB", []byte{0, 1}},
		str(0x0002, 0x0002, "UI", f.SOPClassUID),
		str(0x0002, 0x0003, "UI", sop),
		str(0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1"),
		str(0x0002, 0x0012, "UI", "2.25.1"),
	} {
		meta = append(meta, e.bytes()...)
	}
	out := make([]byte, 128, 128+len(meta)+n+4096)
	out = append(out, "DICM"...)
	out = append(out, elem{0x0002, 0x0000, "UL", binary.LittleEndian.AppendUint32(nil, uint32(len(meta)))}.bytes()...)
	out = append(out, meta...)
	for _, e := range es {
		out = append(out, e.bytes()...)
	}
	return os.WriteFile(path, out, 0o644)
}

// hash is FNV-1a of s, for a per-file SOP Instance UID.
func hash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
