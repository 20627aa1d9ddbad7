package deep

import (
	"fmt"
	"hash"
	"math"
	"sync"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Batch normalisation (Ioffe & Szegedy, ICML 2015) over the channel axis 1
// of an N×C×… tensor: per channel c, with μ_c and σ²_c the mean and the
// biased variance over all other axes in training (the running averages at
// inference),
//
//	x̂ = (x − μ_c)/√(σ²_c + ε),  y = γ_c·x̂ + β_c,
//
// and in training the running averages are updated as PyTorch does,
// r ← (1 − m)·r + m·b, with the unbiased variance. gorgonia's own
// BatchNorm is not used: it normalises 4D tensors only, and its op keeps
// its statistics where a checkpoint cannot reach them.

// bnState holds a layer's statistics, shared by the forward op and the
// gradient ops of a graph, and by the training and inference graphs.
type bnState struct {
	c               int
	eps, momentum   float64
	runMean, runVar []float32 // running averages (in the checkpoint)
	mean, invstd    []float64 // of the last training batch
	workers         int
	sync.Mutex      // guards mean/invstd
}

// bnLayout returns the batch, the channels and the size of the rest.
func bnLayout(s tensor.Shape) (n, c, r int) {
	n, c, r = s[0], s[1], 1
	for _, d := range s[2:] {
		r *= d
	}
	return
}

// parallelChannels runs f(c) for every channel on up to workers goroutines;
// every channel is computed by one goroutine in a fixed order.
func parallelChannels(nch, workers int, f func(c int)) {
	w := min(workers, nch)
	if w <= 1 {
		for c := 0; c < nch; c++ {
			f(c)
		}
		return
	}
	var wg sync.WaitGroup
	for i := 0; i < w; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for c := i; c < nch; c += w {
				f(c)
			}
		}(i)
	}
	wg.Wait()
}

// stats returns the mean and 1/√(var+ε) of channel c to use.
func (st *bnState) stats(c int, train bool) (float64, float64) {
	if train {
		return st.mean[c], st.invstd[c]
	}
	return float64(st.runMean[c]), 1 / math.Sqrt(float64(st.runVar[c])+st.eps)
}

// bnOp normalises x with scale γ and shift β, then applies the ReLU when
// relu is set: (x, γ, β) ↦ y = max(0, γ·x̂ + β). Fusing the ReLU saves a
// pass and an intermediate tensor.
type bnOp struct {
	st    *bnState
	train bool
	relu  bool
	dims  int
	out   *scratch
}

