package radiomics

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio/fifotest"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// TestReadIBSIReferenceFiles checks that ReadIBSIReference refuses a FIFO by name
// without blocking (os.Open would wait for a writer for ever) and a file too large for
// a reference table before reading it.
func TestReadIBSIReferenceFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "reference_values.csv")
	fifotest.Make(t, fifo)
	fifotest.Refused(t, "ReadIBSIReference(FIFO)", func() error {
		_, err := ReadIBSIReference(fifo)
		if err != nil && !errors.Is(err, safeio.ErrNotRegular) {
			t.Errorf("FIFO: err %v, want safeio.ErrNotRegular", err)
		}
		return err
	}, fifo)
	big := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(big, make([]byte, maxIBSIReferenceBytes+1), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadIBSIReference(big); !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "big.csv") {
		t.Errorf("oversized table: err %v, want ErrInput naming the file", err)
	}
}
