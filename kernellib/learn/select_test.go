package learn

import (
	"errors"
	"math"
	"slices"
	"sort"
	"testing"
)

type selFixture struct {
	X  [][]float64 `json:"x"`
	Y  []int       `json:"y"`
	P  []float64   `json:"mannwhitney_p"`
	R  [][]float64 `json:"pearson_r"`
	MI []struct {
		Width      float64     `json:"width"`
		Relevance  []float64   `json:"relevance"`
		Redundancy [][]float64 `json:"redundancy"`
	} `json:"mi"`
}

func loadSelect(t *testing.T) (selFixture, []bool) {
	var fx selFixture
	linReadJSON(t, "select_reference.json", &fx)
	return fx, linBools(fx.Y)
}

func selColumn(X [][]float64, j int) []float64 {
	c := make([]float64, len(X))
	for i, r := range X {
		c[i] = r[j]
	}
	return c
}

func selClose(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Max(math.Abs(b), 1e-300)
}

// TestMannWhitneyMatchesScipy: p-values against scipy.stats.mannwhitneyu
// (asymptotic, tie- and continuity-corrected), on data with many ties.
func TestMannWhitneyMatchesScipy(t *testing.T) {
	fx, y := loadSelect(t)
	for j, want := range fx.P {
		got, err := MannWhitney(selColumn(fx.X, j), y)
		if err != nil {
			t.Fatal(err)
		}
		if !selClose(got.P, want, 1e-9) {
			t.Errorf("column %d: p %.12g, scipy %.12g", j, got.P, want)
		}
	}
	// U/(mn) is the AUC.
	x := selColumn(fx.X, 0)
	mw, _ := MannWhitney(x, y)
	auc, _ := AUC(x, y)
	m := 0
	for _, v := range y {
		if v {
			m++
		}
	}
	if !selClose(mw.U/float64(m*(len(y)-m)), auc, 1e-12) {
		t.Errorf("U/(mn) = %v, AUC %v", mw.U/float64(m*(len(y)-m)), auc)
	}
	if r, _ := MannWhitney([]float64{1, 1, 1, 1}, []bool{true, false, true, false}); r.P != 1 {
		t.Errorf("all tied: p %v", r.P)
	}
	if _, err := MannWhitney([]float64{1, math.NaN()}, []bool{true, false}); !errors.Is(err, ErrNotFinite) {
		t.Errorf("NaN: %v", err)
	}
}

// TestPearsonAndMIMatchReferences: Pearson r against numpy.corrcoef and
// the discretised mutual information against scikit-learn's
// mutual_info_score.
func TestPearsonAndMIMatchReferences(t *testing.T) {
	fx, y := loadSelect(t)
	p := len(fx.X[0])
	for a := 0; a < p; a++ {
		for b := 0; b < p; b++ {
			r, err := Pearson(selColumn(fx.X, a), selColumn(fx.X, b))
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(r-fx.R[a][b]) > 1e-12 {
				t.Errorf("r(%d,%d) = %v, numpy %v", a, b, r, fx.R[a][b])
			}
		}
	}
	cls := make([]int, len(y))
	for i, v := range y {
		if v {
			cls[i] = 1
		}
	}
	for _, mi := range fx.MI {
		d := make([][]int, p)
		for j := range d {
			d[j] = Discretize3(selColumn(fx.X, j), mi.Width)
		}
		for j := 0; j < p; j++ {
			if got := MutualInformation(d[j], cls); math.Abs(got-mi.Relevance[j]) > 1e-12 {
				t.Errorf("width %v: I(x%d; y) = %v, sklearn %v", mi.Width, j, got, mi.Relevance[j])
			}
			for k := 0; k < p; k++ {
				if got := MutualInformation(d[j], d[k]); math.Abs(got-mi.Redundancy[j][k]) > 1e-12 {
					t.Errorf("width %v: I(x%d; x%d) = %v, sklearn %v", mi.Width, j, k, got, mi.Redundancy[j][k])
				}
			}
		}
	}
}

