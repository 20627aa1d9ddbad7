package imaging

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"image"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// niftiHeader returns a little-endian NIfTI-1 header (vox_offset 352, the 4
// extension bytes included) for an nx×ny×nz volume of datatype dt.
func niftiHeader(nx, ny, nz int, dt Datatype) []byte {
	h := make([]byte, niftiHeaderSize+4)
	le := binary.LittleEndian
	le.PutUint32(h[0:], niftiHeaderSize)
	le.PutUint16(h[40:], 3)
	for i, d := range []int{nx, ny, nz, 1, 1, 1, 1} {
		le.PutUint16(h[42+2*i:], uint16(d))
	}
	le.PutUint16(h[70:], uint16(dt))
	le.PutUint16(h[72:], uint16(8*dt.size()))
	for i := 0; i < 4; i++ {
		le.PutUint32(h[76+4*i:], math.Float32bits(1))
	}
	le.PutUint32(h[108:], math.Float32bits(niftiHeaderSize+4))
	copy(h[344:], "n+1\x00")
	return h
}

// writeZeroNIfTIGz writes a .nii.gz whose header declares nx×ny×nz uint8
// voxels and whose stream holds them all (zeros, so the file is small).
func writeZeroNIfTIGz(t *testing.T, path string, nx, ny, nz int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	zw, _ := gzip.NewWriterLevel(bw, gzip.BestCompression)
	zw.Write(niftiHeader(nx, ny, nz, DTUint8))
	zero := make([]byte, 1<<20)
	for left := nx * ny * nz; left > 0; left -= len(zero) {
		zw.Write(zero[:min(left, len(zero))])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
}

// allocDuring returns what f allocated (runtime.MemStats.TotalAlloc) and how
// long it took.
func allocDuring(f func()) (uint64, time.Duration) {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	start := time.Now()
	f()
	d := time.Since(start)
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc, d
}

// A small .nii.gz declaring 512³ voxels (134 MB of zeros) is refused from its
// header: over MaxVoxels by ReadNIfTI, and as the wrong size by ReadMaskFor,
// without decompressing the data (the old reader took 1 GB and many seconds).
func TestNIfTIBombRefusedFromHeader(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "bomb.nii.gz")
	writeZeroNIfTIGz(t, p, 512, 512, 512)
	if st, err := os.Stat(p); err != nil || st.Size() > 1<<20 {
		t.Fatalf("bomb file: %v, %d bytes", err, st.Size())
	}
	var err error
	alloc, took := allocDuring(func() { _, err = ReadNIfTI(p) })
	if err == nil || !strings.Contains(err.Error(), "512×512×512") || !strings.Contains(err.Error(), "more than the limit") || !strings.Contains(err.Error(), p) {
		t.Errorf("ReadNIfTI: %v", err)
	}
	if alloc > 64<<20 || took > 2*time.Second {
		t.Errorf("ReadNIfTI allocated %d MB in %v before refusing", alloc>>20, took)
	}
	alloc, took = allocDuring(func() { _, err = ReadMaskFor(p, 128, 96) })
	var se *SizeError
	if !errors.As(err, &se) || se.Got != [3]int{512, 512, 512} || se.Want != [3]int{128, 96, 1} || !strings.Contains(err.Error(), p) {
		t.Errorf("ReadMaskFor: %v", err)
	}
	if alloc > 64<<20 || took > 2*time.Second {
		t.Errorf("ReadMaskFor allocated %d MB in %v before refusing", alloc>>20, took)
	}
	// The limit is an option; a volume under it reads.
	small := filepath.Join(dir, "small.nii.gz")
	writeZeroNIfTIGz(t, small, 40, 30, 20)
	if _, err := ReadNIfTIWith(small, NIfTIOptions{MaxVoxels: 40*30*20 - 1}); err == nil || !strings.Contains(err.Error(), "more than the limit of 23999") {
		t.Errorf("MaxVoxels option: %v", err)
	}
	if v, err := ReadNIfTIWith(small, NIfTIOptions{MaxVoxels: 40 * 30 * 20, Want: [3]int{40, 30, 0}}); err != nil || len(v.Data) != 24000 {
		t.Errorf("under the limit: %v", err)
	}
	if _, err := ReadMaskFor(small, 40, 30); !errors.As(err, &se) {
		t.Errorf("3D mask for a 2D image: %v", err)
	}
}

// A PNG mask of the wrong size is refused by ReadMaskFor from its header.
func TestReadMaskForPNGSize(t *testing.T) {
	p := filepath.Join(t.TempDir(), "m.png")
	m := image.NewGray(image.Rect(0, 0, 20, 12))
	m.Pix[3] = 1
	if err := WritePNG(p, m); err != nil {
		t.Fatal(err)
	}
	var se *SizeError
	if _, err := ReadMaskFor(p, 16, 12); !errors.As(err, &se) || se.Got != [3]int{20, 12, 1} {
		t.Errorf("ReadMaskFor(20×12 PNG, 16, 12): %v", err)
	}
	if mk, err := ReadMaskFor(p, 20, 12); err != nil || mk.Count() != 1 {
		t.Errorf("ReadMaskFor right size: %v", err)
	}
}

// NaN or an infinity in a float NIfTI mask is an error naming the file and
// the number of such voxels; never inside.
func TestNIfTIMaskNaN(t *testing.T) {
	dir := t.TempDir()
	for _, dt := range []Datatype{DTFloat32, DTFloat64} {
		v := &Volume{Nx: 6, Ny: 5, Nz: 1, Spacing: [3]float64{1, 1, 1}, Data: make([]float64, 30)}
		for i := range v.Data {
			v.Data[i] = math.NaN() // outside written as NaN
		}
		v.Data[7], v.Data[8] = 1, 1
		v.Data[20] = math.Inf(1)
		p := filepath.Join(dir, "nan_"+dt.String()+".nii.gz")
		if err := WriteNIfTI(p, v, dt); err != nil {
			t.Fatal(err)
		}
		_, err := ReadMask(p)
		if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "28 of 30 mask voxels are NaN or infinite") {
			t.Errorf("%v: %v", dt, err)
		}
	}
}
