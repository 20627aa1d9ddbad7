package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
	"github.com/ceusrad/ceusrad/kernellib/nb"
	"github.com/ceusrad/ceusrad/kernellib/study"
	"github.com/ceusrad/ceusrad/kernellib/synth"
)

func init() {
	register(command{
		name:    "validate",
		summary: "apply a study's frozen models (its model bundle) to another cohort: external validation",
		run:     runValidate,
	})
}

const validateUsage = `Usage: ceusrad validate -bundle DIR -cohort DIR -out DIR [-recalibrate] [-models a,b] [-seed S] [-boot N]

Applies the models a study froze in its bundle (the models/ folder that
'ceusrad reproduce' writes beside results.json) to every patient of another
cohort, whatever its split column says: nothing is refitted, no pipeline or
feature is chosen again, and each model's operating threshold is the one
fixed on its training patients. Writes the study's comparison for these
patients — AUC with DeLong and bootstrap CIs, pairwise DeLong tests with
Holm's adjustment, NRI/IDI, sensitivity and specificity at the bundle's
thresholds, calibration (Hosmer–Lemeshow with G degrees of freedom),
decision curves — as external_* tables and figures, and results.json with
"external": true and the bundle's SHA-256, training cohort and code.

Every file of the bundle is checked against its SHA-256 and size before it
is read; a changed or foreign bundle is refused. A cohort lacking a column
or feature a model needs is refused naming both (leave the model out with
-models); a patient a model cannot score (a cine shorter than the CNN's
sampled times) is listed and left out of every model's comparison.

-recalibrate also refits each model's calibration intercept and slope on
this cohort (logistic recalibration, "model updating"; TRIPOD) and reports
the recalibrated models beside the frozen ones (external_recalibrated_*,
external_recalibration.md); their calibration is apparent.

-out must be a new or empty folder or one holding an earlier run.

Flags:
`

// bundleDir returns the bundle folder named by dir: dir itself when it
// holds bundle.json, else dir/models when that does (a study's output).
func bundleDir(dir string) string {
	if _, err := os.Stat(filepath.Join(dir, study.BundleManifest)); errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(dir, study.BundleDir, study.BundleManifest)); err == nil {
			return filepath.Join(dir, study.BundleDir)
		}
	}
	return dir
}

func runValidate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bdir := fs.String("bundle", "", "model bundle `folder` (a study's models/ folder, or the study's output folder)")
	dir := fs.String("cohort", "", "cohort `folder` holding cohort.csv")
	out := fs.String("out", "", "output `folder`")
	recal := fs.Bool("recalibrate", false, "also report each model recalibrated (intercept and slope) on this cohort")
	models := fs.String("models", "", "comma-separated model names to apply (default all of the bundle's)")
	seed := fs.Uint64("seed", 1, "seed of the bootstrap")
	boot := fs.Int("boot", 2000, "bootstrap replicates")
	fs.Usage = func() {}
	if code, done := parseFlags(fs, args, validateUsage, stdout); done {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "ceusrad validate: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if *bdir == "" || *dir == "" || *out == "" {
		fmt.Fprintln(stderr, "ceusrad validate: -bundle, -cohort and -out are required; see 'ceusrad help validate'")
		return exitUsage
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "ceusrad validate: %v\n", err)
		return exitError
	}
	start := time.Now()
	b := bundleDir(*bdir)
	bundleInputs := []string{*dir, b}
	if err := study.CheckOutDir(*out, bundleInputs); err != nil {
		return fail(err)
	}
	lock, err := safeio.LockDir(*out)
	if err != nil {
		return fail(err)
	}
	defer lock.Unlock()
	lb, err := study.LoadBundle(b)
	if err != nil {
		return fail(err)
	}
	c, err := cohort.ReadFile(filepath.Join(*dir, "cohort.csv"), nil)
	if err != nil {
		return fail(err)
	}
	if err := study.CheckOutDir(*out, append(study.Inputs(c), bundleInputs...)); err != nil {
		return fail(err)
	}
	opt := study.ValidateOptions{Recalibrate: *recal, Seed: *seed, BootReplicates: *boot}
	if *models != "" {
		opt.Models = strings.Split(*models, ",")
	}
	text := nb.NewTextDisplay(stderr)
	bars := map[string]*nb.Progress{}
	opt.Progress = func(stage string, done, total int) {
		pb, ok := bars[stage]
		if !ok {
			pb = nb.NewProgressOn(text, stage, total)
			bars[stage] = pb
		}
		pb.Func()(done, total)
		if done >= total {
			pb.Done()
		}
	}
	s, err := study.Validate(lb, c, opt)
	for _, pb := range bars {
		pb.Done()
	}
	if err != nil {
		return fail(err)
	}
	for _, p := range s.External.Excluded {
		fmt.Fprintf(stderr, "ceusrad validate: patient %s left out: %s could not score it: %s\n", p.Patient, p.Model, p.Reason)
	}
	paths, err := s.WriteFiles(*out, synth.IsSimulated(*dir))
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, "External validation of the bundle %s (SHA-256 %.12s…, trained on cohort %.12s…) on %d of the %d patients of %s; frozen models, thresholds fixed in training.\n\n",
		b, lb.SHA256, lb.Manifest.CohortSHA256, len(s.Valid), len(c.Patients), c.Path)
	if err := study.WriteMarkdown(stdout, s.Comparison.AUCTable()); err != nil {
		return fail(err)
	}
	fmt.Fprintln(stdout)
	if err := study.WriteMarkdown(stdout, s.Comparison.OperatingTable()); err != nil {
		return fail(err)
	}
	fmt.Fprintln(stdout)
	if r := s.External.Recalibrated; r != nil {
		fmt.Fprintln(stdout, "Recalibrated on this cohort (intercept and slope refitted; apparent calibration):")
		fmt.Fprintln(stdout)
		if err := study.WriteMarkdown(stdout, r.CalibrationTable()); err != nil {
			return fail(err)
		}
		fmt.Fprintln(stdout)
	}
	fmt.Fprintf(stdout, "wrote %d files to %s in %.0fs\n", len(paths), *out, time.Since(start).Seconds())
	return exitOK
}
