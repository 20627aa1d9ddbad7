package cohort

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// labels returns n labels of which nPos are true, spread evenly (Bresenham)
// so that the strata are not contiguous.
func labels(n, nPos int) []bool {
	y := make([]bool, n)
	for i := range y {
		y[i] = (i+1)*nPos/n > i*nPos/n
	}
	return y
}

// checkPartition checks that p covers 0..n−1 once, both parts sorted.
func checkPartition(t *testing.T, what string, p Partition, n int) {
	t.Helper()
	if !slices.IsSorted(p.Train) || !slices.IsSorted(p.Test) {
		t.Errorf("%s: parts not sorted", what)
	}
	seen := make([]int, n)
	for _, i := range p.Train {
		seen[i]++
	}
	for _, i := range p.Test {
		seen[i]++
	}
	for i, s := range seen {
		if s != 1 {
			t.Fatalf("%s: index %d appears %d times", what, i, s)
		}
	}
}

func countTrue(y []bool, idx []int) int {
	c := 0
	for _, i := range idx {
		if y[i] {
			c++
		}
	}
	return c
}

func TestPaperTrainSize(t *testing.T) {
	for n, want := range map[int]int{130: 89, 100: 68, 2: 1, 3: 2, 10: 7, 1000: 685, 13: 9} {
		if got := PaperTrainSize(n); got != want {
			t.Errorf("PaperTrainSize(%d) = %d, want %d", n, got, want)
		}
	}
	for n := 2; n < 500; n++ {
		got := PaperTrainSize(n)
		clamped := got == 1 || got == n-1
		if got < 1 || got > n-1 || (!clamped && math.Abs(float64(got)-89*float64(n)/130) > 0.5) {
			t.Fatalf("PaperTrainSize(%d) = %d", n, got)
		}
	}
}

func TestPaperSplit(t *testing.T) {
	for _, tc := range []struct{ n, pos int }{{130, 52}, {130, 65}, {131, 3}, {57, 20}, {2, 1}, {10, 0}} {
		y := labels(tc.n, tc.pos)
		p, err := PaperSplit(y, 7)
		if err != nil {
			t.Fatal(err)
		}
		checkPartition(t, "PaperSplit", p, tc.n)
		nTrain := PaperTrainSize(tc.n)
		if len(p.Train) != nTrain {
			t.Errorf("n=%d: %d training patients, want %d", tc.n, len(p.Train), nTrain)
		}
		// Each class's training share is within one of proportional.
		for _, cls := range []bool{true, false} {
			nc, tc2 := 0, 0
			for i, v := range y {
				if v == cls {
					nc++
					if slices.Contains(p.Train, i) {
						tc2++
					}
				}
			}
			if d := float64(tc2) - float64(nc)*float64(nTrain)/float64(tc.n); math.Abs(d) >= 1 {
				t.Errorf("n=%d pos=%d class %v: %d of %d in training, want %g", tc.n, tc.pos, cls, tc2, nc, float64(nc)*float64(nTrain)/float64(tc.n))
			}
		}
		q, _ := PaperSplit(y, 7)
		if !slices.Equal(p.Train, q.Train) {
			t.Errorf("n=%d: same seed, different split", tc.n)
		}
	}
	y := labels(130, 52)
	a, _ := PaperSplit(y, 1)
	b, _ := PaperSplit(y, 2)
	if slices.Equal(a.Train, b.Train) {
		t.Error("seeds 1 and 2 give the same split")
	}
	if got := countTrue(y, a.Train); got != 36 { // 52·89/130 = 35.6
		t.Errorf("%d OR in training, want 36", got)
	}
}

