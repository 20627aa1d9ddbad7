package imaging

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNIfTIRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, dt := range []Datatype{DTUint8, DTInt8, DTInt16, DTUint16, DTInt32, DTUint32, DTFloat32, DTFloat64} {
		for _, name := range []string{"v.nii", "v.nii.gz"} {
			v := &Volume{Nx: 4, Ny: 3, Nz: 2, Spacing: [3]float64{0.5, 0.75, 3}}
			for i := 0; i < 24; i++ {
				x := float64(i * 5)
				if dt == DTInt8 || dt == DTInt16 || dt == DTInt32 {
					x -= 60
				}
				if dt == DTFloat32 || dt == DTFloat64 {
					x = x/7 - 3
				}
				v.Data = append(v.Data, x)
			}
			p := filepath.Join(dir, name)
			if err := WriteNIfTI(p, v, dt); err != nil {
				t.Fatal(err)
			}
			got, err := ReadNIfTI(p)
			if err != nil {
				t.Fatal(err)
			}
			if got.Nx != 4 || got.Ny != 3 || got.Nz != 2 || got.Spacing != v.Spacing || got.Datatype != dt {
				t.Fatalf("%v %s: %+v", dt, name, got)
			}
			for i, x := range v.Data {
				want := x
				if dt == DTFloat32 {
					want = float64(float32(x))
				}
				if got.Data[i] != want {
					t.Fatalf("%v %s: value %d = %v, want %v", dt, name, i, got.Data[i], want)
				}
			}
		}
	}
	// 2D volumes get dim[0] = 2 and spacing 1 along z.
	v := &Volume{Nx: 2, Ny: 2, Nz: 1, Spacing: [3]float64{1, 1, 7}, Data: []float64{0, 1, 2, 3}}
	p := filepath.Join(dir, "2d.nii")
	if err := WriteNIfTI(p, v, DTUint8); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadNIfTI(p); err != nil || got.Spacing[2] != 1 {
		t.Errorf("2D: %+v, %v", got, err)
	}
	for _, tc := range []struct {
		v    *Volume
		dt   Datatype
		want string
	}{
		{&Volume{Nx: 1, Ny: 1, Nz: 1, Spacing: [3]float64{1, 1, 1}, Data: []float64{256}}, DTUint8, "does not fit uint8"},
		{&Volume{Nx: 1, Ny: 1, Nz: 1, Spacing: [3]float64{1, 1, 1}, Data: []float64{math.NaN()}}, DTInt16, "does not fit int16"},
		{&Volume{Nx: 2, Ny: 1, Nz: 1, Spacing: [3]float64{1, 1, 1}, Data: []float64{1}}, DTUint8, "1 values for 2×1×1"},
		{&Volume{Nx: 1, Ny: 1, Nz: 1, Spacing: [3]float64{1, 0, 1}, Data: []float64{1}}, DTUint8, "Spacing[1]"},
		{&Volume{Nx: 1, Ny: 1, Nz: 1, Spacing: [3]float64{1, 1, 1}, Data: []float64{1}}, Datatype(128), "unsupported datatype"},
	} {
		p := filepath.Join(dir, "bad.nii")
		if err := WriteNIfTI(p, tc.v, tc.dt); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("WriteNIfTI: %v, want %q", err, tc.want)
		}
		if _, err := os.Stat(p); err == nil {
			t.Error("a file was left behind")
		}
	}
}

func TestNIfTIHostile(t *testing.T) {
	good := readFixture(t, "nifti/u8_2d_mask.nii") // 16×12 uint8, little endian
	set16 := func(b []byte, off int, v int16) []byte {
		c := bytes.Clone(b)
		binary.LittleEndian.PutUint16(c[off:], uint16(v))
		return c
	}
	setF := func(b []byte, off int, v float32) []byte {
		c := bytes.Clone(b)
		binary.LittleEndian.PutUint32(c[off:], math.Float32bits(v))
		return c
	}
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"truncated header", good[:200], "NIfTI-1 header (348 bytes): file is truncated"},
		{"truncated data", good[:len(good)-5], "file has 539 bytes, but vox_offset 352 + 192 voxels of uint8 need 544"},
		{"trailing data", append(bytes.Clone(good), 0, 0), "file has 546 bytes"},
		{"huge dims", set16(set16(good, 42, 3000), 44, 3000), "file has 544 bytes, but vox_offset 352 + 9000000 voxels"},
		{"over MaxVoxels", set16(set16(set16(set16(good, 40, 3), 42, 32767), 44, 32767), 46, 32767), "more than"},
		{"4D", set16(set16(good, 40, 4), 48, 5), "dim[4] = 5"},
		{"negative dim", set16(good, 44, -3), "dim[2] = -3"},
		{"bad datatype", set16(good, 70, 32), "datatype = 32"},
		{"bitpix mismatch", set16(good, 72, 16), "bitpix = 16 for uint8"},
		{"bad magic", append(append(bytes.Clone(good[:344]), "abc\x00"...), good[348:]...), `magic = "abc\x00"`},
		{"pair file", append(append(bytes.Clone(good[:344]), "ni1\x00"...), good[348:]...), "header/image file pairs"},
		{"bad vox_offset", setF(good, 108, 100), "vox_offset = 100"},
		{"bad sizeof_hdr", append([]byte{1, 2, 3, 4}, good[4:]...), "not a NIfTI-1 file"},
		{"zero pixdim", setF(good, 80, 0), "pixdim[1] = 0"},
		{"infinite slope", setF(good, 112, float32(math.Inf(1))), "scl_slope = +Inf"},
	} {
		p := writeTemp(t, "h.nii", tc.b)
		_, err := ReadNIfTI(p)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v; want %q", tc.name, err, tc.want)
		}
	}
	// A gzip stream that claims more voxels than it holds is refused after reading what
	// it has, and gzip damage is reported.
	dir := t.TempDir()
	v := &Volume{Nx: 8, Ny: 8, Nz: 8, Spacing: [3]float64{1, 1, 1}, Data: make([]float64, 512)}
	p := filepath.Join(dir, "v.nii.gz")
	if err := WriteNIfTI(p, v, DTUint8); err != nil {
		t.Fatal(err)
	}
	gz, _ := os.ReadFile(p)
	for _, cut := range []int{10, len(gz) / 2, len(gz) - 4} {
		q := writeTemp(t, "cut.nii.gz", gz[:cut])
		if _, err := ReadNIfTI(q); err == nil {
			t.Errorf("gzip cut to %d of %d bytes read without error", cut, len(gz))
		}
	}
}

func TestReadMaskErrors(t *testing.T) {
	p := writeTemp(t, "mask.jpg", []byte{0xFF, 0xD8})
	if _, err := ReadMask(p); err == nil || !strings.Contains(err.Error(), "PNG (.png) or NIfTI") {
		t.Errorf("JPEG mask: %v", err)
	}
	p = writeTemp(t, "mask.png", []byte("\x89PNG\r\n\x1a\nbroken"))
	if _, err := ReadMask(p); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("broken PNG: %v", err)
	}
	m := &Mask{Width: 2, Height: 1, Depth: 1, Data: []bool{false, true}}
	if !m.At(1, 0, 0) || m.At(0, 0, 0) || m.At(2, 0, 0) || m.At(-1, 0, 0) {
		t.Error("Mask.At")
	}
}
