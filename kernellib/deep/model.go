package deep

import (
	"errors"
	"fmt"
	"math"

	"github.com/ceusrad/ceusrad/kernellib/internal/parallel"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Param is one learnable tensor of the network.
type Param struct {
	Name  string
	Shape []int
	Data  []float32
	// Decay marks the weights AdamW decays (convolution and dense
	// weights; not batch-norm scales and shifts or the bias).
	Decay bool
}

// BatchNormStats are the running statistics of one batch-norm layer.
type BatchNormStats struct {
	Name      string
	Mean, Var []float32
}

// Model is a trained (2+1)D cine CNN: the configuration, the weights, the
// batch-norm running statistics and the intensity normalisation learnt on
// the training cines, and the training history.
type Model struct {
	Config Config
	Params []*Param
	BN     []*BatchNormStats
	// Mean and Std normalise the intensity channel, z = (x − Mean)/Std,
	// x in [0, 1]; both come from the inner training cines.
	Mean, Std float64
	// History has one entry per epoch run; BestEpoch (1-based) is the
	// epoch whose weights the model holds.
	History   []Epoch
	BestEpoch int
	// LogitOffset is the prior correction Predict adds to the network's
	// logit. The class-balanced loss of Train fits the network as if each
	// class were half of the cohort; Train sets
	//
	//	LogitOffset = log(π/(1−π)) − log(0.5/0.5) = log(π/(1−π)),
	//
	// π the share of responders among the inner training cines that the
	// loss was balanced on, so that the probabilities refer to the
	// cohort's prevalence again (Saerens, Latinne & Decaestecker, "Adjusting
	// the outputs of a classifier to new a priori probabilities", Neural
	// Computation 14:21, 2002, eq. 2.4; King & Zeng, Political Analysis
	// 9:137, 2001, prior correction). A constant added to every logit
	// leaves the ranking, hence the AUC and DeLong's test, unchanged.
	LogitOffset float64
}

// NewModel returns an untrained model with weights drawn from cfg.Seed:
// convolution filters He-normal, N(0, 2/fan_in) (He et al., ICCV 2015), the
// dense weights uniform on ±1/√fan_in (PyTorch's default), batch-norm
// scales 1, shifts and bias 0, running means 0 and variances 1.
func NewModel(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Model{Config: cfg, Mean: 0, Std: 1}
	r := newRand(cfg.Seed, streamInit)
	add := func(name string, decay bool, shape ...int) *Param {
		n := 1
		for _, d := range shape {
			n *= d
		}
		p := &Param{Name: name, Shape: shape, Data: make([]float32, n), Decay: decay}
		m.Params = append(m.Params, p)
		return p
	}
	conv := func(name string, cout, cin, kh, kw int) {
		p := add(name+".weight", true, cout, cin, kh, kw)
		sd := math.Sqrt(2 / float64(cin*kh*kw))
		for i := range p.Data {
			p.Data[i] = float32(r.NormFloat64() * sd)
		}
	}
	bn := func(name string, c int) {
		g := add(name+".gamma", false, c)
		for i := range g.Data {
			g.Data[i] = 1
		}
		add(name+".beta", false, c)
		st := &BatchNormStats{Name: name, Mean: make([]float32, c), Var: make([]float32, c)}
		for i := range st.Var {
			st.Var[i] = 1
		}
		m.BN = append(m.BN, st)
	}
	cin := cfg.InputChannels()
	for i, c := range cfg.Channels {
		conv(fmt.Sprintf("block%d.conv", i+1), c, cin, cfg.Kernel, cfg.Kernel)
		bn(fmt.Sprintf("block%d.bn", i+1), c)
		cin = c
	}
	conv("temporal.conv", cfg.TemporalChannels, cin, cfg.TemporalKernel, 1)
	bn("temporal.bn", cfg.TemporalChannels)
	d := add("dense.weight", true, cfg.TemporalChannels, 1)
	lim := 1 / math.Sqrt(float64(cfg.TemporalChannels))
	for i := range d.Data {
		d.Data[i] = float32((2*r.Float64() - 1) * lim)
	}
	add("dense.bias", false, 1, 1)
	return m, nil
}

// NumParams returns the number of learnable values.
func (m *Model) NumParams() int {
	n := 0
	for _, p := range m.Params {
		n += len(p.Data)
	}
	return n
}

// graph modes.
const (
	modeTrain = iota // batch statistics, loss and parameter gradients
	modeEval         // running statistics; logits and features
	modeCAM          // running statistics; gradient of the logit w.r.t. the last spatial maps
)

// network is a compiled gorgonia graph of the model for a fixed batch of
// cines. In modeCAM it is two graphs, because gorgonia differentiates with
// respect to input nodes only: the spatial blocks up to the maps A, and the
// rest of the network from A, an input there.
type network struct {
	batch, frames, ch, size int
	vm, head                G.VM
	xbuf, ybuf, wbuf, abuf  []float32
	pbuf                    []float32 // lesion pooling weights, B×s² (MaskedPooling)
	// read-outs (copied by gorgonia.Read when the tape runs)
	logitV, featV, lossV, camV, camGradV G.Value
	gradV                                []G.Value
	camShape                             tensor.Shape
}

// build returns the model's graph for batch cines in the given mode. The
// parameter nodes share the Model's slices, so updates need no copy.
func (m *Model) build(batch, mode int) (net *network, err error) {
	defer func() {
		if r := recover(); r != nil {
			net, err = nil, fmt.Errorf("deep: building the network: %v", r)
		}
	}()
	cfg := m.Config
	T, S, C := cfg.Frames, cfg.Size, cfg.InputChannels()
	net = &network{batch: batch, frames: T, ch: C, size: S}
	wk := workers(cfg.Workers)
	bnStates := make([]*bnState, len(m.BN))
	for i, s := range m.BN {
		bnStates[i] = &bnState{c: len(s.Mean), eps: 1e-5, momentum: cfg.BNMomentum, runMean: s.Mean, runVar: s.Var, workers: wk}
	}
	train := mode == modeTrain
	must := func(n *G.Node, err error) *G.Node {
		if err != nil {
			panic(err)
		}
		return n
	}
	params := func(g *G.ExprGraph) []*G.Node {
		nodes := make([]*G.Node, len(m.Params))
		for i, p := range m.Params {
			nodes[i] = G.NewTensor(g, G.Float32, len(p.Shape), G.WithShape(p.Shape...), G.WithName(p.Name),
				G.WithValue(newDense(p.Data, p.Shape...)))
		}
		return nodes
	}
	nb := len(cfg.Channels)
	sp := S >> nb
	// poolNode is the input of lesion pooling weights, B×1×1×s².
	poolNode := func(g *G.ExprGraph) *G.Node {
		if !cfg.MaskedPooling {
			return nil
		}
		if net.pbuf == nil {
			net.pbuf = make([]float32, batch*sp*sp)
		}
		return G.NewTensor(g, G.Float32, 4, G.WithShape(batch, 1, 1, sp*sp), G.WithName("lesion"),
			G.WithValue(newDense(net.pbuf, batch, 1, 1, sp*sp)))
	}
	// spatial applies the blocks to h; the last block stops before its
	// pooling when last is false.
	spatial := func(h *G.Node, nodes []*G.Node, last bool) *G.Node {
		cin := C
		for i, c := range cfg.Channels {
			k := 3 * i
			op := convOp{convGeom{cin: cin, cout: c, kh: cfg.Kernel, kw: cfg.Kernel, workers: wk, out: new(scratch)}, i > 0}
			h = must(G.ApplyOp(op, h, nodes[k]))
			h = must(G.ApplyOp(bnOp{bnStates[i], train, true, 4, new(scratch)}, h, nodes[k+1], nodes[k+2]))
			if i == nb-1 {
				net.camShape = h.Shape().Clone()
				if !last {
					return h
				}
			}
			h = must(G.ApplyOp(poolOp{wk, new(scratch), new([]uint8)}, h))
			cin = c
		}
		return h
	}
	// head takes the pooled maps of the last block to the features and
	// the logit.
	head := func(h, pool *G.Node, nodes []*G.Node) (feat, logit *G.Node) {
		k := 3 * nb
		cin := cfg.Channels[nb-1]
		s := S >> nb
		h = must(G.Reshape(h, tensor.Shape{batch, T, cin, s * s}))
		h = must(G.Transpose(h, 0, 2, 1, 3))
		op := convOp{convGeom{cin: cin, cout: cfg.TemporalChannels, kh: cfg.TemporalKernel, kw: 1, workers: wk, out: new(scratch)}, true}
		h = must(G.ApplyOp(op, h, nodes[k]))
		h = must(G.ApplyOp(bnOp{bnStates[nb], train, true, 4, new(scratch)}, h, nodes[k+1], nodes[k+2]))
		if pool != nil {
			// Σ over the lesion-weighted positions (weights sum to 1)
			h = must(G.BroadcastHadamardProd(h, pool, nil, []byte{1, 2}))
			h = must(G.Sum(h, 3))
		} else {
			h = must(G.Mean(h, 3))
		}
		feat = must(G.Mean(h, 2))
		z := must(G.Mul(feat, nodes[k+3]))
		z = must(G.BroadcastAdd(z, nodes[k+4], nil, []byte{0}))
		return feat, must(G.Reshape(z, tensor.Shape{batch}))
	}
	g := G.NewGraph()
	net.xbuf = make([]float32, batch*T*C*S*S)
	x := G.NewTensor(g, G.Float32, 4, G.WithShape(batch*T, C, S, S), G.WithName("x"),
		G.WithValue(newDense(net.xbuf, batch*T, C, S, S)))
	nodes := params(g)
	if mode == modeCAM {
		a := spatial(x, nodes, false)
		G.Read(a, &net.camV)
		net.vm = G.NewTapeMachine(g)
		g2 := G.NewGraph()
		net.abuf = make([]float32, net.camShape.TotalSize())
		ain := G.NewTensor(g2, G.Float32, 4, G.WithShape(net.camShape...), G.WithName("A"),
			G.WithValue(newDense(net.abuf, net.camShape...)))
		_, logit := head(must(G.ApplyOp(poolOp{wk, new(scratch), new([]uint8)}, ain)), poolNode(g2), params(g2))
		G.Read(logit, &net.logitV)
		grads, err := G.Grad(must(G.Sum(logit)), ain)
		if err != nil {
			return nil, fmt.Errorf("deep: differentiating the logit: %w", err)
		}
		G.Read(grads[0], &net.camGradV)
		net.head = G.NewTapeMachine(g2)
		return net, nil
	}
	feat, logit := head(spatial(x, nodes, true), poolNode(g), nodes)
	G.Read(logit, &net.logitV)
	if mode == modeEval {
		G.Read(feat, &net.featV)
		net.vm = G.NewTapeMachine(g)
		return net, nil
	}
	net.ybuf, net.wbuf = make([]float32, batch), make([]float32, batch)
	y := G.NewVector(g, G.Float32, G.WithShape(batch), G.WithName("y"), G.WithValue(newDense(net.ybuf, batch)))
	w := G.NewVector(g, G.Float32, G.WithShape(batch), G.WithName("w"), G.WithValue(newDense(net.wbuf, batch)))
	// class-weighted binary cross-entropy with logits:
	// L = Σᵢ wᵢ·(softplus(zᵢ) − yᵢ·zᵢ), Σ wᵢ = 1
	l := must(G.Sub(must(G.Softplus(logit)), must(G.HadamardProd(y, logit))))
	loss := must(G.Sum(must(G.HadamardProd(w, l))))
	G.Read(loss, &net.lossV)
	grads, err := G.Grad(loss, nodes...)
	if err != nil {
		return nil, fmt.Errorf("deep: differentiating the loss: %w", err)
	}
	net.gradV = make([]G.Value, len(grads))
	for i, gn := range grads {
		G.Read(gn, &net.gradV[i])
	}
	net.vm = G.NewTapeMachine(g)
	return net, nil
}

// run executes the graph once on the current buffers (in modeCAM the
// spatial graph, then the head on its maps).
func (net *network) run() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("deep: running the network: %v", r)
		}
	}()
	if err := runVM(net.vm); err != nil {
		return err
	}
	if net.head == nil {
		return nil
	}
	a, err := float32s(net.camV, "last spatial maps")
	if err != nil {
		return err
	}
	copy(net.abuf, a)
	return runVM(net.head)
}

