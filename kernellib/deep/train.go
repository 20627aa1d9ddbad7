package deep

import (
	"fmt"
	"math"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/internal/mw"
	"github.com/ceusrad/ceusrad/kernellib/internal/parallel"
	G "gorgonia.org/gorgonia"
)

// Epoch records one epoch of training.
type Epoch struct {
	// Epoch is 1-based; Epochs the largest number configured.
	Epoch, Epochs int
	// Loss is the mean class-weighted cross-entropy of the epoch's
	// training steps (augmented inputs, batch statistics).
	Loss float64
	// InnerLoss and InnerAUC are measured on the inner validation cines
	// without augmentation, with the running statistics.
	InnerLoss, InnerAUC float64
	// Best reports whether this epoch improved the stopping criterion.
	Best bool
	// Elapsed is the time since training started.
	Elapsed time.Duration
}

// Progress receives each epoch as it ends (a notebook's live chart, the
// command line's bar).
type Progress func(e Epoch)

// Split returns the inner split of n training cines with the given labels:
// a stratified random share cfg.InnerValidation (rounded, at least one of
// each class when possible) held out for early stopping, drawn from
// cfg.Seed by cohort.StratifiedSplit. Indices refer to the training cines.
func (cfg Config) Split(labels []bool) (inner, held []int, err error) {
	n := len(labels)
	nv := int(math.Round(cfg.InnerValidation * float64(n)))
	nv = min(max(nv, 2), n-2)
	if nv < 2 {
		return nil, nil, fmt.Errorf("deep: %d training cines, expected at least 4", n)
	}
	p, err := cohort.StratifiedSplit(labels, n-nv, cfg.Seed^0x5eed)
	if err != nil {
		return nil, nil, fmt.Errorf("deep: inner split: %w", err)
	}
	return p.Train, p.Test, nil
}

