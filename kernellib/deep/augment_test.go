package deep

import (
	"math"
	"testing"
)

// ramp returns an s×s image with distinct values.
func ramp(s int) []float32 {
	im := make([]float32, s*s)
	for i := range im {
		im[i] = float32(i) / float32(s*s)
	}
	return im
}

func TestSampler(t *testing.T) {
	const s = 6
	in := ramp(s)
	at := func(x, y int) float32 {
		x, y = min(max(x, 0), s-1), min(max(y, 0), s-1)
		return in[y*s+x]
	}
	check := func(name string, tr transform, want func(x, y int) float32) {
		t.Helper()
		out := make([]float32, s*s)
		newSampler(s, tr).apply(in, out)
		for y := 0; y < s; y++ {
			for x := 0; x < s; x++ {
				if d := math.Abs(float64(out[y*s+x] - want(x, y))); d > 1e-6 {
					t.Fatalf("%s: (%d,%d) = %v, want %v", name, x, y, out[y*s+x], want(x, y))
				}
			}
		}
	}
	check("identity", transform{gamma: 1}, at)
	check("flip x", transform{flipX: true, gamma: 1}, func(x, y int) float32 { return at(s-1-x, y) })
	check("flip y", transform{flipY: true, gamma: 1}, func(x, y int) float32 { return at(x, s-1-y) })
	check("shift (2, −1), border repeated", transform{dx: 2, dy: -1, gamma: 1}, func(x, y int) float32 { return at(x-2, y+1) })
	// A quarter turn about the centre maps (x, y) to (y, s−1−x).
	check("rotate 90°", transform{angle: math.Pi / 2, gamma: 1}, func(x, y int) float32 { return at(y, s-1-x) })
	// Half a pixel of shift averages neighbours.
	check("shift ½", transform{dx: 0.5, gamma: 1}, func(x, y int) float32 { return (at(x, y) + at(x-1, y)) / 2 })
}

func TestAugmented(t *testing.T) {
	cfg := prepConfig()
	cfg.Size = 8
	clips, _ := patternClips(1, cfg, 9)
	c := clips[0]
	s2 := c.Size * c.Size
	id := identity(cfg.Frames, cfg.JitterSteps)
	out := make([]float32, cfg.Frames*2*s2)
	c.augmented(id, true, out)
	for f := 0; f < cfg.Frames; f++ {
		want := c.Frame(f, cfg.JitterSteps)
		for i := 0; i < s2; i++ {
			if out[f*2*s2+i] != want[i] {
				t.Fatalf("identity: frame %d pixel %d = %v, want %v", f, i, out[f*2*s2+i], want[i])
			}
			if m := float32(c.Mask[i]) / 65535; out[(f*2+1)*s2+i] != m {
				t.Fatalf("mask channel of frame %d differs from the mask", f)
			}
		}
	}
	// Gamma and the choice of candidate.
	tr := identity(cfg.Frames, cfg.JitterSteps)
	tr.gamma, tr.pick[2] = 2, 0
	c.augmented(tr, false, out[:cfg.Frames*s2])
	want := c.Frame(2, 0)
	for i := 0; i < s2; i++ {
		if d := math.Abs(float64(out[2*s2+i]) - math.Pow(float64(want[i]), 2)); d > 1e-6 {
			t.Fatalf("gamma 2: %v, want %v", out[2*s2+i], want[i]*want[i])
		}
	}
	// Draws stay within the configured ranges and are reproducible.
	a := cfg.Augment
	for k := uint64(0); k < 200; k++ {
		d := a.draw(newRand(3, streamAugment, k), cfg)
		e := a.draw(newRand(3, streamAugment, k), cfg)
		if d.angle != e.angle || d.gamma != e.gamma {
			t.Fatal("the same stream gives another draw")
		}
		if math.Abs(d.angle) > a.RotateDeg*math.Pi/180 || math.Abs(d.dx) > a.Shift*float64(cfg.Size) ||
			d.gamma < 1/a.Gamma || d.gamma > a.Gamma {
			t.Fatalf("draw %+v outside %+v", d, a)
		}
		for _, p := range d.pick {
			if p < 0 || p >= cfg.Candidates() {
				t.Fatalf("candidate %d", p)
			}
		}
	}
}
