package nbcheck

import (
	"path/filepath"
	"testing"
)

// TestCommittedNotebooksTidy: the executed notebooks committed by make
// reproduce hold no failed cell, no empty output and no unfinished progress
// bar.
func TestCommittedNotebooksTidy(t *testing.T) {
	paths, err := List(filepath.Join("..", "..", "..", "notebooks"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		nb, err := Load(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range nb.Errors() {
			t.Error(e)
		}
		for _, u := range nb.Untidy() {
			t.Error(u)
		}
	}
}