// TestMRMROrder: the greedy MID order computed from scikit-learn's
// mutual information values.
func TestMRMROrder(t *testing.T) {
	fx, y := loadSelect(t)
	p := len(fx.X[0])
	for _, mi := range fx.MI {
		var want []int
		in := make([]bool, p)
		for len(want) < 5 {
			best, bv := -1, math.Inf(-1)
			for j := 0; j < p; j++ {
				if in[j] {
					continue
				}
				v := mi.Relevance[j]
				if len(want) > 0 {
					s := 0.0
					for _, k := range want {
						s += mi.Redundancy[j][k]
					}
					v -= s / float64(len(want))
				}
				if v > bv+1e-12 {
					best, bv = j, v
				}
			}
			in[best] = true
			want = append(want, best)
		}
		tr, err := MRMR{K: 5, Width: mi.Width}.Fit(fx.X, y)
		if err != nil {
			t.Fatal(err)
		}
		s := tr.(*Selection)
		if !slices.Equal(s.Order, want) {
			t.Errorf("width %v: mRMR order %v, from sklearn's MI %v", mi.Width, s.Order, want)
		}
		if !slices.Equal(s.Keep, cvSorted(want)) || !slices.Equal(s.Columns(), s.Keep) {
			t.Errorf("width %v: Keep %v", mi.Width, s.Keep)
		}
	}
}

// TestCorrelationFilter: the kept set follows from scipy's p-values and
// numpy's correlations by the greedy rule; the filter drops the planted
// redundant columns (3 ~ 0, 7 ~ 2).
func TestCorrelationFilter(t *testing.T) {
	fx, y := loadSelect(t)
	p := len(fx.X[0])
	for _, thr := range []float64{0.3, 0.7, 0.9} {
		order := make([]int, p)
		for j := range order {
			order[j] = j
		}
		sort.SliceStable(order, func(a, b int) bool { return fx.P[order[a]] < fx.P[order[b]] })
		var want []int
		for _, j := range order {
			ok := true
			for _, k := range want {
				if math.Abs(fx.R[j][k]) > thr {
					ok = false
				}
			}
			if ok {
				want = append(want, j)
			}
		}
		slices.Sort(want)
		tr, err := CorrelationFilter{Threshold: thr}.Fit(fx.X, y)
		if err != nil {
			t.Fatal(err)
		}
		s := tr.(*Selection)
		if !slices.Equal(s.Keep, want) {
			t.Errorf("threshold %v: kept %v, want %v", thr, s.Keep, want)
		}
		if thr == 0.7 && (slices.Contains(s.Keep, 3) || slices.Contains(s.Keep, 7) || s.Partner[3] != 0 || s.Partner[7] != 2) {
			t.Errorf("threshold 0.7: kept %v, partners %v", s.Keep, s.Partner)
		}
	}
}

func TestMannWhitneyFilter(t *testing.T) {
	fx, y := loadSelect(t)
	tr, err := MannWhitneyFilter{K: 3}.Fit(fx.X, y)
	if err != nil {
		t.Fatal(err)
	}
	// The three smallest scipy p-values are columns 2, 7 and 0.
	if s := tr.(*Selection); !slices.Equal(s.Keep, []int{0, 2, 7}) {
		t.Errorf("top 3: %v", s.Keep)
	}
	out, _ := tr.Transform(fx.X)
	if len(out[0]) != 3 || out[5][1] != fx.X[5][2] {
		t.Errorf("transform: %v", out[5])
	}
	tr, err = MannWhitneyFilter{P: 0.05}.Fit(fx.X, y)
	if err != nil {
		t.Fatal(err)
	}
	if s := tr.(*Selection); !slices.Equal(s.Keep, []int{0, 2, 7}) {
		t.Errorf("p < 0.05: %v", s.Keep)
	}
	if _, err := (MannWhitneyFilter{P: 1e-9}).Fit(fx.X, y); !errors.Is(err, ErrTooFew) {
		t.Errorf("nothing selected: %v", err)
	}
	for _, f := range []MannWhitneyFilter{{}, {K: 2, P: 0.1}, {P: 2}, {K: -1}} {
		if _, err := f.Fit(fx.X, y); !errors.Is(err, ErrParameter) {
			t.Errorf("%+v: %v", f, err)
		}
	}
	if _, err := (MannWhitneyFilter{K: 2}).Fit([][]float64{{1}, {math.NaN()}}, []bool{true, false}); !errors.Is(err, ErrNotFinite) {
		t.Errorf("NaN: %v", err)
	}
	if _, err := tr.Transform([][]float64{{1, 2}}); !errors.Is(err, ErrShape) {
		t.Errorf("transform width: %v", err)
	}
}

