package golden

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestLinesRoundTrip(t *testing.T) {
	file := filepath.Join(t.TempDir(), "g.json")
	type rec struct {
		A int
		B []string
	}
	got := []rec{{1, []string{"x"}}, {2, nil}}
	want := Lines(t, file, got, true)
	if !reflect.DeepEqual(want, got) {
		t.Errorf("read back %+v, want %+v", want, got)
	}
	b, _ := os.ReadFile(file)
	if s := string(b); s != "[\n{\"A\":1,\"B\":[\"x\"]},\n{\"A\":2,\"B\":null}\n]\n" {
		t.Errorf("file %q", s)
	}
	// Without update the recorded values are read, not the computed ones.
	if w := Lines(t, file, []rec{{3, nil}, {4, nil}}, false); w[0].A != 1 {
		t.Errorf("read %+v", w)
	}
}
