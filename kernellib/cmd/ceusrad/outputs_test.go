package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"github.com/ceusrad/ceusrad/kernellib/study"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
	"github.com/ceusrad/ceusrad/kernellib/synth"
	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// tinyCohort writes a 60-patient synthetic cohort of small, short cines (the
// refusal tests read only its manifest).
func tinyCohort(t *testing.T) (string, *cohort.Cohort) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cohort")
	p := synth.DefaultParams()
	p.Width, p.Height, p.FrameRate, p.DurationS = 64, 64, 0.5, 20
	if _, err := synth.WriteCohort(dir, 90, 7, p, nil); err != nil {
		t.Fatal(err)
	}
	c, err := cohort.ReadFile(filepath.Join(dir, "cohort.csv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return dir, c
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// An output that names an input of the run (the manifest, a cine, a mask, the
// checkpoint read, the cohort folder) is refused before anything is computed,
// and the input is left as it was.
func TestOutputNamingAnInputIsRefused(t *testing.T) {
	dir, c := tinyCohort(t)
	manifest := filepath.Join(dir, "cohort.csv")
	model := filepath.Join(t.TempDir(), "model.json")
	os.WriteFile(model, []byte("{}"), 0o644) // never read: the output check comes first
	for _, tc := range []struct {
		args  []string
		input string
		want  string
	}{
		{[]string{"features", "-cohort", dir, "-kind", "tic", "-out", manifest}, manifest, "is an input"},
		{[]string{"features", "-cohort", manifest, "-kind", "bmode", "-out", c.Patients[3].BMode}, c.Patients[3].BMode, "is an input"},
		{[]string{"features", "-cohort", dir, "-kind", "deep", "-model", model, "-out", model}, model, "is an input"},
		{[]string{"features", "-cohort", dir, "-kind", "tic", "-out", dir}, manifest, "folder"},
		{[]string{"train-cnn", "-cohort", dir, "-epochs", "1", "-out", manifest}, manifest, "is an input"},
		{[]string{"train-cnn", "-cohort", dir, "-epochs", "1", "-out", c.Patients[0].Cine}, c.Patients[0].Cine, "is an input"},
		{[]string{"train-cnn", "-cohort", dir, "-epochs", "1", "-out", c.Patients[1].LesionMask}, c.Patients[1].LesionMask, "is an input"},
		{[]string{"reproduce", "-cohort", dir, "-models", "Clinical", "-out", dir}, manifest, "input"},
		{[]string{"reproduce", "-cohort", dir, "-models", "Clinical", "-out", filepath.Join(dir, "cines")}, c.Patients[0].Cine, "input"},
		{[]string{"reproduce", "-cohort", dir, "-models", "Clinical", "-out", manifest}, manifest, "is a file"},
		{[]string{"synth", "-out", manifest, "-n", "2"}, manifest, "not a folder"},
	} {
		before := fileSum(t, tc.input)
		start := time.Now()
		code, _, errOut := call(tc.args...)
		if code != exitError || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 and %q", tc.args, code, errOut, tc.want)
		}
		if strings.Contains(errOut, "/") && strings.Contains(errOut, "patients") && strings.Contains(errOut, "%") {
			t.Errorf("%v: work started before the refusal: %q", tc.args, errOut)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%v: the refusal took %v", tc.args, d)
		}
		if fileSum(t, tc.input) != before {
			t.Errorf("%v: %s changed", tc.args, tc.input)
		}
	}
}

// features -out: a write that fails half-way (here the table lacks the last
// patient, found after the other rows were written; or a writer's error, as
// a full disk gives) leaves the previous file whole and no temporary file.
func TestFeaturesOutFailureKeepsPreviousFile(t *testing.T) {
	_, c := featuresCohortRows(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "features.csv")
	os.WriteFile(out, []byte("patient_id,split,response,x\nold,train,OR,1\n"), 0o644)
	ids := make([]string, len(c.Patients)-1)
	for i := range ids {
		ids[i] = c.Patients[i].ID
	}
	df := dataframe.New(series.New(ids, series.String, cohort.ColPatientID), series.New(make([]float64, len(ids)), series.Float, "x"))
	err := writeFeatures(out, nil, c, df)
	if err == nil || !strings.Contains(err.Error(), c.Patients[len(c.Patients)-1].ID) {
		t.Fatalf("writeFeatures with a missing row: %v", err)
	}
	full := errors.New("no space left on device")
	if err := writeOutput(out, nil, func(w io.Writer) error {
		w.Write([]byte("patient_id,split,response,x\nP001,tr"))
		return full
	}); !errors.Is(err, full) {
		t.Fatalf("writeOutput: %v", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "patient_id,split,response,x\nold,train,OR,1\n" {
		t.Errorf("the previous file became %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("files left: %v", ents)
	}
	// With -out -, nothing reaches stdout when the table fails.
	var so bytes.Buffer
	if err := writeFeatures("-", &so, c, df); err == nil || so.Len() > 0 {
		t.Errorf("stdout got %d bytes of a failed table (%v)", so.Len(), err)
	}
}

// featuresCohortRows returns a cohort of four patients whose files are never
// read.
func featuresCohortRows(t *testing.T) (string, *cohort.Cohort) {
	t.Helper()
	text := "patient_id,response,split,cine,bmode,lesion_mask\n"
	for i := 1; i <= 4; i++ {
		id := "P00" + strconv.Itoa(i)
		text += id + ",OR,train," + id + ".dcm," + id + ".png," + id + "_m.png\n"
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "cohort.csv")
	os.WriteFile(p, []byte(text), 0o644)
	c, err := cohort.Read(strings.NewReader(text), p, dir, &cohort.Options{Stat: func(string) (os.FileInfo, error) { return os.Stat(p) }})
	if err != nil {
		t.Fatal(err)
	}
	return dir, c
}

// reproduce -out: an existing regular file, or a non-empty folder that holds no
// earlier run, is refused at once, before the default cohort would be simulated.
func TestReproduceOutChecks(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "figures.txt")
	os.WriteFile(file, []byte("mine"), 0o644)
	foreign := filepath.Join(root, "thesis")
	os.Mkdir(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "chapter1.md"), []byte("mine"), 0o644)
	for _, tc := range []struct{ out, want string }{{file, "is a file"}, {foreign, "holds no results.json"}} {
		start := time.Now()
		code, _, errOut := call("reproduce", "-out", tc.out) // the default cohort
		if code != exitError || !strings.Contains(errOut, tc.want) {
			t.Errorf("reproduce -out %s: exit %d, stderr %q", tc.out, code, errOut)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("reproduce -out %s took %v to refuse", tc.out, d)
		}
	}
	if _, err := os.Stat("datasets"); err == nil {
		t.Error("a refused reproduce created datasets/ here")
	}
	if b, _ := os.ReadFile(file); string(b) != "mine" {
		t.Errorf("%s changed", file)
	}
	if ents, _ := os.ReadDir(foreign); len(ents) != 1 {
		t.Errorf("the refused folder now holds %v", ents)
	}
}

// Two runs into one folder: while one holds the folder (here the lock is held
// in-process), synth and reproduce fail at once and name its PID; the lock file
// is gone after a run and not among results.json's files.
func TestOutputFolderLock(t *testing.T) {
	dir, _ := tinyCohort(t)
	out := filepath.Join(t.TempDir(), "out")
	l, err := safeio.LockDir(out)
	if err != nil {
		t.Fatal(err)
	}
	pid := "in use by process " + strconv.Itoa(os.Getpid())
	for _, args := range [][]string{
		{"synth", "-out", out, "-n", "2"},
		{"reproduce", "-cohort", dir, "-models", "Clinical", "-splits", "0", "-boot", "50", "-out", out},
	} {
		if code, _, errOut := call(args...); code != exitError || !strings.Contains(errOut, pid) {
			t.Errorf("%v on a locked folder: exit %d, stderr %q", args, code, errOut)
		}
	}
	l.Unlock()
	if code, _, errOut := call("reproduce", "-cohort", dir, "-models", "Clinical", "-splits", "2", "-boot", "50", "-out", out); code != exitOK {
		t.Fatalf("reproduce: exit %d: %s", code, errOut)
	}
	names := dirNames(t, out)
	if slices.Contains(names, safeio.LockName) {
		t.Error("the lock file was left after the run")
	}
	files := resultFiles(t, out)
	if !slices.Equal(files, names) {
		t.Errorf("results.json lists %v, the folder holds %v", files, names)
	}
	if !slices.Contains(files, "robustness_auc.csv") {
		t.Fatalf("no robustness_auc.csv in %v", files)
	}
	// A second run without the robustness analysis into the same folder
	// leaves none of the first run's robustness_* files.
	if code, _, errOut := call("reproduce", "-cohort", dir, "-models", "Clinical", "-splits", "0", "-boot", "50", "-out", out); code != exitOK {
		t.Fatalf("second reproduce: exit %d: %s", code, errOut)
	}
	names = dirNames(t, out)
	if files := resultFiles(t, out); !slices.Equal(files, names) {
		t.Errorf("after the second run results.json lists %v, the folder holds %v", files, names)
	}
	for _, n := range names {
		if strings.HasPrefix(n, "robustness_") {
			t.Errorf("stale %s of the first run", n)
		}
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		if e.Name() == study.BundleDir && e.IsDir() { // listed as results.json lists it
			sub, err := os.ReadDir(filepath.Join(dir, study.BundleDir))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range sub {
				names = append(names, study.BundleDir+"/"+f.Name())
			}
			continue
		}
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

func resultFiles(t *testing.T, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Format string   `json:"format"`
		Files  []string `json:"files"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.Format != "ceusrad-study-results" {
		t.Errorf("results.json format %q", r.Format)
	}
	return r.Files
}

// synth -n 100000 (about 430 GB with the defaults) is refused at once where the
// disk is smaller, before a patient is simulated.
func TestSynthChecksFreeSpace(t *testing.T) {
	out := filepath.Join(t.TempDir(), "big")
	free, err := safeio.FreeSpace(out)
	if err != nil {
		t.Fatal(err)
	}
	need := synth.EstimateBytes(synth.DefaultParams(), synth.MaxPatients)
	if free > need {
		t.Skipf("%s free here: room for %d patients (%s)", safeio.Bytes(free), synth.MaxPatients, safeio.Bytes(need))
	}
	start := time.Now()
	code, _, errOut := call("synth", "-out", out, "-n", strconv.Itoa(synth.MaxPatients))
	if code != exitError || !strings.Contains(errOut, "are free") || !strings.Contains(errOut, "GB") {
		t.Fatalf("synth -n %d: exit %d, stderr %q", synth.MaxPatients, code, errOut)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the refusal took %v", d)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the refused run created %s", out)
	}
}
