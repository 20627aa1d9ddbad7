package learn

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
)

// pipelineJSON is a saved *PipelineModel (kind "pipeline").
type pipelineJSON struct {
	Kind string `json:"kind"`
	// NFeatures and Features are the pipeline's input columns, in order.
	NFeatures int       `json:"n_features"`
	Features  []string  `json:"features"`
	Steps     []rawNode `json:"steps"`
	// Columns maps each input of the model to the pipeline input it
	// comes from; it must equal what the steps imply.
	Columns []int   `json:"columns"`
	Model   rawNode `json:"model"`
}

// logisticJSON is a saved *LogisticModel (kind "logistic").
type logisticJSON struct {
	Kind         string    `json:"kind"`
	NFeatures    int       `json:"n_features"`
	Penalty      string    `json:"penalty"`
	Alpha        float64   `json:"alpha"`
	Lambda       float64   `json:"lambda"`
	Intercept    float64   `json:"intercept"`
	Coef         []float64 `json:"coef"`
	StdIntercept float64   `json:"std_intercept"`
	StdCoef      []float64 `json:"std_coef"`
	Mean         []float64 `json:"mean"`
	Scale        []float64 `json:"scale"`
	Constant     []int     `json:"constant"`
	Deviance     nanFloat  `json:"deviance"`
	NullDeviance nanFloat  `json:"null_deviance"`
}

// forestJSON is a saved *ForestModel (kind "forest"). The training rows,
// their out-of-bag sets and predictions are not saved.
type forestJSON struct {
	Kind        string     `json:"kind"`
	NFeatures   int        `json:"n_features"`
	Trees       []treeJSON `json:"trees"`
	Importance  []float64  `json:"importance"`
	OOBAccuracy nanFloat   `json:"oob_accuracy"`
	OOBCount    int        `json:"oob_count"`
}

// treeJSON is one CART tree as parallel node arrays; node 0 is the root, a
// leaf has feature −1 and children −1.
type treeJSON struct {
	Feature   []int32   `json:"feature"`
	Threshold []float64 `json:"threshold"`
	Left      []int32   `json:"left"`
	Right     []int32   `json:"right"`
	Value     []float64 `json:"value"`
}

// UnmarshalJSON decodes a tree strictly: no unknown member.
func (t *treeJSON) UnmarshalJSON(b []byte) error {
	type plain treeJSON
	return strictUnmarshal(b, (*plain)(t))
}

// svmJSON is a saved *SVMModel (kind "svm").
type svmJSON struct {
	Kind           string      `json:"kind"`
	NFeatures      int         `json:"n_features"`
	Kernel         string      `json:"kernel"`
	Gamma          float64     `json:"gamma"`
	C              float64     `json:"c"`
	Support        []int       `json:"support"`
	SupportVectors [][]float64 `json:"support_vectors"`
	DualCoef       []float64   `json:"dual_coef"`
	W              []float64   `json:"w"`
	B              float64     `json:"b"`
	PlattA         float64     `json:"platt_a"`
	PlattB         float64     `json:"platt_b"`
	Iterations     int         `json:"iterations"`
}

// gridSearchJSON is a saved *GridSearchModel (kind "grid_search").
type gridSearchJSON struct {
	Kind      string               `json:"kind"`
	NFeatures int                  `json:"n_features"`
	Points    []map[string]float64 `json:"points"`
	Mean      nanFloats            `json:"mean"`
	SE        nanFloats            `json:"se"`
	Best      int                  `json:"best"`
	Model     rawNode              `json:"model"`
}

