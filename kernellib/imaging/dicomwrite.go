package imaging

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/png"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// CineMeta describes a cine to write.
type CineMeta struct {
	PatientID      string
	FrameTimes     []float64 // seconds, one per frame, increasing; written as Frame Time Vector (0018,1065) (ms increments, first 0) and Frame Time (0018,1063) = mean increment
	PixelSpacingMM float64   // physical size of a pixel; written as Pixel Spacing and as a Sequence of Ultrasound Regions (0018,6011) with Physical Delta X/Y in cm (units code 3)
	Description    string    // Series Description
}

// DICOM UIDs used by the writer and the reader.
const (
	uidUSMultiframe       = "1.2.840.10008.5.1.4.1.1.3.1" // Ultrasound Multi-frame Image Storage
	uidImplicitLE         = "1.2.840.10008.1.2"
	uidExplicitLE         = "1.2.840.10008.1.2.1"
	uidExplicitBE         = "1.2.840.10008.1.2.2"
	uidDeflatedExplicitLE = "1.2.840.10008.1.2.1.99"
	uidJPEGBaseline       = "1.2.840.10008.1.2.4.50"
	implementationVersion = "CEUSRAD_IMG_1" // (0002,0013), SH, at most 16 characters
)

// implementationClassUID identifies this writer in (0002,0012): a UUID-derived UID
// (PS3.5 B.2, root 2.25) of the name of the package.
var implementationClassUID = uuidUID(sha256.Sum256([]byte("github.com/ceusrad/ceusrad/kernellib/imaging DICOM writer")))

// uuidUID turns a SHA-256 digest into a UID under the root 2.25 (PS3.5 B.2, ISO/IEC
// 9834-8): the first 16 bytes become an RFC 9562 version-8 UUID whose most significant
// bit is also set, so that its decimal form always has 39 digits (UIDs of fixed length
// 44 let the streaming writer patch them in place).
func uuidUID(h [32]byte) string {
	var u [16]byte
	copy(u[:], h[:16])
	u[0] |= 0x80
	u[6] = u[6]&0x0f | 0x80 // version 8
	u[8] = u[8]&0x3f | 0x80 // variant 10
	return "2.25." + new(big.Int).SetBytes(u[:]).String()
}

const uidLen = 44 // len(uuidUID(...))

// WriteDICOMCine writes an Ultrasound Multi-frame Image Storage (1.2.840.10008.5.1.4.1.1.3.1) file, 8-bit MONOCHROME2, native (uncompressed) pixel data, explicit VR little endian.
//
// The file follows DICOM PS3.10 (preamble, "DICM", File Meta Information) and PS3.3
// A.7 (US Multi-frame Image IOD): Patient, General Study/Series/Equipment, Image Pixel,
// Cine (Frame Time, Frame Time Vector, Frame Increment Pointer = Frame Time Vector),
// Multi-frame and US Region Calibration (one 2D tissue region covering the image)
// modules. Type 2 attributes without a value (dates, names) are written empty. The
// Study, Series and SOP Instance UIDs are derived from a SHA-256 of the content (see
// uuidUID), so the same input gives the same bytes. All frames must have the same size;
// meta.FrameTimes must hold one strictly increasing time per frame; times are written
// relative to the first frame, in ms, in DS strings of at most 16 characters.
func WriteDICOMCine(path string, frames []*image.Gray, meta CineMeta) error {
	if len(frames) == 0 {
		return fmt.Errorf("imaging: WriteDICOMCine %s: no frames", path)
	}
	b := frames[0].Bounds()
	for i, f := range frames {
		if f == nil || f.Bounds().Dx() != b.Dx() || f.Bounds().Dy() != b.Dy() {
			return fmt.Errorf("imaging: WriteDICOMCine %s: frame %d is nil or not %d×%d like frame 0", path, i, b.Dx(), b.Dy())
		}
	}
	return WriteDICOMCineFunc(path, b.Dx(), b.Dy(), len(frames), func(i int) (*image.Gray, error) { return frames[i], nil }, meta)
}

