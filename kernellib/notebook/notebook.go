package notebook

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/nb"
	"github.com/ceusrad/ceusrad/kernellib/study"
	"github.com/ceusrad/ceusrad/kernellib/synth"
)

// Environment variables read by this package (see the package
// documentation).
const (
	CohortEnv    = "CEUSRAD_COHORT"
	ResultsEnv   = "CEUSRAD_RESULTS_DIR"
	SplitsEnv    = "CEUSRAD_SPLITS"
	CNNSplitsEnv = "CEUSRAD_CNN_SPLITS"
	BootEnv      = "CEUSRAD_BOOT"
	EpochsEnv    = "CEUSRAD_EPOCHS"
)

// root is the repository's folder: the parent of the notebooks' folder.
func root() string { return filepath.Join(nb.Dir(), "..") }

// CohortPath returns the manifest the notebooks analyse: CEUSRAD_COHORT (a
// folder holding cohort.csv, or the manifest) when set, else the synthetic
// cohort's, datasets/synthetic-tace/cohort.csv; simulated tells whether it
// is the default, which does not exist yet on a fresh checkout.
func CohortPath() (manifest string, simulated bool) {
	return manifestFrom(CohortEnv, "synthetic-tace")
}

// manifestFrom is the manifest named by the environment variable env (a
// folder holding cohort.csv, or the manifest), else datasets/dflt/cohort.csv
// with simulated true.
func manifestFrom(env, dflt string) (manifest string, simulated bool) {
	if p := os.Getenv(env); p != "" {
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return filepath.Join(p, "cohort.csv"), false
		}
		return p, false
	}
	return filepath.Join(root(), "datasets", dflt, "cohort.csv"), true
}

// Cohort reads the cohort the notebooks analyse (CohortPath) with the
// reading options o (nil: the manifest alone; filecheck.Options() opens
// every file). The synthetic cohort is simulated first when it is missing,
// with a progress bar. simulated reports a cohort written by the simulator
// (synth.IsSimulated), whose results must say so.
func Cohort(o *cohort.Options) (c *cohort.Cohort, simulated bool, err error) {
	manifest, simulated := CohortPath()
	return readCohort(manifest, simulated, CohortEnv, "simulating patients", synth.PaperN, synth.DefaultSeed, synth.DefaultParams(), o)
}

// readCohort reads manifest with o; when simulated (the default of env) the
// cohort is first written if missing: n patients from seed with params,
// with a progress bar labelled what.
func readCohort(manifest string, simulated bool, env, what string, n int, seed uint64, params synth.Params, o *cohort.Options) (*cohort.Cohort, bool, error) {
	if simulated {
		bar := nb.NewProgress(what, n)
		_, err := synth.Ensure(filepath.Dir(manifest), n, seed, params, bar.Func())
		bar.Done()
		if err != nil {
			return nil, true, err
		}
	}
	c, err := cohort.ReadFile(manifest, o)
	if err != nil && !simulated {
		err = fmt.Errorf("%w (%s = %s)", err, env, os.Getenv(env))
	}
	// A cohort of one's own may be simulated too (ceusrad synth).
	return c, simulated || synth.IsSimulated(filepath.Dir(manifest)), err
}

// ResultsDir is where the notebooks write: CEUSRAD_RESULTS_DIR, or
// figures/.
func ResultsDir() string {
	if d := os.Getenv(ResultsEnv); d != "" {
		return d
	}
	return filepath.Join(root(), "figures")
}

// Out returns the path of a file named name in ResultsDir, creating the
// folder if needed.
func Out(name string) (string, error) {
	d := ResultsDir()
	if err := os.MkdirAll(d, 0o755); err != nil {
		return "", err
	}
	return filepath.Join(d, name), nil
}

// RunOptions are the study's settings from the environment: full size
// unless CEUSRAD_SPLITS, CEUSRAD_CNN_SPLITS, CEUSRAD_BOOT or CEUSRAD_EPOCHS
// say otherwise.
func RunOptions() (study.RunOptions, error) {
	var o study.RunOptions
	var err error
	for _, v := range []struct {
		env string
		def int
		dst *int
	}{{SplitsEnv, 100, &o.Splits}, {CNNSplitsEnv, 0, &o.CNNSplits}, {BootEnv, 2000, &o.BootReplicates}, {EpochsEnv, 0, &o.CNNEpochs}} {
		if *v.dst, err = envInt(v.env, v.def); err != nil {
			return o, err
		}
	}
	return o, nil
}

// envInt reads a size from the environment: def when unset; a value
// must be a positive integer, or 0 where the default is 0 (none).
func envInt(name string, def int) (int, error) {
	s, ok := os.LookupEnv(name)
	if !ok || s == "" {
		return def, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 || (v == 0 && def != 0) {
		return 0, &nb.EnvError{Name: name, Value: s}
	}
	return v, nil
}

// Results returns the study's results on the notebooks' cohort: read from
// ResultsDir's results.json when an earlier run (make reproduce, another
// notebook, ceusrad reproduce) left them for the same cohort — same
// manifest and same content, by SHA-256 — the same code and settings,
// otherwise computed now — every model trained on the training split
// only — and written there with every table and figure (study.LoadOrRun),
// with a progress bar per stage. When the study ran, a line (LoadMessage)
// says why; results read back show nothing (their tables' captions carry
// the cohort's hash and the code version).
func Results() (*study.Results, error) {
	c, simulated, err := Cohort(nil)
	if err != nil {
		return nil, err
	}
	opt, err := RunOptions()
	if err != nil {
		return nil, err
	}
	var done func()
	opt.Progress, done = progressBars()
	r, rep, err := study.LoadOrRunReport(c, ResultsDir(), opt, simulated)
	done()
	if err == nil && !rep.Reused {
		nb.Markdown(LoadMessage(rep))
	}
	return r, err
}

// LoadMessage is the line Results shows: where the results came from and,
// when the study ran, why (no results.json yet, other settings, the cohort
// or the code changed since results.json was written).
func LoadMessage(rep study.LoadReport) string {
	if rep.Reused {
		return fmt.Sprintf("Results read from %s/results.json: same cohort content (SHA-256 %.12s…), code and settings.", ResultsDir(), rep.Provenance.CohortSHA256)
	}
	return fmt.Sprintf("Ran the study and wrote %s: %s.", ResultsDir(), rep.Reason)
}

// progressBars returns a progress function that shows a live bar per stage
// and done, which ends every bar (a stage that stopped early, such as the
// CNN's early stopping, ends its bar there).
func progressBars() (progress func(stage string, done, total int), done func()) {
	bars := map[string]*nb.Progress{}
	progress = func(stage string, d, total int) {
		b, ok := bars[stage]
		if !ok {
			b = nb.NewProgress(stage, total)
			bars[stage] = b
		}
		b.Func()(d, total)
		if d >= total {
			b.Done()
		}
	}
	return progress, func() {
		for _, b := range bars {
			b.Done()
		}
	}
}