// encodeModel encodes a fitted model found at field, at the given nesting
// depth, after checking it as a loaded file is checked (so that a non-finite
// value or an inconsistent shape is reported with its field, and whatever
// is saved loads again); it returns the node and the model's input width.
func encodeModel(m Model, field string, depth int) (rawNode, int, error) {
	if depth >= MaxModelDepth {
		return nil, 0, fmt.Errorf("%w: %s: models nested more than %d deep", ErrParameter, field, MaxModelDepth)
	}
	var node interface {
		build(field string, depth int) (Model, int, error)
	}
	switch m := m.(type) {
	case *PipelineModel:
		j := &pipelineJSON{Kind: "pipeline", NFeatures: len(m.Names), Features: m.Names, Columns: m.Columns}
		for k, s := range m.Steps {
			raw, err := encodeTransform(s, field+".steps["+strconv.Itoa(k)+"]")
			if err != nil {
				return nil, 0, err
			}
			j.Steps = append(j.Steps, raw)
		}
		var err error
		if j.Model, _, err = encodeModel(m.Model, field+".model", depth+1); err != nil {
			return nil, 0, err
		}
		node = j
	case *LogisticModel:
		node = &logisticJSON{Kind: "logistic", NFeatures: len(m.Coef), Penalty: m.Penalty.String(), Alpha: m.Alpha, Lambda: m.Lambda,
			Intercept: m.Intercept, Coef: m.Coef, StdIntercept: m.StdIntercept, StdCoef: m.StdCoef,
			Mean: m.Mean, Scale: m.Scale, Constant: m.Constant, Deviance: nanFloat(m.Deviance), NullDeviance: nanFloat(m.NullDeviance)}
	case *ForestModel:
		j := &forestJSON{Kind: "forest", NFeatures: m.p, Importance: m.importance, OOBAccuracy: nanFloat(m.oobAcc), OOBCount: m.oobCount,
			Trees: make([]treeJSON, len(m.trees))}
		for t, tr := range m.trees {
			j.Trees[t] = treeJSON{Feature: tr.feature, Threshold: tr.threshold, Left: tr.left, Right: tr.right, Value: tr.value}
		}
		node = j
	case *SVMModel:
		node = &svmJSON{Kind: "svm", NFeatures: m.p, Kernel: m.Kernel.String(), Gamma: m.Gamma, C: m.C, Support: m.Support,
			SupportVectors: m.SupportVectors, DualCoef: m.DualCoef, W: m.W, B: m.B, PlattA: m.Platt.A, PlattB: m.Platt.B,
			Iterations: m.Iterations}
	case *GridSearchModel:
		inner, p, err := encodeModel(m.Model, field+".model", depth+1)
		if err != nil {
			return nil, 0, err
		}
		node = &gridSearchJSON{Kind: "grid_search", NFeatures: p, Points: m.Points, Mean: m.Mean, SE: m.SE, Best: m.Best, Model: inner}
	case nil:
		return nil, 0, fmt.Errorf("%w: %s: no model to save", ErrParameter, field)
	default:
		return nil, 0, fmt.Errorf("%w: %s: cannot save a model of type %T", ErrParameter, field, m)
	}
	_, p, err := node.build(field, depth)
	if err != nil {
		return nil, 0, err
	}
	raw, err := marshalNode(node)
	return raw, p, err
}

// decodeModel decodes and checks a model node; it returns the model and
// its number of input columns.
func decodeModel(raw rawNode, field string, depth int) (Model, int, error) {
	if depth >= MaxModelDepth {
		return nil, 0, formatErr(field, "models nested more than %d deep", MaxModelDepth)
	}
	kind, err := nodeKind(raw, field)
	if err != nil {
		return nil, 0, err
	}
	switch kind {
	case "pipeline":
		var j pipelineJSON
		if err := decodeNode(raw, field, &j); err != nil {
			return nil, 0, err
		}
		return j.build(field, depth)
	case "logistic":
		var j logisticJSON
		if err := decodeNode(raw, field, &j); err != nil {
			return nil, 0, err
		}
		return j.build(field, depth)
	case "forest":
		var j forestJSON
		if err := decodeNode(raw, field, &j); err != nil {
			return nil, 0, err
		}
		return j.build(field, depth)
	case "svm":
		var j svmJSON
		if err := decodeNode(raw, field, &j); err != nil {
			return nil, 0, err
		}
		return j.build(field, depth)
	case "grid_search":
		var j gridSearchJSON
		if err := decodeNode(raw, field, &j); err != nil {
			return nil, 0, err
		}
		return j.build(field, depth)
	}
	return nil, 0, formatErr(field+".kind", "%q is not a model (pipeline, logistic, forest, svm, grid_search)", kind)
}

