package deep

import (
	"image"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/internal/dualtest"
)

// TestPrepareRegion: a patient's cine_region reaches Prepare through SourceOf, the clip
// is cut from the contrast half of the dual-display fixture
// (imaging/testdata/make_dual_display.py), and the lesion mask drawn on the tissue half
// lands on the enhancing lesion there.
func TestPrepareRegion(t *testing.T) {
	p, err := dualtest.Patient(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	src := SourceOf(p)
	if src.Region != "right" {
		t.Fatalf("SourceOf dropped cine_region: %+v", src)
	}
	cfg := DefaultConfig()
	cfg.Frames, cfg.Size, cfg.JitterSteps, cfg.JitterS = 2, 16, 0, 0.1
	cfg.Phases = []Phase{{"all", 0, 1.1, 1}}
	cfg.Channels = []int{2}
	c, err := Prepare(src, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The lesion (12,14)-(21,23) in region coordinates, its box with 15 % margin.
	if !image.Pt(16, 18).In(c.Box) || c.Box.Min.X < 8 || c.Box.Max.X > 25 {
		t.Errorf("box %v, want one around the lesion at (16,16) of the region", c.Box)
	}
	S := c.Size
	centre := (S/2)*S + S/2
	if c.Mask[centre] != 65535 {
		t.Errorf("mask channel at the centre = %d, want 65535", c.Mask[centre])
	}
	first, last := c.Frame(0, 0), c.Frame(c.Frames-1, 0)
	if !(last[centre]-first[centre] > 0.3) {
		t.Errorf("the lesion centre goes from %v to %v; the contrast half enhances by 165/255", first[centre], last[centre])
	}
}
