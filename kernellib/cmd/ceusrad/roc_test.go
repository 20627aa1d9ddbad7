package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The pROC fixture of package roc (written by kernellib/roc/testdata/proc_core.R).
const procFixture = "../../roc/testdata/proc_core_cases.json"

type procNum float64

func (f *procNum) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"Inf"`:
		*f = procNum(math.Inf(1))
	case `"-Inf"`:
		*f = procNum(math.Inf(-1))
	case `"NA"`:
		*f = procNum(math.NaN())
	default:
		var v float64
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*f = procNum(v)
	}
	return nil
}

type procCase struct {
	Name      string
	Direction string
	NCases    int `json:"n_cases"`
	NControls int `json:"n_controls"`
	Truth     []int
	Scores    [][]procNum
	Models    []struct {
		AUC, Var procNum
		CI95     []procNum `json:"ci95"`
		P05      procNum   `json:"p05"`
	}
	Paired []struct {
		A, B       int
		Diff, Z, P procNum
		CI95       []procNum `json:"ci95"`
	}
}

func loadProc(t *testing.T) []procCase {
	t.Helper()
	b, err := os.ReadFile(procFixture)
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Cases []procCase }
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f.Cases
}

// writeCSV writes a CSV file in a temporary directory and returns its path.
func writeCSV(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func near(got, want float64) bool {
	if want == 0 {
		return math.Abs(got) <= 1e-15
	}
	return math.Abs(got-want) <= 1e-9*math.Abs(want)
}

// TestROCMatchesPROC writes each "cases higher" fixture case as a CSV, runs
// `ceusrad roc -json` and compares every number with pROC's.
func TestROCMatchesPROC(t *testing.T) {
	checked := 0
	for _, c := range loadProc(t) {
		if c.Direction != "<" || c.Truth == nil || c.NCases < 2 || c.NControls < 2 {
			continue
		}
		k := len(c.Scores)
		names := make([]string, k)
		for r := range names {
			names[r] = "score_" + string(rune('a'+r))
		}
		var b strings.Builder
		b.WriteString("id,truth," + strings.Join(names, ",") + "\n")
		for i, y := range c.Truth {
			b.WriteString(strconv.Itoa(i) + "," + strconv.Itoa(y))
			for r := range names {
				b.WriteString("," + strconv.FormatFloat(float64(c.Scores[r][i]), 'g', -1, 64))
			}
			b.WriteString("\n")
		}
		path := writeCSV(t, b.String())
		code, out, errOut := call("roc", "-in", path, "-truth", "truth", "-scores", strings.Join(names, ","), "-json")
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", c.Name, code, errOut)
		}
		var rep struct {
			NCases    int `json:"n_cases"`
			NControls int `json:"n_controls"`
			Models    []struct {
				Score    string
				AUC, SE  float64
				CIDeLong []float64 `json:"ci_delong"`
				PVsHalf  float64   `json:"p_vs_half"`
			}
			PairedDeLong []struct {
				A, B       string
				Diff, Z, P float64
				CI         []float64
			} `json:"paired_delong"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%s: %v in %q", c.Name, err, out)
		}
		if rep.NCases != c.NCases || rep.NControls != c.NControls {
			t.Errorf("%s: %d/%d cases/controls, pROC %d/%d", c.Name, rep.NCases, rep.NControls, c.NCases, c.NControls)
		}
		for r, m := range rep.Models {
			want := c.Models[r]
			if m.Score != names[r] || !near(m.AUC, float64(want.AUC)) || !near(m.SE, math.Sqrt(float64(want.Var))) ||
				!near(m.CIDeLong[0], float64(want.CI95[0])) || !near(m.CIDeLong[1], float64(want.CI95[1])) ||
				!near(m.PVsHalf, float64(want.P05)) {
				t.Errorf("%s model %d: %+v, pROC auc %v var %v ci %v", c.Name, r, m, want.AUC, want.Var, want.CI95)
			}
		}
		if len(rep.PairedDeLong) != len(c.Paired) {
			t.Fatalf("%s: %d pairs, pROC %d", c.Name, len(rep.PairedDeLong), len(c.Paired))
		}
		for i, p := range rep.PairedDeLong {
			want := c.Paired[i]
			if p.A != names[want.A] || p.B != names[want.B] || !near(p.Diff, float64(want.Diff)) ||
				!near(p.Z, float64(want.Z)) || !near(p.P, float64(want.P)) ||
				!near(p.CI[0], float64(want.CI95[0])) || !near(p.CI[1], float64(want.CI95[1])) {
				t.Errorf("%s pair %d: %+v, pROC %+v", c.Name, i, p, want)
			}
		}
		checked++
	}
	if checked < 5 {
		t.Errorf("only %d cases checked", checked)
	}
}

