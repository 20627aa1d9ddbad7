package nbcheck

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeJupyter puts on PATH a `jupyter` that writes body to the file nbconvert
// would write (--output-dir/--output) and exits with code.
func fakeJupyter(t *testing.T, body string, code int) {
	t.Helper()
	bin := t.TempDir()
	script := `#!/bin/sh
dir= out=
while [ $# -gt 0 ]; do
  case "$1" in
    --output-dir) dir=$2; shift;;
    --output) out=$2; shift;;
  esac
  shift
done
printf '%s' '` + body + `' > "$dir/$out"
exit ` + string(rune('0'+code)) + "\n"
	if err := os.WriteFile(filepath.Join(bin, "jupyter"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// A notebook executed in place that fails half-way (nbconvert wrote half a file
// and died) is left whole, with no scratch file; one that succeeds is replaced by
// a rename, scrubbed of the repository's path.
func TestExecuteIsAtomic(t *testing.T) {
	repo := t.TempDir()
	dir := filepath.Join(repo, "notebooks")
	os.Mkdir(dir, 0o755)
	src := filepath.Join(dir, "01.ipynb")
	const committed = `{"cells": [], "committed": true}`
	os.WriteFile(src, []byte(committed), 0o644)

	fakeJupyter(t, `{"cells": [`, 1)
	if _, err := Execute(context.Background(), src, src, time.Minute); err == nil {
		t.Fatal("a failed nbconvert gave no error")
	}
	if b, _ := os.ReadFile(src); string(b) != committed {
		t.Fatalf("the notebook became %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("files left: %v", ents)
	}

	keep := filepath.Join(repo, "keep")
	if err := os.Link(src, keep); err != nil {
		t.Skip(err)
	}
	fakeJupyter(t, `{"cells": ["`+repo+`/figures"]}`, 0)
	if _, err := Execute(context.Background(), src, src, time.Minute); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(src); string(b) != `{"cells": ["<repository>/figures"]}` {
		t.Errorf("executed notebook %q", b)
	}
	if b, _ := os.ReadFile(keep); string(b) != committed {
		t.Error("the notebook was rewritten in place, not renamed")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 || !strings.HasSuffix(ents[0].Name(), "01.ipynb") {
		t.Errorf("files left: %v", ents)
	}
}
