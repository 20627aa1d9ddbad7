package plots

import (
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"io"
)

// TIFF tags (TIFF 6.0, Adobe 1992, §8 "Baseline Field Reference Guide").
const (
	tagImageWidth      = 256
	tagImageLength     = 257
	tagBitsPerSample   = 258
	tagCompression     = 259
	tagPhotometric     = 262
	tagStripOffsets    = 273
	tagSamplesPerPixel = 277
	tagRowsPerStrip    = 278
	tagStripByteCounts = 279
	tagXResolution     = 282
	tagYResolution     = 283
	tagPlanarConfig    = 284
	tagResolutionUnit  = 296

	tiffShort    = 3
	tiffLong     = 4
	tiffRational = 5

	tiffCompressionLZW = 5
	tiffStripBytes     = 64 << 10 // about this much raw data per strip
)

// WriteTIFF writes img as a baseline RGB TIFF (TIFF 6.0: little-endian,
// 8 bits per sample, chunky), flattened onto white, in strips of about
// 64 KiB each compressed with TIFF's LZW (§13; tifflzw.go), with
// XResolution = YResolution = dpi and ResolutionUnit 2 (inch) so that the
// figure has its print size. golang.org/x/image/tiff reads LZW but writes
// only uncompressed or deflate, which some journal systems refuse.
func WriteTIFF(w io.Writer, img image.Image, dpi int) error {
	b := img.Bounds()
	width, height := b.Dx(), b.Dy()
	if width <= 0 || height <= 0 {
		return fmt.Errorf("plots: WriteTIFF: empty %d×%d image", width, height)
	}
	if dpi <= 0 {
		return fmt.Errorf("plots: WriteTIFF: %d dpi, want a positive resolution", dpi)
	}
	rowBytes := 3 * width
	rowsPerStrip := max(1, tiffStripBytes/rowBytes)
	nStrips := (height + rowsPerStrip - 1) / rowsPerStrip
	enc := newLZWEncoder()
	row := make([]byte, 0, rowsPerStrip*rowBytes)
	var strips [][]byte
	for s := 0; s < nStrips; s++ {
		row = row[:0]
		for y := s * rowsPerStrip; y < min(height, (s+1)*rowsPerStrip); y++ {
			if rgba, ok := img.(*image.RGBA); ok {
				// Premultiplied: over white is c + 255 − α.
				px := rgba.Pix[rgba.PixOffset(b.Min.X, b.Min.Y+y):]
				for x := 0; x < width; x++ {
					p := px[4*x : 4*x+4]
					row = append(row, p[0]+255-p[3], p[1]+255-p[3], p[2]+255-p[3])
				}
				continue
			}
			for x := 0; x < width; x++ {
				c := color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
				// over white: c·α + 255·(1 − α)
				a := uint32(c.A)
				mix := func(v uint8) byte { return byte((uint32(v)*a + 255*(255-a) + 127) / 255) }
				row = append(row, mix(c.R), mix(c.G), mix(c.B))
			}
		}
		strips = append(strips, enc.encode(row))
	}

	// Layout: header, strips, then the IFD's out-of-line values, then the IFD.
	le := binary.LittleEndian
	off := uint32(8)
	offsets := make([]uint32, nStrips)
	counts := make([]uint32, nStrips)
	for i, s := range strips {
		offsets[i], counts[i] = off, uint32(len(s))
		off += uint32(len(s))
		if off%2 == 1 { // values start on a word boundary (§2)
			off++
		}
	}
	type entry struct {
		tag, typ uint16
		vals     []uint32 // SHORT or LONG values; for RATIONAL, numerator and denominator pairs
	}
	entries := []entry{
		{tagImageWidth, tiffLong, []uint32{uint32(width)}},
		{tagImageLength, tiffLong, []uint32{uint32(height)}},
		{tagBitsPerSample, tiffShort, []uint32{8, 8, 8}},
		{tagCompression, tiffShort, []uint32{tiffCompressionLZW}},
		{tagPhotometric, tiffShort, []uint32{2}}, // RGB
		{tagStripOffsets, tiffLong, offsets},
		{tagSamplesPerPixel, tiffShort, []uint32{3}},
		{tagRowsPerStrip, tiffLong, []uint32{uint32(rowsPerStrip)}},
		{tagStripByteCounts, tiffLong, counts},
		{tagXResolution, tiffRational, []uint32{uint32(dpi), 1}},
		{tagYResolution, tiffRational, []uint32{uint32(dpi), 1}},
		{tagPlanarConfig, tiffShort, []uint32{1}},   // chunky
		{tagResolutionUnit, tiffShort, []uint32{2}}, // inch
	}
	size := func(e entry) uint32 {
		if e.typ == tiffShort {
			return 2 * uint32(len(e.vals))
		}
		return 4 * uint32(len(e.vals))
	}
	count := func(e entry) uint32 {
		if e.typ == tiffRational {
			return uint32(len(e.vals) / 2)
		}
		return uint32(len(e.vals))
	}
	var extra []byte
	extraAt := make([]uint32, len(entries))
	for i, e := range entries {
		if size(e) <= 4 {
			continue
		}
		extraAt[i] = off + uint32(len(extra))
		for _, v := range e.vals {
			if e.typ == tiffShort {
				extra = le.AppendUint16(extra, uint16(v))
			} else {
				extra = le.AppendUint32(extra, v)
			}
		}
	}
	ifdAt := off + uint32(len(extra))
	if ifdAt%2 == 1 {
		extra = append(extra, 0)
		ifdAt++
	}
	ifd := le.AppendUint16(nil, uint16(len(entries)))
	for i, e := range entries {
		ifd = le.AppendUint16(ifd, e.tag)
		ifd = le.AppendUint16(ifd, e.typ)
		ifd = le.AppendUint32(ifd, count(e))
		var v [4]byte
		switch {
		case size(e) > 4:
			le.PutUint32(v[:], extraAt[i])
		case e.typ == tiffShort:
			for k, x := range e.vals {
				le.PutUint16(v[2*k:], uint16(x))
			}
		default:
			le.PutUint32(v[:], e.vals[0])
		}
		ifd = append(ifd, v[:]...)
	}
	ifd = le.AppendUint32(ifd, 0) // no next IFD

	head := []byte{'I', 'I', 42, 0}
	head = le.AppendUint32(head, ifdAt)
	parts := [][]byte{head}
	for _, s := range strips {
		parts = append(parts, s)
		if len(s)%2 == 1 {
			parts = append(parts, []byte{0})
		}
	}
	parts = append(parts, extra, ifd)
	for _, p := range parts {
		if _, err := w.Write(p); err != nil {
			return fmt.Errorf("plots: WriteTIFF: %w", err)
		}
	}
	return nil
}
