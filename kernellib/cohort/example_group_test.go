package cohort_test

import (
	"fmt"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
)

// Three patients with two lesions each and two with one: the grouped split
// puts each patient's lesions on one side, and the sizes count patients
// (PaperTrainSize(5) = 3 training patients). P3, with one responding and
// one non-responding lesion, is stratified as a responder (its first
// lesion's response), so 2 of the 3 responding and 1 of the 2
// non-responding patients train.
func ExampleGroupedPaperSplit() {
	patients := []string{"P1", "P1", "P2", "P3", "P3", "P4", "P5", "P5"}
	or := []bool{true, true, false, true, false, false, true, true}
	p, err := cohort.GroupedPaperSplit(or, patients, 7)
	if err != nil {
		fmt.Println(err)
		return
	}
	side := func(idx []int) (s []string) {
		for _, i := range idx {
			s = append(s, patients[i])
		}
		return s
	}
	fmt.Println("training:  ", side(p.Train))
	fmt.Println("validation:", side(p.Test))
	// Output:
	// training:   [P3 P3 P4 P5 P5]
	// validation: [P1 P1 P2]
}