func runVM(vm G.VM) error {
	defer vm.Reset()
	if err := vm.RunAll(); err != nil {
		return fmt.Errorf("deep: running the network: %w", err)
	}
	return nil
}

// fill writes clip's input after transform t into slot b of the batch,
// normalising the intensity channel.
func (m *Model) fill(net *network, b int, c *Clip, t transform) error {
	cfg := m.Config
	if c.Frames != cfg.Frames || c.Size != cfg.Size || c.Candidates != cfg.Candidates() {
		return fmt.Errorf("deep: clip %s has %d frames × %d candidates of %d×%d, the model expects %d × %d of %d×%d (prepare it with the model's Config)",
			c.ID, c.Frames, c.Candidates, c.Size, c.Size, cfg.Frames, cfg.Candidates(), cfg.Size, cfg.Size)
	}
	per := net.frames * net.ch * net.size * net.size
	dst := net.xbuf[b*per : (b+1)*per]
	c.augmented(t, cfg.MaskChannel, dst)
	s2 := net.size * net.size
	if net.pbuf != nil {
		lesionWeights(dst[s2:2*s2], net.size, len(cfg.Channels), net.pbuf[b*len(net.pbuf)/net.batch:(b+1)*len(net.pbuf)/net.batch])
	}
	mu, sd := float32(m.Mean), float32(m.Std)
	for f := 0; f < net.frames; f++ {
		x := dst[f*net.ch*s2:][:s2]
		for i := range x {
			x[i] = (x[i] - mu) / sd
		}
	}
	return nil
}

