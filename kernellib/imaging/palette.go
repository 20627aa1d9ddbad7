package imaging

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/suyashkumar/dicom/pkg/tag"
)

// paletteLUT is the Palette Color Lookup Table of a PALETTE COLOR image (DICOM PS3.3
// C.7.6.3.1.5 and C.7.6.3.1.6; segmented tables C.7.9.2).
type paletteLUT struct {
	r, g, b []uint16 // entries, all of the same length (the descriptor's count)
	first   int      // the stored pixel value mapped to the first entry
	signed  bool     // Pixel Representation 1: stored values are two's complement
	stored  int      // Bits Stored
	bits    int      // 8 or 16: the scale of the entries, and of the grey output

	chromaT   int    // the threshold chromaTab was computed for
	chromaTab []bool // chromatic entries (chromatic)
}

// Palette Color Lookup Table elements (PS3.3 C.7.6.3.1.5, C.7.9).
var (
	tagLUTDescriptor = [3]tag.Tag{{Group: 0x0028, Element: 0x1101}, {Group: 0x0028, Element: 0x1102}, {Group: 0x0028, Element: 0x1103}}
	tagLUTData       = [3]tag.Tag{{Group: 0x0028, Element: 0x1201}, {Group: 0x0028, Element: 0x1202}, {Group: 0x0028, Element: 0x1203}}
	tagSegmentedData = [3]tag.Tag{{Group: 0x0028, Element: 0x1221}, {Group: 0x0028, Element: 0x1222}, {Group: 0x0028, Element: 0x1223}}
)

var colourNames = [3]string{"Red", "Green", "Blue"}

// grey maps stored value v (masked to Bits Stored) through the palette and returns
// its BT.601 luma on the palette's scale. Values below the first mapped value take the
// first entry and values past the last entry the last one (PS3.3 C.7.6.3.1.5), as
// pydicom's apply_color_lut does.
func (p *paletteLUT) grey(v uint32) uint32 {
	i := p.index(v)
	if p.bits == 8 {
		return uint32(Luma8(uint8(p.r[i]), uint8(p.g[i]), uint8(p.b[i])))
	}
	return uint32(Luma16(p.r[i], p.g[i], p.b[i]))
}

// index returns the palette entry of stored value v (masked to Bits Stored): values
// below the first mapped value take the first entry, values past the last entry the
// last one.
func (p *paletteLUT) index(v uint32) int {
	x := int(v)
	if p.signed && x >= 1<<(p.stored-1) {
		x -= 1 << p.stored
	}
	return min(max(x-p.first, 0), len(p.r)-1)
}

// chromatic returns, for every entry, whether its colour has a chroma above the 8-bit
// threshold t8 (scaled to the entries' bits; overlay.go), computed once per palette.
func (p *paletteLUT) chromatic(t8 int) []bool {
	if p.chromaT == t8 && p.chromaTab != nil {
		return p.chromaTab
	}
	t := scaledThreshold(t8, p.bits)
	tab := make([]bool, len(p.r))
	for i := range tab {
		tab[i] = chroma16(uint32(p.r[i]), uint32(p.g[i]), uint32(p.b[i])) > t
	}
	p.chromaT, p.chromaTab = t8, tab
	return tab
}

