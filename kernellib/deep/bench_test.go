package deep

import (
	"errors"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// randomClips returns n random clips for the default configuration.
func randomClips(n int, cfg Config) ([]*Clip, []bool) {
	r := rand.New(rand.NewPCG(1, 1))
	clips := make([]*Clip, n)
	y := make([]bool, n)
	for i := range clips {
		clips[i] = randomClip(r, cfg, "R")
		y[i] = i%3 != 0
	}
	return clips, y
}

// BenchmarkEpoch is one epoch of the default network on the default
// cohort's shape: 89 training cines (71 inner training in 9 batches of 8,
// augmented, and 18 inner validation scored), 16 frames of 2×64×64.
func BenchmarkEpoch(b *testing.B) {
	cfg := DefaultConfig()
	cfg.Epochs, cfg.Patience = 1, 0
	clips, y := randomClips(89, cfg)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Train(clips, y, cfg, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEpochTwoAtOnce is BenchmarkEpoch twice, two networks trained
// at the same time, as the study's re-drawn splits train them: compare
// with two BenchmarkEpoch. Each network has GOMAXPROCS goroutines (on 2
// cores it takes as long as with one each, CEUSRAD_BENCH_WORKERS=1).
func BenchmarkEpochTwoAtOnce(b *testing.B) {
	cfg := DefaultConfig()
	cfg.Epochs, cfg.Patience = 1, 0
	if w := os.Getenv("CEUSRAD_BENCH_WORKERS"); w != "" {
		n, err := strconv.Atoi(w)
		if err != nil {
			b.Fatalf("CEUSRAD_BENCH_WORKERS=%q: %v", w, err)
		}
		cfg.Workers = n
	}
	clips, y := randomClips(89, cfg)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for k := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[k] = Train(clips, y, cfg, nil)
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTrainStep is one step (forward, backward, AdamW) on a batch of
// 8 cines of the default network.
func BenchmarkTrainStep(b *testing.B) {
	cfg := DefaultConfig()
	clips, _ := randomClips(8, cfg)
	m, _ := NewModel(cfg)
	net, err := m.build(8, modeTrain)
	if err != nil {
		b.Fatal(err)
	}
	for i, c := range clips {
		m.fill(net, i, c, identity(cfg.Frames, cfg.JitterSteps))
		net.ybuf[i], net.wbuf[i] = float32(i%2), 1.0/8
	}
	opt := newAdamW(m.Params, cfg)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := net.run(); err != nil {
			b.Fatal(err)
		}
		if err := opt.step(net.gradV); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPredict scores 41 cines (the validation cohort's size).
func BenchmarkPredict(b *testing.B) {
	cfg := DefaultConfig()
	clips, _ := randomClips(41, cfg)
	m, _ := NewModel(cfg)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Predict(clips); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConv compares the forward and backward pass of this package's
// convolution with gorgonia's Conv2d (im2col, matrix product, transpose)
// on the second block of the default network: 128 frames of 8×32×32 to 16
// channels, 3×3.
func BenchmarkConv(b *testing.B) {
	const n, cin, cout, s = 128, 8, 16, 32
	r := rand.New(rand.NewPCG(2, 2))
	xs := make([]float32, n*cin*s*s)
	ws := make([]float32, cout*cin*9)
	for i := range xs {
		xs[i] = float32(r.NormFloat64())
	}
	for i := range ws {
		ws[i] = float32(r.NormFloat64())
	}
	run := func(b *testing.B, conv func(x, w *G.Node) (*G.Node, error)) {
		g := G.NewGraph()
		x := G.NewTensor(g, G.Float32, 4, G.WithShape(n, cin, s, s), G.WithValue(newDense(xs, n, cin, s, s)))
		w := G.NewTensor(g, G.Float32, 4, G.WithShape(cout, cin, 3, 3), G.WithValue(newDense(ws, cout, cin, 3, 3)))
		y, err := conv(x, w)
		if err != nil {
			b.Fatal(err)
		}
		cost, _ := G.Sum(y)
		if _, err := G.Grad(cost, x, w); err != nil {
			b.Fatal(err)
		}
		vm := G.NewTapeMachine(g)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := vm.RunAll(); err != nil {
				b.Fatal(err)
			}
			vm.Reset()
		}
	}
	b.Run("deep", func(b *testing.B) {
		run(b, func(x, w *G.Node) (*G.Node, error) {
			return G.ApplyOp(convOp{convGeom{cin: cin, cout: cout, kh: 3, kw: 3, workers: workers(0), out: new(scratch)}, true}, x, w)
		})
	})
	b.Run("gorgonia", func(b *testing.B) {
		run(b, func(x, w *G.Node) (*G.Node, error) {
			return G.Conv2d(x, w, tensor.Shape{3, 3}, []int{1, 1}, []int{1, 1}, []int{1, 1})
		})
	})
}