func (op bnOp) Arity() int { return 3 }
func (op bnOp) Type() hm.Type {
	return hm.NewFnType(tensorType(op.dims), tensorType(1), tensorType(1), tensorType(op.dims))
}
func (op bnOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	s, ok := ds[0].(tensor.Shape)
	if !ok || len(s) < 2 || s[1] != op.st.c {
		return nil, fmt.Errorf("deep: %v: input shape %v, expected N×%d×…", op, ds[0], op.st.c)
	}
	return s.Clone(), nil
}
func (op bnOp) Do(vs ...G.Value) (G.Value, error) {
	x, err := float32s(vs[0], "batch-norm input")
	if err != nil {
		return nil, err
	}
	gamma, err := float32s(vs[1], "batch-norm scale")
	if err != nil {
		return nil, err
	}
	beta, err := float32s(vs[2], "batch-norm shift")
	if err != nil {
		return nil, err
	}
	s := vs[0].Shape()
	n, C, r := bnLayout(s)
	st := op.st
	if op.train {
		st.Lock()
		defer st.Unlock()
		if st.mean == nil {
			st.mean, st.invstd = make([]float64, C), make([]float64, C)
		}
	}
	y := op.out.get(len(x))
	m := float64(n * r)
	parallelChannels(C, st.workers, func(c int) {
		if op.train {
			// per-row partial sums in float32, rows added in float64
			sum := channelSum(x, n, C, c, r, 0, false)
			mu := sum / m
			muf := float32(mu)
			ss := channelSum(x, n, C, c, r, muf, true)
			d := mu - float64(muf) // the rounding of the mean, ≈ 0
			ss -= m * d * d
			st.mean[c], st.invstd[c] = mu, 1/math.Sqrt(math.Max(ss, 0)/m+st.eps)
			mom := st.momentum
			unbiased := math.Max(ss, 0) / math.Max(m-1, 1)
			st.runMean[c] = float32((1-mom)*float64(st.runMean[c]) + mom*mu)
			st.runVar[c] = float32((1-mom)*float64(st.runVar[c]) + mom*unbiased)
		}
		mu, is := st.stats(c, op.train)
		a := float64(gamma[c]) * is
		af, bf := float32(a), float32(float64(beta[c])-a*mu)
		for i := 0; i < n; i++ {
			o := (i*C + c) * r
			xo := x[o : o+r]
			yo := y[o : o+r]
			yo = yo[:len(xo)]
			if op.relu {
				for j, v := range xo {
					yo[j] = relu(af*v + bf)
				}
			} else {
				for j, v := range xo {
					yo[j] = af*v + bf
				}
			}
		}
	})
	return newDense(y, s...), nil
}
func (op bnOp) ReturnsPtr() bool      { return false }
func (op bnOp) CallsExtern() bool     { return false }
func (op bnOp) OverwritesInput() int  { return -1 }
func (op bnOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op bnOp) Hashcode() uint32      { return hashOf(op) }
func (op bnOp) String() string {
	return fmt.Sprintf("batchnorm%p(train=%t,relu=%t)", op.st, op.train, op.relu)
}

