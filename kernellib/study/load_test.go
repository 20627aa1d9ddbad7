package study

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/internal/provenance"
)

// TestMain keeps the package's hash caches out of the user's cache folder.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ceusrad-cache")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv(CacheDirEnv, dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// diskClinicalCohort writes clinicalCohort's manifest to a folder with the
// files it names (small stand-ins: the clinical model reads none of them)
// and reads it back.
func diskClinicalCohort(t *testing.T, n int) *cohort.Cohort {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("patient_id,response,split,cine,bmode,lesion_mask,age,sex,afp,tumor_size_cm,bclc\n")
	for i := 0; i < n; i++ {
		size := 2 + float64(i%9)
		resp := "OR"
		if size+float64(i%3) > 7 {
			resp = "NR"
		}
		fmt.Fprintf(&b, "P%d,%s,%s,c%d.dcm,b%d.png,m%d.png,%d,%s,%d,%.1f,%s\n", i, resp, []string{"train", "train", "validation"}[i%3],
			i, i, i, 50+i%20, []string{"M", "F"}[i%2], 10*(i%5), size, []string{"A", "B", "C"}[i%3])
		for _, f := range []string{"c%d.dcm", "b%d.png", "m%d.png"} {
			name := fmt.Sprintf(f, i)
			if err := os.WriteFile(filepath.Join(dir, name), []byte("content of "+name), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	manifest := filepath.Join(dir, "cohort.csv")
	if err := os.WriteFile(manifest, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := cohort.ReadFile(manifest, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// loadOrRun calls LoadOrRunReport and checks whether it reused the stored
// results, and that a rerun says why with want.
func loadOrRun(t *testing.T, c *cohort.Cohort, dir string, opt RunOptions, reuse bool, want string) LoadReport {
	t.Helper()
	r, rep, err := LoadOrRunReport(c, dir, opt, true)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Reused != reuse || !strings.Contains(rep.Reason, want) {
		t.Fatalf("reused %v (%q), want %v (%q)", rep.Reused, rep.Reason, reuse, want)
	}
	if r.CohortSHA256 != rep.Provenance.CohortSHA256 || r.CodeVersion != rep.Provenance.CodeVersion || len(r.CohortSHA256) != 64 {
		t.Fatalf("results record %q, %q; the run's provenance is %+v", r.CohortSHA256, r.CodeVersion, rep.Provenance)
	}
	return rep
}

// results.json is reused only for the same cohort content and the same
// code: one byte of a cine changed reruns the study; a touched file is read
// again by the hash cache but leaves the results reused; other code reruns.
func TestLoadOrRunKeyedByContentAndCode(t *testing.T) {
	c := diskClinicalCohort(t, 90)
	dir := t.TempDir()
	opt := RunOptions{Models: []string{ClinicalName}, Splits: 2, BootReplicates: 100}
	// Let the files age past the hash cache's racy window, so that their
	// hashes are trusted on the next call.
	time.Sleep(2100 * time.Millisecond)
	rep := loadOrRun(t, c, dir, opt, false, "no results.json")
	if rep.Hash.Read != rep.Hash.Files || rep.Hash.Files != 1+3*90 {
		t.Fatalf("first call: %+v", rep.Hash)
	}
	first := rep.Provenance
	rep = loadOrRun(t, c, dir, opt, true, "")
	if rep.Hash.Read != 0 || rep.Hash.Cached != rep.Hash.Files || rep.Provenance != first {
		t.Fatalf("second call: %+v, %+v", rep.Hash, rep.Provenance)
	}
	cine := filepath.Join(c.Dir, "c7.dcm")
	// Touched: the hash cache reads the file again, finds the same hash,
	// and the results stand.
	old := time.Now().Add(-24 * time.Hour)
	if err := os.Chtimes(cine, old, old); err != nil {
		t.Fatal(err)
	}
	rep = loadOrRun(t, c, dir, opt, true, "")
	if rep.Hash.Read != 1 || rep.Provenance != first {
		t.Fatalf("touched: %+v", rep.Hash)
	}
	// Written again with the same bytes (a cohort regenerated identically):
	// reused.
	b, err := os.ReadFile(cine)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cine, b, 0o644); err != nil {
		t.Fatal(err)
	}
	loadOrRun(t, c, dir, opt, true, "")
	// One byte of a cine changed, same size: rerun.
	b[3] ^= 1
	if err := os.WriteFile(cine, b, 0o644); err != nil {
		t.Fatal(err)
	}
	rep = loadOrRun(t, c, dir, opt, false, "cohort changed since results.json was written")
	if rep.Provenance.CohortSHA256 == first.CohortSHA256 {
		t.Fatal("the cohort's hash did not change")
	}
	loadOrRun(t, c, dir, opt, true, "")

	// Other code: results.json as another version would have written it.
	path := filepath.Join(dir, "results.json")
	edit := func(f func(m map[string]any)) {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		if b, err = json.Marshal(m); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit(func(m map[string]any) { m["code_version"] = provenance.Module + "@v0.0.1 git 0123abc" })
	loadOrRun(t, c, dir, opt, false, "code changed since results.json was written")
	loadOrRun(t, c, dir, opt, true, "")
	// A results.json from before these fields: rerun.
	edit(func(m map[string]any) { delete(m, "cohort_sha256"); delete(m, "code_version") })
	loadOrRun(t, c, dir, opt, false, "records no cohort_sha256")
}

// Every Markdown table the study writes ends with the provenance footnote,
// and results.json records both fields at its root.
func TestFilesCarryProvenance(t *testing.T) {
	cacheHome := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cacheHome)
	t.Setenv(CacheDirEnv, "")
	c := diskClinicalCohort(t, 90)
	s, err := RunStudy(c, RunOptions{Models: []string{ClinicalName}, Splits: 2, BootReplicates: 100})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	paths, err := s.WriteFiles(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := CurrentProvenance(c, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Provenance != want || !strings.HasPrefix(want.CodeVersion, provenance.Module) {
		t.Fatalf("provenance %+v, want %+v", s.Provenance, want)
	}
	nmd := 0
	for _, p := range paths {
		if filepath.Ext(p) != ".md" {
			continue
		}
		nmd++
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		last := lines[len(lines)-1]
		if !strings.Contains(last, want.CohortSHA256) || !strings.Contains(last, want.CodeVersion) || lines[len(lines)-2] != "" {
			t.Errorf("%s ends with %q, want the footnote", filepath.Base(p), last)
		}
	}
	if nmd < 4 {
		t.Errorf("only %d Markdown files", nmd)
	}
	if _, err := os.Stat(filepath.Join(cacheHome, "ceusrad", "hash_cache.json")); err != nil || HashCachePath() != filepath.Join(cacheHome, "ceusrad", "hash_cache.json") {
		t.Errorf("no hash cache in the user's cache folder (%s): %v", HashCachePath(), err)
	}
	for _, p := range paths {
		if strings.Contains(filepath.Base(p), "cache") {
			t.Errorf("%s written into the results folder", p)
		}
	}
	var raw map[string]any
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil || json.Unmarshal(b, &raw) != nil {
		t.Fatal(err)
	}
	if raw["cohort_sha256"] != want.CohortSHA256 || raw["code_version"] != want.CodeVersion {
		t.Errorf("results.json: cohort_sha256 %v, code_version %v; want %+v", raw["cohort_sha256"], raw["code_version"], want)
	}
	r, err := ReadResults(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Caption("AUC"); !strings.HasPrefix(got, "AUC (cohort SHA-256 "+want.CohortSHA256[:12]) {
		t.Errorf("caption %q", got)
	}
}

func TestProvenanceStale(t *testing.T) {
	now := Provenance{CohortSHA256: strings.Repeat("a", 64), CodeVersion: "v1"}
	for _, c := range []struct {
		have Provenance
		now  Provenance
		want string
	}{
		{now, now, ""},
		{Provenance{CohortSHA256: strings.Repeat("b", 64), CodeVersion: "v1"}, now, "cohort changed"},
		{Provenance{CohortSHA256: now.CohortSHA256, CodeVersion: "v0"}, now, "code changed"},
		{Provenance{CodeVersion: "v1"}, now, "records no cohort_sha256"},
		{Provenance{CohortSHA256: now.CohortSHA256}, now, "records no code_version"},
		{now, Provenance{CohortSHA256: now.CohortSHA256, CodeVersion: "v1"}, ""},
		{Provenance{CohortSHA256: now.CohortSHA256, CodeVersion: UnknownCode + ": x"},
			Provenance{CohortSHA256: now.CohortSHA256, CodeVersion: UnknownCode + ": x"}, "code version unknown"},
		{now, Provenance{CodeVersion: "v1"}, "could not be hashed"},
	} {
		got := c.now.Stale(c.have)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("have %+v now %+v: %q, want %q", c.have, c.now, got, c.want)
		}
	}
}
