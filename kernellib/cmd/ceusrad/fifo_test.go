package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio/fifotest"
)

// mkfifo is fifotest.Make.
func mkfifo(t *testing.T, path string) { fifotest.Make(t, path) }

// callWithin runs the command line and fails the test when it has not
// finished within d.
func callWithin(t *testing.T, d time.Duration, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	type result struct {
		code     int
		out, err string
	}
	done := make(chan result, 1)
	go func() {
		c, o, e := call(args...)
		done <- result{c, o, e}
	}()
	select {
	case r := <-done:
		return r.code, r.out, r.err
	case <-time.After(d):
		t.Fatalf("%q still running after %v", args, d)
		return 0, "", ""
	}
}

// A named pipe given as an input is refused by name: as the B-mode image,
// lesion mask or cine of a manifest, as the manifest itself, as the CSV of
// roc and train, and as the curve of tic.
func TestCommandsRefuseFIFO(t *testing.T) {
	for _, col := range []string{"bmode", "lesion_mask", "cine"} {
		dir, manifest := writeTinyCohort(t, 4)
		target := map[string]string{"bmode": "P02.png", "lesion_mask": "P02_mask.png", "cine": "P02.dcm"}[col]
		path := filepath.Join(dir, target)
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		mkfifo(t, path)
		code, _, errOut := callWithin(t, 10*time.Second, "cohort", "-in", manifest)
		if code != exitError || !strings.Contains(errOut, target) || !strings.Contains(errOut, "named pipe") || !strings.Contains(errOut, col) {
			t.Errorf("%s a FIFO: exit %d, stderr %q", col, code, errOut)
		}
	}
	fifo := filepath.Join(t.TempDir(), "in.csv")
	mkfifo(t, fifo)
	for _, args := range [][]string{
		{"cohort", "-in", fifo},
		{"roc", "-in", fifo, "-truth", "y", "-scores", "s"},
		{"train", "-in", fifo, "-label", "y", "-model", "lasso"},
		{"tic", "-curve", fifo},
	} {
		code, _, errOut := callWithin(t, 10*time.Second, args...)
		if code != exitError || !strings.Contains(errOut, fifo) || !strings.Contains(errOut, "named pipe") {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
		}
	}
}
