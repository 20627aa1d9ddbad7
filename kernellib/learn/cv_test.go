package learn

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestStratifiedKFold(t *testing.T) {
	y := make([]bool, 47)
	for i := range y {
		y[i] = i%3 == 0 // 16 cases, 31 controls
	}
	folds, err := StratifiedKFold(y, 5, 11)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkFolds(folds, len(y)); err != nil {
		t.Fatal(err)
	}
	for f, fo := range folds {
		c := 0
		for _, i := range fo.Test {
			if y[i] {
				c++
			}
		}
		if c < 3 || c > 4 || len(fo.Test)-c < 6 || len(fo.Test)-c > 7 || len(fo.Test) < 9 || len(fo.Test) > 10 {
			t.Errorf("fold %d: %d cases of %d", f, c, len(fo.Test))
		}
		if !slices.IsSorted(fo.Train) || !slices.IsSorted(fo.Test) || len(fo.Train)+len(fo.Test) != len(y) {
			t.Errorf("fold %d not sorted or incomplete", f)
		}
	}
	again, _ := StratifiedKFold(y, 5, 11)
	other, _ := StratifiedKFold(y, 5, 12)
	if !slices.EqualFunc(folds, again, func(a, b Fold) bool { return slices.Equal(a.Test, b.Test) }) {
		t.Error("same seed, different folds")
	}
	if slices.EqualFunc(folds, other, func(a, b Fold) bool { return slices.Equal(a.Test, b.Test) }) {
		t.Error("different seeds, same folds")
	}
	reps, err := RepeatedStratifiedKFold(y, 5, 3, 11)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(reps[0], folds, func(a, b Fold) bool { return slices.Equal(a.Test, b.Test) }) {
		t.Error("repeat 0 differs from StratifiedKFold with the same seed")
	}
	if slices.EqualFunc(reps[1], reps[2], func(a, b Fold) bool { return slices.Equal(a.Test, b.Test) }) {
		t.Error("repeats 1 and 2 equal")
	}
	for _, c := range []struct {
		y    []bool
		k    int
		want error
	}{
		{y, 1, ErrParameter},
		{y[:4], 5, ErrTooFew}, // fewer samples than folds
		{[]bool{true, true, false, false, false, false}, 3, ErrTooFew}, // 2 cases for 3 folds
	} {
		if _, err := StratifiedKFold(c.y, c.k, 1); !errors.Is(err, c.want) {
			t.Errorf("n=%d k=%d: %v, want %v", len(c.y), c.k, err, c.want)
		}
	}
	if _, err := RepeatedStratifiedKFold(y, 5, 0, 1); !errors.Is(err, ErrParameter) {
		t.Errorf("0 repeats: %v", err)
	}
}

