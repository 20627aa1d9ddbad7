package imaging

import (
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/suyashkumar/dicom/pkg/tag"
)

// dcmScan is the element structure of a DICOM Part 10 file as far as the top-level
// Pixel Data element, found by scanDICOM without decoding any value but the transfer
// syntax. Every value length is checked against its container, so that what is handed
// on to the metadata parser, and every later read, is bounded by the file.
type dcmScan struct {
	ts         string // Transfer Syntax UID (0002,0010)
	bo         binary.ByteOrder
	implicit   bool
	pixelElem  int64  // offset of the Pixel Data tag
	pixelValue int64  // offset of its value (native) or of its first item (encapsulated)
	pixelLen   uint32 // value length; undefinedLength for encapsulated data
	pixelVR    string
	bot        []uint32   // encapsulated: the Basic Offset Table (PS3.5 A.4)
	fragments  [][2]int64 // encapsulated: offset and length of each fragment's bytes
	// top holds the offset of every top-level element of the data set before Pixel
	// Data, in file order, so that a failure of the metadata parser can be traced to the
	// element it was reading.
	top []int64
	// values records, for the top-level elements that bound others (see boundedTags),
	// the offset and length of their value.
	values map[tag.Tag][2]int64
}

const undefinedLength = 0xFFFFFFFF

// dcmScanner walks the elements of r (size bytes).
type dcmScanner struct {
	r         io.ReaderAt
	size      int64
	bo        binary.ByteOrder
	implicit  bool
	buf       [12]byte
	elems     int
	maxFrags  int
	lastItems int // the number of items of the sequence scanned last
}

// limits of the structure scan: nesting depth of sequences and the number of elements.
const (
	maxSeqDepth = 32
	maxElements = 1 << 20
)

// Bounds on the values handed to the metadata parser, which expands them in memory
// (a 2-byte DS value becomes a 16-byte string header plus its bytes; a US value an
// 8-byte int): multi-valued text and binary numbers, sequence items, and LUT data
// (PS3.3 C.7.6.3.1.6: at most 65536 entries of 16 bits; C.7.9.2 segmented LUTs).
const (
	maxMultiValueBytes = 2 << 20
	maxLUTBytes        = 2 * 65536
	maxSegmentedBytes  = 2 * 65536
	maxRegions         = 64 // items of the Sequence of Ultrasound Regions (0018,6011)
)

// multiValueVR are the value representations whose values the parser splits into
// one Go value each (PS3.5 6.2).
var multiValueVR = map[string]bool{
	"AE": true, "AS": true, "CS": true, "DA": true, "DS": true, "DT": true, "IS": true, "LO": true,
	"PN": true, "SH": true, "TM": true, "UC": true, "UI": true,
	"US": true, "SS": true, "UL": true, "SL": true, "FL": true, "FD": true, "AT": true, "UV": true, "SV": true,
}

// boundedTags are the top-level elements whose value the reader checks against the
// rest of the header before the metadata parser reads them.
var boundedTags = map[tag.Tag]bool{tag.NumberOfFrames: true, tag.FrameTimeVector: true}

// lutDataTags are the Palette Color Lookup Table Data elements (PS3.3 C.7.6.3.1.6)
// and their segmented forms (C.7.9.2).
var lutDataTags = map[tag.Tag]int64{
	{Group: 0x0028, Element: 0x1201}: maxLUTBytes, {Group: 0x0028, Element: 0x1202}: maxLUTBytes,
	{Group: 0x0028, Element: 0x1203}: maxLUTBytes, {Group: 0x0028, Element: 0x1204}: maxLUTBytes,
	{Group: 0x0028, Element: 0x1221}: maxSegmentedBytes, {Group: 0x0028, Element: 0x1222}: maxSegmentedBytes,
	{Group: 0x0028, Element: 0x1223}: maxSegmentedBytes, {Group: 0x0028, Element: 0x1224}: maxSegmentedBytes,
}

