// Command bench times one training epoch of ceusrad's cine CNN (package
// deep) on the default cohort's training split and writes the very same
// tensors, split and settings for torch_epoch.py, which trains the same
// architecture in PyTorch and prints the ratio of the two epoch times.
//
// Usage (run.sh does both steps):
//
//	go run ./kernellib/deep/bench -cohort datasets/synthetic-tace -out /tmp/deepbench [-epochs 4]
//	/usr/bin/python3 kernellib/deep/bench/torch_epoch.py /tmp/deepbench
//
// Both sides train on the same inputs: the preprocessed clips of the
// training split (central frame of every sampled time, no augmentation, the
// intensity normalised with the inner-training statistics), the same inner
// split (inner training cines in batches of 8, the last batch filled from
// the start of the order, then the inner validation cines scored), the same
// network (deep.DefaultConfig) and AdamW settings, for the same number of
// epochs. The first epoch (graph building, warm-up) is left out of the
// mean.
package main

import (
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/deep"
)

// meta is what torch_epoch.py needs to rebuild the run.
type meta struct {
	N, Frames, Channels, Size int
	Blocks                    []int
	Kernel                    int
	TemporalChannels          int
	TemporalKernel            int
	BatchSize, Epochs         int
	LearningRate, WeightDecay float64
	Beta1, Beta2, Eps         float64
	BNMomentum                float64
	Inner, Held               []int
	// GoEpochS are ceusrad's epoch times in seconds; GoMeanS their mean
	// without the first.
	GoEpochS   []float64
	GoMeanS    float64
	GoMaxProcs int
	GoVersion  string
	// NumParams is the network's parameter count, which torch_epoch.py
	// checks its own against.
	NumParams int
}

func main() {
	dir := flag.String("cohort", "datasets/synthetic-tace", "cohort folder")
	out := flag.String("out", "", "output folder (required)")
	epochs := flag.Int("epochs", 4, "epochs to time (the first is left out)")
	flag.Parse()
	if *out == "" || *epochs < 2 {
		fmt.Fprintln(os.Stderr, "bench: -out DIR is required and -epochs must be at least 2")
		os.Exit(2)
	}
	if err := run(*dir, *out, *epochs); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(dir, out string, epochs int) error {
	c, err := cohort.ReadFile(filepath.Join(dir, "cohort.csv"), nil)
	if err != nil {
		return err
	}
	ps, y := cohort.TrainingPatients(c.Patients)
	cfg := deep.DefaultConfig()
	cfg.Epochs, cfg.Patience = epochs, 0
	cfg.Augment = deep.Augment{Gamma: 1} // the same tensors on both sides
	clips, err := deep.PrepareAll(deep.SourcesOf(ps), cfg, nil)
	if err != nil {
		return err
	}
	inner, held, err := cfg.Split(y)
	if err != nil {
		return err
	}
	var times []float64
	last := 0.0
	m, err := deep.Train(clips, y, cfg, func(e deep.Epoch) {
		times = append(times, e.Elapsed.Seconds()-last)
		last = e.Elapsed.Seconds()
		fmt.Fprintf(os.Stderr, "ceusrad epoch %d: %.2fs\n", e.Epoch, times[len(times)-1])
	})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	// inputs.f32: N×T×C×S×S float32 little endian, normalised as the model
	// normalises them; labels.u8: 1 for OR.
	var x []float32
	for _, c := range clips {
		v, err := m.Input(c)
		if err != nil {
			return err
		}
		x = append(x, v...)
	}
	f, err := os.Create(filepath.Join(out, "inputs.f32"))
	if err != nil {
		return err
	}
	if err := binary.Write(f, binary.LittleEndian, x); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	lab := make([]byte, len(y))
	for i, v := range y {
		if v {
			lab[i] = 1
		}
	}
	if err := os.WriteFile(filepath.Join(out, "labels.u8"), lab, 0o644); err != nil {
		return err
	}
	mean := 0.0
	for _, t := range times[1:] {
		mean += t / float64(len(times)-1)
	}
	md := meta{N: len(clips), Frames: cfg.Frames, Channels: cfg.InputChannels(), Size: cfg.Size, Blocks: cfg.Channels,
		Kernel: cfg.Kernel, TemporalChannels: cfg.TemporalChannels, TemporalKernel: cfg.TemporalKernel,
		BatchSize: cfg.BatchSize, Epochs: epochs, LearningRate: cfg.LearningRate, WeightDecay: cfg.WeightDecay,
		Beta1: cfg.Beta1, Beta2: cfg.Beta2, Eps: cfg.Eps, BNMomentum: cfg.BNMomentum, Inner: inner, Held: held,
		GoEpochS: times, GoMeanS: mean, GoMaxProcs: runtime.GOMAXPROCS(0), GoVersion: runtime.Version(), NumParams: m.NumParams()}
	b, err := json.MarshalIndent(md, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "meta.json"), b, 0o644); err != nil {
		return err
	}
	fmt.Printf("ceusrad: %.2f s per epoch (mean of epochs 2..%d, GOMAXPROCS %d, %d parameters); tensors in %s\n",
		mean, epochs, runtime.GOMAXPROCS(0), m.NumParams(), out)
	return nil
}
