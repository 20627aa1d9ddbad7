package learn

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeedModels are small fitted models of every kind, on noiseData with
// a few missing values: the seeds of FuzzLoadModel (also written under
// testdata/fuzz/FuzzLoadModel by TestWriteFuzzSeeds).
func fuzzSeedModels() (map[string][]byte, error) {
	X, y := noiseData(30, 4, 3)
	X[2][1], X[7][3] = math.NaN(), math.NaN()
	Xc := complete(X)
	fits := []struct {
		name string
		est  Estimator
		X    [][]float64
	}{
		{"pipeline-logistic", Pipeline{Steps: []Transformer{Standardizer{}, Imputer{Strategy: MedianImpute}, MannWhitneyFilter{K: 2}},
			Model: Logistic{Penalty: L2, C: 1}, Names: []string{"afp", "wash_in", "peak", "ttp"}}, X},
		{"pipeline-mrmr", Pipeline{Steps: []Transformer{Standardizer{}, CorrelationFilter{Threshold: 0.9}, MRMR{K: 2}},
			Model: Logistic{Penalty: ElasticNet, L1Ratio: 0.5, C: 1}}, Xc},
		{"forest", Pipeline{Steps: []Transformer{Imputer{}}, Model: RandomForest{Trees: 2, MaxDepth: 2, Seed: 1}}, X},
		{"svm-linear", SVM{C: 1, Seed: 1}, Xc[:16]},
		{"grid-svm-rbf", GridSearch{Grid: ParamGrid{"C": {1}}, Folds: 2, Seed: 1,
			Build: func(p map[string]float64) (Estimator, error) { return SVM{Kernel: RBF, C: p["C"], Seed: 1}, nil }}, Xc[:16]},
	}
	out := map[string][]byte{}
	for _, f := range fits {
		m, err := f.est.Fit(f.X, y[:len(f.X)])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		if out[f.name], err = MarshalModel(m); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	return out, nil
}

// modelWidth is the number of input columns of a loaded model.
func modelWidth(m Model) int {
	switch m := m.(type) {
	case *PipelineModel:
		return len(m.Names)
	case *LogisticModel:
		return len(m.Coef)
	case *ForestModel:
		return m.p
	case *SVMModel:
		return m.p
	case *GridSearchModel:
		return modelWidth(m.Model)
	}
	return 0
}

// FuzzLoadModel: any input is either refused with ErrModelFormat or loads
// to a model that saves again to bytes that load to the same bytes, and
// predicts on rows of its width without panicking, giving probabilities in
// [0, 1] (NaN allowed for overflowing arithmetic).
func FuzzLoadModel(f *testing.F) {
	seeds, err := fuzzSeedModels()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := UnmarshalModel(data)
		if err != nil {
			if !errors.Is(err, ErrModelFormat) {
				t.Fatalf("refusal %v does not wrap ErrModelFormat", err)
			}
			return
		}
		out, err := MarshalModel(m)
		if err != nil {
			t.Fatalf("a loaded model cannot be saved: %v", err)
		}
		m2, err := UnmarshalModel(out)
		if err != nil {
			t.Fatalf("a saved model cannot be loaded: %v", err)
		}
		out2, err := MarshalModel(m2)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("saving is not stable: %v", err)
		}
		p := modelWidth(m)
		row := make([]float64, p)
		for j := range row {
			row[j] = float64(j%3) - 1
		}
		prob, err := m.PredictProba([][]float64{make([]float64, p), row})
		if err != nil {
			return
		}
		for _, v := range prob {
			if v < 0 || v > 1 {
				t.Fatalf("probability %v", v)
			}
		}
	})
}

// TestWriteFuzzSeeds writes the seeds of FuzzLoadModel under
// testdata/fuzz/FuzzLoadModel when CEUSRAD_WRITE_FUZZ_SEEDS=1 (go test
// -run TestWriteFuzzSeeds ./kernellib/learn/); otherwise it checks that the
// committed seeds load.
func TestWriteFuzzSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzLoadModel")
	if os.Getenv("CEUSRAD_WRITE_FUZZ_SEEDS") == "1" {
		seeds, err := fuzzSeedModels()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, data := range seeds {
			corpus := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
			if err := os.WriteFile(filepath.Join(dir, name), []byte(corpus), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("no seeds under %s: %v", dir, err)
	}
}