const small = `id,response,a,b,c
1,yes,0.9,12,3
2,no,0.2,10,1
3,yes,0.7,15,2
4,no,0.4,9,2
5,yes,0.35,11,3
6,no,0.1,14,1
7,no,0.5,8,2
`

// The JSON object has exactly the documented keys, the pairs come in column
// order, and -positive picks the case label.
func TestROCJSONShape(t *testing.T) {
	path := writeCSV(t, small)
	code, out, errOut := call("roc", "-in", path, "-truth", "response", "-positive", "yes", "-negative", "no", "-scores", "c, a,b", "-json")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Errorf("more than one line: %q", out)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &obj); err != nil {
		t.Fatal(err)
	}
	if got := sortedKeys(obj); !slices.Equal(got, []string{"models", "n_cases", "n_controls", "n_missing", "omnibus_delong", "paired_delong"}) {
		t.Errorf("keys %v", got)
	}
	var models, pairs []map[string]json.RawMessage
	json.Unmarshal(obj["models"], &models)
	json.Unmarshal(obj["paired_delong"], &pairs)
	if string(obj["n_cases"]) != "3" || string(obj["n_controls"]) != "4" {
		t.Errorf("n_cases %s n_controls %s", obj["n_cases"], obj["n_controls"])
	}
	var order []string
	for _, m := range models {
		if got := sortedKeys(m); !slices.Equal(got, []string{"auc", "ci_delong", "p_vs_half", "pr_auc", "score", "se"}) {
			t.Errorf("model keys %v", got)
		}
		var pr map[string]json.RawMessage
		json.Unmarshal(m["pr_auc"], &pr)
		if got := sortedKeys(pr); !slices.Equal(got, []string{"auc_interpolated", "average_precision", "ci"}) {
			t.Errorf("pr_auc keys %v", got)
		}
		order = append(order, string(m["score"]))
	}
	if !slices.Equal(order, []string{`"c"`, `"a"`, `"b"`}) {
		t.Errorf("models in order %v", order)
	}
	order = nil
	for _, p := range pairs {
		if got := sortedKeys(p); !slices.Equal(got, []string{"a", "b", "ci", "diff", "p", "z"}) {
			t.Errorf("pair keys %v", got)
		}
		order = append(order, string(p["a"])+string(p["b"]))
	}
	if !slices.Equal(order, []string{`"c""a"`, `"c""b"`, `"a""b"`}) {
		t.Errorf("pairs in order %v", order)
	}
	// One score: an empty list of pairs, not null.
	_, out, _ = call("roc", "-in", path, "-truth", "response", "-positive", "yes", "-negative", "no", "-scores", "a", "-json")
	if !strings.Contains(out, `"paired_delong":[]`) || strings.Contains(out, "omnibus") {
		t.Errorf("one score: %s", out)
	}
	// Two scores: the omnibus test is the paired test, not repeated.
	_, out, _ = call("roc", "-in", path, "-truth", "response", "-positive", "yes", "-negative", "no", "-scores", "a,b", "-json")
	if strings.Contains(out, "omnibus") {
		t.Errorf("two scores: %s", out)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	slices.Sort(k)
	return k
}

