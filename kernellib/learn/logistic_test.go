package learn

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// linReadJSON decodes a fixture of testdata into v.
func linReadJSON(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func linBools(y []int) []bool {
	out := make([]bool, len(y))
	for i, v := range y {
		out[i] = v == 1
	}
	return out
}

type linFit struct {
	Penalty      string    `json:"penalty"`
	C            float64   `json:"C"`
	L1Ratio      float64   `json:"l1_ratio"`
	Lambda       float64   `json:"lambda"`
	InterceptStd float64   `json:"intercept_std"`
	CoefStd      []float64 `json:"coef_std"`
	Intercept    float64   `json:"intercept"`
	Coef         []float64 `json:"coef"`
	ObjSklearn   float64   `json:"objective_sklearn"`
	ObjMean      float64   `json:"objective_mean"`
	Nonzero      int       `json:"nonzero"`
}

type linSet struct {
	Name string      `json:"name"`
	X    [][]float64 `json:"x"`
	Y    []int       `json:"y"`
	Fits []linFit    `json:"fits"`
}

func linPenalty(t testing.TB, s string) Penalty {
	switch s {
	case "l1":
		return L1
	case "l2":
		return L2
	case "elasticnet":
		return ElasticNet
	}
	t.Fatalf("penalty %q", s)
	return 0
}

// linStandardise standardises X with the model's means and scales.
func linStandardise(X [][]float64, mean, scale []float64) [][]float64 {
	out := make([][]float64, len(X))
	for i, row := range X {
		out[i] = make([]float64, len(row))
		for j, v := range row {
			if scale[j] > 0 {
				out[i][j] = (v - mean[j]) / scale[j]
			}
		}
	}
	return out
}

// TestLogisticMatchesSklearn fits L1, L2 and elastic-net logistic
// regressions at scikit-learn's C and compares coefficients (both scales)
// and objective values with LogisticRegression's (saga / newton-cg at tight
// tolerances, testdata/make_fixtures_linear.py).
func TestLogisticMatchesSklearn(t *testing.T) {
	var fx struct {
		Versions map[string]string `json:"versions"`
		Datasets []linSet          `json:"datasets"`
	}
	linReadJSON(t, "logistic_sklearn.json", &fx)
	if fx.Versions["sklearn"] == "" || len(fx.Datasets) != 2 {
		t.Fatalf("fixture: versions %v, %d datasets", fx.Versions, len(fx.Datasets))
	}
	const tol = 1e-4
	for _, ds := range fx.Datasets {
		y := linBools(ds.Y)
		n := float64(len(y))
		for _, f := range ds.Fits {
			name := ds.Name + " " + f.Penalty
			est := Logistic{Penalty: linPenalty(t, f.Penalty), C: f.C, Tol: 1e-12}
			if est.Penalty == ElasticNet {
				est.L1Ratio = f.L1Ratio
			}
			m, err := est.FitLogistic(ds.X, y)
			if err != nil {
				t.Fatalf("%s C=%v: %v", name, f.C, err)
			}
			if math.Abs(m.Lambda-1/(n*f.C)) > 1e-15 {
				t.Errorf("%s C=%v: λ %v, want 1/(nC) = %v", name, f.C, m.Lambda, 1/(n*f.C))
			}
			if d := math.Abs(m.StdIntercept - f.InterceptStd); d > tol {
				t.Errorf("%s C=%v: standardised intercept %.8f, sklearn %.8f", name, f.C, m.StdIntercept, f.InterceptStd)
			}
			if d := math.Abs(m.Intercept - f.Intercept); d > tol*math.Max(1, math.Abs(f.Intercept)) {
				t.Errorf("%s C=%v: intercept %.8f, sklearn %.8f", name, f.C, m.Intercept, f.Intercept)
			}
			nz := 0
			for j := range f.CoefStd {
				if d := math.Abs(m.StdCoef[j] - f.CoefStd[j]); d > tol {
					t.Errorf("%s C=%v: standardised coef %d = %.8f, sklearn %.8f", name, f.C, j, m.StdCoef[j], f.CoefStd[j])
				}
				if d := math.Abs(m.Coef[j] - f.Coef[j]); d > tol*math.Max(1, math.Abs(f.Coef[j])) {
					t.Errorf("%s C=%v: coef %d = %.8g, sklearn %.8g", name, f.C, j, m.Coef[j], f.Coef[j])
				}
				if m.StdCoef[j] != 0 {
					nz++
				}
			}
			if nz != f.Nonzero {
				t.Errorf("%s C=%v: %d non-zero coefficients, sklearn %d", name, f.C, nz, f.Nonzero)
			}
			xs := linStandardise(ds.X, m.Mean, m.Scale)
			obj, err := LogisticObjective(xs, y, m.StdIntercept, m.StdCoef, m.Lambda, m.Alpha)
			if err != nil {
				t.Fatal(err)
			}
			if d := math.Abs(obj - f.ObjMean); d > tol*f.ObjMean {
				t.Errorf("%s C=%v: objective %.10f, sklearn %.10f", name, f.C, obj, f.ObjMean)
			}
			if d := math.Abs(obj*n*f.C - f.ObjSklearn); d > tol*f.ObjSklearn {
				t.Errorf("%s C=%v: objective (sklearn scale) %.10f, sklearn %.10f", name, f.C, obj*n*f.C, f.ObjSklearn)
			}
			// The same fit with λ given directly.
			ml, err := Logistic{Penalty: est.Penalty, L1Ratio: est.L1Ratio, Lambda: f.Lambda, Tol: 1e-12}.FitLogistic(ds.X, y)
			if err != nil {
				t.Fatal(err)
			}
			for j := range ml.StdCoef {
				if math.Abs(ml.StdCoef[j]-m.StdCoef[j]) > 1e-9 {
					t.Errorf("%s: λ and C parameterisations differ at coef %d: %v, %v", name, j, ml.StdCoef[j], m.StdCoef[j])
				}
			}
		}
	}
}

// linKKT returns the largest violation of the optimality conditions of the
// penalised objective at a standardised-scale solution.
func linKKT(X [][]float64, y []bool, b0 float64, beta []float64, lam, alpha float64) float64 {
	n := float64(len(X))
	g := make([]float64, len(beta))
	g0 := 0.0
	for i, row := range X {
		e := b0
		for j, b := range beta {
			e += b * row[j]
		}
		r := lrSigmoid(e)
		if y[i] {
			r--
		}
		g0 += r / n
		for j := range beta {
			g[j] += row[j] * r / n
		}
	}
	worst := math.Abs(g0)
	for j, b := range beta {
		gj := g[j] + lam*(1-alpha)*b
		var v float64
		if b != 0 {
			v = math.Abs(gj + lam*alpha*math.Copysign(1, b))
		} else {
			v = math.Max(math.Abs(gj)-lam*alpha, 0)
		}
		worst = math.Max(worst, v)
	}
	return worst
}

// TestPathKKT checks every solution of default paths (L1, L2, elastic net)
// against the optimality conditions, and λ_max against its definition.
func TestPathKKT(t *testing.T) {
	var fx struct {
		Datasets []linSet `json:"datasets"`
	}
	linReadJSON(t, "logistic_sklearn.json", &fx)
	for _, ds := range fx.Datasets {
		y := linBools(ds.Y)
		for _, lp := range []LogisticPath{{Penalty: L1}, {Penalty: L2}, {Penalty: ElasticNet, L1Ratio: 0.4}} {
			lp.Tol = 1e-12
			path, err := lp.Fit(ds.X, y)
			if err != nil {
				t.Fatal(err)
			}
			if len(path.Lambda) < 10 || len(path.Lambda) > DefaultNLambda {
				t.Errorf("%s %v: %d λ values", ds.Name, lp.Penalty, len(path.Lambda))
			}
			xs := linStandardise(ds.X, path.Mean, path.Scale)
			for k, lam := range path.Lambda {
				if v := linKKT(xs, y, path.StdIntercept[k], path.StdCoef[k], lam, path.Alpha); v > 1e-6 {
					t.Errorf("%s %v: λ[%d] = %.4g: KKT violation %.3g", ds.Name, lp.Penalty, k, lam, v)
				}
				if k > 0 && lam >= path.Lambda[k-1] {
					t.Errorf("%s %v: λ not decreasing at %d", ds.Name, lp.Penalty, k)
				}
			}
			if lp.Penalty != L2 {
				if path.DF[0] != 0 {
					t.Errorf("%s %v: %d non-zero coefficients at λ_max", ds.Name, lp.Penalty, path.DF[0])
				}
				// Just below λ_max one coefficient enters.
				below, err := Logistic{Penalty: lp.Penalty, L1Ratio: lp.L1Ratio, Lambda: path.Lambda[0] * 0.999, Tol: 1e-12}.FitLogistic(ds.X, y)
				if err != nil {
					t.Fatal(err)
				}
				if s := below.SelectedFeatures(); len(s) != 1 {
					t.Errorf("%s %v: %d features just below λ_max, want 1", ds.Name, lp.Penalty, len(s))
				}
			}
			if r := path.DevRatio[len(path.DevRatio)-1]; !(r > 0 && r < 1) {
				t.Errorf("%s %v: deviance ratio %v", ds.Name, lp.Penalty, r)
			}
		}
	}
}

// TestLogisticCVMatchesSklearn compares the per-fold test criteria of
// LogisticCV on given folds and λ = 1/(n_train·C) with scikit-learn's
// StandardScaler → LogisticRegression fitted on the same folds, and the λ
// the min rule picks with the C of the best mean score.
func TestLogisticCVMatchesSklearn(t *testing.T) {
	var fx struct {
		X     [][]float64 `json:"x"`
		Y     []int       `json:"y"`
		Folds [][]int     `json:"test_folds"`
		Cs    []float64   `json:"Cs"`
		Runs  []struct {
			Penalty    string      `json:"penalty"`
			Scoring    string      `json:"scoring"`
			FoldScores [][]float64 `json:"fold_scores"`
			BestIndex  int         `json:"best_index"`
		} `json:"runs"`
	}
	linReadJSON(t, "logistic_cv_sklearn.json", &fx)
	y := linBools(fx.Y)
	fold := make([]int, len(y))
	for f, te := range fx.Folds {
		for _, i := range te {
			fold[i] = f
		}
	}
	folds := foldsFromAssignment(fold, len(fx.Folds))
	nTrain := len(folds[0].Train)
	lams := make([]float64, len(fx.Cs))
	for k, c := range fx.Cs {
		lams[k] = 1 / (float64(nTrain) * c)
		for _, fo := range folds {
			if len(fo.Train) != nTrain {
				t.Fatalf("fold sizes differ: λ = 1/(n·C) would differ between folds")
			}
		}
	}
	for _, run := range fx.Runs {
		crit := Deviance
		if run.Scoring == "roc_auc" {
			crit = AUCCriterion
		}
		c := LogisticCV{Penalty: linPenalty(t, run.Penalty), Lambdas: lams, Criterion: crit, Tol: 1e-12}
		m, _, err := c.fitFolds(fx.X, y, folds)
		if err != nil {
			t.Fatal(err)
		}
		for f, scores := range run.FoldScores {
			for k, s := range scores {
				want := s
				if crit == Deviance {
					want = -2 * s // neg_log_loss → deviance
				}
				if got := m.CV.PerFold[f][k]; math.Abs(got-want) > 1e-4 {
					t.Errorf("%s %s fold %d C=%.4g: %v, sklearn %v", run.Penalty, run.Scoring, f, fx.Cs[k], got, want)
				}
			}
		}
		if m.CV.IndexMin != run.BestIndex {
			t.Errorf("%s %s: min rule picks index %d, sklearn's best C is index %d", run.Penalty, run.Scoring, m.CV.IndexMin, run.BestIndex)
		}
		if m.Lambda != lams[m.CV.Index] {
			t.Errorf("model λ %v, CV λ %v", m.Lambda, lams[m.CV.Index])
		}
	}
}

// TestLogisticCVRules checks the min and 1-SE rules against their
// definitions on a default path.
func TestLogisticCVRules(t *testing.T) {
	var fx struct {
		Datasets []linSet `json:"datasets"`
	}
	linReadJSON(t, "logistic_sklearn.json", &fx)
	ds := fx.Datasets[1]
	y := linBools(ds.Y)
	for _, crit := range []Criterion{Deviance, AUCCriterion} {
		m1se, path, err := LogisticCV{Folds: 5, Seed: 3, Criterion: crit, Rule: OneSERule}.FitPath(ds.X, y)
		if err != nil {
			t.Fatal(err)
		}
		cv := m1se.CV
		mMin, err := path.Model(cv.IndexMin)
		if err != nil {
			t.Fatal(err)
		}
		sign := 1.0
		if crit == AUCCriterion {
			sign = -1
		}
		for k := range cv.Mean {
			if sign*cv.Mean[k] < sign*cv.Mean[cv.IndexMin] {
				t.Errorf("%v: index %d beats the min rule's %d", crit, k, cv.IndexMin)
			}
		}
		i1 := cv.Index1SE
		if cv.Index != i1 || i1 > cv.IndexMin || m1se.Lambda != cv.Lambda1SE || mMin.Lambda != cv.LambdaMin {
			t.Errorf("%v: indices min %d, 1se %d, chosen %d", crit, cv.IndexMin, i1, cv.Index)
		}
		bound := cv.Mean[cv.IndexMin] + sign*cv.SE[cv.IndexMin]
		if sign*cv.Mean[i1] > sign*bound {
			t.Errorf("%v: 1-SE λ outside one SE", crit)
		}
		if i1 > 0 && sign*cv.Mean[i1-1] <= sign*bound {
			t.Errorf("%v: a larger λ is within one SE", crit)
		}
		if m1se.Lambda < mMin.Lambda || len(m1se.SelectedFeatures()) > len(mMin.SelectedFeatures()) {
			t.Errorf("%v: 1-SE λ %v (%d features), min λ %v (%d)", crit, m1se.Lambda, len(m1se.SelectedFeatures()), mMin.Lambda, len(mMin.SelectedFeatures()))
		}
		if len(path.Lambda) != len(cv.Mean) || len(cv.PerFold) != 5 {
			t.Errorf("%v: %d λ but %d CV means, %d folds", crit, len(path.Lambda), len(cv.Mean), len(cv.PerFold))
		}
		// cvm and cvsd from the per-fold values, as cv.glmnet.
		k := cv.IndexMin
		m, s := 0.0, 0.0
		for f, e := range cv.PerFold {
			m += float64(len(cv.Folds[f].Test)) * e[k]
		}
		m /= float64(len(y))
		for f, e := range cv.PerFold {
			s += float64(len(cv.Folds[f].Test)) * (e[k] - m) * (e[k] - m)
		}
		if math.Abs(m-cv.Mean[k]) > 1e-12 || math.Abs(math.Sqrt(s/float64(len(y))/4)-cv.SE[k]) > 1e-12 {
			t.Errorf("%v: cvm %v cvsd %v, recomputed %v %v", crit, cv.Mean[k], cv.SE[k], m, math.Sqrt(s/float64(len(y))/4))
		}
	}
}

func TestLogisticErrors(t *testing.T) {
	X := [][]float64{{1, 2}, {2, 1}, {3, 5}, {4, 3}, {5, 5}, {6, 1}}
	y := []bool{true, false, true, false, true, false}
	for _, c := range []struct {
		name string
		est  Estimator
		want error
	}{
		{"no penalty value", Logistic{}, ErrParameter},
		{"both", Logistic{C: 1, Lambda: 1}, ErrParameter},
		{"negative C", Logistic{C: -1}, ErrParameter},
		{"l1 ratio", Logistic{Penalty: ElasticNet, L1Ratio: 1, C: 1}, ErrParameter},
		{"penalty", Logistic{Penalty: 7, C: 1}, ErrParameter},
		{"tol", Logistic{C: 1, Tol: -1}, ErrParameter},
		{"lambdas", LogisticCV{Lambdas: []float64{1, 2}, Folds: 2}, ErrParameter},
		{"folds", LogisticCV{Folds: 4}, ErrTooFew},
		{"rule", LogisticCV{Folds: 2, Rule: 5}, ErrParameter},
	} {
		if _, err := c.est.Fit(X, y); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	nan := [][]float64{{1, 2}, {math.NaN(), 1}, {3, 5}, {4, 3}}
	if _, err := (Logistic{C: 1}).Fit(nan, y[:4]); !errors.Is(err, ErrNotFinite) {
		t.Errorf("NaN: %v", err)
	}
	if _, err := (Logistic{C: 1}).Fit(X, []bool{true, true, true, true, true, true}); !errors.Is(err, ErrOneClass) {
		t.Errorf("one class: %v", err)
	}
	constant := [][]float64{{1, 7}, {1, 7}, {1, 7}, {1, 7}}
	if _, err := (Logistic{C: 1}).Fit(constant, y[:4]); !errors.Is(err, ErrConstant) {
		t.Errorf("all constant: %v", err)
	}
	m, err := (Logistic{C: 1}).Fit(X, y)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.PredictProba([][]float64{{1, 2, 3}}); !errors.Is(err, ErrShape) {
		t.Errorf("predict with 3 columns: %v", err)
	}
	if _, err := (Logistic{MaxIter: 1, C: 100, Tol: 1e-14}).Fit(X, y); !errors.Is(err, ErrNoConvergence) {
		t.Errorf("MaxIter 1: %v", err)
	}
}

// TestLogisticConstantColumn: a constant column gets a zero coefficient,
// is recorded, and the other coefficients are those of the fit without it.
func TestLogisticConstantColumn(t *testing.T) {
	var fx struct {
		Datasets []linSet `json:"datasets"`
	}
	linReadJSON(t, "logistic_sklearn.json", &fx)
	ds := fx.Datasets[0]
	y := linBools(ds.Y)
	withConst := make([][]float64, len(ds.X))
	for i, row := range ds.X {
		withConst[i] = append([]float64{row[0], 42}, row[1:]...)
	}
	a, err := Logistic{C: 0.3, Tol: 1e-12}.FitLogistic(ds.X, y)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Logistic{C: 0.3, Tol: 1e-12}.FitLogistic(withConst, y)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Constant) != 1 || b.Constant[0] != 1 || b.Coef[1] != 0 || b.StdCoef[1] != 0 {
		t.Fatalf("constant column: Constant %v, coef %v", b.Constant, b.Coef[1])
	}
	for j := range a.Coef {
		k := j
		if j > 0 {
			k = j + 1
		}
		if math.Abs(a.Coef[j]-b.Coef[k]) > 1e-9 {
			t.Errorf("coef %d: %v without the constant column, %v with", j, a.Coef[j], b.Coef[k])
		}
	}
	if math.Abs(a.Intercept-b.Intercept) > 1e-9 {
		t.Errorf("intercept %v vs %v", a.Intercept, b.Intercept)
	}
	// Prediction agrees between the scales.
	pa, _ := a.PredictProba(ds.X)
	eta, _ := a.LinearPredictor(ds.X)
	xs := linStandardise(ds.X, a.Mean, a.Scale)
	for i := range pa {
		e := a.StdIntercept
		for j, c := range a.StdCoef {
			e += c * xs[i][j]
		}
		if math.Abs(e-eta[i]) > 1e-9 || math.Abs(lrSigmoid(e)-pa[i]) > 1e-12 {
			t.Fatalf("row %d: η %v on the standardised scale, %v on the original", i, e, eta[i])
		}
	}
}

// TestLassoDuplicateColumns: an exact copy of a column (or a linear
// function of it) ties with it. The lasso solution is then not unique —
// only the sum of the tied standardised coefficients is — and the fit must
// be that of the data without the copies; no copy gets rounding noise.
func TestLassoDuplicateColumns(t *testing.T) {
	var fx struct {
		Datasets []linSet `json:"datasets"`
	}
	linReadJSON(t, "logistic_sklearn.json", &fx)
	ds := fx.Datasets[0]
	y := linBools(ds.Y)
	dup := make([][]float64, len(ds.X))
	for i, row := range ds.X {
		dup[i] = append(append([]float64(nil), row...), row[0], 3*row[0]-1)
	}
	for _, c := range []float64{0.3, 2} {
		a, err := Logistic{C: c}.FitLogistic(ds.X, y)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Logistic{C: c}.FitLogistic(dup, y)
		if err != nil {
			t.Fatal(err)
		}
		p := len(ds.X[0])
		for _, v := range b.StdCoef[p:] {
			if v != 0 && math.Abs(v) < 1e-8 {
				t.Errorf("C=%v: a copy got %v", c, v)
			}
		}
		if sum := b.StdCoef[0] + b.StdCoef[p] + b.StdCoef[p+1]; math.Abs(sum-a.StdCoef[0]) > 1e-4 {
			t.Errorf("C=%v: tied coefficients sum to %v, %v without copies", c, sum, a.StdCoef[0])
		}
		for j := 1; j < p; j++ {
			if math.Abs(a.StdCoef[j]-b.StdCoef[j]) > 1e-4 {
				t.Errorf("C=%v: coef %d %v without copies, %v with", c, j, a.StdCoef[j], b.StdCoef[j])
			}
		}
		if math.Abs(a.Deviance-b.Deviance) > 1e-6*a.Deviance {
			t.Errorf("C=%v: deviance %v without copies, %v with", c, a.Deviance, b.Deviance)
		}
	}
}

// TestLogisticCVWorkers: the CV curve and the model do not depend on the
// number of goroutines.
func TestLogisticCVWorkers(t *testing.T) {
	var fx struct {
		Datasets []linSet `json:"datasets"`
	}
	linReadJSON(t, "logistic_sklearn.json", &fx)
	ds := fx.Datasets[1]
	y := linBools(ds.Y)
	a, err := LogisticCV{Folds: 5, Seed: 2, Workers: 1}.Fit(ds.X, y)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LogisticCV{Folds: 5, Seed: 2, Workers: 4}.Fit(ds.X, y)
	if err != nil {
		t.Fatal(err)
	}
	ma, mb := a.(*LogisticModel), b.(*LogisticModel)
	for k := range ma.CV.Mean {
		if ma.CV.Mean[k] != mb.CV.Mean[k] || ma.CV.SE[k] != mb.CV.SE[k] {
			t.Fatalf("λ %d: CV %v ± %v with 1 worker, %v ± %v with 4", k, ma.CV.Mean[k], ma.CV.SE[k], mb.CV.Mean[k], mb.CV.SE[k])
		}
	}
	for j := range ma.Coef {
		if ma.Coef[j] != mb.Coef[j] {
			t.Fatalf("coef %d differs", j)
		}
	}
}
