package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/learn"
	"github.com/ceusrad/ceusrad/kernellib/radiomics"
	"github.com/ceusrad/ceusrad/kernellib/tic"
)

func init() {
	register(command{
		name:    "train",
		summary: "fit a penalised logistic regression, SVM or random forest to a feature table",
		run:     runTrain,
	})
}

const trainUsage = `Usage: ceusrad train -in FEATURES.csv -label COL [-positive 1 [-negative 0]]
       -model lasso|ridge|enet|svm-linear|svm-rbf|rf [-C value | -lambda value]
       [-seed 1] [-json]

Reads a CSV file with a header row and fits a model on all its rows with an
outcome. Column COL is the outcome: the value given by -positive marks a
case, the value given by -negative a control. The documented label sets need
no -negative: 1/0 (numbers, compared by value: 1, 1.0 and 1.00 are the same
label) and OR/NR; any other pair is given with both flags (e.g. -positive
yes -negative no). An empty outcome or NA, N/A, NaN or "." is missing: the
row is left out (its other cells are not read) and counted in the output
("n_missing"); any other value is an error naming the row. The features are every other column whose values are all
numbers; a column with no number in it (an identifier, a split) is not a
feature and is listed in the output, and so are the columns of "ceusrad
features" that describe the analysis, not the patient (arrival_s and the
overlay pixel counts), and a missing or non-numeric value in
a numeric column is an error. Features are standardised inside the fit
(mean 0, population SD 1; a constant column is dropped and listed).

Models:
  lasso, ridge, enet  logistic regression with an L1, L2 or elastic-net
                      (α = 0.5) penalty, fitted by glmnet's coordinate
                      descent on the standardised features (package learn,
                      LogisticPath). -lambda λ is the penalty on the mean
                      log-loss scale; -C is scikit-learn's C = 1/(n·λ).
                      Without either, λ is chosen by stratified 10-fold
                      cross-validation (fewer folds when a class has fewer
                      than 10 rows) over glmnet's 100-value path, minimum
                      mean deviance, folds seeded by -seed.
  svm-linear, svm-rbf support vector classifier (SMO) on the standardised
                      features, C from -C (default 1), RBF γ = 1/(p·var)
                      (scikit-learn's "scale"); probabilities by Platt
                      scaling with internal 5-fold CV seeded by -seed.
  rf                  random forest, 500 trees, mtry = ⌊√p⌋, seeded by
                      -seed; neither -C nor -lambda applies.

The plain output is the fitted model: coefficients per feature (per SD and
in the feature's own units) for the logistic models, the weights or support
vectors of an SVM, out-of-bag error and importances of a forest.

With -json it prints one JSON object:
  {"model": "lasso", "features": [...], "coef": [...], "intercept": x,
   "proba": [...], "n_missing": k}
features are the feature columns in file order; coef their coefficients
on the standardised scale (0 for a dropped constant column) and intercept
the intercept on that scale, so that for the logistic models
proba = 1/(1 + exp(−(intercept + Σ coef·z))) with z the standardised
features; for svm-linear, coef is the weight vector w and intercept b of
the decision function w·z + b (proba is Platt-scaled); for svm-rbf coef is
[] and intercept is b; for rf coef is [] and intercept null. proba is
P(case) for every input row with an outcome, in file order; n_missing is
the number of rows left out for a missing outcome.

Flags:
`

// trainModels are the -model values.
var trainModels = []string{"lasso", "ridge", "enet", "svm-linear", "svm-rbf", "rf"}

// trainEnetAlpha is the elastic-net mixing of -model enet.
const trainEnetAlpha = 0.5

// trainReport is the JSON shape of `ceusrad train -json`.
type trainReport struct {
	Model     string    `json:"model"`
	Features  []string  `json:"features"`
	Coef      []float64 `json:"coef"`
	Intercept *float64  `json:"intercept"`
	Proba     []float64 `json:"proba"`
	NMissing  int       `json:"n_missing"`
}

