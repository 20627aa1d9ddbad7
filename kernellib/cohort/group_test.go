package cohort

import (
	"fmt"
	"reflect"
	"testing"
)

// lesionCohort returns the outcomes and patients of nPatients patients with
// 1, 2 or 3 lesions (in turn), the lesions of a patient adjacent or, when
// interleave, spread over the rows; a patient's lesions share its outcome
// except every fifth patient's, whose first lesion differs.
func lesionCohort(nPatients int, interleave bool) ([]bool, []string) {
	var y []bool
	var g []string
	for round := 0; round < 3; round++ {
		for p := 0; p < nPatients; p++ {
			lesions := 1 + p%3
			or := p%5 < 2
			for l := 0; l < lesions; l++ {
				if interleave && l != round || !interleave && round > 0 {
					continue
				}
				g = append(g, fmt.Sprintf("P%03d", p))
				y = append(y, or != (p%5 == 4 && l == 0))
			}
		}
	}
	return y, g
}

// checkWhole checks that no group has rows on both sides of p.
func checkWhole(t *testing.T, what string, p Partition, groups []string) {
	t.Helper()
	side := map[string]bool{}
	for _, part := range []struct {
		idx   []int
		train bool
	}{{p.Train, true}, {p.Test, false}} {
		for _, i := range part.idx {
			if s, ok := side[groups[i]]; ok && s != part.train {
				t.Fatalf("%s: patient %s is on both sides", what, groups[i])
			}
			side[groups[i]] = part.train
		}
	}
}

func TestGroupedSplitsKeepPatientsWhole(t *testing.T) {
	for _, interleave := range []bool{false, true} {
		y, g := lesionCohort(60, interleave)
		n := len(y)
		for seed := uint64(0); seed < 20; seed++ {
			p, err := GroupedPaperSplit(y, g, seed)
			if err != nil {
				t.Fatal(err)
			}
			checkPartition(t, "paper", p, n)
			checkWhole(t, "paper", p, g)
			trainPatients := map[string]bool{}
			for _, i := range p.Train {
				trainPatients[g[i]] = true
			}
			if len(trainPatients) != PaperTrainSize(60) {
				t.Errorf("seed %d: %d training patients, want %d", seed, len(trainPatients), PaperTrainSize(60))
			}
			rs, err := GroupedResplits(y, g, 40, 3, seed)
			if err != nil {
				t.Fatal(err)
			}
			for r, p := range rs {
				checkPartition(t, fmt.Sprint("resplit ", r), p, n)
				checkWhole(t, fmt.Sprint("resplit ", r), p, g)
			}
			fs, err := GroupedRepeatedStratifiedKFold(y, g, 5, 2, seed)
			if err != nil {
				t.Fatal(err)
			}
			for r := range fs {
				inFold := map[string]int{}
				for f, p := range fs[r] {
					checkPartition(t, "fold", p, n)
					checkWhole(t, "fold", p, g)
					for _, i := range p.Test {
						if prev, ok := inFold[g[i]]; ok && prev != f {
							t.Fatalf("patient %s in test folds %d and %d", g[i], prev, f)
						}
						inFold[g[i]] = f
					}
					// 60 patients, 24 labelled OR: 12 patients a fold, 4 or 5 of them OR.
					patients := map[string]bool{}
					for _, i := range p.Test {
						patients[g[i]] = true
					}
					if len(patients) != 12 {
						t.Errorf("fold %d holds %d patients, want 12", f, len(patients))
					}
				}
			}
		}
	}
}

// With one row per patient the grouped splits are the ungrouped ones, so a
// one-lesion cohort's study is unchanged by grouping.
func TestGroupedSplitsOneLesionEqualUngrouped(t *testing.T) {
	for name, lab := range goldenLabels() {
		g := make([]int, len(lab))
		for i := range g {
			g[i] = 1000 - i
		}
		for _, seed := range []uint64{1, 42, 7} {
			a, err1 := GroupedPaperSplit(lab, g, seed)
			b, err2 := PaperSplit(lab, seed)
			if err1 != nil || err2 != nil || !reflect.DeepEqual(a, b) {
				t.Errorf("%s seed %d: paper split %v (%v), ungrouped %v (%v)", name, seed, a, err1, b, err2)
			}
			ra, _ := GroupedResplits(lab, g, 9, 4, seed)
			rb, _ := Resplits(lab, 9, 4, seed)
			if !reflect.DeepEqual(ra, rb) {
				t.Errorf("%s seed %d: resplits differ", name, seed)
			}
			fa, _ := GroupedRepeatedStratifiedKFold(lab, g, 3, 2, seed)
			fb, _ := RepeatedStratifiedKFold(lab, 3, 2, seed)
			if !reflect.DeepEqual(fa, fb) {
				t.Errorf("%s seed %d: k-folds differ", name, seed)
			}
		}
	}
}

func TestGroupedSplitErrors(t *testing.T) {
	if _, err := GroupedPaperSplit([]bool{true, false}, []string{"a"}, 1); err == nil {
		t.Error("no error for 1 group label for 2 rows")
	}
	if _, err := GroupedPaperSplit([]bool{true, false}, []string{"a", "a"}, 1); err == nil {
		t.Error("no error for a single patient")
	}
}
