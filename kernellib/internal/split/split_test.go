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

