package imaging

import (
	"encoding/binary"
	"image"
	"math"
	"path/filepath"
	"testing"
)

func TestFixtureStills(t *testing.T) {
	fx := loadFixtures(t)
	n := 0
	for i := range fx.Fixtures {
		f := &fx.Fixtures[i]
		if f.Kind != "still" {
			continue
		}
		n++
		t.Run(filepath.Base(f.File), func(t *testing.T) {
			img, err := ReadImage(filepath.Join("testdata", f.File))
			if err != nil {
				t.Fatal(err)
			}
			b := img.Bounds()
			if b.Min.X != 0 || b.Min.Y != 0 || b.Dx() != f.Width || b.Dy() != f.Height {
				t.Fatalf("bounds %v, want %d×%d at the origin", b, f.Width, f.Height)
			}
			tol := f.Tolerance
			if f.JPEG {
				tol = max(tol, jpegTolerance)
			}
			got := pixelsOf(img)
			if got == nil {
				t.Fatalf("ReadImage gave %T, want *image.Gray or *image.Gray16", img)
			}
			if _, is16 := img.(*image.Gray16); (f.Bits == 16) != is16 {
				t.Fatalf("ReadImage gave %T for %d-bit data", img, f.Bits)
			}
			comparePixels(t, f.File, got, f.expectedFrame(0), tol)
		})
	}
	if n < 4 {
		t.Fatalf("only %d still fixtures", n)
	}
}

func TestFixtureMasks(t *testing.T) {
	fx := loadFixtures(t)
	n := 0
	for i := range fx.Fixtures {
		f := &fx.Fixtures[i]
		if f.Kind != "mask" && !(f.Kind == "nifti" && f.Datatype == int(DTUint8)) {
			continue
		}
		n++
		t.Run(filepath.Base(f.File), func(t *testing.T) {
			m, err := ReadMask(filepath.Join("testdata", f.File))
			if err != nil {
				t.Fatal(err)
			}
			var want []bool
			if f.Kind == "mask" {
				if m.Width != f.Width || m.Height != f.Height || m.Depth != f.Depth {
					t.Fatalf("mask %d×%d×%d, want %d×%d×%d", m.Width, m.Height, m.Depth, f.Width, f.Height, f.Depth)
				}
				for _, b := range f.Mask {
					want = append(want, b != 0)
				}
			} else {
				if m.Width != f.Shape[0] || m.Height != f.Shape[1] || m.Depth != f.Shape[2] {
					t.Fatalf("mask %d×%d×%d, want %v", m.Width, m.Height, m.Depth, f.Shape)
				}
				for k := 0; k < len(f.Values)/8; k++ {
					want = append(want, math.Float64frombits(binary.LittleEndian.Uint64(f.Values[8*k:])) != 0)
				}
			}
			if len(m.Data) != len(want) {
				t.Fatalf("%d voxels, want %d", len(m.Data), len(want))
			}
			count := 0
			for k := range want {
				if m.Data[k] != want[k] {
					t.Errorf("voxel %d: %v, want %v", k, m.Data[k], want[k])
				}
				if want[k] {
					count++
				}
			}
			if m.Count() != count || count == 0 {
				t.Errorf("Count %d, want %d (> 0)", m.Count(), count)
			}
		})
	}
	if n < 3 {
		t.Fatalf("only %d mask fixtures", n)
	}
}

func TestFixtureNIfTI(t *testing.T) {
	fx := loadFixtures(t)
	n := 0
	for i := range fx.Fixtures {
		f := &fx.Fixtures[i]
		if f.Kind != "nifti" {
			continue
		}
		n++
		t.Run(filepath.Base(f.File), func(t *testing.T) {
			v, err := ReadNIfTI(filepath.Join("testdata", f.File))
			if err != nil {
				t.Fatal(err)
			}
			if v.Nx != f.Shape[0] || v.Ny != f.Shape[1] || v.Nz != f.Shape[2] || int(v.Datatype) != f.Datatype {
				t.Fatalf("%d×%d×%d %v, want %v datatype %d", v.Nx, v.Ny, v.Nz, v.Datatype, f.Shape, f.Datatype)
			}
			for k := 0; k < 3; k++ {
				if math.Abs(v.Spacing[k]-f.Spacing[k]) > 1e-6*f.Spacing[k] {
					t.Errorf("Spacing %v, want %v", v.Spacing, f.Spacing)
				}
			}
			if len(v.Data)*8 != len(f.Values) {
				t.Fatalf("%d values, want %d", len(v.Data), len(f.Values)/8)
			}
			for k, x := range v.Data {
				want := math.Float64frombits(binary.LittleEndian.Uint64(f.Values[8*k:]))
				if x != want {
					t.Fatalf("value %d = %v, nibabel %v", k, x, want)
				}
			}
		})
	}
	if n < 5 {
		t.Fatalf("only %d NIfTI fixtures", n)
	}
}
