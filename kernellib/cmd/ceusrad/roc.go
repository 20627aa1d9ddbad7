package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/roc"
)

func init() {
	register(command{
		name:    "roc",
		summary: "AUCs with DeLong CIs and paired DeLong tests for score columns of a CSV",
		run:     runROC,
	})
}

// rocLevel is the confidence level of every interval `ceusrad roc` reports.
const rocLevel = 0.95

const rocUsage = `Usage: ceusrad roc -in FILE.csv -truth COL -scores a,b[,c...] [-positive 1 [-negative 0]]
                   [-weights COL | -cluster COL] [-json]

Reads a CSV file with a header row. Column COL is the truth: the value given
by -positive marks a case, the value given by -negative a control. The
documented label sets need no -negative: 1/0 (numbers, compared by value:
1, 1.0 and 1.00 are the same label) and OR/NR; any other pair is given
with both flags (e.g. -positive yes -negative no). An empty truth value or
NA, N/A, NaN or "." is missing: the row is left out and counted in the
output ("n_missing"); any other value is an error naming the row. Each
score column is a model's score, cases expected higher. For each score it reports the AUC, its
DeLong standard error and 95% CI (DeLong, DeLong & Clarke-Pearson 1988; as
pROC's ci.auc), and for each pair of scores, in column order, DeLong's paired
test: the AUC difference, z, two-sided p and the 95% CI of the difference (as
pROC's roc.test). The plain table adds Holm-adjusted p-values (Holm 1979).
Each score also gets the two-sided p-value of AUC = 0.5 with DeLong's SE
("p_vs_half") and its precision–recall summary ("pr_auc"): the average
precision as scikit-learn's average_precision_score, the area under Davis &
Goadrich's interpolated PR curve (ICML 2006), and the 95% CI of the average
precision from 2000 stratified bootstrap replicates (percentile, seed 0).
With 3 or more scores, DeLong's omnibus chi-square test that all the AUCs
are equal (DeLong et al. 1988, section 3; df = scores − 1 unless two scores
have identical placements) comes first, the gate before the pairs
("omnibus_delong").

With -json it prints one JSON object:
  {"n_cases": .., "n_controls": .., "n_missing": ..,
   "models": [{"score": "a", "auc": .., "se": .., "ci_delong": [lo, hi],
               "p_vs_half": ..,
               "pr_auc": {"average_precision": .., "auc_interpolated": ..,
                          "ci": [lo, hi]}}, ...],
   "paired_delong": [{"a": "a", "b": "b", "diff": .., "z": .., "p": ..,
                      "ci": [lo, hi]}, ...],
   "omnibus_delong": {"chi2": .., "df": .., "p": ..}}   (3 or more scores)

` + rocWeightsUsage + `
Flags:
`

// rocModel and rocPair are the JSON shape of `ceusrad roc -json`.
type rocModel struct {
	Score    string       `json:"score"`
	AUC      jsonFloat    `json:"auc"`
	SE       jsonFloat    `json:"se"`
	CIDeLong [2]jsonFloat `json:"ci_delong"`
	PVsHalf  jsonFloat    `json:"p_vs_half"`
	PRAUC    rocPR        `json:"pr_auc"`
}

type rocPair struct {
	A    string       `json:"a"`
	B    string       `json:"b"`
	Diff jsonFloat    `json:"diff"`
	Z    jsonFloat    `json:"z"`
	P    jsonFloat    `json:"p"`
	CI   [2]jsonFloat `json:"ci"`
}

type rocReport struct {
	NCases       int        `json:"n_cases"`
	NControls    int        `json:"n_controls"`
	NMissing     int        `json:"n_missing"`
	Models       []rocModel `json:"models"`
	PairedDeLong []rocPair  `json:"paired_delong"`
	// OmnibusDeLong is present with 3 or more scores.
	OmnibusDeLong *rocOmnibus `json:"omnibus_delong,omitempty"`
	// Weighted and Clustered are there with -weights and -cluster
	// (roc_weights.go).
	Weighted  *rocWeighted  `json:"weighted,omitempty"`
	Clustered *rocClustered `json:"clustered,omitempty"`
}

// jsonFloat is a float64 written as JSON null when it is not finite (a z of
// ±Inf when two AUCs differ with no variance at all).
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(v)
}

