package deep

import (
	"math"
	"math/rand/v2"
	"testing"
)

// tinyConfig is a network small enough for finite differences.
func tinyConfig() Config {
	cfg := DefaultConfig()
	cfg.Frames, cfg.Size, cfg.JitterSteps = 3, 8, 0
	cfg.Channels = []int{3, 4}
	cfg.TemporalChannels = 3
	cfg.BatchSize = 2
	return cfg
}

// randomClip returns a clip of uniform random intensities and a disc mask.
func randomClip(r *rand.Rand, cfg Config, id string) *Clip {
	S, K := cfg.Size, cfg.Candidates()
	c := &Clip{ID: id, Frames: cfg.Frames, Candidates: K, Size: S, Times: cfg.SampleTimes(),
		Pix: make([]uint16, cfg.Frames*K*S*S), Mask: make([]uint16, S*S)}
	for i := range c.Pix {
		c.Pix[i] = uint16(r.IntN(65536))
	}
	for y := 0; y < S; y++ {
		for x := 0; x < S; x++ {
			if math.Hypot(float64(x)-float64(S-1)/2, float64(y)-float64(S-1)/2) < float64(S)/3 {
				c.Mask[y*S+x] = 65535
			}
		}
	}
	return c
}

// TestGradient compares the gradients of the training graph (the
// convolution and batch-norm ops of this package, gorgonia's ReLU, max-pool,
// transpose, means, dense layer and loss) with central finite differences
// of the loss, in float64 arithmetic over float32 values.
func TestGradient(t *testing.T) {
	for _, masked := range []bool{false, true} {
		cfg := tinyConfig()
		cfg.MaskedPooling = masked
		gradientCheck(t, cfg)
	}
}

func gradientCheck(t *testing.T, cfg Config) {
	r := rand.New(rand.NewPCG(1, 2))
	m, err := NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	net, err := m.build(2, modeTrain)
	if err != nil {
		t.Fatal(err)
	}
	id := identity(cfg.Frames, cfg.JitterSteps)
	for b := 0; b < 2; b++ {
		if err := m.fill(net, b, randomClip(r, cfg, "c"), id); err != nil {
			t.Fatal(err)
		}
	}
	net.ybuf[0], net.ybuf[1] = 1, 0
	net.wbuf[0], net.wbuf[1] = 0.3, 0.7
	// give the dense layer and the batch-norm shifts some size
	for _, p := range m.Params {
		for i := range p.Data {
			p.Data[i] += float32(0.2 * r.NormFloat64())
		}
	}
	loss := func() float64 {
		if err := net.run(); err != nil {
			t.Fatal(err)
		}
		v, err := float32s(net.lossV, "loss")
		if err != nil {
			t.Fatal(err)
		}
		return float64(v[0])
	}
	loss()
	grads := make([][]float32, len(net.gradV))
	for i, g := range net.gradV {
		d, err := float32s(g, "grad")
		if err != nil {
			t.Fatal(err)
		}
		grads[i] = append([]float32(nil), d...)
	}
	const h = 1e-3
	checked := 0
	for pi, p := range m.Params {
		for j := 0; j < len(p.Data); j += 1 + len(p.Data)/7 {
			old := p.Data[j]
			p.Data[j] = old + float32(h)
			lp := loss()
			p.Data[j] = old - float32(h)
			lm := loss()
			p.Data[j] = old
			fd := (lp - lm) / (2 * h)
			an := float64(grads[pi][j])
			if math.Abs(fd-an) > 2e-3+0.05*math.Abs(fd) {
				t.Errorf("masked pooling %t: %s[%d]: gradient %.6g, finite difference %.6g", cfg.MaskedPooling, p.Name, j, an, fd)
			}
			checked++
		}
	}
	if checked < 20 {
		t.Fatalf("checked %d values only", checked)
	}
}
