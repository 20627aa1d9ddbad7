package synth

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// DefaultSeed is the seed of the embedded default cohort
// (datasets/synthetic-tace, PaperN patients, DefaultParams).
const DefaultSeed = 1

// EnsureDefault makes sure dir holds the default cohort: when
// dir/cohort.csv is missing it writes PaperN patients from DefaultSeed with
// DefaultParams (as `make data` and `ceusrad synth` do) and reports
// created = true; otherwise it leaves dir alone. Notebooks call it so that
// they run on a fresh checkout.
func EnsureDefault(dir string, progress func(done, total int)) (created bool, err error) {
	return Ensure(dir, PaperN, DefaultSeed, DefaultParams(), progress)
}

// Ensure makes sure dir holds a cohort: when dir/cohort.csv is missing it
// writes n patients from seed with params (WriteCohort) and reports created =
// true; otherwise it leaves dir alone (it does not check that the cohort there
// was made with the same settings: SUMMARY.md says how it was). When another
// process is writing dir (two notebooks started at once on a fresh
// checkout), it waits up to EnsureWait for that process to finish and then
// uses what it wrote.
func Ensure(dir string, n int, seed uint64, params Params, progress func(done, total int)) (created bool, err error) {
	start := time.Now()
	for {
		if _, err := os.Stat(filepath.Join(dir, "cohort.csv")); err == nil {
			return false, nil
		} else if !os.IsNotExist(err) {
			return false, fmt.Errorf("synth: %w", err)
		}
		_, err := WriteCohort(dir, n, seed, params, progress)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, safeio.ErrInUse) || time.Since(start) > EnsureWait {
			return false, err
		}
		time.Sleep(ensurePoll)
	}
}

// EnsureWait is how long Ensure waits for another process writing the
// cohort; ensurePoll how often it looks.
const (
	EnsureWait = 10 * time.Minute
	ensurePoll = 500 * time.Millisecond
)
