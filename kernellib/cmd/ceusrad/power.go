package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/roc"
)

func init() {
	register(command{
		name:    "power",
		summary: "power and sample size for one AUC vs 0.5 or two correlated AUCs (pROC's power.roc.test)",
		run:     runPower,
	})
}

const powerUsage = `Usage: ceusrad power [-auc A[,B] [-r R]] [-cases N] [-controls N] [-kappa K]
                     [-alpha A|solve] [-power P] [-one-sided] [-json]
       ceusrad power -in FILE.csv -truth COL -scores a[,b] [-method delong|obuchowski]
                     [-alpha A|solve] [-power P] [-kappa K] [-one-sided] [-json]

Power and sample size for ROC studies, as pROC 1.18's power.roc.test
(Obuchowski & McClish, Stat Med 1997): of the AUC(s), the cases, the
significance level and the power, give all but one and the last is solved
for. Leave out the unknown (-alpha, which defaults to 0.05, is solved with
-alpha solve). Cases and controls follow from any two of -cases, -controls
and -kappa (controls per case; 1 when neither -controls nor -kappa is given).
Counts are reported unrounded, as pROC does, and rounded up for planning.

One AUC against 0.5: -auc A (in (0.5, 1)); any of the AUC, cases, alpha or
power may be the unknown.

Two correlated AUCs (AUC 1 the reference, AUC 2 compared with it):
  -auc A,B -r R      equal-variance binormal curves with these AUCs whose
                     scores correlate R in cases and controls (pROC's list
                     form with B = 1, A = sqrt(2) qnorm(AUC)); the cases,
                     alpha or power is solved for.
  -in FILE -scores a,b
                     two scores of a CSV file read as 'ceusrad roc' reads it
                     (-truth, -positive, -negative; cases expected higher);
                     their AUCs, variances and covariance (DeLong's, pROC's
                     default, or -method obuchowski's binormal fits) give the
                     power at the file's size (-alpha), the alpha (-alpha
                     solve -power P), or the cases needed (-alpha and -power;
                     -kappa sets controls per case, else the file's ratio).
  -in FILE -scores a one score's AUC against 0.5, the same three ways.
Under H0 both curves are taken as accurate as the first: the order matters.

With -json it prints one JSON object:
  {"solved": "cases", "cases": .., "controls": .., "kappa": .., "alpha": ..,
   "power": .., "one_sided": false, "auc": ..}
with "auc" for one AUC, "auc1" and "auc2" for two; "r" with -auc A,B;
"scores" and "n_missing" (rows without a truth value) with -in, and
"method" with two scores.

Flags:
`

// optFloat is a float flag that records whether it was given, and accepts
// "solve" to mark the quantity unknown.
type optFloat struct {
	v     float64
	set   bool
	solve bool
}

func (o *optFloat) String() string {
	if o == nil || !o.set {
		return ""
	}
	return strconv.FormatFloat(o.v, 'g', -1, 64)
}

func (o *optFloat) Set(s string) error {
	o.set = true
	if s == "solve" {
		o.solve = true
		o.v = 0
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("%q is not a number (or solve)", s)
	}
	if !(v > 0) || math.IsInf(v, 0) {
		return fmt.Errorf("%v: want a positive finite number (or solve)", v)
	}
	o.v, o.solve = v, false
	return nil
}

// powerReport is the JSON shape of `ceusrad power -json`.
type powerReport struct {
	Solved   string     `json:"solved"`
	Cases    float64    `json:"cases"`
	Controls float64    `json:"controls"`
	Kappa    float64    `json:"kappa"`
	Alpha    float64    `json:"alpha"`
	Power    float64    `json:"power"`
	OneSided bool       `json:"one_sided"`
	AUC      *float64   `json:"auc,omitempty"`
	AUC1     *float64   `json:"auc1,omitempty"`
	AUC2     *float64   `json:"auc2,omitempty"`
	R        *float64   `json:"r,omitempty"`
	Scores   []string   `json:"scores,omitempty"`
	Method   string     `json:"method,omitempty"`
	NMissing *int       `json:"n_missing,omitempty"`
	data     *powerFile // for the table
}