// TestLassoSelect: the first K features to enter are those of the path;
// the CV variant keeps the non-zero coefficients of LogisticCV's model.
func TestLassoSelect(t *testing.T) {
	fx, y := loadSelect(t)
	path, err := LogisticPath{}.Fit(fx.X, y)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := LassoSelect{K: 2}.Fit(fx.X, y)
	if err != nil {
		t.Fatal(err)
	}
	s := tr.(*Selection)
	if len(s.Keep) != 2 {
		t.Fatalf("kept %v", s.Keep)
	}
	for _, j := range s.Order {
		for k := range fx.X[0] {
			if !slices.Contains(s.Order, k) && path.Entry[k] >= 0 && path.Entry[k] < path.Entry[j] {
				t.Errorf("feature %d entered at %d before selected %d at %d", k, path.Entry[k], j, path.Entry[j])
			}
		}
		if s.Score[j] != path.Lambda[path.Entry[j]] {
			t.Errorf("entry λ of %d: %v", j, s.Score[j])
		}
	}
	tr, err = LassoSelect{Folds: 5, Seed: 2}.Fit(fx.X, y)
	if err != nil {
		t.Fatal(err)
	}
	m, err := LogisticCV{Folds: 5, Seed: 2}.Fit(fx.X, y)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tr.Columns(), m.(*LogisticModel).SelectedFeatures(); !slices.Equal(got, want) {
		t.Errorf("CV lasso selection %v, LogisticCV's non-zero coefficients %v", got, want)
	}
	if _, err := (LassoSelect{Penalty: L2, K: 1}).Fit(fx.X, y); !errors.Is(err, ErrParameter) {
		t.Errorf("ridge: %v", err)
	}
}

func TestKeepColumns(t *testing.T) {
	names := []string{"a", "b", "c", "d"}
	k, err := KeepNamed(names, []string{"d", "b"})
	if err != nil || !slices.Equal(k.Columns, []int{3, 1}) {
		t.Fatalf("%v %v", k, err)
	}
	X := [][]float64{{1, 2, 3, 4}, {5, 6, 7, 8}}
	tr, err := k.Fit(X, []bool{true, false})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := tr.Transform(X)
	if !slices.Equal(out[1], []float64{6, 8}) || !slices.Equal(tr.Columns(), []int{1, 3}) {
		t.Errorf("kept %v, columns %v", out[1], tr.Columns())
	}
	if _, err := KeepNamed(names, []string{"e"}); !errors.Is(err, ErrParameter) {
		t.Errorf("unknown name: %v", err)
	}
	if _, err := KeepNamed(names, []string{"a", "a"}); !errors.Is(err, ErrParameter) {
		t.Errorf("repeated name: %v", err)
	}
	for _, c := range [][]int{{}, {4}, {1, 1}, {-1}} {
		if _, err := (KeepColumns{Columns: c}).Fit(X, nil); !errors.Is(err, ErrParameter) {
			t.Errorf("columns %v: %v", c, err)
		}
	}
}
