package learn

import (
	"errors"
	"math"
	"testing"
)

type plattFixture struct {
	Decision []float64 `json:"decision"`
	Y        []bool    `json:"y"`
	SkA      float64   `json:"sklearn_A"`
	SkB      float64   `json:"sklearn_B"`
	A, B     float64
	Obj      float64 `json:"objective"`
	Pipeline struct {
		C     float64 `json:"C"`
		Gamma float64 `json:"gamma"`
		Folds []int   `json:"folds"`
		A, B  float64
		Proba []float64 `json:"proba"`
	} `json:"pipeline"`
}

// TestFitPlattAgainstSklearn compares the Newton fit (Lin, Lin & Weng 2007)
// with scikit-learn's _sigmoid_calibration (BFGS on the same objective) and
// with a Nelder–Mead minimisation of it at tolerance 1e-12 (SciPy).
func TestFitPlattAgainstSklearn(t *testing.T) {
	var fx plattFixture
	readJSON(t, "svm_platt.json", &fx)
	s, err := FitPlatt(fx.Decision, fx.Y)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("A %.8f B %.8f; scipy %.8f %.8f; sklearn %.8f %.8f", s.A, s.B, fx.A, fx.B, fx.SkA, fx.SkB)
	for _, ref := range [][2]float64{{fx.A, fx.B}, {fx.SkA, fx.SkB}} {
		if math.Abs(s.A-ref[0]) > 1e-4 || math.Abs(s.B-ref[1]) > 1e-4 {
			t.Errorf("(A, B) = (%.7f, %.7f), want (%.7f, %.7f)", s.A, s.B, ref[0], ref[1])
		}
	}
	// The objective at our optimum is no worse than SciPy's.
	var n1, n0 float64
	for _, v := range fx.Y {
		if v {
			n1++
		} else {
			n0++
		}
	}
	var obj float64
	for i, f := range fx.Decision {
		tgt := 1 / (n0 + 2)
		if fx.Y[i] {
			tgt = (n1 + 1) / (n1 + 2)
		}
		p := s.Prob(f)
		obj -= tgt*math.Log(p) + (1-tgt)*math.Log(1-p)
	}
	if obj > fx.Obj+1e-9 {
		t.Errorf("objective %.12g > SciPy's %.12g", obj, fx.Obj)
	}
}

// TestPlattPipelineAgainstSklearn runs the whole Platt scheme — SVMs fitted
// on each fold's complement, cross-validated decision values, the sigmoid,
// the full-data SVM — with the fixture's folds, and compares with
// scikit-learn's CalibratedClassifierCV(SVC, method="sigmoid",
// ensemble=False) on the same folds: (A, B) to 1e-4 (scikit-learn's BFGS
// stops at gtol 1e-5), probabilities to 1e-4.
func TestPlattPipelineAgainstSklearn(t *testing.T) {
	var fx plattFixture
	readJSON(t, "svm_platt.json", &fx)
	var data svmFixture
	readJSON(t, "svm_moons.json", &data)
	pl := fx.Pipeline
	X, y := data.X[:data.NTrain], data.Y[:data.NTrain]
	s := SVM{Kernel: RBF, C: pl.C, Gamma: pl.Gamma, Tol: 1e-9}
	dec, err := plattDecisions(s, pl.Gamma, X, y, pl.Folds, 5)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := FitPlatt(dec, y)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(sig.A-pl.A) > 1e-4 || math.Abs(sig.B-pl.B) > 1e-4 {
		t.Errorf("(A, B) = (%.7f, %.7f), sklearn (%.7f, %.7f)", sig.A, sig.B, pl.A, pl.B)
	}
	m, err := s.FitSVM(X, y)
	if err != nil {
		t.Fatal(err)
	}
	m.Platt = sig
	pr, err := m.PredictProba(data.X)
	if err != nil {
		t.Fatal(err)
	}
	for i := range pr {
		if math.Abs(pr[i]-pl.Proba[i]) > 1e-4 {
			t.Errorf("row %d: P = %.6f, sklearn %.6f", i, pr[i], pl.Proba[i])
		}
	}
}

// TestPlattOneClassFold: a fold whose complement holds one class gets
// decision values ±1, as LIBSVM does.
func TestPlattOneClassFold(t *testing.T) {
	X := [][]float64{{0}, {1}, {2}, {3}, {4}, {5}}
	y := []bool{true, false, false, false, false, false}
	// Fold 0 holds the only case: its complement is all controls.
	dec, err := plattDecisions(SVM{C: 1}, 0, X, y, []int{0, 1, 1, 0, 1, 1}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if dec[0] != -1 || dec[3] != -1 {
		t.Errorf("fold with a one-class complement: %v, want −1", dec[:4])
	}
}

func TestPlattProbExtremes(t *testing.T) {
	s := Platt{A: -1, B: 0}
	for _, c := range []struct{ f, want float64 }{{1e4, 1}, {-1e4, 0}, {0, 0.5}} {
		if got := s.Prob(c.f); math.Abs(got-c.want) > 1e-15 || math.IsNaN(got) {
			t.Errorf("Prob(%g) = %v, want %v", c.f, got, c.want)
		}
	}
}

func TestFitPlattBadInput(t *testing.T) {
	for _, c := range []struct {
		f    []float64
		y    []bool
		want error
	}{
		{[]float64{1, 2}, []bool{true}, ErrShape},
		{[]float64{1, math.NaN()}, []bool{true, false}, ErrNotFinite},
		{[]float64{1, math.Inf(1)}, []bool{true, false}, ErrNotFinite},
		{[]float64{1, 2}, []bool{true, true}, ErrOneClass},
	} {
		if _, err := FitPlatt(c.f, c.y); !errors.Is(err, c.want) {
			t.Errorf("FitPlatt(%v, %v): %v, want %v", c.f, c.y, err, c.want)
		}
	}
}