func (j *pipelineJSON) build(field string, depth int) (Model, int, error) {
	n := j.NFeatures
	if err := checkWidth(field, n); err != nil {
		return nil, 0, err
	}
	if len(j.Features) != n {
		return nil, 0, formatErr(field+".features", "has %d names, want n_features = %d", len(j.Features), n)
	}
	for k, s := range j.Features {
		if err := checkName(field+".features["+strconv.Itoa(k)+"]", s); err != nil {
			return nil, 0, err
		}
	}
	if len(j.Steps) > MaxModelSteps {
		return nil, 0, formatErr(field+".steps", "has %d steps, more than %d", len(j.Steps), MaxModelSteps)
	}
	pm := &PipelineModel{Names: j.Features, Columns: make([]int, n)}
	for c := range pm.Columns {
		pm.Columns[c] = c
	}
	width := n
	for k, raw := range j.Steps {
		sf := field + ".steps[" + strconv.Itoa(k) + "]"
		st, in, out, err := decodeTransform(raw, sf)
		if err != nil {
			return nil, 0, err
		}
		if in != width {
			return nil, 0, formatErr(sf+".n_features", "%d, but the step before it gives %d columns", in, width)
		}
		next := make([]int, out)
		for i, c := range st.Columns() {
			next[i] = -1
			if c >= 0 && c < len(pm.Columns) {
				next[i] = pm.Columns[c]
			}
		}
		pm.Columns, width = next, out
		pm.Steps = append(pm.Steps, st)
	}
	if !slices.Equal(j.Columns, pm.Columns) {
		return nil, 0, formatErr(field+".columns", "%v, but the steps give %v", j.Columns, pm.Columns)
	}
	m, in, err := decodeModel(j.Model, field+".model", depth+1)
	if err != nil {
		return nil, 0, err
	}
	if in != width {
		return nil, 0, formatErr(field+".model.n_features", "%d, but the steps give %d columns", in, width)
	}
	pm.Model = m
	return pm, n, nil
}

func (j *logisticJSON) build(field string, _ int) (Model, int, error) {
	n := j.NFeatures
	if err := checkWidth(field, n); err != nil {
		return nil, 0, err
	}
	var pen Penalty
	switch j.Penalty {
	case "l1":
		pen = L1
	case "l2":
		pen = L2
	case "elasticnet":
		pen = ElasticNet
	default:
		return nil, 0, formatErr(field+".penalty", "%q, want \"l1\", \"l2\" or \"elasticnet\"", j.Penalty)
	}
	if want, err := pen.alpha(j.Alpha); err != nil || want != j.Alpha {
		return nil, 0, formatErr(field+".alpha", "%v does not fit the %s penalty", j.Alpha, j.Penalty)
	}
	if !(j.Lambda >= 0) || math.IsInf(j.Lambda, 0) {
		return nil, 0, formatErr(field+".lambda", "%v, want a finite λ ≥ 0", j.Lambda)
	}
	for _, c := range []struct {
		name string
		v    []float64
		want int
	}{{"intercept", []float64{j.Intercept}, 1}, {"std_intercept", []float64{j.StdIntercept}, 1}, {"coef", j.Coef, n}} {
		if err := checkFinite(field+"."+c.name, c.v, c.want); err != nil {
			return nil, 0, err
		}
	}
	for _, c := range []struct {
		name string
		v    []float64
	}{{"std_coef", j.StdCoef}, {"mean", j.Mean}, {"scale", j.Scale}} {
		want := n
		if c.v == nil {
			want = 0
		}
		if err := checkFinite(field+"."+c.name, c.v, want); err != nil {
			return nil, 0, err
		}
	}
	if err := checkIncreasing(field+".constant", j.Constant, n); err != nil {
		return nil, 0, err
	}
	if math.IsInf(float64(j.Deviance), 0) || math.IsInf(float64(j.NullDeviance), 0) {
		return nil, 0, formatErr(field, "an infinite deviance")
	}
	return &LogisticModel{Penalty: pen, Alpha: j.Alpha, Lambda: j.Lambda, Intercept: j.Intercept, Coef: j.Coef,
		StdIntercept: j.StdIntercept, StdCoef: j.StdCoef, Mean: j.Mean, Scale: j.Scale, Constant: j.Constant,
		Deviance: float64(j.Deviance), NullDeviance: float64(j.NullDeviance)}, n, nil
}