// Train fits the network to clips with outcomes y (true: objective
// response) and returns the model of the best epoch.
//
// The training cines are split by cfg.Split into an inner training and an
// inner validation part (the validation cohort is never seen). The
// intensity normalisation (mean and standard deviation of the inner
// training frames) is learnt first. Every epoch visits the inner training
// cines in a random order in batches of cfg.BatchSize (the last batch
// filled up from the start of the order), each cine augmented by a fresh
// draw of cfg.Augment, and minimises the class-balanced binary
// cross-entropy with logits
//
//	L = Σᵢ wᵢ·(log(1 + e^{zᵢ}) − yᵢ·zᵢ) / Σᵢ wᵢ,  w = n/(2·n_class)
//
// (King & Zeng, Political Analysis 9:137, 2001: each class weighs half) by
// AdamW (Loshchilov & Hutter, ICLR 2019). After every epoch the inner
// validation cines are scored; the model keeps the weights of the epoch
// with the lowest inner-validation loss (the criterion of early stopping,
// Prechelt, "Early stopping — but when?", 1998), and training stops after
// cfg.Patience epochs without improvement. Because the loss weighs each
// class half, the network's logits refer to a prevalence of 50 %; the
// model's LogitOffset (PriorOffset of the inner training outcomes) takes
// Predict's probabilities back to the training prevalence. The same
// Config and clips give the same weights, bit for bit, on any number of
// cores.
func Train(clips []*Clip, y []bool, cfg Config, progress Progress) (*Model, error) {
	if len(clips) != len(y) {
		return nil, fmt.Errorf("deep: %d clips but %d outcomes", len(clips), len(y))
	}
	m, err := NewModel(cfg)
	if err != nil {
		return nil, err
	}
	for _, c := range clips {
		if c.Frames != cfg.Frames || c.Size != cfg.Size || c.Candidates != cfg.Candidates() {
			return nil, fmt.Errorf("deep: clip %s was prepared with another Config (%d frames × %d candidates of %d×%d; expected %d × %d of %d×%d)",
				c.ID, c.Frames, c.Candidates, c.Size, c.Size, cfg.Frames, cfg.Candidates(), cfg.Size, cfg.Size)
		}
	}
	innerIdx, heldIdx, err := cfg.Split(y)
	if err != nil {
		return nil, err
	}
	pick := func(idx []int) ([]*Clip, []bool) {
		c, l := make([]*Clip, len(idx)), make([]bool, len(idx))
		for i, j := range idx {
			c[i], l[i] = clips[j], y[j]
		}
		return c, l
	}
	trc, try := pick(innerIdx)
	vac, vay := pick(heldIdx)
	m.Mean, m.Std = intensityStats(trc, cfg.JitterSteps)
	wPos, wNeg, err := classWeights(try)
	if err != nil {
		return nil, err
	}
	batch := min(cfg.BatchSize, len(trc))
	net, err := m.build(batch, modeTrain)
	if err != nil {
		return nil, err
	}
	eval, err := m.build(min(cfg.BatchSize, len(vac)), modeEval)
	if err != nil {
		return nil, err
	}
	opt := newAdamW(m.Params, cfg)
	best := math.Inf(1)
	var snap *Model
	start := time.Now()
	since := 0
	for ep := 1; ep <= cfg.Epochs; ep++ {
		order := newRand(cfg.Seed, streamOrder, uint64(ep)).Perm(len(trc))
		nb := (len(trc) + batch - 1) / batch
		sum := 0.0
		for k := 0; k < nb; k++ {
			// the batch's cines are augmented side by side (each its own
			// seeded draw, into its own part of the input)
			if err := parallel.ForEach(batch, workers(cfg.Workers), func(b int) error {
				i := order[(k*batch+b)%len(trc)]
				t := cfg.Augment.draw(newRand(cfg.Seed, streamAugment, uint64(ep), uint64(k*batch+b)), cfg)
				return m.fill(net, b, trc[i], t)
			}, nil); err != nil {
				return nil, err
			}
			wsum := 0.0
			for b := 0; b < batch; b++ {
				i := order[(k*batch+b)%len(trc)]
				net.ybuf[b], net.wbuf[b] = 0, float32(wNeg)
				if try[i] {
					net.ybuf[b], net.wbuf[b] = 1, float32(wPos)
				}
				wsum += float64(net.wbuf[b])
			}
			for b := range net.wbuf {
				net.wbuf[b] = float32(float64(net.wbuf[b]) / wsum)
			}
			if err := net.run(); err != nil {
				return nil, err
			}
			lv, err := float32s(net.lossV, "loss")
			if err != nil {
				return nil, err
			}
			sum += float64(lv[0])
			if err := opt.step(net.gradV); err != nil {
				return nil, err
			}
		}
		e := Epoch{Epoch: ep, Epochs: cfg.Epochs, Loss: sum / float64(nb)}
		z, _, err := m.forwardOn(eval, vac, false)
		if err != nil {
			return nil, err
		}
		e.InnerLoss = weightedBCE(z, vay, wPos, wNeg)
		if e.InnerAUC, err = mw.AUC(z, vay); err != nil {
			e.InnerAUC = math.NaN()
		}
		if e.InnerLoss < best {
			best, e.Best, since = e.InnerLoss, true, 0
			snap = m.snapshot()
			m.BestEpoch = ep
		} else {
			since++
		}
		e.Elapsed = time.Since(start)
		m.History = append(m.History, e)
		if progress != nil {
			progress(e)
		}
		if cfg.Patience > 0 && since >= cfg.Patience {
			break
		}
	}
	if snap != nil {
		m.restore(snap)
	}
	if m.LogitOffset, err = PriorOffset(try); err != nil {
		return nil, err
	}
	return m, nil
}

// PriorOffset returns the logit offset that takes the probabilities of a
// classifier fitted with class-balanced weights (w = n/(2·n_class), an
// implied prior of 0.5) to the prevalence π of the outcomes y:
//
//	logit p′ = logit p + log(π/(1−π)) − log(0.5/0.5) = logit p + log(π/(1−π))
//
// (Saerens, Latinne & Decaestecker, Neural Computation 14:21, 2002,
// eq. 2.4, for a change of prior; King & Zeng, Political Analysis 9:137,
// 2001, §4.1, prior correction). y must hold both outcomes.
func PriorOffset(y []bool) (float64, error) {
	np := 0
	for _, v := range y {
		if v {
			np++
		}
	}
	if np == 0 || np == len(y) {
		return 0, fmt.Errorf("deep: prior offset of %d outcomes with %d responders, expected both outcomes", len(y), np)
	}
	return math.Log(float64(np) / float64(len(y)-np)), nil
}

