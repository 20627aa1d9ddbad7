package imaging

import (
	"errors"
	"image"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFrames writes PNG frames named by names, frame k filled with value 10*(k+1).
func writeFrames(t *testing.T, dir string, names []string, w, h int) {
	t.Helper()
	for k, n := range names {
		m := image.NewGray(image.Rect(0, 0, w, h))
		for i := range m.Pix {
			m.Pix[i] = uint8(10 * (k + 1))
		}
		if err := WritePNG(filepath.Join(dir, n), m); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFrameFolderNumericOrder(t *testing.T) {
	dir := t.TempDir()
	// Written in this order, so frame_10 holds 10, frame_2 holds 20, frame_1 holds 30.
	writeFrames(t, dir, []string{"frame_10.png", "frame_2.png", "frame_1.png"}, 6, 4)
	if err := os.WriteFile(filepath.Join(dir, ".DS_Store"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenCine(dir, CineOptions{}); err == nil || !strings.Contains(err.Error(), "CineOptions.FrameRate") {
		t.Fatalf("no frame rate: %v", err)
	}
	c, err := OpenCine(dir, CineOptions{FrameRate: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if info := c.Info(); info.NumFrames != 3 || info.Width != 6 || info.Height != 4 || info.Format != "frames" || info.BitsAllocated != 8 {
		t.Fatalf("info %+v", info)
	}
	want := []uint8{30, 20, 10} // frame_1, frame_2, frame_10
	for k := 0; ; k++ {
		f, err := c.Next()
		if errors.Is(err, io.EOF) {
			if k != 3 {
				t.Fatalf("%d frames", k)
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if v := f.Img.(*image.Gray).Pix[0]; v != want[k] || f.Time != float64(k)/4 {
			t.Errorf("frame %d: value %d at %v s, want %d at %v s", k, v, f.Time, want[k], float64(k)/4)
		}
	}
}

func TestFrameFolderErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files []string
		extra string
		want  string
	}{
		{"stray file", []string{"f1.png", "f2.png"}, "notes.txt", `"notes.txt" is not a PNG or JPEG frame`},
		{"no number", []string{"f1.png", "cover.png"}, "", `"cover.png" has no frame number`},
		{"duplicate number", []string{"a_01.png", "b_1.png"}, "", "have the same number 1"},
	} {
		dir := t.TempDir()
		writeFrames(t, dir, tc.files, 4, 4)
		if tc.extra != "" {
			os.WriteFile(filepath.Join(dir, tc.extra), []byte("x"), 0o644)
		}
		if _, err := OpenCine(dir, CineOptions{FrameRate: 1}); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), dir) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	dir := t.TempDir()
	writeFrames(t, dir, []string{"1.png", "2.png"}, 4, 4)
	writeFrames(t, dir, []string{"3.png"}, 5, 4)
	if _, err := readAll(dir, CineOptions{FrameRate: 1}); err == nil || !strings.Contains(err.Error(), "3.png: frame is 5×4, the cine's first frame is 4×4") {
		t.Errorf("size change: %v", err)
	}
	if _, err := OpenCine(dir, CineOptions{FrameRate: 1, MaxFrames: 2}); err == nil || !strings.Contains(err.Error(), "3 frames exceed") {
		t.Errorf("MaxFrames: %v", err)
	}
	if _, err := OpenCine(t.TempDir(), CineOptions{FrameRate: 1}); err == nil || !strings.Contains(err.Error(), "no PNG or JPEG frames") {
		t.Errorf("empty folder: %v", err)
	}
}

func TestFrameFolderColourAndCrop(t *testing.T) {
	dir := t.TempDir()
	for k := 1; k <= 2; k++ {
		m := image.NewRGBA(image.Rect(0, 0, 8, 6))
		for y := 0; y < 6; y++ {
			for x := 0; x < 8; x++ {
				m.SetRGBA(x, y, color.RGBA{uint8(30 * x), uint8(40 * y), uint8(50 * k), 255})
			}
		}
		if err := WritePNG(filepath.Join(dir, "img"+string(rune('0'+k))+".png"), m); err != nil {
			t.Fatal(err)
		}
	}
	crop := image.Rect(2, 1, 7, 5)
	c, err := OpenCine(dir, CineOptions{FrameRate: 2, Crop: crop})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if info := c.Info(); info.Width != 5 || info.Height != 4 || info.Photometric != "RGB" || info.Crop != crop {
		t.Fatalf("info %+v", info)
	}
	f, err := c.Next()
	if err != nil {
		t.Fatal(err)
	}
	g := f.Img.(*image.Gray)
	for y := 0; y < 4; y++ {
		for x := 0; x < 5; x++ {
			want := Luma8(uint8(30*(x+2)), uint8(40*(y+1)), 50)
			if g.GrayAt(x, y).Y != want {
				t.Fatalf("pixel (%d,%d) = %d, want %d", x, y, g.GrayAt(x, y).Y, want)
			}
		}
	}
}

func TestVideoWithoutFFmpeg(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	p := writeTemp(t, "clip.mp4", []byte("not really a video"))
	_, err := OpenCine(p, CineOptions{})
	if err == nil || !strings.Contains(err.Error(), "Debian package ffmpeg") || !strings.Contains(err.Error(), p) {
		t.Fatalf("%v", err)
	}
}

// TestVideoPipeline runs the ffmpeg path against stand-in ffprobe/ffmpeg scripts that
// print a known stream: 3 frames of 4×2 at 10 fps.
func TestVideoPipeline(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("needs /bin/sh for the stand-in tools")
	}
	bin := t.TempDir()
	probe := "#!/bin/sh\nprintf 'width=4\\nheight=2\\navg_frame_rate=10/1\\nnb_read_packets=3\\n'\n"
	ff := "#!/bin/sh\nprintf '\\001\\002\\003\\004\\005\\006\\007\\010\\011\\012\\013\\014\\015\\016\\017\\020\\021\\022\\023\\024\\025\\026\\027\\030'\n"
	for name, body := range map[string]string{"ffprobe": probe, "ffmpeg": ff} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin)
	p := writeTemp(t, "clip.avi", []byte("x"))
	c, err := OpenCine(p, CineOptions{Crop: image.Rect(1, 0, 3, 2)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if info := c.Info(); info.NumFrames != 3 || info.FrameRate != 10 || info.Timing != TimingVideo || info.Width != 2 {
		t.Fatalf("info %+v", info)
	}
	for k := 0; k < 3; k++ {
		f, err := c.Next()
		if err != nil {
			t.Fatal(err)
		}
		g := f.Img.(*image.Gray)
		// Frame k holds bytes 8k+1 ... 8k+8, row-major 4×2; the crop keeps columns 1 and 2.
		want := []uint8{uint8(8*k + 2), uint8(8*k + 3), uint8(8*k + 6), uint8(8*k + 7)}
		got := []uint8{g.Pix[0], g.Pix[1], g.Pix[g.Stride], g.Pix[g.Stride+1]}
		if string(got) != string(want) || f.Time != float64(k)/10 {
			t.Errorf("frame %d: %v at %v s, want %v at %v s", k, got, f.Time, want, float64(k)/10)
		}
	}
	if _, err := c.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("after the last frame: %v", err)
	}
}
