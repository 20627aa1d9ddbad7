package tic_test

import (
	"fmt"

	"github.com/ceusrad/ceusrad/kernellib/tic"
)

// The contrast arrival of a curve sampled at 2 frames/s: a baseline of 10 with
// noise ±0.1 for 14 s, then a wash-in. The threshold is the baseline + 3 robust
// SDs, 10 + 3·1.4826·0.1 = 10.445; the curve crosses it between the samples
// at 14.5 s (10.0) and 15 s (10.5), and stays above.
func ExampleArrival() {
	var t, y []float64
	for i := 0; i < 60; i++ {
		x := float64(i) / 2
		v := 10 + 0.1*float64(1-2*(i%2))
		if x > 14 {
			v += 0.4 * (x - 14) * (x - 14)
		}
		t, y = append(t, x), append(y, v)
	}
	at, err := tic.Arrival(t, y, tic.ArrivalOptions{BaselineEndS: 5})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("arrival %.2f s after the first frame\n", at)
	// Output: arrival 14.94 s after the first frame
}
