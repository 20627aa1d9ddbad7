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

const synthUsage = `Usage: ceusrad synth -out DIR [-n 130] [-seed 1] [-centre A|B] [-split stratified|validation]
                     [-gain-db DB] [-frame-rate FPS] [-size-shift SD] [-viable-shift SD] [-afp-shift SD] [-spread F]

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

A second centre, for external validation: -centre B (synth.SecondCentre:
+4 dB scanner gain, 3 frames/s, larger tumours, more AFP, less viable
tissue, responder share about 0.48 instead of 0.57, every patient in the
validation split) with another seed. The other flags change one setting
of the chosen centre: -gain-db is the scanner gain offset of both
displays, the shifts move the mean of a latent score in SD and -spread
widens them all (case mix; the response model stays the same), -split
validation puts every patient in validation (an external cohort;
ceusrad validate ignores the split). SUMMARY.md names the centre and its
settings.

The data are simulated: a teaching and testing device, not evidence.

Flags:
`

func runSynth(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("synth", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "output `folder` (required)")
	n := fs.Int("n", synth.PaperN, "number of patients")
	seed := fs.Uint64("seed", 1, "random seed")
	centre := fs.String("centre", "A", "centre `A` (the default) or B (synth.SecondCentre)")
	split := fs.String("split", "", "`stratified` (train/validation, 89/41) or validation (every patient; an external cohort); default: the centre's")
	gain := fs.Float64("gain-db", 0, "scanner gain offset of the CEUS and B-mode displays, `dB` (default: the centre's)")
	fps := fs.Float64("frame-rate", 0, "cine frame rate, `frames/s` (default: the centre's)")
	size := fs.Float64("size-shift", 0, "mean shift of the latent tumour size, `SD` (default: the centre's)")
	viable := fs.Float64("viable-shift", 0, "mean shift of the latent viable fraction, `SD` (default: the centre's)")
	afp := fs.Float64("afp-shift", 0, "mean shift of the latent AFP, `SD` (default: the centre's)")
	spread := fs.Float64("spread", 0, "every latent score times 1+`F`: a wider (F > 0) case mix, a higher Bayes AUC (default: the centre's)")
	fs.Usage = func() {}
	if code, done := parseFlags(fs, args, synthUsage, stdout); done {
		return code
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "ceusrad synth: -out DIR is required and takes no other argument (see ceusrad help synth)")
		return exitUsage
	}
	p, err := synth.CentreParams(*centre)
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad synth: -centre: %v\n", err)
		return exitUsage
	}
	// A flag given overrides the centre's value.
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "gain-db":
			p.CEUSGainOffsetDB, p.BModeGainOffsetDB = *gain, *gain
		case "frame-rate":
			p.FrameRate = *fps
		case "size-shift":
			p.ZSizeShift = *size
		case "viable-shift":
			p.ZViableShift = *viable
		case "afp-shift":
			p.ZAFPShift = *afp
		case "spread":
			p.ZSpread = *spread
		case "split":
			switch *split {
			case "stratified":
				p.AllValidation = false
			case "validation":
				p.AllValidation = true
			default:
				err = fmt.Errorf("-split %q: want stratified or validation (every patient; ceusrad validate ignores the split)", *split)
			}
		}
	})
	if err == nil {
		err = p.Validate()
	}
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad synth: %v\n", err)
		return exitUsage
	}
	start := time.Now()
	// The bar starts with the first patient, after WriteCohort's checks of
	// the folder, its lock and the free space.
	var bar *nb.Progress
	sum, err := synth.WriteCohort(*out, *n, *seed, p, func(done, total int) {
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
