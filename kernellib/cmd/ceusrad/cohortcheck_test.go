package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/cohort/filecheck"
)

// The parallel file checks of `ceusrad cohort` find exactly the problems,
// in the same order, that the sequential cohort.ReadFile with
// filecheck.Options finds, manifest problems and file problems mixed; and
// the progress bars name what they count.
func TestReadCohortCheckedMatchesSequential(t *testing.T) {
	dir, manifest := writeTinyCohort(t, 16)
	os.WriteFile(filepath.Join(dir, "P03.png"), []byte("not a png"), 0o644)
	os.Remove(filepath.Join(dir, "P07_mask.png"))
	os.WriteFile(filepath.Join(dir, "P11.dcm"), []byte("short"), 0o644)
	b, _ := os.ReadFile(manifest)
	text := strings.Replace(string(b), "P09,OR,", "P09,PR,", 1) // a manifest problem among the file problems
	os.WriteFile(manifest, []byte(text), 0o644)

	_, seqErr := cohort.ReadFile(manifest, filecheck.Options())
	var errb bytes.Buffer
	_, parErr := readCohortChecked(manifest, &errb)
	var seq, par cohort.Problems
	if !errors.As(seqErr, &seq) || !errors.As(parErr, &par) {
		t.Fatalf("sequential %v, parallel %v", seqErr, parErr)
	}
	if len(seq) != 4 || seqErr.Error() != parErr.Error() {
		t.Errorf("sequential:\n%v\nparallel:\n%v", seqErr, parErr)
	}
	for _, want := range []string{"manifest rows", "patients' files checked", "14/14"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("progress lacks %q: %q", want, errb.String())
		}
	}
	// A good cohort: the same patients as the sequential reading.
	_, good := writeTinyCohort(t, 9)
	c1, err1 := cohort.ReadFile(good, filecheck.Options())
	c2, err2 := readCohortChecked(good, &errb)
	if err1 != nil || err2 != nil || len(c1.Patients) != 9 || len(c2.Patients) != 9 || c2.Patients[8].ID != "P09" {
		t.Errorf("good cohort: %v, %v", err1, err2)
	}
}
