package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/learn"
)

// trainSklearn is the small data set of learn's scikit-learn fixture
// (kernellib/learn/testdata/make_fixtures_linear.py) with its fits.
type trainSklearn struct {
	X    [][]float64 `json:"x"`
	Y    []int       `json:"y"`
	Fits []struct {
		Penalty      string    `json:"penalty"`
		C            float64   `json:"C"`
		L1Ratio      float64   `json:"l1_ratio"`
		Lambda       float64   `json:"lambda"`
		InterceptStd float64   `json:"intercept_std"`
		CoefStd      []float64 `json:"coef_std"`
	} `json:"fits"`
}

func loadTrainSklearn(t *testing.T) trainSklearn {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "learn", "testdata", "logistic_sklearn.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Datasets []trainSklearn }
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f.Datasets[0]
}

// trainCSV writes the data set as a feature table with an identifier
// column, the outcome as OR/NR, and extra columns.
func trainCSV(t *testing.T, d trainSklearn, extra func(i int) string, extraHeader string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("patient_id")
	for j := range d.X[0] {
		fmt.Fprintf(&b, ",x%d", j+1)
	}
	b.WriteString(",response" + extraHeader + "\n")
	for i, row := range d.X {
		fmt.Fprintf(&b, "P%03d", i+1)
		for _, v := range row {
			fmt.Fprintf(&b, ",%v", v)
		}
		r := "NR"
		if d.Y[i] == 1 {
			r = "OR"
		}
		b.WriteString("," + r)
		if extra != nil {
			b.WriteString(extra(i))
		}
		b.WriteString("\n")
	}
	p := filepath.Join(t.TempDir(), "features.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func trainJSON(t *testing.T, args ...string) trainReport {
	t.Helper()
	code, out, errOut := call(append([]string{"train"}, args...)...)
	if code != exitOK {
		t.Fatalf("%q: exit %d: %s", args, code, errOut)
	}
	var rep trainReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%q: %v\n%s", args, err, out)
	}
	var keys map[string]json.RawMessage
	json.Unmarshal([]byte(out), &keys)
	for _, k := range []string{"model", "features", "coef", "intercept", "proba"} {
		if _, ok := keys[k]; !ok || len(keys) != 6 || string(keys["n_missing"]) != "0" {
			t.Fatalf("%q: JSON keys %v, want model, features, coef, intercept, proba, n_missing", args, keys)
		}
	}
	return rep
}

// TestTrainMatchesSklearn: `train -json` with -C gives scikit-learn's
// LogisticRegression coefficients (standardised scale) for the lasso, the
// ridge, and, with -lambda, the same fits.
func TestTrainMatchesSklearn(t *testing.T) {
	d := loadTrainSklearn(t)
	path := trainCSV(t, d, nil, "")
	model := map[string]string{"l1": "lasso", "l2": "ridge", "elasticnet": "enet"}
	checked := 0
	for _, f := range d.Fits {
		if f.Penalty == "elasticnet" && f.L1Ratio != trainEnetAlpha {
			continue
		}
		for _, args := range [][]string{
			{"-C", fmt.Sprint(f.C)},
			{"-lambda", fmt.Sprint(f.Lambda)},
		} {
			rep := trainJSON(t, append([]string{"-in", path, "-label", "response", "-positive", "OR", "-model", model[f.Penalty], "-json"}, args...)...)
			if rep.Model != model[f.Penalty] || len(rep.Features) != 8 || rep.Features[0] != "x1" || len(rep.Proba) != len(d.Y) {
				t.Fatalf("report %+v", rep)
			}
			for j, want := range f.CoefStd {
				if math.Abs(rep.Coef[j]-want) > 1e-4 {
					t.Errorf("%s %v: coef %d = %v, sklearn %v", f.Penalty, args, j, rep.Coef[j], want)
				}
			}
			if rep.Intercept == nil {
				t.Fatalf("%s %v: intercept null", f.Penalty, args)
			}
			if math.Abs(*rep.Intercept-f.InterceptStd) > 1e-4 {
				t.Errorf("%s %v: intercept %v, sklearn %v", f.Penalty, args, *rep.Intercept, f.InterceptStd)
			}
			// proba = σ(intercept + Σ coef·z), z standardised.
			st, _ := learn.Standardizer{}.FitStandardization(d.X)
			z, _ := st.Transform(d.X)
			for i, row := range z {
				e := *rep.Intercept
				for j, v := range row {
					e += rep.Coef[j] * v
				}
				if math.Abs(1/(1+math.Exp(-e))-rep.Proba[i]) > 1e-9 {
					t.Fatalf("%s: row %d: proba %v, from coef %v", f.Penalty, i, rep.Proba[i], 1/(1+math.Exp(-e)))
				}
			}
			checked++
		}
	}
	if checked < 10 {
		t.Errorf("%d fits checked", checked)
	}
}