// checkValueLength refuses a value longer than the reader's bounds before it is read.
func checkValueLength(t tag.Tag, vr string, vl uint32, pos int64) error {
	if vl == undefinedLength {
		return nil
	}
	if lim, ok := lutDataTags[t]; ok && int64(vl) > lim {
		return fmt.Errorf("%s at byte %d has %d bytes; a lookup table holds at most %d (PS3.3 C.7.6.3.1.6)", tagName(t), pos, vl, lim)
	}
	if multiValueVR[vr] && vl > maxMultiValueBytes && t != tag.FrameTimeVector {
		return fmt.Errorf("%s at byte %d has %d bytes of %s values, more than the limit of %d", tagName(t), pos, vl, vr, maxMultiValueBytes)
	}
	return nil
}

// checkItems bounds the number of items of the sequence t just scanned.
func (s *dcmScanner) checkItems(t tag.Tag, depth int) error {
	if depth == 0 && t == tag.SequenceOfUltrasoundRegions && s.lastItems > maxRegions {
		return fmt.Errorf("Sequence of Ultrasound Regions (0018,6011) has %d items, more than the limit of %d", s.lastItems, maxRegions)
	}
	return nil
}

// undefinedValue skips the value of undefined length of element t (header at pos,
// value at valueAt) and returns the position after it: a sequence (SQ, or UN which
// PS3.5 6.2.2 says to read as an implicit VR sequence) or encapsulated data (OB/OW,
// PS3.5 A.4), such as the Pixel Data of an Icon Image Sequence (0088,0200) item.
func (s *dcmScanner) undefinedValue(t tag.Tag, vr string, valueAt, pos int64, depth int) (int64, error) {
	switch vr {
	case "SQ", tag.UnknownVR:
		p, err := s.sequence(valueAt, 0, true, depth+1)
		if err != nil {
			return 0, err
		}
		return p, s.checkItems(t, depth)
	case "OB", "OW":
		return s.skipFragments(valueAt)
	}
	return 0, fmt.Errorf("element (%04X,%04X) at byte %d has VR %s and undefined length; only sequences and encapsulated pixel data may", t.Group, t.Element, pos, vr)
}

// skipFragments walks the items of encapsulated data of undefined length (PS3.5 A.4)
// that is not the image, and returns the position after its Sequence Delimitation Item.
func (s *dcmScanner) skipFragments(pos int64) (int64, error) {
	for {
		s.elems++
		if s.elems > maxElements {
			return 0, fmt.Errorf("more than %d data elements", maxElements)
		}
		h, err := s.read(pos, 8)
		if err != nil {
			return 0, fmt.Errorf("encapsulated data: %w", err)
		}
		t := tag.Tag{Group: s.bo.Uint16(h[0:2]), Element: s.bo.Uint16(h[2:4])}
		vl := s.bo.Uint32(h[4:8])
		pos += 8
		if t == tag.SequenceDelimitationItem {
			return pos, nil
		}
		if t != tag.Item || vl == undefinedLength || pos+int64(vl) > s.size {
			return 0, fmt.Errorf("encapsulated data: item of defined length within the file expected at byte %d, found tag (%04X,%04X) length %d", pos-8, t.Group, t.Element, vl)
		}
		pos += int64(vl)
	}
}

func (s *dcmScanner) read(off int64, n int) ([]byte, error) {
	if off < 0 || off+int64(n) > s.size {
		return nil, fmt.Errorf("truncated at byte %d (needs %d more bytes, file has %d)", off, n, s.size)
	}
	b := s.buf[:n]
	if _, err := s.r.ReadAt(b, off); err != nil {
		return nil, fmt.Errorf("reading at byte %d: %w", off, err)
	}
	return b, nil
}