// readPalette reads the three Palette Color Lookup Tables of ds. The descriptor
// (count, first mapped value, bits per entry) bounds every table before it is
// expanded: a count of 0 means 65536 (PS3.3 C.7.6.3.1.5). Table data holds one byte
// per entry or one 16-bit word per entry (PS3.3 C.7.6.3.1.6; pydicom takes the entry
// size from the data length, and so does this reader). Segmented tables (C.7.9.2) hold
// 8-bit or 16-bit values by the descriptor's bits. The scale of the entries (and so of
// the grey output) is the descriptor's bits, except that 16-bit words declared 8-bit
// whose values exceed 255 are taken on a 16-bit scale.
func readPalette(ds elems, bo binary.ByteOrder, signed bool, stored int) (*paletteLUT, error) {
	p := &paletteLUT{signed: signed, stored: stored}
	var count int
	for c, t := range tagLUTDescriptor {
		d, ok, err := ds.ints(t)
		if err != nil {
			return nil, err
		}
		if !ok || len(d) != 3 {
			return nil, fmt.Errorf("PALETTE COLOR needs %s with 3 values (PS3.3 C.7.6.3.1.5); found %d", tagName(t), len(d))
		}
		n, first, bits := d[0], d[1], d[2]
		if n < 0 { // read as SS
			n += 1 << 16
		}
		if n == 0 {
			n = 1 << 16
		}
		if !signed && first < 0 {
			first += 1 << 16
		}
		if bits != 8 && bits != 16 {
			return nil, fmt.Errorf("%s says %d bits per entry; want 8 or 16", tagName(t), bits)
		}
		if n > 1<<16 {
			return nil, fmt.Errorf("%s says %d entries; at most 65536", tagName(t), n)
		}
		if c == 0 {
			count, p.first, p.bits = n, first, bits
		} else if n != count || first != p.first || bits != p.bits {
			return nil, fmt.Errorf("%s (%d, %d, %d) differs from the red descriptor (%d, %d, %d)", tagName(t), n, first, bits, count, p.first, p.bits)
		}
	}
	big := false // 16-bit words of a table declared 8-bit hold values above 255
	for c := range 3 {
		var lut []uint16
		var err error
		if raw, ok, e := lutBytes(ds, tagLUTData[c]); e != nil {
			return nil, e
		} else if ok {
			lut, err = plainLUT(raw, count, tagLUTData[c])
		} else if raw, ok, e := lutBytes(ds, tagSegmentedData[c]); e != nil {
			return nil, e
		} else if ok {
			lut, err = expandSegmentedLUT(raw, p.bits, bo, count)
			if err != nil {
				err = fmt.Errorf("%s: %w", tagName(tagSegmentedData[c]), err)
			}
		} else {
			return nil, fmt.Errorf("PALETTE COLOR without %s Palette Color Lookup Table Data (0028,120%d) or its segmented form (0028,122%d)", colourNames[c], c+1, c+1)
		}
		if err != nil {
			return nil, err
		}
		for _, v := range lut {
			if v > 255 {
				big = true
				break
			}
		}
		switch c {
		case 0:
			p.r = lut
		case 1:
			p.g = lut
		case 2:
			p.b = lut
		}
	}
	if big {
		p.bits = 16
	}
	return p, nil
}

// lutBytes returns the value of a LUT data element as little-endian bytes (OW values
// are handed over in little endian by the metadata parser whatever the file's order).
func lutBytes(ds elems, t tag.Tag) ([]byte, bool, error) {
	e := ds.find(t)
	if e == nil {
		return nil, false, nil
	}
	switch x := e.Value.GetValue().(type) {
	case []byte:
		return x, len(x) > 0, nil
	case []int:
		b := make([]byte, 0, 2*len(x))
		for _, v := range x {
			b = binary.LittleEndian.AppendUint16(b, uint16(v))
		}
		return b, len(b) > 0, nil
	}
	return nil, false, fmt.Errorf("%s has a value of type %v, want OW data", tagName(t), e.Value.ValueType())
}

// plainLUT reads count entries of one byte or one 16-bit word each.
func plainLUT(raw []byte, count int, t tag.Tag) ([]uint16, error) {
	out := make([]uint16, count)
	switch {
	case len(raw) == count || len(raw) == count+1: // 8-bit entries, maybe padded to even length
		for i := range out {
			out[i] = uint16(raw[i])
		}
	case len(raw) == 2*count:
		for i := range out {
			out[i] = binary.LittleEndian.Uint16(raw[2*i:])
		}
	default:
		return nil, fmt.Errorf("%s has %d bytes for %d entries; want %d (8-bit) or %d (16-bit)", tagName(t), len(raw), count, count, 2*count)
	}
	return out, nil
}

// expandSegmentedLUT expands a Segmented Palette Color Lookup Table (PS3.3 C.7.9.2)
// whose values are bits wide (8: one byte each, in file order; 16: one word each):
// discrete segments (opcode 0) copy their values, linear segments (1) interpolate from
// the previous entry to the given value, indirect segments (2) re-play earlier segments
// from a byte offset. Linear segments are rounded like pydicom (numpy linspace, round
// half to even). The table must reach count entries; expansion stops at 65536 entries
// and after a bounded amount of work, so a hostile table cannot take memory or time.
func expandSegmentedLUT(raw []byte, bits int, bo binary.ByteOrder, count int) ([]uint16, error) {
	var data []int
	if bits == 8 {
		b := raw
		if bo == binary.BigEndian { // back to the file's byte order
			b = make([]byte, len(raw))
			for i := 0; i+1 < len(raw); i += 2 {
				b[i], b[i+1] = raw[i+1], raw[i]
			}
		}
		data = make([]int, len(b))
		for i, v := range b {
			data[i] = int(v)
		}
	} else {
		data = make([]int, len(raw)/2)
		for i := range data {
			data[i] = int(binary.LittleEndian.Uint16(raw[2*i:]))
		}
	}
	x := segExpander{data: data, bits: bits, bigEndian: bo == binary.BigEndian, budget: 1 << 22}
	if err := x.run(0, -1, 0); err != nil {
		return nil, err
	}
	if len(x.lut) < count {
		return nil, fmt.Errorf("segmented table expands to %d entries, the descriptor says %d", len(x.lut), count)
	}
	out := make([]uint16, count)
	for i := range out {
		out[i] = uint16(x.lut[i])
	}
	return out, nil
}