// powerFile is what the table says about an input file.
type powerFile struct {
	path, truth string
	labels      cohort.LabelSet
	missing     []int
}

func runPower(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("power", flag.ContinueOnError)
	fs.SetOutput(stderr)
	alpha := optFloat{v: 0.05}
	var cases, controls, kappa, pow optFloat
	aucList := fs.String("auc", "", "the AUC under the alternative, or two AUCs `A,B` (AUC 1 the reference)")
	fs.Var(&cases, "cases", "number of cases (pROC's ncases)")
	fs.Var(&controls, "controls", "number of controls (pROC's ncontrols)")
	fs.Var(&kappa, "kappa", "controls per case (pROC's kappa)")
	fs.Var(&alpha, "alpha", "significance level (pROC's sig.level), or solve (default 0.05)")
	fs.Var(&pow, "power", "power, 1 − β")
	r := fs.Float64("r", 0, "correlation of the two scores in cases and controls, in [-1, 1] (with -auc A,B)")
	oneSided := fs.Bool("one-sided", false, "one-sided test (pROC's alternative = \"one.sided\")")
	in := fs.String("in", "", "CSV `file` with a header row: the curves' data")
	truthCol := fs.String("truth", "", "truth `column` (with -in)")
	scoreList := fs.String("scores", "", "one or two score `columns`, cases expected higher (with -in)")
	positive := fs.String("positive", "1", "truth `value` that marks a case")
	negative := fs.String("negative", "", "truth `value` that marks a control (default: 0 for 1, 1 for 0, NR for OR, OR for NR)")
	method := fs.String("method", "delong", "variances of two curves from -in: `delong` or obuchowski (binormal)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	fs.Usage = func() {}
	if code, done := parseFlags(fs, args, powerUsage, stdout); done {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "ceusrad power: "+format+" (see ceusrad help power)\n", a...)
		return exitUsage
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	plan := roc.PowerPlan{Cases: cases.v, Controls: controls.v, Kappa: kappa.v, Alpha: alpha.v, Power: pow.v, OneSided: *oneSided}
	for _, o := range []struct {
		name string
		f    *optFloat
	}{{"cases", &cases}, {"controls", &controls}, {"kappa", &kappa}} {
		if o.f.solve {
			return fail("-%s solve: %s is not solved for; leave it out or give a number", o.name, o.name)
		}
	}
	if given["r"] && !(*r >= -1 && *r <= 1) {
		return fail("-r %v: want a correlation in [-1, 1]", *r)
	}

	var rep *powerReport
	if *in != "" {
		for _, f := range []string{"auc", "cases", "controls", "r"} {
			if given[f] {
				return fail("-%s with -in: the file gives the AUCs, cases and controls", f)
			}
		}
		if *truthCol == "" || *scoreList == "" {
			return fail("-in needs -truth and -scores")
		}
		names := strings.Split(*scoreList, ",")
		for i := range names {
			names[i] = strings.TrimSpace(names[i])
			if names[i] == "" {
				return fail("-scores %q: empty column name", *scoreList)
			}
		}
		if len(names) > 2 || (len(names) == 2 && names[0] == names[1]) {
			return fail("-scores %q: give one score, or two different ones", *scoreList)
		}
		var m roc.PowerMethod
		switch *method {
		case "delong":
			m = roc.PowerDeLong
		case "obuchowski":
			m = roc.PowerBinormal
		default:
			return fail("-method %q: want delong or obuchowski", *method)
		}
		if len(names) == 1 && given["method"] {
			return fail("-method is for two scores; one AUC against 0.5 uses Obuchowski & McClish's formula")
		}
		labels, err := cohort.NewLabelSet(*positive, *negative)
		if err != nil {
			return fail("-positive %q -negative %q: %v", *positive, *negative, strings.TrimPrefix(err.Error(), "cohort: "))
		}
		data, err := readROCCSV(*in, *truthCol, names, labels, nil)
		if err != nil {
			fmt.Fprintf(stderr, "ceusrad power: %v\n", err)
			return exitError
		}
		if rep, err = powerFromData(data, names, m, plan); err != nil {
			fmt.Fprintf(stderr, "ceusrad power: %s: %v\n", *in, err)
			return exitError
		}
		rep.data = &powerFile{path: *in, truth: *truthCol, labels: labels, missing: data.missing}
	} else {
		for _, f := range []string{"truth", "scores", "positive", "negative", "method"} {
			if given[f] {
				return fail("-%s is for curves read with -in", f)
			}
		}
		aucs, err := parseAUCs(*aucList)
		if err != nil {
			return fail("-auc %q: %v", *aucList, err)
		}
		if len(aucs) == 2 && !given["r"] {
			return fail("-auc %s gives two AUCs: -r, their scores' correlation, is needed too", *aucList)
		}
		if len(aucs) < 2 && given["r"] {
			return fail("-r is for two AUCs (-auc A,B)")
		}
		var unknown []string
		if len(aucs) == 0 {
			unknown = append(unknown, "-auc")
		}
		if !cases.set && !controls.set {
			unknown = append(unknown, "-cases")
		}
		if alpha.solve {
			unknown = append(unknown, "-alpha")
		}
		if !pow.set || pow.solve {
			unknown = append(unknown, "-power")
		}
		if len(unknown) != 1 {
			what := "none is"
			if len(unknown) > 1 {
				what = strings.Join(unknown, ", ") + " are"
			}
			all := "-auc, -cases (or -controls), -alpha and -power"
			if len(aucs) == 2 {
				all = "-cases (or -controls), -alpha and -power"
			}
			return fail("give all but one of %s, the one solved for: %s unknown", all, what)
		}
		if rep, err = powerFromAUCs(aucs, *r, plan); err != nil {
			fmt.Fprintf(stderr, "ceusrad power: %v\n", err)
			return exitError
		}
	}
	if *asJSON {
		b, err := json.Marshal(rep)
		if err != nil {
			fmt.Fprintf(stderr, "ceusrad power: %v\n", err)
			return exitError
		}
		stdout.Write(append(b, '\n'))
		return exitOK
	}
	printPower(stdout, rep)
	return exitOK
}

// parseAUCs reads -auc: empty (the unknown), one AUC or two.
func parseAUCs(s string) ([]float64, error) {
	if s == "" || s == "solve" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	if len(parts) > 2 {
		return nil, fmt.Errorf("give one AUC or two")
	}
	var a []float64
	for _, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || !(v > 0 && v < 1) {
			return nil, fmt.Errorf("%q is not an AUC in (0, 1)", strings.TrimSpace(p))
		}
		a = append(a, v)
	}
	return a, nil
}

