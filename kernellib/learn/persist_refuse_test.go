package learn

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// savedModels fits three small models (a pipeline standardising, imputing,
// selecting by Mann–Whitney and fitting a logistic regression; a forest; an
// RBF SVM) and returns their saved forms.
func savedModels(t *testing.T) (pipe, forest, svm []byte) {
	X, y, _, _ := loadPipe(t)
	pm, err := Pipeline{Steps: []Transformer{Standardizer{}, Imputer{Strategy: MedianImpute}, MannWhitneyFilter{K: 4}},
		Model: Logistic{Penalty: L2, C: 1}}.Fit(X, y)
	if err != nil {
		t.Fatal(err)
	}
	Xc := complete(X)
	fm, err := RandomForest{Trees: 3, MaxDepth: 3, Seed: 1}.Fit(Xc, y)
	if err != nil {
		t.Fatal(err)
	}
	sm, err := SVM{Kernel: RBF, C: 1, Seed: 1}.Fit(Xc[:40], y[:40])
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []Model{pm, fm, sm} {
		b, err := MarshalModel(m)
		if err != nil {
			t.Fatal(err)
		}
		switch m.(type) {
		case *PipelineModel:
			pipe = b
		case *ForestModel:
			forest = b
		default:
			svm = b
		}
	}
	return pipe, forest, svm
}

