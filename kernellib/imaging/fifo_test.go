package imaging

import (
	"errors"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio/fifotest"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// mkfifo is fifotest.Make.
func mkfifo(t *testing.T, path string) { fifotest.Make(t, path) }

// returnsWithin runs f and fails the test when it has not returned within
// d: a reader that opens a FIFO with a plain open(2) waits for a writer
// forever.
func returnsWithin(t *testing.T, d time.Duration, name string, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatalf("%s: still blocked after %v", name, d)
		return nil
	}
}

// Every reader refuses a named pipe by name instead of blocking in open(2).
func TestReadersRefuseFIFO(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"still.png", "still.dcm", "mask.png", "mask.nii", "mask.nii.gz"} {
		mkfifo(t, filepath.Join(dir, name))
	}
	frames := filepath.Join(dir, "frames")
	if err := os.Mkdir(frames, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WritePNG(filepath.Join(frames, "f001.png"), image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	mkfifo(t, filepath.Join(frames, "f002.png"))

	cases := []struct {
		name string
		f    func() error
	}{
		{"ReadImage png", func() error { _, err := ReadImage(filepath.Join(dir, "still.png")); return err }},
		{"ReadImage dcm", func() error { _, err := ReadImage(filepath.Join(dir, "still.dcm")); return err }},
		{"ReadMask png", func() error { _, err := ReadMask(filepath.Join(dir, "mask.png")); return err }},
		{"ReadMask nii", func() error { _, err := ReadMask(filepath.Join(dir, "mask.nii")); return err }},
		{"ReadNIfTI nii.gz", func() error { _, err := ReadNIfTI(filepath.Join(dir, "mask.nii.gz")); return err }},
		{"frame folder", func() error {
			c, err := OpenCine(frames, CineOptions{FrameRate: 10})
			if err != nil {
				return err
			}
			defer c.Close()
			for {
				if _, err := c.Next(); err != nil {
					return err
				}
			}
		}},
	}
	for _, c := range cases {
		err := returnsWithin(t, 5*time.Second, c.name, c.f)
		if err == nil {
			t.Errorf("%s: no error for a named pipe", c.name)
			continue
		}
		if !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "pipe") {
			t.Errorf("%s: error %q does not name the pipe", c.name, err)
		}
		if c.name != "frame folder" && !errors.Is(err, safeio.ErrNotRegular) {
			t.Errorf("%s: error %q does not wrap safeio.ErrNotRegular", c.name, err)
		}
	}
}
