package parallel_test

import (
	"fmt"

	"github.com/ceusrad/ceusrad/kernellib/internal/parallel"
)

// Each job writes its own slot, so the result does not depend on the
// number of workers; progress is called serially.
func ExampleForEach() {
	squares := make([]int, 5)
	err := parallel.ForEach(len(squares), 2, func(i int) error {
		squares[i] = i * i
		return nil
	}, func(done, total int) {
		if done == total {
			fmt.Println("all", total, "done")
		}
	})
	fmt.Println(squares, err)
	// Output:
	// all 5 done
	// [0 1 4 9 16] <nil>
}
