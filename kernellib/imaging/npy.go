package imaging

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// npyMagic starts every .npy file: "\x93NUMPY", then the format version (1.0).
// NumPy's format is specified in numpy.lib.format
// (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
const npyMagic = "\x93NUMPY\x01\x00"

// NPYHeader returns the complete header of a NumPy .npy version 1.0 file holding a
// C-order array of little-endian float32 ('<f4') of the given shape: the magic string,
// the version, the little-endian uint16 header length, and the Python dict literal
// {'descr': '<f4', 'fortran_order': False, 'shape': (...), } padded with spaces and
// ended by '\n' so that the data starts at a multiple of 64 bytes, as numpy.lib.format
// writes it. A one-dimensional shape is written with its trailing comma, "(n,)".
func NPYHeader(shape []int) ([]byte, error) {
	dims := make([]string, len(shape))
	for i, n := range shape {
		if n < 0 {
			return nil, fmt.Errorf("imaging: NPYHeader: dimension %d is %d, want ≥ 0", i, n)
		}
		dims[i] = strconv.Itoa(n)
	}
	tuple := "(" + strings.Join(dims, ", ") + ")"
	if len(shape) == 1 {
		tuple = "(" + dims[0] + ",)"
	}
	dict := "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }"
	// magic (6) + version (2) + length (2) + dict + padding + '\n' ≡ 0 (mod 64).
	total := len(npyMagic) + 2 + len(dict) + 1
	pad := (64 - total%64) % 64
	hlen := len(dict) + pad + 1
	if hlen > math.MaxUint16 {
		return nil, fmt.Errorf("imaging: NPYHeader: header of %d bytes does not fit format 1.0", hlen)
	}
	var b bytes.Buffer
	b.WriteString(npyMagic)
	binary.Write(&b, binary.LittleEndian, uint16(hlen))
	b.WriteString(dict)
	b.WriteString(strings.Repeat(" ", pad))
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// ParseNPYHeader reads the header of a .npy version 1.0 file from r and returns its
// dtype descriptor ('<f4', ...), whether the data is in Fortran order, and the shape.
// It accepts the dict literal as numpy.lib.format writes it (keys in any order).
func ParseNPYHeader(r io.Reader) (descr string, fortran bool, shape []int, err error) {
	var pre [10]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return "", false, nil, fmt.Errorf("imaging: .npy header: %w", err)
	}
	if string(pre[:8]) != npyMagic {
		return "", false, nil, fmt.Errorf("imaging: .npy header: starts with %q, want %q (format 1.0)", pre[:8], npyMagic)
	}
	hlen := int(binary.LittleEndian.Uint16(pre[8:]))
	h := make([]byte, hlen)
	if _, err := io.ReadFull(r, h); err != nil {
		return "", false, nil, fmt.Errorf("imaging: .npy header: %w", err)
	}
	if (10+hlen)%64 != 0 || hlen == 0 || h[hlen-1] != '\n' {
		return "", false, nil, fmt.Errorf("imaging: .npy header: %d bytes, want a multiple of 64 ending in a newline", 10+hlen)
	}
	s := strings.TrimSpace(string(h))
	field := func(key string) (string, error) {
		k := "'" + key + "':"
		i := strings.Index(s, k)
		if i < 0 {
			return "", fmt.Errorf("imaging: .npy header %s: no key %q", s, key)
		}
		v := strings.TrimSpace(s[i+len(k):])
		if strings.HasPrefix(v, "(") {
			j := strings.IndexByte(v, ')')
			if j < 0 {
				return "", fmt.Errorf("imaging: .npy header %s: unterminated shape", s)
			}
			return v[:j+1], nil
		}
		j := strings.IndexAny(v, ",}")
		if j < 0 {
			return "", fmt.Errorf("imaging: .npy header %s: unterminated value of %q", s, key)
		}
		return strings.TrimSpace(v[:j]), nil
	}
	d, err := field("descr")
	if err != nil {
		return "", false, nil, err
	}
	descr = strings.Trim(d, "'")
	fo, err := field("fortran_order")
	if err != nil {
		return "", false, nil, err
	}
	switch fo {
	case "True":
		fortran = true
	case "False":
	default:
		return "", false, nil, fmt.Errorf("imaging: .npy header: fortran_order = %s, want True or False", fo)
	}
	sh, err := field("shape")
	if err != nil {
		return "", false, nil, err
	}
	shape = []int{}
	for _, part := range strings.Split(strings.Trim(sh, "()"), ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return "", false, nil, fmt.Errorf("imaging: .npy header: shape %s: want non-negative integers", sh)
		}
		shape = append(shape, n)
	}
	return descr, fortran, shape, nil
}