func (j *forestJSON) build(field string, _ int) (Model, int, error) {
	p := j.NFeatures
	if err := checkWidth(field, p); err != nil {
		return nil, 0, err
	}
	if len(j.Trees) < 1 || len(j.Trees) > MaxModelTrees {
		return nil, 0, formatErr(field+".trees", "has %d trees, want 1…%d", len(j.Trees), MaxModelTrees)
	}
	nodes := 0
	for t := range j.Trees {
		nodes += len(j.Trees[t].Value)
		if nodes > MaxModelNodes {
			return nil, 0, formatErr(field+".trees", "more than %d nodes in all", MaxModelNodes)
		}
	}
	trees := make([]cartTree, len(j.Trees))
	for t := range j.Trees {
		tr := &j.Trees[t]
		if err := tr.check(field+".trees["+strconv.Itoa(t)+"]", p); err != nil {
			return nil, 0, err
		}
		trees[t] = cartTree{feature: tr.Feature, threshold: tr.Threshold, left: tr.Left, right: tr.Right, value: tr.Value}
	}
	if err := checkFinite(field+".importance", j.Importance, len(j.Importance)); err != nil {
		return nil, 0, err
	}
	if len(j.Importance) != p {
		return nil, 0, formatErr(field+".importance", "has %d values, want n_features = %d", len(j.Importance), p)
	}
	acc := float64(j.OOBAccuracy)
	if !math.IsNaN(acc) && !(acc >= 0 && acc <= 1) {
		return nil, 0, formatErr(field+".oob_accuracy", "%v, want a value in [0, 1] or null", acc)
	}
	if j.OOBCount < 0 {
		return nil, 0, formatErr(field+".oob_count", "%d, want ≥ 0", j.OOBCount)
	}
	return &ForestModel{trees: trees, p: p, importance: j.Importance, oobAcc: acc, oobCount: j.OOBCount}, p, nil
}

// check verifies a tree before it is used: arrays of one length n ≥ 1; a
// leaf (feature −1) has no children and a split has a feature in [0, p), a
// finite threshold and two distinct children of higher index than itself,
// each node but the root the child of exactly one node — so the nodes form
// one tree rooted at 0, without cycles, and every walk ends at a leaf.
func (t *treeJSON) check(field string, p int) error {
	n := len(t.Value)
	if n < 1 {
		return formatErr(field+".value", "is empty, want at least the root")
	}
	for _, a := range []struct {
		name string
		n    int
	}{{"feature", len(t.Feature)}, {"threshold", len(t.Threshold)}, {"left", len(t.Left)}, {"right", len(t.Right)}} {
		if a.n != n {
			return formatErr(field+"."+a.name, "has %d nodes, value has %d", a.n, n)
		}
	}
	sides := [2]string{"left", "right"}
	parent := make([]bool, n)
	children := 0
	for k := range n {
		at := "[" + strconv.Itoa(k) + "]"
		if v := t.Value[k]; !(v >= 0 && v <= 1) {
			return formatErr(field+".value"+at, "%v, want a case fraction in [0, 1]", v)
		}
		f := t.Feature[k]
		if f == -1 {
			if t.Left[k] != -1 || t.Right[k] != -1 {
				return formatErr(field+".left"+at, "a leaf has children %d and %d, want −1", t.Left[k], t.Right[k])
			}
			continue
		}
		if f < 0 || int(f) >= p {
			return formatErr(field+".feature"+at, "%d, want −1 (leaf) or a column in [0, %d)", f, p)
		}
		if th := t.Threshold[k]; math.IsNaN(th) || math.IsInf(th, 0) {
			return formatErr(field+".threshold"+at, "%v, want a finite value", th)
		}
		for side, c := range [2]int32{t.Left[k], t.Right[k]} {
			if int(c) <= k || int(c) >= n {
				return formatErr(field+"."+sides[side]+at, "%d, want a node in (%d, %d)", c, k, n)
			}
			if parent[c] {
				return formatErr(field+"."+sides[side]+at, "node %d already has a parent", c)
			}
			parent[c] = true
			children++
		}
	}
	if children != n-1 {
		return formatErr(field, "%d of its %d nodes are not reachable from the root", n-1-children, n)
	}
	return nil
}