func runTrain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "feature table, CSV `file` with a header row (required)")
	label := fs.String("label", "", "outcome `column` (required)")
	positive := fs.String("positive", "1", "outcome `value` that marks a case")
	negative := fs.String("negative", "", "outcome `value` that marks a control (default: 0 for 1, 1 for 0, NR for OR, OR for NR)")
	model := fs.String("model", "", "`model`: "+strings.Join(trainModels, ", ")+" (required)")
	cFlag := fs.String("C", "", "inverse penalty `C` (scikit-learn's; λ = 1/(n·C) for the logistic models)")
	lambdaFlag := fs.String("lambda", "", "penalty `λ` of the logistic models (mean log-loss scale)")
	seed := fs.Uint64("seed", 1, "`seed` of the cross-validation folds, Platt folds or forest")
	asJSON := fs.Bool("json", false, "print one JSON object instead of tables")
	fs.Usage = func() {}
	if code, done := parseFlags(fs, args, trainUsage, stdout); done {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "ceusrad train: "+format+" (see ceusrad help train)\n", a...)
		return exitUsage
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	if *in == "" || *label == "" || *model == "" {
		return fail("-in, -label and -model are required")
	}
	known := false
	for _, m := range trainModels {
		known = known || m == *model
	}
	if !known {
		return fail("-model %q: want one of %s", *model, strings.Join(trainModels, ", "))
	}
	parsePos := func(name, s string) (float64, error) {
		if s == "" {
			return 0, nil
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("-%s %q: want a positive number", name, s)
		}
		return v, nil
	}
	cVal, err := parsePos("C", *cFlag)
	if err != nil {
		return fail("%v", err)
	}
	lamVal, err := parsePos("lambda", *lambdaFlag)
	if err != nil {
		return fail("%v", err)
	}
	switch {
	case cVal != 0 && lamVal != 0:
		return fail("-C and -lambda both given: give one")
	case lamVal != 0 && strings.HasPrefix(*model, "svm"):
		return fail("-lambda does not apply to %s: give -C", *model)
	case (lamVal != 0 || cVal != 0) && *model == "rf":
		return fail("-C and -lambda do not apply to rf")
	}

	labels, err := cohort.NewLabelSet(*positive, *negative)
	if err != nil {
		return fail("-positive %q -negative %q: %v", *positive, *negative, strings.TrimPrefix(err.Error(), "cohort: "))
	}
	tab, err := readTrainCSV(*in, *label, labels)
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad train: %v\n", err)
		return exitError
	}
	fit, err := fitTrain(tab, *model, cVal, lamVal, *seed)
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad train: %s: %v\n", *in, err)
		return exitError
	}
	fit.report.NMissing = len(tab.missing)
	if *asJSON {
		if len(tab.ignored) > 0 {
			fmt.Fprintf(stderr, "ceusrad train: %s: not features (no numeric value): %s\n", *in, strings.Join(tab.ignored, ", "))
		}
		if len(tab.descr) > 0 {
			fmt.Fprintf(stderr, "ceusrad train: %s: not features (they describe the analysis): %s\n", *in, strings.Join(tab.descr, ", "))
		}
		b, err := json.Marshal(fit.report)
		if err != nil {
			fmt.Fprintf(stderr, "ceusrad train: %v\n", err)
			return exitError
		}
		stdout.Write(append(b, '\n'))
		return exitOK
	}
	printTrain(stdout, *in, *label, labels, tab, fit)
	return exitOK
}

// describesAnalysis reports a column that `ceusrad features` writes about
// the analysis rather than the patient — the TIC's arrival_s (on the cine's
// clock), its *_overlay_pixels counts and radiomics' overlay_pixels — which
// is numeric but no feature: a model must not learn the scanner's clock or
// the annotations burned into the frames.
func describesAnalysis(col string) bool {
	return col == tic.ColArrival || col == radiomics.ColOverlayPixels || strings.HasSuffix(col, tic.ColOverlaySuffix)
}

