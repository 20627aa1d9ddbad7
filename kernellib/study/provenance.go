package study

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/internal/provenance"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// Provenance says what made a study's numbers: the cohort's content and the
// code. results.json records it at its root (cohort_sha256, code_version)
// and every Markdown table ends with its Footnote; LoadOrRun reuses a
// results.json only when both match.
type Provenance struct {
	// CohortSHA256 is cohort.Cohort.ContentHash: the SHA-256 of the
	// manifest and of every file it names. Empty when the files could
	// not be read (a cohort held in memory).
	CohortSHA256 string
	// CodeVersion is provenance.CodeVersion: the module version and VCS
	// revision, or the SHA-256 of the kernellib sources; it starts with
	// UnknownCode when neither could be made.
	CodeVersion string
}

// UnknownCode starts a CodeVersion that could not be determined; a results.json
// made by unknown code is never reused.
const UnknownCode = "unknown"

// CacheDirEnv, when set, names the folder of HashCachePath instead of the
// user's cache folder.
const CacheDirEnv = "CEUSRAD_CACHE_DIR"

// HashCachePath is the hash cache CurrentProvenance uses by default:
// hash_cache.json in CEUSRAD_CACHE_DIR when set, else in ceusrad/ of the
// user's cache folder (os.UserCacheDir: $XDG_CACHE_HOME or ~/.cache on
// Linux, ~/Library/Caches on macOS). It keeps
// each cohort file's SHA-256 by (path, size, mtime, ctime, inode, device)
// so that a second run does not read the cohort again; it is machine-local,
// names files by absolute path (so it is kept out of the results folder,
// which may be published) and may be deleted at any time. "" when there is
// no user cache folder.
func HashCachePath() string {
	if d := os.Getenv(CacheDirEnv); d != "" {
		return filepath.Join(d, "hash_cache.json")
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "ceusrad", "hash_cache.json")
}

// CurrentProvenance hashes the cohort now (keeping the files' hashes in the
// cache file cache, "" for none: see HashCachePath) and names the running
// code. The error is that of hashing; the code version's own failure is
// recorded in CodeVersion (UnknownCode: …) rather than returned.
func CurrentProvenance(c *cohort.Cohort, cache string, progress func(done, total int)) (Provenance, cohort.HashStats, error) {
	var p Provenance
	if v, err := provenance.CodeVersion(); err == nil {
		p.CodeVersion = v
	} else {
		p.CodeVersion = UnknownCode + ": " + err.Error()
	}
	h, _, st, err := c.ContentHash(cohort.HashOptions{CachePath: cache, Progress: progress})
	if err != nil {
		return p, st, err
	}
	p.CohortSHA256 = h
	return p, st, nil
}

// Stale returns why results made with have cannot stand for a run with now,
// "" when they can: the cohort's content or the code differs, or either was
// not recorded (an older results.json, a cohort not hashed, code of unknown
// version).
func (now Provenance) Stale(have Provenance) string {
	switch {
	case have.CohortSHA256 == "":
		return "results.json records no cohort_sha256 (written by an older ceusrad, or from a cohort that could not be hashed)"
	case now.CohortSHA256 == "":
		return "the cohort's files could not be hashed"
	case have.CohortSHA256 != now.CohortSHA256:
		return fmt.Sprintf("cohort changed since results.json was written (cohort_sha256 %s there, %s now)", short(have.CohortSHA256), short(now.CohortSHA256))
	case have.CodeVersion == "":
		return "results.json records no code_version (written by an older ceusrad)"
	case strings.HasPrefix(now.CodeVersion, UnknownCode) || strings.HasPrefix(have.CodeVersion, UnknownCode):
		return "code version unknown (" + now.CodeVersion + "), so results.json cannot be trusted to match the code"
	case have.CodeVersion != now.CodeVersion:
		return fmt.Sprintf("code changed since results.json was written (%s there, %s now)", have.CodeVersion, now.CodeVersion)
	}
	return ""
}

// short abbreviates a hash to 12 hex digits for a message.
func short(h string) string {
	if len(h) > 12 {
		return h[:12] + "…"
	}
	return h
}

// Footnote is the line every table of the study ends with: the cohort's
// content hash and the code version, as results.json records them.
func (p Provenance) Footnote() string {
	sha := p.CohortSHA256
	if sha == "" {
		sha = "not hashed"
	}
	code := p.CodeVersion
	if code == "" {
		code = "not recorded"
	}
	return fmt.Sprintf("Made from cohort SHA-256 %s (the manifest and every file it names) by ceusrad code %s; results.json records both (cohort_sha256, code_version).", sha, code)
}

// Caption returns caption followed by the run's provenance footnote (short
// hashes), for a notebook table made from these results:
//
//	nb.Table(cmp.AUCTable(), nb.TableOptions{Caption: r.Caption("Validation AUC")})
func (r *Results) Caption(caption string) string {
	p := Provenance{CohortSHA256: r.CohortSHA256, CodeVersion: r.CodeVersion}
	sha, code := "not hashed", p.CodeVersion
	if p.CohortSHA256 != "" {
		sha = short(p.CohortSHA256)
	}
	if i := strings.Index(code, "source-sha256:"); i >= 0 {
		code = code[:i] + "source-sha256:" + short(code[i+len("source-sha256:"):])
	}
	if code == "" {
		code = "not recorded"
	}
	return fmt.Sprintf("%s (cohort SHA-256 %s; code %s)", caption, sha, code)
}

// stampTables ends every Markdown file among paths with p's footnote, as
// its own paragraph in italics; the other files are left alone. Each file
// is rewritten atomically.
func stampTables(paths []string, p Provenance) error {
	for _, path := range paths {
		if filepath.Ext(path) != ".md" {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("study: footnote of %s: %w", path, err)
		}
		s := strings.TrimRight(string(b), "\n") + "\n\n*" + p.Footnote() + "*\n"
		if err := safeio.WriteFile(path, []byte(s)); err != nil {
			return fmt.Errorf("study: footnote of %s: %w", path, err)
		}
	}
	return nil
}

// ensureProvenance sets s.Provenance, when LoadOrRun did not, by hashing
// the cohort now (through HashCachePath). A cohort that cannot be hashed
// (held in memory) leaves CohortSHA256 empty, so that its results are
// never reused.
func (s *Study) ensureProvenance() {
	if s.Provenance != (Provenance{}) {
		return
	}
	s.Provenance, _, _ = CurrentProvenance(s.Cohort, HashCachePath(), nil)
}
