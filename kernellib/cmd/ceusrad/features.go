package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/deep"
	"github.com/ceusrad/ceusrad/kernellib/nb"
	"github.com/ceusrad/ceusrad/kernellib/study"
)

func init() {
	register(command{
		name:    "features",
		summary: "export a cohort's TIC, B-mode radiomic or CNN deep features as a CSV table for R or Python",
		run:     runFeatures,
	})
}

const featuresUsage = `Usage: ceusrad features -cohort DIR -kind tic|bmode|deep [-out FILE.csv]
       ceusrad features -cohort DIR -kind deep [-model MODEL | -epochs 60 -seed 1] [-out FILE.csv]

Computes one kind of feature for every patient of the cohort (DIR/cohort.csv,
or the manifest itself) and writes the table as CSV, for analysis in R or
Python: a header row, then one row per patient in manifest order, with the
columns patient_id, split (train|validation) and response (OR|NR) from the
manifest, then the features. Numbers are written with full precision (they
read back to the same float64); a missing value (NaN) is written NA, R's
convention (read.csv gives NA, pandas.read_csv NaN), and ±Inf as Inf and
-Inf. Some feature names hold spaces, commas or slashes and are quoted as
CSV requires: in R, read.csv(FILE, check.names = FALSE) keeps them. Without
-out, or with -out -, the table goes to standard output; progress goes to
standard error.

Kinds:
  tic    the time-intensity-curve features R-TIC uses (study.RTICFeatures):
         for the lesion and the liver, the model-free and the lognormal
         fit's parameters AT, PE, TTP, RT, FT, MTT, WiR, WoR, WiAUC, WoAUC,
         WiWoAUC, AUC, WiPI (lesion_mf_ttp, lesion_lognormal_mu, ..., see
         'ceusrad help tic'), the fit's R², and the lesion/liver ratios
         (ratio_*); tic_status is empty, or says which fit failed (its
         columns are NA); time_origin says where the time features (at,
         ttp, mtt, t0) are measured from: "injection" (injection_offset_s),
         "arrival" (no injection time: the lesion's contrast arrival) or
         "first_frame" (neither); arrival_s is the lesion's contrast
         arrival in seconds after the cine's first frame (see 'ceusrad
         help tic'; NA when none was found); lesion_overlay_pixels and
         liver_overlay_pixels count the ROI's pixels left out of a frame as
         burned-in coloured overlay (the most in one frame; 0 for grey
         cines). These four describe the analysis, they are no features.
  bmode  the radiomic features R-BMode uses (study.RBModeFeatures): every
         IBSI feature (Image Biomarker Standardisation Initiative, Zwanenburg
         et al., Radiology 2020) of the B-mode image inside the lesion mask,
         fixed bin number discretisation with 32 bins, one column per
         feature and aggregation ("glcm/joint_maximum [2D, averaged]"),
         after overlay_pixels: the lesion's pixels left out of the
         intensity and texture features as burned-in coloured overlay (no
         feature).
  deep   the deep features deep_1 ... deep_32 of R-DLCEUS: the penultimate
         layer of the cine CNN (study.RDLCEUSResult.DeepFeatures), trained on
         the training split as train-cnn does (-epochs, -seed), or loaded from
         -model, a checkpoint written by train-cnn. The network has seen the
         training rows: fit a model on them only, judge it on the validation
         rows.

Flags:
`

// featureKinds are the -kind values.
var featureKinds = []string{"tic", "bmode", "deep"}

func runFeatures(args []string, stdout, stderr io.Writer) int {
	def := deep.DefaultConfig()
	fs := flag.NewFlagSet("features", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("cohort", "", "cohort `folder` (or its cohort.csv) (required)")
	kind := fs.String("kind", "", "feature `kind`: tic, bmode or deep (required)")
	out := fs.String("out", "-", "CSV `file` to write; - is standard output")
	model := fs.String("model", "", "with -kind deep: checkpoint `file` written by train-cnn, instead of training the CNN")
	epochs := fs.Int("epochs", def.Epochs, "with -kind deep: largest number of training `epochs` (early stopping may end sooner)")
	seed := fs.Uint64("seed", def.Seed, "with -kind deep: random `seed` of the training")
	if rc := cnnParseFlags(fs, args, featuresUsage, stdout); rc >= 0 {
		return rc
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "ceusrad features: "+format+" (see ceusrad help features)\n", a...)
		return exitUsage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case fs.NArg() > 0:
		return usageErr("unexpected argument %q", fs.Arg(0))
	case *dir == "" || *kind == "":
		return usageErr("-cohort DIR and -kind are required")
	case *kind != "tic" && *kind != "bmode" && *kind != "deep":
		return usageErr("-kind %q: want one of %v", *kind, featureKinds)
	case *kind != "deep" && (set["model"] || set["epochs"] || set["seed"]):
		return usageErr("-model, -epochs and -seed go with -kind deep")
	case set["model"] && (set["epochs"] || set["seed"]):
		return usageErr("-epochs and -seed train the CNN: they do not go with -model")
	case *epochs < 1:
		return usageErr("-epochs %d: want at least 1", *epochs)
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "ceusrad features: %v\n", err)
		return exitError
	}
	c, err := cohort.ReadFile(cnnManifest(*dir), nil)
	if err != nil {
		return fail(err)
	}
	if *out != "-" {
		if err := checkOutputFile(*out, append(study.Inputs(c), *model)); err != nil {
			return fail(err)
		}
	}
	text := nb.NewTextDisplay(stderr)
	var df dataframe.DataFrame
	switch *kind {
	case "tic", "bmode":
		extract := study.RTICFeatures
		if *kind == "bmode" {
			extract = study.RBModeFeatures
		}
		bar := nb.NewProgressOn(text, "patients", len(c.Patients))
		df, err = extract(c, bar.Func())
		bar.Done()
	case "deep":
		cfg := def
		cfg.Epochs, cfg.Seed = *epochs, *seed
		df, err = deepFeatureTable(c, *model, cfg, text)
	}
	if err != nil {
		return fail(err)
	}
	if err := writeFeatures(*out, stdout, c, df); err != nil {
		return fail(err)
	}
	return exitOK
}

