package imaging

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// benchCine writes n frames of w×h (native 8-bit) once per benchmark.
func benchCine(b *testing.B, n, w, h int) string {
	b.Helper()
	p := filepath.Join(b.TempDir(), "bench.dcm")
	times := make([]float64, n)
	for i := range times {
		times[i] = float64(i) / 8
	}
	frame := image.NewGray(image.Rect(0, 0, w, h))
	err := WriteDICOMCineFunc(p, w, h, n, func(i int) (*image.Gray, error) {
		for k := range frame.Pix {
			frame.Pix[k] = uint8(k*7 + i)
		}
		return frame, nil
	}, CineMeta{PatientID: "BENCH", FrameTimes: times, PixelSpacingMM: 0.2})
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// writeJPEGCine writes n JPEG-baseline frames (Go's encoder, quality 90) as an
// encapsulated multi-frame file (PS3.5 A.4) with an empty Basic Offset Table.
func writeJPEGCine(b *testing.B, path string, n, w, h int) {
	b.Helper()
	var ds enc
	ds.str(0x0008, 0x0016, "UI", uidUSMultiframe)
	ds.str(0x0018, 0x1063, "DS", "125")
	ds.us(0x0028, 0x0002, 1)
	ds.str(0x0028, 0x0004, "CS", "MONOCHROME2")
	ds.str(0x0028, 0x0008, "IS", strconv.Itoa(n))
	ds.us(0x0028, 0x0010, uint16(h))
	ds.us(0x0028, 0x0011, uint16(w))
	ds.us(0x0028, 0x0100, 8)
	ds.us(0x0028, 0x0101, 8)
	ds.us(0x0028, 0x0102, 7)
	ds.us(0x0028, 0x0103, 0)
	ds.header(0x7FE0, 0x0010, "OB", undefinedLength)
	item := func(data []byte) {
		ds.b = append(ds.b, 0xFE, 0xFF, 0x00, 0xE0)
		ds.b = append(ds.b, byte(len(data)), byte(len(data)>>8), byte(len(data)>>16), byte(len(data)>>24))
		ds.b = append(ds.b, data...)
	}
	item(nil)
	m := image.NewGray(image.Rect(0, 0, w, h))
	for i := 0; i < n; i++ {
		for k := range m.Pix {
			m.Pix[k] = uint8((k%w)*3 + (k/w)*2 + i)
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 90}); err != nil {
			b.Fatal(err)
		}
		if buf.Len()%2 == 1 {
			buf.WriteByte(0)
		}
		item(buf.Bytes())
	}
	ds.b = append(ds.b, 0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0)
	var fmi enc
	fmi.ob(0x0002, 0x0001, []byte{0, 1})
	fmi.str(0x0002, 0x0002, "UI", uidUSMultiframe)
	fmi.str(0x0002, 0x0010, "UI", uidJPEGBaseline)
	var group enc
	group.ul(0x0002, 0x0000, uint32(len(fmi.b)))
	out := append(append(append(append(make([]byte, 128), "DICM"...), group.b...), fmi.b...), ds.b...)
	if err := os.WriteFile(path, out, 0o644); err != nil {
		b.Fatal(err)
	}
}

func readFrames(b *testing.B, p string) {
	c, err := OpenCine(p, CineOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for {
		_, err := c.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	c.Close()
}

// BenchmarkCineNext reads a native 8-bit cine of 200 frames of 256×256, frame by frame.
func BenchmarkCineNext(b *testing.B) {
	p := benchCine(b, 200, 256, 256)
	b.SetBytes(200 * 256 * 256)
	b.ReportAllocs()
	for b.Loop() {
		readFrames(b, p)
	}
}

// BenchmarkCineNextCrop is BenchmarkCineNext with a 128×128 crop box.
func BenchmarkCineNextCrop(b *testing.B) {
	p := benchCine(b, 200, 256, 256)
	b.SetBytes(200 * 256 * 256)
	for b.Loop() {
		c, err := OpenCine(p, CineOptions{Crop: image.Rect(64, 64, 192, 192)})
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := c.Next(); err != nil {
				break
			}
		}
		c.Close()
	}
}

// BenchmarkCineNextJPEG reads a JPEG-baseline cine of 200 frames of 256×256.
func BenchmarkCineNextJPEG(b *testing.B) {
	p := filepath.Join(b.TempDir(), "jpeg.dcm")
	writeJPEGCine(b, p, 200, 256, 256)
	b.SetBytes(200 * 256 * 256)
	b.ReportAllocs()
	for b.Loop() {
		readFrames(b, p)
	}
}

// BenchmarkWriteDICOMCine writes 200 frames of 256×256.
func BenchmarkWriteDICOMCine(b *testing.B) {
	frames, _ := testFrames(200, 256, 256)
	times := make([]float64, 200)
	for i := range times {
		times[i] = float64(i) / 8
	}
	p := filepath.Join(b.TempDir(), "w.dcm")
	b.SetBytes(200 * 256 * 256)
	for b.Loop() {
		if err := WriteDICOMCine(p, frames, CineMeta{PatientID: "B", FrameTimes: times, PixelSpacingMM: 0.2}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadNIfTI reads a 128³ float32 volume.
func BenchmarkReadNIfTI(b *testing.B) {
	v := &Volume{Nx: 128, Ny: 128, Nz: 128, Spacing: [3]float64{1, 1, 1}, Data: make([]float64, 128*128*128)}
	for i := range v.Data {
		v.Data[i] = float64(i % 1000)
	}
	p := filepath.Join(b.TempDir(), "v.nii")
	if err := WriteNIfTI(p, v, DTFloat32); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(4 * len(v.Data)))
	for b.Loop() {
		if _, err := ReadNIfTI(p); err != nil {
			b.Fatal(err)
		}
	}
}
