package cohort

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A manifest that names a named pipe as a file, or is one, is refused by
// name; nothing opens the pipe (which would wait for a writer forever).
func TestReadFileRefusesFIFO(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"c.dcm", "m.png"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"b.png", "cohort_fifo.csv"} {
		p := filepath.Join(dir, name)
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		t.Cleanup(func() { // release a reader left blocked by a failure
			if fd, err := syscall.Open(p, syscall.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				syscall.Close(fd)
			}
		})
	}
	manifest := filepath.Join(dir, "cohort.csv")
	os.WriteFile(manifest, []byte("patient_id,response,split,cine,bmode,lesion_mask\nP1,OR,train,c.dcm,b.png,m.png\n"), 0o644)
	for _, c := range []struct{ path, want string }{
		{manifest, "row 1, column bmode: " + filepath.Join(dir, "b.png") + " is a named pipe (FIFO)"},
		{filepath.Join(dir, "cohort_fifo.csv"), "cohort_fifo.csv is a named pipe (FIFO)"},
	} {
		done := make(chan error, 1)
		go func() { _, err := ReadFile(c.path, nil); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("ReadFile(%s): %v, want an error containing %q", c.path, err, c.want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("ReadFile(%s) still blocked after 5s", c.path)
		}
	}
}
