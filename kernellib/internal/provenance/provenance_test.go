package provenance

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// go test stamps no VCS information: the version is the source hash of
// this very checkout.
func TestCodeVersionUnderGoTest(t *testing.T) {
	v, err := CodeVersion()
	if err != nil {
		t.Fatal(err)
	}
	root, err := SourceRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "kernellib", "internal", "provenance", "provenance.go")); err != nil {
		t.Errorf("SourceRoot %s is not this module's root: %v", root, err)
	}
	h, err := SourceHash(root)
	if err != nil {
		t.Fatal(err)
	}
	if v != Module+" (devel) source-sha256:"+h {
		t.Errorf("CodeVersion %q, want the source hash %s", v, h)
	}
}

func TestVersionFrom(t *testing.T) {
	src := func() (string, error) { return "abc", nil }
	noSrc := func() (string, error) { return "", errors.New("no sources") }
	vcs := func(modified string) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: Module, Version: "v0.3.0"}, Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "fd09d79"}, {Key: "vcs.modified", Value: modified}}}
	}
	dep := func(d debug.Module) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: "notebook"}, Deps: []*debug.Module{{Path: "other", Version: "v1.0.0"}, &d}}
	}
	for _, c := range []struct {
		name string
		bi   *debug.BuildInfo
		src  func() (string, error)
		want string
	}{
		{"clean build", vcs("false"), noSrc, Module + "@v0.3.0 git fd09d79"},
		{"dirty build", vcs("true"), src, Module + "@v0.3.0 git fd09d79 dirty source-sha256:abc"},
		{"dirty build, no sources", vcs("true"), noSrc, Module + "@v0.3.0 git fd09d79 dirty"},
		{"released dependency", dep(debug.Module{Path: Module, Version: "v0.3.0", Sum: "h1:xyz"}), noSrc, Module + "@v0.3.0 h1:xyz"},
		{"local replace", dep(debug.Module{Path: Module, Version: "v0.0.0", Replace: &debug.Module{Path: "../ceusrad"}}), src, Module + " (devel) source-sha256:abc"},
		{"go install @version", &debug.BuildInfo{Main: debug.Module{Path: Module, Version: "v0.3.0", Sum: "h1:xyz"}}, noSrc, Module + "@v0.3.0 h1:xyz"},
		{"go test", &debug.BuildInfo{Main: debug.Module{Path: Module, Version: "(devel)"}}, src, Module + " (devel) source-sha256:abc"},
		{"no build info", nil, src, Module + " (devel) source-sha256:abc"},
	} {
		got, err := versionFrom(c.bi, c.src)
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	if _, err := versionFrom(nil, noSrc); err == nil || !strings.Contains(err.Error(), "no sources") {
		t.Errorf("nothing known: %v", err)
	}
}

// SourceHash follows library code and dependencies, not tests, test data
// or ignored folders.
func TestSourceHash(t *testing.T) {
	root := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module "+Module+"\n")
	write("kernellib/a/a.go", "package a\n")
	write("kernellib/a/a_test.go", "package a\n")
	write("kernellib/a/testdata/x.go", "package x\n")
	write("notebooks/n.ipynb", "{}")
	base, err := SourceHash(root)
	if err != nil {
		t.Fatal(err)
	}
	same := func(what string) {
		t.Helper()
		if h, err := SourceHash(root); err != nil || h != base {
			t.Errorf("%s: hash changed (%v)", what, err)
		}
	}
	differs := func(what string) {
		t.Helper()
		h, err := SourceHash(root)
		if err != nil || h == base {
			t.Errorf("%s: hash unchanged (%v)", what, err)
		}
		base = h
	}
	write("kernellib/a/a_test.go", "package a // edited\n")
	same("a test edited")
	write("kernellib/a/testdata/x.go", "package x // edited\n")
	same("test data edited")
	write("notebooks/n.ipynb", "{ }")
	same("a notebook edited")
	write("kernellib/a/a.go", "package a // edited\n")
	differs("library code edited")
	write("kernellib/b/b.go", "package b\n")
	differs("a file added")
	write("go.sum", "example.com/x v1.0.0 h1:abc=\n")
	differs("a dependency added")
	if !isModuleRoot(root) || isModuleRoot(filepath.Join(root, "kernellib")) {
		t.Error("isModuleRoot")
	}
	if _, err := SourceHash(t.TempDir()); err == nil {
		t.Error("no sources: no error")
	}
}

// A binary built with VCS stamping from a git checkout names the module
// version and revision the toolchain records: built here in a throw-away
// repository holding this package (go build needs git and a few seconds).
func TestCodeVersionStampedBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not installed")
	}
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	repo := t.TempDir()
	src, err := os.ReadFile("provenance.go")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"go.mod": "module " + Module + "\n\ngo 1.24\n",
		"kernellib/internal/provenance/provenance.go": string(src),
		"kernellib/cmd/version/main.go": "package main\n\nimport (\n\t\"fmt\"\n\n\t\"" + Module +
			"/kernellib/internal/provenance\"\n)\n\nfunc main() {\n\tv, err := provenance.CodeVersion()\n\tfmt.Print(v, err)\n}\n",
	}
	for name, body := range files {
		p := filepath.Join(repo, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=true", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GOWORK=off", "GOTOOLCHAIN=local")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	run(git, "init", "-q")
	run(git, "add", "-A")
	run(git, "commit", "-q", "-m", "x")
	rev := run(git, "rev-parse", "HEAD")
	bin := filepath.Join(t.TempDir(), "version")
	run(goTool, "build", "-o", bin, "./kernellib/cmd/version")
	got := run(bin)
	t.Logf("clean: %s", got)
	if !strings.HasPrefix(got, Module+"@") || !strings.Contains(got, " git "+rev) || strings.Contains(got, "dirty") || !strings.HasSuffix(got, "<nil>") {
		t.Errorf("clean checkout: %q, want %s@<version> git %s", got, Module, rev)
	}
	// An uncommitted edit: dirty, with the hash of the sources.
	p := filepath.Join(repo, "kernellib", "internal", "provenance", "provenance.go")
	if err := os.WriteFile(p, append(src, "\n// edited\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	run(goTool, "build", "-o", bin, "./kernellib/cmd/version")
	got = run(bin)
	t.Logf("dirty: %s", got)
	h, err := SourceHash(repo)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, " git "+rev+" dirty source-sha256:"+h) {
		t.Errorf("dirty checkout: %q, want revision %s, dirty and source hash %s", got, rev, h)
	}
}
