package plots

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// halfWriter writes half a figure and then fails, as a full disk would.
type halfWriter struct{ err error }

func (h halfWriter) WriteTo(w io.Writer) (int64, error) {
	n, _ := w.Write([]byte("\x89PNG half"))
	return int64(n), h.err
}

// A figure whose writing fails half-way leaves the previous file whole and no
// temporary file beside it.
func TestSaveFailureKeepsPreviousFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "roc.png")
	if err := os.WriteFile(p, []byte("previous figure"), 0o644); err != nil {
		t.Fatal(err)
	}
	full := errors.New("no space left on device")
	if err := writeTo(p, halfWriter{full}); !errors.Is(err, full) {
		t.Fatalf("writeTo error = %v, want the writer's", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "previous figure" {
		t.Fatalf("after a failed write %s holds %q", p, b)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Fatalf("files left in %s: %v", dir, ents)
	}
	if err := writeTo(p, halfWriter{}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "\x89PNG half" {
		t.Fatalf("a whole write left %q", b)
	}
}
