package safeio_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// An output is written beside its target and renamed into place only when whole.
func ExampleCreate() {
	dir, _ := os.MkdirTemp("", "safeio")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "table.csv")

	f, err := safeio.Create(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Abort() // a no-op once committed
	fmt.Fprintln(f, "patient_id,auc")
	if _, err := os.Stat(path); os.IsNotExist(err) {
		fmt.Println("not there before Commit")
	}
	if err := f.Commit(); err != nil {
		fmt.Println(err)
		return
	}
	b, _ := os.ReadFile(path)
	fmt.Print(string(b))
	// Output:
	// not there before Commit
	// patient_id,auc
}
