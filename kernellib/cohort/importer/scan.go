package importer

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// file is one DICOM file of the export.
type file struct {
	rel string // path relative to the export, slash-separated
	h   imaging.Header
}

// problem is a file that could not be read, by its path relative to the export.
type problem struct{ rel, msg string }

// counts are the files of the walk by what was done with them.
type counts struct {
	Files          int // regular files seen
	DICOM          int // read as DICOM
	NonDICOM       int // skipped: not DICOM Part 10
	Unreadable     int // DICOM (or unopenable) files that could not be read
	NonRegular     int // skipped without opening: FIFO, socket, device
	LinkedDirs     int // symbolic links to folders, not followed
	DICOMDIR       int // DICOMDIR files (not used: files are found by walking)
	NoIdentity     int // DICOM images without patient identity or Study Instance UID
	UnreadableDirs int // folders that could not be listed
}

// scan walks the export folder (lexical order, any depth) and reads the header of
// every regular file. Symbolic links to files are followed, those to folders are not;
// FIFOs, sockets and devices are skipped without being opened.
func scan(root string) ([]*file, []problem, counts, error) {
	var files []*file
	var probs []problem
	var c counts
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		rel := relSlash(root, path)
		if err != nil {
			if path == root {
				return err
			}
			if d != nil && d.IsDir() {
				c.UnreadableDirs++
				probs = append(probs, problem{rel, "folder not listed: " + errText(err, root, path, rel)})
				return fs.SkipDir
			}
			c.Unreadable++
			probs = append(probs, problem{rel, errText(err, root, path, rel)})
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			st, err := os.Stat(path)
			if err != nil {
				c.Unreadable++
				probs = append(probs, problem{rel, "broken symbolic link"})
				return nil
			}
			if st.IsDir() {
				c.LinkedDirs++
				return nil
			}
		}
		if err := safeio.CheckRegular(path); err != nil {
			c.NonRegular++
			return nil
		}
		c.Files++
		h, err := imaging.ReadDICOMHeader(path)
		switch {
		case errors.Is(err, imaging.ErrNotDICOM):
			c.NonDICOM++
			return nil
		case errors.Is(err, safeio.ErrNotRegular):
			c.Files--
			c.NonRegular++
			return nil
		case err != nil:
			c.Unreadable++
			probs = append(probs, problem{rel, errText(err, root, path, rel)})
			return nil
		}
		c.DICOM++
		if h.SOPClassUID == uidMediaStorageDirectory || strings.EqualFold(d.Name(), "DICOMDIR") {
			c.DICOMDIR++
			return nil
		}
		files = append(files, &file{rel: rel, h: h})
		return nil
	})
	sort.Slice(files, func(i, j int) bool { return files[i].rel < files[j].rel })
	return files, probs, c, err
}

// uidMediaStorageDirectory is the SOP class of a DICOMDIR (PS3.4 Annex F).
const uidMediaStorageDirectory = "1.2.840.10008.1.3.10"

func relSlash(root, path string) string {
	r, err := filepath.Rel(root, path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(r)
}

// errText is err's message with the file's path replaced by its path relative to the
// export (and the export itself by "EXPORT"): messages name files relative to it.
func errText(err error, root, path, rel string) string {
	msg := strings.ReplaceAll(err.Error(), path, rel)
	return strings.ReplaceAll(msg, root, "EXPORT")
}
