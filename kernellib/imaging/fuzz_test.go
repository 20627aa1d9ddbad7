package imaging

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// FuzzOpenCineDICOM opens arbitrary bytes as a DICOM cine and reads every frame: no
// panic, errors that name the file and never report a Go runtime error (a panic
// recovered in the metadata parser must be named as such), and frames of the
// announced size. Seeds: the
// fixtures in testdata/fuzz/FuzzOpenCineDICOM (valid, truncated and damaged files).
func FuzzOpenCineDICOM(f *testing.F) {
	f.Add(readFixture(f, "dicom/go_written.dcm"))
	f.Add(readFixture(f, "dicom/dcmtk_img2dcm_color.dcm"))
	f.Fuzz(func(t *testing.T, data []byte) {
		opt := CineOptions{FrameRate: 10, MaxFrames: 64, MaxPixels: 1 << 16}
		c, err := newDICOMCine(bytes.NewReader(data), int64(len(data)), "fuzz.dcm", opt)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		info := c.Info()
		for k := 0; ; k++ {
			fr, err := c.Next()
			if errors.Is(err, io.EOF) {
				if k != info.NumFrames {
					t.Fatalf("EOF after %d of %d frames", k, info.NumFrames)
				}
				return
			}
			if err != nil {
				checkFuzzError(t, err)
				return
			}
			if b := fr.Img.Bounds(); b.Dx() != info.Width || b.Dy() != info.Height || fr.Index != k {
				t.Fatalf("frame %d: %v, info says %d×%d", k, b, info.Width, info.Height)
			}
		}
	})
}

// checkFuzzError fails on an error that does not name the file or that leaks a Go
// runtime error ("runtime error: invalid memory address or nil pointer").
func checkFuzzError(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	if !strings.Contains(msg, "fuzz.dcm") {
		t.Fatalf("error does not name the file: %v", err)
	}
	if strings.Contains(msg, "runtime error") || strings.Contains(msg, "nil pointer") {
		t.Fatalf("error reports a Go runtime error: %v", err)
	}
}

// FuzzReadNIfTI decodes arbitrary bytes as a NIfTI-1 file, with the file size known
// (.nii) and unknown (the .nii.gz path): no panic, and a volume of the announced size.
func FuzzReadNIfTI(f *testing.F) {
	f.Add(readFixture(f, "nifti/f32_3d_bigendian.nii"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, size := range []int64{int64(len(data)), -1} {
			v, err := readNIfTI(bytes.NewReader(data), size)
			if err != nil {
				continue
			}
			if len(v.Data) != v.Nx*v.Ny*v.Nz {
				t.Fatalf("%d values for %d×%d×%d", len(v.Data), v.Nx, v.Ny, v.Nz)
			}
		}
	})
}
