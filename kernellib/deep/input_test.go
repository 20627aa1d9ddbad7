package deep

import (
	"encoding/json"
	"image"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// TestResizePillow compares Resize with Pillow's Image.resize (BILINEAR,
// mode "F"), fixture made by testdata/resize_pillow.py.
func TestResizePillow(t *testing.T) {
	b, err := os.ReadFile("testdata/resize_pillow.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Tool  string
		Cases []struct {
			W, H, Ow, Oh int
			In, Out      []float32
		}
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(fx.Tool, "Pillow") || len(fx.Cases) == 0 {
		t.Fatalf("fixture: tool %q, %d cases", fx.Tool, len(fx.Cases))
	}
	for _, c := range fx.Cases {
		got := Resize(c.In, c.W, c.H, c.Ow, c.Oh)
		if len(got) != len(c.Out) {
			t.Fatalf("%dx%d→%dx%d: %d values, want %d", c.W, c.H, c.Ow, c.Oh, len(got), len(c.Out))
		}
		worst := 0.0
		for i := range got {
			worst = math.Max(worst, math.Abs(float64(got[i]-c.Out[i])))
		}
		if worst > 2e-6 {
			t.Errorf("%dx%d→%dx%d: largest difference from %s is %.3g", c.W, c.H, c.Ow, c.Oh, fx.Tool, worst)
		}
	}
}

func TestCropBox(t *testing.T) {
	m := &imaging.Mask{Width: 40, Height: 30, Depth: 1, Data: make([]bool, 1200)}
	if _, err := CropBox(m, 0.15); err == nil {
		t.Error("empty mask: no error")
	}
	for y := 8; y < 16; y++ {
		for x := 10; x < 22; x++ {
			m.Data[y*40+x] = true
		}
	}
	// bounding box [10,22)×[8,16): side ⌈12·1.3⌉ = 16, centred.
	got, err := CropBox(m, 0.15)
	if want := image.Rect(8, 4, 24, 20); err != nil || got != want {
		t.Errorf("CropBox = %v, %v; want %v", got, err, want)
	}
	got, _ = CropBox(m, 0)
	if want := image.Rect(10, 6, 22, 18); got != want {
		t.Errorf("CropBox(margin 0) = %v; want %v", got, want)
	}
}

func TestSampleTimes(t *testing.T) {
	cfg := DefaultConfig()
	got := cfg.SampleTimes()
	// arterial 10–35 s: 8 frames every 3.125 s; portal 35–60 s: 4 every
	// 6.25 s; late 60–120 s: 4 every 15 s, each at its interval's centre.
	var want []float64
	for i := 0; i < 8; i++ {
		want = append(want, 10+(float64(i)+0.5)*25/8)
	}
	for i := 0; i < 4; i++ {
		want = append(want, 35+(float64(i)+0.5)*25/4)
	}
	for i := 0; i < 4; i++ {
		want = append(want, 60+(float64(i)+0.5)*60/4)
	}
	if len(got) != len(want) {
		t.Fatalf("%d times, want %d", len(got), len(want))
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("time %d = %v, want %v", i, got[i], want[i])
		}
	}
	// Largest remainder: 5 frames over shares 1:1:1 give 2, 2, 1.
	cfg.Frames = 5
	cfg.Phases = []Phase{{"a", 0, 2, 1}, {"b", 2, 4, 1}, {"c", 4, 6, 1}}
	if got := cfg.SampleTimes(); len(got) != 5 || got[1] != 1.5 || got[3] != 3.5 || got[4] != 5 {
		t.Errorf("SampleTimes = %v", got)
	}
}

// writeCine writes a DICOM cine of n frames at 2 frames/s whose frame k has
// the value v(x, y, k), and the lesion mask [x0,x1)×[y0,y1), and returns
// their Source.
func writeCine(t *testing.T, dir, id string, w, h, n int, v func(x, y, k int) uint8, lesion image.Rectangle, offset float64) Source {
	t.Helper()
	frames := make([]*image.Gray, n)
	times := make([]float64, n)
	for k := range frames {
		g := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				g.Pix[y*g.Stride+x] = v(x, y, k)
			}
		}
		frames[k], times[k] = g, float64(k)/2
	}
	src := Source{ID: id, Cine: filepath.Join(dir, id+".dcm"), Mask: filepath.Join(dir, id+"_lesion.png"), InjectionOffset: offset}
	if err := imaging.WriteDICOMCine(src.Cine, frames, imaging.CineMeta{PatientID: id, FrameTimes: times, PixelSpacingMM: 0.5}); err != nil {
		t.Fatal(err)
	}
	m := image.NewGray(image.Rect(0, 0, w, h))
	for y := lesion.Min.Y; y < lesion.Max.Y; y++ {
		for x := lesion.Min.X; x < lesion.Max.X; x++ {
			m.Pix[y*m.Stride+x] = 255
		}
	}
	if err := imaging.WritePNG(src.Mask, m); err != nil {
		t.Fatal(err)
	}
	return src
}