// intensityStats returns the mean and standard deviation of the central
// candidates' intensities of clips.
func intensityStats(clips []*Clip, center int) (mean, std float64) {
	var n, s, ss float64
	for _, c := range clips {
		s2 := c.Size * c.Size
		for f := 0; f < c.Frames; f++ {
			for _, v := range c.Pix[(f*c.Candidates+center)*s2:][:s2] {
				x := float64(v) / 65535
				s += x
				ss += x * x
				n++
			}
		}
	}
	mean = s / n
	std = math.Sqrt(math.Max(ss/n-mean*mean, 1e-12))
	return
}

// classWeights returns n/(2·n_pos) and n/(2·n_neg).
func classWeights(y []bool) (pos, neg float64, err error) {
	np := 0
	for _, v := range y {
		if v {
			np++
		}
	}
	nn := len(y) - np
	if np == 0 || nn == 0 {
		return 0, 0, fmt.Errorf("deep: the inner training cines have %d responders and %d non-responders, expected both", np, nn)
	}
	n := float64(len(y))
	return n / (2 * float64(np)), n / (2 * float64(nn)), nil
}

// weightedBCE is the class-weighted cross-entropy of logits z.
func weightedBCE(z []float64, y []bool, wPos, wNeg float64) float64 {
	var s, ws float64
	for i, v := range z {
		sp := math.Max(v, 0) + math.Log1p(math.Exp(-math.Abs(v)))
		w := wNeg
		l := sp
		if y[i] {
			w, l = wPos, sp-v
		}
		s += w * l
		ws += w
	}
	return s / ws
}

// snapshot copies the weights and running statistics.
func (m *Model) snapshot() *Model {
	c := &Model{}
	for _, p := range m.Params {
		c.Params = append(c.Params, &Param{Data: append([]float32(nil), p.Data...)})
	}
	for _, b := range m.BN {
		c.BN = append(c.BN, &BatchNormStats{Mean: append([]float32(nil), b.Mean...), Var: append([]float32(nil), b.Var...)})
	}
	return c
}

// restore copies a snapshot back in place.
func (m *Model) restore(s *Model) {
	for i, p := range m.Params {
		copy(p.Data, s.Params[i].Data)
	}
	for i, b := range m.BN {
		copy(b.Mean, s.BN[i].Mean)
		copy(b.Var, s.BN[i].Var)
	}
}

// adamW is Adam with decoupled weight decay (Loshchilov & Hutter,
// "Decoupled weight decay regularization", ICLR 2019, Algorithm 2):
//
//	m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,
//	θ ← θ − η·( m/(1−β₁ᵗ) / (√(v/(1−β₂ᵗ)) + ε) + λθ ),
//
// λ applied to the Params marked Decay only.
type adamW struct {
	params []*Param
	m, v   [][]float64
	t      int
	cfg    Config
}

func newAdamW(ps []*Param, cfg Config) *adamW {
	a := &adamW{params: ps, cfg: cfg, m: make([][]float64, len(ps)), v: make([][]float64, len(ps))}
	for i, p := range ps {
		a.m[i] = make([]float64, len(p.Data))
		a.v[i] = make([]float64, len(p.Data))
	}
	return a
}

// step applies one update with the gradients of the parameters, in order.
func (a *adamW) step(grads []G.Value) error {
	a.t++
	c := a.cfg
	bc1 := 1 - math.Pow(c.Beta1, float64(a.t))
	bc2 := 1 - math.Pow(c.Beta2, float64(a.t))
	for i, p := range a.params {
		g, err := float32s(grads[i], "gradient of "+p.Name)
		if err != nil {
			return err
		}
		if len(g) != len(p.Data) {
			return fmt.Errorf("deep: gradient of %s has %d values, expected %d", p.Name, len(g), len(p.Data))
		}
		m, v := a.m[i], a.v[i]
		for j, gj := range g {
			gd := float64(gj)
			if math.IsNaN(gd) || math.IsInf(gd, 0) {
				return fmt.Errorf("deep: the gradient of %s is not finite at step %d", p.Name, a.t)
			}
			m[j] = c.Beta1*m[j] + (1-c.Beta1)*gd
			v[j] = c.Beta2*v[j] + (1-c.Beta2)*gd*gd
			th := float64(p.Data[j])
			upd := (m[j] / bc1) / (math.Sqrt(v[j]/bc2) + c.Eps)
			if p.Decay {
				upd += c.WeightDecay * th
			}
			p.Data[j] = float32(th - c.LearningRate*upd)
		}
	}
	return nil
}