func (j *svmJSON) build(field string, _ int) (Model, int, error) {
	p := j.NFeatures
	if err := checkWidth(field, p); err != nil {
		return nil, 0, err
	}
	var kern Kernel
	switch j.Kernel {
	case "linear":
		kern = Linear
		if j.Gamma != 0 {
			return nil, 0, formatErr(field+".gamma", "%v, want 0 for the linear kernel", j.Gamma)
		}
		if err := checkFinite(field+".w", j.W, p); err != nil {
			return nil, 0, err
		}
	case "rbf":
		kern = RBF
		if !(j.Gamma > 0) || math.IsInf(j.Gamma, 0) {
			return nil, 0, formatErr(field+".gamma", "%v, want a finite γ > 0", j.Gamma)
		}
		if j.W != nil {
			return nil, 0, formatErr(field+".w", "is given, want null for the RBF kernel")
		}
	default:
		return nil, 0, formatErr(field+".kernel", "%q, want \"linear\" or \"rbf\"", j.Kernel)
	}
	if !(j.C > 0) || math.IsInf(j.C, 0) {
		return nil, 0, formatErr(field+".c", "%v, want a finite C > 0", j.C)
	}
	nsv := len(j.SupportVectors)
	if nsv > MaxModelSupportVectors {
		return nil, 0, formatErr(field+".support_vectors", "has %d vectors, more than %d", nsv, MaxModelSupportVectors)
	}
	if len(j.Support) != nsv || len(j.DualCoef) != nsv {
		return nil, 0, formatErr(field, "%d support indices, %d support vectors and %d dual coefficients, want equal counts", len(j.Support), nsv, len(j.DualCoef))
	}
	if err := checkIncreasing(field+".support", j.Support, math.MaxInt); err != nil {
		return nil, 0, err
	}
	for k, sv := range j.SupportVectors {
		if err := checkFinite(field+".support_vectors["+strconv.Itoa(k)+"]", sv, p); err != nil {
			return nil, 0, err
		}
	}
	if err := checkFinite(field+".dual_coef", j.DualCoef, nsv); err != nil {
		return nil, 0, err
	}
	for _, s := range []struct {
		name string
		v    float64
	}{{"b", j.B}, {"platt_a", j.PlattA}, {"platt_b", j.PlattB}} {
		if math.IsNaN(s.v) || math.IsInf(s.v, 0) {
			return nil, 0, formatErr(field+"."+s.name, "%v, want a finite value", s.v)
		}
	}
	if j.Iterations < 0 {
		return nil, 0, formatErr(field+".iterations", "%d, want ≥ 0", j.Iterations)
	}
	return &SVMModel{Kernel: kern, Gamma: j.Gamma, C: j.C, Support: j.Support, SupportVectors: j.SupportVectors,
		DualCoef: j.DualCoef, W: j.W, B: j.B, Platt: Platt{A: j.PlattA, B: j.PlattB}, Iterations: j.Iterations, p: p}, p, nil
}

func (j *gridSearchJSON) build(field string, depth int) (Model, int, error) {
	np := len(j.Points)
	if np < 1 || np > MaxModelGridPoints {
		return nil, 0, formatErr(field+".points", "has %d points, want 1…%d", np, MaxModelGridPoints)
	}
	for k, pt := range j.Points {
		names := make([]string, 0, len(pt))
		for name := range pt {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if v := pt[name]; math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, 0, formatErr(field+".points["+strconv.Itoa(k)+"]."+name, "%v, want a finite value", v)
			}
		}
	}
	if len(j.Mean) != np || len(j.SE) != np {
		return nil, 0, formatErr(field, "%d means and %d standard errors for %d points", len(j.Mean), len(j.SE), np)
	}
	if err := checkOptional(field+".mean", j.Mean, np); err != nil {
		return nil, 0, err
	}
	if err := checkOptional(field+".se", j.SE, np); err != nil {
		return nil, 0, err
	}
	if j.Best < 0 || j.Best >= np {
		return nil, 0, formatErr(field+".best", "%d, want a point in [0, %d)", j.Best, np)
	}
	m, in, err := decodeModel(j.Model, field+".model", depth+1)
	if err != nil {
		return nil, 0, err
	}
	if in != j.NFeatures {
		return nil, 0, formatErr(field+".n_features", "%d, but its model has %d", j.NFeatures, in)
	}
	return &GridSearchModel{Points: j.Points, Mean: j.Mean, SE: j.SE, Best: j.Best, Model: m}, in, nil
}
