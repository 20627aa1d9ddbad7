package imaging

import (
	"bytes"
	"image"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// onlyFiles lists the names in dir, failing the test on anything but want (no
// temporary file may be left behind by a writer).
func onlyFiles(t *testing.T, dir string, want ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	want = append([]string(nil), want...)
	sort.Strings(want)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if len(names) != len(want) {
		t.Fatalf("%s holds %v, want %v", dir, names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("%s holds %v, want %v", dir, names, want)
		}
	}
}

// A cine whose frames fail half-way leaves the previous file of that name whole.
func TestWriteDICOMCineFailureKeepsPreviousFile(t *testing.T) {
	dir := t.TempDir()
	frames, times := testFrames(3, 4, 4)
	meta := CineMeta{PatientID: "P", FrameTimes: times, PixelSpacingMM: 0.1}
	p := filepath.Join(dir, "cine.dcm")
	if err := WriteDICOMCine(p, frames, meta); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(p)
	err := WriteDICOMCineFunc(p, 4, 4, 3, func(i int) (*image.Gray, error) {
		if i == 2 {
			return nil, io.ErrUnexpectedEOF
		}
		return frames[i], nil
	}, meta)
	if err == nil {
		t.Fatal("a failing frame function gave no error")
	}
	if after, _ := os.ReadFile(p); !bytes.Equal(before, after) {
		t.Fatalf("the previous cine changed: %d bytes before, %d after", len(before), len(after))
	}
	onlyFiles(t, dir, "cine.dcm")
}

// replacedNotTruncated writes path twice with write and checks that the second write
// replaced the file by a rename: a hard link to the first file still holds its bytes
// (a write that truncates in place would have changed them), and no temporary file
// remains.
func replacedNotTruncated(t *testing.T, name string, write func(path string, second bool) error) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, name)
	if err := write(p, false); err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(p)
	keep := filepath.Join(dir, "keep")
	if err := os.Link(p, keep); err != nil {
		t.Skip("hard links:", err)
	}
	if err := write(p, true); err != nil {
		t.Fatal(err)
	}
	if kept, _ := os.ReadFile(keep); !bytes.Equal(kept, first) {
		t.Fatalf("%s was rewritten in place, not written beside and renamed", name)
	}
	if second, _ := os.ReadFile(p); bytes.Equal(second, first) {
		t.Fatalf("%s was not rewritten", name)
	}
	onlyFiles(t, dir, "keep", name)
}

func TestWriteNIfTIIsAtomic(t *testing.T) {
	for _, name := range []string{"mask.nii", "mask.nii.gz"} {
		replacedNotTruncated(t, name, func(p string, second bool) error {
			v := &Volume{Nx: 3, Ny: 2, Nz: 1, Spacing: [3]float64{1, 1, 1}, Data: []float64{0, 1, 0, 1, 1, 0}}
			if second {
				v.Data[0] = 1
			}
			return WriteNIfTI(p, v, DTUint8)
		})
	}
}

func TestWritePNGIsAtomic(t *testing.T) {
	replacedNotTruncated(t, "bmode.png", func(p string, second bool) error {
		g := image.NewGray(image.Rect(0, 0, 4, 4))
		if second {
			g.Pix[5] = 200
		}
		return WritePNG(p, g)
	})
}

func TestWriteDICOMCineIsAtomic(t *testing.T) {
	frames, times := testFrames(2, 4, 4)
	replacedNotTruncated(t, "cine.dcm", func(p string, second bool) error {
		if second {
			frames[1].Pix[0]++
		}
		return WriteDICOMCine(p, frames, CineMeta{PatientID: "P", FrameTimes: times, PixelSpacingMM: 0.1})
	})
}