// WriteNPY streams the frames of c into the NumPy .npy file path (format 1.0,
// NPYHeader): a C-order float32 array of shape (frames, rows, columns) holding each
// delivered grey frame as ceusrad analyses it (the 8- or 16-bit grey value of
// *image.Gray / *image.Gray16, unscaled). The header is written first with the frame
// count of c.Info().NumFrames; frames are written as they are read, and it is an error
// (with nothing left at path) when the cine delivers another number of frames or a
// frame of another size. The file is written atomically (internal/safeio): path is
// replaced only when every frame was written. It returns the number of frames written.
func WriteNPY(path string, c Cine) (int, error) {
	info := c.Info()
	w, h, n := info.Width, info.Height, info.NumFrames
	if n <= 0 || w <= 0 || h <= 0 {
		return 0, fmt.Errorf("imaging: WriteNPY %s: cine %s declares %d frames of %d×%d, want at least one non-empty frame", path, info.Path, n, w, h)
	}
	hdr, err := NPYHeader([]int{n, h, w})
	if err != nil {
		return 0, err
	}
	f, err := safeio.Create(path)
	if err != nil {
		return 0, fmt.Errorf("imaging: WriteNPY: %w", err)
	}
	defer f.Abort()
	bw := bufio.NewWriterSize(f, 1<<16)
	if _, err := bw.Write(hdr); err != nil {
		return 0, fmt.Errorf("imaging: WriteNPY %s: %w", path, err)
	}
	row := make([]byte, 4*w)
	k := 0
	for {
		fr, err := c.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return k, err
		}
		if k == n {
			return k, fmt.Errorf("imaging: WriteNPY %s: cine %s delivers more frames than the %d its header declares", path, info.Path, n)
		}
		if err := writeNPYFrame(bw, row, fr.Img, w, h); err != nil {
			return k, fmt.Errorf("imaging: WriteNPY %s: cine %s frame %d: %w", path, info.Path, fr.Index, err)
		}
		k++
	}
	if k != n {
		return k, fmt.Errorf("imaging: WriteNPY %s: cine %s delivered %d frames, its header declares %d", path, info.Path, k, n)
	}
	if err := bw.Flush(); err != nil {
		return k, fmt.Errorf("imaging: WriteNPY %s: %w", path, err)
	}
	if err := f.Commit(); err != nil {
		return k, fmt.Errorf("imaging: WriteNPY: %w", err)
	}
	return k, nil
}

// writeNPYFrame writes one w×h grey frame as little-endian float32 rows.
func writeNPYFrame(bw io.Writer, row []byte, img image.Image, w, h int) error {
	b := img.Bounds()
	if b.Dx() != w || b.Dy() != h {
		return fmt.Errorf("is %d×%d, want %d×%d", b.Dx(), b.Dy(), w, h)
	}
	for y := 0; y < h; y++ {
		switch g := img.(type) {
		case *image.Gray:
			pix := g.Pix[g.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				binary.LittleEndian.PutUint32(row[4*x:], math.Float32bits(float32(pix[x])))
			}
		case *image.Gray16:
			pix := g.Pix[g.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				v := uint16(pix[2*x])<<8 | uint16(pix[2*x+1])
				binary.LittleEndian.PutUint32(row[4*x:], math.Float32bits(float32(v)))
			}
		default:
			return fmt.Errorf("of type %T, want *image.Gray or *image.Gray16", img)
		}
		if _, err := bw.Write(row); err != nil {
			return err
		}
	}
	return nil
}
