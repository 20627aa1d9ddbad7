package imaging

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// Volume is a 2D or 3D image on a regular grid, as stored in a NIfTI-1 file.
// Data[x + Nx*(y + Ny*z)] is voxel (x, y, z) (x fastest). Spacing is the voxel size
// (pixdim[1..3]) in mm when the file states a spatial unit, else as stored; 1 for
// dimensions the file does not have. Datatype is the NIfTI-1 datatype code.
type Volume struct {
	Nx, Ny, Nz int
	Spacing    [3]float64
	Datatype   Datatype
	Data       []float64
}

// Datatype is a NIfTI-1 datatype code (nifti1.h, "datatype" field).
type Datatype int16

// The NIfTI-1 datatypes read and written here.
const (
	DTUint8   Datatype = 2
	DTInt16   Datatype = 4
	DTInt32   Datatype = 8
	DTFloat32 Datatype = 16
	DTFloat64 Datatype = 64
	DTInt8    Datatype = 256
	DTUint16  Datatype = 512
	DTUint32  Datatype = 768
)

// bytes per voxel, 0 when unsupported.
func (d Datatype) size() int {
	switch d {
	case DTUint8, DTInt8:
		return 1
	case DTInt16, DTUint16:
		return 2
	case DTInt32, DTUint32, DTFloat32:
		return 4
	case DTFloat64:
		return 8
	}
	return 0
}

// String returns the NIfTI-1 name of the datatype (nifti1.h: DT_UINT8 → "uint8", ...).
func (d Datatype) String() string {
	switch d {
	case DTUint8:
		return "uint8"
	case DTInt16:
		return "int16"
	case DTInt32:
		return "int32"
	case DTFloat32:
		return "float32"
	case DTFloat64:
		return "float64"
	case DTInt8:
		return "int8"
	case DTUint16:
		return "uint16"
	case DTUint32:
		return "uint32"
	}
	return fmt.Sprintf("datatype %d", int16(d))
}

// MaxVoxels is the largest volume ReadNIfTI accepts by default (Nx·Ny·Nz):
// 2²⁴ = 16,777,216 voxels, e.g. 256³ or 4096×4096, whose Volume.Data takes
// 128 MiB (float64). NIfTIOptions.MaxVoxels raises or lowers it.
const MaxVoxels = 1 << 24

// MaxNIfTIExtensionBytes bounds the header extensions ReadNIfTI skips before
// vox_offset: 64 MiB.
const MaxNIfTIExtensionBytes = 1 << 26

// NIfTIOptions bound what ReadNIfTIWith accepts. The zero value means the
// defaults.
type NIfTIOptions struct {
	// MaxVoxels is the largest Nx·Ny·Nz accepted; 0 means MaxVoxels.
	MaxVoxels int
	// Want is the geometry the caller expects (Nx, Ny, Nz); an entry of 0
	// accepts any size along that axis. A file of another size is refused
	// from its header, before any voxel is read, with a *SizeError.
	Want [3]int
}

// SizeError is the error of a NIfTI file or mask whose size is not the one
// the caller expects.
type SizeError struct {
	Path      string
	Got, Want [3]int // Nx, Ny, Nz; 0 in Want: any size
}

func (e *SizeError) Error() string {
	dims := func(d [3]int) string {
		var s []string
		for _, x := range d {
			if x == 0 {
				s = append(s, "any")
			} else {
				s = append(s, fmt.Sprint(x))
			}
		}
		return strings.Join(s, "×")
	}
	return fmt.Sprintf("imaging: %s: size is %s, want %s", e.Path, dims(e.Got), dims(e.Want))
}

const niftiHeaderSize = 348

// ReadNIfTI reads a single-file NIfTI-1 image (.nii, or gzip-compressed .nii.gz, magic
// "n+1"), 2D or 3D (dim[0] ≤ 3, or higher dimensions of size 1), in either byte order
// (detected from sizeof_hdr = 348). Supported datatypes: uint8, int8, int16, uint16,
// int32, uint32, float32, float64. When scl_slope is non-zero and finite the values are
// scl_slope·x + scl_inter (NIfTI-1 "scl_slope" field); voxels are in file order (the
// qform/sform orientation is not applied). The declared size is checked against
// MaxVoxels and, for an uncompressed file, against the file length before the data is
// allocated; a compressed file is decompressed as a stream, never past the declared
// size (plus one byte, to tell that more follows), and its values are stored only as
// they arrive. A file that holds fewer or more bytes than declared is an error.
func ReadNIfTI(path string) (*Volume, error) { return ReadNIfTIWith(path, NIfTIOptions{}) }

