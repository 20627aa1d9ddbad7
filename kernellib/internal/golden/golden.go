// Package golden keeps the recorded values a test compares against: a JSON
// array in a testdata file, one element a line so that a change reads as a
// diff of the elements that changed. A test computes its values, calls
// Lines, and compares them with what was recorded; with update set (a test
// flag, e.g. -update-golden) Lines first records the computed values.
package golden

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// Lines returns the values recorded in file, after writing got there when
// update is set. It fails the test when the file cannot be read or holds a
// different number of values than got.
func Lines[T any](t testing.TB, file string, got []T, update bool) []T {
	t.Helper()
	if update {
		if err := write(file, got); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var want []T
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if len(want) != len(got) {
		t.Fatalf("%s: %d recorded values, computed %d", file, len(want), len(got))
	}
	return want
}

// write records v in file, one element a line.
func write[T any](file string, v []T) error {
	b := []byte("[\n")
	for i, e := range v {
		line, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("golden: %s: element %d: %w", file, i, err)
		}
		b = append(b, line...)
		if i < len(v)-1 {
			b = append(b, ',')
		}
		b = append(b, '\n')
	}
	return safeio.WriteFile(file, append(b, "]\n"...))
}
