package safeio

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestOpenRegularRefusesFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "cine.dcm")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	done := make(chan error, 1)
	go func() {
		f, err := OpenRegular(fifo)
		if f != nil {
			f.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "named pipe") || !strings.Contains(err.Error(), fifo) {
			t.Fatalf("OpenRegular(FIFO) = %v, want a not-regular error naming the file", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("OpenRegular blocked on a FIFO")
	}
	if err := CheckRegular(fifo); !errors.Is(err, ErrNotRegular) {
		t.Fatalf("CheckRegular(FIFO) = %v", err)
	}
	if _, err := OpenRegular("/dev/null"); !errors.Is(err, ErrNotRegular) {
		t.Fatalf("OpenRegular(/dev/null) = %v, want a refusal", err)
	}
	if _, err := OpenRegular(dir); !errors.Is(err, ErrNotRegular) {
		t.Fatalf("OpenRegular(folder) = %v, want a refusal", err)
	}
}

func TestOpenRegularFollowsSymlink(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.png")
	os.WriteFile(p, []byte("x"), 0o644)
	l := filepath.Join(dir, "link.png")
	if err := os.Symlink(p, l); err != nil {
		t.Skip(err)
	}
	f, err := OpenRegular(l)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 1)
	if _, err := f.Read(b); err != nil || b[0] != 'x' {
		t.Fatalf("read %q, %v", b, err)
	}
	f.Close()
}

func TestCreateKeepsOldFileOnFailure(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "features.csv")
	os.WriteFile(p, []byte("old,whole\n"), 0o644)
	werr := errors.New("disk full")
	if err := WriteWith(p, func(w io.Writer) error {
		w.Write([]byte("new,ha"))
		return werr
	}); !errors.Is(err, werr) {
		t.Fatalf("WriteWith error = %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "old,whole\n" {
		t.Fatalf("after a failed write the file holds %q", b)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Fatalf("temporary files left: %v", ents)
	}
	if err := WriteFile(p, []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "new\n" {
		t.Fatalf("file holds %q", b)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v", st.Mode())
	}
}

func TestCheckOutputs(t *testing.T) {
	dir := t.TempDir()
	man := filepath.Join(dir, "cohort.csv")
	os.WriteFile(man, []byte("x"), 0o644)
	frames := filepath.Join(dir, "frames")
	os.Mkdir(frames, 0o755)
	os.WriteFile(filepath.Join(frames, "0001.png"), []byte("x"), 0o644)
	for _, bad := range []string{man, filepath.Join(dir, ".", "cohort.csv"), frames, filepath.Join(frames, "0001.png")} {
		if err := CheckOutputs([]string{bad}, []string{man, frames}); err == nil {
			t.Errorf("CheckOutputs(%s) accepted an input as output", bad)
		}
	}
	link := filepath.Join(dir, "link.csv")
	os.Symlink(man, link)
	if err := CheckOutputs([]string{link}, []string{man}); err == nil {
		t.Error("a symlink to the manifest accepted as output")
	}
	if err := CheckOutputs([]string{filepath.Join(dir, "features.csv")}, []string{man, frames}); err != nil {
		t.Errorf("a new output refused: %v", err)
	}
}

// TestLockDir runs a second process (this test binary) against a held lock.
func TestLockDir(t *testing.T) {
	if d := os.Getenv("SAFEIO_LOCK_CHILD"); d != "" {
		_, err := LockDir(d)
		if err == nil {
			os.Exit(0)
		}
		os.Stderr.WriteString(err.Error())
		os.Exit(3)
	}
	dir := t.TempDir()
	l, err := LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestLockDir$")
	cmd.Env = append(os.Environ(), "SAFEIO_LOCK_CHILD="+dir)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "in use by process") {
		t.Fatalf("second run on a locked folder: err %v, output %s", err, out)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command(os.Args[0], "-test.run", "^TestLockDir$")
	cmd.Env = append(os.Environ(), "SAFEIO_LOCK_CHILD="+dir)
	out, err = cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("after Unlock a second run failed: %v %s", err, out)
	}
}

func TestCheckFreeSpace(t *testing.T) {
	dir := t.TempDir()
	if err := CheckFreeSpace(dir, 1<<10); err != nil {
		t.Fatal(err)
	}
	err := CheckFreeSpace(filepath.Join(dir, "new", "folder"), 1<<62)
	if err == nil || !strings.Contains(err.Error(), "free") {
		t.Fatalf("CheckFreeSpace(4 EB) = %v", err)
	}
}
