package split

import (
	"slices"
	"testing"
)

func TestAllocate(t *testing.T) {
	for _, tc := range []struct {
		sizes  []int
		nTrain int
		want   []int
	}{
		{[]int{52, 78}, 89, []int{36, 53}},  // 35.6, 53.4
		{[]int{1, 1, 1}, 2, []int{1, 1, 0}}, // ties to the first seen
		{[]int{10, 5, 5}, 10, []int{5, 3, 2}},
	} {
		got := Allocate(tc.sizes, tc.nTrain)
		if !slices.Equal(got, tc.want) {
			t.Errorf("Allocate(%v, %d) = %v, want %v", tc.sizes, tc.nTrain, got, tc.want)
		}
	}
}

func TestUnitLabels(t *testing.T) {
	labels := []string{"OR", "NR", "NR", "OR", "NR", "OR", "NR"}
	units := [][]int{{0}, {1, 2, 3}, {3, 4}, {0, 5, 4, 6}}
	// {OR}; {NR, NR, OR}: majority NR; {OR, NR}: tie, first row's OR;
	// {OR, OR, NR, NR}: tie, the first row's OR.
	if got, want := UnitLabels(labels, units), []string{"OR", "NR", "OR", "OR"}; !slices.Equal(got, want) {
		t.Errorf("UnitLabels = %v, want %v", got, want)
	}
	if got := UnitLabels(labels, [][]int{{4, 3}}); got[0] != "NR" {
		t.Errorf("tie {NR, OR} labelled %v, want NR (the first row's)", got)
	}
}

func TestExpand(t *testing.T) {
	units := [][]int{{0, 4}, {1}, {2, 3, 5}}
	got := Expand(Part{Train: []int{0, 2}, Test: []int{1}}, units)
	if !slices.Equal(got.Train, []int{0, 2, 3, 4, 5}) || !slices.Equal(got.Test, []int{1}) {
		t.Errorf("Expand = %v", got)
	}
}
