package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/study"
	"github.com/ceusrad/ceusrad/kernellib/synth"
)

// smallSynth writes a synthetic cohort of n patients (64×64 frames at
// 1 frame/s) made with seed into a new folder and returns it.
func smallSynth(t *testing.T, n int, seed uint64) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cohort")
	p := synth.DefaultParams()
	p.Width, p.Height, p.FrameRate = 64, 64, 1
	if _, err := synth.WriteCohort(dir, n, seed, p, nil); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestValidateCommand trains the clinical model and R-TIC with reproduce,
// then applies the bundle to a second simulated centre (another seed):
// results.json is external with the bundle's hashes, the thresholds are
// the bundle's; a tampered bundle, a cohort without AFP and a bad flag are
// refused with errors that name them; -models leaves the clinical model
// out.
func TestValidateCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs reproduce and validate on small simulated cohorts")
	}
	train := smallSynth(t, 60, 3)
	studyOut := filepath.Join(t.TempDir(), "study")
	code, out, errOut := call("reproduce", "-cohort", train, "-out", studyOut, "-models", "Clinical,R-TIC", "-splits", "0", "-boot", "50")
	if code != exitOK {
		t.Fatalf("reproduce: exit %d\n%s\n%s", code, out, errOut)
	}
	var bundle study.Bundle
	b, err := os.ReadFile(filepath.Join(studyOut, "models", "bundle.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &bundle); err != nil || bundle.Format != study.BundleFormat || len(bundle.Models) != 2 {
		t.Fatalf("bundle.json: %v %+v", err, bundle)
	}
	ext := smallSynth(t, 40, 11)
	valOut := filepath.Join(t.TempDir(), "ext")
	code, out, errOut = call("validate", "-bundle", studyOut, "-cohort", ext, "-out", valOut, "-recalibrate", "-boot", "50")
	if code != exitOK {
		t.Fatalf("validate: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "External validation") || !strings.Contains(out, "on 40 of the 40 patients") || !strings.Contains(out, "Recalibrated") {
		t.Errorf("stdout:\n%s", out)
	}
	var res struct {
		External bool                 `json:"external"`
		Bundle   study.ResultBundle   `json:"bundle"`
		NValid   int                  `json:"n_validation"`
		Models   []study.ResultModel  `json:"models"`
		Files    []string             `json:"files"`
		Ext      study.ResultExternal `json:"external_validation"`
	}
	b, _ = os.ReadFile(filepath.Join(valOut, "results.json"))
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if !res.External || res.Bundle.CohortSHA256 != bundle.CohortSHA256 || len(res.Bundle.SHA256) != 64 || res.NValid != 40 || len(res.Models) != 2 {
		t.Fatalf("results.json: %+v", res)
	}
	for k, m := range res.Models {
		if float64(m.Threshold) != float64(bundle.Models[k].Threshold) || m.ThresholdSource != bundle.Models[k].ThresholdSource {
			t.Errorf("%s: threshold %v (%s), the bundle's %v (%s)", m.Name, m.Threshold, m.ThresholdSource, bundle.Models[k].Threshold, bundle.Models[k].ThresholdSource)
		}
	}
	if len(res.Ext.Recalibration) != 2 || !res.Ext.FrozenModels {
		t.Errorf("external_validation: %+v", res.Ext)
	}

	// A tampered model file is refused, naming it.
	tampered := filepath.Join(t.TempDir(), "models")
	os.MkdirAll(tampered, 0o755)
	for _, f := range []string{"bundle.json", "clinical.json", "rtic.json"} {
		b, _ := os.ReadFile(filepath.Join(studyOut, "models", f))
		if f == "rtic.json" {
			i := strings.LastIndexAny(string(b), "012345678")
			b[i]++ // same size, another value
		}
		os.WriteFile(filepath.Join(tampered, f), b, 0o644)
	}
	code, _, errOut = call("validate", "-bundle", tampered, "-cohort", ext, "-out", filepath.Join(t.TempDir(), "x"))
	if code != exitError || !strings.Contains(errOut, "rtic.json") {
		t.Errorf("tampered bundle: exit %d, %s", code, errOut)
	}

	// A cohort without AFP: the clinical model is refused naming the
	// column; -models R-TIC runs.
	noAFP := filepath.Join(t.TempDir(), "noafp")
	copyCohortWithout(t, ext, noAFP, "afp")
	code, _, errOut = call("validate", "-bundle", studyOut, "-cohort", noAFP, "-out", filepath.Join(t.TempDir(), "y"), "-boot", "50")
	if code != exitError || !strings.Contains(errOut, "model Clinical") || !strings.Contains(errOut, `"afp"`) {
		t.Errorf("no afp: exit %d, %s", code, errOut)
	}
	code, out, errOut = call("validate", "-bundle", studyOut, "-cohort", noAFP, "-out", filepath.Join(t.TempDir(), "z"), "-boot", "50", "-models", "R-TIC")
	if code != exitOK {
		t.Errorf("no afp, -models R-TIC: exit %d, %s %s", code, out, errOut)
	}
	code, _, errOut = call("validate", "-bundle", studyOut, "-cohort", ext)
	if code != exitUsage || !strings.Contains(errOut, "required") {
		t.Errorf("no -out: exit %d, %s", code, errOut)
	}
}

// copyCohortWithout copies the cohort folder from into to (the files by
// link) with cohort.csv lacking the column col.
func copyCohortWithout(t *testing.T, from, to, col string) {
	t.Helper()
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(to, "cohort.csv")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	head := strings.Split(lines[0], ",")
	k := -1
	for i, h := range head {
		if h == col {
			k = i
		}
	}
	if k < 0 {
		t.Fatalf("cohort.csv has no column %s", col)
	}
	for i, l := range lines {
		f := strings.Split(l, ",")
		lines[i] = strings.Join(append(f[:k:k], f[k+1:]...), ",")
	}
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}