// solvedName says which quantity a plan left unknown; the AUC only where
// it can be.
func solvedName(p roc.PowerPlan, withAUC bool) string {
	switch {
	case withAUC && p.AUC == 0:
		return "auc"
	case p.Cases == 0 && p.Controls == 0:
		return "cases"
	case p.Alpha == 0:
		return "alpha"
	}
	return "power"
}

// powerFromAUCs solves the plan for one AUC against 0.5 (none: the AUC is
// the unknown) or for two AUCs correlated r.
func powerFromAUCs(aucs []float64, r float64, plan roc.PowerPlan) (*powerReport, error) {
	if len(aucs) == 2 {
		b, err := roc.EqualVarianceParams(aucs[0], aucs[1], r)
		if err != nil {
			return nil, err
		}
		solved := solvedName(plan, false)
		p, err := roc.PowerTwoParams(b, plan)
		if err != nil {
			return nil, err
		}
		rep := newPowerReport(solved, p)
		rep.AUC1, rep.AUC2, rep.R = &aucs[0], &aucs[1], &r
		return rep, nil
	}
	if len(aucs) == 1 {
		plan.AUC = aucs[0]
	}
	solved := solvedName(plan, true)
	p, err := roc.PowerOneAUC(plan)
	if err != nil {
		return nil, err
	}
	rep := newPowerReport(solved, p)
	rep.AUC = &p.AUC
	return rep, nil
}

