package nbcheck

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// writeNotebook writes a notebook with the given "ceusrad" metadata (raw
// JSON, "" for none) and returns its path.
func writeNotebook(t *testing.T, dir, name, ceusrad string) string {
	t.Helper()
	meta := `{}`
	if ceusrad != "" {
		meta = `{"ceusrad": ` + ceusrad + `}`
	}
	p := filepath.Join(dir, name+".ipynb")
	if err := os.WriteFile(p, []byte(`{"cells": [], "metadata": `+meta+`, "nbformat": 4, "nbformat_minor": 5}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDependencies: a notebook waits for the earlier notebooks its "after"
// names, for every earlier one without the key (or when it cannot be
// read), and never for a later one.
func TestDependencies(t *testing.T) {
	dir := t.TempDir()
	paths := []string{
		writeNotebook(t, dir, "00_a", `{"after": []}`),
		writeNotebook(t, dir, "01_study", `{"after": []}`),
		writeNotebook(t, dir, "02_b", `{"after": ["01_study", "09_later", "xx_missing"]}`),
		writeNotebook(t, dir, "03_plain", `{"expect": {"image": 1}}`),
		filepath.Join(dir, "04_unreadable.ipynb"),
		writeNotebook(t, dir, "09_later", `{"after": ["00_a"]}`),
	}
	want := [][]int{nil, nil, {1}, {0, 1, 2}, {0, 1, 2, 3}, {0}}
	if got := dependencies(paths); !reflect.DeepEqual(got, want) {
		t.Errorf("dependencies = %v, want %v", got, want)
	}
}

// studyViews are the notebook views that read the study's results, which
// 00_quickstart computes.
var studyViews = []string{"notebook.Study(", "notebook.Deep(", "notebook.Robust(", "notebook.External(", "notebook.ExternalSaved("}

// TestCommittedNotebooksOrder: every committed notebook says whom it comes
// after (make reproduce runs notebooks side by side), each name is an
// earlier notebook, and a notebook that reads the study's results comes
// after 00_quickstart, which runs the study.
func TestCommittedNotebooksOrder(t *testing.T) {
	paths, err := List(filepath.Join("..", "..", "..", "notebooks"))
	if err != nil {
		t.Fatal(err)
	}
	earlier := map[string]bool{}
	for _, p := range paths {
		nb, err := Load(p)
		if err != nil {
			t.Fatal(err)
		}
		name := notebookName(p)
		after := nb.Metadata.Ceusrad.After
		if after == nil {
			t.Errorf("%s: no ceusrad.after in its metadata", name)
			earlier[name] = true
			continue
		}
		for _, a := range *after {
			if !earlier[a] {
				t.Errorf("%s: comes after %q, which is not an earlier notebook", name, a)
			}
		}
		if name != "00_quickstart" && !slices.Contains(*after, "00_quickstart") {
			if v := callsStudy(nb); v != "" {
				t.Errorf("%s calls %s…) but does not come after 00_quickstart", name, v)
			}
		}
		earlier[name] = true
	}
}

// callsStudy returns the first study view a code cell of nb calls, or "".
func callsStudy(nb *Notebook) string {
	for _, c := range nb.Cells {
		for _, v := range studyViews {
			if c.Type == "code" && strings.Contains(string(c.Source), v) {
				return v
			}
		}
	}
	return ""
}
