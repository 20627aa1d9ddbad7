package main

import (
	"bytes"
	"os"
	"path/filepath"
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
