package learn

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

type pipeFixture struct {
	X     [][]*float64 `json:"x"`
	Y     []int        `json:"y"`
	Folds [][]int      `json:"test_folds"`
	Runs  []struct {
		Imputer string    `json:"imputer"`
		Penalty string    `json:"penalty"`
		C       float64   `json:"C"`
		L1Ratio float64   `json:"l1_ratio"`
		Proba   []float64 `json:"proba"`
		FoldAUC []float64 `json:"fold_auc"`
	} `json:"runs"`
}

func loadPipe(t *testing.T) ([][]float64, []bool, []Fold, pipeFixture) {
	var fx pipeFixture
	linReadJSON(t, "pipeline_sklearn.json", &fx)
	X := make([][]float64, len(fx.X))
	for i, row := range fx.X {
		X[i] = make([]float64, len(row))
		for j, v := range row {
			X[i][j] = math.NaN()
			if v != nil {
				X[i][j] = *v
			}
		}
	}
	fold := make([]int, len(X))
	for f, te := range fx.Folds {
		for _, i := range te {
			fold[i] = f
		}
	}
	return X, linBools(fx.Y), foldsFromAssignment(fold, len(fx.Folds)), fx
}

// TestPipelineMatchesSklearn: out-of-fold probabilities and fold AUCs of
// Standardizer → Imputer → Logistic on given folds, with missing values,
// against scikit-learn's cross_val_predict of make_pipeline(StandardScaler(),
// SimpleImputer(), LogisticRegression()).
func TestPipelineMatchesSklearn(t *testing.T) {
	X, y, folds, fx := loadPipe(t)
	for _, run := range fx.Runs {
		strat := MeanImpute
		if run.Imputer == "median" {
			strat = MedianImpute
		}
		pl := Pipeline{
			Steps: []Transformer{Standardizer{}, Imputer{Strategy: strat}},
			Model: Logistic{Penalty: linPenalty(t, run.Penalty), L1Ratio: run.L1Ratio, C: run.C, Tol: 1e-12, NoStandardize: true},
		}
		got, err := CrossValPredict(pl, X, y, folds)
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range run.Proba {
			if math.Abs(got[i]-want) > 1e-4 {
				t.Errorf("%s/%s: row %d: %v, sklearn %v", run.Imputer, run.Penalty, i, got[i], want)
			}
		}
		res, err := crossValidateFolds(pl, X, y, len(X[0]), [][]Fold{folds}, 0)
		if err != nil {
			t.Fatal(err)
		}
		for f, want := range run.FoldAUC {
			if math.Abs(res.AUC[0][f]-want) > 1e-9 {
				t.Errorf("%s/%s: fold %d AUC %v, sklearn %v", run.Imputer, run.Penalty, f, res.AUC[0][f], want)
			}
		}
		if !slices.Equal(res.Proba[0], got) {
			t.Errorf("CrossValidate and CrossValPredict disagree")
		}
	}
}