func TestResplits(t *testing.T) {
	y := labels(130, 52)
	rs, err := Resplits(y, 89, 20, 3)
	if err != nil {
		t.Fatal(err)
	}
	more, _ := Resplits(y, 89, 40, 3)
	base, _ := StratifiedSplit(y, 89, 3)
	distinct := map[string]bool{}
	for i, p := range rs {
		checkPartition(t, "Resplits", p, 130)
		if len(p.Train) != 89 || countTrue(y, p.Train) != 36 {
			t.Errorf("resplit %d: %d training, %d OR", i, len(p.Train), countTrue(y, p.Train))
		}
		if !slices.Equal(p.Train, more[i].Train) {
			t.Errorf("resplit %d depends on the number of resplits", i)
		}
		if slices.Equal(p.Train, base.Train) {
			t.Errorf("resplit %d equals the base split", i)
		}
		distinct[fmt.Sprint(p.Train)] = true
	}
	if len(distinct) != len(rs) {
		t.Errorf("%d distinct resplits of %d", len(distinct), len(rs))
	}
	if r0, _ := Resplits(y, 89, 0, 3); len(r0) != 0 {
		t.Error("zero resplits returned some")
	}
}

func TestStratifiedKFold(t *testing.T) {
	for _, tc := range []struct{ n, pos, k int }{{130, 52, 5}, {130, 52, 10}, {41, 15, 4}, {7, 2, 7}, {20, 3, 5}} {
		y := labels(tc.n, tc.pos)
		reps, err := RepeatedStratifiedKFold(y, tc.k, 3, 11)
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := StratifiedKFold(y, tc.k, 11)
		for r, folds := range reps {
			if len(folds) != tc.k {
				t.Fatalf("%d folds, want %d", len(folds), tc.k)
			}
			inTest := make([]int, tc.n)
			minSize, maxSize, minPos, maxPos := tc.n, 0, tc.n, 0
			for f, p := range folds {
				checkPartition(t, "fold", p, tc.n)
				for _, i := range p.Test {
					inTest[i]++
				}
				minSize, maxSize = min(minSize, len(p.Test)), max(maxSize, len(p.Test))
				c := countTrue(y, p.Test)
				minPos, maxPos = min(minPos, c), max(maxPos, c)
				if r == 0 && !slices.Equal(p.Test, plain[f].Test) {
					t.Errorf("repeat 0 fold %d differs from StratifiedKFold", f)
				}
			}
			for i, c := range inTest {
				if c != 1 {
					t.Fatalf("n=%d k=%d: patient %d in %d test folds", tc.n, tc.k, i, c)
				}
			}
			if maxSize-minSize > 1 || maxPos-minPos > 1 {
				t.Errorf("n=%d k=%d: fold sizes %d..%d, positives %d..%d", tc.n, tc.k, minSize, maxSize, minPos, maxPos)
			}
		}
		if slices.Equal(reps[0][0].Test, reps[1][0].Test) && slices.Equal(reps[0][1].Test, reps[1][1].Test) && tc.n > 10 {
			t.Errorf("n=%d: repeats 0 and 1 are the same", tc.n)
		}
	}
}

func TestSplitErrors(t *testing.T) {
	y := labels(10, 4)
	if _, err := StratifiedSplit(y, 0, 1); err == nil {
		t.Error("training size 0 accepted")
	}
	if _, err := StratifiedSplit(y, 10, 1); err == nil {
		t.Error("training size n accepted")
	}
	if _, err := PaperSplit([]bool{true}, 1); err == nil {
		t.Error("one patient accepted")
	}
	if _, err := Resplits(y, 5, -1, 1); err == nil {
		t.Error("negative number of resplits accepted")
	}
	if _, err := StratifiedKFold(y, 1, 1); err == nil {
		t.Error("k = 1 accepted")
	}
	if _, err := StratifiedKFold(y, 11, 1); err == nil {
		t.Error("k > n accepted")
	}
	if _, err := RepeatedStratifiedKFold(y, 2, 0, 1); err == nil {
		t.Error("0 repeats accepted")
	}
}

// TestStratifiedByString checks that any comparable label stratifies, e.g.
// a centre name.
func TestStratifiedByString(t *testing.T) {
	centre := []string{"A", "B", "C", "A", "B", "C", "A", "B", "C", "A", "A", "A"}
	folds, err := StratifiedKFold(centre, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	for f, p := range folds {
		n := map[string]int{}
		for _, i := range p.Test {
			n[centre[i]]++
		}
		if n["A"] != 2 || n["B"] != 1 || n["C"] != 1 {
			t.Errorf("fold %d: %v, want A 2, B 1, C 1", f, n)
		}
	}
}
