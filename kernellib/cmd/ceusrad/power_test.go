package main

import (
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The pROC power fixture of package roc (kernellib/roc/testdata/proc_power.R).
const powerFixturePath = "../../roc/testdata/proc_power.json"

type powerFixtureCase struct {
	Name, Data, Score, Score1, Score2, Method string
	Params                                    struct{ Rn, Ra, Delta float64 }
	Input                                     struct {
		AUC, Cases, Controls, Kappa, Alpha, Power *float64
		OneSided                                  bool `json:"one_sided"`
	}
	Want    struct{ Cases, Controls, Alpha, Power, AUC, AUC1, AUC2 float64 }
	AUCRoot *float64 `json:"auc_root"`
}

func loadPowerFixture(t *testing.T) (data map[string]map[string][]float64, forms map[string][]powerFixtureCase) {
	t.Helper()
	b, err := os.ReadFile(powerFixturePath)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Data     map[string]map[string][]float64
		OneAUC   []powerFixtureCase `json:"one_auc"`
		Params   []powerFixtureCase
		Curves   []powerFixtureCase
		OneCurve []powerFixtureCase `json:"one_curve"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f.Data, map[string][]powerFixtureCase{"one_auc": f.OneAUC, "params": f.Params, "curves": f.Curves, "one_curve": f.OneCurve}
}

// num writes a flag value.
func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// planFlags writes a fixture case's given inputs as flags; alpha solve
// where pROC's sig.level was NULL.
func planFlags(c powerFixtureCase) []string {
	var a []string
	in := c.Input
	if in.Cases != nil {
		a = append(a, "-cases", num(*in.Cases))
	}
	if in.Controls != nil {
		a = append(a, "-controls", num(*in.Controls))
	}
	if in.Kappa != nil && (in.Cases == nil || in.Controls == nil) {
		a = append(a, "-kappa", num(*in.Kappa))
	}
	if in.Alpha == nil {
		a = append(a, "-alpha", "solve")
	} else {
		a = append(a, "-alpha", num(*in.Alpha))
	}
	if in.Power != nil {
		a = append(a, "-power", num(*in.Power))
	}
	if in.OneSided {
		a = append(a, "-one-sided")
	}
	return a
}

type powerJSON struct {
	Solved                 string
	Cases, Controls, Kappa float64
	Alpha, Power           float64
	OneSided               bool `json:"one_sided"`
	AUC, AUC1, AUC2, R     *float64
	Scores                 []string
	Method                 string
	NMissing               *int `json:"n_missing"`
}

func runPowerJSON(t *testing.T, name string, args ...string) powerJSON {
	t.Helper()
	code, out, errOut := call(append([]string{"power", "-json"}, args...)...)
	if code != exitOK {
		t.Fatalf("%s: ceusrad power %v: exit %d: %s", name, args, code, errOut)
	}
	var r powerJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%s: %v in %q", name, err, out)
	}
	return r
}

func closeRel(got, want float64) bool {
	return math.Abs(got-want) <= 1e-9*math.Max(math.Abs(want), 1e-3)
}

func checkPowerJSON(t *testing.T, name string, r powerJSON, c powerFixtureCase) {
	t.Helper()
	w := c.Want
	if !closeRel(r.Cases, w.Cases) || !closeRel(r.Controls, w.Controls) || !closeRel(r.Alpha, w.Alpha) || !closeRel(r.Power, w.Power) {
		t.Errorf("%s: %+v; pROC cases %v controls %v alpha %v power %v", name, r, w.Cases, w.Controls, w.Alpha, w.Power)
	}
	if !closeRel(r.Kappa, w.Controls/w.Cases) {
		t.Errorf("%s: kappa %v, pROC's controls/cases %v", name, r.Kappa, w.Controls/w.Cases)
	}
}

// TestPowerMatchesPROC runs `ceusrad power -json` on every form of the
// pROC fixture that the command line offers: one AUC (each unknown), two
// AUCs with a correlation, and one or two curves from a CSV file.
func TestPowerMatchesPROC(t *testing.T) {
	data, forms := loadPowerFixture(t)
	solved := map[string]bool{}
	for _, c := range forms["one_auc"] {
		args := planFlags(c)
		if c.Input.AUC != nil {
			args = append(args, "-auc", num(*c.Input.AUC))
		}
		r := runPowerJSON(t, c.Name, args...)
		checkPowerJSON(t, c.Name, r, c)
		want := c.Want.AUC
		if c.AUCRoot != nil {
			want = *c.AUCRoot
		}
		if r.AUC == nil || !closeRel(*r.AUC, want) {
			t.Errorf("%s: auc %v, want %v", c.Name, r.AUC, want)
		}
		solved["one_auc/"+r.Solved] = true
	}
	n := 0
	for _, c := range forms["params"] {
		if !strings.HasPrefix(c.Name, "paper AUCs") {
			continue
		}
		n++
		a1 := 0.93
		args := append(planFlags(c), "-auc", num(a1)+","+num(a1-c.Params.Delta), "-r", num(c.Params.Rn))
		r := runPowerJSON(t, c.Name, args...)
		checkPowerJSON(t, c.Name, r, c)
		if r.AUC1 == nil || *r.AUC1 != 0.93 || r.R == nil || *r.R != 0.5 || r.AUC != nil {
			t.Errorf("%s: auc1 %v, r %v, auc %v", c.Name, r.AUC1, r.R, r.AUC)
		}
		solved["params/"+r.Solved] = true
	}
	if n == 0 {
		t.Fatal("no paper-AUC case in the fixture")
	}
	csvs := map[string]string{}
	for set, cols := range data {
		names := []string{}
		for k := range cols {
			if k != "truth" {
				names = append(names, k)
			}
		}
		var b strings.Builder
		b.WriteString("outcome," + strings.Join(names, ",") + "\n")
		for i, y := range cols["truth"] {
			b.WriteString(num(y))
			for _, k := range names {
				b.WriteString("," + num(cols[k][i]))
			}
			b.WriteString("\n")
		}
		csvs[set] = writeCSV(t, b.String())
	}
	for _, form := range []string{"curves", "one_curve"} {
		for _, c := range forms[form] {
			scores := c.Score
			if form == "curves" {
				scores = c.Score1 + "," + c.Score2
			}
			args := append(planFlags(c), "-in", csvs[c.Data], "-truth", "outcome", "-scores", scores)
			if form == "curves" {
				args = append(args, "-method", c.Method)
			}
			name := c.Name + " " + c.Method
			r := runPowerJSON(t, name, args...)
			checkPowerJSON(t, name, r, c)
			if form == "curves" {
				if r.AUC1 == nil || !closeRel(*r.AUC1, c.Want.AUC1) || !closeRel(*r.AUC2, c.Want.AUC2) || r.Method != c.Method {
					t.Errorf("%s: auc1 %v auc2 %v method %q", name, r.AUC1, r.AUC2, r.Method)
				}
			} else if r.AUC == nil || !closeRel(*r.AUC, c.Want.AUC) {
				t.Errorf("%s: auc %v, pROC %v", name, r.AUC, c.Want.AUC)
			}
			if r.NMissing == nil || *r.NMissing != 0 || strings.Join(r.Scores, ",") != scores {
				t.Errorf("%s: n_missing %v, scores %v", name, r.NMissing, r.Scores)
			}
			solved[form+"/"+r.Solved] = true
		}
	}
	for _, k := range []string{"one_auc/auc", "one_auc/cases", "one_auc/power", "one_auc/alpha", "params/cases", "params/power",
		"curves/cases", "curves/power", "curves/alpha", "one_curve/cases", "one_curve/power", "one_curve/alpha"} {
		if !solved[k] {
			t.Errorf("no case solves %s", k)
		}
	}
}

// TestPowerJSONShape checks the keys of the JSON object of each form.
func TestPowerJSONShape(t *testing.T) {
	path := writeCSV(t, "y,a,b\n1,3,2\n1,5,6\n0,1,3\n0,2,2\n1,4,1\n0,4,0\n0,0,1\n")
	for _, c := range []struct {
		args []string
		keys string
	}{
		{[]string{"-auc", "0.8", "-power", "0.9"}, "alpha auc cases controls kappa one_sided power solved"},
		{[]string{"-auc", "0.8,0.7", "-r", "0.4", "-power", "0.9"}, "alpha auc1 auc2 cases controls kappa one_sided power r solved"},
		{[]string{"-in", path, "-truth", "y", "-scores", "a,b"}, "alpha auc1 auc2 cases controls kappa method n_missing one_sided power scores solved"},
		{[]string{"-in", path, "-truth", "y", "-scores", "a"}, "alpha auc cases controls kappa n_missing one_sided power scores solved"},
	} {
		code, out, errOut := call(append([]string{"power", "-json"}, c.args...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", c.args, code, errOut)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(sortedKeys(m), " "); got != c.keys {
			t.Errorf("%v: keys %s, want %s", c.args, got, c.keys)
		}
	}
}

// TestPowerTable checks the plain output: the solved line marked, the
// counts rounded up for planning.
func TestPowerTable(t *testing.T) {
	code, out, errOut := call("power", "-auc", "0.93,0.80", "-r", "0.5", "-kappa", num(14.0/27), "-power", "0.8")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Two correlated AUCs", "AUC 1     0.9300  (reference)", "cases     38.36  (solved); plan 39 cases and 20 controls",
		"alpha     0.05  (two-sided)", "power     0.8000"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	path := writeCSV(t, "y,a,b\n1,3,2\n1,5,6\n0,1,3\n0,2,2\n1,4,1\n0,4,0\n0,0,1\nNA,1,1\n1,2,5\n0,3,4\n1,6,3\n0,1,1\n")
	code, out, errOut = call("power", "-in", path, "-truth", "y", "-scores", "a,b", "-method", "obuchowski")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"scores a and b, y = 1 cases; 1 rows left out, truth missing (data rows 8)", "variances and covariance: obuchowski",
		"power     0.", "(solved)"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}

// TestPowerErrors checks that bad command lines and impossible plans are
// refused with a message that says what is wrong.
func TestPowerErrors(t *testing.T) {
	path := writeCSV(t, "y,a,b\n1,3,2\n1,5,6\n0,1,3\n0,2,2\n1,4,1\n0,4,0\n0,0,1\n")
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-auc", "0.8", "-cases", "30", "-power", "0.9"}, exitUsage, "none is unknown"},
		{[]string{"-cases", "30"}, exitUsage, "-auc, -power are unknown"},
		{[]string{"-auc", "1.2", "-power", "0.9"}, exitUsage, `"1.2" is not an AUC`},
		{[]string{"-auc", "0.5", "-power", "0.9"}, exitError, "want the AUC under the alternative in (0.5, 1)"},
		{[]string{"-auc", "0.8", "-cases", "x"}, exitUsage, "not a number"},
		{[]string{"-auc", "0.8", "-alpha", "1.5", "-cases", "30"}, exitError, "alpha is 1.5"},
		{[]string{"-auc", "0.8", "-power", "-0.1", "-cases", "30"}, exitUsage, "positive"},
		{[]string{"-auc", "0.8", "-power", "1", "-alpha", "0.05"}, exitError, "power is 1"},
		{[]string{"-auc", "0.8,0.7", "-power", "0.9"}, exitUsage, "-r"},
		{[]string{"-auc", "0.8", "-r", "0.3", "-power", "0.9"}, exitUsage, "-r is for two AUCs"},
		{[]string{"-auc", "0.8,0.7", "-r", "1.5", "-power", "0.9"}, exitUsage, "correlation in [-1, 1]"},
		{[]string{"-auc", "0.8,0.8", "-r", "0.5", "-power", "0.9"}, exitError, "no number of cases"},
		{[]string{"-cases", "2", "-controls", "2", "-power", "0.99", "-alpha", "0.01"}, exitError, "no AUC below 1"},
		{[]string{"-auc", "0.8", "-cases", "3", "-controls", "9", "-kappa", "2", "-alpha", "0.05"}, exitError, "two of cases, controls and kappa"},
		{[]string{"-kappa", "solve", "-auc", "0.8", "-power", "0.9"}, exitUsage, "kappa is not solved for"},
		{[]string{"-in", path, "-truth", "y", "-scores", "a,b", "-cases", "30"}, exitUsage, "-cases with -in"},
		{[]string{"-in", path, "-scores", "a,b"}, exitUsage, "-in needs -truth and -scores"},
		{[]string{"-in", path, "-truth", "y", "-scores", "a,b,a"}, exitUsage, "one score, or two"},
		{[]string{"-in", path, "-truth", "y", "-scores", "a,b", "-method", "bootstrap"}, exitUsage, "want delong or obuchowski"},
		{[]string{"-in", path, "-truth", "y", "-scores", "a", "-method", "delong"}, exitUsage, "-method is for two scores"},
		{[]string{"-in", path, "-truth", "y", "-scores", "a,c"}, exitError, `no column "c"`},
		{[]string{"-in", path, "-truth", "y", "-scores", "a,b", "-alpha", "solve"}, exitError, "alpha and power are both unknown"},
		{[]string{"-in", path, "-truth", "y", "-scores", "a,b", "-kappa", "2"}, exitError, "kappa 2 given"},
		{[]string{"-truth", "y", "-auc", "0.8", "-power", "0.9"}, exitUsage, "-truth is for curves read with -in"},
		{[]string{"stray"}, exitUsage, `unexpected argument "stray"`},
	} {
		code, out, errOut := call(append([]string{"power"}, c.args...)...)
		if code != c.code || !strings.Contains(errOut, c.msg) || out != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit %d mentioning %q", c.args, code, errOut, out, c.code, c.msg)
		}
	}
}
