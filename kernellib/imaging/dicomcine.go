package imaging

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
	"github.com/suyashkumar/dicom/pkg/tag"
)

// dicomCine streams the frames of a DICOM multi-frame object.
type dicomCine struct {
	f     io.ReaderAt
	close func() error
	info  CineInfo
	scan  *dcmScan
	pix   pixelLayout
	times []float64 // Frame Time Vector: the time of every frame; nil otherwise
	dt    float64   // constant frame interval in seconds when times == nil
	next  int
	buf   []byte
	raw   []byte // RLE: the decoded frame
	// encapsulated: frames[i] is the range of fragments of frame i
	frames [][2]int
	err    error // the error that stopped the stream, returned again by Next
	chroma int   // the overlay threshold in effect (CineOptions.chromaThreshold; -1: off)
}

// pixelLayout is the Image Pixel module (PS3.3 C.7.6.3) of a file.
type pixelLayout struct {
	rows, cols    int
	spp           int // Samples per Pixel (0028,0002)
	bitsAllocated int
	bitsStored    int
	signed        bool // Pixel Representation (0028,0103) = 1
	planar        bool // Planar Configuration (0028,0006) = 1
	photometric   string
	frameBytes    int
	crop          image.Rectangle
	bigEndian     bool
	encapsulated  bool
	rle           bool        // RLE Lossless (PS3.5 Annex G): frames decode to planar little-endian data
	swap8         bool        // 8-bit samples stored as OW in big endian: bytes swapped in pairs
	palette       *paletteLUT // PALETTE COLOR (PS3.3 C.7.6.3.1.5)
}

