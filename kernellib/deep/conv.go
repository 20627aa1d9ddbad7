package deep

import (
	"fmt"
	"hash"
	"hash/fnv"
	"sync"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"gonum.org/v1/gonum/blas/gonum"
)

// The convolution of this package is a gorgonia Op of its own: gorgonia's
// Conv2d lays im2col out as N×H×W×(C·k·k), multiplies, then transposes the
// result back to N×C×H×W, and im2col, col2im and that transpose take most of
// its time (measured in the package documentation). Here every image is
// lowered to a (C·kh·kw)×(H·W) matrix and multiplied from the left by the
// Cout×(C·kh·kw) filter matrix, which writes the output directly in
// N×C×H×W order (Chellapilla, Puri & Simard, "High performance
// convolutional neural networks for document processing", 2006), images in
// parallel over goroutines.

// convGeom is the geometry of a stride-1 "same" convolution.
type convGeom struct {
	cin, cout, kh, kw int
	workers           int
	out               *scratch // the op's output buffer
}

func (g convGeom) ph() int { return (g.kh - 1) / 2 }
func (g convGeom) pw() int { return (g.kw - 1) / 2 }
func (g convGeom) k() int  { return g.cin * g.kh * g.kw }

// chunk is the number of images a task processes; the filter gradient is
// summed per chunk and the chunks in order, so the result does not depend
// on the number of workers.
const chunk = 4

// parallelChunks runs f(lo, hi, c) for the chunks [lo, hi) of n images,
// c the chunk's index, on up to workers goroutines.
func parallelChunks(n, workers int, f func(lo, hi, c int)) {
	nc := (n + chunk - 1) / chunk
	w := min(workers, nc)
	if w <= 1 {
		for c := 0; c < nc; c++ {
			f(c*chunk, min(n, (c+1)*chunk), c)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, nc)
	for c := 0; c < nc; c++ {
		next <- c
	}
	close(next)
	for i := 0; i < w; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				f(c*chunk, min(n, (c+1)*chunk), c)
			}
		}()
	}
	wg.Wait()
}

// im2col writes the lowered image: col[((c·kh + ky)·kw + kx)·H·W + y·W + x]
// = im[c, y + ky − ph, x + kx − pw], zero outside the image.
func (g convGeom) im2col(im []float32, h, w int, col []float32) {
	hw := h * w
	ph, pw := g.ph(), g.pw()
	for c := 0; c < g.cin; c++ {
		src := im[c*hw : (c+1)*hw]
		for ky := 0; ky < g.kh; ky++ {
			dy := ky - ph
			for kx := 0; kx < g.kw; kx++ {
				dx := kx - pw
				row := col[((c*g.kh+ky)*g.kw+kx)*hw:][:hw]
				x0, x1 := max(0, -dx), min(w, w-dx)
				for y := 0; y < h; y++ {
					dst := row[y*w : (y+1)*w]
					sy := y + dy
					if sy < 0 || sy >= h || x0 >= x1 {
						clear(dst)
						continue
					}
					clear(dst[:x0])
					copy(dst[x0:x1], src[sy*w+x0+dx:sy*w+x1+dx])
					clear(dst[x1:])
				}
			}
		}
	}
}

// col2im adds the lowered gradient back onto the image (the adjoint of
// im2col); im must be zeroed by the caller.
func (g convGeom) col2im(col []float32, h, w int, im []float32) {
	hw := h * w
	ph, pw := g.ph(), g.pw()
	for c := 0; c < g.cin; c++ {
		dst := im[c*hw : (c+1)*hw]
		for ky := 0; ky < g.kh; ky++ {
			dy := ky - ph
			for kx := 0; kx < g.kw; kx++ {
				dx := kx - pw
				row := col[((c*g.kh+ky)*g.kw+kx)*hw:][:hw]
				x0, x1 := max(0, -dx), min(w, w-dx)
				if x0 >= x1 {
					continue
				}
				for y := 0; y < h; y++ {
					sy := y + dy
					if sy < 0 || sy >= h {
						continue
					}
					d := dst[sy*w+x0+dx : sy*w+x1+dx]
					s := row[y*w+x0 : y*w+x1]
					for i, v := range s {
						d[i] += v
					}
				}
			}
		}
	}
}

var impl gonum.Implementation

// block is the column block of the lowered matrices that one pass of the
// products keeps in cache.
const block = 512

// forward computes y[n] = W·col(x[n]) for every image, as rows of AXPYs
// (SIMD in gonum) over column blocks.
func (g convGeom) forward(x, wt, y []float32, n, h, w int) {
	hw := h * w
	K := g.k()
	parallelChunks(n, g.workers, func(lo, hi, _ int) {
		col := getCol(K * hw)
		defer putCol(col)
		for i := lo; i < hi; i++ {
			g.im2col(x[i*g.cin*hw:(i+1)*g.cin*hw], h, w, col)
			yi := y[i*g.cout*hw : (i+1)*g.cout*hw]
			clear(yi)
			for j0 := 0; j0 < hw; j0 += block {
				bl := min(block, hw-j0)
				for o := 0; o < g.cout; o++ {
					yr := yi[o*hw+j0 : o*hw+j0+bl]
					for l, a := range wt[o*K : (o+1)*K] {
						if a != 0 {
							impl.Saxpy(bl, a, col[l*hw+j0:l*hw+j0+bl], 1, yr, 1)
						}
					}
				}
			}
		}
	})
}