// powerFromData solves the plan for the curves of one or two scores.
func powerFromData(d *rocData, names []string, m roc.PowerMethod, plan roc.PowerPlan) (*powerReport, error) {
	solved := "cases" // alpha and power both given
	switch {
	case plan.Alpha == 0:
		solved = "alpha"
	case plan.Power == 0:
		solved = "power"
	}
	var p roc.PowerPlan
	var err error
	if len(names) == 1 {
		p, err = roc.PowerOneCurve(d.scores[0], d.truth, roc.CasesHigher, plan)
	} else {
		p, err = roc.PowerTwoCurves(d.scores[0], d.scores[1], d.truth, m, plan, roc.CasesHigher)
	}
	if err != nil {
		return nil, err
	}
	rep := newPowerReport(solved, p)
	rep.Scores = names
	missing := len(d.missing)
	rep.NMissing = &missing
	if len(names) == 1 {
		rep.AUC = &p.AUC
	} else {
		rep.AUC1, rep.AUC2 = &p.AUC, &p.AUC2
		rep.Method = m.String()
	}
	return rep, nil
}

func newPowerReport(solved string, p roc.PowerPlan) *powerReport {
	return &powerReport{Solved: solved, Cases: p.Cases, Controls: p.Controls, Kappa: p.Kappa,
		Alpha: p.Alpha, Power: p.Power, OneSided: p.OneSided}
}

// printPower writes the plan as a short table, the solved line marked.
func printPower(w io.Writer, rep *powerReport) {
	title := "One AUC against 0.5"
	if rep.AUC1 != nil {
		title = "Two correlated AUCs"
	}
	fmt.Fprintf(w, "%s: power calculation of Obuchowski & McClish (1997), as pROC's power.roc.test\n", title)
	if f := rep.data; f != nil {
		fmt.Fprintf(w, "%s: scores %s, %s = %s cases", f.path, strings.Join(rep.Scores, " and "), f.truth, f.labels.Positive)
		if len(f.missing) > 0 {
			fmt.Fprintf(w, "; %d rows left out, truth missing (data rows %s)", len(f.missing), rowList(f.missing))
		}
		fmt.Fprintln(w)
		if rep.Method != "" {
			fmt.Fprintf(w, "variances and covariance: %s\n", rep.Method)
		}
	}
	fmt.Fprintln(w)
	mark := func(name string) string {
		if name == rep.Solved {
			return "  (solved)"
		}
		return ""
	}
	if rep.AUC != nil {
		fmt.Fprintf(w, "  AUC       %.4f%s\n", *rep.AUC, mark("auc"))
	} else {
		fmt.Fprintf(w, "  AUC 1     %.4f  (reference)\n  AUC 2     %.4f\n", *rep.AUC1, *rep.AUC2)
		if rep.R != nil {
			fmt.Fprintf(w, "  r         %.4g  (correlation of the scores, binormal with equal variances)\n", *rep.R)
		}
	}
	round := ""
	if rep.Solved == "cases" {
		round = fmt.Sprintf("; plan %.0f cases and %.0f controls", math.Ceil(rep.Cases-1e-9), math.Ceil(rep.Controls-1e-9))
	}
	fmt.Fprintf(w, "  cases     %.2f%s%s\n", rep.Cases, mark("cases"), round)
	fmt.Fprintf(w, "  controls  %.2f  (kappa = controls/cases = %.4g)\n", rep.Controls, rep.Kappa)
	side := "two-sided"
	if rep.OneSided {
		side = "one-sided"
	}
	fmt.Fprintf(w, "  alpha     %.4g  (%s)%s\n", rep.Alpha, side, mark("alpha"))
	fmt.Fprintf(w, "  power     %.4f%s\n", rep.Power, mark("power"))
}
