package study

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// TestForgetRun: the files an earlier run listed go, with its results.json;
// files it did not list stay; a foreign results.json is refused.
func TestForgetRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("results.json", `{"format":"`+ResultsFormat+`","files":["results.json","robustness_auc.csv","../outside.csv"]}`)
	write("robustness_auc.csv", "x")
	write("04_gradcam_OR.png", "notebook figure")
	if err := ForgetRun(dir); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{"results.json": false, "robustness_auc.csv": false, "04_gradcam_OR.png": true, safeio.LockName: false} {
		_, err := os.Stat(filepath.Join(dir, name))
		if (err == nil) != want {
			t.Errorf("%s present = %v, want %v", name, err == nil, want)
		}
	}
	if err := ForgetRun(dir); err != nil {
		t.Errorf("a folder without results.json: %v", err)
	}
	write("results.json", `{"something":"else"}`)
	if err := ForgetRun(dir); err == nil {
		t.Error("a foreign results.json was accepted")
	}
	if _, err := os.Stat(filepath.Join(dir, "results.json")); err != nil {
		t.Error("a foreign results.json was removed")
	}
}
