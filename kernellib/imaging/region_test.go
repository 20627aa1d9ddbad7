package imaging

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"image"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dualFixture mirrors testdata/dual_display.json (make_dual_display.py, pydicom).
type dualFixture struct {
	File    string `json:"file"`
	Frames  int    `json:"frames"`
	Rows    int    `json:"rows"`
	Columns int    `json:"columns"`
	Regions []struct {
		X0, Y0, X1, Y1 int
	} `json:"regions"`
	FullSHA   string   `json:"full_sha256"`
	RegionSHA []string `json:"region_sha256"`
	Lesion    struct{ X, Y, R int }
}

func loadDual(t *testing.T) (dualFixture, string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "dual_display.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d dualFixture
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	return d, filepath.Join("testdata", d.File)
}

// cineSHA returns the SHA-256 of every 8-bit frame of the cine, concatenated in C order
// (numpy's frames × rows × columns layout).
func cineSHA(t *testing.T, path string, opt CineOptions) (string, CineInfo) {
	t.Helper()
	c, err := OpenCine(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	info := c.Info()
	c.Close()
	h := sha256.New()
	for _, f := range collectFrames(t, path, opt) {
		g := f.Img.(*image.Gray)
		for y := g.Rect.Min.Y; y < g.Rect.Max.Y; y++ {
			h.Write(g.Pix[g.PixOffset(g.Rect.Min.X, y):][:g.Rect.Dx()])
		}
	}
	return hex.EncodeToString(h.Sum(nil)), info
}

func TestParseRegionSpec(t *testing.T) {
	for in, want := range map[string]string{"": "", " Left ": "left", "RIGHT": "right", "0": "0", "007": "7", "12": "12"} {
		got, err := ParseRegionSpec(in)
		if err != nil || got != want {
			t.Errorf("ParseRegionSpec(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"-1", "+1", "1.0", "centre", "l", "0x1", "99999999999999999999999"} {
		if got, err := ParseRegionSpec(in); err == nil {
			t.Errorf("ParseRegionSpec(%q) = %q, want an error", in, got)
		}
	}
}

// TestRegionDualDisplay: every spec crops the pydicom fixture to exactly the pixels
// numpy slices out of pydicom's pixel_array for that region.
func TestRegionDualDisplay(t *testing.T) {
	d, p := loadDual(t)
	if got, _ := cineSHA(t, p, CineOptions{}); got != d.FullSHA {
		t.Fatalf("full frames differ from pydicom's")
	}
	for _, tc := range []struct {
		spec  string
		index int
	}{{"0", 0}, {"1", 1}, {"2", 2}, {"left", 1}, {"Right", 0}} {
		got, info := cineSHA(t, p, CineOptions{Region: tc.spec})
		r := d.Regions[tc.index]
		box := image.Rect(r.X0, r.Y0, r.X1+1, r.Y1+1)
		if got != d.RegionSHA[tc.index] {
			t.Errorf("region %s: pixels differ from pydicom's slice of region %d", tc.spec, tc.index)
		}
		sel := info.Selected
		if sel == nil || sel.Index != tc.index || sel.Box != box || info.Crop != box || sel.Stored != image.Pt(d.Columns, d.Rows) {
			t.Fatalf("region %s: Selected %+v, Crop %v; want index %d, box %v", tc.spec, sel, info.Crop, tc.index, box)
		}
		if info.Width != box.Dx() || info.Height != box.Dy() || info.NumFrames != d.Frames {
			t.Errorf("region %s: %d×%d×%d", tc.spec, info.Width, info.Height, info.NumFrames)
		}
		wantMM := 0.1
		if tc.index == 2 {
			wantMM = 0 // the grey bar has no physical units
		}
		if math.Abs(info.PixelSpacingMM-wantMM) > 1e-12 {
			t.Errorf("region %s: PixelSpacingMM %v, want %v", tc.spec, info.PixelSpacingMM, wantMM)
		}
	}
	if _, err := OpenCine(p, CineOptions{}); err != nil {
		t.Fatal(err)
	}
	if l, r, ok := SideBySide(mustInfo(t, p).Regions); !ok || l != 1 || r != 0 {
		t.Errorf("SideBySide = %d, %d, %v; want 1, 0, true", l, r, ok)
	}
}

func mustInfo(t *testing.T, p string) CineInfo {
	t.Helper()
	c, err := OpenCine(p, CineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.Info()
}

func TestRegionRefused(t *testing.T) {
	_, dual := loadDual(t)
	folder := t.TempDir()
	for _, tc := range []struct {
		path string
		opt  CineOptions
		want string
	}{
		{dual, CineOptions{Region: "3"}, "has 3 regions (indexes 0 to 2)"},
		{dual, CineOptions{Region: "middle"}, "want a region index"},
		{dual, CineOptions{Region: "left", Crop: image.Rect(0, 0, 4, 4)}, "both given"},
		{filepath.Join("testdata", "dicom", "py_gray8_ft_implicit.dcm"), CineOptions{Region: "0"}, "no Sequence of Ultrasound Regions"},
		{folder, CineOptions{Region: "left", FrameRate: 10}, "a folder of frames has no Ultrasound Regions"},
		{filepath.Join(folder, "clip.mp4"), CineOptions{Region: "0"}, "a video file has no Ultrasound Regions"},
	} {
		c, err := OpenCine(tc.path, tc.opt)
		if err == nil {
			c.Close()
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
			t.Errorf("%s %+v: err %v, want one naming the file and %q", tc.path, tc.opt, err, tc.want)
		}
	}
}

func TestSelectRegionGeometry(t *testing.T) {
	r2d := func(x0, y0, x1, y1 int) Region {
		return Region{Bounds: image.Rect(x0, y0, x1, y1), SpatialFormat: 1}
	}
	// Boxes reaching past the image are clipped.
	regs := []Region{r2d(0, 0, 50, 40), r2d(50, 0, 110, 45)}
	k, box, err := SelectRegion(regs, "right", 100, 40)
	if err != nil || k != 1 || box != image.Rect(50, 0, 100, 40) {
		t.Errorf("right = %d %v %v, want 1 (50,0)-(100,40)", k, box, err)
	}
	// A box wholly outside the image.
	if _, _, err := SelectRegion([]Region{r2d(200, 0, 300, 10)}, "0", 100, 40); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("box outside: %v", err)
	}
	// Stacked (top/bottom) regions are not side by side.
	stacked := []Region{r2d(0, 0, 100, 20), r2d(0, 20, 100, 40)}
	if _, _, ok := SideBySide(stacked); ok {
		t.Error("stacked regions reported side by side")
	}
	if _, _, err := SelectRegion(stacked, "left", 100, 40); err == nil || !strings.Contains(err.Error(), "side-by-side") {
		t.Errorf("left of stacked regions: %v", err)
	}
	// One 2D region: left/right refused, index accepted.
	one := []Region{r2d(0, 0, 100, 40), {Bounds: image.Rect(0, 0, 10, 10), SpatialFormat: 5}}
	if _, _, err := SelectRegion(one, "left", 100, 40); err == nil {
		t.Error("left with a single 2D region accepted")
	}
	if k, _, err := SelectRegion(one, "1", 100, 40); err != nil || k != 1 {
		t.Errorf("index 1: %d %v", k, err)
	}
}

// disc returns a w×h mask with a disc of radius r at (cx, cy).
func disc(w, h, cx, cy, r int) *Mask {
	m := &Mask{Width: w, Height: h, Depth: 1, Data: make([]bool, w*h)}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r {
				m.Data[y*w+x] = true
			}
		}
	}
	return m
}

func sameMask(a, b *Mask) bool {
	if a.Width != b.Width || a.Height != b.Height || a.Depth != b.Depth {
		return false
	}
	for i := range a.Data {
		if a.Data[i] != b.Data[i] {
			return false
		}
	}
	return true
}

// TestMaskForCine: a lesion drawn on the tissue (left) half of the dual display is
// carried to the same offset in the contrast (right) half; one drawn on the right is
// cropped; region-sized masks pass; straddling or mis-sized masks are refused.
func TestMaskForCine(t *testing.T) {
	d, p := loadDual(t)
	L, R := d.Regions[1], d.Regions[0]
	// The lesion in region coordinates, and drawn in full-frame coordinates on each half.
	want := disc(32, 32, d.Lesion.X, d.Lesion.Y, d.Lesion.R)
	onLeft := disc(d.Columns, d.Rows, L.X0+d.Lesion.X, L.Y0+d.Lesion.Y, d.Lesion.R)
	onRight := disc(d.Columns, d.Rows, R.X0+d.Lesion.X, R.Y0+d.Lesion.Y, d.Lesion.R)
	for _, spec := range []string{"right", "left"} {
		c, err := OpenCine(p, CineOptions{Region: spec})
		if err != nil {
			t.Fatal(err)
		}
		info := c.Info()
		c.Close()
		for name, m := range map[string]*Mask{"left": onLeft, "right": onRight, "region-sized": want} {
			got, err := MaskForCine(m, info)
			if err != nil {
				t.Fatalf("region %s, mask drawn %s: %v", spec, name, err)
			}
			if !sameMask(got, want) {
				t.Errorf("region %s, mask drawn %s: not the lesion at its offset in the region", spec, name)
			}
		}
		// The moved mask lands on the enhancing lesion of the contrast half.
		if spec == "right" {
			got, _ := MaskForCine(onLeft, info)
			last := collectFrames(t, p, CineOptions{Region: spec})
			g := last[len(last)-1].Img.(*image.Gray)
			in, out := meanIn(g, got, true), meanIn(g, got, false)
			if !(in > out+50) {
				t.Errorf("moved mask: mean %v inside, %v outside; the lesion enhances by 150", in, out)
			}
		}
		straddle := disc(d.Columns, d.Rows, 36, 20, 5)
		if _, err := MaskForCine(straddle, info); err == nil || !strings.Contains(err.Error(), "neither inside") {
			t.Errorf("straddling mask: %v", err)
		}
		if _, err := MaskForCine(disc(20, 20, 5, 5, 2), info); err == nil || !strings.Contains(err.Error(), "must be the stored frame's 72×40") {
			t.Errorf("mis-sized mask: %v", err)
		}
	}
	// Without a region the mask is untouched.
	info := mustInfo(t, p)
	if got, err := MaskForCine(onLeft, info); err != nil || got != onLeft {
		t.Errorf("no region: %v", err)
	}
}

func meanIn(g *image.Gray, m *Mask, inside bool) float64 {
	s, n := 0.0, 0
	for y := 0; y < m.Height; y++ {
		for x := 0; x < m.Width; x++ {
			if m.Data[y*m.Width+x] == inside {
				s += float64(g.GrayAt(x, y).Y)
				n++
			}
		}
	}
	return s / float64(n)
}

func TestMapMaskToRegion(t *testing.T) {
	m := disc(20, 10, 3, 4, 1)
	got, err := MapMaskToRegion(m, image.Rect(0, 0, 10, 10), image.Rect(10, 0, 20, 10))
	if err != nil || !sameMask(got, disc(20, 10, 13, 4, 1)) {
		t.Errorf("moved mask wrong: %v", err)
	}
	if _, err := MapMaskToRegion(m, image.Rect(5, 0, 10, 10), image.Rect(10, 0, 15, 10)); err == nil || !strings.Contains(err.Error(), "outside the source box") {
		t.Errorf("ROI outside the source: %v", err)
	}
	if _, err := MapMaskToRegion(m, image.Rect(0, 0, 10, 10), image.Rect(18, 0, 20, 10)); err == nil || !strings.Contains(err.Error(), "outside the target box") {
		t.Errorf("ROI beyond the target: %v", err)
	}
	c, err := CropMask(disc(20, 10, 13, 4, 1), image.Rect(10, 0, 20, 10))
	if err != nil || !sameMask(c, disc(10, 10, 3, 4, 1)) {
		t.Errorf("CropMask wrong: %v", err)
	}
	if _, err := CropMask(m, image.Rect(15, 0, 25, 10)); err == nil {
		t.Error("CropMask outside the mask accepted")
	}
}
