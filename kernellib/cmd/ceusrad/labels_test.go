package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// labelsCSV writes 40 rows: 16 cases written 1 or 1.0, 16 controls written
// 0 or 0.0, and 8 rows whose truth is NA or empty (their scores empty too);
// extra, when not empty, replaces the label of data row 7.
func labelsCSV(t *testing.T, extra string) string {
	var b strings.Builder
	b.WriteString("id,y,s,f\n")
	for i := 0; i < 40; i++ {
		y, s := "", ""
		switch {
		case i < 16:
			y, s = []string{"1", "1.0"}[i%2], fmt.Sprint(0.3+0.04*float64(i))
		case i < 32:
			y, s = []string{"0", "0.0"}[i%2], fmt.Sprint(0.1+0.04*float64(i-16))
		default:
			y = []string{"NA", ""}[i%2]
		}
		if i == 6 && extra != "" {
			y = extra
		}
		f := s
		if f == "" {
			f = "NA" // not read: the row has no outcome
		}
		fmt.Fprintf(&b, "P%02d,%s,%s,%s\n", i+1, y, s, f)
	}
	return writeCSV(t, b.String())
}

// 1.0 and 0.0 are the labels 1 and 0, NA and empty are missing and counted,
// and anything else is refused with its row — in roc and in train alike.
func TestTruthLabels(t *testing.T) {
	path := labelsCSV(t, "")
	code, out, errOut := call("roc", "-in", path, "-truth", "y", "-scores", "s", "-json")
	if code != exitOK {
		t.Fatalf("roc: exit %d: %s", code, errOut)
	}
	var rep struct{ NCases, NControls, NMissing int }
	var raw map[string]int
	json.Unmarshal([]byte(out), &raw)
	rep.NCases, rep.NControls, rep.NMissing = raw["n_cases"], raw["n_controls"], raw["n_missing"]
	if rep.NCases != 16 || rep.NControls != 16 || rep.NMissing != 8 {
		t.Errorf("roc -json: %d cases, %d controls, %d missing; want 16, 16, 8 (%s)", rep.NCases, rep.NControls, rep.NMissing, out)
	}
	code, out, errOut = call("roc", "-in", path, "-truth", "y", "-scores", "s")
	if code != exitOK || !strings.Contains(out, "16 cases (y = 1), 16 controls (y = 0); 8 rows left out, truth missing (data rows 33, 34, 35, 36, 37, 38, 39, 40)") {
		t.Errorf("roc: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = call("train", "-in", path, "-label", "y", "-model", "ridge", "-lambda", "0.1", "-json")
	var tr struct {
		Proba    []float64 `json:"proba"`
		NMissing int       `json:"n_missing"`
	}
	if code != exitOK || json.Unmarshal([]byte(out), &tr) != nil || len(tr.Proba) != 32 || tr.NMissing != 8 {
		t.Errorf("train -json: exit %d, %d probabilities, %d missing; stderr %q", code, len(tr.Proba), tr.NMissing, errOut)
	}
	code, out, errOut = call("train", "-in", path, "-label", "y", "-model", "ridge", "-lambda", "0.1")
	if code != exitOK || !strings.Contains(out, "32 rows, 16 cases (y = 1), 16 controls (y = 0)") || !strings.Contains(out, "8 rows left out, outcome missing") {
		t.Errorf("train: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	for _, bad := range []string{"2", "yes", "abc", "-1", "OR"} {
		path := labelsCSV(t, bad)
		want := fmt.Sprintf(`line 8 (data row 7), column "y": %q is not a label`, bad)
		for _, args := range [][]string{
			{"roc", "-in", path, "-truth", "y", "-scores", "s"},
			{"train", "-in", path, "-label", "y", "-model", "ridge", "-lambda", "0.1"},
		} {
			code, out, errOut := call(args...)
			if code != exitError || out != "" || !strings.Contains(errOut, want) {
				t.Errorf("%s with label %q: exit %d, stderr %q; want %q", args[0], bad, code, errOut, want)
			}
		}
	}
	// A label set outside the documented ones needs both labels.
	for _, cmd := range [][]string{{"roc", "-truth", "y", "-scores", "s"}, {"train", "-label", "y", "-model", "rf"}} {
		code, _, errOut := call(append(cmd, "-in", path, "-positive", "yes")...)
		if code != exitUsage || !strings.Contains(errOut, "name the control label") {
			t.Errorf("%s -positive yes: exit %d, stderr %q", cmd[0], code, errOut)
		}
	}
}
