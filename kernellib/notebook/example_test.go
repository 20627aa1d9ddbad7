package notebook_test

import (
	"fmt"
	"os"

	"github.com/ceusrad/ceusrad/kernellib/notebook"
)

// The notebooks' study sizes come from the environment: make test sets
// small ones, make reproduce leaves the full-size defaults.
func ExampleRunOptions() {
	os.Unsetenv(notebook.CNNSplitsEnv) // unset: the defaults
	os.Unsetenv(notebook.BootEnv)
	os.Setenv(notebook.SplitsEnv, "5")
	os.Setenv(notebook.EpochsEnv, "4")
	defer os.Unsetenv(notebook.SplitsEnv)
	defer os.Unsetenv(notebook.EpochsEnv)
	o, err := notebook.RunOptions()
	fmt.Println(o.Splits, o.CNNSplits, o.BootReplicates, o.CNNEpochs, err)
	// Output: 5 0 2000 4 <nil>
}