// DiffWRT: an inference graph differentiates only with respect to x (for
// Grad-CAM), so that no gradient of γ and β is computed there.
func (op bnOp) DiffWRT(int) []bool { return []bool{true, op.train, op.train} }
func (op bnOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	res := make(G.Nodes, 3)
	var sums *G.Node
	var err error
	if op.train {
		if sums, err = G.ApplyOp(bnSumsOp{op.st, op.relu, op.dims, new(scratch)}, in[0], out, grad); err != nil {
			return nil, err
		}
		if res[1], err = G.Slice(sums, G.S(0)); err != nil {
			return nil, err
		}
		if res[2], err = G.Slice(sums, G.S(1)); err != nil {
			return nil, err
		}
	}
	dx := bnDxOp{op}
	dx.out = new(scratch)
	if op.train {
		res[0], err = G.ApplyOp(dx, in[0], in[1], out, grad, sums)
	} else {
		res[0], err = G.ApplyOp(dx, in[0], in[1], out, grad)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// The gradient of bnOp. With g = ∂L/∂y·[y > 0] when the ReLU is fused
// (else ∂L/∂y) and the M = N·(size of the rest) values of a channel,
//
//	∂L/∂β = Σ g,  ∂L/∂γ = Σ g·x̂,
//	∂L/∂x = γ/√(σ²+ε) · (g − (∂L/∂β + x̂·∂L/∂γ)/M)   (training),
//	∂L/∂x = γ/√(r_σ²+ε) · g                          (inference).

// bnSumsOp maps (x, y, ∂L/∂y) to the 2×C sums (∂L/∂γ, ∂L/∂β) of a
// training graph.
type bnSumsOp struct {
	st   *bnState
	relu bool
	dims int
	out  *scratch
}

func (op bnSumsOp) Arity() int { return 3 }
func (op bnSumsOp) Type() hm.Type {
	t := tensorType(op.dims)
	return hm.NewFnType(t, t, t, tensorType(2))
}
func (op bnSumsOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape{2, op.st.c}, nil
}
func (op bnSumsOp) Do(vs ...G.Value) (G.Value, error) {
	x, err := float32s(vs[0], "batch-norm input")
	if err != nil {
		return nil, err
	}
	y, err := float32s(vs[1], "batch-norm output")
	if err != nil {
		return nil, err
	}
	dy, err := float32s(vs[2], "batch-norm output gradient")
	if err != nil {
		return nil, err
	}
	n, C, r := bnLayout(vs[0].Shape())
	st := op.st
	st.Lock()
	defer st.Unlock()
	if st.mean == nil {
		return nil, fmt.Errorf("deep: %v: no batch statistics; the forward op has not run", op)
	}
	out := op.out.get(2 * C)
	parallelChannels(C, st.workers, func(c int) {
		var sg, sgx float64
		mu, is := st.mean[c], st.invstd[c]
		muf := float32(mu)
		// per-row partial sums in float32 (two chains a row), rows added
		// in order in float64
		for i := 0; i < n; i++ {
			o := (i*C + c) * r
			a, b := gradSums(x[o:o+r], y[o:o+r], dy[o:o+r], muf, op.relu)
			sg += float64(a)
			sgx += float64(b)
		}
		out[c] = float32((sgx - (mu-float64(muf))*sg) * is)
		out[C+c] = float32(sg)
	})
	return newDense(out, 2, C), nil
}
func (op bnSumsOp) ReturnsPtr() bool      { return false }
func (op bnSumsOp) CallsExtern() bool     { return false }
func (op bnSumsOp) OverwritesInput() int  { return -1 }
func (op bnSumsOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op bnSumsOp) Hashcode() uint32      { return hashOf(op) }
func (op bnSumsOp) String() string {
	return fmt.Sprintf("batchnormSums%p(relu=%t)", op.st, op.relu)
}

// bnDxOp maps (x, γ, y, ∂L/∂y[, sums]) to ∂L/∂x; the sums of bnSumsOp are
// an input in training.
type bnDxOp struct{ bnOp }

func (op bnDxOp) Arity() int {
	if op.train {
		return 5
	}
	return 4
}
func (op bnDxOp) Type() hm.Type {
	t := tensorType(op.dims)
	if op.train {
		return hm.NewFnType(t, tensorType(1), t, t, tensorType(2), t)
	}
	return hm.NewFnType(t, tensorType(1), t, t, t)
}
func (op bnDxOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	return ds[0].(tensor.Shape).Clone(), nil
}
func (op bnDxOp) Do(vs ...G.Value) (G.Value, error) {
	x, err := float32s(vs[0], "batch-norm input")
	if err != nil {
		return nil, err
	}
	gamma, err := float32s(vs[1], "batch-norm scale")
	if err != nil {
		return nil, err
	}
	y, err := float32s(vs[2], "batch-norm output")
	if err != nil {
		return nil, err
	}
	dy, err := float32s(vs[3], "batch-norm output gradient")
	if err != nil {
		return nil, err
	}
	var sums []float32
	if op.train {
		if sums, err = float32s(vs[4], "batch-norm gradient sums"); err != nil {
			return nil, err
		}
	}
	s := vs[0].Shape()
	n, C, r := bnLayout(s)
	st := op.st
	if op.train {
		st.Lock()
		defer st.Unlock()
	}
	out := op.out.get(len(x))
	m := float64(n * r)
	parallelChannels(C, st.workers, func(c int) {
		mu, is := st.stats(c, op.train)
		a := float64(gamma[c]) * is
		// ∂L/∂x = a·g + k1·x + k0
		var k1, k0 float64
		if op.train {
			dg, db := float64(sums[c]), float64(sums[C+c])
			k1 = -a * dg * is / m
			k0 = -a*db/m - k1*mu
		}
		af, k1f, k0f := float32(a), float32(k1), float32(k0)
		for i := 0; i < n; i++ {
			o := (i*C + c) * r
			gs := dy[o : o+r]
			xs, ys, os := x[o:o+r], y[o:o+r], out[o:o+r]
			xs, ys, os = xs[:len(gs)], ys[:len(gs)], os[:len(gs)]
			if op.relu {
				for j, g := range gs {
					os[j] = af*reluGate(g, ys[j]) + k1f*xs[j] + k0f
				}
			} else {
				for j, g := range gs {
					os[j] = af*g + k1f*xs[j] + k0f
				}
			}
		}
	})
	return newDense(out, s...), nil
}
func (op bnDxOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op bnDxOp) Hashcode() uint32      { return hashOf(op) }
func (op bnDxOp) String() string {
	return fmt.Sprintf("batchnormDx%p(train=%t,relu=%t)", op.st, op.train, op.relu)
}

// The loops below are the batch norm's hot paths; they compute what the
// plain loops compute, bit for bit, faster. A float32 sum is a chain of
// dependent additions, so channelSum runs the rows of a channel four at a
// time, each row its own chain, and add the rows'
// partial sums in row order as before. The ReLU and its gate are
// branch-free: after a ReLU about half of the values are zero, in no
// pattern a branch predictor can follow.

// channelSum returns Σᵢ float64(Σⱼ x[i,c,j]) over the n rows of channel c
// (C channels of r values each), the inner sums in float32; with squares,
// Σᵢ float64(Σⱼ (x[i,c,j] − mu)²).
func channelSum(x []float32, n, C, c, r int, mu float32, squares bool) float64 {
	row := func(i int) []float32 { return x[(i*C+c)*r : (i*C+c+1)*r] }
	sum := 0.0
	i := 0
	for ; i+4 <= n; i += 4 {
		var a [4]float32
		if squares {
			a = sumSq4(row(i), row(i+1), row(i+2), row(i+3), mu)
		} else {
			a = sum4(row(i), row(i+1), row(i+2), row(i+3))
		}
		for _, v := range a {
			sum += float64(v)
		}
	}
	for ; i < n; i++ {
		var a float32
		for _, v := range row(i) {
			if squares {
				v = (v - mu) * (v - mu)
			}
			a += v
		}
		sum += float64(a)
	}
	return sum
}

// sum4 returns the sums of four rows of equal length, each in float32 in
// order.
func sum4(x0, x1, x2, x3 []float32) (a [4]float32) {
	x1, x2, x3 = x1[:len(x0)], x2[:len(x0)], x3[:len(x0)]
	for j, v := range x0 {
		a[0] += v
		a[1] += x1[j]
		a[2] += x2[j]
		a[3] += x3[j]
	}
	return a
}

// sumSq4 returns the sums of (x − mu)² of four rows as sum4 adds.
func sumSq4(x0, x1, x2, x3 []float32, mu float32) (a [4]float32) {
	x1, x2, x3 = x1[:len(x0)], x2[:len(x0)], x3[:len(x0)]
	for j, v := range x0 {
		d0, d1, d2, d3 := v-mu, x1[j]-mu, x2[j]-mu, x3[j]-mu
		a[0] += d0 * d0
		a[1] += d1 * d1
		a[2] += d2 * d2
		a[3] += d3 * d3
	}
	return a
}

// gradSums returns one row's Σ g and Σ g·(x − mu), g the output gradient
// gated by the ReLU when relu is set.
func gradSums(x, y, g []float32, mu float32, relu bool) (a, b float32) {
	x, y = x[:len(g)], y[:len(g)]
	if !relu {
		for j, v := range g {
			a += v
			b += v * (x[j] - mu)
		}
		return a, b
	}
	for j, v := range g {
		v = reluGate(v, y[j])
		a += v
		b += v * (x[j] - mu)
	}
	return a, b
}

// relu returns max(u, 0) without a branch: a negative u (sign bit set)
// becomes +0. It differs from the compare-and-branch form only for −0
// (+0 here) and a NaN with its sign bit set (+0 here); a NaN before the
// ReLU has already made its channel's batch statistics NaN, so the
// training's check of the gradients still stops.
func relu(u float32) float32 {
	b := math.Float32bits(u)
	return math.Float32frombits(b &^ uint32(int32(b)>>31))
}

// reluGate returns g where the ReLU's output y is positive and +0 where it
// is zero, without a branch. y is relu's output, never negative or −0.
// Adding the +0 leaves a sum as skipping the term would.
func reluGate(g, y float32) float32 {
	yb := math.Float32bits(y)
	keep := uint32(-int32(yb) >> 31) // all ones when y > 0
	return math.Float32frombits(math.Float32bits(g) & keep)
}
