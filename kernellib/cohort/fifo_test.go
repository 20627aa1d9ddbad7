package cohort

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio/fifotest"
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
		fifotest.Make(t, filepath.Join(dir, name))
	}
	manifest := filepath.Join(dir, "cohort.csv")
	os.WriteFile(manifest, []byte("patient_id,response,split,cine,bmode,lesion_mask\nP1,OR,train,c.dcm,b.png,m.png\n"), 0o644)
	for _, c := range []struct{ path, want string }{
		{manifest, "row 1, column bmode: " + filepath.Join(dir, "b.png") + " is a named pipe (FIFO)"},
		{filepath.Join(dir, "cohort_fifo.csv"), "cohort_fifo.csv is a named pipe (FIFO)"},
	} {
		fifotest.Refused(t, "ReadFile("+c.path+")", func() error { _, err := ReadFile(c.path, nil); return err }, c.want)
	}
}
