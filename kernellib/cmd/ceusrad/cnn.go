package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/deep"
	"github.com/ceusrad/ceusrad/kernellib/nb"
	"github.com/ceusrad/ceusrad/kernellib/study"
)

func init() {
	register(command{
		name:    "train-cnn",
		summary: "train the R-DLCEUS cine CNN on a cohort's training split",
		run:     runTrainCNN,
	})
	register(command{
		name:    "predict-cnn",
		summary: "score every cine of a cohort with a trained cine CNN (CSV patient_id,probability)",
		run:     runPredictCNN,
	})
}

const trainCNNUsage = `Usage: ceusrad train-cnn -cohort DIR [-epochs 60] [-seed 1] -out MODEL

Trains R-DLCEUS, the (2+1)D cine CNN of kernellib/deep, on the training
split of the cohort (DIR/cohort.csv, or the manifest itself): every cine is
read once, cropped around its lesion mask, sampled at 16 times across the
arterial, portal and late phases after the injection and resized to 64×64;
a stratified 20 % of the training cines is held out for early stopping.
The validation split is never read. The settings are deep.DefaultConfig,
the ones the study and the notebook use; the same seed gives the same
model. Progress goes to standard error, one line per epoch (training loss,
inner-validation loss and AUC); the model is written to MODEL as a JSON
checkpoint, and a summary to standard output.

Flags:
`

const predictCNNUsage = `Usage: ceusrad predict-cnn -model MODEL -cohort DIR

Scores every patient of the cohort (DIR/cohort.csv, or the manifest itself)
with the cine CNN saved by train-cnn, preprocessing each cine as the model
was trained (no augmentation), and prints to standard output a CSV with the
header patient_id,probability (patient_id,lesion_id,probability when the
manifest lists lesions) and one row per manifest row, in manifest order:
the predicted probability of objective response.

Flags:
`

// manifestPath accepts a cohort folder (holding cohort.csv) or the manifest.
func cnnManifest(p string) string {
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		return filepath.Join(p, "cohort.csv")
	}
	return p
}

// parseFlags parses args; it returns -1 to go on, else the exit status.
func cnnParseFlags(fs *flag.FlagSet, args []string, usage string, stdout io.Writer) int {
	fs.Usage = func() {}
	if code, done := parseFlags(fs, args, usage, stdout); done {
		return code
	}
	return -1
}

func runTrainCNN(args []string, stdout, stderr io.Writer) int {
	def := deep.DefaultConfig()
	fs := flag.NewFlagSet("train-cnn", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("cohort", "", "cohort `folder` (or its cohort.csv) (required)")
	epochs := fs.Int("epochs", def.Epochs, "largest number of `epochs` (early stopping may end sooner)")
	seed := fs.Uint64("seed", def.Seed, "random `seed` of initial weights, inner split, batch order and augmentation")
	out := fs.String("out", "", "checkpoint `file` to write (required)")
	if rc := cnnParseFlags(fs, args, trainCNNUsage, stdout); rc >= 0 {
		return rc
	}
	if *dir == "" || *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "ceusrad train-cnn: -cohort DIR and -out MODEL are required and it takes no other argument (see ceusrad help train-cnn)")
		return exitUsage
	}
	if *epochs < 1 {
		fmt.Fprintf(stderr, "ceusrad train-cnn: -epochs %d: want at least 1\n", *epochs)
		return exitUsage
	}
	cfg := def
	cfg.Epochs, cfg.Seed = *epochs, *seed
	c, err := cohort.ReadFile(cnnManifest(*dir), nil)
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad train-cnn: %v\n", err)
		return exitError
	}
	if err := checkOutputFile(*out, study.Inputs(c)); err != nil {
		fmt.Fprintf(stderr, "ceusrad train-cnn: %v\n", err)
		return exitError
	}
	ps, y := cohort.TrainingPatients(c.Patients)
	start := time.Now()
	bar := nb.NewProgressOn(nb.NewTextDisplay(stderr), "cines", len(ps))
	clips, err := deep.PrepareAll(deep.SourcesOf(ps), cfg, bar.Func())
	bar.Done()
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad train-cnn: %v\n", err)
		return exitError
	}
	prep := time.Since(start)
	m, err := deep.Train(clips, y, cfg, func(e deep.Epoch) {
		mark := ""
		if e.Best {
			mark = " *"
		}
		fmt.Fprintf(stderr, "epoch %d/%d  loss %.4f  inner loss %.4f  inner AUC %.3f  %s%s\n",
			e.Epoch, e.Epochs, e.Loss, e.InnerLoss, e.InnerAUC, e.Elapsed.Round(time.Second), mark)
	})
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad train-cnn: %v\n", err)
		return exitError
	}
	if err := m.SaveFile(*out); err != nil {
		fmt.Fprintf(stderr, "ceusrad train-cnn: %v\n", err)
		return exitError
	}
	best := m.History[m.BestEpoch-1]
	fmt.Fprintf(stdout, "%s: %d training cines, %d parameters, best epoch %d of %d (inner loss %.4f, inner AUC %.3f); preprocessing %.1fs, training %.1fs\n",
		*out, len(clips), m.NumParams(), m.BestEpoch, len(m.History), best.InnerLoss, best.InnerAUC,
		prep.Seconds(), m.History[len(m.History)-1].Elapsed.Seconds())
	return exitOK
}

func runPredictCNN(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("predict-cnn", flag.ContinueOnError)
	fs.SetOutput(stderr)
	model := fs.String("model", "", "checkpoint `file` written by train-cnn (required)")
	dir := fs.String("cohort", "", "cohort `folder` (or its cohort.csv) (required)")
	if rc := cnnParseFlags(fs, args, predictCNNUsage, stdout); rc >= 0 {
		return rc
	}
	if *model == "" || *dir == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "ceusrad predict-cnn: -model MODEL and -cohort DIR are required and it takes no other argument (see ceusrad help predict-cnn)")
		return exitUsage
	}
	m, err := deep.LoadFile(*model)
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad predict-cnn: %v\n", err)
		return exitError
	}
	c, err := cohort.ReadFile(cnnManifest(*dir), nil)
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad predict-cnn: %v\n", err)
		return exitError
	}
	bar := nb.NewProgressOn(nb.NewTextDisplay(stderr), "cines", len(c.Patients))
	clips, err := deep.PrepareAll(deep.SourcesOf(c.Patients), m.Config, bar.Func())
	bar.Done()
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad predict-cnn: %v\n", err)
		return exitError
	}
	p, err := m.Predict(clips)
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad predict-cnn: %v\n", err)
		return exitError
	}
	w := csv.NewWriter(stdout)
	lesions := cohort.HasLesionIDs(c.Patients)
	w.Write(append(cohort.KeyHeader(c.Patients), "probability"))
	for i, pt := range c.Patients {
		w.Write(append(cohort.KeyCells(pt, lesions), strconv.FormatFloat(p[i], 'f', 6, 64)))
	}
	if w.Flush(); w.Error() != nil {
		err := w.Error()
		fmt.Fprintf(stderr, "ceusrad predict-cnn: %v\n", err)
		return exitError
	}
	return exitOK
}