func runROC(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("roc", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "CSV `file` with a header row (required)")
	truthCol := fs.String("truth", "", "truth `column` (required)")
	scoreList := fs.String("scores", "", "comma-separated score `columns`, cases expected higher (required)")
	positive := fs.String("positive", "1", "truth `value` that marks a case")
	negative := fs.String("negative", "", "truth `value` that marks a control (default: 0 for 1, 1 for 0, NR for OR, OR for NR)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	weightsCol := fs.String("weights", "", "case-weight `column` (finite, ≥ 0; 0 leaves a row out): adds weighted AUCs")
	clusterCol := fs.String("cluster", "", "cluster `column` (e.g. patient ID, several lesions each): adds Obuchowski's clustered AUCs")
	fs.Usage = func() {} // the flag package has printed the error itself
	if code, done := parseFlags(fs, args, rocUsage, stdout); done {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "ceusrad roc: "+format+"\n", a...)
		return exitUsage
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q (see ceusrad help roc)", fs.Arg(0))
	}
	if *in == "" || *truthCol == "" || *scoreList == "" {
		return fail("-in, -truth and -scores are required (see ceusrad help roc)")
	}
	var names []string
	for _, s := range strings.Split(*scoreList, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			return fail("-scores %q: empty column name", *scoreList)
		}
		for _, t := range names {
			if t == s {
				return fail("-scores %q: column %q given twice", *scoreList, s)
			}
		}
		names = append(names, s)
	}

	labels, err := cohort.NewLabelSet(*positive, *negative)
	if err != nil {
		return fail("-positive %q -negative %q: %v", *positive, *negative, strings.TrimPrefix(err.Error(), "cohort: "))
	}
	extra, err := rocExtraColumns(*weightsCol, *clusterCol, *truthCol, names)
	if err != nil {
		return fail("%v", err)
	}
	data, err := readROCCSV(*in, *truthCol, names, labels, extra)
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad roc: %v\n", err)
		return exitError
	}
	rep, holm, err := analyseROC(data, names)
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad roc: %s: %v\n", *in, err)
		return exitError
	}
	rep.NMissing = len(data.missing)
	if err := addWeightsClusters(rep, data, names, *in, *weightsCol, *clusterCol); err != nil {
		fmt.Fprintf(stderr, "ceusrad roc: %v\n", err)
		return exitError
	}
	if *asJSON {
		b, err := json.Marshal(rep)
		if err != nil {
			fmt.Fprintf(stderr, "ceusrad roc: %v\n", err)
			return exitError
		}
		b = append(b, '\n')
		stdout.Write(b)
		return exitOK
	}
	printROC(stdout, *in, *truthCol, labels, data.missing, rep, holm)
	printWeightsClusters(stdout, rep)
	return exitOK
}

// rocData is the content of the input CSV.
type rocData struct {
	truth   []bool
	scores  [][]float64
	missing []int // data rows (1-based) left out for a missing truth value
	// extra[j] holds the raw values of column extra j of readROCCSV for
	// the rows kept, rows and lines their data row and line numbers.
	extra       [][]string
	rows, lines []int
}

// readROCCSV reads the truth and score columns of a CSV file with a header
// row, with errors that name the file, the line and the column, and the raw
// values of the extra columns.
func readROCCSV(path, truthCol string, names []string, labels cohort.LabelSet, extra []string) (*rocData, error) {
	f, r, header, err := openCSV(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r.ReuseRecord = true
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	find := func(name string) (int, error) {
		i, ok := col[name]
		if !ok {
			return 0, fmt.Errorf("%s: no column %q in the header (columns: %s)", path, name, strings.Join(header, ", "))
		}
		return i, nil
	}
	ti, err := find(truthCol)
	if err != nil {
		return nil, err
	}
	si := make([]int, len(names))
	for j, n := range names {
		if si[j], err = find(n); err != nil {
			return nil, err
		}
	}
	ei := make([]int, len(extra))
	for j, n := range extra {
		if ei[j], err = find(n); err != nil {
			return nil, err
		}
	}
	d := &rocData{scores: make([][]float64, len(names)), extra: make([][]string, len(extra))}
	for row := 1; ; row++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		where := func(c string) string {
			return fmt.Sprintf("%s: line %d (data row %d), column %q", path, line, row, c)
		}
		lab, err := labels.Parse(rec[ti])
		if err != nil {
			return nil, fmt.Errorf("%s: %v", where(truthCol), err)
		}
		if lab == cohort.LabelMissing {
			d.missing = append(d.missing, row)
			continue
		}
		d.truth = append(d.truth, lab == cohort.LabelCase)
		d.rows, d.lines = append(d.rows, row), append(d.lines, line)
		for j := range extra {
			d.extra[j] = append(d.extra[j], rec[ei[j]])
		}
		for j, n := range names {
			s := strings.TrimSpace(rec[si[j]])
			v, err := strconv.ParseFloat(s, 64)
			switch {
			case s == "":
				return nil, fmt.Errorf("%s: missing score", where(n))
			case err != nil:
				return nil, fmt.Errorf("%s: %q is not a number", where(n), s)
			case math.IsNaN(v) || math.IsInf(v, 0):
				return nil, fmt.Errorf("%s: score %q is not finite", where(n), s)
			}
			d.scores[j] = append(d.scores[j], v)
		}
	}
	if len(d.truth) == 0 && len(d.missing) == 0 {
		return nil, fmt.Errorf("%s: no data rows after the header", path)
	}
	cases := 0
	for _, t := range d.truth {
		if t {
			cases++
		}
	}
	switch {
	case cases == 0:
		return nil, fmt.Errorf("%s: column %q: no case (no value equal to -positive %q) among %d rows with a truth value (%d missing)", path, truthCol, labels.Positive, len(d.truth), len(d.missing))
	case cases == len(d.truth):
		return nil, fmt.Errorf("%s: column %q: no control (no value equal to -negative %q) among %d rows with a truth value (%d missing)", path, truthCol, labels.Negative, len(d.truth), len(d.missing))
	}
	return d, nil
}

