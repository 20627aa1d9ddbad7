package learn

import (
	"flag"
	"reflect"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/internal/golden"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/folds_golden.json from the current code")

// foldGolden is one case of testdata/folds_golden.json.
type foldGolden struct {
	N, Pos, K, Repeats int
	Seed               uint64
	Folds              [][]Fold
}

// TestStratifiedKFoldGolden checks that RepeatedStratifiedKFold (and so
// StratifiedKFold, LogisticCV, GridSearch and CrossValidate) deals exactly the
// folds recorded in testdata/folds_golden.json, written by the code of commit
// 0e0936a (before the folds moved to kernellib/internal/split): the study's
// committed results depend on them. Regenerate only on purpose:
// go test ./kernellib/learn -run TestStratifiedKFoldGolden -args -update-golden.
func TestStratifiedKFoldGolden(t *testing.T) {
	var got []foldGolden
	for _, c := range []struct{ n, pos, k int }{{89, 36, 5}, {89, 36, 10}, {30, 12, 3}, {17, 6, 5}} {
		y := make([]bool, c.n)
		for i := range y {
			y[i] = (i+1)*c.pos/c.n > i*c.pos/c.n
		}
		for _, seed := range []uint64{0, 1, 42, 0xdeadbeef} {
			f, err := RepeatedStratifiedKFold(y, c.k, 2, seed)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, foldGolden{N: c.n, Pos: c.pos, K: c.k, Repeats: 2, Seed: seed, Folds: f})
		}
	}
	want := golden.Lines(t, "testdata/folds_golden.json", got, *updateGolden)
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("n %d, %d cases, k %d, seed %d: folds differ from the recorded ones", want[i].N, want[i].Pos, want[i].K, want[i].Seed)
		}
	}
}
