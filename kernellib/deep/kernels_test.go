package deep

import (
	"math"
	"math/rand/v2"
	"testing"
)

// reluOutputs returns n values as a ReLU leaves them: about half exactly
// zero, the rest positive, with repeats (ties in pooling windows).
func reluOutputs(r *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		switch v := r.NormFloat64(); {
		case v < 0:
		case v < 0.2:
			x[i] = 0.5
		default:
			x[i] = float32(v)
		}
	}
	return x
}

func sameBits(a, b float32) bool {
	return math.Float32bits(a) == math.Float32bits(b) || (a == 0 && b == 0)
}

// TestBatchNormKernels: the four-rows-at-a-time sums and the branch-free
// ReLU and gate give what the plain loops give, bit for bit (a zero's sign
// aside), for batch sizes that are and are not multiples of four.
func TestBatchNormKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 3, 4, 7, 128} {
		const C, rr = 3, 37
		x, g := make([]float32, n*C*rr), make([]float32, n*C*rr)
		for i := range x {
			x[i], g[i] = float32(r.NormFloat64()*3+1), float32(r.NormFloat64())
		}
		y := make([]float32, len(x))
		for i, v := range x {
			y[i] = relu(v)
		}
		for c := 0; c < C; c++ {
			var sum, ss, sg, sgx float64
			mu := float32(0.7)
			for i := 0; i < n; i++ {
				row := x[(i*C+c)*rr : (i*C+c+1)*rr]
				var a, b, ga, gb float32
				for j, v := range row {
					a += v
					d := v - mu
					b += d * d
					o := (i*C+c)*rr + j
					if y[o] <= 0 {
						continue
					}
					ga += g[o]
					gb += g[o] * (v - mu)
				}
				sum += float64(a)
				ss += float64(b)
				sg += float64(ga)
				sgx += float64(gb)
			}
			if got := channelSum(x, n, C, c, rr, 0, false); got != sum {
				t.Errorf("n=%d c=%d: channelSum %v, plain loop %v", n, c, got, sum)
			}
			if got := channelSum(x, n, C, c, rr, mu, true); got != ss {
				t.Errorf("n=%d c=%d: channelSum of squares %v, plain loop %v", n, c, got, ss)
			}
			var gs, gxs float64
			for i := 0; i < n; i++ {
				o := (i*C + c) * rr
				a, b := gradSums(x[o:o+rr], y[o:o+rr], g[o:o+rr], mu, true)
				gs += float64(a)
				gxs += float64(b)
			}
			if gs != sg || gxs != sgx {
				t.Errorf("n=%d c=%d: gradSums (%v, %v), plain loop (%v, %v)", n, c, gs, gxs, sg, sgx)
			}
		}
	}
	for _, u := range []float32{-2, -1e-30, 0, 1e-30, 3, float32(math.Inf(1)), float32(math.Inf(-1))} {
		want := u
		if u < 0 {
			want = 0
		}
		if got := relu(u); !sameBits(got, want) || math.Signbit(float64(got)) {
			t.Errorf("relu(%v) = %v, want +%v", u, got, want)
		}
	}
	for _, y := range []float32{0, 1e-30, 2} {
		for _, g := range []float32{-1.5, 0, 2.5} {
			want := g
			if y <= 0 {
				want = 0
			}
			if got := reluGate(g, y); !sameBits(got, want) {
				t.Errorf("reluGate(%v, %v) = %v, want %v", g, y, got, want)
			}
		}
	}
}

// TestMax4: the branch-free window maximum is the first maximum in row
// order, as the compare-and-branch loop finds it, on ReLU outputs with
// ties and on negative values.
func TestMax4(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	vals := append(reluOutputs(r, 4000), -3, -0.5, -0.5, 2, -7, -1, -2, -9)
	for i := 0; i+4 <= len(vals); i += 4 {
		w := vals[i : i+4]
		best, k := w[0], uint8(0)
		for j := 1; j < 4; j++ {
			if w[j] > best {
				best, k = w[j], uint8(j)
			}
		}
		if gb, gk := max4(w[0], w[1], w[2], w[3]); gb != best || gk != k {
			t.Fatalf("max4%v = (%v, %d), want (%v, %d)", w, gb, gk, best, k)
		}
	}
}