// analyseROC computes the report, and the Holm-adjusted p-values of the
// pairs for the table.
func analyseROC(d *rocData, names []string) (*rocReport, []float64, error) {
	dl, err := roc.NewDeLong(d.scores, d.truth, roc.CasesHigher)
	if err != nil {
		return nil, nil, err
	}
	rep := &rocReport{NCases: dl.Cases, NControls: dl.Controls, PairedDeLong: []rocPair{}}
	for r, n := range names {
		ci, err := dl.CI(r, rocLevel)
		if err != nil {
			return nil, nil, err
		}
		rep.Models = append(rep.Models, rocModel{Score: n, AUC: jsonFloat(dl.AUC[r]), SE: jsonFloat(dl.SE(r)),
			CIDeLong: [2]jsonFloat{jsonFloat(ci[0]), jsonFloat(ci[1])}})
		m := &rep.Models[r]
		if m.PVsHalf, m.PRAUC, err = rocModelExtras(dl, r, d.scores[r], d.truth); err != nil {
			return nil, nil, err
		}
	}
	if rep.OmnibusDeLong, err = rocOmnibusOf(dl); err != nil {
		return nil, nil, err
	}
	rows, err := dl.Pairwise(rocLevel)
	if err != nil {
		return nil, nil, err
	}
	holm := make([]float64, len(rows))
	for i, t := range rows {
		rep.PairedDeLong = append(rep.PairedDeLong, rocPair{A: names[t.A], B: names[t.B],
			Diff: jsonFloat(t.Diff), Z: jsonFloat(t.Z), P: jsonFloat(t.P),
			CI: [2]jsonFloat{jsonFloat(t.CI[0]), jsonFloat(t.CI[1])}})
		holm[i] = t.PHolm
	}
	return rep, holm, nil
}

// printROC writes the report as aligned tables.
func printROC(w io.Writer, path, truthCol string, labels cohort.LabelSet, missing []int, rep *rocReport, holm []float64) {
	fmt.Fprintf(w, "%s: %d cases (%s = %s), %d controls (%s = %s)", path, rep.NCases, truthCol, labels.Positive, rep.NControls, truthCol, labels.Negative)
	if len(missing) > 0 {
		fmt.Fprintf(w, "; %d rows left out, truth missing (data rows %s)", len(missing), rowList(missing))
	}
	fmt.Fprint(w, "\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "score\tAUC\tSE\t95% CI (DeLong)\t")
	for _, m := range rep.Models {
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f to %.4f\t\n", m.Score, m.AUC, m.SE, m.CIDeLong[0], m.CIDeLong[1])
	}
	tw.Flush()
	printPR(w, rep)
	if len(rep.PairedDeLong) == 0 {
		return
	}
	printOmnibus(w, rep)
	pairs := "pairs"
	if len(rep.PairedDeLong) == 1 {
		pairs = "pair"
	}
	fmt.Fprintf(w, "\nPaired DeLong tests (difference = AUC a − AUC b; Holm over %d %s)\n\n", len(rep.PairedDeLong), pairs)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "a\tb\tdiff\t95% CI\tz\tp\tp (Holm)\t")
	for i, p := range rep.PairedDeLong {
		fmt.Fprintf(tw, "%s\t%s\t%.4f\t%.4f to %.4f\t%.3f\t%s\t%s\t\n", p.A, p.B, p.Diff, p.CI[0], p.CI[1], p.Z, pval(float64(p.P)), pval(holm[i]))
	}
	tw.Flush()
}

// pval formats a p-value with 4 decimals, or as "<0.0001".
func pval(p float64) string {
	if p < 1e-4 {
		return "<0.0001"
	}
	return strconv.FormatFloat(p, 'f', 4, 64)
}
