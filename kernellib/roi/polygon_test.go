package roi

import (
	"errors"
	"image"
	"math"
	"strings"
	"testing"
)

func TestParsePolygon(t *testing.T) {
	p, err := ParsePolygon(" 1,2\t3.5,-4\n 1e1,0 ")
	if err != nil {
		t.Fatal(err)
	}
	want := Polygon{{1, 2}, {3.5, -4}, {10, 0}}
	if len(p) != len(want) {
		t.Fatalf("got %v, want %v", p, want)
	}
	for i := range want {
		if p[i] != want[i] {
			t.Fatalf("vertex %d: got %v, want %v", i, p[i], want[i])
		}
	}
	if got := p.String(); got != "1,2 3.5,-4 10,0" {
		t.Errorf("String: %q", got)
	}
	for _, bad := range []struct{ in, says string }{
		{"", "no vertices"},
		{"1,2 3,4 5", `vertex 3 "5"`},
		{"1,2 3;4 5,6", `vertex 2 "3;4"`},
		{"1,2,3 4,5 6,7", `vertex 1 "1,2,3"`},
		{"1,x 4,5 6,7", `vertex 1 "1,x"`},
		{"1, 2 4,5 6,7", `vertex 1 "1,"`},
	} {
		_, err := ParsePolygon(bad.in)
		if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), bad.says) {
			t.Errorf("ParsePolygon(%q): %v; want ErrSyntax naming %s", bad.in, err, bad.says)
		}
	}
}

func TestValidate(t *testing.T) {
	if err := (Polygon{{0, 0}, {1, 0}, {0, 1}}).Validate(); err != nil {
		t.Error(err)
	}
	if err := (Polygon{{0, 0}, {1, 0}}).Validate(); !errors.Is(err, ErrTooFew) || !strings.Contains(err.Error(), "2 vertices") {
		t.Errorf("two vertices: %v", err)
	}
	p, err := ParsePolygon("1,2 NaN,3 4,5")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); !errors.Is(err, ErrNotFinite) || !strings.Contains(err.Error(), "vertex 2") {
		t.Errorf("NaN: %v", err)
	}
	if _, err := Rasterize(Polygon{{1, 1}, {math.Inf(1), 2}, {3, 3}}, 5, 5); !errors.Is(err, ErrNotFinite) {
		t.Errorf("Rasterize with +Inf: %v", err)
	}
	if _, err := Rasterize(nil, 5, 5); !errors.Is(err, ErrTooFew) {
		t.Errorf("Rasterize with no vertex: %v", err)
	}
	if _, err := Rasterize(Polygon{{1, 1}, {2, 1}, {1, 2}}, 0, 5); err == nil {
		t.Error("Rasterize into a 0×5 image: no error")
	}
}

// TestFarVertices: vertices far outside the image (beyond the range of int) are
// clipped, never overflow the pixel range.
func TestFarVertices(t *testing.T) {
	for _, p := range []Polygon{
		{{-1e300, -1e300}, {1e300, -1e300}, {0, 1e300}},
		{{1e300, 1e300}, {2e300, 1e300}, {1e300, 2e300}},
		{{-1e300, -1e300}, {-2e300, -1e300}, {-1e300, -2e300}},
	} {
		m, err := Rasterize(p, 4, 3)
		if err != nil {
			t.Fatal(err)
		}
		if n := m.Count(); n != 0 && n != 12 {
			t.Errorf("%v: %d pixels inside, want 0 or all 12", p, n)
		}
	}
	m, _ := Rasterize(Polygon{{-1e300, -1e300}, {1e300, -1e300}, {0, 1e300}}, 4, 3)
	if m.Count() != 12 {
		t.Errorf("a triangle around the image covers %d of its 12 pixels", m.Count())
	}
}

func TestLocate(t *testing.T) {
	sq := Polygon{{0, 0}, {4, 0}, {4, 4}, {0, 4}}
	for _, c := range []struct {
		x, y float64
		want Position
	}{
		{2, 2, Inside}, {0, 0, OnVertex}, {4, 4 + 1e-13, OnVertex}, {2, 0, OnEdge}, {4, 2, OnEdge},
		{0, 2, OnEdge}, {5, 2, Outside}, {-1, 0, Outside}, {2, -0.5, Outside},
	} {
		if got := sq.Locate(c.x, c.y); got != c.want {
			t.Errorf("Locate(%v, %v) = %d, want %d", c.x, c.y, got, c.want)
		}
	}
	star := Polygon{{10, 1}, {16, 19}, {1, 7}, {19, 7}, {4, 19}}
	if got := star.Locate(10, 10); got != Outside {
		t.Errorf("centre of a pentagram: %d, want Outside (even-odd rule)", got)
	}
}

func TestTranslateNonEmptyGray(t *testing.T) {
	p := Polygon{{1, 1}, {3, 1}, {3, 2}}.Translate(2, -1)
	if p[0] != (Point{3, 0}) || p[2] != (Point{5, 1}) {
		t.Fatalf("Translate: %v", p)
	}
	m, err := Rasterize(Polygon{{0.2, 0.2}, {0.8, 0.2}, {0.5, 0.8}}, 3, 3)
	if err != nil {
		t.Fatal(err)
	}
	if err := NonEmpty(m, Polygon{{0.2, 0.2}, {0.8, 0.2}, {0.5, 0.8}}); !errors.Is(err, ErrEmpty) || !strings.Contains(err.Error(), "3×3") {
		t.Errorf("a triangle between pixel centres: %v", err)
	}
	m, _ = Rasterize(Polygon{{0, 0}, {2, 0}, {2, 1}, {0, 1}}, 3, 3)
	g, err := Gray(m)
	if err != nil {
		t.Fatal(err)
	}
	want := []uint8{255, 255, 255, 255, 255, 255, 0, 0, 0}
	for i := range want {
		if g.Pix[i] != want[i] {
			t.Fatalf("Gray: %v, want %v", g.Pix, want)
		}
	}
	if err := NonEmpty(m, nil); err != nil {
		t.Error(err)
	}
}

// TestRasterizeIn: a polygon drawn on a crop lands at the crop's offset, clipped
// to the crop, and equals the crop's own rasterisation there.
func TestRasterizeIn(t *testing.T) {
	p := Polygon{{-2, 1}, {5.5, 0.5}, {4, 6}}
	box := image.Rect(10, 3, 16, 8)
	m, err := RasterizeIn(p, box, image.Pt(20, 10))
	if err != nil {
		t.Fatal(err)
	}
	crop, _ := Rasterize(p, box.Dx(), box.Dy())
	n := 0
	for y := 0; y < 10; y++ {
		for x := 0; x < 20; x++ {
			in := image.Pt(x, y).In(box) && crop.At2D(x-box.Min.X, y-box.Min.Y)
			if m.At2D(x, y) != in {
				t.Fatalf("pixel (%d, %d): %v, want %v", x, y, m.At2D(x, y), in)
			}
			if in {
				n++
			}
		}
	}
	if n == 0 || m.Width != 20 || m.Height != 10 {
		t.Fatalf("%d pixels in a %d×%d mask", n, m.Width, m.Height)
	}
	if _, err := RasterizeIn(p, image.Rect(15, 0, 25, 5), image.Pt(20, 10)); err == nil {
		t.Error("a box beyond the image: no error")
	}
}
