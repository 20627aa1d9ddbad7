//go:build notebook

package nbcheck

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestNotebooks executes every notebook under notebooks/ through the GoNB
// kernel into a temporary folder and fails on any cell error or missing
// output, naming the notebook, the cell and the message. It runs with
// `go test -tags notebook` (make test); without Jupyter it fails with the
// command that installs it.
func TestNotebooks(t *testing.T) {
	if err := Available(); err != nil {
		t.Fatal(err)
	}
	paths, err := List(filepath.Join("..", "..", "..", "notebooks"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no notebooks under notebooks/")
	}
	out := t.TempDir()
	for _, r := range RunAll(context.Background(), paths, out, 30*time.Minute, 2, testWriter{t}) {
		if r.Err != nil {
			t.Errorf("%v", r.Err)
			continue
		}
		// The browser check: the executed notebook exported to HTML and
		// opened in headless Chromium shows every figure, decoded and not
		// blank, and every table.
		nb, err := Load(r.Output)
		if err != nil {
			t.Error(err)
			continue
		}
		nb.Path = r.Notebook
		rendered, err := Render(context.Background(), r.Output, out)
		if err != nil {
			t.Error(err)
			continue
		}
		t.Logf("%s in Chromium: %d images (%d decoded, %d not blank), %d tables; screenshot %s",
			r.Notebook, rendered.Images, rendered.Loaded, rendered.NonBlank, rendered.Tables, rendered.Screenshot)
		if err := CheckRendered(nb, rendered); err != nil {
			t.Error(err)
		}
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(string(b))
	return len(b), nil
}