// Input returns what the network sees of a clip at inference: T×C×S×S
// values, frame by frame, channel 0 the intensity normalised with the
// model's Mean and Std, channel 1 (with Config.MaskChannel) the lesion
// mask, with no augmentation.
func (m *Model) Input(c *Clip) ([]float32, error) {
	cfg := m.Config
	net := &network{batch: 1, frames: cfg.Frames, ch: cfg.InputChannels(), size: cfg.Size}
	net.xbuf = make([]float32, cfg.Frames*net.ch*cfg.Size*cfg.Size)
	if err := m.fill(net, 0, c, identity(cfg.Frames, cfg.JitterSteps)); err != nil {
		return nil, err
	}
	return net.xbuf, nil
}

// lesionWeights averages the (augmented) mask channel over the 2^nb×2^nb
// blocks that the poolings merge and normalises the result to sum to one:
// the weights of lesion pooling. A mask with no lesion left gives uniform
// weights.
func lesionWeights(mask []float32, size, nb int, w []float32) {
	f := 1 << nb
	sp := size / f
	sum := 0.0
	for by := 0; by < sp; by++ {
		for bx := 0; bx < sp; bx++ {
			a := 0.0
			for y := by * f; y < (by+1)*f; y++ {
				for x := bx * f; x < (bx+1)*f; x++ {
					a += float64(mask[y*size+x])
				}
			}
			w[by*sp+bx] = float32(a)
			sum += a
		}
	}
	for i := range w {
		if sum > 0 {
			w[i] = float32(float64(w[i]) / sum)
		} else {
			w[i] = 1 / float32(len(w))
		}
	}
}