// TestTrainModels: every model runs; the CV choice of λ is LogisticCV's;
// the forest and SVMs report their shapes as documented.
func TestTrainModels(t *testing.T) {
	d := loadTrainSklearn(t)
	path := trainCSV(t, d, func(i int) string { return ",train,7" }, ",split,site")
	base := []string{"-in", path, "-label", "response", "-positive", "OR", "-json", "-seed", "3"}
	rep := trainJSON(t, append(base, "-model", "lasso")...)
	// "split" is not numeric; "site" is constant: a feature with coef 0.
	if len(rep.Features) != 9 || rep.Features[8] != "site" || rep.Coef[8] != 0 {
		t.Fatalf("features %v coef %v", rep.Features, rep.Coef)
	}
	m, err := learn.LogisticCV{Folds: 10, Seed: 3}.Fit(d.X, trainLabels(d.Y))
	if err != nil {
		t.Fatal(err)
	}
	lm := m.(*learn.LogisticModel)
	for j, c := range lm.StdCoef {
		if rep.Coef[j] != c {
			t.Errorf("CV lasso coef %d: %v, LogisticCV %v", j, rep.Coef[j], c)
		}
	}
	for _, mod := range []string{"svm-linear", "svm-rbf", "rf"} {
		rep := trainJSON(t, append(base, "-model", mod)...)
		if len(rep.Proba) != len(d.Y) || rep.Model != mod {
			t.Errorf("%s: %d probabilities", mod, len(rep.Proba))
		}
		for _, p := range rep.Proba {
			if !(p >= 0 && p <= 1) {
				t.Fatalf("%s: probability %v", mod, p)
			}
		}
		switch mod {
		case "svm-linear":
			if len(rep.Coef) != 9 || rep.Coef[8] != 0 || rep.Intercept == nil {
				t.Errorf("%s: coef %v intercept %v", mod, rep.Coef, rep.Intercept)
			}
		case "svm-rbf":
			if len(rep.Coef) != 0 || rep.Intercept == nil {
				t.Errorf("%s: coef %v intercept %v", mod, rep.Coef, rep.Intercept)
			}
		case "rf":
			if len(rep.Coef) != 0 || rep.Intercept != nil {
				t.Errorf("%s: coef %v intercept %v", mod, rep.Coef, rep.Intercept)
			}
		}
	}
	// The tables name the features and what was left out.
	for _, mod := range []string{"enet", "svm-linear", "rf"} {
		code, out, errOut := call("train", "-in", path, "-label", "response", "-positive", "OR", "-model", mod)
		if code != exitOK || !strings.Contains(out, "x7") || !strings.Contains(out, "not features (no numeric value): patient_id, split") ||
			!strings.Contains(out, "constant, dropped: site") {
			t.Errorf("%s: exit %d\n%s%s", mod, code, out, errOut)
		}
	}
}

func trainLabels(y []int) []bool {
	out := make([]bool, len(y))
	for i, v := range y {
		out[i] = v == 1
	}
	return out
}