// WriteDICOMCineFunc writes the same file as WriteDICOMCine for n frames of
// width×height pixels obtained one at a time from frame(0), ..., frame(n-1), so that a
// long cine can be written without holding it in memory. frame is called once per
// index, in order; its image is not retained. The UIDs, which depend on the pixels, are
// written last, into their fixed-length places.
func WriteDICOMCineFunc(path string, width, height, n int, frame func(i int) (*image.Gray, error), meta CineMeta) (err error) {
	fail := func(format string, a ...any) error {
		return fmt.Errorf("imaging: WriteDICOMCine %s: "+format, append([]any{path}, a...)...)
	}
	if n < 1 || width < 1 || height < 1 || width > 65535 || height > 65535 {
		return fail("%d frames of %d×%d pixels: want at least one frame and 1..65535 rows and columns", n, width, height)
	}
	if uint64(n)*uint64(width)*uint64(height) >= math.MaxUint32-1 {
		return fail("%d frames of %d×%d pixels do not fit the 32-bit length of Pixel Data", n, width, height)
	}
	if len(meta.FrameTimes) != n {
		return fail("CineMeta.FrameTimes has %d times for %d frames", len(meta.FrameTimes), n)
	}
	for i, t := range meta.FrameTimes {
		if math.IsNaN(t) || math.IsInf(t, 0) || (i > 0 && !(t > meta.FrameTimes[i-1])) {
			return fail("CineMeta.FrameTimes[%d] = %v: want finite, strictly increasing times", i, t)
		}
	}
	if !(meta.PixelSpacingMM > 0) || math.IsInf(meta.PixelSpacingMM, 0) {
		return fail("CineMeta.PixelSpacingMM = %v: want a positive size in mm", meta.PixelSpacingMM)
	}
	if err := checkLO("CineMeta.PatientID", meta.PatientID); err != nil {
		return fail("%v", err)
	}
	if err := checkLO("CineMeta.Description", meta.Description); err != nil {
		return fail("%v", err)
	}

	// Frame Time Vector: increments in ms, the first 0 (PS3.3 C.7.6.5.1.2).
	ftv := make([]string, n)
	ftv[0] = "0"
	for i := 1; i < n; i++ {
		ftv[i] = formatDS(1000 * (meta.FrameTimes[i] - meta.FrameTimes[i-1]))
	}
	ftvStr := strings.Join(ftv, `\`)
	if len(ftvStr) > 65534 {
		return fail("Frame Time Vector of %d frames needs %d bytes, more than the 65534 an explicit-VR DS can hold", n, len(ftvStr))
	}
	frameTime := "0"
	if n > 1 {
		frameTime = formatDS(1000 * (meta.FrameTimes[n-1] - meta.FrameTimes[0]) / float64(n-1))
	}
	spacing := formatDS(meta.PixelSpacingMM)

	placeholder := strings.Repeat("9", uidLen)
	var ds enc
	ds.str(0x0008, 0x0008, "CS", `DERIVED\PRIMARY`)
	ds.str(0x0008, 0x0016, "UI", uidUSMultiframe)
	posSOP := ds.str(0x0008, 0x0018, "UI", placeholder)
	ds.str(0x0008, 0x0020, "DA", "")
	ds.str(0x0008, 0x0030, "TM", "")
	ds.str(0x0008, 0x0050, "SH", "")
	ds.str(0x0008, 0x0060, "CS", "US")
	ds.str(0x0008, 0x0070, "LO", "ceusrad")
	ds.str(0x0008, 0x0090, "PN", "")
	ds.str(0x0008, 0x103E, "LO", meta.Description)
	ds.str(0x0010, 0x0010, "PN", meta.PatientID)
	ds.str(0x0010, 0x0020, "LO", meta.PatientID)
	ds.str(0x0010, 0x0030, "DA", "")
	ds.str(0x0010, 0x0040, "CS", "")
	ds.str(0x0018, 0x1063, "DS", frameTime)
	ds.str(0x0018, 0x1065, "DS", ftvStr)
	var region enc               // PS3.3 C.8.5.5.1
	region.us(0x0018, 0x6012, 1) // Region Spatial Format: 2D
	region.us(0x0018, 0x6014, 1) // Region Data Type: tissue
	region.ul(0x0018, 0x6016, 0) // Region Flags
	region.ul(0x0018, 0x6018, 0) // Region Location Min X0
	region.ul(0x0018, 0x601A, 0) // Region Location Min Y0
	region.ul(0x0018, 0x601C, uint32(width-1))
	region.ul(0x0018, 0x601E, uint32(height-1))
	region.us(0x0018, 0x6024, 3) // Physical Units X Direction: cm
	region.us(0x0018, 0x6026, 3) // Physical Units Y Direction: cm
	region.fd(0x0018, 0x602C, meta.PixelSpacingMM/10)
	region.fd(0x0018, 0x602E, meta.PixelSpacingMM/10)
	ds.sq(0x0018, 0x6011, region.b)
	posStudy := ds.str(0x0020, 0x000D, "UI", placeholder)
	posSeries := ds.str(0x0020, 0x000E, "UI", placeholder)
	ds.str(0x0020, 0x0010, "SH", "")
	ds.str(0x0020, 0x0011, "IS", "1")
	ds.str(0x0020, 0x0013, "IS", "1")
	ds.str(0x0020, 0x0020, "CS", "")
	ds.us(0x0028, 0x0002, 1)
	ds.str(0x0028, 0x0004, "CS", "MONOCHROME2")
	ds.str(0x0028, 0x0008, "IS", strconv.Itoa(n))
	ds.at(0x0028, 0x0009, 0x0018, 0x1065)
	ds.us(0x0028, 0x0010, uint16(height))
	ds.us(0x0028, 0x0011, uint16(width))
	ds.str(0x0028, 0x0030, "DS", spacing+`\`+spacing)
	ds.us(0x0028, 0x0100, 8)
	ds.us(0x0028, 0x0101, 8)
	ds.us(0x0028, 0x0102, 7)
	ds.us(0x0028, 0x0103, 0)
	ds.str(0x0028, 0x2110, "CS", "00")
	pixLen := n * width * height
	ds.header(0x7FE0, 0x0010, "OB", uint32(pixLen+pixLen%2))

	var fmi enc
	fmi.ob(0x0002, 0x0001, []byte{0, 1})
	fmi.str(0x0002, 0x0002, "UI", uidUSMultiframe)
	posMetaSOP := fmi.str(0x0002, 0x0003, "UI", placeholder)
	fmi.str(0x0002, 0x0010, "UI", uidExplicitLE)
	fmi.str(0x0002, 0x0012, "UI", implementationClassUID)
	fmi.str(0x0002, 0x0013, "SH", implementationVersion)
	var group enc
	group.ul(0x0002, 0x0000, uint32(len(fmi.b)))

	// Written to a temporary file beside path and renamed into place when whole
	// (safeio.Create): a failure half-way leaves any previous file untouched.
	f, err := safeio.Create(path)
	if err != nil {
		return fmt.Errorf("imaging: WriteDICOMCine: %w", err)
	}
	defer f.Abort()
	w := bufio.NewWriterSize(f, 1<<16)
	head := make([]byte, 128, 132)
	head = append(head, "DICM"...)
	fmiStart := int64(len(head) + len(group.b))
	dsStart := fmiStart + int64(len(fmi.b))
	for _, p := range [][]byte{head, group.b, fmi.b, ds.b} {
		if _, err := w.Write(p); err != nil {
			return fmt.Errorf("imaging: WriteDICOMCine: %w", err)
		}
	}

	// The content hash covers everything but the UIDs, then the pixels.
	h := sha256.New()
	h.Write(ds.b)
	row := make([]byte, width)
	for i := 0; i < n; i++ {
		img, err := frame(i)
		if err != nil {
			return fail("frame %d: %v", i, err)
		}
		if img == nil || img.Bounds().Dx() != width || img.Bounds().Dy() != height {
			return fail("frame %d is nil or not %d×%d", i, width, height)
		}
		r := img.Bounds()
		for y := r.Min.Y; y < r.Max.Y; y++ {
			o := img.PixOffset(r.Min.X, y)
			copy(row, img.Pix[o:o+width])
			h.Write(row)
			if _, err := w.Write(row); err != nil {
				return fmt.Errorf("imaging: WriteDICOMCine: %w", err)
			}
		}
	}
	if pixLen%2 == 1 {
		if err := w.WriteByte(0); err != nil {
			return fmt.Errorf("imaging: WriteDICOMCine: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("imaging: WriteDICOMCine: %w", err)
	}
	var sum [32]byte
	h.Sum(sum[:0])
	uid := func(label string) []byte {
		return []byte(uuidUID(sha256.Sum256(append(sum[:], label...))))
	}
	sop, study, series := uid("sop"), uid("study"), uid("series")
	for _, p := range []struct {
		at  int64
		uid []byte
	}{{fmiStart + int64(posMetaSOP), sop}, {dsStart + int64(posSOP), sop}, {dsStart + int64(posStudy), study}, {dsStart + int64(posSeries), series}} {
		if _, err := f.WriteAt(p.uid, p.at); err != nil {
			return fmt.Errorf("imaging: WriteDICOMCine: %w", err)
		}
	}
	if err := f.Commit(); err != nil {
		return fmt.Errorf("imaging: WriteDICOMCine: %w", err)
	}
	return nil
}

// checkLO checks a value for a LO/PN attribute: at most 64 characters, printable,
// no backslash (PS3.5 6.2).
func checkLO(field, s string) error {
	if len(s) > 64 {
		return fmt.Errorf("%s has %d characters, at most 64 fit a LO attribute", field, len(s))
	}
	for _, r := range s {
		if r < 0x20 || r > 0x7e || r == '\\' {
			return fmt.Errorf("%s = %q: want printable ASCII without backslash", field, s)
		}
	}
	return nil
}

// formatDS formats v as a DICOM Decimal String (PS3.5 6.2: at most 16 characters),
// with as many significant digits as fit.
func formatDS(v float64) string {
	if s := strconv.FormatFloat(v, 'f', -1, 64); len(s) <= 16 {
		return s
	}
	for p := 15; p > 0; p-- {
		s := strconv.FormatFloat(v, 'g', p, 64)
		if len(s) <= 16 {
			return s
		}
	}
	return strconv.FormatFloat(v, 'g', 1, 64)
}

// enc builds explicit VR little endian elements (PS3.5 7.1.2).
type enc struct{ b []byte }

func longVR(vr string) bool {
	switch vr {
	case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV":
		return true
	}
	return false
}

func (e *enc) header(g, el uint16, vr string, length uint32) {
	e.b = binary.LittleEndian.AppendUint16(e.b, g)
	e.b = binary.LittleEndian.AppendUint16(e.b, el)
	e.b = append(e.b, vr...)
	if longVR(vr) {
		e.b = append(e.b, 0, 0)
		e.b = binary.LittleEndian.AppendUint32(e.b, length)
	} else {
		e.b = binary.LittleEndian.AppendUint16(e.b, uint16(length))
	}
}

// str writes a string element padded to even length (UI with NUL, others with a
// space) and returns the offset of its value.
func (e *enc) str(g, el uint16, vr, s string) int {
	v := []byte(s)
	if len(v)%2 == 1 {
		if vr == "UI" {
			v = append(v, 0)
		} else {
			v = append(v, ' ')
		}
	}
	e.header(g, el, vr, uint32(len(v)))
	at := len(e.b)
	e.b = append(e.b, v...)
	return at
}

func (e *enc) ob(g, el uint16, v []byte) {
	e.header(g, el, "OB", uint32(len(v)+len(v)%2))
	e.b = append(e.b, v...)
	if len(v)%2 == 1 {
		e.b = append(e.b, 0)
	}
}

func (e *enc) us(g, el uint16, v uint16) {
	e.header(g, el, "US", 2)
	e.b = binary.LittleEndian.AppendUint16(e.b, v)
}

func (e *enc) ul(g, el uint16, v uint32) {
	e.header(g, el, "UL", 4)
	e.b = binary.LittleEndian.AppendUint32(e.b, v)
}

func (e *enc) fd(g, el uint16, v float64) {
	e.header(g, el, "FD", 8)
	e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(v))
}

func (e *enc) at(g, el uint16, tg, te uint16) {
	e.header(g, el, "AT", 4)
	e.b = binary.LittleEndian.AppendUint16(e.b, tg)
	e.b = binary.LittleEndian.AppendUint16(e.b, te)
}

// sq writes a sequence of defined length with one item of defined length.
func (e *enc) sq(g, el uint16, items ...[]byte) {
	total := 0
	for _, it := range items {
		total += 8 + len(it)
	}
	e.header(g, el, "SQ", uint32(total))
	for _, it := range items {
		e.b = binary.LittleEndian.AppendUint16(e.b, 0xFFFE)
		e.b = binary.LittleEndian.AppendUint16(e.b, 0xE000)
		e.b = binary.LittleEndian.AppendUint32(e.b, uint32(len(it)))
		e.b = append(e.b, it...)
	}
}

// WritePNG writes img (Gray, Gray16, RGBA...) as PNG.
//
// The encoding is Go's image/png (PNG, ISO/IEC 15948): 8-bit grey for *image.Gray,
// 16-bit grey for *image.Gray16, and the matching colour type otherwise. The file is
// written to a temporary file beside path and renamed into place when whole, so a
// failure leaves any previous file untouched.
func WritePNG(path string, img image.Image) (err error) {
	if img == nil {
		return errors.New("imaging: WritePNG " + path + ": nil image")
	}
	f, err := safeio.Create(path)
	if err != nil {
		return fmt.Errorf("imaging: WritePNG: %w", err)
	}
	defer f.Abort()
	w := bufio.NewWriter(f)
	if err := png.Encode(w, img); err != nil {
		return fmt.Errorf("imaging: WritePNG %s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("imaging: WritePNG: %w", err)
	}
	if err := f.Commit(); err != nil {
		return fmt.Errorf("imaging: WritePNG: %w", err)
	}
	return nil
}
