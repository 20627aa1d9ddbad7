package cohort_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
)

// A manifest whose masks were just drawn: the lesion_mask cell of P2 is filled and
// the liver_mask column, which the manifest lacked, is added; nothing else changes.
func ExampleSetPatientCells() {
	dir, _ := os.MkdirTemp("", "cells")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "cohort.csv")
	_ = os.WriteFile(path, []byte("patient_id,lesion_mask,age\nP1,masks/P1_lesion.png,61\nP2,,\"7,5\"\n"), 0o644)
	err := cohort.SetPatientCells(path, "P2", map[string]string{
		cohort.ColLesionMask: "masks/P2_lesion.png",
		cohort.ColLiverMask:  "masks/P2_liver.png",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := os.ReadFile(path)
	fmt.Print(string(b))
	ids, _ := cohort.PatientIDs(path)
	cells, _ := cohort.PatientCells(path, "P2")
	fmt.Println(ids, cells["liver_mask"], cells["age"])
	// Output:
	// patient_id,lesion_mask,age,liver_mask
	// P1,masks/P1_lesion.png,61,
	// P2,masks/P2_lesion.png,"7,5",masks/P2_liver.png
	// [P1 P2] masks/P2_liver.png 7,5
}