// backwardData computes dx[n] = col2im(Wᵀ·dy[n]).
func (g convGeom) backwardData(wt, dy, dx []float32, n, h, w int) {
	hw := h * w
	K := g.k()
	parallelChunks(n, g.workers, func(lo, hi, _ int) {
		col := getCol(K * hw)
		defer putCol(col)
		for i := lo; i < hi; i++ {
			clear(col)
			dyi := dy[i*g.cout*hw : (i+1)*g.cout*hw]
			for j0 := 0; j0 < hw; j0 += block {
				bl := min(block, hw-j0)
				for l := 0; l < K; l++ {
					cr := col[l*hw+j0 : l*hw+j0+bl]
					for o := 0; o < g.cout; o++ {
						if a := wt[o*K+l]; a != 0 {
							impl.Saxpy(bl, a, dyi[o*hw+j0:o*hw+j0+bl], 1, cr, 1)
						}
					}
				}
			}
			dxi := dx[i*g.cin*hw : (i+1)*g.cin*hw]
			clear(dxi)
			g.col2im(col, h, w, dxi)
		}
	})
}

// backwardFilter computes dW = Σₙ dy[n]·col(x[n])ᵀ, summed per chunk of
// images and then over the chunks in order.
func (g convGeom) backwardFilter(x, dy, dw []float32, n, h, w int) {
	hw := h * w
	K := g.k()
	nc := (n + chunk - 1) / chunk
	part := make([]float32, nc*g.cout*K)
	parallelChunks(n, g.workers, func(lo, hi, c int) {
		col := getCol(K * hw)
		defer putCol(col)
		p := part[c*g.cout*K : (c+1)*g.cout*K]
		for i := lo; i < hi; i++ {
			g.im2col(x[i*g.cin*hw:(i+1)*g.cin*hw], h, w, col)
			dyi := dy[i*g.cout*hw : (i+1)*g.cout*hw]
			for o := 0; o < g.cout; o++ {
				for l := 0; l < K; l++ {
					p[o*K+l] += impl.Sdot(hw, dyi[o*hw:(o+1)*hw], 1, col[l*hw:(l+1)*hw], 1)
				}
			}
		}
	})
	clear(dw)
	for c := 0; c < nc; c++ {
		for i, v := range part[c*g.cout*K : (c+1)*g.cout*K] {
			dw[i] += v
		}
	}
}

// colPool recycles the lowered-image buffers of the convolutions.
var colPool sync.Pool

// getCol returns a buffer of length n (contents undefined); putCol
// recycles it.
func getCol(n int) []float32 {
	if p, ok := colPool.Get().(*[]float32); ok && cap(*p) >= n {
		return (*p)[:n]
	}
	return make([]float32, n)
}

func putCol(b []float32) { colPool.Put(&b) }

// scratch is an op's output buffer, reused from one run of the graph to
// the next: every op runs once per run, gorgonia.Read copies what is read
// out, and the tape machine is reset between runs, so no value outlives
// the run that made it.
type scratch struct{ buf []float32 }

// get returns a slice of length n (its contents undefined).
func (s *scratch) get(n int) []float32 {
	if cap(s.buf) < n {
		s.buf = make([]float32, n)
	}
	return s.buf[:n]
}

// float32s returns the backing slice of a float32 tensor.
func float32s(v G.Value, what string) ([]float32, error) {
	if f, ok := v.(*G.F32); ok {
		return []float32{float32(*f)}, nil
	}
	t, ok := v.(tensor.Tensor)
	if !ok {
		return nil, fmt.Errorf("deep: %s is %T, expected a tensor", what, v)
	}
	d, ok := t.Data().([]float32)
	if !ok {
		return nil, fmt.Errorf("deep: %s holds %T, expected []float32", what, t.Data())
	}
	return d, nil
}

func newDense(data []float32, shape ...int) *tensor.Dense {
	return tensor.New(tensor.WithBacking(data), tensor.WithShape(shape...))
}

func tensorType(dims int) G.TensorType {
	return G.TensorType{Dims: dims, Of: hm.TypeVariable('a')}
}

func hashOf(op fmt.Stringer) uint32 {
	h := fnv.New32a()
	fmt.Fprint(h, op.String())
	return h.Sum32()
}

// convOp is the stride-1, zero-padded ("same") 2D convolution without bias
// of an N×Cin×H×W input with a Cout×Cin×kh×kw filter:
//
//	y[n,o,i,j] = Σ_{c,u,v} W[o,c,u,v] · x[n, c, i+u−⌊kh/2⌋, j+v−⌊kw/2⌋]
//
// (cross-correlation, as in every deep-learning library).
type convOp struct {
	convGeom
	inputGrad bool // differentiate with respect to the input
}