func TestTrainErrors(t *testing.T) {
	d := loadTrainSklearn(t)
	good := trainCSV(t, d, nil, "")
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	missing := write("missing.csv", "id,a,b,y\nP1,1,2,1\nP2,,3,0\nP3,2,1,1\nP4,3,3,0\n")
	text := write("text.csv", "id,a,b,y\nP1,1,2,1\nP2,NA,3,0\nP3,2,1,1\nP4,3,3,0\n")
	oneClass := write("one.csv", "a,y\n1,1\n2,1\n")
	noFeature := write("nofeat.csv", "id,y\nP1,1\nP2,0\n")
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-label", "response", "-model", "lasso"}, exitUsage, "-in, -label and -model are required"},
		{[]string{"-in", good, "-label", "response", "-model", "xgboost"}, exitUsage, `-model "xgboost"`},
		{[]string{"-in", good, "-label", "response", "-model", "lasso", "-C", "1", "-lambda", "0.1"}, exitUsage, "both given"},
		{[]string{"-in", good, "-label", "response", "-model", "lasso", "-C", "-1"}, exitUsage, "want a positive number"},
		{[]string{"-in", good, "-label", "response", "-model", "rf", "-C", "1"}, exitUsage, "do not apply to rf"},
		{[]string{"-in", good, "-label", "response", "-model", "svm-rbf", "-lambda", "1"}, exitUsage, "give -C"},
		{[]string{"-in", good, "-label", "outcome", "-model", "lasso"}, exitError, `no column "outcome"`},
		{[]string{"-in", good, "-label", "response", "-model", "lasso"}, exitError, `line 2 (data row 1), column "response": "NR" is not a label: want 1 (case), 0 (control)`},
		{[]string{"-in", missing, "-label", "y", "-model", "ridge", "-C", "1"}, exitError, `line 3 (data row 2), column "a": missing value`},
		{[]string{"-in", text, "-label", "y", "-model", "ridge", "-C", "1"}, exitError, `column "a": "NA" is not a number`},
		{[]string{"-in", oneClass, "-label", "y", "-model", "ridge", "-C", "1"}, exitError, "no control"},
		{[]string{"-in", noFeature, "-label", "y", "-model", "ridge", "-C", "1"}, exitError, "no numeric feature column"},
		{[]string{"-in", filepath.Join(dir, "nosuch.csv"), "-label", "y", "-model", "lasso"}, exitError, "nosuch.csv"},
	} {
		code, out, errOut := call(append([]string{"train"}, c.args...)...)
		if code != c.code || !strings.Contains(errOut, c.msg) || out != "" {
			t.Errorf("%q: exit %d, stderr %q, stdout %q; want %d and %q", c.args, code, errOut, out, c.code, c.msg)
		}
	}
	code, out, _ := call("help", "train")
	if code != exitOK || !strings.Contains(out, `{"model": "lasso", "features": [...], "coef": [...], "intercept": x,`) {
		t.Errorf("help: %d %s", code, out)
	}
}

// TestTrainSkipsAnalysisColumns: the columns of `ceusrad features` that
// describe the analysis (the arrival on the cine's clock, overlay pixel
// counts) are numeric but never features.
func TestTrainSkipsAnalysisColumns(t *testing.T) {
	d := loadTrainSklearn(t)
	path := trainCSV(t, d, func(i int) string { return fmt.Sprintf(",%d.5,%d,0,3", i%7, i%3) },
		",arrival_s,lesion_overlay_pixels,liver_overlay_pixels,overlay_pixels")
	rep := trainJSON(t, "-in", path, "-label", "response", "-positive", "OR", "-json", "-model", "ridge")
	if len(rep.Features) != len(d.X[0]) {
		t.Errorf("features %v: the analysis columns were taken as features", rep.Features)
	}
	code, out, errOut := call("train", "-in", path, "-label", "response", "-positive", "OR", "-model", "ridge")
	if code != exitOK || !strings.Contains(out, "not features (they describe the analysis): arrival_s, lesion_overlay_pixels, liver_overlay_pixels, overlay_pixels") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}
