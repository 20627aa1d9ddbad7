package study

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// ResultsFormat is the "format" of a results.json written by WriteFiles. It
// marks the folder as holding a ceusrad study run, whose files (results.json's
// "files") a later run into the same folder may replace and remove.
const ResultsFormat = "ceusrad-study-results"

// resultsJSONLimit bounds the results.json read to find a previous run's files.
const resultsJSONLimit = 1 << 30

// Inputs returns every file a study on c reads: the manifest and each
// patient's cine (a file or a frame folder), B-mode image and masks. Commands
// pass them to safeio.CheckOutputs so that no output overwrites an input.
func Inputs(c *cohort.Cohort) []string {
	if c == nil {
		return nil
	}
	in := []string{c.Path}
	for _, p := range c.Patients {
		in = append(in, p.Cine, p.BMode, p.LesionMask, p.LiverMask, p.LesionMask2)
	}
	return slices.DeleteFunc(in, func(s string) bool { return s == "" })
}

// previousRun reads dir/results.json. isRun reports a results.json of a ceusrad
// study: one with the ResultsFormat marker, or an older one written before
// the marker existed (it has "models" and "options"; it lists no files).
// files are the names the marked run wrote in dir.
func previousRun(dir string) (files []string, isRun bool, err error) {
	path := filepath.Join(dir, "results.json")
	b, err := safeio.ReadFile(path, resultsJSONLimit)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	var head struct {
		Format  string          `json:"format"`
		Files   []string        `json:"files"`
		Models  json.RawMessage `json:"models"`
		Options json.RawMessage `json:"options"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, false, nil
	}
	switch {
	case head.Format == ResultsFormat:
		return head.Files, true, nil
	case head.Format == "" && len(head.Models) > 0 && len(head.Options) > 0 && string(head.Models) != "null":
		return nil, true, nil
	}
	return nil, false, nil
}

// CheckOutDir checks, before a study runs, that dir can take its outputs:
// dir is a folder or can be created (it is created), is not one of the
// inputs nor holds one at its top level (where the study writes), and is
// either empty (a lock file of safeio.LockDir aside) or holds a previous
// study run (a results.json of ResultsFormat, or of an older ceusrad). A
// regular file, or a non-empty folder of other files, is refused with an
// error that says so; nothing is written or removed then.
func CheckOutDir(dir string, inputs []string) error {
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return fmt.Errorf("output %s is a file, not a folder; give a new, empty or earlier output folder", dir)
	}
	if err := safeio.CheckOutputs([]string{dir}, inputs); err != nil {
		return err
	}
	if err := checkTopLevelInputs(dir, inputs); err != nil {
		return err
	}
	for _, in := range inputs {
		if st, err := os.Stat(in); err == nil && st.IsDir() && inside(dir, in) {
			return fmt.Errorf("output folder %s lies inside %s, an input folder of this run; choose another output folder", dir, in)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	entries = slices.DeleteFunc(entries, func(e fs.DirEntry) bool { return e.Name() == safeio.LockName })
	if len(entries) == 0 {
		return nil
	}
	_, isRun, err := previousRun(dir)
	if err != nil {
		return err
	}
	if !isRun {
		return fmt.Errorf("output folder %s is not empty (%s) and holds no results.json of an earlier ceusrad run; give a new or empty folder", dir, entries[0].Name())
	}
	return nil
}

// resolved returns p absolute, with the symlinks of its longest existing
// prefix resolved.
func resolved(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	rest := ""
	for d := a; ; d = filepath.Dir(d) {
		if r, err := filepath.EvalSymlinks(d); err == nil {
			return filepath.Join(r, rest)
		}
		if filepath.Dir(d) == d {
			return a
		}
		rest = filepath.Join(filepath.Base(d), rest)
	}
}

// inside reports whether p is the folder dir or lies below it.
func inside(p, dir string) bool {
	rel, err := filepath.Rel(resolved(dir), resolved(p))
	return err == nil && filepath.IsLocal(rel)
}

// checkTopLevelInputs refuses a folder that directly holds one of the inputs:
// the study writes (and removes its earlier) files there.
func checkTopLevelInputs(dir string, inputs []string) error {
	d := resolved(dir)
	seen := map[string]string{} // an input's folder, resolved
	for _, in := range inputs {
		parent := filepath.Dir(in)
		r, ok := seen[parent]
		if !ok {
			r = resolved(parent)
			seen[parent] = r
		}
		if r == d {
			return fmt.Errorf("output folder %s holds %s, an input of this run; choose another output folder", dir, in)
		}
	}
	return nil
}

// removeStale removes from dir the files of the previous run (prev, the names
// its results.json listed) that this run (names) did not write. Only plain
// names of regular files directly in dir, or in its bundle folder
// ("models/NAME", BundleDir, itself a real folder, not a link), are
// removed: never a path that leaves dir, a folder, a link, results.json or
// the lock file. A bundle folder left empty is removed.
func removeStale(dir string, prev, names []string) error {
	for _, name := range prev {
		if slices.Contains(names, name) || name == "results.json" || name == safeio.LockName {
			continue
		}
		p, ok := staleName(dir, name)
		if !ok {
			continue
		}
		st, err := os.Lstat(p)
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		if err := os.Remove(p); err != nil {
			return fmt.Errorf("study: removing %s of the previous run: %w", p, err)
		}
	}
	if st, err := os.Lstat(filepath.Join(dir, BundleDir)); err == nil && st.IsDir() {
		_ = os.Remove(filepath.Join(dir, BundleDir)) // only when empty
	}
	return nil
}

// staleName returns the path in dir of a file name a results.json lists,
// when it is one removeStale may remove: a plain name, or BundleDir/plain
// name with BundleDir a real folder of dir.
func staleName(dir, name string) (string, bool) {
	if sub, rest, ok := strings.Cut(name, "/"); ok {
		if sub != BundleDir || !plainName(rest) || rest == safeio.LockName {
			return "", false
		}
		st, err := os.Lstat(filepath.Join(dir, BundleDir))
		if err != nil || !st.IsDir() {
			return "", false
		}
		return filepath.Join(dir, BundleDir, rest), true
	}
	if !plainName(name) {
		return "", false
	}
	return filepath.Join(dir, name), true
}

// outputName is the name results.json lists for the output path p of a run
// into dir: its path relative to dir, with forward slashes.
func outputName(dir, p string) string {
	if rel, err := filepath.Rel(dir, p); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel)
	}
	return filepath.Base(p)
}

// ForgetRun removes an earlier study run from dir so that the next run starts
// afresh: every file its results.json lists (plain names of regular files
// directly in dir, as removeStale), then results.json itself, under dir's lock.
// A dir without a results.json is left as it is; a results.json that is not a
// ceusrad run's is refused and nothing is removed.
func ForgetRun(dir string) error {
	files, isRun, err := previousRun(dir)
	if err != nil {
		return fmt.Errorf("study: %w", err)
	}
	p := filepath.Join(dir, "results.json")
	if !isRun {
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("study: %s is not the results.json of a ceusrad run; nothing removed", p)
		}
		return nil
	}
	lock, err := safeio.LockDir(dir)
	if err != nil {
		return fmt.Errorf("study: %w", err)
	}
	defer lock.Unlock()
	if err := removeStale(dir, files, nil); err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("study: %w", err)
	}
	return nil
}