// ReadNIfTIWith is ReadNIfTI with limits and an expected geometry (NIfTIOptions),
// both checked from the 348-byte header before any voxel is read.
func ReadNIfTIWith(path string, opt NIfTIOptions) (*Volume, error) {
	f, err := safeio.OpenRegular(path)
	if err != nil {
		return nil, fmt.Errorf("imaging: %w", err)
	}
	defer f.Close()
	var r io.Reader = bufio.NewReaderSize(f, 1<<16)
	size := int64(-1)
	if strings.HasSuffix(strings.ToLower(path), ".gz") {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("imaging: %s: gzip: %w", path, err)
		}
		defer zr.Close()
		r = zr
	} else if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	v, err := readNIfTIOpt(r, size, opt)
	if se, ok := err.(*SizeError); ok {
		se.Path = path
		return nil, se
	}
	if err != nil {
		return nil, fmt.Errorf("imaging: %s: %w", path, err)
	}
	return v, nil
}

// readNIfTI decodes a NIfTI-1 stream of size bytes (-1 when unknown) with the
// default limits.
func readNIfTI(r io.Reader, size int64) (*Volume, error) {
	return readNIfTIOpt(r, size, NIfTIOptions{})
}

// readNIfTIOpt decodes a NIfTI-1 stream of size bytes (-1 when unknown).
func readNIfTIOpt(r io.Reader, size int64, opt NIfTIOptions) (*Volume, error) {
	var h [niftiHeaderSize]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, fmt.Errorf("NIfTI-1 header (348 bytes): %w", noEOF(err))
	}
	var bo binary.ByteOrder
	switch {
	case binary.LittleEndian.Uint32(h[0:]) == niftiHeaderSize:
		bo = binary.LittleEndian
	case binary.BigEndian.Uint32(h[0:]) == niftiHeaderSize:
		bo = binary.BigEndian
	case binary.LittleEndian.Uint32(h[0:]) == 540 || binary.BigEndian.Uint32(h[0:]) == 540:
		return nil, errors.New("sizeof_hdr = 540: NIfTI-2 is not supported, only NIfTI-1")
	default:
		return nil, fmt.Errorf("sizeof_hdr = %d: not a NIfTI-1 file (want 348)", int32(binary.LittleEndian.Uint32(h[0:])))
	}
	switch string(h[344:348]) {
	case "n+1\x00":
	case "ni1\x00":
		return nil, errors.New(`magic = "ni1": header/image file pairs (.hdr/.img) are not supported; use a single .nii file`)
	default:
		return nil, fmt.Errorf("magic = %q: want \"n+1\" (NIfTI-1 single file)", h[344:348])
	}
	i16 := func(o int) int { return int(int16(bo.Uint16(h[o:]))) }
	f32 := func(o int) float64 { return float64(math.Float32frombits(bo.Uint32(h[o:]))) }
	ndim := i16(40)
	if ndim < 1 || ndim > 7 {
		return nil, fmt.Errorf("dim[0] = %d: want 1..7", ndim)
	}
	var dim [8]int
	for i := 1; i <= 7; i++ {
		dim[i] = 1
		if i <= ndim {
			dim[i] = i16(40 + 2*i)
			if dim[i] < 1 {
				return nil, fmt.Errorf("dim[%d] = %d: want at least 1", i, dim[i])
			}
		}
		if i > 3 && dim[i] != 1 {
			return nil, fmt.Errorf("dim[%d] = %d: only 2D and 3D images are supported", i, dim[i])
		}
	}
	dt := Datatype(i16(70))
	bpv := dt.size()
	if bpv == 0 {
		return nil, fmt.Errorf("datatype = %d: supported are uint8 (2), int16 (4), int32 (8), float32 (16), float64 (64), int8 (256), uint16 (512), uint32 (768)", int16(dt))
	}
	if bitpix := i16(72); bitpix != 8*bpv {
		return nil, fmt.Errorf("bitpix = %d for %v: want %d", bitpix, dt, 8*bpv)
	}
	for i, w := range opt.Want {
		if w != 0 && dim[i+1] != w {
			return nil, &SizeError{Got: [3]int{dim[1], dim[2], dim[3]}, Want: opt.Want}
		}
	}
	maxVox := int64(MaxVoxels)
	if opt.MaxVoxels > 0 {
		maxVox = int64(opt.MaxVoxels)
	}
	n := int64(dim[1]) * int64(dim[2]) * int64(dim[3])
	if n > maxVox {
		return nil, fmt.Errorf("dim = %d×%d×%d: %d voxels, more than the limit of %d (imaging.MaxVoxels, NIfTIOptions.MaxVoxels)", dim[1], dim[2], dim[3], n, maxVox)
	}
	voxOffset := f32(108)
	if !(voxOffset >= niftiHeaderSize+4) || voxOffset != math.Trunc(voxOffset) || voxOffset > niftiHeaderSize+MaxNIfTIExtensionBytes {
		return nil, fmt.Errorf("vox_offset = %v: want a whole number of bytes from 352 to %d", voxOffset, niftiHeaderSize+MaxNIfTIExtensionBytes)
	}
	off := int64(voxOffset)
	need := off + n*int64(bpv)
	if size >= 0 && size != need {
		return nil, fmt.Errorf("file has %d bytes, but vox_offset %d + %d voxels of %v need %d", size, off, n, dt, need)
	}
	// Never read (decompress) more than the declared size and one byte more,
	// which tells that data continue past it.
	r = io.LimitReader(r, need-niftiHeaderSize+1)
	slope, inter := f32(112), f32(116)
	if math.IsInf(slope, 0) || (slope != 0 && !math.IsNaN(slope) && (math.IsInf(inter, 0) || math.IsNaN(inter))) {
		return nil, fmt.Errorf("scl_slope = %v, scl_inter = %v: want finite values", slope, inter)
	}
	scale := slope != 0 && !math.IsNaN(slope)
	unit := 1.0
	switch h[123] & 0x07 { // xyzt_units, spatial part (NIFTI_UNITS_*)
	case 1: // metre
		unit = 1000
	case 3: // micron
		unit = 0.001
	}
	v := &Volume{Nx: dim[1], Ny: dim[2], Nz: dim[3], Datatype: dt}
	for i := 0; i < 3; i++ {
		v.Spacing[i] = 1
		if i < ndim {
			p := math.Abs(f32(80 + 4*i))
			if !(p > 0) || math.IsInf(p, 0) {
				return nil, fmt.Errorf("pixdim[%d] = %v: want a positive voxel size", i+1, f32(80+4*i))
			}
			v.Spacing[i] = p * unit
		}
	}
	// Extensions (if any) up to vox_offset.
	if _, err := io.CopyN(io.Discard, r, off-niftiHeaderSize); err != nil {
		return nil, fmt.Errorf("extensions before vox_offset %d: %w", off, noEOF(err))
	}
	// The data: preallocated when the file size has been checked, grown as it arrives
	// otherwise, so that a compressed file cannot claim memory it does not fill.
	if size >= 0 {
		v.Data = make([]float64, 0, n)
	}
	buf := make([]byte, 1<<16-(1<<16)%bpv)
	for left := n * int64(bpv); left > 0; {
		chunk := buf
		if int64(len(chunk)) > left {
			chunk = chunk[:left]
		}
		if _, err := io.ReadFull(r, chunk); err != nil {
			return nil, fmt.Errorf("voxel data (%d voxels of %v): %w", n, dt, noEOF(err))
		}
		left -= int64(len(chunk))
		for k := 0; k < len(chunk); k += bpv {
			x := decodeVoxel(dt, bo, chunk[k:])
			if scale {
				x = slope*x + inter
			}
			v.Data = append(v.Data, x)
		}
	}
	if size < 0 {
		var one [1]byte
		switch k, err := io.ReadFull(r, one[:]); {
		case k != 0:
			return nil, fmt.Errorf("data continue past the %d voxels that dim declares", n)
		case err != io.EOF:
			return nil, fmt.Errorf("after the voxel data: %w", err)
		}
	}
	return v, nil
}

