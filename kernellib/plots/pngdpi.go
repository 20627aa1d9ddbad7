package plots

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
)

// pngSignature is the eight bytes every PNG starts with (PNG
// specification, ISO/IEC 15948:2003, §5.2).
var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// SetPNGDPI returns the PNG b with a pHYs chunk (ISO/IEC 15948:2003,
// §11.3.5.3) that gives its resolution as dpi dots per inch, stored as
// pixels per metre (round(dpi / 0.0254); 300 dpi is 11811), unit 1
// (metre), placed right after IHDR as the standard requires (before
// IDAT). Go's image/png writes no pHYs, so without it viewers and journal
// upload checks read 72 or 96 dpi. A pHYs chunk already in b is replaced.
func SetPNGDPI(b []byte, dpi int) ([]byte, error) {
	if dpi <= 0 {
		return nil, fmt.Errorf("plots: SetPNGDPI: %d dpi, want a positive resolution", dpi)
	}
	chunks, err := pngChunks(b)
	if err != nil {
		return nil, err
	}
	if len(chunks) == 0 || chunks[0].typ != "IHDR" {
		return nil, fmt.Errorf("plots: SetPNGDPI: the PNG does not start with IHDR")
	}
	ppm := uint32(math.Round(float64(dpi) / 0.0254))
	data := make([]byte, 9)
	binary.BigEndian.PutUint32(data[0:], ppm)
	binary.BigEndian.PutUint32(data[4:], ppm)
	data[8] = 1 // unit: metre
	var out bytes.Buffer
	out.Write(pngSignature)
	for i, c := range chunks {
		if c.typ == "pHYs" {
			continue
		}
		out.Write(b[c.start:c.end])
		if i == 0 {
			writePNGChunk(&out, "pHYs", data)
		}
	}
	return out.Bytes(), nil
}

// writePNGChunk appends a chunk: length, type, data and the CRC-32 (ISO
// 3309, the IEEE polynomial) of type and data (ISO/IEC 15948:2003, §5.3).
func writePNGChunk(w *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	w.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	w.WriteString(typ)
	w.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	w.Write(n[:])
}

// pngChunk is one chunk of a PNG: its type, its data, and where it lies
// (length field to CRC, inclusive) in the file.
type pngChunk struct {
	typ        string
	data       []byte
	start, end int
}

// pngChunks splits a PNG into its chunks, checking the signature, each
// length and each CRC.
func pngChunks(b []byte) ([]pngChunk, error) {
	if !bytes.HasPrefix(b, pngSignature) {
		return nil, fmt.Errorf("plots: not a PNG: the first 8 bytes are not the PNG signature")
	}
	var out []pngChunk
	for i := len(pngSignature); i < len(b); {
		if i+12 > len(b) {
			return nil, fmt.Errorf("plots: PNG: truncated chunk at byte %d", i)
		}
		n := int(binary.BigEndian.Uint32(b[i:]))
		if n < 0 || i+12+n > len(b) {
			return nil, fmt.Errorf("plots: PNG: chunk at byte %d claims %d bytes, %d are left", i, n, len(b)-i-12)
		}
		typ, data := string(b[i+4:i+8]), b[i+8:i+8+n]
		want := binary.BigEndian.Uint32(b[i+8+n:])
		crc := crc32.NewIEEE()
		crc.Write(b[i+4 : i+8+n])
		if got := crc.Sum32(); got != want {
			return nil, fmt.Errorf("plots: PNG: chunk %s at byte %d has CRC %08x, computed %08x", typ, i, want, got)
		}
		out = append(out, pngChunk{typ: typ, data: data, start: i, end: i + 12 + n})
		i += 12 + n
	}
	return out, nil
}

// PNGDPI reads the resolution of a PNG from its pHYs chunk, in dots per
// inch along x and y; ok is false when the PNG has no pHYs chunk or its
// unit is not the metre (unit 0 gives only an aspect ratio).
func PNGDPI(b []byte) (x, y float64, ok bool, err error) {
	chunks, err := pngChunks(b)
	if err != nil {
		return 0, 0, false, err
	}
	for _, c := range chunks {
		if c.typ != "pHYs" {
			continue
		}
		if len(c.data) != 9 {
			return 0, 0, false, fmt.Errorf("plots: PNG: pHYs chunk of %d bytes, want 9", len(c.data))
		}
		if c.data[8] != 1 {
			return 0, 0, false, nil
		}
		x = float64(binary.BigEndian.Uint32(c.data[0:])) * 0.0254
		y = float64(binary.BigEndian.Uint32(c.data[4:])) * 0.0254
		return x, y, true, nil
	}
	return 0, 0, false, nil
}
