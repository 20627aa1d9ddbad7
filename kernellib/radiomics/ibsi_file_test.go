package radiomics

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// TestReadIBSIReferenceFiles checks that ReadIBSIReference refuses a FIFO by name
// without blocking (os.Open would wait for a writer for ever) and a file too large for
// a reference table before reading it.
func TestReadIBSIReferenceFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "reference_values.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := ReadIBSIReference(fifo); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, safeio.ErrNotRegular) || !strings.Contains(err.Error(), fifo) {
			t.Errorf("FIFO: err %v, want safeio.ErrNotRegular naming the file", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ReadIBSIReference blocked on a FIFO")
	}
	big := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(big, make([]byte, maxIBSIReferenceBytes+1), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadIBSIReference(big); !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "big.csv") {
		t.Errorf("oversized table: err %v, want ErrInput naming the file", err)
	}
}
