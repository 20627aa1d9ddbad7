package learn

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// persistData is the pipeline fixture (90 patients, 10 features, 61
// missing values; testdata/pipeline_sklearn.json) split into 60 training
// and 30 held-out rows, the held-out rows keeping their missing values.
func persistData(t *testing.T) (Xtr [][]float64, ytr []bool, Xte [][]float64) {
	X, y, _, _ := loadPipe(t)
	return X[:60], y[:60], X[60:]
}

// complete fills NaN with 0, for estimators that refuse missing values.
func complete(X [][]float64) [][]float64 {
	out := make([][]float64, len(X))
	for i, row := range X {
		out[i] = make([]float64, len(row))
		for j, v := range row {
			if !math.IsNaN(v) {
				out[i][j] = v
			}
		}
	}
	return out
}

// persistCases are fitted models of every kind a study pipeline produces
// (study.DefaultRTICCandidates, DefaultRBModeCandidates, ClinicalEstimator)
// and of the kinds learn offers beside them.
func persistCases(t *testing.T) []struct {
	name    string
	est     Estimator
	missing bool // the estimator takes missing values
} {
	pre := func() []Transformer { return []Transformer{Standardizer{}, Imputer{Strategy: MedianImpute}} }
	svmGrid := GridSearch{Grid: ParamGrid{"C": {0.1, 1}}, Folds: 3, Seed: 2,
		Build: func(p map[string]float64) (Estimator, error) { return SVM{Kernel: RBF, C: p["C"], Seed: 3}, nil }}
	return []struct {
		name    string
		est     Estimator
		missing bool
	}{
		{"lasso-logistic (R-TIC)", Pipeline{Steps: pre(), Model: LogisticCV{Penalty: L1, Folds: 5, Rule: OneSERule, Criterion: Deviance, Seed: 1}}, true},
		{"ridge-logistic (clinical)", Pipeline{Steps: pre(), Model: LogisticCV{Penalty: L2, Folds: 10, Seed: 1}}, true},
		{"mw5-logistic (R-TIC)", Pipeline{Steps: append(pre(), MannWhitneyFilter{K: 5}), Model: Logistic{Penalty: L2, C: 1}}, true},
		{"random-forest (R-TIC)", Pipeline{Steps: []Transformer{Imputer{Strategy: MedianImpute}}, Model: RandomForest{Trees: 60, Seed: 4}}, true},
		{"enet-logistic (R-BMode)", Pipeline{Steps: []Transformer{Standardizer{}}, Model: LogisticCV{Penalty: ElasticNet, L1Ratio: 0.5, Folds: 5, Seed: 1}}, false},
		{"corr-mrmr-ridge (R-BMode)", Pipeline{Steps: []Transformer{Standardizer{}, CorrelationFilter{Threshold: 0.9}, MRMR{K: 4}},
			Model: LogisticCV{Penalty: L2, Folds: 5, Seed: 1}}, false},
		{"random-forest (R-BMode)", Pipeline{Model: RandomForest{Trees: 40, Seed: 5}}, false},
		{"lasso-select + keep", Pipeline{Steps: []Transformer{Standardizer{}, KeepColumns{Columns: []int{0, 2, 3, 5, 7, 9}}, LassoSelect{K: 3, Seed: 1}},
			Model: Logistic{Penalty: L2, Lambda: 0.05}}, false},
		{"linear SVM", Pipeline{Steps: []Transformer{Standardizer{}}, Model: SVM{C: 0.5, Seed: 1}}, false},
		{"RBF SVM in a grid search", Pipeline{Steps: []Transformer{Standardizer{}}, Model: svmGrid}, false},
		{"bare forest", RandomForest{Trees: 20, MaxDepth: 4, Seed: 6}, false},
		{"bare logistic", Logistic{Penalty: L1, C: 0.3}, false},
	}
}

