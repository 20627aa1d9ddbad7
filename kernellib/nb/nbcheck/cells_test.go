package nbcheck

import (
	"path/filepath"
	"testing"
)

// The repository's notebooks read at a glance: a median code cell of at most
// MaxMedianLines lines and at most MaxErrChecks explicit error checks across
// them all (errors go through nb.Must, nb.Check and the notebook views).
const (
	MaxMedianLines = 10
	MaxErrChecks   = 15
)

func TestNotebookCellStatistics(t *testing.T) {
	paths, err := List(filepath.Join("..", "..", "..", "notebooks"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("notebooks: %v (%d)", err, len(paths))
	}
	var all []int
	checks := 0
	for _, p := range paths {
		nb, err := Load(p)
		if err != nil {
			t.Fatal(err)
		}
		s := nb.Stats()
		all = append(all, s.Lines...)
		checks += s.ErrChecks
		t.Logf("%s: %d code cells, median %.1f lines, %d error checks", filepath.Base(p), len(s.Lines), Median(s.Lines), s.ErrChecks)
	}
	if m := Median(all); m > MaxMedianLines {
		t.Errorf("median code cell %.1f lines over %d cells, want ≤ %d", m, len(all), MaxMedianLines)
	}
	if checks > MaxErrChecks {
		t.Errorf("%d `if err != nil` checks across the notebooks, want ≤ %d", checks, MaxErrChecks)
	}
}

func TestStatsAndMedian(t *testing.T) {
	nb := &Notebook{Cells: []Cell{
		{Type: "markdown", Source: "if err != nil"},
		{Type: "code", Source: "%noautoget\n!*go work init\n"},
		{Type: "code", Source: "%%\n// a comment\nx := 1\n\nif err != nil {\n}\n"},
	}}
	s := nb.Stats()
	if len(s.Lines) != 2 || s.Lines[0] != 0 || s.Lines[1] != 3 || s.ErrChecks != 1 {
		t.Errorf("Stats = %+v", s)
	}
	if Median([]int{3, 1, 2}) != 2 || Median([]int{4, 1, 2, 3}) != 2.5 || Median(nil) != 0 {
		t.Error("Median")
	}
}
