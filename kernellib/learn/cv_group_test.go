package learn

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

func TestGroupedStratifiedKFoldOneRowPerGroup(t *testing.T) {
	for _, c := range []struct{ n, pos, k int }{{89, 36, 5}, {30, 12, 3}, {17, 6, 5}} {
		y := make([]bool, c.n)
		g := make([]string, c.n)
		for i := range y {
			y[i] = (i+1)*c.pos/c.n > i*c.pos/c.n
			g[i] = fmt.Sprintf("P%d", c.n-i)
		}
		for _, seed := range []uint64{0, 42} {
			a, err1 := RepeatedGroupedStratifiedKFold(y, g, c.k, 3, seed)
			b, err2 := RepeatedStratifiedKFold(y, c.k, 3, seed)
			if err1 != nil || err2 != nil || !reflect.DeepEqual(a, b) {
				t.Errorf("n %d seed %d: grouped folds differ from the ungrouped ones (%v, %v)", c.n, seed, err1, err2)
			}
		}
	}
}

func TestGroupedStratifiedKFoldKeepsGroups(t *testing.T) {
	// 40 patients with 1–3 lesions each, lesions of a patient spread over
	// the rows; every seventh patient's lesions disagree.
	var y []bool
	var g []string
	for l := 0; l < 3; l++ {
		for p := 0; p < 40; p++ {
			if l <= p%3 {
				y = append(y, (p%5 < 2) != (p%7 == 0 && l == 0))
				g = append(g, fmt.Sprintf("P%02d", p))
			}
		}
	}
	for seed := uint64(0); seed < 10; seed++ {
		folds, err := GroupedStratifiedKFold(y, g, 4, seed)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkFolds(folds, len(y)); err != nil {
			t.Fatal(err)
		}
		fold := map[string]int{}
		for f, fo := range folds {
			patients := map[string]bool{}
			for _, i := range fo.Test {
				if h, ok := fold[g[i]]; ok && h != f {
					t.Fatalf("seed %d: patient %s in test folds %d and %d", seed, g[i], h, f)
				}
				fold[g[i]] = f
				patients[g[i]] = true
			}
			if len(patients) != 10 {
				t.Errorf("seed %d fold %d: %d patients, want 10", seed, f, len(patients))
			}
		}
	}
	if _, err := GroupedStratifiedKFold(y, g[1:], 4, 0); !errors.Is(err, ErrShape) {
		t.Errorf("groups of another length: %v, want ErrShape", err)
	}
	// 3 patients with a responding and a non-responding lesion each: the tie
	// rule labels all three by their first lesion (a case), so no control
	// group is left for 2 folds although the lesions would do.
	if _, err := GroupedStratifiedKFold([]bool{true, false, true, false, true, false}, []string{"a", "a", "b", "b", "c", "c"}, 2, 0); !errors.Is(err, ErrTooFew) {
		t.Errorf("3 groups, all labelled case, for 2 folds: %v, want ErrTooFew", err)
	}
}

// CrossValidate with CVOptions.Groups cross-validates over the grouped folds.
func TestCrossValidateGroups(t *testing.T) {
	var fx struct {
		Datasets []linSet `json:"datasets"`
	}
	linReadJSON(t, "logistic_sklearn.json", &fx)
	ds := fx.Datasets[0]
	y := linBools(ds.Y)
	g := make([]string, len(y))
	for i := range g {
		g[i] = fmt.Sprint("P", i/2) // pairs of rows are one patient
	}
	opt := CVOptions{Folds: 3, Repeats: 2, Seed: 3, Groups: g}
	res, err := CrossValidate(Logistic{Penalty: L2, C: 1}, ds.X, y, opt)
	if err != nil {
		t.Fatal(err)
	}
	want, err := RepeatedGroupedStratifiedKFold(y, g, 3, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Folds, want) {
		t.Error("CrossValidate with Groups did not use the grouped folds")
	}
}
