package synth

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

func TestEnsureDefaultLeavesAnExistingCohort(t *testing.T) {
	dir := t.TempDir()
	manifest := filepath.Join(dir, "cohort.csv")
	if err := os.WriteFile(manifest, []byte("patient_id\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	created, err := EnsureDefault(dir, nil)
	if err != nil || created {
		t.Fatalf("existing cohort: created %v, %v", created, err)
	}
	if b, _ := os.ReadFile(manifest); string(b) != "patient_id\n" {
		t.Errorf("existing manifest changed: %q", b)
	}
}

// TestEnsureWaitsForAnotherWriter: while another process holds the folder's
// lock (a second notebook simulating the same cohort), Ensure waits, then
// uses the cohort that process wrote instead of failing or writing again.
func TestEnsureWaitsForAnotherWriter(t *testing.T) {
	dir := t.TempDir()
	lock, err := safeio.LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	var created bool
	go func() {
		var err error
		created, err = Ensure(dir, 1, 1, DefaultParams(), nil)
		done <- err
	}()
	time.Sleep(3 * ensurePoll)
	select {
	case err := <-done:
		t.Fatalf("Ensure returned while the folder was locked: %v", err)
	default:
	}
	if err := os.WriteFile(filepath.Join(dir, "cohort.csv"), []byte("written by the other process\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lock.Unlock()
	if err := <-done; err != nil || created {
		t.Fatalf("Ensure after the other writer: created %v, %v; want the other's cohort", created, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "cohort.csv")); string(b) != "written by the other process\n" {
		t.Errorf("cohort.csv rewritten: %q", b)
	}
}