// scanDICOM checks the Part 10 framing (PS3.10 7.1: 128-byte preamble, "DICM", File Meta
// Information group 0002 in explicit VR little endian), reads the transfer syntax and
// walks the data set (PS3.5 7.1: data elements, 7.5: nested data sets) until the
// top-level Pixel Data (7FE0,0010). For encapsulated pixel data (PS3.5 A.4) it records
// the Basic Offset Table and each fragment. maxFrags bounds the number of fragments.
func scanDICOM(r io.ReaderAt, size int64, maxFrags int) (*dcmScan, error) {
	s := &dcmScanner{r: r, size: size, bo: binary.LittleEndian, maxFrags: maxFrags}
	ts, pos, err := fileMeta(s)
	if err != nil {
		return nil, err
	}
	out := &dcmScan{ts: ts}
	// The transfer syntax is checked here, before anything is handed to the metadata
	// parser (which fails on syntaxes it does not know).
	switch {
	case out.ts == "":
		return nil, fmt.Errorf("no Transfer Syntax UID (0002,0010) in the file meta information")
	case !readsNatively(out.ts):
		return nil, fmt.Errorf("Transfer Syntax UID (0002,0010) = %s is not supported (want %s)", syntaxLabel(out.ts), supportedSyntaxes)
	case out.ts == uidImplicitLE:
		s.implicit = true
	case out.ts == uidExplicitBE:
		s.bo = binary.BigEndian
	}
	out.bo, out.implicit = s.bo, s.implicit
	found, err := s.walk(pos, size, 0, out)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("no Pixel Data (7FE0,0010) in the data set")
	}
	return out, nil
}

// fileMeta reads the File Meta Information (PS3.10 7.1: group 0002 in explicit VR
// little endian after the preamble and "DICM") and returns the Transfer Syntax UID and
// the offset of the data set.
func fileMeta(s *dcmScanner) (ts string, dataset int64, err error) {
	b, err := s.read(128, 4)
	if err != nil || string(b) != "DICM" {
		return "", 0, fmt.Errorf(`not a DICOM Part 10 file: no "DICM" at byte 128 (PS3.10 7.1)`)
	}
	pos := int64(132)

	for {
		h, err := s.read(pos, 8)
		if err != nil {
			return "", 0, fmt.Errorf("file meta information: %w", err)
		}
		if binary.LittleEndian.Uint16(h[0:2]) != 0x0002 {
			break
		}
		el := binary.LittleEndian.Uint16(h[2:4])
		vr := string(h[4:6])
		if !validVR(vr) {
			return "", 0, fmt.Errorf("file meta information: element (0002,%04X) at byte %d has VR %q, want an explicit VR", el, pos, vr)
		}
		var vl int64
		hl := int64(8)
		if longVR(vr) {
			h, err = s.read(pos, 12)
			if err != nil {
				return "", 0, fmt.Errorf("file meta information: %w", err)
			}
			vl = int64(binary.LittleEndian.Uint32(h[8:12]))
			hl = 12
		} else {
			vl = int64(binary.LittleEndian.Uint16(h[6:8]))
		}
		if vl == undefinedLength || pos+hl+vl > s.size {
			return "", 0, fmt.Errorf("file meta information: element (0002,%04X) at byte %d declares %d bytes, the file has %d left", el, pos, vl, s.size-pos-hl)
		}
		if el == 0x0010 {
			if vl > 64 {
				return "", 0, fmt.Errorf("Transfer Syntax UID (0002,0010) has %d bytes, at most 64 expected", vl)
			}
			v := make([]byte, vl)
			if _, err := s.r.ReadAt(v, pos+hl); err != nil {
				return "", 0, fmt.Errorf("Transfer Syntax UID (0002,0010): %w", err)
			}
			ts = trimUID(string(v))
		}
		pos += hl + vl
	}
	return ts, pos, nil
}

// transferSyntaxOf returns the Transfer Syntax UID of the DICOM file r (size bytes).
func transferSyntaxOf(r io.ReaderAt, size int64) (string, error) {
	ts, _, err := fileMeta(&dcmScanner{r: r, size: size, bo: binary.LittleEndian})
	return ts, err
}