// TestSaveLoadIdentical: every kind of fitted model, saved and loaded,
// gives bit-identical probabilities (and linear predictors) on held-out
// rows — with their missing values where the pipeline imputes — and saving
// the loaded model writes the same bytes.
func TestSaveLoadIdentical(t *testing.T) {
	Xtr, ytr, Xte := persistData(t)
	dir := t.TempDir()
	for k, c := range persistCases(t) {
		t.Run(c.name, func(t *testing.T) {
			xtr, xte := Xtr, Xte
			if !c.missing {
				xtr, xte = complete(Xtr), complete(Xte)
			}
			m, err := c.est.Fit(xtr, ytr)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "m"+string(rune('a'+k))+".json")
			if err := SaveModel(path, m); err != nil {
				t.Fatal(err)
			}
			got, err := LoadModel(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, X := range [][][]float64{xte, xtr} {
				want, err := m.PredictProba(X)
				if err != nil {
					t.Fatal(err)
				}
				have, err := got.PredictProba(X)
				if err != nil {
					t.Fatal(err)
				}
				for i := range want {
					if math.Float64bits(want[i]) != math.Float64bits(have[i]) {
						t.Fatalf("row %d: saved %v (%x), loaded %v (%x)", i, want[i], math.Float64bits(want[i]), have[i], math.Float64bits(have[i]))
					}
				}
				if lw, err := RadiomicsScore(m, X); err == nil {
					lh, err := RadiomicsScore(got, X)
					if err != nil {
						t.Fatal(err)
					}
					for i := range lw {
						if math.Float64bits(lw[i]) != math.Float64bits(lh[i]) {
							t.Fatalf("linear predictor row %d: %v vs %v", i, lw[i], lh[i])
						}
					}
				}
			}
			a, err := MarshalModel(m)
			if err != nil {
				t.Fatal(err)
			}
			b, err := MarshalModel(got)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Error("the loaded model saves to other bytes than the fitted one")
			}
			if pm, ok := m.(*PipelineModel); ok {
				lp := got.(*PipelineModel)
				if strings.Join(pm.Features(), ",") != strings.Join(lp.Features(), ",") ||
					strings.Join(pm.Names, ",") != strings.Join(lp.Names, ",") {
					t.Errorf("features %v / %v, want %v / %v", lp.Features(), lp.Names, pm.Features(), pm.Names)
				}
				if a, b := pm.SelectedFeatures(), lp.SelectedFeatures(); !slices.Equal(a, b) {
					t.Errorf("selected features %v, want %v", b, a)
				}
			}
		})
	}
}

// TestModelFloatsExact: float64 values survive the JSON text bit for bit
// (encoding/json writes the shortest decimal that parses back to the same
// float, strconv 'g' −1; parsing rounds correctly), including −0,
// subnormals, the extremes and random bit patterns.
func TestModelFloatsExact(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1.0 / 3, math.Pi, math.MaxFloat64, -math.MaxFloat64,
		math.SmallestNonzeroFloat64, 2.2250738585072014e-308, 4.9406564584124654e-324 * 3, 1e21, 1e-7, 123456789012345678}
	r := rand.New(rand.NewPCG(1, 2))
	for len(vals) < 2000 {
		v := math.Float64frombits(r.Uint64())
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			vals = append(vals, v)
		}
	}
	m := &LogisticModel{Penalty: L2, Lambda: 0.5, Intercept: vals[5], Coef: vals, NullDeviance: math.NaN(), Deviance: 1}
	data, err := MarshalModel(m)
	if err != nil {
		t.Fatal(err)
	}
	got, err := UnmarshalModel(data)
	if err != nil {
		t.Fatal(err)
	}
	lm := got.(*LogisticModel)
	for i, v := range vals {
		if math.Float64bits(lm.Coef[i]) != math.Float64bits(v) {
			t.Fatalf("coef %d: %v (%x) became %v (%x)", i, v, math.Float64bits(v), lm.Coef[i], math.Float64bits(lm.Coef[i]))
		}
	}
	if !math.IsNaN(lm.NullDeviance) {
		t.Errorf("NaN null deviance came back as %v", lm.NullDeviance)
	}
}

