package deep

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// A checkpoint that cannot be written whole (a NaN weight: JSON has no NaN) leaves
// the previous checkpoint of that name whole and no temporary file; a good one
// replaces it by a rename, not by truncating the file in place.
func TestSaveFileIsAtomic(t *testing.T) {
	m, err := NewModel(tinyConfig())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "model.json")
	if err := m.SaveFile(p); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(p)
	keep := filepath.Join(dir, "keep")
	if err := os.Link(p, keep); err != nil {
		t.Fatal(err)
	}
	old := m.Params[0].Data[0]
	m.Params[0].Data[0] = float32(math.NaN())
	if err := m.SaveFile(p); err == nil {
		t.Fatal("a NaN weight was saved")
	}
	if after, _ := os.ReadFile(p); !bytes.Equal(after, before) {
		t.Fatalf("a failed save changed %s (%d bytes, was %d)", p, len(after), len(before))
	}
	m.Params[0].Data[0] = old + 1
	if err := m.SaveFile(p); err != nil {
		t.Fatal(err)
	}
	if kept, _ := os.ReadFile(keep); !bytes.Equal(kept, before) {
		t.Fatal("SaveFile rewrote the checkpoint in place")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Fatalf("files left in %s: %v", dir, ents)
	}
}