func trimUID(s string) string {
	for len(s) > 0 && (s[len(s)-1] == 0 || s[len(s)-1] == ' ') {
		s = s[:len(s)-1]
	}
	return s
}

func validVR(vr string) bool {
	return len(vr) == 2 && vr[0] >= 'A' && vr[0] <= 'Z' && vr[1] >= 'A' && vr[1] <= 'Z'
}

// element reads the header of the element at pos: its tag, VR (from the dictionary of
// github.com/suyashkumar/dicom for implicit VR, as that parser does), value length and
// header length.
func (s *dcmScanner) element(pos int64) (t tag.Tag, vr string, vl uint32, hl int64, err error) {
	h, err := s.read(pos, 8)
	if err != nil {
		return t, "", 0, 0, err
	}
	t = tag.Tag{Group: s.bo.Uint16(h[0:2]), Element: s.bo.Uint16(h[2:4])}
	if t.Group == 0xFFFE || s.implicit {
		vl = s.bo.Uint32(h[4:8])
		if t.Group != 0xFFFE {
			vr = tag.UnknownVR
			if info, ferr := tag.Find(t); ferr == nil {
				vr = info.VRs[0]
			}
			if t == tag.PixelData {
				vr = "OW"
			}
		}
		return t, vr, vl, 8, nil
	}
	vr = string(h[4:6])
	if !validVR(vr) {
		return t, "", 0, 0, fmt.Errorf("element (%04X,%04X) at byte %d has VR %q, want two capital letters (PS3.5 7.1.2)", t.Group, t.Element, pos, vr)
	}
	if !longVR(vr) {
		return t, vr, uint32(s.bo.Uint16(h[6:8])), 8, nil
	}
	h, err = s.read(pos, 12)
	if err != nil {
		return t, "", 0, 0, err
	}
	return t, vr, s.bo.Uint32(h[8:12]), 12, nil
}

// walk scans the elements in [pos, end) (a data set or an item of defined length). At
// depth 0 it stops at Pixel Data and fills out.
func (s *dcmScanner) walk(pos, end int64, depth int, out *dcmScan) (found bool, err error) {
	if depth > maxSeqDepth {
		return false, fmt.Errorf("sequences nested deeper than %d at byte %d", maxSeqDepth, pos)
	}
	for pos < end {
		s.elems++
		if s.elems > maxElements {
			return false, fmt.Errorf("more than %d data elements", maxElements)
		}
		t, vr, vl, hl, err := s.element(pos)
		if err != nil {
			return false, err
		}
		if t.Group == 0xFFFE {
			return false, fmt.Errorf("unexpected item tag (FFFE,%04X) at byte %d", t.Element, pos)
		}
		valueAt := pos + hl
		if err := checkValueLength(t, vr, vl, pos); err != nil {
			return false, err
		}
		if depth == 0 && out != nil {
			out.top = append(out.top, pos)
			if boundedTags[t] && vl != undefinedLength {
				if out.values == nil {
					out.values = map[tag.Tag][2]int64{}
				}
				out.values[t] = [2]int64{valueAt, int64(vl)}
			}
		}
		if depth == 0 && t == tag.PixelData {
			out.pixelElem, out.pixelValue, out.pixelLen, out.pixelVR = pos, valueAt, vl, vr
			if vl == undefinedLength {
				return true, s.fragments(valueAt, out)
			}
			if valueAt+int64(vl) > s.size {
				return false, fmt.Errorf("Pixel Data (7FE0,0010) declares %d bytes at byte %d, the file has %d left", vl, valueAt, s.size-valueAt)
			}
			return true, nil
		}
		if vl == undefinedLength {
			if pos, err = s.undefinedValue(t, vr, valueAt, pos, depth); err != nil {
				return false, err
			}
			continue
		}
		if valueAt+int64(vl) > end {
			return false, fmt.Errorf("element (%04X,%04X) at byte %d declares %d bytes, more than its container holds", t.Group, t.Element, pos, vl)
		}
		if vr == "SQ" {
			if _, err := s.sequence(valueAt, valueAt+int64(vl), false, depth+1); err != nil {
				return false, err
			}
			if err := s.checkItems(t, depth); err != nil {
				return false, err
			}
		}
		pos = valueAt + int64(vl)
	}
	if pos != end {
		return false, fmt.Errorf("an element ends at byte %d, past the end of its container at byte %d", pos, end)
	}
	return false, nil
}

