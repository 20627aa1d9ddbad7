package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/synth"
)

func TestCNNCommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cohort")
	p := synth.DefaultParams()
	p.Width, p.Height, p.FrameRate = 64, 64, 1
	if _, err := synth.WriteCohort(dir, 16, 5, p, nil); err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(t.TempDir(), "model.json")
	var out, errb bytes.Buffer
	if rc := run([]string{"train-cnn", "-cohort", dir, "-epochs", "1", "-seed", "2", "-out", model}, &out, &errb); rc != exitOK {
		t.Fatalf("train-cnn: exit %d: %s", rc, errb.String())
	}
	if !strings.Contains(out.String(), model) || !strings.Contains(errb.String(), "epoch 1/1") {
		t.Errorf("train-cnn: stdout %q, stderr %q", out.String(), errb.String())
	}
	if _, err := os.Stat(model); err != nil {
		t.Fatal(err)
	}
	predict := func(c string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if rc := run([]string{"predict-cnn", "-model", model, "-cohort", c}, &out, &errb); rc != exitOK {
			t.Fatalf("predict-cnn: exit %d: %s", rc, errb.String())
		}
		return out.String()
	}
	csvText := predict(dir)
	rows, err := csv.NewReader(strings.NewReader(csvText)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	co, err := cohort.ReadFile(filepath.Join(dir, "cohort.csv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(co.Patients) || strings.Join(rows[0], ",") != "patient_id,probability" {
		t.Fatalf("predict-cnn printed %d rows, header %v", len(rows), rows[0])
	}
	for i, r := range rows[1:] {
		pr, err := strconv.ParseFloat(r[1], 64)
		if r[0] != co.Patients[i].ID || err != nil || !(pr > 0 && pr < 1) {
			t.Errorf("row %d = %v, want patient %s and a probability", i+1, r, co.Patients[i].ID)
		}
	}
	// The manifest path works too, and scoring is deterministic.
	if again := predict(filepath.Join(dir, "cohort.csv")); again != csvText {
		t.Error("a second prediction differs")
	}

	for _, tc := range []struct {
		args []string
		rc   int
	}{
		{[]string{"train-cnn", "-cohort", dir}, exitUsage},
		{[]string{"train-cnn", "-cohort", dir, "-out", model, "-epochs", "0"}, exitUsage},
		{[]string{"predict-cnn", "-model", model}, exitUsage},
		{[]string{"predict-cnn", "-model", filepath.Join(dir, "cohort.csv"), "-cohort", dir}, exitError},
		{[]string{"predict-cnn", "-model", model, "-cohort", filepath.Join(dir, "missing")}, exitError},
		{[]string{"help", "train-cnn"}, exitOK},
		{[]string{"help", "predict-cnn"}, exitOK},
	} {
		out.Reset()
		errb.Reset()
		if rc := run(tc.args, &out, &errb); rc != tc.rc {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args, rc, tc.rc, errb.String())
		}
	}
}
