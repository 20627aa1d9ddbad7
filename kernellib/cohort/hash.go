package cohort

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/internal/parallel"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// HashOptions are the settings of Cohort.ContentHash.
type HashOptions struct {
	// CachePath, when not empty, is a JSON file that remembers each file's
	// SHA-256 under its (absolute path, size, mtime, ctime, inode, device),
	// so that a second hash of an unchanged cohort reads no file. It is
	// read when present (a damaged one is ignored) and rewritten
	// atomically when an entry changed, keeping the entries of other
	// cohorts (at most maxCacheEntries, the most recently hashed). It
	// names files by absolute path: keep it out of what is published
	// (study keeps it in the user's cache folder).
	CachePath string
	// Workers hash files in parallel (≤ 0: GOMAXPROCS).
	Workers int
	// Progress, when not nil, is called after each file with (done, total).
	Progress func(done, total int)
}

// HashStats says what a ContentHash did.
type HashStats struct {
	// Files and Bytes count the files of the listing and their sizes.
	Files int
	Bytes int64
	// Read counts the files read (hashed), Cached those whose hash came
	// from the cache.
	Read, Cached int
	// CacheErr is the error of reading or writing the cache file, which
	// does not fail the hash (the files are then simply read).
	CacheErr error
}

// HashFile is one file of a cohort's content listing.
type HashFile struct {
	// Name is the path relative to the manifest's folder, with forward
	// slashes.
	Name string
	// SHA256 is the file's own SHA-256, in lower-case hex.
	SHA256 string
}

// Files lists the files a cohort is made of, for ContentHash: the manifest
// itself and every file its rows name (cine, bmode, lesion_mask,
// liver_mask, lesion_mask_2); a cine that is a folder of frames contributes every regular
// file under it, recursively. Paths are absolute and cleaned, each once,
// sorted by their name relative to the manifest's folder.
func (c *Cohort) Files() (abs, names []string, err error) {
	dir, err := filepath.Abs(c.Dir)
	if err != nil {
		return nil, nil, fmt.Errorf("cohort: %s: %w", c.Dir, err)
	}
	seen := map[string]bool{}
	type item struct{ abs, name string }
	var items []item
	add := func(p string) error {
		ap, err := filepath.Abs(p)
		if err != nil {
			return err
		}
		if seen[ap] {
			return nil
		}
		seen[ap] = true
		rel, err := filepath.Rel(dir, ap)
		if err != nil {
			rel = ap
		}
		items = append(items, item{ap, filepath.ToSlash(rel)})
		return nil
	}
	if err := add(c.Path); err != nil {
		return nil, nil, fmt.Errorf("cohort: manifest %s: %w", c.Path, err)
	}
	for _, p := range c.Patients {
		for _, f := range []struct{ col, path string }{{"cine", p.Cine}, {"bmode", p.BMode}, {"lesion_mask", p.LesionMask}, {"liver_mask", p.LiverMask}, {"lesion_mask_2", p.LesionMask2}} {
			if f.path == "" {
				continue
			}
			st, err := os.Stat(f.path)
			if err != nil {
				return nil, nil, fmt.Errorf("cohort: %s: patient %s, column %s: %w", c.Path, p.ID, f.col, err)
			}
			if !st.IsDir() {
				if err := add(f.path); err != nil {
					return nil, nil, err
				}
				continue
			}
			n := 0
			err = filepath.WalkDir(f.path, func(q string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if d.IsDir() {
					return nil
				}
				if d.Type()&fs.ModeSymlink != 0 {
					st, err := os.Stat(q)
					if err != nil {
						return err
					}
					if st.IsDir() {
						return nil // WalkDir does not follow it; neither do we
					}
				}
				n++
				return add(q)
			})
			if err != nil {
				return nil, nil, fmt.Errorf("cohort: %s: patient %s, column %s (a folder of frames): %w", c.Path, p.ID, f.col, err)
			}
			if n == 0 {
				return nil, nil, fmt.Errorf("cohort: %s: patient %s, column %s: folder %s holds no file, want frame files", c.Path, p.ID, f.col, f.path)
			}
		}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].name < items[j].name })
	for _, it := range items {
		abs, names = append(abs, it.abs), append(names, it.name)
	}
	return abs, names, nil
}

