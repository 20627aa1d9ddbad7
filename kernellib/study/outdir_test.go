package study

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// dirNames lists the names in dir, sorted, a bundle folder (BundleDir) as
// the names of its files ("models/NAME", as results.json lists them).
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		if e.Name() == BundleDir && e.IsDir() {
			sub, err := os.ReadDir(filepath.Join(dir, BundleDir))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range sub {
				names = append(names, BundleDir+"/"+f.Name())
			}
			continue
		}
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

// A run into a folder with an earlier run replaces it: results.json lists every
// file of the new run, the earlier run's files it does not write again (here its
// robustness_*) are removed, and nothing it did not list is touched.
func TestWriteFilesReplacesEarlierRun(t *testing.T) {
	c := clinicalCohort(t, 90)
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	s1, err := RunStudy(c, RunOptions{Models: []string{ClinicalName}, Splits: 3, BootReplicates: 100})
	if err != nil {
		t.Fatal(err)
	}
	paths, err := s1.WriteFiles(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	r1, err := ReadResults(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if r1.Format != ResultsFormat || !slices.Equal(r1.Files, dirNames(t, dir)) || len(r1.Files) != len(paths) {
		t.Fatalf("results.json: format %q, files %v; the folder holds %v", r1.Format, r1.Files, dirNames(t, dir))
	}
	if !slices.Contains(r1.Files, "robustness_auc.csv") || !slices.Contains(r1.Files, "results.json") {
		t.Fatalf("files %v lack robustness_auc.csv or results.json", r1.Files)
	}
	// A file of the user's, and an earlier results.json edited to list it and
	// a path outside the folder: neither may be removed.
	mine := filepath.Join(dir, "notes.txt")
	outside := filepath.Join(root, "outside.txt")
	for _, p := range []string{mine, outside} {
		if err := os.WriteFile(p, []byte("keep"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "results.json"))
	var raw map[string]any
	json.Unmarshal(b, &raw)
	raw["files"] = append(raw["files"].([]any), "../outside.txt", "/"+outside)
	b, _ = json.Marshal(raw)
	os.WriteFile(filepath.Join(dir, "results.json"), b, 0o644)

	s2, err := RunStudy(c, RunOptions{Models: []string{ClinicalName}, Splits: -1, BootReplicates: 100})
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckOutDir(dir, Inputs(c)); err != nil {
		t.Fatalf("an earlier run's folder refused: %v", err)
	}
	if _, err := s2.WriteFiles(dir, true); err != nil {
		t.Fatal(err)
	}
	r2, err := ReadResults(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := slices.DeleteFunc(dirNames(t, dir), func(n string) bool { return n == "notes.txt" })
	if !slices.Equal(r2.Files, want) {
		t.Errorf("results.json lists %v, the run left %v", r2.Files, want)
	}
	for _, n := range dirNames(t, dir) {
		if strings.HasPrefix(n, "robustness_") {
			t.Errorf("%s of the earlier run is still there", n)
		}
	}
	for _, p := range []string{mine, outside} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
	}
}

func TestCheckOutDir(t *testing.T) {
	root := t.TempDir()
	in := filepath.Join(root, "cohort")
	os.MkdirAll(filepath.Join(in, "frames"), 0o755)
	manifest := filepath.Join(in, "cohort.csv")
	os.WriteFile(manifest, []byte("x"), 0o644)
	inputs := []string{manifest, filepath.Join(in, "frames")}

	file := filepath.Join(root, "results.txt")
	os.WriteFile(file, []byte("x"), 0o644)
	foreign := filepath.Join(root, "foreign")
	os.Mkdir(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "thesis.docx"), []byte("x"), 0o644)
	legacy := filepath.Join(root, "legacy")
	os.Mkdir(legacy, 0o755)
	os.WriteFile(filepath.Join(legacy, "results.json"), []byte(`{"cohort":"c.csv","models":[{"name":"R-TIC"}],"options":{"seed":1}}`), 0o644)
	other := filepath.Join(root, "other")
	os.Mkdir(other, 0o755)
	os.WriteFile(filepath.Join(other, "results.json"), []byte(`{"format":"someone-else","files":["a"]}`), 0o644)
	locked := filepath.Join(root, "locked")
	os.Mkdir(locked, 0o755)
	os.WriteFile(filepath.Join(locked, safeio.LockName), []byte("1\n"), 0o644)

	for _, tc := range []struct {
		dir, want string
	}{
		{file, "is a file"},
		{foreign, "holds no results.json"},
		{other, "holds no results.json"},
		{manifest, "is a file"},
		{filepath.Join(in, "frames"), "input"},
		{in, "input"},
		{filepath.Join(root, "new", "out"), ""},
		{legacy, ""},
		{locked, ""},
	} {
		err := CheckOutDir(tc.dir, inputs)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("CheckOutDir(%s) = %v, want no error", tc.dir, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("CheckOutDir(%s) = %v, want an error with %q", tc.dir, err, tc.want)
		}
	}
	if st, err := os.Stat(filepath.Join(root, "new", "out")); err != nil || !st.IsDir() {
		t.Errorf("the new output folder was not created: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(foreign, "thesis.docx")); string(b) != "x" {
		t.Error("the refused folder changed")
	}
}

// LoadOrRun into a folder another run holds fails at once, naming its PID.
func TestLoadOrRunLocked(t *testing.T) {
	dir := t.TempDir()
	l, err := safeio.LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Unlock()
	_, err = LoadOrRun(clinicalCohort(t, 30), dir, RunOptions{Models: []string{ClinicalName}, Splits: -1, BootReplicates: 50}, true)
	if err == nil || !strings.Contains(err.Error(), "in use by process "+strconv.Itoa(os.Getpid())) {
		t.Fatalf("LoadOrRun on a locked folder: %v", err)
	}
}

// WriteTable replaces a table by a rename, never by truncating it in place.
func TestWriteTableIsAtomic(t *testing.T) {
	c := clinicalCohort(t, 9)
	dir := t.TempDir()
	base := filepath.Join(dir, "t")
	os.WriteFile(base+".csv", []byte("old"), 0o644)
	if err := os.Link(base+".csv", filepath.Join(dir, "keep")); err != nil {
		t.Skip(err)
	}
	if err := WriteTable(c.Frame, base); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "keep")); !bytes.Equal(b, []byte("old")) {
		t.Errorf("t.csv was rewritten in place")
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"keep", "t.csv", "t.md"}) {
		t.Errorf("files left: %v", names)
	}
}