// trainTable is the content of the feature table.
type trainTable struct {
	names   []string // feature columns, file order
	ignored []string // columns with no numeric value
	descr   []string // numeric columns that describe the analysis (describesAnalysis)
	X       [][]float64
	y       []bool
	cases   int
	missing []int // data rows (1-based) left out for a missing outcome
}

// readTrainCSV reads the label and every numeric column, with errors that
// name the file, the line and the column.
func readTrainCSV(path, label string, labels cohort.LabelSet) (*trainTable, error) {
	f, r, header, err := openCSV(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	li := -1
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		header[i] = h
		if seen[h] {
			return nil, fmt.Errorf("%s: column %q appears twice in the header", path, h)
		}
		seen[h] = true
		if h == label {
			li = i
		}
	}
	if li < 0 {
		return nil, fmt.Errorf("%s: no column %q in the header (columns: %s)", path, label, strings.Join(header, ", "))
	}
	type cell struct {
		line int
		s    string
	}
	var rows [][]cell
	var ys []bool
	var rowNum []int // data row of each kept row
	t := &trainTable{}
	for n := 1; ; n++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		lab, err := labels.Parse(rec[li])
		if err != nil {
			return nil, fmt.Errorf("%s: line %d (data row %d), column %q: %v", path, line, n, label, err)
		}
		if lab == cohort.LabelMissing {
			t.missing = append(t.missing, n)
			continue
		}
		ys = append(ys, lab == cohort.LabelCase)
		rowNum = append(rowNum, n)
		row := make([]cell, len(rec))
		for j, s := range rec {
			row[j] = cell{line, strings.TrimSpace(s)}
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		if len(t.missing) > 0 {
			return nil, fmt.Errorf("%s: column %q: every one of the %d rows has a missing outcome", path, label, len(t.missing))
		}
		return nil, fmt.Errorf("%s: no data rows after the header", path)
	}
	var cols []int
	for j, h := range header {
		if j == li {
			continue
		}
		if describesAnalysis(h) {
			t.descr = append(t.descr, h)
			continue
		}
		numeric := false
		for _, row := range rows {
			if _, err := strconv.ParseFloat(row[j].s, 64); err == nil {
				numeric = true
				break
			}
		}
		if numeric {
			cols = append(cols, j)
			t.names = append(t.names, h)
		} else {
			t.ignored = append(t.ignored, h)
		}
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("%s: no numeric feature column besides %q", path, label)
	}
	for k, row := range rows {
		where := func(c string) string {
			return fmt.Sprintf("%s: line %d (data row %d), column %q", path, row[0].line, rowNum[k], c)
		}
		t.y = append(t.y, ys[k])
		if ys[k] {
			t.cases++
		}
		x := make([]float64, len(cols))
		for c, j := range cols {
			s := row[j].s
			v, err := strconv.ParseFloat(s, 64)
			switch {
			case s == "":
				return nil, fmt.Errorf("%s: missing value (train has no imputation: impute or drop the row first)", where(header[j]))
			case err != nil:
				return nil, fmt.Errorf("%s: %q is not a number", where(header[j]), s)
			case math.IsNaN(v) || math.IsInf(v, 0):
				return nil, fmt.Errorf("%s: %q is not a finite number", where(header[j]), s)
			}
			x[c] = v
		}
		t.X = append(t.X, x)
	}
	switch {
	case t.cases == 0:
		return nil, fmt.Errorf("%s: column %q: no case (no value equal to -positive %q) among %d rows with an outcome (%d missing)", path, label, labels.Positive, len(t.y), len(t.missing))
	case t.cases == len(t.y):
		return nil, fmt.Errorf("%s: column %q: no control (no value equal to -negative %q) among %d rows with an outcome (%d missing)", path, label, labels.Negative, len(t.y), len(t.missing))
	}
	return t, nil
}

