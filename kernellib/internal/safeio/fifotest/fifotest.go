// Package fifotest helps the tests that check a reader refuses a named pipe
// (FIFO) by name instead of blocking in open(2) for a writer that never comes
// (safeio.OpenRegular). Only tests import it.
package fifotest

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// Make makes a named pipe at path, skipping the test where mkfifo(3) is not
// available. A cleanup opens its writing end without blocking, which releases
// a reader that a failing test left blocked in open(2).
func Make(t testing.TB, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	t.Cleanup(func() {
		if fd, err := syscall.Open(path, syscall.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			syscall.Close(fd)
		}
	})
}

// Refused runs read, which must return within 5 s an error whose message
// holds every string of want; what names the reader in the test's messages.
func Refused(t testing.TB, what string, read func() error, want ...string) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- read() }()
	select {
	case err := <-done:
		if err == nil {
			t.Errorf("%s: no error, want one containing %q", what, want)
			return
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %v, want an error containing %q", what, err, w)
			}
		}
	case <-time.After(5 * time.Second):
		t.Errorf("%s: still blocked after 5 s", what)
	}
}
