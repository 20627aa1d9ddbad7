package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestSynthCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cohort")
	var out, errb bytes.Buffer
	if rc := run([]string{"synth", "-out", dir, "-n", "4", "-seed", "3"}, &out, &errb); rc != exitOK {
		t.Fatalf("exit %d: %s", rc, errb.String())
	}
	if !strings.Contains(out.String(), "4 patients") || !strings.Contains(errb.String(), "4/4") {
		t.Errorf("stdout %q, stderr %q", out.String(), errb.String())
	}
	for _, f := range []string{"cohort.csv", "latent.csv", "SUMMARY.md", "cines/P004.dcm", "masks/P001_lesion.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	// The cohort it writes passes `ceusrad cohort`.
	out.Reset()
	errb.Reset()
	if rc := run([]string{"cohort", "-in", filepath.Join(dir, "cohort.csv"), "-by", "response"}, &out, &errb); rc != exitOK {
		t.Errorf("ceusrad cohort on the synthetic cohort: exit %d: %s", rc, errb.String())
	}
	// A folder holding something else is refused.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644)
	if rc := run([]string{"synth", "-out", other, "-n", "2"}, &out, &errb); rc != exitError {
		t.Errorf("non-empty foreign folder: exit %d", rc)
	}
	if rc := run([]string{"synth"}, &out, &errb); rc != exitUsage {
		t.Errorf("no -out: exit %d", rc)
	}
}

// TestSynthCentre checks -centre B and the per-setting flags: the manifest
// puts every patient in validation at 3 frames/s, SUMMARY.md names the
// centre, a flag overrides the centre's value, and bad values are usage
// errors.
func TestSynthCentre(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "b")
	var out, errb bytes.Buffer
	if rc := run([]string{"synth", "-out", dir, "-n", "3", "-seed", "2", "-centre", "B", "-size-shift", "0.2"}, &out, &errb); rc != exitOK {
		t.Fatalf("exit %d: %s", rc, errb.String())
	}
	if !strings.Contains(out.String(), "0 training / 3 validation") {
		t.Errorf("stdout %q", out.String())
	}
	csv, err := os.ReadFile(filepath.Join(dir, "cohort.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(regexp.MustCompile(`(?m)^P00[1-3],(OR|NR),validation,([^,]*,){4}3,`).FindAllString(string(csv), -1)) != 3 {
		t.Errorf("cohort.csv: want 3 validation rows at frame_rate 3:\n%s", csv)
	}
	sum, err := os.ReadFile(filepath.Join(dir, "SUMMARY.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Centre B", "* ZSizeShift: 0.2", "* CEUSGainOffsetDB: 4"} {
		if !strings.Contains(string(sum), want) {
			t.Errorf("SUMMARY.md lacks %q", want)
		}
	}
	for _, args := range [][]string{
		{"-centre", "C"},
		{"-split", "external"},
		{"-gain-db", "99"},
		{"-frame-rate", "0"},
		{"-spread", "-1"},
	} {
		errb.Reset()
		a := append([]string{"synth", "-out", filepath.Join(t.TempDir(), "x"), "-n", "2"}, args...)
		if rc := run(a, &out, &errb); rc != exitUsage || errb.Len() == 0 {
			t.Errorf("%v: exit %d, stderr %q; want a usage error", args, rc, errb.String())
		}
	}
}
