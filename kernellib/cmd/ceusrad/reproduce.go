package main

import (
	"flag"
	"fmt"
	"io"
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
		name:    "reproduce",
		summary: "run the whole study without Jupyter: every model, the comparison, robustness; write figures/ and results.json",
		run:     runReproduce,
	})
}

const reproduceUsage = `Usage: ceusrad reproduce [-cohort DIR] [-out DIR] [-splits R] [-cnn-splits R] [-epochs N] [-models a,b] [-seed S]

Runs the paper's pipeline (Liu et al. 2020) on a cohort: every model trained
on the training split only and scored on the validation split; their
comparison (AUC with DeLong and bootstrap CIs, operating points fixed on the
training split, calibration, decision curves, pairwise DeLong tests with Holm's
adjustment, NRI/IDI); the robustness over R re-drawn splits; the
ROI-perturbation robustness of R-TIC and R-BMode (fixed models, eroded,
dilated and shifted validation ROIs). Writes every
table (CSV, Markdown) and figure (PDF with embedded fonts, PNG at 300 dpi,
SVG; a 600 dpi LZW TIFF too when CEUSRAD_TIFF=1) into -out, with
results.json and paper_vs_reproduction.md, and the fitted models as a
bundle in -out/models (bundle.json lists every file's SHA-256) for
'ceusrad validate'.

-out must be a new or empty folder or one holding an earlier run (its
results.json): the earlier run's files that this run does not write again
are removed, and results.json lists every file of the run. It is checked,
and locked against a second run, before anything is computed.

Without -cohort it uses datasets/synthetic-tace, simulating it first when it
is missing: then every number is from simulated data, and the outputs say so.

Flags:
`

func runReproduce(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("reproduce", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("cohort", "", "cohort `folder` holding cohort.csv (default datasets/synthetic-tace)")
	out := fs.String("out", "figures", "output `folder`")
	splits := fs.Int("splits", 100, "re-drawn splits of the robustness analysis (0: none)")
	cnnSplits := fs.Int("cnn-splits", 0, "re-drawn splits that also retrain the CNN (1–1.5 min each on 2 cores)")
	models := fs.String("models", "", "comma-separated model names to run (default all)")
	seed := fs.Uint64("seed", 1, "random seed")
	boot := fs.Int("boot", 2000, "bootstrap replicates")
	epochs := fs.Int("epochs", 0, "largest number of CNN epochs (0: the default configuration's)")
	minReaderICC := fs.Float64("min-reader-icc", 0, "keep only R-TIC's and R-BMode's features whose inter-reader ICC(2,1) over the training patients with lesion_mask_2 is at least this (0: off)")
	fs.Usage = func() {}
	if code, done := parseFlags(fs, args, reproduceUsage, stdout); done {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "ceusrad reproduce: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "ceusrad reproduce: %v\n", err)
		return exitError
	}
	start := time.Now()
	text := nb.NewTextDisplay(stderr)
	cohortDir := *dir
	if cohortDir == "" {
		cohortDir = filepath.Join("datasets", "synthetic-tace")
	}
	// The output folder is checked and locked before anything is computed
	// (or the default cohort simulated): it is not a file, not the cohort,
	// and empty or an earlier run's; a second run into it fails at once.
	if err := study.CheckOutDir(*out, []string{cohortDir}); err != nil {
		return fail(err)
	}
	lock, err := safeio.LockDir(*out)
	if err != nil {
		return fail(err)
	}
	defer lock.Unlock()
	if *dir == "" {
		*dir = cohortDir
		bar := nb.NewProgressOn(text, "simulating the default cohort", synth.PaperN)
		created, err := synth.EnsureDefault(*dir, bar.Func())
		bar.Done()
		if err != nil {
			return fail(err)
		}
		if created {
			fmt.Fprintf(stdout, "created the default synthetic cohort in %s\n", *dir)
		}
	}
	c, err := cohort.ReadFile(filepath.Join(*dir, "cohort.csv"), nil)
	if err != nil {
		return fail(err)
	}
	if err := study.CheckOutDir(*out, study.Inputs(c)); err != nil {
		return fail(err)
	}
	simulated := synth.IsSimulated(*dir)
	opt := study.RunOptions{Seed: *seed, Splits: *splits, CNNSplits: *cnnSplits, BootReplicates: *boot, CNNEpochs: *epochs, MinReaderICC: *minReaderICC}
	if *splits == 0 {
		opt.Splits = -1
	}
	if *models != "" {
		opt.Models = strings.Split(*models, ",")
	}
	bars := map[string]*nb.Progress{}
	opt.Progress = func(stage string, done, total int) {
		b, ok := bars[stage]
		if !ok {
			b = nb.NewProgressOn(text, stage, total)
			bars[stage] = b
		}
		b.Func()(done, total)
		if done >= total {
			b.Done()
		}
	}
	s, err := study.RunStudy(c, opt)
	for _, b := range bars {
		b.Done() // a stage that stopped early (the CNN's early stopping) ends its bar here
	}
	if err != nil {
		return fail(err)
	}
	paths, err := s.WriteFiles(*out, simulated)
	if err != nil {
		return fail(err)
	}
	if err := study.WriteMarkdown(stdout, s.Comparison.AUCTable()); err != nil {
		return fail(err)
	}
	fmt.Fprintln(stdout)
	if len(s.Comparison.Pairs) > 0 {
		if line := s.Comparison.OmnibusLine(); line != "" {
			fmt.Fprintf(stdout, "%s\n\n", line)
		}
		if err := study.WriteMarkdown(stdout, s.Comparison.PairTable()); err != nil {
			return fail(err)
		}
		fmt.Fprintln(stdout)
	}
	if simulated {
		fmt.Fprintln(stdout, "These numbers come from the synthetic cohort: a teaching and testing device, not evidence.")
	}
	if s.Bundle != nil {
		fmt.Fprintf(stdout, "model bundle: %s (SHA-256 %s); apply it to another cohort with 'ceusrad validate -bundle %s'\n",
			filepath.Join(*out, s.Bundle.Path), s.Bundle.SHA256, *out)
	}
	fmt.Fprintf(stdout, "wrote %d files to %s in %.0fs\n", len(paths), *out, time.Since(start).Seconds())
	return exitOK
}
