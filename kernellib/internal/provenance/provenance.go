// Package provenance names the code that made a result: the ceusrad module's
// version and VCS revision as the Go toolchain stamps them into a binary
// (runtime/debug.ReadBuildInfo), or, where the build carries no such stamp
// — go test, go run, a GoNB notebook that compiles each cell against a
// local checkout — a SHA-256 of the module's kernellib sources.
package provenance

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
)

// Module is the ceusrad module's path.
const Module = "github.com/ceusrad/ceusrad"

var (
	once    sync.Once
	version string
	verErr  error
)

// CodeVersion returns the version of the ceusrad code running, computed once
// per process:
//
//   - a binary built with VCS stamping from a checkout (go build, go install):
//     "github.com/ceusrad/ceusrad@<version> git <revision>", with " dirty
//     source-sha256:<hex>" when the checkout had uncommitted changes (the
//     revision alone would not tell two dirty states apart; the sources are
//     found as SourceRoot finds them — those on disk when the program runs,
//     the ones it was built from unless edited since — and without them
//     " dirty" stands alone);
//   - ceusrad installed or used as a released module (go install
//     …@version, a dependency from a module proxy):
//     "github.com/ceusrad/ceusrad@<version> <go.sum hash>";
//   - otherwise (go test, go run, a notebook, a local replace directive):
//     "github.com/ceusrad/ceusrad (devel) source-sha256:<hex>", the
//     SourceHash of the module found by SourceRoot.
//
// The forms differ for the same code (a VCS-stamped binary and a notebook
// give different strings), so results made one way are recomputed, never
// wrongly reused, the other way. The error says why none of these could be
// made.
func CodeVersion() (string, error) {
	once.Do(func() {
		bi, _ := debug.ReadBuildInfo()
		version, verErr = versionFrom(bi, func() (string, error) {
			root, err := SourceRoot()
			if err != nil {
				return "", err
			}
			return SourceHash(root)
		})
	})
	return version, verErr
}

// versionFrom is CodeVersion over a given build information (nil: none) and
// a source hash.
func versionFrom(bi *debug.BuildInfo, source func() (string, error)) (string, error) {
	if bi != nil && bi.Main.Path == Module {
		set := map[string]string{}
		for _, s := range bi.Settings {
			set[s.Key] = s.Value
		}
		if rev := set["vcs.revision"]; rev != "" {
			v := fmt.Sprintf("%s@%s %s %s", Module, bi.Main.Version, set["vcs"], rev)
			if set["vcs.modified"] == "true" {
				v += " dirty"
				if h, err := source(); err == nil {
					v += " source-sha256:" + h
				}
			}
			return v, nil
		}
		// go install module@version: a released version, no checkout.
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			return fmt.Sprintf("%s@%s %s", Module, v, bi.Main.Sum), nil
		}
	}
	if bi != nil && bi.Main.Path != Module {
		for _, d := range bi.Deps {
			if d.Path != Module {
				continue
			}
			m := d
			if d.Replace != nil {
				m = d.Replace
			}
			// A replacement by a local folder has no version; a pseudo or
			// released version from a module proxy is exact with its sum.
			if m.Version != "" && m.Version != "(devel)" {
				return fmt.Sprintf("%s@%s %s", Module, m.Version, m.Sum), nil
			}
		}
	}
	h, err := source()
	if err != nil {
		return "", fmt.Errorf("provenance: the build records no version of %s and its sources cannot be hashed: %w", Module, err)
	}
	return Module + " (devel) source-sha256:" + h, nil
}

// SourceRoot returns the folder of the ceusrad module's go.mod: searched
// upward from this file's compile-time location (runtime.Caller, absolute
// unless the build used -trimpath), then upward from the working folder.
func SourceRoot() (string, error) {
	var starts []string
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		starts = append(starts, filepath.Dir(file))
	}
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	for _, s := range starts {
		for d := s; ; d = filepath.Dir(d) {
			if isModuleRoot(d) {
				return d, nil
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	return "", fmt.Errorf("no go.mod of module %s above %s", Module, strings.Join(starts, " or "))
}

// isModuleRoot reports whether dir holds a go.mod declaring Module.
func isModuleRoot(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) >= 2 && fields[0] == "module" {
			return strings.Trim(fields[1], `"`) == Module
		}
	}
	return false
}

// SourceHash is the SHA-256 of a sha256sum-style listing ("<hex>  <name>\n",
// sorted by name) of the module's go.mod and go.sum and every non-test Go
// file under root/kernellib, skipping testdata folders and folders whose
// name starts with "." or "_" (those the go tool ignores). Editing a test,
// a notebook or a README leaves it unchanged; editing library code or a
// dependency's version changes it.
func SourceHash(root string) (string, error) {
	var names []string
	for _, f := range []string{"go.mod", "go.sum"} {
		if _, err := os.Stat(filepath.Join(root, f)); err == nil {
			names = append(names, f)
		}
	}
	kl := filepath.Join(root, "kernellib")
	err := filepath.WalkDir(kl, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != kl && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if !slicesContainsGo(names) {
		return "", errors.New("no Go source under " + kl)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		body, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(n)))
		if err != nil {
			return "", err
		}
		sum := sha256.Sum256(body)
		b.WriteString(hex.EncodeToString(sum[:]) + "  " + n + "\n")
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:]), nil
}

func slicesContainsGo(names []string) bool {
	for _, n := range names {
		if strings.HasSuffix(n, ".go") {
			return true
		}
	}
	return false
}