// trainFit is a fitted model with what the outputs need.
type trainFit struct {
	report  trainReport
	logit   *learn.LogisticModel
	pipe    *learn.PipelineModel
	lambda  float64
	byCV    bool
	folds   int
	dropped []string
}

// fitTrain fits the model named by the -model value.
func fitTrain(t *trainTable, model string, c, lambda float64, seed uint64) (*trainFit, error) {
	fit := &trainFit{report: trainReport{Model: model, Features: t.names}}
	n := len(t.y)
	switch model {
	case "lasso", "ridge", "enet":
		pen, alpha := learn.L1, 0.0
		switch model {
		case "ridge":
			pen = learn.L2
		case "enet":
			pen, alpha = learn.ElasticNet, trainEnetAlpha
		}
		var m *learn.LogisticModel
		if c == 0 && lambda == 0 {
			k := min(10, t.cases, n-t.cases)
			if k < 2 {
				return nil, fmt.Errorf("%d cases and %d controls: too few to choose λ by cross-validation (give -C or -lambda)", t.cases, n-t.cases)
			}
			mm, err := learn.LogisticCV{Penalty: pen, L1Ratio: alpha, Folds: k, Seed: seed}.Fit(t.X, t.y)
			if err != nil {
				return nil, err
			}
			m = mm.(*learn.LogisticModel)
			fit.byCV, fit.folds = true, k
		} else {
			var err error
			m, err = learn.Logistic{Penalty: pen, L1Ratio: alpha, C: c, Lambda: lambda}.FitLogistic(t.X, t.y)
			if err != nil {
				return nil, err
			}
		}
		fit.logit, fit.lambda = m, m.Lambda
		for _, j := range m.Constant {
			fit.dropped = append(fit.dropped, t.names[j])
		}
		fit.report.Coef = m.StdCoef
		b := m.StdIntercept
		fit.report.Intercept = &b
		p, err := m.PredictProba(t.X)
		if err != nil {
			return nil, err
		}
		fit.report.Proba = p
	default:
		var est learn.Estimator
		switch model {
		case "svm-linear", "svm-rbf":
			if c == 0 {
				c = 1
			}
			k := learn.Linear
			if model == "svm-rbf" {
				k = learn.RBF
			}
			est = learn.SVM{Kernel: k, C: c, Seed: seed}
		case "rf":
			est = learn.RandomForest{Seed: seed}
		}
		pm, err := learn.Pipeline{Steps: []learn.Transformer{learn.Standardizer{}}, Model: est, Names: t.names}.FitPipeline(t.X, t.y)
		if err != nil {
			return nil, err
		}
		fit.pipe = pm
		if st, ok := pm.Steps[0].(*learn.Standardization); ok {
			for _, j := range st.Dropped {
				fit.dropped = append(fit.dropped, t.names[j])
			}
		}
		fit.report.Coef = []float64{}
		if sm, ok := pm.Model.(*learn.SVMModel); ok {
			b := sm.B
			fit.report.Intercept = &b
			if sm.W != nil {
				coef := make([]float64, len(t.names))
				for i, j := range pm.Columns {
					coef[j] = sm.W[i]
				}
				fit.report.Coef = coef
			}
		}
		if fit.report.Proba, err = pm.PredictProba(t.X); err != nil {
			return nil, err
		}
	}
	return fit, nil
}