// writeFeatures writes the feature table (writeFeatureCSV) to out ("-":
// stdout): whole, or not at all when it fails (writeOutput).
func writeFeatures(out string, stdout io.Writer, c *cohort.Cohort, df dataframe.DataFrame) error {
	if err := writeOutput(out, stdout, func(w io.Writer) error { return writeFeatureCSV(w, c, df) }); err != nil {
		return fmt.Errorf("%s: %w", c.Path, err)
	}
	return nil
}

// deepFeatureTable returns the deep features of every patient: from the
// checkpoint at model when given, else from R-DLCEUS trained with cfg on
// the training split.
func deepFeatureTable(c *cohort.Cohort, model string, cfg deep.Config, text nb.Display) (dataframe.DataFrame, error) {
	if model != "" {
		m, err := deep.LoadFile(model)
		if err != nil {
			return dataframe.DataFrame{}, err
		}
		bar := nb.NewProgressOn(text, "cines", len(c.Patients))
		clips, err := deep.PrepareAll(deep.SourcesOf(c.Patients), m.Config, bar.Func())
		bar.Done()
		if err != nil {
			return dataframe.DataFrame{}, err
		}
		return study.DeepFeatureTable(m, c.Patients, clips)
	}
	prep := nb.NewProgressOn(text, "cines", len(c.Patients))
	train := nb.NewProgressOn(text, "epochs", cfg.Epochs)
	r, err := study.RDLCEUS(c, study.RDLCEUSOptions{Config: &cfg, Prepared: prep.Func(),
		Progress: func(e deep.Epoch) { train.Func()(e.Epoch, e.Epochs) }})
	prep.Done()
	train.Done() // early stopping ends the bar here
	if err != nil {
		return dataframe.DataFrame{}, err
	}
	return r.DeepFeatures()
}

// writeFeatureCSV writes the feature table df as CSV: patient_id (and
// lesion_id for a lesion-level cohort), split and response from the
// manifest, then every other column of df, one row per row of c in manifest
// order (df's rows are matched by patient_id and lesion_id). Floats are written with the fewest digits that read back
// to the same value, NaN as NA, ±Inf as Inf and -Inf.
func writeFeatureCSV(w io.Writer, c *cohort.Cohort, df dataframe.DataFrame) error {
	if df.Err != nil {
		return df.Err
	}
	keys, err := cohort.FrameKeys(df)
	if err != nil {
		return err
	}
	row := map[string]int{}
	for i, id := range keys {
		row[id] = i
	}
	var cols []series.Series
	header := append(cohort.KeyHeader(c.Patients), cohort.ColSplit, cohort.ColResponse)
	nk, lesions := len(header)-2, cohort.HasLesionIDs(c.Patients)
	for _, n := range df.Names() {
		if !cohort.IsKeyColumn(n) && n != cohort.ColSplit && n != cohort.ColResponse {
			cols = append(cols, df.Col(n))
			header = append(header, n)
		}
	}
	cw := csv.NewWriter(w)
	cw.Write(header)
	rec := make([]string, len(header))
	for _, p := range c.Patients {
		i, ok := row[p.ID]
		if !ok {
			return fmt.Errorf("patient %s (line %d): no row in the feature table", p.ID, p.Line)
		}
		copy(rec, cohort.KeyCells(p, lesions))
		rec[nk], rec[nk+1] = p.Split, p.Response
		for j, s := range cols {
			rec[nk+2+j] = featureCell(s.Elem(i), s.Type())
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// featureCell formats one value of the feature table.
func featureCell(e series.Element, t series.Type) string {
	if t != series.Float {
		if e.IsNA() {
			return "NA"
		}
		return e.String()
	}
	switch v := e.Float(); {
	case math.IsNaN(v):
		return "NA"
	case math.IsInf(v, 1):
		return "Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	default:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
}