// sequence scans the items of a sequence (PS3.5 7.5.1) and returns the position after it.
func (s *dcmScanner) sequence(pos, end int64, delimited bool, depth int) (int64, error) {
	if depth > maxSeqDepth {
		return 0, fmt.Errorf("sequences nested deeper than %d at byte %d", maxSeqDepth, pos)
	}
	items := 0
	defer func() { s.lastItems = items }()
	for pos < end || delimited {
		s.elems++
		if s.elems > maxElements {
			return 0, fmt.Errorf("more than %d data elements", maxElements)
		}
		h, err := s.read(pos, 8)
		if err != nil {
			return 0, err
		}
		t := tag.Tag{Group: s.bo.Uint16(h[0:2]), Element: s.bo.Uint16(h[2:4])}
		vl := s.bo.Uint32(h[4:8])
		pos += 8
		switch {
		case t == tag.SequenceDelimitationItem && delimited:
			return pos, nil
		case t != tag.Item:
			return 0, fmt.Errorf("sequence item expected at byte %d, found tag (%04X,%04X)", pos-8, t.Group, t.Element)
		}
		items++
		switch {
		case vl == undefinedLength:
			// Walk the item up to its Item Delimitation Item.
			p, err := s.delimitedItem(pos, depth)
			if err != nil {
				return 0, err
			}
			pos = p
		default:
			if pos+int64(vl) > s.size || (!delimited && pos+int64(vl) > end) {
				return 0, fmt.Errorf("sequence item at byte %d declares %d bytes, more than its container holds", pos-8, vl)
			}
			if _, err := s.walk(pos, pos+int64(vl), depth, nil); err != nil {
				return 0, err
			}
			pos += int64(vl)
		}
	}
	if pos != end {
		return 0, fmt.Errorf("a sequence item ends at byte %d, past the end of its sequence at byte %d", pos, end)
	}
	return pos, nil
}

// delimitedItem walks an item of undefined length and returns the position after its
// Item Delimitation Item.
func (s *dcmScanner) delimitedItem(pos int64, depth int) (int64, error) {
	for {
		s.elems++
		if s.elems > maxElements {
			return 0, fmt.Errorf("more than %d data elements", maxElements)
		}
		t, vr, vl, hl, err := s.element(pos)
		if err != nil {
			return 0, err
		}
		if t == tag.ItemDelimitationItem {
			return pos + 8, nil
		}
		if t.Group == 0xFFFE {
			return 0, fmt.Errorf("unexpected item tag (FFFE,%04X) at byte %d", t.Element, pos)
		}
		valueAt := pos + hl
		if err := checkValueLength(t, vr, vl, pos); err != nil {
			return 0, err
		}
		if vl == undefinedLength {
			if pos, err = s.undefinedValue(t, vr, valueAt, pos, depth); err != nil {
				return 0, err
			}
			continue
		}
		if valueAt+int64(vl) > s.size {
			return 0, fmt.Errorf("element (%04X,%04X) at byte %d declares %d bytes, the file has %d left", t.Group, t.Element, pos, vl, s.size-valueAt)
		}
		if vr == "SQ" {
			if _, err := s.sequence(valueAt, valueAt+int64(vl), false, depth+1); err != nil {
				return 0, err
			}
			if err := s.checkItems(t, depth); err != nil {
				return 0, err
			}
		}
		pos = valueAt + int64(vl)
	}
}

