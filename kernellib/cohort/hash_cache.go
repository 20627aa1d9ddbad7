package cohort

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// racyWindow is how close to the moment it was hashed a file's last change
// (mtime or ctime) may be for its cache entry still to be trusted: an entry
// whose file changed within this window of its hashing is re-read, since a
// second write in the same timestamp tick would leave size and times as
// they were (Git's "racy clean" problem, Documentation/technical/racy-git.txt).
// Two seconds covers FAT's timestamp resolution.
var racyWindow = 2 * time.Second

// hashEntry is a file's cache entry: what identifies its version on disk,
// when it was hashed and its SHA-256.
type hashEntry struct {
	Size     int64  `json:"size"`
	MtimeNs  int64  `json:"mtime_ns"`
	CtimeNs  int64  `json:"ctime_ns"`
	Inode    uint64 `json:"inode"`
	Dev      uint64 `json:"dev"`
	HashedNs int64  `json:"hashed_at_ns"`
	SHA256   string `json:"sha256"`
}

// trusted reports whether a cache entry still stands for the file whose
// current identity is now: same size, times, inode and device, and hashed
// at least racyWindow after the file last changed.
func (e hashEntry) trusted(now hashEntry) bool {
	last := max(e.MtimeNs, e.CtimeNs)
	return e.SHA256 != "" && e.Size == now.Size && e.MtimeNs == now.MtimeNs && e.CtimeNs == now.CtimeNs &&
		e.Inode == now.Inode && e.Dev == now.Dev && last < e.HashedNs-racyWindow.Nanoseconds()
}

// maxCacheEntries bounds the cache file (about 200 bytes an entry).
const maxCacheEntries = 200000

// prune drops the entries hashed longest ago until at most n remain.
func prune(m map[string]hashEntry, n int) {
	if len(m) <= n {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]].HashedNs < m[keys[j]].HashedNs })
	for _, k := range keys[:len(m)-n] {
		delete(m, k)
	}
}

// hashCacheFile is the content of the cache file.
type hashCacheFile struct {
	Version int                  `json:"version"`
	Note    string               `json:"note"`
	Files   map[string]hashEntry `json:"files"`
}

const hashCacheVersion = 1

// readHashCache reads the cache file at path ("" or missing: empty).
func readHashCache(path string) (map[string]hashEntry, error) {
	if path == "" {
		return nil, nil
	}
	b, err := safeio.ReadFile(path, 256<<20)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cohort: hash cache: %w", err)
	}
	var c hashCacheFile
	if err := json.Unmarshal(b, &c); err != nil || c.Version != hashCacheVersion {
		return nil, fmt.Errorf("cohort: hash cache %s: not a version %d cache (%v); ignored", path, hashCacheVersion, err)
	}
	return c.Files, nil
}

// writeHashCache writes the cache file atomically.
func writeHashCache(path string, files map[string]hashEntry) error {
	b, err := json.MarshalIndent(hashCacheFile{Version: hashCacheVersion,
		Note: "ceusrad: SHA-256 of cohort files by (path, size, mtime, ctime, inode, device); safe to delete", Files: files}, "", " ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("cohort: hash cache: %w", err)
	}
	if err := safeio.WriteFile(path, append(b, '\n')); err != nil {
		return fmt.Errorf("cohort: hash cache: %w", err)
	}
	return nil
}