// edit decodes a saved model, lets change edit it, and encodes it again.
func edit(t *testing.T, data []byte, change func(root map[string]any)) []byte {
	t.Helper()
	var root map[string]any
	if err := json.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	change(root)
	out, err := json.Marshal(root)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// node walks a path of object keys and array indices from root.
func node(root map[string]any, path ...any) map[string]any {
	var cur any = root
	for _, p := range path {
		switch k := p.(type) {
		case string:
			cur = cur.(map[string]any)[k]
		case int:
			cur = cur.([]any)[k]
		}
	}
	return cur.(map[string]any)
}

// TestLoadRefusesEditedFiles: a foreign, tampered or inconsistent file is
// refused with ErrModelFormat and an error naming the field.
func TestLoadRefusesEditedFiles(t *testing.T) {
	pipe, forest, svm := savedModels(t)
	for _, data := range [][]byte{pipe, forest, svm} {
		if _, err := UnmarshalModel(data); err != nil {
			t.Fatalf("the unedited file is refused: %v", err)
		}
	}
	// tree returns the first tree of a forest file.
	tree := func(r map[string]any) map[string]any { return node(r, "model", "trees", 0) }
	cases := []struct {
		name   string
		base   []byte
		change func(r map[string]any)
		want   string
	}{
		{"foreign format", pipe, func(r map[string]any) { r["format"] = "sklearn-pickle" }, "format"},
		{"newer version", pipe, func(r map[string]any) { r["version"] = 2 }, "version is 2"},
		{"no model", pipe, func(r map[string]any) { delete(r, "model") }, "model: is missing"},
		{"unknown model kind", pipe, func(r map[string]any) { node(r, "model", "model")["kind"] = "neural_net" }, "model.model.kind"},
		{"unknown step kind", pipe, func(r map[string]any) { node(r, "model", "steps", 1)["kind"] = "pca" }, "model.steps[1].kind"},
		{"unknown field", pipe, func(r map[string]any) { node(r, "model", "model")["bias"] = 1 }, `unknown field "bias"`},
		{"unknown field in a tree", forest, func(r map[string]any) { tree(r)["weight"] = []any{1} }, `unknown field "weight"`},
		{"field name in other case", pipe, func(r map[string]any) {
			m := node(r, "model", "model")
			m["Intercept"] = m["intercept"]
			delete(m, "intercept")
		}, `unknown field "Intercept"`},
		{"top-level unknown field", pipe, func(r map[string]any) { r["comment"] = "x" }, `unknown field "comment"`},
		{"short coefficients", pipe, func(r map[string]any) {
			m := node(r, "model", "model")
			m["coef"] = m["coef"].([]any)[:3]
		}, "model.model.coef: has 3 values, want 4"},
		{"model width", pipe, func(r map[string]any) {
			m := node(r, "model", "model")
			m["n_features"] = 5
			m["coef"] = append(m["coef"].([]any), 0.5)
			m["std_coef"], m["mean"], m["scale"] = nil, nil, nil
		}, "model.model.n_features: 5, but the steps give 4"},
		{"columns", pipe, func(r map[string]any) { node(r, "model")["columns"].([]any)[0] = 9 }, "model.columns"},
		{"step width", pipe, func(r map[string]any) {
			s := node(r, "model", "steps", 1)
			s["n_features"] = 9
			s["fill"] = s["fill"].([]any)[:9]
			s["missing"] = s["missing"].([]any)[:9]
		}, "model.steps[1].n_features: 9, but the step before it gives 10"},
		{"feature names", pipe, func(r map[string]any) { node(r, "model")["features"] = []any{"a"} }, "model.features: has 1 names"},
		{"huge n_features", pipe, func(r map[string]any) { node(r, "model")["n_features"] = 1e9 }, "model.n_features: 1000000000"},
		{"kept column out of range", pipe, func(r map[string]any) { node(r, "model", "steps", 2)["keep"].([]any)[3] = 10 }, "model.steps[2].keep[3]"},
		{"kept columns out of order", pipe, func(r map[string]any) {
			k := node(r, "model", "steps", 2)["keep"].([]any)
			k[0], k[1] = k[1], k[0]
		}, "model.steps[2].keep[1]"},
		{"unknown selector", pipe, func(r map[string]any) { node(r, "model", "steps", 2)["method"] = "boruta" }, "model.steps[2].method"},
		{"zero scale", pipe, func(r map[string]any) { node(r, "model", "steps", 0)["scale"].([]any)[2] = 0 }, "model.steps[0].scale[2]"},
		{"unknown imputation", pipe, func(r map[string]any) { node(r, "model", "steps", 1)["strategy"] = "knn" }, "model.steps[1].strategy"},
		{"unknown penalty", pipe, func(r map[string]any) { node(r, "model", "model")["penalty"] = "l3" }, "model.model.penalty"},
		{"alpha of another penalty", pipe, func(r map[string]any) { node(r, "model", "model")["alpha"] = 1 }, "model.model.alpha"},
		{"no trees", forest, func(r map[string]any) { node(r, "model")["trees"] = []any{} }, "model.trees: has 0 trees"},
		{"child out of range", forest, func(r map[string]any) { tree(r)["left"].([]any)[0] = 1000 }, "model.trees[0].left[0]: 1000"},
		{"negative child", forest, func(r map[string]any) { tree(r)["right"].([]any)[0] = -5 }, "model.trees[0].right[0]: -5"},
		{"self loop", forest, func(r map[string]any) { tree(r)["left"].([]any)[0] = 0 }, "model.trees[0].left[0]: 0"},
		{"cycle back to the root", forest, func(r map[string]any) {
			tr := tree(r)
			left := int(tr["left"].([]any)[0].(float64))
			if tr["feature"].([]any)[left].(float64) < 0 {
				t.Skip("the root's left child is a leaf")
			}
			tr["right"].([]any)[left] = 0
		}, "model.trees[0].right["},
		{"two parents", forest, func(r map[string]any) {
			tr := tree(r)
			tr["right"].([]any)[0] = tr["left"].([]any)[0]
		}, "already has a parent"},
		{"leaf with children", forest, func(r map[string]any) {
			tr := tree(r)
			f := tr["feature"].([]any)
			for k := range f {
				if f[k].(float64) < 0 {
					tr["left"].([]any)[k] = float64(k + 1)
					return
				}
			}
		}, "a leaf has children"},
		{"feature out of range", forest, func(r map[string]any) { tree(r)["feature"].([]any)[0] = 10 }, "model.trees[0].feature[0]: 10"},
		{"node arrays of different lengths", forest, func(r map[string]any) {
			tr := tree(r)
			tr["threshold"] = tr["threshold"].([]any)[1:]
		}, "model.trees[0].threshold: has"},
		{"probability above 1", forest, func(r map[string]any) { tree(r)["value"].([]any)[0] = 1.5 }, "model.trees[0].value[0]"},
		{"importance length", forest, func(r map[string]any) { node(r, "model")["importance"] = []any{1} }, "model.importance"},
		{"support vector length", svm, func(r map[string]any) {
			sv := node(r, "model")["support_vectors"].([]any)
			sv[1] = sv[1].([]any)[:4]
		}, "model.support_vectors[1]: has 4 values, want 10"},
		{"support counts", svm, func(r map[string]any) {
			m := node(r, "model")
			m["dual_coef"] = m["dual_coef"].([]any)[1:]
		}, "dual coefficients"},
		{"RBF with weights", svm, func(r map[string]any) { node(r, "model")["w"] = []any{1, 2} }, "model.w"},
		{"negative gamma", svm, func(r map[string]any) { node(r, "model")["gamma"] = -1 }, "model.gamma"},
		{"unknown kernel", svm, func(r map[string]any) { node(r, "model")["kernel"] = "poly" }, "model.kernel"},
		{"type mismatch", svm, func(r map[string]any) { node(r, "model")["c"] = "one" }, "model: json: cannot unmarshal string"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := edit(t, c.base, c.change)
			_, err := UnmarshalModel(data)
			if !errors.Is(err, ErrModelFormat) {
				t.Fatalf("error %v, want ErrModelFormat", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
		})
	}
	for name, data := range map[string]string{
		"not JSON":      "ceusrad model\n",
		"trailing data": string(pipe) + `{"x":1}`,
		"empty":         "",
		"array":         "[1,2,3]",
	} {
		if _, err := UnmarshalModel([]byte(data)); !errors.Is(err, ErrModelFormat) {
			t.Errorf("%s: error %v, want ErrModelFormat", name, err)
		}
	}
}

// TestLoadRefusesDeepNesting: grid searches nested beyond MaxModelDepth are
// refused, and cannot be saved either.
func TestLoadRefusesDeepNesting(t *testing.T) {
	inner := `{"kind":"logistic","n_features":1,"penalty":"l2","alpha":0,"lambda":1,"intercept":0,"coef":[1],"std_intercept":0,"std_coef":null,"mean":null,"scale":null,"constant":null,"deviance":null,"null_deviance":null}`
	wrap := func(depth int) []byte {
		s := inner
		for range depth {
			s = `{"kind":"grid_search","n_features":1,"points":[{"C":1}],"mean":[0.5],"se":[null],"best":0,"model":` + s + `}`
		}
		return []byte(`{"format":"ceusrad-learn-model","version":1,"model":` + s + `}`)
	}
	if _, err := UnmarshalModel(wrap(MaxModelDepth - 1)); err != nil {
		t.Fatalf("%d nested grid searches: %v", MaxModelDepth-1, err)
	}
	if _, err := UnmarshalModel(wrap(MaxModelDepth)); !errors.Is(err, ErrModelFormat) || !strings.Contains(err.Error(), "nested") {
		t.Errorf("%d nested grid searches: %v, want a refusal", MaxModelDepth, err)
	}
	var m Model = &LogisticModel{Penalty: L2, Coef: []float64{1}}
	for range MaxModelDepth {
		m = &GridSearchModel{Points: []map[string]float64{{"C": 1}}, Mean: []float64{0}, SE: []float64{0}, Model: m}
	}
	if _, err := MarshalModel(m); err == nil {
		t.Error("a model nested too deep was saved")
	}
}

// allocated returns the bytes allocated while f runs.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestLoadRefusesHugeCountsCheaply: a file claiming huge counts, or holding
// more values than MaxModelValues, is refused before the values are
// decoded, allocating little.
func TestLoadRefusesHugeCountsCheaply(t *testing.T) {
	pipe, forest, _ := savedModels(t)
	huge := edit(t, pipe, func(r map[string]any) { node(r, "model")["n_features"] = 1 << 40 })
	var err error
	if n := allocated(func() { _, err = UnmarshalModel(huge) }); err == nil || n > 1<<20 {
		t.Errorf("n_features 2^40: error %v after %d bytes allocated", err, n)
	}
	// A forest whose first tree holds MaxModelValues zeros (about 40 MB of
	// text): refused by counting, before any array is decoded.
	var buf bytes.Buffer
	buf.WriteString(`{"format":"ceusrad-learn-model","version":1,"model":{"kind":"forest","n_features":1,"trees":[{"value":[`)
	buf.WriteString(strings.Repeat("0,", MaxModelValues))
	buf.WriteString(`0]}]}}`)
	big := buf.Bytes()
	if n := allocated(func() { _, err = UnmarshalModel(big) }); !errors.Is(err, ErrModelFormat) || n > 1<<20 {
		t.Errorf("%d values: error %v after %d bytes allocated", MaxModelValues+1, err, n)
	} else if !strings.Contains(err.Error(), "values") {
		t.Errorf("error %q does not say why", err)
	}
	// Too many nodes in all is refused before the trees are checked.
	tooMany := edit(t, forest, func(r map[string]any) {
		tr := node(r, "model", "trees", 0)
		v := make([]any, MaxModelNodes+1)
		for k := range v {
			v[k] = 0
		}
		tr["value"] = v
	})
	if _, err := UnmarshalModel(tooMany); !errors.Is(err, ErrModelFormat) || !strings.Contains(err.Error(), "nodes in all") {
		t.Errorf("%d nodes: %v", MaxModelNodes+1, err)
	}
}

// TestReadModelByteLimit: a reader yielding more than the limit is refused
// after reading at most limit + 1 bytes.
func TestReadModelByteLimit(t *testing.T) {
	r := &countingReader{}
	if _, err := readLimited(r, 1000); !errors.Is(err, ErrModelFormat) {
		t.Errorf("error %v, want ErrModelFormat", err)
	}
	if r.n > 1001 {
		t.Errorf("read %d bytes for a limit of 1000", r.n)
	}
	if b, err := readLimited(strings.NewReader("abc"), 3); err != nil || string(b) != "abc" {
		t.Errorf("3 bytes at a limit of 3: %q, %v", b, err)
	}
}

// countingReader yields spaces without end, counting them.
type countingReader struct{ n int }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	r.n += len(p)
	return len(p), nil
}

// TestLoadModelFiles: LoadModel names the file in its errors; LoadPipeline
// refuses a file holding another kind; SaveModel leaves no temporary file.
func TestLoadModelFiles(t *testing.T) {
	pipe, forest, _ := savedModels(t)
	dir := t.TempDir()
	fp := filepath.Join(dir, "forest.json")
	if err := os.WriteFile(fp, forest, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadPipeline(fp); !errors.Is(err, ErrModelFormat) || !strings.Contains(err.Error(), "forest.json") {
		t.Errorf("LoadPipeline on a forest: %v", err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, pipe[:len(pipe)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadModel(bad); !errors.Is(err, ErrModelFormat) || !strings.Contains(err.Error(), "bad.json") {
		t.Errorf("truncated file: %v", err)
	}
	if _, err := LoadModel(filepath.Join(dir, "none.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	m, err := UnmarshalModel(pipe)
	if err != nil {
		t.Fatal(err)
	}
	pp := filepath.Join(dir, "pipe.json")
	if err := SaveModel(pp, m); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadPipeline(pp); err != nil {
		t.Error(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("%d files in the folder, want 3 (no temporary file left)", len(entries))
	}
}

// TestLoadAllocationBounded: loading allocates a small multiple of the
// file's size, however deep the forest sits (nested nodes are not copied).
func TestLoadAllocationBounded(t *testing.T) {
	X, y := noiseData(90, 12, 5)
	inner := Pipeline{Steps: []Transformer{Standardizer{}}, Model: RandomForest{Trees: 100, Seed: 1}}
	grid := GridSearch{Grid: ParamGrid{"x": {1}}, Folds: 2, Seed: 1,
		Build: func(map[string]float64) (Estimator, error) { return inner, nil }}
	m, err := Pipeline{Steps: []Transformer{Imputer{}}, Model: grid}.Fit(X, y)
	if err != nil {
		t.Fatal(err)
	}
	data, err := MarshalModel(m)
	if err != nil {
		t.Fatal(err)
	}
	var got Model
	n := allocated(func() { got, err = UnmarshalModel(data) })
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got.(*PipelineModel).Model.(*GridSearchModel).Model.(*PipelineModel).Model.(*ForestModel); !ok {
		t.Fatal("not the nested forest")
	}
	if ratio := float64(n) / float64(len(data)); ratio > 8 {
		t.Errorf("loading a %d-byte file allocated %d bytes (%.1f×), want at most 8×", len(data), n, ratio)
	}
}
