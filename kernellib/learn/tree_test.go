package learn

import (
	"cmp"
	"fmt"
	"math"
	"testing"
)

type treeFixture struct {
	Counts []float64   `json:"counts"`
	Exp    []float64   `json:"exp"`
	XTest  [][]float64 `json:"X_test"`
	Fits   []struct {
		MinLeaf    int       `json:"min_samples_leaf"`
		MaxDepth   int       `json:"max_depth"`
		Weights    string    `json:"weights"`
		NodeCount  int       `json:"node_count"`
		Depth      int       `json:"depth"`
		ProbaTrain []float64 `json:"proba_train"`
		ProbaTest  []float64 `json:"proba_test"`
		Importance []float64 `json:"importance"`
	} `json:"fits"`
}

func (t *cartTree) depth(k int32) int {
	if t.feature[k] < 0 {
		return 0
	}
	return 1 + max(t.depth(t.left[k]), t.depth(t.right[k]))
}

// TestCARTAgainstSklearn grows single trees with every feature tried at
// every split (mtry = p) and compares with scikit-learn's
// DecisionTreeClassifier (Gini, best splitter), unweighted, with bootstrap
// counts and with continuous weights: node count, depth, leaf probabilities
// on the training and on new rows, and normalised impurity importances, to
// 1e-7. (Exactly tied splits, which each implementation breaks by its own
// random feature order, are kept out by the fixture's choice of trees; see
// make_fixtures_svm_forest.py.)
func TestCARTAgainstSklearn(t *testing.T) {
	var fx treeFixture
	readJSON(t, "forest_tree.json", &fx)
	var data forestFixture
	readJSON(t, "forest_signal.json", &data)
	n, p := len(data.X), len(data.X[0])
	x := make([]float64, n*p)
	for i, row := range data.X {
		copy(x[i*p:], row)
	}
	for _, f := range fx.Fits {
		w := make([]float64, n)
		var in []int
		for i := range w {
			switch f.Weights {
			case "none":
				w[i] = 1
			case "counts":
				w[i] = fx.Counts[i]
			case "exp":
				w[i] = fx.Exp[i]
			default:
				t.Fatalf("weights %q", f.Weights)
			}
			if w[i] > 0 {
				in = append(in, i)
			}
		}
		b := cartBuilder{x: x, p: p, y: data.Y, w: w, mtry: p, minLeaf: f.MinLeaf,
			maxDepth: f.MaxDepth, rng: streamRNG(1, 0)}
		tr, imp := b.grow(in)
		tag := func() string {
			return fmt.Sprintf("min leaf %d, max depth %d, weights %s", f.MinLeaf, f.MaxDepth, f.Weights)
		}
		if len(tr.value) != f.NodeCount || tr.depth(0) != f.Depth {
			t.Errorf("%s: %d nodes, depth %d; sklearn %d, %d", tag(), len(tr.value), tr.depth(0), f.NodeCount, f.Depth)
		}
		for i, row := range data.X {
			if v := tr.leafValue(row); math.Abs(v-f.ProbaTrain[i]) > 1e-7 {
				t.Errorf("%s: training row %d: %.6f, sklearn %.6f", tag(), i, v, f.ProbaTrain[i])
				break
			}
		}
		for i, row := range fx.XTest {
			if v := tr.leafValue(row); math.Abs(v-f.ProbaTest[i]) > 1e-7 {
				t.Errorf("%s: new row %d: %.6f, sklearn %.6f", tag(), i, v, f.ProbaTest[i])
				break
			}
		}
		var s float64
		for _, v := range imp {
			s += v
		}
		for j := range imp {
			if math.Abs(imp[j]/s-f.Importance[j]) > 1e-7 {
				t.Errorf("%s: importance %d: %.6f, sklearn %.6f", tag(), j, imp[j]/s, f.Importance[j])
			}
		}
	}
}

// TestCompareValues: the node sort's comparison is cmp.Compare's, NaN and
// signed zeros included.
func TestCompareValues(t *testing.T) {
	vals := []float64{math.NaN(), math.Inf(-1), -2, math.Copysign(0, -1), 0, 1e-300, 3, math.Inf(1)}
	for _, a := range vals {
		for _, c := range vals {
			if got, want := compareValues(valueIndex{v: a}, valueIndex{v: c}), cmp.Compare(a, c); got != want {
				t.Errorf("compareValues(%v, %v) = %d, cmp.Compare %d", a, c, got, want)
			}
		}
	}
}