// TestCrossValidateWorkers: results do not depend on the number of
// goroutines.
func TestCrossValidateWorkers(t *testing.T) {
	var fx struct {
		Datasets []linSet `json:"datasets"`
	}
	linReadJSON(t, "logistic_sklearn.json", &fx)
	ds := fx.Datasets[0]
	y := linBools(ds.Y)
	est := Pipeline{Steps: []Transformer{Standardizer{}, MRMR{K: 4}}, Model: LogisticCV{Folds: 4, Seed: 5}}
	var first *CVResult
	for _, w := range []int{1, 2, 5} {
		res, err := CrossValidate(est, ds.X, y, CVOptions{Folds: 5, Repeats: 2, Seed: 3, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = res
			continue
		}
		for r := range res.Proba {
			if !slices.Equal(res.Proba[r], first.Proba[r]) || !slices.Equal(res.AUC[r], first.AUC[r]) {
				t.Errorf("workers %d: results differ", w)
			}
		}
		if !slices.Equal(res.Frequency, first.Frequency) {
			t.Errorf("workers %d: frequencies differ", w)
		}
	}
	// Fold AUCs are the AUCs of the out-of-fold probabilities of each
	// test fold; the pooled AUC is that of all of them.
	for r, folds := range first.Folds {
		for f, fo := range folds {
			p, yv := make([]float64, len(fo.Test)), make([]bool, len(fo.Test))
			for k, i := range fo.Test {
				p[k], yv[k] = first.Proba[r][i], y[i]
			}
			if a, _ := AUC(p, yv); a != first.AUC[r][f] {
				t.Errorf("repeat %d fold %d: AUC %v, recomputed %v", r, f, first.AUC[r][f], a)
			}
		}
		if a, _ := AUC(first.Proba[r], y); a != first.PooledAUC[r] {
			t.Errorf("pooled AUC %v, recomputed %v", first.PooledAUC[r], a)
		}
	}
	m, sd := cvMeanSD(append(append([]float64(nil), first.AUC[0]...), first.AUC[1]...))
	if m != first.MeanAUC || sd != first.SDAUC {
		t.Errorf("mean AUC %v ± %v, recomputed %v ± %v", first.MeanAUC, first.SDAUC, m, sd)
	}
	for j, f := range first.Frequency {
		c := 0
		for _, rep := range first.Selected {
			for _, s := range rep {
				if slices.Contains(s, j) {
					c++
				}
			}
		}
		if f != float64(c)/10 {
			t.Errorf("feature %d: frequency %v, counted %d of 10", j, f, c)
		}
	}
}

func TestCrossValPredictErrors(t *testing.T) {
	X := [][]float64{{1}, {2}, {3}, {4}}
	y := []bool{true, false, true, false}
	good := []Fold{{Train: []int{2, 3}, Test: []int{0, 1}}, {Train: []int{0, 1}, Test: []int{2, 3}}}
	if _, err := CrossValPredict(Logistic{C: 1}, X, y, good); err != nil {
		t.Errorf("good folds: %v", err)
	}
	for name, folds := range map[string][]Fold{
		"one fold":     good[:1],
		"overlap":      {{Train: []int{1, 3}, Test: []int{0, 1}}, {Train: []int{0, 1}, Test: []int{2, 3}}},
		"missing row":  {{Train: []int{2}, Test: []int{0, 1}}, {Train: []int{0, 1}, Test: []int{2}}},
		"out of range": {{Train: []int{2, 3}, Test: []int{0, 1}}, {Train: []int{0, 1}, Test: []int{2, 3, 4}}},
	} {
		if _, err := CrossValPredict(Logistic{C: 1}, X, y, folds); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// A training fold with one class.
	oneClass := []Fold{{Train: []int{0, 2}, Test: []int{1, 3}}, {Train: []int{1, 3}, Test: []int{0, 2}}}
	if _, err := CrossValPredict(Logistic{C: 1}, X, y, oneClass); !errors.Is(err, ErrOneClass) {
		t.Errorf("one class in a training fold: %v", err)
	}
	if _, err := CrossValidate(Logistic{C: 1}, X, y, CVOptions{Folds: 3}); !errors.Is(err, ErrTooFew) {
		t.Errorf("2 cases, 3 folds: %v", err)
	}
	if _, err := CrossValidate(Logistic{C: 1}, X, y, CVOptions{Folds: 1}); !errors.Is(err, ErrParameter) {
		t.Errorf("1 fold: %v", err)
	}
	if f := SelectionFrequency([][][]int{{{0, 2}, {2}}}, 3); !slices.Equal(f, []float64{0.5, 0, 1}) {
		t.Errorf("frequency %v", f)
	}
	if m, s := cvMeanSD([]float64{1, 2, 3}); m != 2 || math.Abs(s-1) > 1e-15 {
		t.Errorf("mean %v sd %v", m, s)
	}
}

// TestCrossValidateMissing: NaN is an error naming the row and column of
// the whole data unless the pipeline imputes.
func TestCrossValidateMissing(t *testing.T) {
	X, y := noiseData(40, 5, 3)
	X[17][3] = math.NaN()
	_, err := CrossValidate(Logistic{C: 1}, X, y, CVOptions{Folds: 4})
	if !errors.Is(err, ErrNotFinite) || !strings.Contains(err.Error(), "X[17][3]") {
		t.Errorf("NaN with a plain model: %v", err)
	}
	if _, err := CrossValidate(Pipeline{Steps: []Transformer{Standardizer{}, Imputer{}}, Model: Logistic{C: 1}}, X, y, CVOptions{Folds: 4}); err != nil {
		t.Errorf("NaN with an imputer: %v", err)
	}
}
