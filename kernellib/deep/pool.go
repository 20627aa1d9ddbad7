package deep

import (
	"fmt"
	"hash"

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
			for j := 0; j < w/2; j++ {
				best, k := r0[2*j], uint8(0)
				if v := r0[2*j+1]; v > best {
					best, k = v, 1
				}
				if v := r1[2*j]; v > best {
					best, k = v, 2
				}
				if v := r1[2*j+1]; v > best {
					best, k = v, 3
				}
				q[i*w/2+j], a[i*w/2+j] = best, k
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
