package synth

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// dirBytes returns the total size of the regular files under dir.
func dirBytes(t *testing.T, dir string) uint64 {
	t.Helper()
	var n uint64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		n += uint64(info.Size())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestEstimateBytes compares EstimateBytes with what WriteCohort wrote: an upper
// bound, within 25 %, and each cine within the DICOM bound; and the defaults' figure
// for 100 000 patients (the 430 GB).
func TestEstimateBytes(t *testing.T) {
	p := DefaultParams()
	p.DurationS = 12
	dir := t.TempDir()
	const n = 2
	if _, err := WriteCohort(dir, n, 3, p, nil); err != nil {
		t.Fatal(err)
	}
	got, est := dirBytes(t, dir), EstimateBytes(p, n)
	if got > est || float64(est) > 1.25*float64(got) {
		t.Errorf("%d patients: wrote %d bytes, estimated %d: want an upper bound within 25 %%", n, got, est)
	}
	f, w, h := uint64(p.nFrames()), uint64(p.Width), uint64(p.Height)
	st, err := os.Stat(filepath.Join(dir, "cines", "P001.dcm"))
	if err != nil {
		t.Fatal(err)
	}
	if header := uint64(st.Size()) - f*w*h; header > dicomHeaderBytes+frameTimeBytes*f {
		t.Errorf("cine header of %d bytes (%d frames) exceeds the bound %d", header, f, dicomHeaderBytes+frameTimeBytes*f)
	}
	if e := EstimateBytes(DefaultParams(), MaxPatients); e < 400e9 || e > 470e9 {
		t.Errorf("EstimateBytes(defaults, %d) = %s, want about 430 GB", MaxPatients, safeio.Bytes(e))
	}
}

// A cohort larger than the free space is refused at once, before a patient is
// simulated and before anything is created.
func TestWriteCohortChecksFreeSpace(t *testing.T) {
	p := DefaultParams()
	p.Width, p.Height, p.FrameRate, p.DurationS = 2048, 2048, 60, 1200 // 302 GB a patient
	dir := filepath.Join(t.TempDir(), "huge")
	start := time.Now()
	_, err := WriteCohort(dir, MaxPatients, 1, p, nil)
	if err == nil || !strings.Contains(err.Error(), "free") || !strings.Contains(err.Error(), strconv.Itoa(MaxPatients)+" patients") {
		t.Fatalf("WriteCohort of %s: %v, want a free-space refusal", safeio.Bytes(EstimateBytes(p, MaxPatients)), err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the refusal took %v", d)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the refused run created %s (%v)", dir, err)
	}
	// The default parameters at 100 000 patients (about 430 GB), where the disk
	// here is smaller than that.
	q := DefaultParams()
	free, err := safeio.FreeSpace(dir)
	if err != nil {
		t.Fatal(err)
	}
	if need := EstimateBytes(q, MaxPatients); free > need {
		t.Skipf("%s free here, more than the %s of %d default patients", safeio.Bytes(free), safeio.Bytes(need), MaxPatients)
	}
	if _, err := WriteCohort(dir, MaxPatients, 1, q, nil); err == nil || !strings.Contains(err.Error(), "writes about 4") {
		t.Fatalf("WriteCohort of %d default patients: %v", MaxPatients, err)
	}
}

// A second run into a folder held by another (here the lock is held in-process)
// fails naming the holder's PID and leaves the folder alone; the lock file is not
// left after a run, and a stale one (from a crashed run) or a crashed run's
// temporary files do not block the next run.
func TestWriteCohortLock(t *testing.T) {
	p := DefaultParams()
	p.DurationS = 12
	out := filepath.Join(t.TempDir(), "cohort")
	if _, err := WriteCohort(out, 2, 1, p, nil); err != nil {
		t.Fatal(err)
	}
	before := sha256List(t, out)
	lock, err := safeio.LockDir(out)
	if err != nil {
		t.Fatal(err)
	}
	_, err = WriteCohort(out, 3, 2, p, nil)
	if err == nil || !strings.Contains(err.Error(), "in use by process "+strconv.Itoa(os.Getpid())) {
		t.Fatalf("second run on a locked folder: %v", err)
	}
	if err := lock.Unlock(); err != nil {
		t.Fatal(err)
	}
	if after := sha256List(t, out); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Fatalf("the refused run changed the folder:\n%s", strings.Join(after, "\n"))
	}
	// What a killed run leaves: a stale lock file and a temporary cine.
	os.WriteFile(filepath.Join(out, safeio.LockName), []byte("999999\n"), 0o644)
	os.WriteFile(filepath.Join(out, "cines", ".P002.dcm.tmp-12345"), []byte("half"), 0o644)
	if _, err := WriteCohort(out, 2, 1, p, nil); err != nil {
		t.Fatalf("after a crashed run: %v", err)
	}
	if after := sha256List(t, out); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Fatalf("a rerun left other files:\n%s\nwant\n%s", strings.Join(after, "\n"), strings.Join(before, "\n"))
	}
}
