package deep

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// patternClips returns n clips whose outcome is visible only in the
// spatial pattern of the lesion: responders enhance uniformly, others in a
// checkerboard of 2×2 patches, at the same mean intensity, under noise.
func patternClips(n int, cfg Config, seed uint64) ([]*Clip, []bool) {
	r := rand.New(rand.NewPCG(seed, 7))
	S, K := cfg.Size, cfg.Candidates()
	clips := make([]*Clip, n)
	y := make([]bool, n)
	for i := range clips {
		y[i] = i%2 == 0
		c := &Clip{ID: "P", Frames: cfg.Frames, Candidates: K, Size: S, Times: cfg.SampleTimes(),
			Pix: make([]uint16, cfg.Frames*K*S*S), Mask: make([]uint16, S*S)}
		for f := 0; f < cfg.Frames*K; f++ {
			for py := 0; py < S; py++ {
				for px := 0; px < S; px++ {
					v := 0.3
					in := math.Hypot(float64(px)-float64(S-1)/2, float64(py)-float64(S-1)/2) < float64(S)/3
					if in {
						c.Mask[py*S+px] = 65535
						v = 0.6
						if !y[i] && ((px/2)+(py/2))%2 == 0 {
							v = 0.9
						} else if !y[i] {
							v = 0.3
						}
					}
					v += 0.08 * r.NormFloat64()
					c.Pix[f*S*S+py*S+px] = uint16(65535 * math.Min(math.Max(v, 0), 1))
				}
			}
		}
		clips[i] = c
	}
	return clips, y
}

// smallConfig trains fast on 16×16 clips of 2 frames.
func smallConfig() Config {
	cfg := DefaultConfig()
	cfg.Frames, cfg.Size, cfg.JitterSteps = 2, 16, 0
	cfg.Phases = []Phase{{"all", 10, 20, 1}}
	cfg.Channels = []int{4, 8}
	cfg.TemporalChannels = 8
	cfg.Epochs, cfg.Patience = 12, 0
	cfg.Augment.Jitter = false
	return cfg
}

// TestTrainLearns trains on a task that needs the spatial pattern and
// scores new clips of the same task.
func TestTrainLearns(t *testing.T) {
	cfg := smallConfig()
	clips, y := patternClips(32, cfg, 1)
	var seen []Epoch
	m, err := Train(clips, y, cfg, func(e Epoch) { seen = append(seen, e) })
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != cfg.Epochs || len(m.History) != cfg.Epochs || m.BestEpoch < 1 {
		t.Fatalf("%d progress calls, %d epochs in the history, best %d", len(seen), len(m.History), m.BestEpoch)
	}
	test, ty := patternClips(40, cfg, 2)
	p, err := m.Predict(test)
	if err != nil {
		t.Fatal(err)
	}
	auc, err := roc.AUC(p, ty, roc.CasesHigher)
	if err != nil {
		t.Fatal(err)
	}
	if auc < 0.9 {
		t.Errorf("AUC on new clips %.3f, want ≥ 0.9 (history %+v)", auc, m.History)
	}
	for _, v := range p {
		if !(v > 0 && v < 1) {
			t.Fatalf("probability %v", v)
		}
	}
	f, err := m.Features(test)
	if err != nil {
		t.Fatal(err)
	}
	if len(f) != len(test) || len(f[0]) != cfg.TemporalChannels || len(m.FeatureNames()) != cfg.TemporalChannels {
		t.Fatalf("features %d×%d", len(f), len(f[0]))
	}
	// The logit is the dense layer over the features.
	z, _ := m.Logits(test[:3])
	w, b := m.Params[len(m.Params)-2].Data, m.Params[len(m.Params)-1].Data[0]
	for i := range z {
		s := float64(b)
		for k, v := range f[i] {
			s += float64(w[k]) * v
			if v < 0 {
				t.Fatalf("feature %d = %v < 0 after the ReLU", k, v)
			}
		}
		if math.Abs(s-z[i]) > 1e-4 {
			t.Errorf("logit %v, dense layer over the features %v", z[i], s)
		}
	}
}