func openDICOMCine(path string, opt CineOptions) (Cine, error) {
	// A FIFO, device or socket is refused by name instead of blocking.
	f, err := safeio.OpenRegular(path)
	if err != nil {
		return nil, fmt.Errorf("imaging: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("imaging: %w", err)
	}
	// JPEG Lossless, JPEG-LS, JPEG 2000, JPEG Extended and Deflated files are
	// converted by GDCM to a native temporary copy, streamed in their place
	// (openTranscoded); CineInfo keeps the original path and Transfer Syntax UID.
	if ts, err := transferSyntaxOf(f, st.Size()); err == nil && needsTranscode(ts) {
		f.Close()
		return openTranscoded(path, opt)
	}
	c, err := newDICOMCine(f, st.Size(), path, opt)
	if err != nil {
		f.Close()
		return nil, err
	}
	c.close = f.Close
	return c, nil
}

// newDICOMCine reads the structure and metadata of the DICOM file r (size bytes) and
// checks everything the frames will need before any pixel is read.
func newDICOMCine(r io.ReaderAt, size int64, path string, opt CineOptions) (*dicomCine, error) {
	fail := func(format string, a ...any) error {
		return fmt.Errorf("imaging: %s: "+format, append([]any{path}, a...)...)
	}
	maxFrames := opt.maxFrames()
	scan, err := scanDICOM(r, size, 16*maxFrames+16)
	if err != nil {
		return nil, fail("%v", err)
	}
	if err := checkBoundedValues(r, scan, maxFrames); err != nil {
		return nil, fail("%v", err)
	}
	dset, err := parseMeta(r, scan)
	var pp *parsePanic
	if errors.As(err, &pp) {
		return nil, fmt.Errorf("imaging: could not parse %s: %v", path, pp)
	}
	if err != nil {
		return nil, fail("%v", err)
	}
	ds := elems(dset.Elements)

	px := pixelLayout{bigEndian: scan.bo == binary.BigEndian, encapsulated: scan.pixelLen == undefinedLength}
	for _, f := range []struct {
		t   tag.Tag
		dst *int
	}{{tag.Rows, &px.rows}, {tag.Columns, &px.cols}, {tag.SamplesPerPixel, &px.spp}, {tag.BitsAllocated, &px.bitsAllocated}} {
		n, ok, err := ds.int1(f.t)
		if err != nil {
			return nil, fail("%v", err)
		}
		if !ok {
			return nil, fail("no %s, which the Image Pixel module requires (PS3.3 C.7.6.3)", tagName(f.t))
		}
		*f.dst = n
	}
	px.photometric = ds.str(tag.PhotometricInterpretation)
	if px.photometric == "" {
		return nil, fail("no Photometric Interpretation (0028,0004)")
	}
	px.bitsStored = px.bitsAllocated
	if n, ok, err := ds.int1(tag.BitsStored); err != nil {
		return nil, fail("%v", err)
	} else if ok {
		px.bitsStored = n
	}
	if n, _, err := ds.int1(tag.PixelRepresentation); err != nil {
		return nil, fail("%v", err)
	} else {
		px.signed = n == 1
	}
	if n, _, err := ds.int1(tag.PlanarConfiguration); err != nil {
		return nil, fail("%v", err)
	} else {
		px.planar = n == 1
	}
	nFrames := 1
	if n, ok, err := ds.int1(tag.NumberOfFrames); err != nil {
		return nil, fail("%v", err)
	} else if ok {
		nFrames = n
	}

	// Sizes and limits, before anything is allocated.
	if px.rows < 1 || px.cols < 1 {
		return nil, fail("Rows (0028,0010) = %d, Columns (0028,0011) = %d: want at least 1", px.rows, px.cols)
	}
	if px.rows*px.cols > opt.maxPixels() {
		return nil, fail("frames of %d×%d pixels exceed the limit of %d pixels (CineOptions.MaxPixels)", px.cols, px.rows, opt.maxPixels())
	}
	if nFrames < 1 || nFrames > maxFrames {
		return nil, fail("Number of Frames (0028,0008) = %d: want 1..%d (CineOptions.MaxFrames)", nFrames, maxFrames)
	}
	if px.bitsAllocated != 8 && px.bitsAllocated != 16 {
		return nil, fail("Bits Allocated (0028,0100) = %d: only 8 and 16 are supported", px.bitsAllocated)
	}
	if px.bitsStored < 1 || px.bitsStored > px.bitsAllocated {
		return nil, fail("Bits Stored (0028,0101) = %d: want 1..%d (Bits Allocated)", px.bitsStored, px.bitsAllocated)
	}
	switch px.photometric {
	case "MONOCHROME1", "MONOCHROME2":
		if px.spp != 1 {
			return nil, fail("Samples per Pixel (0028,0002) = %d for %s: want 1", px.spp, px.photometric)
		}
	case "RGB", "YBR_FULL", "YBR_FULL_422":
		if px.spp != 3 {
			return nil, fail("Samples per Pixel (0028,0002) = %d for %s: want 3", px.spp, px.photometric)
		}
	case "PALETTE COLOR":
		if px.spp != 1 {
			return nil, fail("Samples per Pixel (0028,0002) = %d for PALETTE COLOR: want 1", px.spp)
		}
		if scan.ts == uidJPEGBaseline {
			return nil, fail("PALETTE COLOR with JPEG Baseline (lossy) is not allowed (PS3.5 8.2.1)")
		}
		if px.palette, err = readPalette(ds, scan.bo, px.signed, px.bitsStored); err != nil {
			return nil, fail("%v", err)
		}
	default:
		return nil, fail("Photometric Interpretation (0028,0004) = %q is not supported (want MONOCHROME1, MONOCHROME2, PALETTE COLOR, RGB, YBR_FULL or YBR_FULL_422)", px.photometric)
	}
	crop, err := cropRect(path, opt, px.cols, px.rows)
	if err != nil {
		return nil, err
	}
	px.crop = crop

	c := &dicomCine{f: r, scan: scan, pix: px, chroma: opt.chromaThreshold()}
	switch {
	case scan.ts == uidJPEGBaseline:
		if !px.encapsulated {
			return nil, fail("Transfer Syntax %s (JPEG Baseline) with Pixel Data of defined length; encapsulated fragments expected (PS3.5 A.4)", scan.ts)
		}
		if px.bitsAllocated != 8 {
			return nil, fail("Bits Allocated (0028,0100) = %d with JPEG Baseline: want 8", px.bitsAllocated)
		}
		frames, err := groupFragments(r, scan, nFrames)
		if err != nil {
			return nil, fail("%v", err)
		}
		c.frames = frames
	case scan.ts == uidRLELossless:
		if !px.encapsulated {
			return nil, fail("Transfer Syntax %s with Pixel Data of defined length; encapsulated fragments expected (PS3.5 A.4)", syntaxLabel(scan.ts))
		}
		if px.photometric == "YBR_FULL_422" {
			return nil, fail("Photometric Interpretation YBR_FULL_422 with RLE Lossless: PS3.5 G.2 encodes colour as RGB or YBR_FULL")
		}
		if len(scan.fragments) != nFrames && len(scan.bot) != nFrames {
			return nil, fail("RLE Lossless Pixel Data has %d fragments and a Basic Offset Table of %d entries for %d frames; PS3.5 A.4.2 wants one fragment per frame", len(scan.fragments), len(scan.bot), nFrames)
		}
		frames, err := groupFragments(r, scan, nFrames)
		if err != nil {
			return nil, fail("%v", err)
		}
		c.frames = frames
		px.rle, px.planar = true, true
		px.frameBytes = px.rows * px.cols * px.spp * px.bitsAllocated / 8
		c.pix = px
	case scan.ts == uidImplicitLE || scan.ts == uidExplicitLE || scan.ts == uidExplicitBE:
		if px.encapsulated {
			return nil, fail("Pixel Data of undefined length (encapsulated) with the native Transfer Syntax %s", syntaxLabel(scan.ts))
		}
		samples := px.rows * px.cols * px.spp
		if px.photometric == "YBR_FULL_422" {
			if px.planar || px.cols%2 != 0 {
				return nil, fail("YBR_FULL_422 needs an even number of Columns (0028,0011) and Planar Configuration 0 (PS3.3 C.7.6.3.1.2); got %d columns, planar %v", px.cols, px.planar)
			}
			samples = px.rows * px.cols * 2
		}
		px.frameBytes = samples * px.bitsAllocated / 8
		// 8-bit samples in Explicit VR Big Endian are a byte stream when stored as OB
		// (PS3.5 8.1.1); as OW, each pair of bytes is swapped.
		if px.bigEndian && px.bitsAllocated == 8 && scan.pixelVR == "OW" {
			if px.frameBytes%2 != 0 {
				return nil, fail("8-bit Pixel Data stored as OW in Explicit VR Big Endian with frames of an odd number of bytes (%d) is not supported", px.frameBytes)
			}
			px.swap8 = true
		}
		c.pix = px
		// Pixel Data may be longer than its frames (padding, PS3.5 8.1.1, which pydicom
		// accepts); shorter, or longer by a whole frame or more, is refused.
		need := int64(px.frameBytes) * int64(nFrames)
		have := int64(scan.pixelLen)
		if have < need || have-need >= int64(px.frameBytes) {
			return nil, fail("Pixel Data (7FE0,0010) holds %d bytes, but %d frames of %d×%d×%d samples of %d bits need %d", have, nFrames, px.cols, px.rows, px.spp, px.bitsAllocated, need)
		}
	default:
		return nil, fail("Transfer Syntax UID (0002,0010) = %s is not supported (want %s)", syntaxLabel(scan.ts), supportedSyntaxes)
	}

	// Timing (PS3.3 C.7.6.5).
	info := CineInfo{
		Path: path, Format: "dicom", Width: px.crop.Dx(), Height: px.crop.Dy(), NumFrames: nFrames,
		BitsAllocated: px.bitsAllocated, Photometric: px.photometric, TransferSyntax: scan.ts,
	}
	if px.palette != nil {
		info.BitsAllocated = px.palette.bits
	}
	if !opt.Crop.Empty() {
		info.Crop = px.crop
	}
	ftv, hasFTV, err := ds.floats(tag.FrameTimeVector)
	if err != nil {
		return nil, fail("%v", err)
	}
	ft, hasFT, err := ds.floats(tag.FrameTime)
	if err != nil {
		return nil, fail("%v", err)
	}
	cr, hasCR, err := ds.floats(tag.CineRate)
	if err != nil {
		return nil, fail("%v", err)
	}
	switch {
	case hasFTV:
		if len(ftv) != nFrames {
			return nil, fail("Frame Time Vector (0018,1065) has %d values for %d frames", len(ftv), nFrames)
		}
		c.times = make([]float64, nFrames)
		for i := 1; i < nFrames; i++ {
			if !intervalOK(ftv[i]) {
				return nil, fail("Frame Time Vector (0018,1065) value %d is %v ms: want an increment of %v to %v ms (%v to %v frames per second)", i+1, ftv[i], 1000/MaxFrameRate, 1000/MinFrameRate, MinFrameRate, MaxFrameRate)
			}
			c.times[i] = c.times[i-1] + ftv[i]/1000
		}
		info.Timing = TimingFrameTimeVector
	case hasFT && nFrames == 1 && ft[0] == 0:
		info.Timing = TimingFrameTime
	case hasFT:
		if !intervalOK(ft[0]) {
			return nil, fail("Frame Time (0018,1063) = %v ms: want %v to %v ms (%v to %v frames per second)", ft[0], 1000/MaxFrameRate, 1000/MinFrameRate, MinFrameRate, MaxFrameRate)
		}
		c.dt = ft[0] / 1000
		info.Timing = TimingFrameTime
	case hasCR:
		if !(cr[0] >= MinFrameRate && cr[0] <= MaxFrameRate) {
			return nil, fail("Cine Rate (0018,0040) = %v: want %v to %v frames per second", cr[0], MinFrameRate, MaxFrameRate)
		}
		c.dt = 1 / cr[0]
		info.Timing = TimingCineRate
	case opt.FrameRate > 0:
		c.dt = 1 / opt.FrameRate
		info.Timing = TimingOption
	case nFrames == 1:
		info.Timing = ""
	default:
		return nil, fail("no frame timing: none of Frame Time Vector (0018,1065), Frame Time (0018,1063) or Cine Rate (0018,0040) is present; give CineOptions.FrameRate")
	}
	switch {
	case c.times != nil && nFrames > 1 && c.times[nFrames-1] > 0:
		info.FrameRate = float64(nFrames-1) / c.times[nFrames-1]
	case c.dt > 0:
		info.FrameRate = 1 / c.dt
	}

	// Physical pixel size.
	if info.Regions, err = ultrasoundRegions(ds); err != nil {
		return nil, fail("%v", err)
	}
	for k, reg := range info.Regions {
		if dx, dy, ok := reg.PixelSpacingMM(); ok && (!spacingOK(dx) || !spacingOK(dy)) {
			return nil, fail("Sequence of Ultrasound Regions (0018,6011) item %d: Physical Delta X/Y = %v/%v cm; want %v to %v cm per pixel", k+1, reg.DeltaX, reg.DeltaY, minSpacingMM/10, maxSpacingMM/10)
		}
	}
	if sp, ok, err := ds.floats(tag.PixelSpacing); err != nil {
		return nil, fail("%v", err)
	} else if ok && sp[0] != 0 {
		for _, v := range sp {
			if !spacingOK(v) {
				return nil, fail("Pixel Spacing (0028,0030) = %v mm: want %v to %v mm", sp, minSpacingMM, maxSpacingMM)
			}
		}
		info.PixelSpacingMM = sp[0]
	} else {
		info.PixelSpacingMM = regionSpacing(info.Regions, px.crop, !opt.Crop.Empty())
	}
	c.info = info
	return c, nil
}

// Plausible physical quantities: a frame rate of MinFrameRate to MaxFrameRate frames
// per second (Frame Time, each Frame Time Vector increment, Cine Rate, the caller's
// CineOptions.FrameRate and the manifest's frame_rate) and a pixel of 1 µm to 10 mm
// (Pixel Spacing, and Physical Delta X/Y of Ultrasound Regions in cm). Values outside
// are refused with the element named: they come from corrupt headers or typing
// errors (clinical CEUS is recorded at about 1–30 fps, ultrafast research
// acquisitions at up to some hundreds).
const (
	MinFrameRate = 0.1
	MaxFrameRate = 1000.0
	minSpacingMM = 0.001
	maxSpacingMM = 10
)

// intervalOK reports whether a frame interval in ms gives a plausible frame rate.
func intervalOK(ms float64) bool { return ms >= 1000/MaxFrameRate && ms <= 1000/MinFrameRate }

func spacingOK(mm float64) bool { return mm >= minSpacingMM && mm <= maxSpacingMM }

// groupFragments assigns the fragments of encapsulated Pixel Data to n frames (PS3.5
// A.4): one fragment per frame when there are n; else by the Basic Offset Table when it
// has n entries; else all fragments to the only frame; else a frame starts at each
// fragment that begins with a JPEG Start Of Image marker (FFD8).
func groupFragments(r io.ReaderAt, scan *dcmScan, n int) ([][2]int, error) {
	fr := scan.fragments
	out := make([][2]int, 0, n)
	switch {
	case len(fr) == n:
		for i := range fr {
			out = append(out, [2]int{i, i + 1})
		}
		return out, nil
	case len(fr) == 0:
		return nil, fmt.Errorf("encapsulated Pixel Data has no fragments for %d frames", n)
	case len(scan.bot) == n:
		base := fr[0][0] - 8
		k := 0
		for i, off := range scan.bot {
			for k < len(fr) && fr[k][0]-8-base < int64(off) {
				k++
			}
			if k == len(fr) || fr[k][0]-8-base != int64(off) || (i > 0 && k == out[i-1][0]) {
				return nil, fmt.Errorf("Basic Offset Table entry %d (%d) does not point at a fragment", i, off)
			}
			if i > 0 {
				out[i-1][1] = k
			}
			out = append(out, [2]int{k, len(fr)})
		}
		if out[0][0] != 0 {
			return nil, fmt.Errorf("Basic Offset Table does not start at the first fragment")
		}
		return out, nil
	case n == 1:
		return [][2]int{{0, len(fr)}}, nil
	}
	var soi [2]byte
	for i, f := range fr {
		start := false
		if f[1] >= 2 {
			if _, err := r.ReadAt(soi[:], f[0]); err != nil {
				return nil, fmt.Errorf("encapsulated Pixel Data fragment %d: %w", i, err)
			}
			start = soi == [2]byte{0xFF, 0xD8}
		}
		switch {
		case i == 0 && !start:
			return nil, fmt.Errorf("encapsulated Pixel Data: the first fragment does not start with a JPEG SOI marker")
		case start:
			if len(out) > 0 {
				out[len(out)-1][1] = i
			}
			out = append(out, [2]int{i, len(fr)})
		}
	}
	if len(out) != n {
		return nil, fmt.Errorf("encapsulated Pixel Data holds %d JPEG images in %d fragments, Number of Frames (0028,0008) says %d", len(out), len(fr), n)
	}
	return out, nil
}

func (c *dicomCine) Info() CineInfo { return c.info }

func (c *dicomCine) Close() error {
	if c.err == nil {
		c.err = fmt.Errorf("imaging: %s: Next on a closed cine", c.info.Path)
	}
	if c.close != nil {
		cl := c.close
		c.close = nil
		return cl()
	}
	return nil
}

// Next reads, converts and crops the next frame.
func (c *dicomCine) Next() (Frame, error) {
	if c.err != nil {
		return Frame{}, c.err
	}
	if c.next >= c.info.NumFrames {
		return Frame{}, io.EOF
	}
	i := c.next
	var img image.Image
	var ov *Mask
	var err error
	switch {
	case c.pix.rle:
		img, ov, err = c.rleFrame(i)
	case c.pix.encapsulated:
		img, ov, err = c.jpegFrame(i)
	default:
		img, ov, err = c.nativeFrame(i)
	}
	if err != nil {
		c.err = fmt.Errorf("imaging: %s: frame %d: %w", c.info.Path, i, err)
		return Frame{}, c.err
	}
	c.next++
	t := float64(i) * c.dt
	if c.times != nil {
		t = c.times[i]
	}
	return Frame{Index: i, Time: t, Img: img, Overlay: ov}, nil
}

// fragmentsOf reads the fragments of encapsulated frame i into c.buf, refusing more
// than limit bytes.
func (c *dicomCine) fragmentsOf(i int, limit int64, what string) ([]byte, error) {
	fr := c.frames[i]
	n := int64(0)
	for _, f := range c.scan.fragments[fr[0]:fr[1]] {
		n += f[1]
	}
	if n > limit {
		return nil, fmt.Errorf("%s data of %d bytes is larger than an uncompressed frame", what, n)
	}
	if cap(c.buf) < int(n) {
		c.buf = make([]byte, n)
	}
	b := c.buf[:n]
	o := 0
	for _, f := range c.scan.fragments[fr[0]:fr[1]] {
		if _, err := c.f.ReadAt(b[o:o+int(f[1])], f[0]); err != nil {
			return nil, err
		}
		o += int(f[1])
	}
	return b, nil
}

// rleFrame decodes frame i of RLE Lossless data (PS3.5 Annex G) and converts it like
// native data.
func (c *dicomCine) rleFrame(i int) (image.Image, *Mask, error) {
	// PackBits expands at most 129/128 (all literal runs), plus the 64-byte header and
	// an odd byte of padding per segment.
	b, err := c.fragmentsOf(i, int64(c.pix.frameBytes)*2+64+16, "RLE")
	if err != nil {
		return nil, nil, err
	}
	if c.raw == nil {
		c.raw = make([]byte, c.pix.frameBytes)
	}
	if err := decodeRLEFrame(b, c.raw, c.pix.rows*c.pix.cols, c.pix.spp, c.pix.bitsAllocated/8); err != nil {
		return nil, nil, err
	}
	img, ov := c.convert(c.raw)
	return img, ov, nil
}

func (c *dicomCine) jpegFrame(i int) (image.Image, *Mask, error) {
	b, err := c.fragmentsOf(i, int64(c.pix.rows*c.pix.cols*3+1<<20), "JPEG")
	if err != nil {
		return nil, nil, err
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, nil, fmt.Errorf("JPEG: %w", err)
	}
	if cfg.Width != c.pix.cols || cfg.Height != c.pix.rows {
		return nil, nil, fmt.Errorf("JPEG image is %d×%d, Columns×Rows say %d×%d", cfg.Width, cfg.Height, c.pix.cols, c.pix.rows)
	}
	m, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, nil, fmt.Errorf("JPEG: %w", err)
	}
	if _, ok := m.(*image.CMYK); ok {
		return nil, nil, fmt.Errorf("JPEG image is CMYK")
	}
	var g *image.Gray
	var ov *Mask
	if y, ok := m.(*image.YCbCr); ok && c.pix.photometric == "RGB" {
		var full *Mask
		g, full = rgbPlanesLuma(y, c.chroma)
		ov = cropMask(full, c.pix.crop)
	} else if g, ok = ToGray(m).(*image.Gray); !ok {
		return nil, nil, fmt.Errorf("JPEG image decoded as %T, want 8-bit samples", m)
	} else {
		ov = chromaMask(m, c.pix.crop, c.chroma)
	}
	if c.pix.photometric == "MONOCHROME1" {
		for k, v := range g.Pix {
			g.Pix[k] = 255 - v
		}
	}
	return cropGray(g, c.pix.crop), ov, nil
}