// printTrain writes the fitted model as text.
func printTrain(w io.Writer, path, label string, labels cohort.LabelSet, t *trainTable, fit *trainFit) {
	n := len(t.y)
	fmt.Fprintf(w, "%s: %d rows, %d cases (%s = %s), %d controls (%s = %s); %d features\n", path, n, t.cases, label, labels.Positive, n-t.cases, label, labels.Negative, len(t.names))
	if len(t.missing) > 0 {
		fmt.Fprintf(w, "%d rows left out, outcome missing (data rows %s)\n", len(t.missing), rowList(t.missing))
	}
	if len(t.ignored) > 0 {
		fmt.Fprintf(w, "not features (no numeric value): %s\n", strings.Join(t.ignored, ", "))
	}
	if len(t.descr) > 0 {
		fmt.Fprintf(w, "not features (they describe the analysis): %s\n", strings.Join(t.descr, ", "))
	}
	if len(fit.dropped) > 0 {
		fmt.Fprintf(w, "constant, dropped: %s\n", strings.Join(fit.dropped, ", "))
	}
	fmt.Fprintln(w)
	switch {
	case fit.logit != nil:
		m := fit.logit
		desc := map[learn.Penalty]string{learn.L1: "L1 (lasso)", learn.L2: "L2 (ridge)",
			learn.ElasticNet: fmt.Sprintf("elastic net, α = %g", trainEnetAlpha)}[m.Penalty]
		fmt.Fprintf(w, "model: %s — logistic regression, %s penalty\n", fit.report.Model, desc)
		how := "given"
		if fit.byCV {
			how = fmt.Sprintf("chosen by stratified %d-fold CV (minimum mean deviance %.4f ± %.4f)",
				fit.folds, m.CV.Mean[m.CV.Index], m.CV.SE[m.CV.Index])
		}
		fmt.Fprintf(w, "λ = %.6g (C = 1/(n·λ) = %.6g), %s\n", m.Lambda, 1/(float64(n)*m.Lambda), how)
		fmt.Fprintf(w, "deviance %.4f (null %.4f), %d of %d coefficients non-zero\n\n",
			m.Deviance, m.NullDeviance, len(m.SelectedFeatures()), len(m.Coef))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "feature\tcoef per SD\tcoef per unit\todds ratio per SD\t")
		fmt.Fprintf(tw, "(intercept)\t%.6g\t%.6g\t\t\n", m.StdIntercept, m.Intercept)
		for j, name := range t.names {
			fmt.Fprintf(tw, "%s\t%.6g\t%.6g\t%.4g\t\n", name, m.StdCoef[j], m.Coef[j], math.Exp(m.StdCoef[j]))
		}
		tw.Flush()
		fmt.Fprintln(w, "\n(intercept per SD: at the mean of every feature)")
	case fit.pipe != nil:
		switch mm := fit.pipe.Model.(type) {
		case *learn.SVMModel:
			fmt.Fprintf(w, "model: %s — support vector classifier, C = %g", fit.report.Model, mm.C)
			if mm.Kernel == learn.RBF {
				fmt.Fprintf(w, ", RBF γ = %.6g", mm.Gamma)
			}
			fmt.Fprintf(w, "; %d support vectors; Platt A = %.6g, B = %.6g\n", len(mm.Support), mm.Platt.A, mm.Platt.B)
			fmt.Fprintf(w, "decision function intercept b = %.6g\n", mm.B)
			if mm.W != nil {
				fmt.Fprintln(w)
				tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
				fmt.Fprintln(tw, "feature\tweight per SD\t")
				for j, name := range t.names {
					fmt.Fprintf(tw, "%s\t%.6g\t\n", name, fit.report.Coef[j])
				}
				tw.Flush()
			}
		case *learn.ForestModel:
			fmt.Fprintf(w, "model: rf — random forest, %d trees; out-of-bag error %.4f (%d rows out of bag at least once)\n\n",
				mm.Trees(), mm.OOBError(), mm.OOBCount())
			imp := mm.ImpurityImportance()
			order := make([]int, len(imp))
			for i := range order {
				order[i] = i
			}
			sort.SliceStable(order, func(a, b int) bool { return imp[order[a]] > imp[order[b]] })
			feats := fit.pipe.Features()
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "feature\timpurity importance\t")
			for _, i := range order {
				fmt.Fprintf(tw, "%s\t%.4f\t\n", feats[i], imp[i])
			}
			tw.Flush()
		default:
			fmt.Fprintf(w, "model: %s (%T)\n", fit.report.Model, mm)
		}
	}
}
