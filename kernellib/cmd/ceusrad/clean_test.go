package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestClean(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "results.json"), []byte(`{"format":"ceusrad-study-results","files":["results.json","study_auc.csv"]}`), 0o644)
	os.WriteFile(filepath.Join(dir, "study_auc.csv"), []byte("x"), 0o644)
	var out, errb bytes.Buffer
	if code := run([]string{"clean", "-out", dir}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("left %v", ents)
	}
	os.WriteFile(filepath.Join(dir, "results.json"), []byte(`[1,2]`), 0o644)
	if code := run([]string{"clean", "-out", dir}, &out, &errb); code != exitError {
		t.Errorf("a foreign results.json: exit %d", code)
	}
	if code := run([]string{"clean"}, &out, &errb); code != exitUsage {
		t.Errorf("no -out: exit %d", code)
	}
}
