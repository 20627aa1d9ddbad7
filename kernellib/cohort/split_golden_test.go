package cohort

import (
	"flag"
	"reflect"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/internal/golden"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/partitions_golden.json from the current code")

// goldenLabels are the label vectors of the golden partitions: two classes
// spread evenly (the shape of the paper's cohort and a small one) and three
// classes in a fixed irregular order, so that the order of first appearance
// matters.
func goldenLabels() map[string][]string {
	out := map[string][]string{}
	for _, c := range []struct {
		name    string
		n, nPos int
	}{{"n130_pos52", 130, 52}, {"n13_pos5", 13, 5}} {
		y := labels(c.n, c.nPos)
		s := make([]string, len(y))
		for i, v := range y {
			s[i] = map[bool]string{true: ResponseOR, false: ResponseNR}[v]
		}
		out[c.name] = s
	}
	three := make([]string, 41)
	for i := range three {
		three[i] = []string{"NR", "OR", "SD"}[(i*7+3)%5%3]
	}
	out["n41_three"] = three
	return out
}

// goldenCase is one labels × seed case of testdata/partitions_golden.json.
type goldenCase struct {
	Labels  string        `json:"labels"`
	Seed    uint64        `json:"seed"`
	Split   Partition     `json:"split"`
	Paper   Partition     `json:"paper"`
	Resplit []Partition   `json:"resplit"`
	KFold   [][]Partition `json:"kfold"`
}

func goldenCases(t *testing.T) []goldenCase {
	var out []goldenCase
	ls := goldenLabels()
	for _, name := range []string{"n130_pos52", "n13_pos5", "n41_three"} {
		lab := ls[name]
		for _, seed := range []uint64{1, 42, 2020, 0xdeadbeef} {
			g := goldenCase{Labels: name, Seed: seed}
			var err error
			if g.Split, err = StratifiedSplit(lab, len(lab)/2, seed); err != nil {
				t.Fatal(err)
			}
			if g.Paper, err = PaperSplit(lab, seed); err != nil {
				t.Fatal(err)
			}
			if g.Resplit, err = Resplits(lab, PaperTrainSize(len(lab)), 3, seed); err != nil {
				t.Fatal(err)
			}
			if g.KFold, err = RepeatedStratifiedKFold(lab, 4, 2, seed); err != nil {
				t.Fatal(err)
			}
			out = append(out, g)
		}
	}
	return out
}

// TestSplitsGolden checks that StratifiedSplit, PaperSplit, Resplits and
// RepeatedStratifiedKFold draw exactly the partitions recorded in
// testdata/partitions_golden.json, written by the code of commit 0e0936a
// (before the splits moved to kernellib/internal/split): the study's
// committed results depend on these partitions. Regenerate only on purpose:
// go test ./kernellib/cohort -run TestSplitsGolden -args -update-golden.
func TestSplitsGolden(t *testing.T) {
	got := goldenCases(t)
	want := golden.Lines(t, "testdata/partitions_golden.json", got, *updateGolden)
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("labels %s seed %d: partitions differ from the recorded ones", want[i].Labels, want[i].Seed)
		}
	}
}
