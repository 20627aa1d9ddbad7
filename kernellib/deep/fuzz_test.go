package deep

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzLoadCheckpoint feeds Load edited checkpoints: it must return a model whose
// configuration passes Validate and whose tensors have the sizes it implies, or an
// error naming the input, never panic or report a Go runtime error. The seeds are a
// checkpoint written by Save and edits asking for huge sizes.
func FuzzLoadCheckpoint(f *testing.F) {
	m, err := NewModel(smallConfig())
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		f.Fatal(err)
	}
	saved := buf.String()
	f.Add([]byte(saved))
	for _, e := range [][2]string{
		{`"Size":16`, `"Size":65536`},
		{`"Frames":2`, `"Frames":1000000`},
		{`"Channels":[4,8]`, `"Channels":[4,65536]`},
		{`"Shape":[4,2,3,3]`, `"Shape":[400000000,2,3,3]`},
		{`"Data":[`, `"Data":[0,`},
	} {
		f.Add([]byte(strings.Replace(saved, e[0], e[1], 1)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Load(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.json") || strings.Contains(err.Error(), "runtime error") {
				t.Fatalf("error %q does not name the input or is a runtime error", err)
			}
			return
		}
		if err := m.Config.Validate(); err != nil {
			t.Fatalf("loaded a model whose config is invalid: %v", err)
		}
		if m.NumParams() != m.Config.NumParams() {
			t.Fatalf("loaded %d parameters, its config makes %d", m.NumParams(), m.Config.NumParams())
		}
	})
}