// TestDeterministic trains twice with the same seed on 1 and 3 workers and
// once with another seed.
func TestDeterministic(t *testing.T) {
	cfg := smallConfig()
	cfg.Epochs = 3
	clips, y := patternClips(16, cfg, 3)
	train := func(seed uint64, workers int) *Model {
		c := cfg
		c.Seed, c.Workers = seed, workers
		m, err := Train(clips, y, c, nil)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	a, b, c := train(5, 1), train(5, 3), train(6, 1)
	for i := range a.Params {
		if !slices.Equal(a.Params[i].Data, b.Params[i].Data) {
			t.Fatalf("%s differs between 1 and 3 workers", a.Params[i].Name)
		}
	}
	for i := range a.BN {
		if !slices.Equal(a.BN[i].Mean, b.BN[i].Mean) || !slices.Equal(a.BN[i].Var, b.BN[i].Var) {
			t.Fatalf("running statistics of %s differ", a.BN[i].Name)
		}
	}
	pa, _ := a.Predict(clips)
	pb, _ := b.Predict(clips)
	if !slices.Equal(pa, pb) {
		t.Error("scores differ between 1 and 3 workers")
	}
	if slices.Equal(a.Params[0].Data, c.Params[0].Data) {
		t.Error("another seed gives the same initial weights")
	}
}

func TestCheckpoint(t *testing.T) {
	cfg := smallConfig()
	cfg.Epochs = 2
	clips, y := patternClips(12, cfg, 4)
	m, err := Train(clips, y, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	saved := buf.String()
	l, err := Load(strings.NewReader(saved), "model.json")
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.Params {
		if !slices.Equal(m.Params[i].Data, l.Params[i].Data) {
			t.Fatalf("%s changed in the round trip", m.Params[i].Name)
		}
	}
	p1, _ := m.Predict(clips)
	p2, _ := l.Predict(clips)
	if !slices.Equal(p1, p2) || l.BestEpoch != m.BestEpoch || len(l.History) != len(m.History) || l.Mean != m.Mean {
		t.Error("the loaded model differs")
	}
	for _, tc := range []struct{ from, to, want string }{
		{`"format":"ceusrad-deep-cnn"`, `"format":"other"`, "field format"},
		{`"version":1`, `"version":9`, "field version"},
		{`"Shape":[4,2,3,3]`, `"Shape":[4,2,3,2]`, "params[0]"},
		{`"intensity_std":`, `"intensity_std":-`, "intensity_std"},
		{`"Frames":2`, `"Frames":0`, "Config.Frames"},
		{`"Name":"block1.conv.weight"`, `"Name":"x"`, "params[0] is x"},
		{`{"format"`, `{"extra":1,"format"`, "unknown field"},
	} {
		if !strings.Contains(saved, tc.from) {
			t.Fatalf("checkpoint has no %s", tc.from)
		}
		_, err := Load(strings.NewReader(strings.Replace(saved, tc.from, tc.to, 1)), "model.json")
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "model.json") {
			t.Errorf("%s → %s: error %v, want one naming model.json and %q", tc.from, tc.to, err, tc.want)
		}
	}
	// A clip prepared for another configuration is refused.
	other := smallConfig()
	other.Frames = 3
	oc, _ := patternClips(1, other, 1)
	if _, err := m.Predict(oc); err == nil {
		t.Error("clip of another configuration: no error")
	}
}

// TestGradCAM checks the gradient of the logit with respect to the last
// spatial maps A against finite differences: shifting the batch-norm β_k of
// that block by h shifts A_k by h where A_k > 0, so
// ∂z/∂β_k = Σ_{A_k > 0} ∂z/∂A_k.
func TestGradCAM(t *testing.T) {
	cfg := smallConfig()
	cfg.Epochs = 3
	clips, y := patternClips(12, cfg, 5)
	m, err := Train(clips, y, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := clips[1]
	net, err := m.build(1, modeCAM)
	if err != nil {
		t.Fatal(err)
	}
	m.fill(net, 0, c, identity(cfg.Frames, cfg.JitterSteps))
	if err := net.run(); err != nil {
		t.Fatal(err)
	}
	a, _ := float32s(net.camV, "A")
	da, _ := float32s(net.camGradV, "dA")
	T, K, hw := net.camShape[0], net.camShape[1], net.camShape[2]*net.camShape[3]
	beta := m.Params[3*(len(cfg.Channels)-1)+2]
	if !strings.HasSuffix(beta.Name, ".beta") {
		t.Fatalf("parameter %s", beta.Name)
	}
	for k := 0; k < K; k++ {
		an := 0.0
		for f := 0; f < T; f++ {
			for i := 0; i < hw; i++ {
				if o := (f*K+k)*hw + i; a[o] > 0 {
					an += float64(da[o])
				}
			}
		}
		const h = 1e-3
		old := beta.Data[k]
		beta.Data[k] = old + h
		zp, _ := m.Logits([]*Clip{c})
		beta.Data[k] = old - h
		zm, _ := m.Logits([]*Clip{c})
		beta.Data[k] = old
		fd := (zp[0] - zm[0]) / (2 * h)
		if math.Abs(fd-an) > 1e-3+0.03*math.Abs(fd) {
			t.Errorf("channel %d: ∂z/∂β = %.6g by the gradient, %.6g by finite differences", k, an, fd)
		}
	}
	for _, target := range []Target{TargetOR, TargetNR} {
		cam, err := m.GradCAM(c, target)
		if err != nil {
			t.Fatal(err)
		}
		top := 0.0
		for _, mp := range cam.Maps {
			for _, v := range mp {
				if v < 0 || v > 1 {
					t.Fatalf("map value %v outside [0, 1]", v)
				}
				top = math.Max(top, v)
			}
		}
		if top != 1 && top != 0 {
			t.Errorf("largest map value %v, want 1 (or 0)", top)
		}
		imgs, labels, err := cam.Overlays(c, 0.5)
		if err != nil || len(imgs) != cfg.Frames || len(labels) != cfg.Frames {
			t.Fatalf("Overlays: %d images, %v", len(imgs), err)
		}
	}
	if _, err := m.GradCAM(c, Target(7)); err == nil {
		t.Error("bad target: no error")
	}
}

func TestOverlay(t *testing.T) {
	if c := Jet(0); c.R != 0 || c.G != 0 || c.B != 128 {
		t.Errorf("Jet(0) = %v, want dark blue", c)
	}
	if c := Jet(1); c.R != 128 || c.G != 0 || c.B != 0 {
		t.Errorf("Jet(1) = %v, want dark red", c)
	}
	if c := Jet(0.5); c.G != 255 || c.R != 128 || c.B != 128 {
		t.Errorf("Jet(0.5) = %v", c)
	}
	frame := []float32{0, 0.5, 1, 0.25}
	img, err := Overlay(frame, []float64{0, 0, 1, 1}, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	// no heat: the grey frame; full heat at alpha 1: the colour map.
	if p := img.Pix[4:8]; p[0] != 128 || p[1] != 128 || p[2] != 128 {
		t.Errorf("pixel 1 = %v, want grey 128", p)
	}
	if p := img.Pix[8:12]; p[0] != 128 || p[1] != 0 || p[2] != 0 {
		t.Errorf("pixel 2 = %v, want Jet(1)", p)
	}
	if _, err := Overlay(frame, []float64{0}, 2, 1); err == nil {
		t.Error("size mismatch: no error")
	}
}

// flipClip returns a copy of c flipped left–right and/or up–down.
func flipClip(c *Clip, fx, fy bool) *Clip {
	d := *c
	S := c.Size
	d.Pix = make([]uint16, len(c.Pix))
	d.Mask = make([]uint16, len(c.Mask))
	at := func(x, y int) int {
		if fx {
			x = S - 1 - x
		}
		if fy {
			y = S - 1 - y
		}
		return y*S + x
	}
	for f := 0; f < len(c.Pix)/(S*S); f++ {
		for y := 0; y < S; y++ {
			for x := 0; x < S; x++ {
				d.Pix[f*S*S+y*S+x] = c.Pix[f*S*S+at(x, y)]
			}
		}
	}
	for y := 0; y < S; y++ {
		for x := 0; x < S; x++ {
			d.Mask[y*S+x] = c.Mask[at(x, y)]
		}
	}
	return &d
}

// TestTTA checks that test-time augmentation averages the features (and so
// the logits) over the four flips of a clip, and that lesion pooling
// trains and explains.
func TestTTA(t *testing.T) {
	cfg := smallConfig()
	cfg.Epochs = 2
	cfg.MaskedPooling = true
	clips, y := patternClips(12, cfg, 6)
	m, err := Train(clips, y, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := clips[3]
	flips := []*Clip{c, flipClip(c, true, false), flipClip(c, false, true), flipClip(c, true, true)}
	plain, err := m.Features(flips)
	if err != nil {
		t.Fatal(err)
	}
	zp, _ := m.Logits(flips)
	m.Config.TTA = true
	tta, err := m.Features([]*Clip{c})
	if err != nil {
		t.Fatal(err)
	}
	zt, _ := m.Logits([]*Clip{c})
	for k := range tta[0] {
		mean := (plain[0][k] + plain[1][k] + plain[2][k] + plain[3][k]) / 4
		if math.Abs(tta[0][k]-mean) > 1e-5 {
			t.Errorf("feature %d: TTA %v, mean over flips %v", k, tta[0][k], mean)
		}
	}
	if mean := (zp[0] + zp[1] + zp[2] + zp[3]) / 4; math.Abs(zt[0]-mean) > 1e-5 {
		t.Errorf("logit: TTA %v, mean over flips %v", zt[0], mean)
	}
	if _, err := m.GradCAM(c, TargetOR); err != nil {
		t.Errorf("GradCAM with lesion pooling: %v", err)
	}
}
