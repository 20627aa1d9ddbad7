package imaging

import (
	"image"
	"path/filepath"
	"testing"
)

func TestFramesAt(t *testing.T) {
	frames := make([]*image.Gray, 5)
	times := []float64{0, 0.5, 1.1, 1.5, 2.0}
	for i := range frames {
		frames[i] = image.NewGray(image.Rect(0, 0, 4, 4))
		frames[i].Pix[0] = uint8(i)
	}
	p := filepath.Join(t.TempDir(), "c.dcm")
	if err := WriteDICOMCine(p, frames, CineMeta{PatientID: "T", FrameTimes: times, PixelSpacingMM: 0.1}); err != nil {
		t.Fatal(err)
	}
	c, err := OpenCine(p, CineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got, err := FramesAt(c, []float64{1.0, -3, 0.25, 9})
	if err != nil {
		t.Fatal(err)
	}
	want := []int{2, 0, 0, 4} // 1.0 is nearest 1.1; 0.25 ties 0 and 0.5: the earlier
	for i, f := range got {
		if f.Index != want[i] || f.Img.(*image.Gray).Pix[0] != uint8(want[i]) {
			t.Errorf("time %d: frame %d, want %d", i, f.Index, want[i])
		}
	}
	c2, _ := OpenCine(p, CineOptions{})
	defer c2.Close()
	if _, err := FramesAt(c2, nil); err == nil {
		t.Error("no times: no error")
	}
}

func TestMaskAt2D(t *testing.T) {
	m := &Mask{Width: 2, Height: 2, Depth: 1, Data: []bool{false, true, false, false}}
	if !m.At2D(1, 0) || m.At2D(0, 0) || m.At2D(2, 0) || m.At2D(-1, 1) {
		t.Errorf("At2D wrong on %v", m.Data)
	}
}
