package imaging

import (
	"encoding/binary"
	"fmt"
)

// decodeRLEFrame decodes one frame of RLE Lossless pixel data (DICOM PS3.5 Annex G)
// into dst, which it fills as native little-endian planar data: sample plane s holds
// npix samples of bps bytes at dst[s*npix*bps:]. len(dst) must be npix*spp*bps.
//
// The frame starts with a 64-byte header (G.5): the number of segments, little endian,
// then 15 segment offsets. There is one segment per byte plane (G.2): for each sample in
// turn, its most significant byte first. Each segment is PackBits-encoded (G.3.1): a
// header byte n in 0..127 copies the next n+1 bytes, -127..-1 repeats the next byte
// 1-n times, and -128 is skipped. A segment that decodes to fewer than npix bytes is an
// error; bytes beyond npix (non-conformant padding) are ignored, as pydicom does.
// Every offset and run is bounded by src and dst, so corrupt data gives an error,
// never a panic or an allocation.
func decodeRLEFrame(src, dst []byte, npix, spp, bps int) error {
	if len(src) < 64 {
		return fmt.Errorf("RLE frame of %d bytes is shorter than its 64-byte header (PS3.5 G.5)", len(src))
	}
	nseg := binary.LittleEndian.Uint32(src)
	if want := spp * bps; nseg != uint32(want) {
		return fmt.Errorf("RLE header declares %d segments, %d samples of %d bytes need %d (PS3.5 G.2)", nseg, spp, bps, want)
	}
	if len(dst) != npix*spp*bps {
		return fmt.Errorf("RLE: output of %d bytes for %d pixels", len(dst), npix)
	}
	var off [16]int
	for i := 0; i < int(nseg); i++ {
		off[i] = int(binary.LittleEndian.Uint32(src[4+4*i:]))
	}
	off[nseg] = len(src)
	if off[0] != 64 {
		return fmt.Errorf("RLE segment 1 starts at byte %d, want 64 (PS3.5 G.5)", off[0])
	}
	for i := 0; i < int(nseg); i++ {
		if off[i+1] < off[i] || off[i+1] > len(src) {
			return fmt.Errorf("RLE segment %d ends at byte %d, outside %d..%d", i+1, off[i+1], off[i], len(src))
		}
	}
	for i := 0; i < int(nseg); i++ {
		s, k := i/bps, i%bps // sample, byte (0 = most significant)
		base := s*npix*bps + (bps - 1 - k)
		if err := unpackBits(src[off[i]:off[i+1]], dst[base:], npix, bps); err != nil {
			return fmt.Errorf("RLE segment %d: %w", i+1, err)
		}
	}
	return nil
}

// unpackBits decodes a PackBits segment (PS3.5 G.3.1) into n bytes written at
// dst[0], dst[stride], dst[2*stride], …
func unpackBits(seg, dst []byte, n, stride int) error {
	p, o := 0, 0
	for o < n {
		if p >= len(seg) {
			return fmt.Errorf("decodes to %d bytes, %d expected", o, n)
		}
		h := int8(seg[p])
		p++
		switch {
		case h >= 0:
			m := int(h) + 1
			if p+m > len(seg) {
				return fmt.Errorf("literal run of %d bytes at byte %d passes the end of the segment (%d bytes)", m, p-1, len(seg))
			}
			for j := 0; j < m && o < n; j++ {
				dst[o*stride] = seg[p+j]
				o++
			}
			p += m
		case h != -128:
			if p >= len(seg) {
				return fmt.Errorf("replicate run at byte %d has no byte to repeat", p-1)
			}
			v := seg[p]
			p++
			for j := 0; j < 1-int(h) && o < n; j++ {
				dst[o*stride] = v
				o++
			}
		}
	}
	return nil
}