// Listing writes the canonical listing that ContentHash hashes: one line per
// file, sorted bytewise by name, in the format of GNU coreutils' sha256sum
// ("<hex>  <name>\n"; a name holding a backslash or a newline is escaped as
// sha256sum escapes it, with a leading backslash on the line).
func Listing(files []HashFile) string {
	var b strings.Builder
	for _, f := range files {
		name := f.Name
		if strings.ContainsAny(name, "\\\n\r") {
			name = strings.NewReplacer("\\", "\\\\", "\n", "\\n", "\r", "\\r").Replace(name)
			b.WriteByte('\\')
		}
		b.WriteString(f.SHA256 + "  " + name + "\n")
	}
	return b.String()
}

// ContentHash returns the cohort's content hash, recorded in results.json
// as cohort_sha256: the SHA-256 (FIPS 180-4) of Listing over Files, each
// file's own SHA-256 computed streaming (no file is held in memory), files
// in parallel. It equals, in the manifest's folder,
//
//	sha256sum <every file of Files, by relative name> | LC_ALL=C sort -k2 | sha256sum
//
// for names without spaces. It changes when any byte of any file changes,
// when a file is added to or removed from a frame folder, or when the
// manifest names other files; it does not change when files are only
// touched or the cohort's folder is moved. The listing is returned too.
func (c *Cohort) ContentHash(opt HashOptions) (string, []HashFile, HashStats, error) {
	var stats HashStats
	abs, names, err := c.Files()
	if err != nil {
		return "", nil, stats, err
	}
	cache, cerr := readHashCache(opt.CachePath)
	stats.CacheErr = cerr
	files := make([]HashFile, len(abs))
	entries := make([]hashEntry, len(abs))
	read := make([]bool, len(abs))
	err = parallel.ForEach(len(abs), opt.Workers, func(i int) error {
		e, fresh, err := hashOne(abs[i], cache[abs[i]])
		if err != nil {
			return fmt.Errorf("cohort: hashing %s (%s of manifest %s): %w", abs[i], names[i], c.Path, err)
		}
		files[i] = HashFile{Name: names[i], SHA256: e.SHA256}
		entries[i], read[i] = e, fresh
		return nil
	}, opt.Progress)
	if err != nil {
		return "", nil, stats, err
	}
	changed := false
	// The cache may serve several cohorts (a user-wide file): entries of
	// other files are kept.
	next := make(map[string]hashEntry, len(cache)+len(abs))
	for k, e := range cache {
		next[k] = e
	}
	for i, e := range entries {
		stats.Files++
		stats.Bytes += e.Size
		if read[i] {
			stats.Read++
		} else {
			stats.Cached++
		}
		if old, ok := cache[abs[i]]; !ok || old != e {
			changed = true
		}
		next[abs[i]] = e
	}
	if opt.CachePath != "" && changed {
		prune(next, maxCacheEntries)
		if werr := writeHashCache(opt.CachePath, next); werr != nil {
			stats.CacheErr = errors.Join(stats.CacheErr, werr)
		}
	}
	sum := sha256.Sum256([]byte(Listing(files)))
	return hex.EncodeToString(sum[:]), files, stats, nil
}

// hashOne returns path's entry: the cached one when it is trusted, else one
// made by reading the file through (fresh). The identity is taken from the
// open file before reading, so a file changed while it is read has a later
// ctime than its entry's hashing time and is read again next time.
func hashOne(path string, cached hashEntry) (e hashEntry, fresh bool, err error) {
	start := time.Now().UnixNano()
	f, err := safeio.OpenRegular(path)
	if err != nil {
		return e, false, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return e, false, err
	}
	e = identity(st)
	if cached.trusted(e) {
		return cached, false, nil
	}
	h := sha256.New()
	if _, err := io.CopyBuffer(h, f, make([]byte, 256<<10)); err != nil {
		return e, false, err
	}
	e.HashedNs = start
	e.SHA256 = hex.EncodeToString(h.Sum(nil))
	return e, true, nil
}