func TestPipelineNamesAndErrors(t *testing.T) {
	X, y, _, _ := loadPipe(t)
	names := make([]string, len(X[0]))
	for j := range names {
		names[j] = "f" + string(rune('a'+j))
	}
	// No imputer: the missing value is named.
	_, err := Pipeline{Steps: []Transformer{Standardizer{}}, Model: Logistic{C: 1}, Names: names}.Fit(X, y)
	if !errors.Is(err, ErrNotFinite) || !strings.Contains(err.Error(), `feature "f`) {
		t.Errorf("NaN without imputer: %v", err)
	}
	pl := Pipeline{Steps: []Transformer{Standardizer{}, Imputer{}, MannWhitneyFilter{K: 3}}, Model: Logistic{C: 1}, Names: names}
	m, err := pl.FitPipeline(X, y)
	if err != nil {
		t.Fatal(err)
	}
	feats := m.Features()
	if len(feats) != 3 {
		t.Fatalf("features %v", feats)
	}
	for i, c := range m.Columns {
		if feats[i] != names[c] {
			t.Errorf("feature %d: %s, column %d is %s", i, feats[i], c, names[c])
		}
	}
	b0, coef, err := m.NamedCoefficients()
	if err != nil {
		t.Fatal(err)
	}
	lm := m.Model.(*LogisticModel)
	if b0 != lm.Intercept || coef[1].Coef != lm.Coef[1] || coef[1].Feature != feats[1] || coef[1].StdCoef != lm.StdCoef[1] {
		t.Errorf("named coefficients %v %v", b0, coef)
	}
	// The radiomics score is the linear predictor of the transformed rows.
	score, err := RadiomicsScore(m, X)
	if err != nil {
		t.Fatal(err)
	}
	xt, _ := m.Transform(X)
	eta, _ := lm.LinearPredictor(xt)
	prob, _ := m.PredictProba(X)
	for i := range score {
		if score[i] != eta[i] || math.Abs(lrSigmoid(score[i])-prob[i]) > 1e-15 {
			t.Fatalf("row %d: score %v, η %v, p %v", i, score[i], eta[i], prob[i])
		}
	}
	if _, err := (Pipeline{Model: Logistic{C: 1}, Names: names[:2]}).Fit(X, y); !errors.Is(err, ErrShape) {
		t.Errorf("names: %v", err)
	}
	if _, err := (Pipeline{}).Fit(X, y); !errors.Is(err, ErrParameter) {
		t.Errorf("no model: %v", err)
	}
	if _, err := m.PredictProba([][]float64{{1}}); !errors.Is(err, ErrShape) {
		t.Errorf("width: %v", err)
	}
}

// noiseData draws n rows of p independent N(0,1) features and labels
// independent of them: no feature predicts anything.
func noiseData(n, p int, seed uint64) ([][]float64, []bool) {
	r := rand.New(rand.NewPCG(seed, 99))
	X := make([][]float64, n)
	y := make([]bool, n)
	for i := range X {
		X[i] = make([]float64, p)
		for j := range X[i] {
			X[i][j] = r.NormFloat64()
		}
		y[i] = i%2 == 0
	}
	return X, y
}

// TestPipelineNoLeakage: on pure noise, selecting features inside each
// training fold gives a cross-validated AUC near 0.5, while selecting on
// all rows first (the leakage error) gives an optimistic one (Ambroise &
// McLachlan 2002).
func TestPipelineNoLeakage(t *testing.T) {
	X, y := noiseData(60, 500, 7)
	opt := CVOptions{Folds: 5, Repeats: 3, Seed: 1}
	honest, err := CrossValidate(Pipeline{Steps: []Transformer{MannWhitneyFilter{K: 10}}, Model: Logistic{Penalty: L2, C: 1}}, X, y, opt)
	if err != nil {
		t.Fatal(err)
	}
	sel, err := MannWhitneyFilter{K: 10}.Fit(X, y)
	if err != nil {
		t.Fatal(err)
	}
	Xs, _ := sel.Transform(X)
	leaky, err := CrossValidate(Logistic{Penalty: L2, C: 1}, Xs, y, opt)
	if err != nil {
		t.Fatal(err)
	}
	if honest.MeanAUC > 0.65 || leaky.MeanAUC < 0.8 {
		t.Errorf("noise: AUC %.3f with selection inside the folds, %.3f with selection on all rows", honest.MeanAUC, leaky.MeanAUC)
	}
	// Selection frequencies: 10 features per fit, spread over many columns.
	s := 0.0
	for _, f := range honest.Frequency {
		s += f
	}
	if math.Abs(s-10) > 1e-9 || len(honest.Selected) != 3 || len(honest.Selected[0]) != 5 {
		t.Errorf("frequencies sum to %v (want 10 per fit), selected %d×%d", s, len(honest.Selected), len(honest.Selected[0]))
	}
}
