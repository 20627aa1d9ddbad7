package deep

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// poolOp is 2×2 max-pooling with stride 2 of an N×C×H×W tensor (H and W
// even): y[n,c,i,j] = max over x[n, c, 2i..2i+1, 2j..2j+1]. gorgonia's
// MaxPool2D gives the same values; this op is a plain loop over the
// planes, in parallel, that records the arg-max (the first maximum in row
// order, as gorgonia's) for its gradient.
type poolOp struct {
	workers int
	out     *scratch
	arg     *[]uint8 // the arg-max (0..3) of every window, for the gradient
}

func (op poolOp) Arity() int    { return 1 }
func (op poolOp) Type() hm.Type { return hm.NewFnType(tensorType(4), tensorType(4)) }
func (op poolOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	s, ok := ds[0].(tensor.Shape)
	if !ok || len(s) != 4 || s[2]%2 != 0 || s[3]%2 != 0 {
		return nil, fmt.Errorf("deep: max-pool input shape %v, expected N×C×H×W with H and W even", ds[0])
	}
	return tensor.Shape{s[0], s[1], s[2] / 2, s[3] / 2}, nil
}

func (op poolOp) Do(vs ...G.Value) (G.Value, error) {
	x, err := float32s(vs[0], "max-pool input")
	if err != nil {
		return nil, err
	}
	s := vs[0].Shape()
	n, c, h, w := s[0], s[1], s[2], s[3]
	y := op.out.get(len(x) / 4)
	if cap(*op.arg) < len(y) {
		*op.arg = make([]uint8, len(y))
	}
	arg := (*op.arg)[:len(y)]
	parallelChannels(n*c, op.workers, func(pl int) {
		p := x[pl*h*w : (pl+1)*h*w]
		q := y[pl*h*w/4 : (pl+1)*h*w/4]
		a := arg[pl*h*w/4 : (pl+1)*h*w/4]
		for i := 0; i < h/2; i++ {
			r0, r1 := p[2*i*w:(2*i+1)*w], p[(2*i+1)*w:(2*i+2)*w]
			qi, ai := q[i*w/2:(i+1)*w/2], a[i*w/2:(i+1)*w/2]
			r0, r1 = r0[:2*len(qi)], r1[:2*len(qi)]
			for j := range qi {
				qi[j], ai[j] = max4(r0[2*j], r0[2*j+1], r1[2*j], r1[2*j+1])
			}
		}
	})
	return newDense(y, n, c, h/2, w/2), nil
}
func (op poolOp) ReturnsPtr() bool      { return false }
func (op poolOp) CallsExtern() bool     { return false }
func (op poolOp) OverwritesInput() int  { return -1 }
func (op poolOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op poolOp) Hashcode() uint32      { return hashOf(op) }
func (op poolOp) String() string        { return "maxpool2x2" }
func (op poolOp) DiffWRT(int) []bool    { return []bool{true} }
func (op poolOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	dx, err := G.ApplyOp(poolGradOp{op.workers, new(scratch), op.arg}, in[0], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx}, nil
}

// poolGradOp maps (x, ∂L/∂y) to ∂L/∂x: each window's gradient goes to its
// arg-max, recorded by the forward op of the same run.
type poolGradOp poolOp

func (op poolGradOp) Arity() int { return 2 }
func (op poolGradOp) Type() hm.Type {
	return hm.NewFnType(tensorType(4), tensorType(4), tensorType(4))
}
func (op poolGradOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	return ds[0].(tensor.Shape).Clone(), nil
}
func (op poolGradOp) Do(vs ...G.Value) (G.Value, error) {
	x, err := float32s(vs[0], "max-pool input")
	if err != nil {
		return nil, err
	}
	dy, err := float32s(vs[1], "max-pool output gradient")
	if err != nil {
		return nil, err
	}
	s := vs[0].Shape()
	n, c, h, w := s[0], s[1], s[2], s[3]
	dx := op.out.get(len(x))
	if len(*op.arg) != len(dy) {
		return nil, fmt.Errorf("deep: %v: the forward max-pool has not run", op)
	}
	arg := *op.arg
	parallelChannels(n*c, op.workers, func(pl int) {
		d := dx[pl*h*w : (pl+1)*h*w]
		clear(d)
		g := dy[pl*h*w/4 : (pl+1)*h*w/4]
		a := arg[pl*h*w/4 : (pl+1)*h*w/4]
		for i := 0; i < h/2; i++ {
			for j := 0; j < w/2; j++ {
				k := a[i*w/2+j]
				d[(2*i+int(k>>1))*w+2*j+int(k&1)] = g[i*w/2+j]
			}
		}
	})
	return newDense(dx, s...), nil
}
func (op poolGradOp) ReturnsPtr() bool      { return false }
func (op poolGradOp) CallsExtern() bool     { return false }
func (op poolGradOp) OverwritesInput() int  { return -1 }
func (op poolGradOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op poolGradOp) Hashcode() uint32      { return hashOf(op) }
func (op poolGradOp) String() string        { return "maxpool2x2grad" }

// max4 returns the largest of a window's four values and its index, the
// first in row order on ties, without branches: the comparisons are made
// on orderKey, where the compiler uses conditional moves (the inputs are
// ReLU outputs, half of them zero in no pattern a branch predictor
// follows). It agrees with comparing the floats except that −0 counts as
// below +0 and a NaN as above +Inf.
func max4(v0, v1, v2, v3 float32) (float32, uint8) {
	c0, c1, c2, c3 := orderKey(v0), orderKey(v1), orderKey(v2), orderKey(v3)
	// a tournament, ties to the left: the first maximum in row order
	k01, k23 := bit(c1 > c0), 2+bit(c3 > c2)
	m01, m23 := max(c0, c1), max(c2, c3)
	k := k01 ^ (k01^k23)&-bit(m23 > m01)
	return math.Float32frombits(uint32(orderKey(math.Float32frombits(uint32(max(m01, m23)))))), k
}

// bit is 1 for true and 0 for false (SETcc, no branch).
func bit(b bool) uint8 {
	var u uint8
	if b {
		u = 1
	}
	return u
}

// orderKey maps a float32 to an int32 in the same order: the bits of a
// positive float already are; a negative one's magnitude bits are flipped.
// The map is its own inverse on the bits.
func orderKey(v float32) int32 {
	b := int32(math.Float32bits(v))
	return b ^ (b >> 31 & 0x7fffffff)
}
