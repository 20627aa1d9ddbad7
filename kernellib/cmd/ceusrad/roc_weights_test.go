package main

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// The scikit-learn fixture of package roc (written by
// kernellib/roc/testdata/sklearn_weighted.py).
const sklearnWeightedFixture = "../../roc/testdata/sklearn_weighted.json"

type adjSection struct {
	Column               string
	NCases               int     `json:"n_cases"`
	NControls            int     `json:"n_controls"`
	NZeroWeight          int     `json:"n_zero_weight"`
	CaseWeight           float64 `json:"case_weight"`
	ControlWeight        float64 `json:"control_weight"`
	Clusters             int
	ClustersWithCases    int `json:"clusters_with_cases"`
	ClustersWithControls int `json:"clusters_with_controls"`
	Models               []struct {
		Score   string
		AUC, SE float64
		CI      []float64
	}
	Paired []struct {
		A, B       string
		Diff, Z, P float64
		CI         []float64
	}
}

type adjReport struct {
	NCases    int `json:"n_cases"`
	NControls int `json:"n_controls"`
	NMissing  int `json:"n_missing"`
	Models    []struct {
		Score    string
		AUC, SE  float64
		CIDeLong []float64 `json:"ci_delong"`
	}
	PairedDeLong []struct {
		A, B       string
		Diff, Z, P float64
		CI         []float64
	} `json:"paired_delong"`
	Weighted, Clustered *adjSection
}

