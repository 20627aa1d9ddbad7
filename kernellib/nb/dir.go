package nb

import (
	"os"
	"strconv"
)

// Dir returns the folder of the running notebook: $GONB_DIR, which GoNB sets
// for every cell (a cell's program itself runs in a temporary folder), or
// the working directory outside a notebook.
func Dir() string {
	if d := os.Getenv("GONB_DIR"); d != "" {
		return d
	}
	d, err := os.Getwd()
	if err != nil {
		return "."
	}
	return d
}

// EnvInt returns the integer in the environment variable name, or def when
// it is unset. Notebooks read their sizes (replicates, splits, epochs) this
// way, so that a quick test run and a full run execute the same notebook.
// A value that is not a positive integer is an error.
func EnvInt(name string, def int) (int, error) {
	s, ok := os.LookupEnv(name)
	if !ok || s == "" {
		return def, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v <= 0 {
		return 0, &EnvError{Name: name, Value: s}
	}
	return v, nil
}

// EnvError reports an environment variable that is not a positive integer.
type EnvError struct{ Name, Value string }

func (e *EnvError) Error() string {
	return "nb: environment variable " + e.Name + "=" + strconv.Quote(e.Value) + ": want a positive integer"
}
