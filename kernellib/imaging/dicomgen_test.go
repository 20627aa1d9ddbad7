package imaging

import (
	"encoding/binary"
	"strconv"
)

// dcmGen builds explicit VR little-endian DICOM files for the tests of this package's
// reader (PS3.5 7.1.2, PS3.10 7.1); elements must be added in ascending tag order.
type dcmGen struct{ b []byte }

func (g *dcmGen) hdr(gr, el uint16, vr string, n uint32) {
	g.b = binary.LittleEndian.AppendUint16(g.b, gr)
	g.b = binary.LittleEndian.AppendUint16(g.b, el)
	g.b = append(g.b, vr...)
	if longVR(vr) {
		g.b = append(g.b, 0, 0)
		g.b = binary.LittleEndian.AppendUint32(g.b, n)
	} else {
		g.b = binary.LittleEndian.AppendUint16(g.b, uint16(n))
	}
}

func (g *dcmGen) raw(gr, el uint16, vr string, v []byte) *dcmGen {
	if len(v)%2 == 1 {
		pad := byte(' ')
		if vr == "UI" || vr == "OB" {
			pad = 0
		}
		v = append(append([]byte(nil), v...), pad)
	}
	g.hdr(gr, el, vr, uint32(len(v)))
	g.b = append(g.b, v...)
	return g
}

func (g *dcmGen) s(gr, el uint16, vr, v string) *dcmGen { return g.raw(gr, el, vr, []byte(v)) }

func (g *dcmGen) u16(gr, el uint16, vr string, v ...uint16) *dcmGen {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint16(b, x)
	}
	return g.raw(gr, el, vr, b)
}

// item appends an Item (FFFE,E000) of the given bytes.
func (g *dcmGen) item(v []byte) *dcmGen {
	g.b = binary.LittleEndian.AppendUint16(g.b, 0xFFFE)
	g.b = binary.LittleEndian.AppendUint16(g.b, 0xE000)
	g.b = binary.LittleEndian.AppendUint32(g.b, uint32(len(v)))
	g.b = append(g.b, v...)
	return g
}

// delim appends a Sequence Delimitation Item (FFFE,E0DD).
func (g *dcmGen) delim() *dcmGen {
	g.b = append(g.b, 0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0)
	return g
}

// encapsulated appends an element of undefined length holding an empty Basic Offset
// Table and one item per fragment (PS3.5 A.4).
func (g *dcmGen) encapsulated(gr, el uint16, frags ...[]byte) *dcmGen {
	g.hdr(gr, el, "OB", undefinedLength)
	g.item(nil)
	for _, f := range frags {
		g.item(f)
	}
	return g.delim()
}

// file wraps data set ds in a preamble and File Meta Information with transfer syntax ts.
func dcmFile(ts string, ds []byte) []byte {
	var meta dcmGen
	meta.raw(0x0002, 0x0001, "OB", []byte{0, 1})
	meta.s(0x0002, 0x0002, "UI", "1.2.840.10008.5.1.4.1.1.3.1")
	meta.s(0x0002, 0x0003, "UI", "1.2.3.4")
	meta.s(0x0002, 0x0010, "UI", ts)
	var grp dcmGen
	grp.raw(0x0002, 0x0000, "UL", binary.LittleEndian.AppendUint32(nil, uint32(len(meta.b))))
	out := append(make([]byte, 128), "DICM"...)
	out = append(out, grp.b...)
	out = append(out, meta.b...)
	return append(out, ds...)
}

// imagePixel appends the Image Pixel module of a grey 8-bit image (0028,0002-0103).
func (g *dcmGen) imagePixel(photometric string, spp, frames, rows, cols, bits int) *dcmGen {
	g.u16(0x0028, 0x0002, "US", uint16(spp))
	g.s(0x0028, 0x0004, "CS", photometric)
	if frames > 0 {
		g.s(0x0028, 0x0008, "IS", strconv.Itoa(frames))
	}
	g.u16(0x0028, 0x0010, "US", uint16(rows))
	g.u16(0x0028, 0x0011, "US", uint16(cols))
	g.u16(0x0028, 0x0100, "US", uint16(bits))
	g.u16(0x0028, 0x0101, "US", uint16(bits))
	g.u16(0x0028, 0x0102, "US", uint16(bits-1))
	return g.u16(0x0028, 0x0103, "US", 0)
}

// implicitLE appends an Implicit VR Little Endian element (PS3.5 7.1.3).
func (g *dcmGen) implicitLE(gr, el uint16, v []byte) *dcmGen {
	if len(v)%2 == 1 {
		v = append(append([]byte(nil), v...), ' ')
	}
	g.b = binary.LittleEndian.AppendUint16(g.b, gr)
	g.b = binary.LittleEndian.AppendUint16(g.b, el)
	g.b = binary.LittleEndian.AppendUint32(g.b, uint32(len(v)))
	g.b = append(g.b, v...)
	return g
}
