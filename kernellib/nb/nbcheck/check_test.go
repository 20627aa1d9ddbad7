package nbcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// executed.ipynb in testdata is a real notebook executed by GoNB v0.11.5
// (see testdata/README.md): a markdown output, a table, a PNG, a compile
// error in cell 4 and a panic in cell 5.
func TestErrorsAndCounts(t *testing.T) {
	nb, err := Load(filepath.Join("testdata", "executed.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	errs := nb.Errors()
	if len(errs) != 2 {
		t.Fatalf("found %d failed cells, want 2: %v", len(errs), errs)
	}
	if errs[0].Cell != 4 || !strings.Contains(errs[0].Message, `cannot use "s"`) {
		t.Errorf("compile error not reported with the compiler's words: %+v", errs[0])
	}
	if errs[1].Cell != 5 || !strings.Contains(errs[1].Message, "panic: boom") {
		t.Errorf("panic not reported: %+v", errs[1])
	}
	c := nb.Counts()
	if c["image"] != 1 || c["image/png"] != 1 || c["table"] != 1 || c["text/markdown"] != 1 {
		t.Errorf("counts %v", c)
	}
	err = nb.Check()
	if err == nil || !strings.Contains(err.Error(), "executed.ipynb: cell 4") ||
		!strings.Contains(err.Error(), `expected at least 2 "image"`) {
		t.Errorf("Check: %v", err)
	}
}

func TestCheckPasses(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "ok.ipynb")
	src := `{"cells": [{"cell_type": "code", "source": ["%%\n", "x"], "outputs": [
	  {"output_type": "display_data", "data": {"image/svg+xml": "<svg/>"}, "metadata": {}},
	  {"output_type": "display_data", "data": {"text/html": ["<table>", "</table>"]}, "metadata": {}}]}],
	 "metadata": {"ceusrad": {"expect": {"image": 1, "table": 1}}}, "nbformat": 4, "nbformat_minor": 5}`
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	nb, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := nb.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.ipynb")); err == nil {
		t.Error("missing file: no error")
	}
	os.WriteFile(p, []byte("{"), 0o644)
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "not a notebook") {
		t.Errorf("bad JSON: %v", err)
	}
}

func TestCheckUntidy(t *testing.T) {
	p := filepath.Join(t.TempDir(), "untidy.ipynb")
	src := `{"cells": [{"cell_type": "code", "source": ["bar := nb.NewProgress(\"x\", 3)"], "outputs": [
	  {"output_type": "display_data", "data": {"text/html": []}, "metadata": {}},
	  {"output_type": "display_data", "data": {"text/html": "<div>x <progress value=\"1\" max=\"3\"></progress></div>"}, "metadata": {}},
	  {"output_type": "display_data", "data": {"text/html": "<div>x: 3/3 done in 1.0s (3.0/s)</div>"}, "metadata": {}}]}],
	 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	nb, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	u := nb.Untidy()
	if len(u) != 2 || !strings.Contains(u[0], "cell 1") || !strings.Contains(u[0], "an empty output") ||
		!strings.Contains(u[1], "a progress bar left unfinished") {
		t.Errorf("Untidy = %q", u)
	}
	if err := nb.Check(); err == nil || !strings.Contains(err.Error(), "an empty output") {
		t.Errorf("Check: %v", err)
	}
}

func TestCheckRendered(t *testing.T) {
	nb, err := Load(filepath.Join("testdata", "executed.ipynb")) // one PNG, one table
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckRendered(nb, &Rendered{Images: 1, Loaded: 1, NonBlank: 1, Tables: 1}); err != nil {
		t.Errorf("all rendered: %v", err)
	}
	for _, r := range []Rendered{
		{Images: 0, Tables: 1},
		{Images: 1, Loaded: 0, Tables: 1},
		{Images: 1, Loaded: 1, NonBlank: 0, Tables: 1},
		{Images: 1, Loaded: 1, NonBlank: 1, Tables: 0},
	} {
		if err := CheckRendered(nb, &r); err == nil {
			t.Errorf("%+v: no error", r)
		}
	}
}

func TestScrubPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.ipynb")
	nb := `{"outputs": ["- Added replace rule to local directory \"/home/a b/repo\".\n", "/home/a b/repository-other", "/home/a b/repo/notebooks", "/home/a b/repo"]}`
	if err := os.WriteFile(path, []byte(nb), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := scrubPath(path, "/home/a b/repo", "<repository>"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	want := `{"outputs": ["- Added replace rule to local directory \"<repository>\".\n", "/home/a b/repository-other", "<repository>/notebooks", "<repository>"]}`
	if string(b) != want {
		t.Errorf("scrubbed\n%s\nwant\n%s", b, want)
	}
	if err := scrubPath(path, "/", "<repository>"); err != nil {
		t.Fatal(err)
	}
	if b2, _ := os.ReadFile(path); string(b2) != want {
		t.Error("the root folder was scrubbed")
	}
}

func TestErrorBoxIsAFailure(t *testing.T) {
	// nb.Error's box fails the cell even when the cell went on after it.
	p := filepath.Join(t.TempDir(), "box.ipynb")
	src := `{"cells": [{"cell_type": "code", "source": ["%%\n", "nb.Error(err)"], "outputs": [
	  {"output_type": "display_data", "data": {"text/html": "<div class=\"ceusrad-error\" style=\"color:#b00020\"><b>error:</b> no bundle in figures/models</div>"}, "metadata": {}}]},
	  {"cell_type": "code", "source": ["x"], "outputs": [{"output_type": "stream", "name": "stderr", "text": "a warning"}]}],
	 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	nb, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	errs := nb.Errors()
	if len(errs) != 1 || errs[0].Cell != 1 || !strings.Contains(errs[0].Message, "no bundle in figures/models") {
		t.Errorf("Errors = %v", errs)
	}
}
