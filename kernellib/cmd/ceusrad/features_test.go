package main

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/deep"
	"github.com/ceusrad/ceusrad/kernellib/study"
	"github.com/ceusrad/ceusrad/kernellib/synth"
)

// featuresCohort writes the small cohort of TestCNNCommands (16 patients,
// 64×64, 1 frame/s) and reads its manifest.
func featuresCohort(t *testing.T) (string, *cohort.Cohort) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cohort")
	p := synth.DefaultParams()
	p.Width, p.Height, p.FrameRate = 64, 64, 1
	if _, err := synth.WriteCohort(dir, 16, 5, p, nil); err != nil {
		t.Fatal(err)
	}
	c, err := cohort.ReadFile(filepath.Join(dir, "cohort.csv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return dir, c
}

// checkFeatureCSV checks that the CSV text is the table want for the
// cohort: the header patient_id, split, response, then want's other
// columns; one row per patient in manifest order; every number the same
// float64 (NA for NaN).
func checkFeatureCSV(t *testing.T, text string, c *cohort.Cohort, want dataframe.DataFrame) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v", err)
	}
	wantHeader := []string{"patient_id", "split", "response"}
	for _, n := range want.Names() {
		if n != "patient_id" && n != "split" {
			wantHeader = append(wantHeader, n)
		}
	}
	if strings.Join(recs[0], "\x00") != strings.Join(wantHeader, "\x00") {
		t.Fatalf("header %q,\nwant %q", recs[0], wantHeader)
	}
	if len(recs) != 1+len(c.Patients) || want.Nrow() != len(c.Patients) {
		t.Fatalf("%d rows, table %d, want %d patients", len(recs)-1, want.Nrow(), len(c.Patients))
	}
	ids := want.Col("patient_id").Records()
	for i, p := range c.Patients {
		r := recs[i+1]
		if r[0] != p.ID || r[1] != p.Split || r[2] != p.Response || ids[i] != p.ID {
			t.Fatalf("row %d starts %q, want patient %s %s %s", i+1, r[:3], p.ID, p.Split, p.Response)
		}
		for j, n := range wantHeader[3:] {
			col := want.Col(n)
			got := r[3+j]
			if col.Type() != series.Float {
				if got != col.Elem(i).String() {
					t.Errorf("%s, %s: %q, want %q", p.ID, n, got, col.Elem(i).String())
				}
				continue
			}
			w := col.Elem(i).Float()
			v, err := strconv.ParseFloat(got, 64)
			if got == "NA" {
				v, err = math.NaN(), nil
			}
			same := math.Float64bits(v) == math.Float64bits(w) || math.IsNaN(v) && math.IsNaN(w)
			if err != nil || !same {
				t.Errorf("%s, %s: %q, want %v", p.ID, n, got, w)
			}
		}
	}
}

// TestFeaturesCommand: `ceusrad features` writes the tables of
// study.RTICFeatures, study.RBModeFeatures and RDLCEUSResult.DeepFeatures
// (trained, and from a checkpoint) bit for bit, to stdout and to -out.
func TestFeaturesCommand(t *testing.T) {
	dir, c := featuresCohort(t)
	features := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if rc := run(append([]string{"features", "-cohort", dir}, args...), &out, &errb); rc != exitOK {
			t.Fatalf("features %v: exit %d: %s", args, rc, errb.String())
		}
		if !strings.Contains(errb.String(), "16/16") {
			t.Errorf("features %v: no progress on stderr: %q", args, errb.String())
		}
		return out.String()
	}
	t.Run("tic", func(t *testing.T) {
		want, err := study.RTICFeatures(c, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkFeatureCSV(t, features("-kind", "tic"), c, want)
	})
	t.Run("bmode", func(t *testing.T) {
		want, err := study.RBModeFeatures(c, nil)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "bmode.csv")
		if out := features("-kind", "bmode", "-out", path); out != "" {
			t.Errorf("stdout %q with -out", out)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		checkFeatureCSV(t, string(b), c, want)
	})
	t.Run("deep", func(t *testing.T) {
		cfg := deep.DefaultConfig()
		cfg.Epochs, cfg.Seed = 1, 2
		r, err := study.RDLCEUS(c, study.RDLCEUSOptions{Config: &cfg})
		if err != nil {
			t.Fatal(err)
		}
		want, err := r.DeepFeatures()
		if err != nil {
			t.Fatal(err)
		}
		if want.Ncol() != 2+32 {
			t.Errorf("%d deep feature columns, want 32", want.Ncol()-2)
		}
		checkFeatureCSV(t, features("-kind", "deep", "-epochs", "1", "-seed", "2", "-out", "-"), c, want)
		model := filepath.Join(t.TempDir(), "model.json")
		if err := r.Model.SaveFile(model); err != nil {
			t.Fatal(err)
		}
		checkFeatureCSV(t, features("-kind", "deep", "-model", model), c, want)
		bad := filepath.Join(dir, "nosuch.json")
		if code, _, errOut := call("features", "-cohort", dir, "-kind", "deep", "-model", bad); code != exitError || !strings.Contains(errOut, bad) {
			t.Errorf("missing -model file: exit %d, stderr %q", code, errOut)
		}
	})
}

func TestFeaturesErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nosuch")
	for _, tc := range []struct {
		args []string
		rc   int
		err  string
	}{
		{[]string{"features", "-kind", "tic"}, exitUsage, "-cohort DIR and -kind are required"},
		{[]string{"features", "-cohort", missing}, exitUsage, "-cohort DIR and -kind are required"},
		{[]string{"features", "-cohort", missing, "-kind", "cnn"}, exitUsage, `-kind "cnn": want one of`},
		{[]string{"features", "-cohort", missing, "-kind", "tic", "extra"}, exitUsage, `unexpected argument "extra"`},
		{[]string{"features", "-cohort", missing, "-kind", "bmode", "-epochs", "3"}, exitUsage, "go with -kind deep"},
		{[]string{"features", "-cohort", missing, "-kind", "deep", "-model", "m.json", "-seed", "3"}, exitUsage, "do not go with -model"},
		{[]string{"features", "-cohort", missing, "-kind", "deep", "-epochs", "0"}, exitUsage, "-epochs 0"},
		{[]string{"features", "-cohort", missing, "-kind", "nosuch-flag", "-bins", "3"}, exitUsage, "-bins"},
		{[]string{"features", "-cohort", missing, "-kind", "tic"}, exitError, missing},
	} {
		code, _, errOut := call(tc.args...)
		if code != tc.rc || !strings.Contains(errOut, tc.err) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args[1:], code, errOut, tc.rc, tc.err)
		}
	}
	code, out, _ := call("help", "features")
	for _, s := range []string{"NA", "IBSI", "TTP", "deep_32", "-model"} {
		if code != exitOK || !strings.Contains(out, s) {
			t.Errorf("help features (exit %d) lacks %q", code, s)
		}
	}
}

// TestWriteFeatureCSV: rows follow the manifest (matched by patient_id),
// NaN is NA, ±Inf are Inf and -Inf, names that need quotes get them, and a
// patient without a row is an error naming it.
func TestWriteFeatureCSV(t *testing.T) {
	c := &cohort.Cohort{Patients: []cohort.Patient{
		{ID: "P1", Split: "train", Response: "OR", Line: 2},
		{ID: "P2", Split: "validation", Response: "NR", Line: 3},
	}}
	df := dataframe.New(
		series.New([]string{"P2", "P1"}, series.String, "patient_id"),
		series.New([]string{"lesion: fit failed", ""}, series.String, "tic_status"),
		series.New([]float64{math.NaN(), math.Nextafter(0.3, 1)}, series.Float, "glcm/x [2D, averaged]"),
		series.New([]float64{math.Inf(1), math.Inf(-1)}, series.Float, "ratio"),
	)
	var b strings.Builder
	if err := writeFeatureCSV(&b, c, df); err != nil {
		t.Fatal(err)
	}
	want := `patient_id,split,response,tic_status,"glcm/x [2D, averaged]",ratio
P1,train,OR,,0.30000000000000004,-Inf
P2,validation,NR,lesion: fit failed,NA,Inf
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	c.Patients = append(c.Patients, cohort.Patient{ID: "P3", Line: 4})
	if err := writeFeatureCSV(&b, c, df); err == nil || !strings.Contains(err.Error(), "patient P3 (line 4)") {
		t.Errorf("missing row: %v", err)
	}
}