// prepConfig samples T = 4 times over 0–10 s after the injection, with one
// jitter step of 1 s on either side, at the size of the crop (16), so that
// the resize is the identity.
func prepConfig() Config {
	cfg := DefaultConfig()
	cfg.Frames, cfg.Size, cfg.JitterSteps, cfg.JitterS = 4, 16, 1, 1
	cfg.Phases = []Phase{{"all", 0, 10, 1}}
	cfg.Channels = []int{2}
	return cfg
}

// TestPrepare checks the frames Prepare picks (the nearest in time to
// τ + j·JitterS + offset) and the crop (the pixels of the box, zero outside
// the frame) on hand-made cines.
func TestPrepare(t *testing.T) {
	dir := t.TempDir()
	cfg := prepConfig()
	val := func(x, y, k int) uint8 { return uint8(3*x + 5*y + 7*k) }
	// lesion [10,22)×[8,16) → box [8,24)×[4,20) inside the 40×30 frame;
	// the second lesion's box [−2,14)×[−4,12) passes the top-left corner.
	srcs := []Source{
		writeCine(t, dir, "A", 40, 30, 30, val, image.Rect(10, 8, 22, 16), 2.1),
		writeCine(t, dir, "B", 40, 30, 30, val, image.Rect(0, 0, 12, 8), 0.6),
	}
	boxes := []image.Rectangle{image.Rect(8, 4, 24, 20), image.Rect(-2, -4, 14, 12)}
	clips, err := PrepareAll(srcs, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for ci, c := range clips {
		if c.Box != boxes[ci] {
			t.Errorf("%s: box %v, want %v", c.ID, c.Box, boxes[ci])
		}
		for ti, tau := range c.Times {
			for j := -1; j <= 1; j++ {
				k := int(math.Round(2 * (tau + float64(j) + srcs[ci].InjectionOffset))) // no ties here
				kk := ti*3 + j + 1
				if c.FrameTimes[kk] != float64(k)/2 {
					t.Fatalf("%s τ=%v j=%d: frame at %v s, want %v s", c.ID, tau, j, c.FrameTimes[kk], float64(k)/2)
				}
				f := c.Frame(ti, j+1)
				for y := 0; y < 16; y++ {
					for x := 0; x < 16; x++ {
						X, Y := x+c.Box.Min.X, y+c.Box.Min.Y
						want := 0.0
						if X >= 0 && Y >= 0 {
							want = float64(val(X, Y, k)) / 255
						}
						if math.Abs(float64(f[y*16+x])-want) > 1e-4 {
							t.Fatalf("%s τ=%v j=%d (%d,%d): %v, want %v", c.ID, tau, j, x, y, f[y*16+x], want)
						}
					}
				}
			}
		}
	}
	// The mask channel is the lesion's share of each pixel.
	if got := clips[0].Mask[(8-4)*16+(10-8)]; got != 65535 {
		t.Errorf("mask inside the lesion = %d", got)
	}
	if got := clips[0].Mask[0]; got != 0 {
		t.Errorf("mask outside the lesion = %d", got)
	}

	// A cine that ends before the last sampled time.
	short := writeCine(t, dir, "C", 40, 30, 16, val, image.Rect(10, 8, 22, 16), 2.1)
	if _, err := Prepare(short, cfg); err == nil || !strings.Contains(err.Error(), "no frame within 1 s") {
		t.Errorf("short cine: %v", err)
	}
	// A mask of another size.
	bad := srcs[0]
	bad.Mask = filepath.Join(dir, "small.png")
	imaging.WritePNG(bad.Mask, image.NewGray(image.Rect(0, 0, 8, 8)))
	if _, err := Prepare(bad, cfg); err == nil || !strings.Contains(err.Error(), "8×8") {
		t.Errorf("mask size: %v", err)
	}
	// An empty mask.
	empty := srcs[0]
	empty.Mask = filepath.Join(dir, "empty.png")
	imaging.WritePNG(empty.Mask, image.NewGray(image.Rect(0, 0, 40, 30)))
	if _, err := Prepare(empty, cfg); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty mask: %v", err)
	}
}