func TestROCTable(t *testing.T) {
	path := writeCSV(t, small)
	code, out, errOut := call("roc", "-in", path, "-truth", "response", "-positive", "yes", "-negative", "no", "-scores", "a,b")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// AUC of a: cases 0.9, 0.7, 0.35 against controls 0.2, 0.4, 0.1, 0.5:
	// 4 + 4 + 2 = 10 of 12 pairs.
	for _, want := range []string{"3 cases (response = yes), 4 controls (response = no)", "AUC", "0.8333", "Paired DeLong", "p (Holm)",
		"p (AUC = 0.5)", "average precision", "PR-AUC (interpolated)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestROCErrors(t *testing.T) {
	good := writeCSV(t, small)
	for _, c := range []struct {
		name    string
		csv     string // empty: use good
		args    []string
		code    int
		message []string // substrings of stderr
	}{
		{"missing flags", "", []string{"-in", good}, exitUsage, []string{"-in, -truth and -scores are required"}},
		{"unknown flag", "", []string{"-in", good, "-truth", "response", "-scores", "a", "-bogus"}, exitUsage, []string{"bogus"}},
		{"extra argument", "", []string{"-in", good, "-truth", "response", "-scores", "a", "extra"}, exitUsage, []string{`unexpected argument "extra"`}},
		{"duplicate score", "", []string{"-in", good, "-truth", "response", "-scores", "a,a"}, exitUsage, []string{`column "a" given twice`}},
		{"no file", "", []string{"-in", good + ".nope", "-truth", "response", "-scores", "a"}, exitError, []string{"no such file"}},
		{"missing truth column", "", []string{"-in", good, "-truth", "outcome", "-scores", "a"}, exitError, []string{good, `no column "outcome"`}},
		{"missing score column", "", []string{"-in", good, "-truth", "response", "-scores", "a,z"}, exitError, []string{good, `no column "z"`}},
		{"non-numeric", "y,s\n1,0.5\n0,abc\n1,0.7\n0,0.1\n", []string{"-truth", "y", "-scores", "s"}, exitError, []string{"line 3 (data row 2)", `column "s"`, `"abc" is not a number`}},
		{"NaN", "y,s\n1,0.5\n0,0.2\n1,NaN\n0,0.1\n", []string{"-truth", "y", "-scores", "s"}, exitError, []string{"line 4", `column "s"`, "not finite"}},
		{"empty score", "y,s\n1,0.5\n0,\n1,0.7\n0,0.1\n", []string{"-truth", "y", "-scores", "s"}, exitError, []string{"line 3", `column "s"`, "missing score"}},
		{"bad truth", "y,s\n1,0.5\n2,0.3\n1,0.7\n0,0.1\n", []string{"-truth", "y", "-scores", "s"}, exitError, []string{"line 3 (data row 2)", `column "y"`, `"2" is not a label`}},
		{"one class", "y,s\n0,0.5\n0,0.3\n0,0.7\n", []string{"-truth", "y", "-scores", "s"}, exitError, []string{`column "y"`, "no case"}},
		{"only cases", "y,s\nP,0.5\nP,0.3\n", []string{"-truth", "y", "-scores", "s", "-positive", "P", "-negative", "N"}, exitError, []string{"no control"}},
		{"one case", "y,s\n1,0.5\n0,0.3\n0,0.7\n0,0.1\n", []string{"-truth", "y", "-scores", "s"}, exitError, []string{"1 cases and 3 controls", "at least 2"}},
		{"ragged row", "y,s\n1,0.5\n0,0.3,9\n", []string{"-truth", "y", "-scores", "s"}, exitError, []string{"line 3", "wrong number of fields"}},
		{"header only", "y,s\n", []string{"-truth", "y", "-scores", "s"}, exitError, []string{"no data rows"}},
		{"empty file", "", []string{"-truth", "y", "-scores", "s"}, exitError, []string{"empty file"}},
	} {
		args := append([]string{"roc"}, c.args...)
		if c.csv != "" || c.name == "empty file" {
			args = append(args, "-in", writeCSV(t, c.csv))
		}
		code, out, errOut := call(args...)
		if code != c.code {
			t.Errorf("%s: exit %d, want %d (stderr %q)", c.name, code, c.code, errOut)
		}
		if out != "" {
			t.Errorf("%s: stdout %q", c.name, out)
		}
		for _, m := range c.message {
			if !strings.Contains(errOut, m) {
				t.Errorf("%s: stderr %q lacks %q", c.name, errOut, m)
			}
		}
	}
}

// TestROCOmnibusMatchesR runs the omnibus fixture of package roc (DeLong's
// χ² formed in R from pROC's var and cov, proc_omnibus.R) through
// `ceusrad roc -json`, and the scikit-learn PR fixture (reference_pr.py)
// for the average precision; the table shows the omnibus line.
func TestROCOmnibusMatchesR(t *testing.T) {
	b, err := os.ReadFile("../../roc/testdata/proc_omnibus.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cases []struct {
			Name   string
			Truth  []int
			Scores [][]float64
			Chi2   float64
			DF     int
			P      float64
		}
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, c := range f.Cases {
		if len(c.Scores) < 3 {
			continue
		}
		path, names := scoresCSV(t, c.Truth, c.Scores)
		code, out, errOut := call("roc", "-in", path, "-truth", "truth", "-scores", strings.Join(names, ","), "-json")
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", c.Name, code, errOut)
		}
		var rep struct {
			Omnibus struct {
				Chi2 float64
				DF   int
				P    float64
			} `json:"omnibus_delong"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		o := rep.Omnibus
		if !near(o.Chi2, c.Chi2) || o.DF != c.DF || !near(o.P, c.P) {
			t.Errorf("%s: omnibus %+v, R chi2 %v df %d p %v", c.Name, o, c.Chi2, c.DF, c.P)
		}
		checked++
		if c.Name == "asah_k3" {
			_, out, _ = call("roc", "-in", path, "-truth", "truth", "-scores", strings.Join(names, ","))
			if want := fmt.Sprintf("Omnibus DeLong test, all 3 AUCs equal: χ² = %.3f, df = 2, p = 0.0019", c.Chi2); !strings.Contains(out, want) {
				t.Errorf("table lacks %q:\n%s", want, out)
			}
		}
	}
	if checked < 3 {
		t.Errorf("%d cases checked", checked)
	}

	b, err = os.ReadFile("../../roc/testdata/pr_sklearn.json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Cases []struct {
			Name, Direction  string
			Truth            []int
			Scores           []float64
			AveragePrecision float64 `json:"average_precision"`
		}
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	checked = 0
	for _, c := range g.Cases {
		m := 0
		for _, y := range c.Truth {
			m += y
		}
		if c.Direction != "<" || m < 2 || len(c.Truth)-m < 2 {
			continue
		}
		path, names := scoresCSV(t, c.Truth, [][]float64{c.Scores})
		code, out, errOut := call("roc", "-in", path, "-truth", "truth", "-scores", names[0], "-json")
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", c.Name, code, errOut)
		}
		var rep struct {
			Models []struct {
				PR struct {
					AP     float64 `json:"average_precision"`
					Interp float64 `json:"auc_interpolated"`
					CI     []float64
				} `json:"pr_auc"`
			}
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		pr := rep.Models[0].PR
		if math.Abs(pr.AP-c.AveragePrecision) > 1e-14 || !(pr.CI[0] <= pr.AP && pr.AP <= pr.CI[1]) || !(pr.Interp > 0 && pr.Interp <= 1) {
			t.Errorf("%s: pr_auc %+v, sklearn average precision %v", c.Name, pr, c.AveragePrecision)
		}
		checked++
	}
	if checked < 4 {
		t.Errorf("%d PR cases checked", checked)
	}
}

// scoresCSV writes truth and score columns score_a, score_b, ... as a CSV.
func scoresCSV(t *testing.T, truth []int, scores [][]float64) (string, []string) {
	t.Helper()
	names := make([]string, len(scores))
	for r := range names {
		names[r] = "score_" + string(rune('a'+r))
	}
	var b strings.Builder
	b.WriteString("truth," + strings.Join(names, ",") + "\n")
	for i, y := range truth {
		b.WriteString(strconv.Itoa(y))
		for r := range names {
			b.WriteString("," + strconv.FormatFloat(scores[r][i], 'g', -1, 64))
		}
		b.WriteString("\n")
	}
	return writeCSV(t, b.String()), names
}