// nativeFrame converts native pixel data (PS3.5 8.1, 8.2): grey samples are masked to
// Bits Stored; signed samples are shifted by 2^(Bits Stored - 1) so that they range over
// 0..2^(Bits Stored)-1 like unsigned ones; MONOCHROME1 is inverted (max - v); RGB is
// converted with Luma8/Luma16; YBR_FULL and YBR_FULL_422 give their Y samples.
func (c *dicomCine) nativeFrame(i int) (image.Image, *Mask, error) {
	px := &c.pix
	if c.buf == nil {
		c.buf = make([]byte, px.frameBytes)
	}
	if _, err := c.f.ReadAt(c.buf, c.scan.pixelValue+int64(i)*int64(px.frameBytes)); err != nil {
		return nil, nil, err
	}
	if px.swap8 {
		for k := 0; k+1 < len(c.buf); k += 2 {
			c.buf[k], c.buf[k+1] = c.buf[k+1], c.buf[k]
		}
	}
	img, ov := c.convert(c.buf)
	return img, ov, nil
}

// convert turns one frame of native samples b into a grey image (see nativeFrame).
// PALETTE COLOR indices are mapped through the palette and converted with the BT.601
// luma on the LUT's scale (8-bit output for 8-bit LUT entries, else 16-bit). For RGB,
// YBR and PALETTE COLOR it also returns the chromatic pixels of the delivered box
// (Frame.Overlay; nil when none or when detection is off).
func (c *dicomCine) convert(b []byte) (image.Image, *Mask) {
	px := &c.pix
	bps := px.bitsAllocated / 8
	sample := func(k int) uint32 { // k-th sample of the frame
		if bps == 1 {
			return uint32(b[k])
		}
		if px.bigEndian {
			return uint32(b[2*k])<<8 | uint32(b[2*k+1])
		}
		return uint32(b[2*k]) | uint32(b[2*k+1])<<8
	}
	mask := uint32(1)<<px.bitsStored - 1
	maxv := mask
	grey := func(v uint32) uint32 {
		v &= mask
		if px.signed {
			v ^= 1 << (px.bitsStored - 1) // two's complement + 2^(bits-1)
		}
		if px.photometric == "MONOCHROME1" {
			v = maxv - v
		}
		return v
	}
	npix := px.rows * px.cols
	var value func(x, y int) uint32
	switch px.photometric {
	case "MONOCHROME1", "MONOCHROME2":
		value = func(x, y int) uint32 { return grey(sample(y*px.cols + x)) }
	case "RGB":
		value = func(x, y int) uint32 {
			p := y*px.cols + x
			var r, g, bl uint32
			if px.planar {
				r, g, bl = sample(p)&mask, sample(npix+p)&mask, sample(2*npix+p)&mask
			} else {
				r, g, bl = sample(3*p)&mask, sample(3*p+1)&mask, sample(3*p+2)&mask
			}
			if bps == 1 {
				return uint32(Luma8(uint8(r), uint8(g), uint8(bl)))
			}
			return uint32(Luma16(uint16(r), uint16(g), uint16(bl)))
		}
	case "YBR_FULL":
		value = func(x, y int) uint32 {
			p := y*px.cols + x
			if px.planar {
				return sample(p) & mask
			}
			return sample(3*p) & mask
		}
	case "PALETTE COLOR":
		pal := px.palette
		value = func(x, y int) uint32 { return pal.grey(sample(y*px.cols+x) & mask) }
	case "YBR_FULL_422":
		value = func(x, y int) uint32 {
			p := y*px.cols + x
			return sample(4*(p/2)+p%2) & mask
		}
	}
	r := px.crop
	ov := c.overlay(b, sample, mask)
	outBits := 8 * bps
	if px.palette != nil {
		outBits = px.palette.bits
	}
	if outBits == 8 {
		out := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
		if px.photometric == "MONOCHROME2" && !px.signed && px.bitsStored == 8 {
			for y := 0; y < r.Dy(); y++ {
				o := (r.Min.Y+y)*px.cols + r.Min.X
				copy(out.Pix[y*out.Stride:y*out.Stride+r.Dx()], b[o:o+r.Dx()])
			}
			return out, nil
		}
		for y := 0; y < r.Dy(); y++ {
			row := out.Pix[y*out.Stride:]
			for x := 0; x < r.Dx(); x++ {
				row[x] = uint8(value(r.Min.X+x, r.Min.Y+y))
			}
		}
		return out, ov
	}
	out := image.NewGray16(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := 0; y < r.Dy(); y++ {
		row := out.Pix[y*out.Stride:]
		for x := 0; x < r.Dx(); x++ {
			v := value(r.Min.X+x, r.Min.Y+y)
			row[2*x], row[2*x+1] = uint8(v>>8), uint8(v)
		}
	}
	return out, ov
}

// overlay returns the chromatic pixels (chroma above the threshold c.chroma, scaled
// to the samples' bits) of the delivered box of one frame of native samples, read by
// sample (the k-th sample of the frame) and masked by mask: RGB from its three
// samples, YBR_FULL and YBR_FULL_422 from Y, Cb, Cr (ybrChroma), PALETTE COLOR from
// the palette entry. Grey photometric interpretations, or detection off, give nil.
func (c *dicomCine) overlay(b []byte, sample func(k int) uint32, mask uint32) *Mask {
	px := &c.pix
	if c.chroma < 0 {
		return nil
	}
	r := px.crop
	o := overlayMask{w: r.Dx(), h: r.Dy()}
	if px.photometric == "RGB" && px.bitsAllocated == 8 && px.bitsStored == 8 && !px.planar {
		// The common export: interleaved 8-bit R, G, B bytes, read directly.
		t := uint8(min(c.chroma, 255))
		for y := 0; y < r.Dy(); y++ {
			row := b[3*((r.Min.Y+y)*px.cols+r.Min.X):]
			for x := 0; x < r.Dx(); x++ {
				if Chroma8(row[3*x], row[3*x+1], row[3*x+2]) > t {
					o.set(x, y)
				}
			}
		}
		return o.m
	}
	npix := px.rows * px.cols
	bits := px.bitsStored
	var chroma func(p int) uint32 // chroma of stored pixel p
	switch px.photometric {
	case "RGB":
		chroma = func(p int) uint32 {
			if px.planar {
				return chroma16(sample(p)&mask, sample(npix+p)&mask, sample(2*npix+p)&mask)
			}
			return chroma16(sample(3*p)&mask, sample(3*p+1)&mask, sample(3*p+2)&mask)
		}
	case "YBR_FULL":
		chroma = func(p int) uint32 {
			if px.planar {
				return ybrChroma(sample(p)&mask, sample(npix+p)&mask, sample(2*npix+p)&mask, bits)
			}
			return ybrChroma(sample(3*p)&mask, sample(3*p+1)&mask, sample(3*p+2)&mask, bits)
		}
	case "YBR_FULL_422": // Y0 Y1 Cb Cr per pair of pixels (PS3.3 C.7.6.3.1.2)
		chroma = func(p int) uint32 {
			q := 4 * (p / 2)
			return ybrChroma(sample(q+p%2)&mask, sample(q+2)&mask, sample(q+3)&mask, bits)
		}
	case "PALETTE COLOR":
		chromatic := px.palette.chromatic(c.chroma)
		chroma = func(p int) uint32 {
			if chromatic[px.palette.index(sample(p)&mask)] {
				return 1
			}
			return 0
		}
		bits = 0 // the table holds the decision: chromatic means chroma 1 > 0
	default:
		return nil
	}
	t := scaledThreshold(c.chroma, bits)
	for y := 0; y < r.Dy(); y++ {
		for x := 0; x < r.Dx(); x++ {
			if chroma((r.Min.Y+y)*px.cols+r.Min.X+x) > t {
				o.set(x, y)
			}
		}
	}
	return o.m
}

// regionSpacing picks the pixel size from the Ultrasound Regions (PS3.3 C.8.5.5.1.11,
// Physical Delta Y) among the 2D regions (Region Spatial Format 1) in cm: with a crop,
// the first such region that contains the crop box; without one, their common value
// when they all agree. It returns 0 when no region qualifies or they disagree.
func regionSpacing(regions []Region, crop image.Rectangle, cropped bool) float64 {
	common := 0.0
	for _, reg := range regions {
		_, dy, ok := reg.PixelSpacingMM()
		if !ok || reg.SpatialFormat != 1 {
			continue
		}
		if cropped {
			if crop.In(reg.Bounds) {
				return dy
			}
			continue
		}
		if common != 0 && math.Abs(common-dy) > 1e-9*dy {
			return 0
		}
		common = dy
	}
	if cropped {
		return 0
	}
	return common
}
