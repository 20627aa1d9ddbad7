package cohort

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// hashCohort writes a two-patient cohort on disk: P1's cine a file, P2's a
// folder of frames; it returns the manifest's folder.
func hashCohort(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"cohort.csv": "patient_id,response,split,cine,bmode,lesion_mask,frame_rate\n" +
			"P1,OR,train,cines/P1.dcm,bmode/P1.png,masks/P1.png,\n" +
			"P2,NR,validation,cines/P2,bmode/P2.png,masks/P2.png,8\n",
		"cines/P1.dcm":            strings.Repeat("cine one ", 100000),
		"cines/P2/frame_0001.png": "frame 1",
		"cines/P2/frame_0002.png": "frame 2",
		"cines/P2/frame_0010.png": "frame 10",
		"bmode/P1.png":            "bmode 1",
		"bmode/P2.png":            "bmode 2",
		"masks/P1.png":            "mask 1",
		"masks/P2.png":            "mask 2",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func readHashCohort(t *testing.T, dir string) *Cohort {
	t.Helper()
	c, err := ReadFile(filepath.Join(dir, "cohort.csv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func contentHash(t *testing.T, dir string, opt HashOptions) (string, HashStats) {
	t.Helper()
	h, _, st, err := readHashCohort(t, dir).ContentHash(opt)
	if err != nil {
		t.Fatal(err)
	}
	if st.CacheErr != nil {
		t.Errorf("cache: %v", st.CacheErr)
	}
	return h, st
}

// The listing and the hash agree with GNU coreutils' sha256sum run on the
// same files, as ContentHash's documentation promises.
func TestContentHashMatchesSha256sum(t *testing.T) {
	if _, err := exec.LookPath("sha256sum"); err != nil {
		t.Skip("sha256sum not installed")
	}
	dir := hashCohort(t)
	c := readHashCohort(t, dir)
	h, files, _, err := c.ContentHash(HashOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, names, err := c.Files()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"bmode/P1.png", "bmode/P2.png", "cines/P1.dcm", "cines/P2/frame_0001.png", "cines/P2/frame_0002.png",
		"cines/P2/frame_0010.png", "cohort.csv", "masks/P1.png", "masks/P2.png"}
	if strings.Join(names, ",") != strings.Join(want, ",") || len(files) != len(want) {
		t.Fatalf("files %v, want %v", names, want)
	}
	cmd := exec.Command("sh", "-c", "sha256sum "+strings.Join(names, " ")+" | LC_ALL=C sort -k2")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != Listing(files) {
		t.Errorf("listing\n%s\nsha256sum\n%s", Listing(files), out)
	}
	sum := sha256.Sum256(out)
	if hex.EncodeToString(sum[:]) != h {
		t.Errorf("ContentHash %s, sha256sum | sha256sum %x", h, sum)
	}
}

// Every change of content changes the hash; touching, moving the folder,
// the cache and the number of workers do not.
func TestContentHashChanges(t *testing.T) {
	dir := hashCohort(t)
	base, _ := contentHash(t, dir, HashOptions{})
	change := func(name string, f func(p string) error) string {
		t.Helper()
		d := hashCohort(t)
		if err := f(filepath.Join(d, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
		h, _ := contentHash(t, d, HashOptions{Workers: 1})
		return h
	}
	flip := func(p string) error {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		b[len(b)-2] ^= 1 // in cohort.csv: the frame rate 8 becomes 9
		return os.WriteFile(p, b, 0o644)
	}
	for _, name := range []string{"cines/P1.dcm", "cines/P2/frame_0002.png", "masks/P2.png", "cohort.csv"} {
		if h := change(name, flip); h == base {
			t.Errorf("one byte of %s changed: same hash", name)
		}
	}
	if h := change("cines/P2/frame_0011.png", func(p string) error { return os.WriteFile(p, []byte("x"), 0o644) }); h == base {
		t.Error("a frame added: same hash")
	}
	if h := change("cines/P2/frame_0010.png", os.Remove); h == base {
		t.Error("a frame removed: same hash")
	}
	if h := change("bmode/P1.png", func(p string) error {
		return os.Chtimes(p, time.Now().Add(-time.Hour), time.Now().Add(-time.Hour))
	}); h != base {
		t.Error("a file touched: the hash changed")
	}
	moved := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.Rename(hashCohort(t), moved); err != nil {
		t.Fatal(err)
	}
	if h, _ := contentHash(t, moved, HashOptions{Workers: 3}); h != base {
		t.Error("the folder moved: the hash changed")
	}
}

// The cache spares reading unchanged files, re-reads touched ones, and
// never returns a stale hash for a file rewritten in the same timestamp
// tick (same size, same mtime).
func TestContentHashCache(t *testing.T) {
	saved := racyWindow
	racyWindow = 50 * time.Millisecond
	defer func() { racyWindow = saved }()
	settle := func() { time.Sleep(2 * racyWindow) }
	dir := hashCohort(t)
	cache := filepath.Join(t.TempDir(), "sub", ".hash_cache.json")
	opt := HashOptions{CachePath: cache}
	settle()
	h1, st := contentHash(t, dir, opt)
	if st.Read != 9 || st.Cached != 0 || st.Files != 9 {
		t.Fatalf("cold: %+v", st)
	}
	h2, st := contentHash(t, dir, opt)
	if h2 != h1 || st.Read != 0 || st.Cached != 9 {
		t.Fatalf("warm: %+v, hash equal %v", st, h1 == h2)
	}
	// Touched: read again, same hash.
	p := filepath.Join(dir, "cines", "P1.dcm")
	old := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(p, old, old); err != nil {
		t.Fatal(err)
	}
	settle()
	h3, st := contentHash(t, dir, opt)
	if h3 != h1 || st.Read != 1 || st.Cached != 8 {
		t.Fatalf("touched: %+v, hash equal %v", st, h1 == h3)
	}
	// Rewritten in place with the same size and the old mtime restored:
	// the ctime (and, where it is not kept, the racy window) catches it.
	b, _ := os.ReadFile(p)
	b[7] ^= 1
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, old, old); err != nil {
		t.Fatal(err)
	}
	h4, st := contentHash(t, dir, opt)
	if h4 == h1 || st.Read != 1 {
		t.Fatalf("rewritten: %+v, hash unchanged %v", st, h1 == h4)
	}
	// A file hashed right after it was written is re-read next time even
	// when nothing about it seems to have changed (racy entry).
	q := filepath.Join(dir, "masks", "P2.png")
	if err := os.WriteFile(q, []byte("mask 3"), 0o644); err != nil {
		t.Fatal(err)
	}
	h5, _ := contentHash(t, dir, opt)
	if err := os.WriteFile(q, []byte("mask 4"), 0o644); err != nil {
		t.Fatal(err)
	}
	h6, st := contentHash(t, dir, opt)
	if h6 == h5 || st.Read < 1 {
		t.Fatalf("same-size rewrite right after hashing: %+v, hash unchanged %v", st, h5 == h6)
	}
	// A damaged cache is ignored, said, and replaced.
	if err := os.WriteFile(cache, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	h7, _, st, err := readHashCohort(t, dir).ContentHash(opt)
	if err != nil || h7 != h6 || st.CacheErr == nil || st.Read != 9 {
		t.Fatalf("damaged cache: %v, %+v", err, st)
	}
	if _, st := contentHash(t, dir, opt); st.Cached == 0 {
		t.Errorf("the damaged cache was not replaced: %+v", st)
	}
}

func TestContentHashErrors(t *testing.T) {
	dir := hashCohort(t)
	c := readHashCohort(t, dir)
	if err := os.Remove(filepath.Join(dir, "masks", "P2.png")); err != nil {
		t.Fatal(err)
	}
	_, _, _, err := c.ContentHash(HashOptions{})
	if err == nil || !strings.Contains(err.Error(), "P2") || !strings.Contains(err.Error(), "lesion_mask") {
		t.Errorf("missing mask: %v", err)
	}
	dir = hashCohort(t)
	c = readHashCohort(t, dir)
	for _, f := range []string{"frame_0001.png", "frame_0002.png", "frame_0010.png"} {
		if err := os.Remove(filepath.Join(dir, "cines", "P2", f)); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, _, err := c.ContentHash(HashOptions{}); err == nil || !strings.Contains(err.Error(), "holds no file") {
		t.Errorf("empty frame folder: %v", err)
	}
}

func TestListingEscapes(t *testing.T) {
	got := Listing([]HashFile{{Name: "a\\b\nc", SHA256: "00"}, {Name: "d", SHA256: "11"}})
	if got != "\\00  a\\\\b\\nc\n11  d\n" {
		t.Errorf("%q", got)
	}
}

// A cache shared by two cohorts keeps both's entries, and prune keeps the
// most recently hashed.
func TestContentHashCacheShared(t *testing.T) {
	saved := racyWindow
	racyWindow = 50 * time.Millisecond
	defer func() { racyWindow = saved }()
	a, b := hashCohort(t), hashCohort(t)
	time.Sleep(2 * racyWindow)
	opt := HashOptions{CachePath: filepath.Join(t.TempDir(), "cache.json")}
	contentHash(t, a, opt)
	contentHash(t, b, opt)
	if _, st := contentHash(t, a, opt); st.Cached != 9 {
		t.Errorf("the first cohort's entries were lost: %+v", st)
	}
	m := map[string]hashEntry{"old": {HashedNs: 1}, "new": {HashedNs: 3}, "mid": {HashedNs: 2}}
	prune(m, 2)
	if _, ok := m["old"]; ok || len(m) != 2 {
		t.Errorf("pruned to %v", m)
	}
}