// TestSaveRefusesNonFinite: a NaN or ±Inf where a prediction needs a
// number cannot be saved; the error names the field.
func TestSaveRefusesNonFinite(t *testing.T) {
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		m := &LogisticModel{Penalty: L2, Intercept: 0, Coef: []float64{1, v}}
		_, err := MarshalModel(m)
		if err == nil || !strings.Contains(err.Error(), "coef[1]") {
			t.Errorf("coef %v: error %v, want one naming coef[1]", v, err)
		}
	}
	m := &LogisticModel{Penalty: L2, Coef: []float64{1}, Deviance: math.Inf(1)}
	if _, err := MarshalModel(m); err == nil {
		t.Error("an infinite deviance was saved")
	}
	type other struct{ Model }
	if _, err := MarshalModel(other{}); !errors.Is(err, ErrParameter) {
		t.Errorf("a foreign model type: %v, want ErrParameter", err)
	}
	if _, err := MarshalModel(nil); !errors.Is(err, ErrParameter) {
		t.Errorf("nil model: %v, want ErrParameter", err)
	}
}

// TestLoadedForestKeepsNoTrainingRows: a loaded forest predicts, keeps its
// impurity importances and OOB accuracy, but holds no training row; its
// permutation importances are NaN rather than a panic.
func TestLoadedForestKeepsNoTrainingRows(t *testing.T) {
	Xtr, ytr, _ := persistData(t)
	X := complete(Xtr)
	fm, err := RandomForest{Trees: 15, Seed: 2}.FitForest(X, ytr)
	if err != nil {
		t.Fatal(err)
	}
	data, err := MarshalModel(fm)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("oob_proba")) {
		t.Error("the training rows' OOB predictions were saved")
	}
	got, err := UnmarshalModel(data)
	if err != nil {
		t.Fatal(err)
	}
	lf := got.(*ForestModel)
	if lf.x != nil || lf.y != nil || lf.OOBProba() != nil {
		t.Error("the loaded forest holds training rows")
	}
	if lf.OOBAccuracy() != fm.OOBAccuracy() || lf.OOBCount() != fm.OOBCount() || lf.Trees() != fm.Trees() {
		t.Error("OOB accuracy, count or tree count changed")
	}
	for j, v := range lf.ImpurityImportance() {
		if v != fm.ImpurityImportance()[j] {
			t.Fatalf("impurity importance %d changed", j)
		}
	}
	for _, v := range lf.OOBPermutationImportance(1) {
		if !math.IsNaN(v) {
			t.Fatal("a loaded forest gave a permutation importance without training rows")
		}
	}
}

// TestColumnIndex: a table's columns are matched to a pipeline's features
// by name, in any order; a missing or repeated feature is named.
func TestColumnIndex(t *testing.T) {
	pm := &PipelineModel{Names: []string{"afp", "tumour_size", "wash_in"}, Columns: []int{0, 1, 2}, Model: &LogisticModel{Coef: []float64{1, 2, 3}}}
	idx, err := pm.ColumnIndex([]string{"patient", "wash_in", "afp", "tumour_size"})
	if err != nil || idx[0] != 2 || idx[1] != 3 || idx[2] != 1 {
		t.Fatalf("ColumnIndex = %v, %v", idx, err)
	}
	X, err := pm.SelectColumns([]string{"wash_in", "afp", "x", "tumour_size"}, [][]float64{{1, 2, 3, 4}})
	if err != nil || X[0][0] != 2 || X[0][1] != 4 || X[0][2] != 1 {
		t.Fatalf("SelectColumns = %v, %v", X, err)
	}
	_, err = pm.ColumnIndex([]string{"wash_in", "tumour_size"})
	if !errors.Is(err, ErrMissingFeature) || !strings.Contains(err.Error(), `"afp"`) {
		t.Errorf("missing afp: %v", err)
	}
	_, err = pm.ColumnIndex([]string{"afp", "afp", "wash_in", "tumour_size"})
	if !errors.Is(err, ErrShape) || !strings.Contains(err.Error(), `"afp"`) {
		t.Errorf("afp twice: %v", err)
	}
	if _, err := pm.SelectColumns([]string{"afp", "tumour_size", "wash_in"}, [][]float64{{1, 2}}); !errors.Is(err, ErrShape) {
		t.Errorf("short row: %v", err)
	}
}