func runAdj(t *testing.T, args ...string) *adjReport {
	t.Helper()
	code, out, errOut := call(append([]string{"roc", "-json"}, args...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep adjReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	return &rep
}

// TestROCWeightsMatchesSklearn writes each "cases higher" case of the
// scikit-learn fixture as a CSV and checks the weighted AUC of
// `ceusrad roc -weights` against roc_auc_score(sample_weight=).
func TestROCWeightsMatchesSklearn(t *testing.T) {
	b, err := os.ReadFile(sklearnWeightedFixture)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cases []struct {
			Name, Direction string
			Truth           []int
			Scores, Weights []float64
			AUC             float64
		}
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, c := range f.Cases {
		if c.Direction != "<" {
			continue
		}
		var sb strings.Builder
		sb.WriteString("truth,s,w\n")
		zero := 0
		for i, y := range c.Truth {
			sb.WriteString(strconv.Itoa(y) + "," + strconv.FormatFloat(c.Scores[i], 'g', -1, 64) + "," +
				strconv.FormatFloat(c.Weights[i], 'g', -1, 64) + "\n")
			if c.Weights[i] == 0 {
				zero++
			}
		}
		rep := runAdj(t, "-in", writeCSV(t, sb.String()), "-truth", "truth", "-scores", "s", "-weights", "w")
		w := rep.Weighted
		if w == nil || w.Column != "w" || len(w.Models) != 1 {
			t.Fatalf("%s: weighted section %+v", c.Name, w)
		}
		if !near(w.Models[0].AUC, c.AUC) {
			t.Errorf("%s: weighted AUC %.17g, scikit-learn %.17g", c.Name, w.Models[0].AUC, c.AUC)
		}
		if w.NZeroWeight != zero || w.NCases+w.NControls+zero != len(c.Truth) {
			t.Errorf("%s: %d cases, %d controls, %d of weight 0; want %d of weight 0 of %d rows", c.Name, w.NCases, w.NControls, w.NZeroWeight, zero, len(c.Truth))
		}
		if ci := w.Models[0].CI; !(ci[0] <= w.Models[0].AUC && w.Models[0].AUC <= ci[1]) || w.Models[0].SE <= 0 {
			t.Errorf("%s: SE %v CI %v", c.Name, w.Models[0].SE, ci)
		}
		checked++
	}
	if checked < 3 {
		t.Errorf("only %d cases checked", checked)
	}
}

// With equal weights the weighted section repeats the plain one, and with
// one row per cluster the clustered section does too (Obuchowski's estimate
// is DeLong's then): the whole chain, from the CSV to the JSON.
func TestROCWeightsClustersReduceToDeLong(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("response,a,b,w,patient\n")
	for i := 0; i < 40; i++ {
		y := i % 3 % 2
		a := float64((i*7)%11) / 10
		bb := float64((i*5)%13)/10 + 0.3*float64(y)
		sb.WriteString(strconv.Itoa(y) + "," + strconv.FormatFloat(a+0.2*float64(y), 'g', -1, 64) + "," +
			strconv.FormatFloat(bb, 'g', -1, 64) + ",2.5,P" + strconv.Itoa(i) + "\n")
	}
	path := writeCSV(t, sb.String())
	for _, flag := range []string{"-weights", "-cluster"} {
		col := "w"
		if flag == "-cluster" {
			col = "patient"
		}
		rep := runAdj(t, "-in", path, "-truth", "response", "-scores", "a,b", flag, col)
		sec := rep.Weighted
		if flag == "-cluster" {
			sec = rep.Clustered
			if sec.Clusters != 40 || sec.ClustersWithCases != rep.NCases || sec.ClustersWithControls != rep.NControls {
				t.Errorf("clusters %d (%d with cases, %d with controls)", sec.Clusters, sec.ClustersWithCases, sec.ClustersWithControls)
			}
		}
		for r, m := range sec.Models {
			p := rep.Models[r]
			if !near(m.AUC, p.AUC) || !near(m.SE, p.SE) || !near(m.CI[0], p.CIDeLong[0]) || !near(m.CI[1], p.CIDeLong[1]) {
				t.Errorf("%s model %d: %+v, plain %+v", flag, r, m, p)
			}
		}
		q, p := sec.Paired[0], rep.PairedDeLong[0]
		if !near(q.Diff, p.Diff) || !near(q.Z, p.Z) || !near(q.P, p.P) {
			t.Errorf("%s pair: %+v, plain %+v", flag, q, p)
		}
	}
}

const lesions = `lesion,response,a,b,w,patient
1,1,5,0.91,2,p1
2,1,4,0.85,2,p1
3,0,4,0.77,1,p2
4,1,5,0.70,2,p3
5,1,3,0.66,2,p3
6,0,2,0.58,1,p3
7,1,3,0.52,2,p4
8,0,3,0.45,1,p5
9,0,1,0.40,1,p6
10,1,2,0.33,2,p6
11,0,2,0.27,1,p7
12,0,1,0.12,0,p8
13,NA,1,0.5,,
`

// The sections have exactly the documented keys; a row with a missing truth
// is left out before its (empty) weight and cluster are read; the numbers
// are those of package roc for the twelve lesions (its examples
// ExampleNewWeightedDeLong and ExampleNewClustered use the same data; the
// weighted AUCs 0.7833 and 0.7333 are scikit-learn's).
func TestROCWeightsClustersJSON(t *testing.T) {
	path := writeCSV(t, lesions)
	truth := []bool{true, true, false, true, true, false, true, false, false, true, false, false}
	scores := [][]float64{{5, 4, 4, 5, 3, 2, 3, 3, 1, 2, 2, 1}, {0.91, 0.85, 0.77, 0.70, 0.66, 0.58, 0.52, 0.45, 0.40, 0.33, 0.27, 0.12}}
	wd, err := roc.NewWeightedDeLong(scores, truth, []float64{2, 2, 1, 2, 2, 1, 2, 1, 1, 2, 1, 0})
	if err != nil {
		t.Fatal(err)
	}
	cd, err := roc.NewClustered(scores, truth, []string{"p1", "p1", "p2", "p3", "p3", "p3", "p4", "p5", "p6", "p6", "p7", "p8"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		flag, col, key string
		keys           []string
		want           *roc.DeLong
	}{
		{"-weights", "w", "weighted", []string{"case_weight", "column", "control_weight", "models", "n_cases", "n_controls", "n_zero_weight", "paired"}, &wd.DeLong},
		{"-cluster", "patient", "clustered", []string{"clusters", "clusters_with_cases", "clusters_with_controls", "column", "models", "paired"}, &cd.DeLong},
	} {
		code, out, errOut := call("roc", "-in", path, "-truth", "response", "-scores", "a,b", c.flag, c.col, "-json")
		if code != exitOK || errOut != "" {
			t.Fatalf("%s: exit %d: %s", c.flag, code, errOut)
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &obj); err != nil {
			t.Fatal(err)
		}
		want := []string{c.key, "models", "n_cases", "n_controls", "n_missing", "paired_delong"}
		slices.Sort(want)
		if got := sortedKeys(obj); !slices.Equal(got, want) {
			t.Errorf("%s: keys %v", c.flag, got)
		}
		var sec map[string]json.RawMessage
		json.Unmarshal(obj[c.key], &sec)
		if got := sortedKeys(sec); !slices.Equal(got, c.keys) {
			t.Errorf("%s: section keys %v", c.flag, got)
		}
		var models []map[string]json.RawMessage
		json.Unmarshal(sec["models"], &models)
		for _, m := range models {
			if got := sortedKeys(m); !slices.Equal(got, []string{"auc", "ci", "score", "se"}) {
				t.Errorf("%s: model keys %v", c.flag, got)
			}
		}
		rep := runAdj(t, "-in", path, "-truth", "response", "-scores", "a,b", c.flag, c.col)
		if rep.NMissing != 1 {
			t.Errorf("%s: n_missing %d, want 1", c.flag, rep.NMissing)
		}
		s := rep.Weighted
		if s == nil {
			s = rep.Clustered
		}
		for r := 0; r < 2; r++ {
			if !near(s.Models[r].AUC, c.want.AUC[r]) || !near(s.Models[r].SE, c.want.SE(r)) {
				t.Errorf("%s model %d: AUC %v SE %v, package roc %v %v", c.flag, r, s.Models[r].AUC, s.Models[r].SE, c.want.AUC[r], c.want.SE(r))
			}
		}
		if p, _ := c.want.Paired(0, 1, 0.95); !near(s.Paired[0].Z, p.Z) || !near(s.Paired[0].P, p.P) {
			t.Errorf("%s pair: %+v, package roc %+v", c.flag, s.Paired[0], p)
		}
		if c.key == "weighted" && math.Abs(s.Models[0].AUC-0.78333) > 5e-5 {
			t.Errorf("weighted AUC of a %.5f, scikit-learn 0.78333", s.Models[0].AUC)
		}
	}
	if rep := runAdj(t, "-in", path, "-truth", "response", "-scores", "a", "-weights", "w"); rep.Weighted.NZeroWeight != 1 ||
		rep.Weighted.CaseWeight != 12 || rep.Weighted.ControlWeight != 5 || len(rep.Weighted.Paired) != 0 {
		t.Errorf("weighted section %+v", rep.Weighted)
	}
	code, out, _ := call("roc", "-in", path, "-truth", "response", "-scores", "a,b", "-cluster", "patient")
	for _, want := range []string{`Clustered by column "patient" (Obuchowski 1997): 8 clusters, 4 with a case, 6 with a control`, "0.1153", "Paired z-tests"} {
		if code != exitOK || !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestROCWeightsClustersErrors(t *testing.T) {
	good := writeCSV(t, lesions)
	base := []string{"roc", "-truth", "response", "-scores", "a,b"}
	for _, c := range []struct {
		name    string
		csv     string // empty: use good
		args    []string
		code    int
		message []string
	}{
		{"both", "", []string{"-weights", "w", "-cluster", "patient"}, exitUsage, []string{"cannot be combined"}},
		{"weights is truth", "", []string{"-weights", "response"}, exitUsage, []string{`-weights "response" is the truth column`}},
		{"cluster is a score", "", []string{"-cluster", "b"}, exitUsage, []string{`-cluster "b" is also a score column`}},
		{"no weight column", "", []string{"-weights", "weight"}, exitError, []string{`no column "weight"`}},
		{"missing weight", "response,a,b,w\n1,1,2,\n0,0,1,1\n1,2,3,1\n0,1,0,1\n", []string{"-weights", "w"}, exitError,
			[]string{"line 2 (data row 1)", `column "w"`, "missing weight"}},
		{"negative weight", "response,a,b,w\n1,1,2,1\n0,0,1,-2\n1,2,3,1\n0,1,0,1\n", []string{"-weights", "w"}, exitError,
			[]string{"line 3 (data row 2)", `weight "-2" is not a finite number ≥ 0`}},
		{"Inf weight", "response,a,b,w\n1,1,2,1\n0,0,1,Inf\n1,2,3,1\n0,1,0,1\n", []string{"-weights", "w"}, exitError,
			[]string{"line 3", "not a finite number"}},
		{"text weight", "response,a,b,w\n1,1,2,1\n0,0,1,heavy\n1,2,3,1\n0,1,0,1\n", []string{"-weights", "w"}, exitError,
			[]string{`weight "heavy" is not a number`}},
		{"zero weights leave one case", "response,a,b,w\n1,1,2,1\n0,0,1,1\n1,2,3,0\n0,1,0,1\n", []string{"-weights", "w"}, exitError,
			[]string{`column "w"`, "1 cases and 2 controls of positive weight"}},
		{"missing cluster", "response,a,b,p\n1,1,2,x\n0,0,1,NA\n1,2,3,y\n0,1,0,z\n", []string{"-cluster", "p"}, exitError,
			[]string{"line 3 (data row 2)", `column "p"`, "missing cluster label"}},
		{"single cluster", "response,a,b,p\n1,1,2,x\n0,0,1,x\n1,2,3,x\n0,1,0,x\n", []string{"-cluster", "p"}, exitError,
			[]string{`column "p"`, "a single cluster"}},
		{"cases in one cluster", "response,a,b,p\n1,1,2,x\n0,0,1,y\n1,2,3,x\n0,1,0,z\n", []string{"-cluster", "p"}, exitError,
			[]string{"1 clusters with a case and 2 with a control"}},
	} {
		args := append(append([]string(nil), base...), c.args...)
		if c.csv != "" {
			args = append(args, "-in", writeCSV(t, c.csv))
		} else {
			args = append(args, "-in", good)
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
