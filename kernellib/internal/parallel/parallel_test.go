package parallel

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
)

func TestForEach(t *testing.T) {
	for _, workers := range []int{-1, 0, 1, 3, 50} {
		out := make([]int, 20)
		var calls []int
		err := ForEach(len(out), workers, func(i int) error { out[i] = i * i; return nil },
			func(done, total int) {
				if total != 20 {
					t.Errorf("total %d", total)
				}
				calls = append(calls, done) // serial: no race
			})
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range out {
			if v != i*i {
				t.Fatalf("workers %d: slot %d = %d", workers, i, v)
			}
		}
		if fmt.Sprint(calls) != fmt.Sprint([]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}) {
			t.Errorf("workers %d: progress %v", workers, calls)
		}
	}
}

func TestForEachErrorsInOrder(t *testing.T) {
	var ran atomic.Int32
	err := ForEach(6, 3, func(i int) error {
		ran.Add(1)
		if i%2 == 1 {
			return fmt.Errorf("job %d", i)
		}
		return nil
	}, nil)
	if ran.Load() != 6 {
		t.Errorf("%d jobs ran, want all 6 despite errors", ran.Load())
	}
	if err == nil || err.Error() != "job 1\njob 3\njob 5" {
		t.Errorf("err = %q", err)
	}
	if ForEach(0, 2, func(int) error { return errors.New("no") }, nil) != nil {
		t.Error("no jobs gave an error")
	}
}
