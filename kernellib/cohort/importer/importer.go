package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// Names of the files Import writes into the draft folder.
const (
	ManifestName = "cohort.csv"
	IDMapName    = "id_map.csv"
	ReportName   = "import_report.md"
)

// Columns are the draft manifest's columns, in the manifest's order
// (cohort.RequiredColumns then cohort.OptionalColumns), but lesion_mask_2: a
// second reader's masks come later (nb.DrawROIs appends the column).
var Columns = slices.DeleteFunc(append(append([]string(nil), cohort.RequiredColumns...), cohort.OptionalColumns...),
	func(c string) bool { return c == cohort.ColLesionMask2 })

// Options are the inputs of Import.
type Options struct {
	Export string    // the PACS export folder, walked at any depth; never written
	Draft  string    // the draft folder: new or empty
	Log    io.Writer // progress lines, with pseudonyms and counts only; nil for none
}

// Summary counts what Import found and wrote.
type Summary struct {
	Patients            int
	WithCine, WithStill int
	WithFrameRate       int
	WithOffset          int
	Files               int // regular files seen
	DICOM               int // DICOM files read (DICOMDIR included)
	NonDICOM            int // non-DICOM files skipped
	Unreadable          int // files (and folders) that could not be read
	NonRegular          int // FIFOs, sockets, devices skipped without opening
	LinkedDirs          int // symbolic links to folders, not followed
	DICOMDIR            int
	Ungrouped           int // DICOM files with no patient identity and no Study Instance UID
}

// Import reads the export's DICOM headers and writes the draft folder (see the
// package doc): cohort.csv, id_map.csv (mode 0600) and import_report.md, each
// atomically, under an exclusive lock on the folder. It refuses a draft folder that
// is not empty, that is the export, or that lies inside it. No returned error and no
// line written to Log holds a patient's name, ID or birth date.
func Import(opt Options) (*Summary, error) {
	logf := func(format string, a ...any) {
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, format+"\n", a...)
		}
	}
	if opt.Export == "" || opt.Draft == "" {
		return nil, errors.New("importer: both the export folder and the draft folder are needed")
	}
	st, err := os.Stat(opt.Export)
	if err != nil {
		return nil, fmt.Errorf("importer: export folder: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("importer: export %s is not a folder", opt.Export)
	}
	export, err := filepath.EvalSymlinks(opt.Export)
	if err != nil {
		return nil, fmt.Errorf("importer: export folder: %w", err)
	}
	if export, err = filepath.Abs(export); err != nil {
		return nil, fmt.Errorf("importer: export folder: %w", err)
	}
	if err := checkDraft(opt.Draft, export); err != nil {
		return nil, err
	}
	lock, err := safeio.LockDir(opt.Draft)
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	defer lock.Unlock()
	if err := checkEmpty(opt.Draft); err != nil {
		return nil, err
	}
	draft, err := filepath.EvalSymlinks(opt.Draft)
	if err == nil {
		draft, err = filepath.Abs(draft)
	}
	if err != nil {
		return nil, fmt.Errorf("importer: draft folder: %w", err)
	}
	outs := []string{filepath.Join(draft, ManifestName), filepath.Join(draft, IDMapName), filepath.Join(draft, ReportName)}
	if err := safeio.CheckOutputs(outs, []string{export}); err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}

	logf("import: reading the DICOM headers under the export folder")
	files, probs, c, err := scan(export)
	if err != nil {
		return nil, fmt.Errorf("importer: walking the export folder: %s", errText(err, export, export, "."))
	}
	ps, ungrouped := group(files)
	tok := tokens{}
	for _, p := range ps {
		for _, id := range p.ids {
			tok.add(id)
		}
	}
	sum := &Summary{Patients: len(ps), Files: c.Files, DICOM: c.DICOM, NonDICOM: c.NonDICOM,
		Unreadable: c.Unreadable + c.UnreadableDirs, NonRegular: c.NonRegular, LinkedDirs: c.LinkedDirs,
		DICOMDIR: c.DICOMDIR, Ungrouped: ungrouped}
	logf("import: %d files: %d DICOM, %d not DICOM, %d unreadable; %d patients", c.Files, c.DICOM, c.NonDICOM, sum.Unreadable, len(ps))

	choices := make([]choice, len(ps))
	rows := make([]row, len(ps))
	for i, p := range ps {
		choices[i] = choose(p)
		rows[i] = makeRow(choices[i], export, draft, tok)
		r := rows[i]
		if r.cine != "" {
			sum.WithCine++
		}
		if r.bmode != "" {
			sum.WithStill++
		}
		if r.rate != "" {
			sum.WithFrameRate++
		}
		if r.offset != "" {
			sum.WithOffset++
		}
		logf("import: %s: cine %s, B-mode still %s, frame_rate %s, injection_offset_s %s", p.pseudonym,
			found(r.cine != ""), found(r.bmode != ""), found(r.rate != ""), found(r.offset != ""))
	}

	manifest, err := manifestCSV(rows)
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	idmap, err := idMapCSV(choices)
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	report := reportMD(sum, choices, rows, probs, tok)
	written := []string{}
	fail := func(err error) (*Summary, error) {
		for _, p := range written {
			os.Remove(p)
		}
		return nil, fmt.Errorf("importer: %w", err)
	}
	if err := safeio.WriteFile(outs[0], manifest); err != nil {
		return fail(err)
	}
	written = append(written, outs[0])
	if err := writePrivate(outs[1], idmap); err != nil {
		return fail(err)
	}
	written = append(written, outs[1])
	if err := safeio.WriteFile(outs[2], report); err != nil {
		return fail(err)
	}
	logf("import: wrote %s, %s and %s; %s maps the pseudonyms to the patients: keep it apart from the data", ManifestName, IDMapName, ReportName, IDMapName)
	return sum, nil
}

