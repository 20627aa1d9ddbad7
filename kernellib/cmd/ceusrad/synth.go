package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/nb"
	"github.com/ceusrad/ceusrad/kernellib/synth"
)

func init() {
	register(command{
		name:    "synth",
		summary: "simulate a synthetic CEUS + B-mode cohort in the real file formats",
		run:     runSynth,
	})
}

const synthUsage = `Usage: ceusrad synth -out DIR [-n 130] [-seed 1]

Simulates a cohort with the shape of Liu et al. 2020 (130 patients, 89/41
training/validation split) from a seed and writes it to DIR in the formats
of real data: cohort.csv, DICOM cines (cines/), PNG B-mode images (bmode/)
and masks (masks/), plus latent.csv (the simulated biology and each
patient's true response probability) and SUMMARY.md (parameters, response
rate, Bayes-optimal AUC). The physics is described in kernellib/synth's
documentation. The same seed gives the same bytes on any machine and number
of cores. DIR must be empty, missing, or a previous synth output. Before
anything is written, the free space is compared with the size of the
cohort (about 4.3 MB a patient) and DIR is locked against a second run.

The data are simulated: a teaching and testing device, not evidence.

Flags:
`

func runSynth(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("synth", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "output `folder` (required)")
	n := fs.Int("n", synth.PaperN, "number of patients")
	seed := fs.Uint64("seed", 1, "random seed")
	fs.Usage = func() {}
	if code, done := parseFlags(fs, args, synthUsage, stdout); done {
		return code
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "ceusrad synth: -out DIR is required and takes no other argument (see ceusrad help synth)")
		return exitUsage
	}
	start := time.Now()
	// The bar starts with the first patient, after WriteCohort's checks of
	// the folder, its lock and the free space.
	var bar *nb.Progress
	sum, err := synth.WriteCohort(*out, *n, *seed, synth.DefaultParams(), func(done, total int) {
		if bar == nil {
			bar = nb.NewProgressOn(nb.NewTextDisplay(stderr), "patients", total)
		}
		bar.Func()(done, total)
	})
	if bar != nil {
		bar.Done()
	}
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad synth: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "%s: %d patients (%d OR, %d training / %d validation), Bayes-optimal AUC %.3f, written in %.1fs\n",
		*out, sum.N, sum.NResponders, sum.NTrain, sum.NValidation, sum.BayesAUC, time.Since(start).Seconds())
	return exitOK
}
