package learn

import (
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
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
	const file = "testdata/folds_golden.json"
	if *updateGolden {
		b, err := marshalLines(got)
		if err != nil {
			t.Fatal(err)
		}
		f, err := safeio.Create(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(append(b, '\n')); err != nil {
			f.Abort()
			t.Fatal(err)
		}
		if err := f.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var want []foldGolden
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(got) {
		t.Fatalf("%d golden cases, computed %d", len(want), len(got))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("n %d, %d cases, k %d, seed %d: folds differ from the recorded ones", want[i].N, want[i].Pos, want[i].K, want[i].Seed)
		}
	}
}

// marshalLines writes a JSON array with one element a line.
func marshalLines[T any](v []T) ([]byte, error) {
	b := []byte("[\n")
	for i, e := range v {
		line, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		b = append(b, line...)
		if i < len(v)-1 {
			b = append(b, ',')
		}
		b = append(b, '\n')
	}
	return append(b, ']'), nil
}