func found(ok bool) string {
	if ok {
		return "found"
	}
	return "missing"
}

// checkDraft refuses a draft folder that is a file, the export, inside the export, or
// not empty.
func checkDraft(draft, export string) error {
	abs, err := filepath.Abs(draft)
	if err != nil {
		return fmt.Errorf("importer: draft folder: %w", err)
	}
	// Resolve the deepest existing ancestor, so that a draft not yet made is compared too.
	real, rest := abs, ""
	for {
		if r, err := filepath.EvalSymlinks(real); err == nil {
			real = filepath.Join(r, rest)
			break
		}
		parent := filepath.Dir(real)
		if parent == real {
			break
		}
		rest = filepath.Join(filepath.Base(real), rest)
		real = parent
	}
	if rel, err := filepath.Rel(export, real); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
		return fmt.Errorf("importer: the draft folder %s is the export folder or lies inside it; choose a folder outside the export", draft)
	}
	if st, err := os.Stat(draft); err == nil && !st.IsDir() {
		return fmt.Errorf("importer: draft %s exists and is not a folder", draft)
	}
	return checkEmpty(draft)
}

// checkEmpty refuses a draft folder holding anything but safeio's lock file.
func checkEmpty(dir string) error {
	es, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("importer: draft folder: %w", err)
	}
	for _, e := range es {
		if e.Name() != safeio.LockName {
			return fmt.Errorf("importer: the draft folder %s is not empty (it holds %s); choose a new or empty folder, so that no earlier draft or id map is overwritten", dir, e.Name())
		}
	}
	return nil
}

// writePrivate writes data atomically with mode 0600 (owner only) from the first byte.
func writePrivate(path string, data []byte) error {
	f, err := safeio.Create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Commit()
}

// row is one line of the draft manifest, as written.
type row struct {
	id, cine, bmode, rate, offset string
	cineWithheld, bmodeWithheld   bool
}

func makeRow(c choice, export, draft string, tok tokens) row {
	r := row{id: c.p.pseudonym}
	path := func(f *file) (string, bool) {
		if f == nil {
			return "", false
		}
		rel, err := filepath.Rel(draft, filepath.Join(export, filepath.FromSlash(f.rel)))
		if err != nil {
			rel = filepath.Join(export, filepath.FromSlash(f.rel))
		}
		rel = filepath.ToSlash(rel)
		if tok.leaks(rel) {
			return "", true
		}
		return rel, false
	}
	r.cine, r.cineWithheld = path(c.cine)
	r.bmode, r.bmodeWithheld = path(c.still)
	if c.rateSrc != "" {
		r.rate = num(c.rate)
	}
	if c.offsetOK {
		r.offset = num(c.offset)
	}
	return r
}

// num formats v rounded to 6 decimals.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*1e6)/1e6, 'f', -1, 64)
}

func manifestCSV(rows []row) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(Columns)
	for _, r := range rows {
		rec := make([]string, len(Columns))
		for i, col := range Columns {
			switch col {
			case cohort.ColPatientID:
				rec[i] = r.id
			case cohort.ColCine:
				rec[i] = r.cine
			case cohort.ColBMode:
				rec[i] = r.bmode
			case cohort.ColFrameRate:
				rec[i] = r.rate
			case cohort.ColInjectionOffset:
				rec[i] = r.offset
			}
		}
		w.Write(rec)
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// idMapCSV is the pseudonym map: pseudonym, patient_id, study_instance_uid (of the
// study used). A patient grouped by name and birth date has an empty patient_id; its
// study UID finds it in the PACS.
func idMapCSV(cs []choice) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"pseudonym", "patient_id", "study_instance_uid"})
	for _, c := range cs {
		uid := ""
		if c.study >= 0 {
			uid = c.p.studies[c.study].uid
		} else if len(c.p.studies) > 0 {
			uid = c.p.studies[0].uid
		}
		w.Write([]string{c.p.pseudonym, c.p.ids[0].PatientID, uid})
	}
	w.Flush()
	return b.Bytes(), w.Error()
}
