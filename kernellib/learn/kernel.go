package learn

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// Kernel selects the SVM kernel function K(x, z).
type Kernel int

const (
	// Linear is K(x, z) = x·z. It is the zero value of Kernel.
	Linear Kernel = iota
	// RBF is the Gaussian kernel K(x, z) = exp(−γ‖x − z‖²).
	RBF
)

// String returns "linear" or "rbf" (scikit-learn's names).
func (k Kernel) String() string {
	switch k {
	case Linear:
		return "linear"
	case RBF:
		return "rbf"
	}
	return fmt.Sprintf("Kernel(%d)", int(k))
}

// ScaleGamma returns scikit-learn's gamma="scale" for the RBF kernel,
// γ = 1 / (p · var(X)), where var is the population variance (ddof 0) of all
// n·p entries of X taken together; γ = 1 when that variance is 0
// (sklearn.svm.SVC, version ≥ 0.22).
func ScaleGamma(X [][]float64) (float64, error) {
	p, err := CheckX(X, false)
	if err != nil {
		return 0, err
	}
	var sum float64
	for _, row := range X {
		for _, v := range row {
			sum += v
		}
	}
	m := float64(len(X) * p)
	mean := sum / m
	var ss float64
	for _, row := range X {
		for _, v := range row {
			d := v - mean
			ss += d * d
		}
	}
	v := ss / m
	if v == 0 {
		return 1, nil
	}
	return 1 / (float64(p) * v), nil
}

// kernelValue evaluates K(a, b) for rows of equal length.
func kernelValue(k Kernel, gamma float64, a, b []float64) float64 {
	if k == Linear {
		var s float64
		for i, v := range a {
			s += v * b[i]
		}
		return s
	}
	var s float64
	for i, v := range a {
		d := v - b[i]
		s += d * d
	}
	return math.Exp(-gamma * s)
}

// kernelCacheBytes bounds the memory the SMO solver spends on kernel rows
// (LIBSVM's -m option; scikit-learn's cache_size is 200 MB).
const kernelCacheBytes = 128 << 20

// kernelRows hands out rows of the training kernel matrix K_ij = K(x_i, x_j),
// computing each on first use and keeping the most recently used ones within
// kernelCacheBytes (least recently used rows are evicted).
type kernelRows struct {
	x     []float64 // n×p, row-major
	n, p  int
	kern  Kernel
	gamma float64
	diag  []float64 // K_ii
	sq    []float64 // ‖x_i‖²

	rows       [][]float64 // rows[i] nil when not cached
	prev, next []int       // LRU list over cached rows; head = most recent
	head, tail int
	cached     int
	capacity   int
}

func newKernelRows(X [][]float64, idx []int, kern Kernel, gamma float64) *kernelRows {
	n, p := len(idx), len(X[idx[0]])
	k := &kernelRows{x: make([]float64, n*p), n: n, p: p, kern: kern, gamma: gamma,
		diag: make([]float64, n), sq: make([]float64, n), rows: make([][]float64, n),
		prev: make([]int, n), next: make([]int, n), head: -1, tail: -1}
	for i, r := range idx {
		copy(k.x[i*p:(i+1)*p], X[r])
	}
	for i := range n {
		xi := k.x[i*p : (i+1)*p]
		k.diag[i] = kernelValue(kern, gamma, xi, xi)
		k.sq[i] = kernelValue(Linear, 0, xi, xi)
	}
	k.capacity = max(2, kernelCacheBytes/(8*n))
	return k
}

// row returns K_i· (read-only; valid until two further calls of row).
func (k *kernelRows) row(i int) []float64 {
	if r := k.rows[i]; r != nil {
		k.touch(i)
		return r
	}
	var r []float64
	if k.cached >= k.capacity {
		old := k.tail
		k.unlink(old)
		r = k.rows[old]
		k.rows[old] = nil
		k.cached--
	} else {
		r = make([]float64, k.n)
	}
	// r = X x_i (BLAS dgemv), then the RBF kernel from
	// ‖x_i − x_j‖² = ‖x_i‖² + ‖x_j‖² − 2 x_i·x_j, as LIBSVM computes it.
	p := k.p
	blas64.Gemv(blas.NoTrans, 1, blas64.General{Rows: k.n, Cols: p, Stride: p, Data: k.x},
		blas64.Vector{N: p, Inc: 1, Data: k.x[i*p : (i+1)*p]}, 0, blas64.Vector{N: k.n, Inc: 1, Data: r})
	if k.kern == RBF {
		for j, d := range r {
			d = k.sq[i] + k.sq[j] - 2*d
			r[j] = math.Exp(-k.gamma * max(d, 0))
		}
	}
	k.rows[i] = r
	k.cached++
	k.pushFront(i)
	return r
}

func (k *kernelRows) unlink(i int) {
	if k.prev[i] >= 0 {
		k.next[k.prev[i]] = k.next[i]
	} else {
		k.head = k.next[i]
	}
	if k.next[i] >= 0 {
		k.prev[k.next[i]] = k.prev[i]
	} else {
		k.tail = k.prev[i]
	}
}

func (k *kernelRows) pushFront(i int) {
	k.prev[i] = -1
	k.next[i] = k.head
	if k.head >= 0 {
		k.prev[k.head] = i
	}
	k.head = i
	if k.tail < 0 {
		k.tail = i
	}
}

func (k *kernelRows) touch(i int) {
	if k.head == i {
		return
	}
	k.unlink(i)
	k.pushFront(i)
}