// fragments reads the items of encapsulated Pixel Data (PS3.5 A.4): the Basic Offset
// Table, then one item per fragment, up to the Sequence Delimitation Item.
func (s *dcmScanner) fragments(pos int64, out *dcmScan) error {
	first := true
	for {
		h, err := s.read(pos, 8)
		if err != nil {
			return fmt.Errorf("encapsulated Pixel Data: %w", err)
		}
		t := tag.Tag{Group: s.bo.Uint16(h[0:2]), Element: s.bo.Uint16(h[2:4])}
		vl := s.bo.Uint32(h[4:8])
		pos += 8
		if t == tag.SequenceDelimitationItem {
			if first {
				return fmt.Errorf("encapsulated Pixel Data ends before its Basic Offset Table item")
			}
			return nil
		}
		if t != tag.Item || vl == undefinedLength {
			return fmt.Errorf("encapsulated Pixel Data: item of defined length expected at byte %d, found tag (%04X,%04X) length %d", pos-8, t.Group, t.Element, vl)
		}
		if pos+int64(vl) > s.size {
			return fmt.Errorf("encapsulated Pixel Data: item at byte %d declares %d bytes, the file has %d left", pos-8, vl, s.size-pos)
		}
		if first {
			if vl%4 != 0 {
				return fmt.Errorf("encapsulated Pixel Data: Basic Offset Table has %d bytes, not a multiple of 4", vl)
			}
			if int(vl/4) > s.maxFrags {
				return fmt.Errorf("encapsulated Pixel Data: Basic Offset Table has %d entries, more than the limit of %d frames", vl/4, s.maxFrags)
			}
			tab := make([]byte, vl)
			if _, err := s.r.ReadAt(tab, pos); err != nil {
				return fmt.Errorf("encapsulated Pixel Data: %w", err)
			}
			out.bot = make([]uint32, vl/4)
			for i := range out.bot {
				out.bot[i] = s.bo.Uint32(tab[4*i:])
			}
			first = false
		} else {
			if len(out.fragments) >= s.maxFrags {
				return fmt.Errorf("encapsulated Pixel Data has more than %d fragments", s.maxFrags)
			}
			out.fragments = append(out.fragments, [2]int64{pos, int64(vl)})
		}
		pos += int64(vl)
	}
}

// checkBoundedValues bounds, before the metadata parser reads them, the top-level
// values whose size another element fixes: the Frame Time Vector (0018,1065) holds one
// DS value (at most 16 bytes, PS3.5 6.2, plus a separator) per frame of Number of
// Frames (0028,0008) (PS3.3 C.7.6.5.1.2), itself capped by maxFrames.
func checkBoundedValues(r io.ReaderAt, scan *dcmScan, maxFrames int) error {
	frames := int64(1)
	if v, ok := scan.values[tag.NumberOfFrames]; ok {
		if v[1] > 16 {
			return fmt.Errorf("Number of Frames (0028,0008) has %d bytes; an IS value has at most 12", v[1])
		}
		b := make([]byte, v[1])
		if _, err := r.ReadAt(b, v[0]); err != nil {
			return fmt.Errorf("Number of Frames (0028,0008): %w", err)
		}
		s := strings.TrimSpace(strings.TrimRight(string(b), "\x00"))
		n, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 64)
		if err != nil {
			return fmt.Errorf("Number of Frames (0028,0008) = %q: want an integer", s)
		}
		frames = min(max(n, 1), int64(maxFrames))
	}
	if v, ok := scan.values[tag.FrameTimeVector]; ok {
		if lim := 17 * frames; v[1] > lim {
			return fmt.Errorf("Frame Time Vector (0018,1065) has %d bytes, more than %d values (one per frame, Number of Frames (0028,0008)) of at most 16 bytes can take (%d)", v[1], frames, lim)
		}
	}
	return nil
}