type segExpander struct {
	data      []int
	bits      int
	bigEndian bool
	lut       []int
	budget    int // remaining steps
}

const maxLUTEntries = 1 << 16

// run expands segments from data[off:], at most nseg of them (all when nseg < 0).
func (x *segExpander) run(off, nseg, depth int) error {
	if depth > 8 {
		return fmt.Errorf("indirect segments nested deeper than 8")
	}
	for done := 0; (nseg < 0 || done < nseg) && off+1 < len(x.data); done++ {
		x.budget--
		if x.budget < 0 {
			return fmt.Errorf("segmented table takes too many steps to expand")
		}
		op, n := x.data[off], x.data[off+1]
		off += 2
		if op != 2 && len(x.lut)+n > maxLUTEntries { // n entries (for indirect: n segments)
			return fmt.Errorf("segmented table expands past %d entries", maxLUTEntries)
		}
		switch op {
		case 0: // discrete
			if off+n > len(x.data) {
				return fmt.Errorf("discrete segment of %d values at %d passes the end of the data (%d values)", n, off-2, len(x.data))
			}
			x.lut = append(x.lut, x.data[off:off+n]...)
			x.budget -= n
			off += n
		case 1: // linear
			if len(x.lut) == 0 {
				return fmt.Errorf("the first segment is linear; it has no start value")
			}
			if off >= len(x.data) {
				return fmt.Errorf("linear segment at %d has no end value", off-2)
			}
			y0, y1 := float64(x.lut[len(x.lut)-1]), float64(x.data[off])
			off++
			x.budget -= n
			if y0 == y1 || n == 0 {
				for range n {
					x.lut = append(x.lut, int(y1))
				}
				continue
			}
			// numpy.linspace(y0+step, y1, n): start + k*((stop-start)/(n-1)), last = stop.
			step := (y1 - y0) / float64(n)
			start := y0 + step
			d := 0.0
			if n > 1 {
				d = (y1 - start) / float64(n-1)
			}
			for k := range n {
				v := start + float64(k)*d
				if k == n-1 {
					v = y1
				}
				x.lut = append(x.lut, int(math.RoundToEven(v)))
			}
		case 2: // indirect
			if len(x.lut) == 0 {
				return fmt.Errorf("the first segment is indirect")
			}
			var byteOff int
			if x.bits == 8 {
				if off+4 > len(x.data) {
					return fmt.Errorf("indirect segment at %d is truncated", off-2)
				}
				ii := [4]int{3, 2, 1, 0}
				if x.bigEndian {
					ii = [4]int{2, 3, 0, 1}
				}
				v := [4]int{x.data[off+ii[0]], x.data[off+ii[1]], x.data[off+ii[2]], x.data[off+ii[3]]}
				byteOff = (v[0]<<8|v[1])<<16 | (v[2]<<8 | v[3])
				off += 4
			} else {
				if off+2 > len(x.data) {
					return fmt.Errorf("indirect segment at %d is truncated", off-2)
				}
				byteOff = x.data[off+1]<<16 | x.data[off]
				off += 2
			}
			// pydicom indexes its value list with this offset (C.7.9.2.3 says bytes).
			if byteOff < 0 || byteOff >= len(x.data) {
				return fmt.Errorf("indirect segment points at %d, outside the %d values", byteOff, len(x.data))
			}
			if err := x.run(byteOff, n, depth+1); err != nil {
				return err
			}
		default:
			return fmt.Errorf("segment of unknown type %d at %d (PS3.3 C.7.9.2)", op, off-2)
		}
	}
	return nil
}