// TestUnusedFeatureMayBeAbsent: a table without the features a pipeline
// does not use (those its Mann–Whitney filter or lasso dropped) gives the
// same probabilities, bit for bit, as the full table; one without a used
// feature is refused naming it.
func TestUnusedFeatureMayBeAbsent(t *testing.T) {
	Xtr, ytr, Xte := persistData(t)
	names := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
	m, err := Pipeline{Steps: []Transformer{Standardizer{}, Imputer{Strategy: MedianImpute}, MannWhitneyFilter{K: 3}},
		Model: LogisticCV{Penalty: L1, Folds: 5, Seed: 1}, Names: names}.FitPipeline(Xtr, ytr)
	if err != nil {
		t.Fatal(err)
	}
	need := m.NeededFeatures()
	if len(need) == 0 || len(need) > 3 {
		t.Fatalf("needed features %v", need)
	}
	sub := make([][]float64, len(Xte))
	cols := slices.Clone(need)
	slices.Reverse(cols)
	for i, row := range Xte {
		for _, n := range cols {
			sub[i] = append(sub[i], row[slices.Index(names, n)])
		}
	}
	Xs, err := m.SelectColumns(cols, sub)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := m.PredictProba(Xte)
	got, err := m.PredictProba(Xs)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if math.Float64bits(want[i]) != math.Float64bits(got[i]) {
			t.Fatalf("row %d: %v without the unused features, %v with them", i, got[i], want[i])
		}
	}
	_, err = m.ColumnIndex(cols[1:])
	if !errors.Is(err, ErrMissingFeature) || !strings.Contains(err.Error(), strconv.Quote(cols[0])) {
		t.Errorf("without %s: %v", cols[0], err)
	}
}

// TestSaveLoadConstantColumn: a column constant in the training rows (dropped
// by the Standardizer, a zero coefficient of a bare logistic regression)
// survives saving: same lists, same probabilities.
func TestSaveLoadConstantColumn(t *testing.T) {
	Xtr, ytr, Xte := persistData(t)
	Xtr, Xte = complete(Xtr), complete(Xte)
	for _, X := range [][][]float64{Xtr, Xte} {
		for _, row := range X {
			row[4] = 7
		}
	}
	for _, est := range []Estimator{
		Pipeline{Steps: []Transformer{Standardizer{}}, Model: Logistic{Penalty: L2, C: 1}},
		Logistic{Penalty: L1, C: 1},
	} {
		m, err := est.Fit(Xtr, ytr)
		if err != nil {
			t.Fatal(err)
		}
		data, err := MarshalModel(m)
		if err != nil {
			t.Fatal(err)
		}
		got, err := UnmarshalModel(data)
		if err != nil {
			t.Fatal(err)
		}
		switch m := m.(type) {
		case *PipelineModel:
			if d := got.(*PipelineModel).Steps[0].(*Standardization).Dropped; !slices.Equal(d, []int{4}) || !slices.Equal(m.Steps[0].(*Standardization).Dropped, d) {
				t.Errorf("dropped %v", d)
			}
		case *LogisticModel:
			if c := got.(*LogisticModel).Constant; !slices.Equal(c, []int{4}) || !slices.Equal(m.Constant, c) {
				t.Errorf("constant %v", c)
			}
		}
		want, _ := m.PredictProba(Xte)
		have, err := got.PredictProba(Xte)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if math.Float64bits(want[i]) != math.Float64bits(have[i]) {
				t.Fatalf("row %d: %v vs %v", i, have[i], want[i])
			}
		}
	}
}