var errNoClips = errors.New("deep: no clips given")

// views returns the inference transforms: the identity, and the three
// flips with TTA.
func (m *Model) views() []transform {
	id := identity(m.Config.Frames, m.Config.JitterSteps)
	if !m.Config.TTA {
		return []transform{id}
	}
	v := []transform{id, id, id, id}
	v[1].flipX = true
	v[2].flipY = true
	v[3].flipX, v[3].flipY = true, true
	return v
}

// forward runs the evaluation graph over clips in batches and returns the
// logits and, when feats is true, the penultimate features, each the mean
// over the views.
func (m *Model) forward(clips []*Clip, feats bool) ([]float64, [][]float64, error) {
	if len(clips) == 0 {
		return nil, nil, errNoClips
	}
	net, err := m.build(min(m.Config.BatchSize, len(clips)), modeEval)
	if err != nil {
		return nil, nil, err
	}
	return m.forwardOn(net, clips, feats)
}

// forwardOn is forward on an evaluation graph already built.
func (m *Model) forwardOn(net *network, clips []*Clip, feats bool) ([]float64, [][]float64, error) {
	batch := net.batch
	views := m.views()
	nv := float64(len(views))
	logits := make([]float64, len(clips))
	nf := m.Config.TemporalChannels
	var fs [][]float64
	if feats {
		fs = make([][]float64, len(clips))
		for i := range fs {
			fs[i] = make([]float64, nf)
		}
	}
	for lo := 0; lo < len(clips); lo += batch {
		for _, view := range views {
			// the last batch is padded with its first clip; in inference
			// every cine is scored on its own (running statistics)
			if err := parallel.ForEach(batch, workers(m.Config.Workers), func(b int) error {
				i := lo + b
				if i >= len(clips) {
					i = lo
				}
				return m.fill(net, b, clips[i], view)
			}, nil); err != nil {
				return nil, nil, err
			}
			if err := net.run(); err != nil {
				return nil, nil, err
			}
			lv, err := float32s(net.logitV, "logits")
			if err != nil {
				return nil, nil, err
			}
			var fv []float32
			if feats {
				if fv, err = float32s(net.featV, "features"); err != nil {
					return nil, nil, err
				}
			}
			for b := 0; b < batch && lo+b < len(clips); b++ {
				logits[lo+b] += float64(lv[b]) / nv
				if feats {
					for j := range nf {
						fs[lo+b][j] += float64(fv[b*nf+j]) / nv
					}
				}
			}
		}
	}
	return logits, fs, nil
}

