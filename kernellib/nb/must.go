package nb

import (
	"os"

	"github.com/janpfeifer/gonb/gonbui"
)

// stopCell ends the cell after an error was shown. In a notebook it exits
// the cell's program with status 1, which GoNB reports as the cell failing
// (a headless run stops there, as it must); the message itself is the red
// box Error showed, once, without a stack trace. Outside a notebook (tests,
// commands) it does nothing: the caller returns the error as usual.
var stopCell = func() {
	if gonbui.IsNotebook {
		gonbui.Sync()
		os.Exit(1)
	}
}

// Check shows err (Error) and stops the cell when err is not nil — the
// notebook's `if err != nil { nb.Error(err); return }` in one call, in the
// spirit of github.com/janpfeifer/must, minus the panic's stack dump:
//
//	nb.Check(nb.Table(df, nb.TableOptions{}))
//
// Outside a notebook it shows the error and returns.
func Check(err error) {
	if err != nil {
		Error(err)
		stopCell()
	}
}

// Must returns v, or shows err and stops the cell (Check):
//
//	c := nb.Must(cohort.ReadFile(path, nil))
//
// Outside a notebook it shows the error and returns v as it is (usually the
// zero value); programs use the (value, error) functions directly.
func Must[T any](v T, err error) T {
	Check(err)
	return v
}
