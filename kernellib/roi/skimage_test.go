package roi

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

type skimageCase struct {
	Name   string    `json:"name"`
	W      int       `json:"width"`
	H      int       `json:"height"`
	X      []float64 `json:"x"`
	Y      []float64 `json:"y"`
	Inside int       `json:"inside"`
	Runs   []int     `json:"runs"`
}

// decode expands the run lengths (outside first) into the row-major mask.
func (c skimageCase) decode(t *testing.T) []bool {
	t.Helper()
	out := make([]bool, 0, c.W*c.H)
	in := false
	for _, n := range c.Runs {
		for k := 0; k < n; k++ {
			out = append(out, in)
		}
		in = !in
	}
	if len(out) != c.W*c.H {
		t.Fatalf("%s: the runs cover %d pixels, want %d×%d", c.Name, len(out), c.W, c.H)
	}
	return out
}

// TestSkimageFixture rasterises every polygon of testdata/skimage_polygon.json
// (made by skimage_polygon.py with scikit-image's skimage.draw.polygon) and asserts
// exact agreement, hence also the IoU ≥ 0.97, on every polygon.
func TestSkimageFixture(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "skimage_polygon.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Tool  string        `json:"tool"`
		Cases []skimageCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	if len(fx.Cases) < 80 {
		t.Fatalf("%d cases in the fixture, want at least 80", len(fx.Cases))
	}
	exact, minIoU := 0, 1.0
	for _, c := range fx.Cases {
		want := c.decode(t)
		p := make(Polygon, len(c.X))
		for i := range c.X {
			p[i] = Point{c.X[i], c.Y[i]}
		}
		m, err := Rasterize(p, c.W, c.H)
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		inter, union, count := 0, 0, 0
		for i, w := range want {
			g := m.Data[i]
			if g && w {
				inter++
			}
			if g || w {
				union++
			}
			if w {
				count++
			}
		}
		if count != c.Inside {
			t.Fatalf("%s: the runs hold %d inside pixels, the fixture says %d", c.Name, count, c.Inside)
		}
		iou := 1.0 // two empty masks agree
		if union > 0 {
			iou = float64(inter) / float64(union)
		}
		minIoU = min(minIoU, iou)
		if iou < 0.97 {
			t.Errorf("%s: IoU with scikit-image %.4f < 0.97", c.Name, iou)
		}
		if inter == union {
			exact++
		} else {
			t.Errorf("%s: %d pixels differ from scikit-image (%d inside there, %d here)", c.Name, union-inter, count, m.Count())
		}
	}
	t.Logf("%s: %d of %d polygons identical, smallest IoU %.4f", fx.Tool, exact, len(fx.Cases), minIoU)
}