// Logits returns the network's output z for every clip (before the
// logistic function and before the prior correction LogitOffset), with no
// augmentation but the flips of Config.TTA.
func (m *Model) Logits(clips []*Clip) ([]float64, error) {
	z, _, err := m.forward(clips, false)
	return z, err
}

// Predict returns the probability of objective response of every clip,
// p = 1/(1 + e^−(z+o)), z the logit (Logits) and o the prior correction
// LogitOffset.
func (m *Model) Predict(clips []*Clip) ([]float64, error) {
	z, err := m.Logits(clips)
	if err != nil {
		return nil, err
	}
	for i, v := range z {
		z[i] = sigmoid(v + m.LogitOffset)
	}
	return z, nil
}

// Features returns the penultimate layer of every clip: the
// TemporalChannels activations after the temporal convolution, batch norm
// and ReLU, averaged over frames and space (global average pooling), and
// over the flips with Config.TTA: the "deep features" of deep-learning
// radiomics, which the dense layer weighs into the logit.
func (m *Model) Features(clips []*Clip) ([][]float64, error) {
	_, f, err := m.forward(clips, true)
	return f, err
}

// FeatureNames returns the names of the columns of Features: deep_1, ...
func (m *Model) FeatureNames() []string {
	n := make([]string, m.Config.TemporalChannels)
	for i := range n {
		n[i] = fmt.Sprintf("deep_%d", i+1)
	}
	return n
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}
