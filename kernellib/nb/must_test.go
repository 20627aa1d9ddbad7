package nb

import (
	"errors"
	"strings"
	"testing"
)

func TestMustAndCheck(t *testing.T) {
	r := &recorder{interactive: true}
	use(t, r)
	stopped := 0
	prev := stopCell
	stopCell = func() { stopped++ }
	t.Cleanup(func() { stopCell = prev })

	if v := Must(42, nil); v != 42 || stopped != 0 || len(r.calls) != 0 {
		t.Errorf("Must without error: %v, stopped %d, calls %q", v, stopped, r.calls)
	}
	Check(nil)
	if stopped != 0 || len(r.calls) != 0 {
		t.Errorf("Check(nil): stopped %d, calls %q", stopped, r.calls)
	}
	if v := Must(7, errors.New("cohort.csv: no such file; run make data")); v != 7 || stopped != 1 {
		t.Errorf("Must with an error: %v, stopped %d", v, stopped)
	}
	if len(r.calls) != 1 || !strings.Contains(r.calls[0], `class="ceusrad-error"`) || !strings.Contains(r.calls[0], "run make data") {
		t.Errorf("error box: %q", r.calls)
	}
}
