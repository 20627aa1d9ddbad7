package learn

import (
	"errors"
	"math"
	"testing"
)

func TestParamGrid(t *testing.T) {
	pts, err := ParamGrid{"C": {0.1, 1}, "alpha": {0.2, 0.5, 0.8}}.Points()
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 6 || pts[0]["C"] != 0.1 || pts[0]["alpha"] != 0.2 || pts[1]["alpha"] != 0.5 || pts[3]["C"] != 1 {
		t.Errorf("points %v", pts)
	}
	if s := ParamString(pts[4]); s != "C=1, alpha=0.5" {
		t.Errorf("ParamString %q", s)
	}
	if pts, _ := (ParamGrid{}).Points(); len(pts) != 1 || len(pts[0]) != 0 {
		t.Errorf("empty grid: %v", pts)
	}
	if _, err := (ParamGrid{"C": nil}).Points(); !errors.Is(err, ErrParameter) {
		t.Errorf("no values: %v", err)
	}
}

func searchData(t *testing.T) ([][]float64, []bool) {
	var fx struct {
		Datasets []linSet `json:"datasets"`
	}
	linReadJSON(t, "logistic_sklearn.json", &fx)
	ds := fx.Datasets[1]
	return ds.X, linBools(ds.Y)
}

// TestGridSearch: the scores are those of cross-validating each candidate
// on the same folds, the best is chosen and refitted on all rows.
func TestGridSearch(t *testing.T) {
	X, y := searchData(t)
	build := func(p map[string]float64) (Estimator, error) {
		return Logistic{Penalty: ElasticNet, L1Ratio: p["l1_ratio"], C: p["C"]}, nil
	}
	for _, crit := range []Criterion{Deviance, AUCCriterion} {
		gs := GridSearch{Grid: ParamGrid{"C": {0.01, 0.1, 1}, "l1_ratio": {0.3, 0.9}}, Build: build, Folds: 4, Repeats: 2, Seed: 9, Criterion: crit}
		gm, err := gs.FitSearch(X, y)
		if err != nil {
			t.Fatal(err)
		}
		folds, _ := RepeatedStratifiedKFold(y, 4, 2, 9)
		for i, p := range gm.Points {
			est, _ := build(p)
			res, err := crossValidateFolds(est, X, y, len(X[0]), folds, 0)
			if err != nil {
				t.Fatal(err)
			}
			var s []float64
			for r, fs := range folds {
				for _, fo := range fs {
					pr, yv := make([]float64, len(fo.Test)), make([]bool, len(fo.Test))
					for k, j := range fo.Test {
						pr[k], yv[k] = res.Proba[r][j], y[j]
					}
					s = append(s, foldCriterion(pr, yv, crit))
				}
			}
			m, sd := cvMeanSD(s)
			if math.Abs(m-gm.Mean[i]) > 1e-12 || math.Abs(sd/math.Sqrt(8)-gm.SE[i]) > 1e-12 {
				t.Errorf("%v %s: mean %v ± %v, recomputed %v ± %v", crit, ParamString(p), gm.Mean[i], gm.SE[i], m, sd/math.Sqrt(8))
			}
			if (crit == Deviance && gm.Mean[i] < gm.Mean[gm.Best]) || (crit == AUCCriterion && gm.Mean[i] > gm.Mean[gm.Best]) {
				t.Errorf("%v: point %d beats the chosen %d", crit, i, gm.Best)
			}
		}
		best := gm.BestParams()
		ref, _ := Logistic{Penalty: ElasticNet, L1Ratio: best["l1_ratio"], C: best["C"]}.FitLogistic(X, y)
		p1, _ := gm.PredictProba(X)
		p2, _ := ref.PredictProba(X)
		for i := range p1 {
			if p1[i] != p2[i] {
				t.Fatalf("%v: refit differs from a fit at the best point", crit)
			}
		}
	}
	if _, err := (GridSearch{Grid: ParamGrid{"C": {1}}}).Fit(X, y); !errors.Is(err, ErrParameter) {
		t.Errorf("no Build: %v", err)
	}
	bad := GridSearch{Grid: ParamGrid{"C": {1, -1}}, Build: func(p map[string]float64) (Estimator, error) { return Logistic{C: p["C"]}, nil }}
	if _, err := bad.Fit(X, y); !errors.Is(err, ErrParameter) {
		t.Errorf("a bad point: %v", err)
	}
}

// TestNestedCV: each outer fold's tuning sees only its training rows, so
// the outer result equals CrossValidate of the GridSearch, and the chosen
// parameters are those of a GridSearch fitted on each outer training fold.
func TestNestedCV(t *testing.T) {
	X, y := searchData(t)
	gs := GridSearch{
		Grid: ParamGrid{"C": {0.05, 0.5}},
		Build: func(p map[string]float64) (Estimator, error) {
			return Pipeline{Steps: []Transformer{MannWhitneyFilter{K: 8}}, Model: Logistic{Penalty: L1, C: p["C"]}}, nil
		},
		Folds: 3, Seed: 4, Criterion: AUCCriterion,
	}
	nr, err := NestedCV(gs, X, y, CVOptions{Folds: 4, Seed: 8})
	if err != nil {
		t.Fatal(err)
	}
	for f, fo := range nr.Folds[0] {
		xt, yt := cvSubset(X, y, fo.Train)
		gm, err := gs.FitSearch(xt, yt)
		if err != nil {
			t.Fatal(err)
		}
		if ParamString(gm.BestParams()) != ParamString(nr.Chosen[0][f]) {
			t.Errorf("fold %d: chose %v, a search on its training rows %v", f, nr.Chosen[0][f], gm.BestParams())
		}
	}
	n := 0
	for _, c := range nr.ChosenCounts() {
		n += c.Count
	}
	if n != 4 || nr.Frequency == nil || len(nr.Selected[0]) != 4 {
		t.Errorf("counts %v, frequency %v", nr.ChosenCounts(), nr.Frequency)
	}
	for _, s := range nr.Selected[0] {
		if len(s) > 8 {
			t.Errorf("a fold selected %d features through the grid search, the filter keeps 8", len(s))
		}
	}
}