func noEOF(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return errors.New("file is truncated")
	}
	return err
}

func decodeVoxel(dt Datatype, bo binary.ByteOrder, b []byte) float64 {
	switch dt {
	case DTUint8:
		return float64(b[0])
	case DTInt8:
		return float64(int8(b[0]))
	case DTInt16:
		return float64(int16(bo.Uint16(b)))
	case DTUint16:
		return float64(bo.Uint16(b))
	case DTInt32:
		return float64(int32(bo.Uint32(b)))
	case DTUint32:
		return float64(bo.Uint32(b))
	case DTFloat32:
		return float64(math.Float32frombits(bo.Uint32(b)))
	default: // DTFloat64
		return math.Float64frombits(bo.Uint64(b))
	}
}

// WriteNIfTI writes v as a little-endian single-file NIfTI-1 image (gzip-compressed
// when path ends in .gz) with datatype dt: dim[0] = 3 (2 when Nz = 1), pixdim =
// Spacing in mm (xyzt_units = NIFTI_UNITS_MM), vox_offset = 352, no scaling
// (scl_slope = 0), sform_code = 1 with srow = diag(Spacing) and qform_code = 0. Integer
// datatypes take the values rounded to nearest; a value out of the datatype's range,
// or NaN, is an error.
func WriteNIfTI(path string, v *Volume, dt Datatype) (err error) {
	fail := func(format string, a ...any) error {
		return fmt.Errorf("imaging: WriteNIfTI %s: "+format, append([]any{path}, a...)...)
	}
	bpv := dt.size()
	if bpv == 0 {
		return fail("unsupported datatype %v", dt)
	}
	if v == nil || v.Nx < 1 || v.Ny < 1 || v.Nz < 1 || v.Nx > 32767 || v.Ny > 32767 || v.Nz > 32767 {
		return fail("want 1..32767 voxels along each axis")
	}
	if len(v.Data) != v.Nx*v.Ny*v.Nz {
		return fail("Data has %d values for %d×%d×%d voxels", len(v.Data), v.Nx, v.Ny, v.Nz)
	}
	var h [niftiHeaderSize + 4]byte
	le := binary.LittleEndian
	le.PutUint32(h[0:], niftiHeaderSize)
	ndim := 3
	if v.Nz == 1 {
		ndim = 2
	}
	le.PutUint16(h[40:], uint16(ndim))
	for i, d := range []int{v.Nx, v.Ny, v.Nz, 1, 1, 1, 1} {
		le.PutUint16(h[42+2*i:], uint16(d))
	}
	le.PutUint16(h[70:], uint16(dt))
	le.PutUint16(h[72:], uint16(8*bpv))
	put32 := func(o int, x float64) { le.PutUint32(h[o:], math.Float32bits(float32(x))) }
	put32(76, 1) // pixdim[0] = qfac
	for i := 0; i < 3; i++ {
		s := v.Spacing[i]
		if !(s > 0) || math.IsInf(s, 0) {
			return fail("Spacing[%d] = %v: want a positive size", i, s)
		}
		put32(80+4*i, s)
	}
	put32(108, niftiHeaderSize+4)
	h[123] = 2 // NIFTI_UNITS_MM
	le.PutUint16(h[254:], 1)
	put32(280, v.Spacing[0])
	put32(296+4, v.Spacing[1])
	put32(312+8, v.Spacing[2])
	copy(h[344:], "n+1\x00")

	lo, hi := math.Inf(-1), math.Inf(1)
	switch dt {
	case DTUint8:
		lo, hi = 0, math.MaxUint8
	case DTInt8:
		lo, hi = math.MinInt8, math.MaxInt8
	case DTInt16:
		lo, hi = math.MinInt16, math.MaxInt16
	case DTUint16:
		lo, hi = 0, math.MaxUint16
	case DTInt32:
		lo, hi = math.MinInt32, math.MaxInt32
	case DTUint32:
		lo, hi = 0, math.MaxUint32
	}
	isInt := dt != DTFloat32 && dt != DTFloat64
	for i, x := range v.Data {
		if isInt {
			x = math.RoundToEven(x)
		}
		if math.IsNaN(x) && isInt || x < lo || x > hi || (dt == DTFloat32 && math.Abs(x) > math.MaxFloat32 && !math.IsInf(x, 0)) {
			return fail("Data[%d] = %v does not fit %v", i, v.Data[i], dt)
		}
	}

	// Written to a temporary file beside path and renamed into place when whole
	// (safeio.Create): a failure half-way leaves any previous file untouched.
	file, err := safeio.Create(path)
	if err != nil {
		return fmt.Errorf("imaging: WriteNIfTI: %w", err)
	}
	defer file.Abort()
	bw := bufio.NewWriterSize(file, 1<<16)
	var w io.Writer = bw
	var zw *gzip.Writer
	if strings.HasSuffix(strings.ToLower(path), ".gz") {
		zw = gzip.NewWriter(bw)
		w = zw
	}
	if _, err := w.Write(h[:]); err != nil {
		return fmt.Errorf("imaging: WriteNIfTI: %w", err)
	}
	b := make([]byte, 0, 1<<16)
	for i, x := range v.Data {
		if isInt {
			x = math.RoundToEven(x)
		}
		switch dt {
		case DTUint8, DTInt8:
			b = append(b, byte(int64(x)))
		case DTInt16, DTUint16:
			b = le.AppendUint16(b, uint16(int64(x)))
		case DTInt32, DTUint32:
			b = le.AppendUint32(b, uint32(int64(x)))
		case DTFloat32:
			b = le.AppendUint32(b, math.Float32bits(float32(x)))
		case DTFloat64:
			b = le.AppendUint64(b, math.Float64bits(x))
		}
		if len(b) >= 1<<16-8 || i == len(v.Data)-1 {
			if _, err := w.Write(b); err != nil {
				return fmt.Errorf("imaging: WriteNIfTI: %w", err)
			}
			b = b[:0]
		}
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return fmt.Errorf("imaging: WriteNIfTI: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("imaging: WriteNIfTI: %w", err)
	}
	if err := file.Commit(); err != nil {
		return fmt.Errorf("imaging: WriteNIfTI: %w", err)
	}
	return nil
}
