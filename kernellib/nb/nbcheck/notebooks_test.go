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
	for _, r := range RunAll(context.Background(), paths, out, 30*time.Minute, testWriter{t}) {
		if r.Err != nil {
			t.Errorf("%v", r.Err)
		}
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(string(b))
	return len(b), nil
}