func (op convOp) Arity() int { return 2 }
func (op convOp) Type() hm.Type {
	return hm.NewFnType(tensorType(4), tensorType(4), tensorType(4))
}
func (op convOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	s, ok := ds[0].(tensor.Shape)
	if !ok || len(s) != 4 || s[1] != op.cin {
		return nil, fmt.Errorf("deep: %v: input shape %v, expected N×%d×H×W", op, ds[0], op.cin)
	}
	return tensor.Shape{s[0], op.cout, s[2], s[3]}, nil
}
func (op convOp) Do(vs ...G.Value) (G.Value, error) {
	x, err := float32s(vs[0], "convolution input")
	if err != nil {
		return nil, err
	}
	w, err := float32s(vs[1], "convolution filter")
	if err != nil {
		return nil, err
	}
	s := vs[0].Shape()
	if len(w) != op.cout*op.k() {
		return nil, fmt.Errorf("deep: %v: filter has %d values, expected %d", op, len(w), op.cout*op.k())
	}
	y := op.out.get(s[0] * op.cout * s[2] * s[3])
	op.forward(x, w, y, s[0], s[2], s[3])
	return newDense(y, s[0], op.cout, s[2], s[3]), nil
}
func (op convOp) ReturnsPtr() bool      { return false }
func (op convOp) CallsExtern() bool     { return false }
func (op convOp) OverwritesInput() int  { return -1 }
func (op convOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op convOp) Hashcode() uint32      { return hashOf(op) }
func (op convOp) String() string {
	return fmt.Sprintf("conv%dx%d(%d→%d,dx=%t)", op.kh, op.kw, op.cin, op.cout, op.inputGrad)
}
func (op convOp) DiffWRT(int) []bool { return []bool{op.inputGrad, true} }
func (op convOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	var dx *G.Node
	var err error
	if op.inputGrad {
		gd := op.convGeom
		gd.out = new(scratch)
		if dx, err = G.ApplyOp(convDataGradOp{gd}, in[1], grad); err != nil {
			return nil, err
		}
	}
	gf := op.convGeom
	gf.out = new(scratch)
	dw, err := G.ApplyOp(convFilterGradOp{gf}, in[0], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx, dw}, nil
}

// convDataGradOp maps (W, ∂L/∂y) to ∂L/∂x.
type convDataGradOp struct{ convGeom }

func (op convDataGradOp) Arity() int { return 2 }
func (op convDataGradOp) Type() hm.Type {
	return hm.NewFnType(tensorType(4), tensorType(4), tensorType(4))
}
func (op convDataGradOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	s := ds[1].(tensor.Shape)
	return tensor.Shape{s[0], op.cin, s[2], s[3]}, nil
}
func (op convDataGradOp) Do(vs ...G.Value) (G.Value, error) {
	w, err := float32s(vs[0], "convolution filter")
	if err != nil {
		return nil, err
	}
	dy, err := float32s(vs[1], "convolution output gradient")
	if err != nil {
		return nil, err
	}
	s := vs[1].Shape()
	dx := op.out.get(s[0] * op.cin * s[2] * s[3])
	op.backwardData(w, dy, dx, s[0], s[2], s[3])
	return newDense(dx, s[0], op.cin, s[2], s[3]), nil
}
func (op convDataGradOp) ReturnsPtr() bool      { return false }
func (op convDataGradOp) CallsExtern() bool     { return false }
func (op convDataGradOp) OverwritesInput() int  { return -1 }
func (op convDataGradOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op convDataGradOp) Hashcode() uint32      { return hashOf(op) }
func (op convDataGradOp) String() string {
	return fmt.Sprintf("convDataGrad%dx%d(%d→%d)", op.kh, op.kw, op.cin, op.cout)
}

// convFilterGradOp maps (x, ∂L/∂y) to ∂L/∂W.
type convFilterGradOp struct{ convGeom }

func (op convFilterGradOp) Arity() int { return 2 }
func (op convFilterGradOp) Type() hm.Type {
	return hm.NewFnType(tensorType(4), tensorType(4), tensorType(4))
}
func (op convFilterGradOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape{op.cout, op.cin, op.kh, op.kw}, nil
}
func (op convFilterGradOp) Do(vs ...G.Value) (G.Value, error) {
	x, err := float32s(vs[0], "convolution input")
	if err != nil {
		return nil, err
	}
	dy, err := float32s(vs[1], "convolution output gradient")
	if err != nil {
		return nil, err
	}
	s := vs[0].Shape()
	dw := op.out.get(op.cout * op.k())
	op.backwardFilter(x, dy, dw, s[0], s[2], s[3])
	return newDense(dw, op.cout, op.cin, op.kh, op.kw), nil
}
func (op convFilterGradOp) ReturnsPtr() bool      { return false }
func (op convFilterGradOp) CallsExtern() bool     { return false }
func (op convFilterGradOp) OverwritesInput() int  { return -1 }
func (op convFilterGradOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op convFilterGradOp) Hashcode() uint32      { return hashOf(op) }
func (op convFilterGradOp) String() string {
	return fmt.Sprintf("convFilterGrad%dx%d(%d→%d)", op.kh, op.kw, op.cin, op.cout)
}
