package cohort

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// The columns of cohort.csv that the manifest format defines (DESIGN.md,
// "Data formats"). Every other column is a clinical column.
const (
	ColPatientID       = "patient_id"
	ColResponse        = "response"
	ColSplit           = "split"
	ColCine            = "cine"
	ColBMode           = "bmode"
	ColLesionMask      = "lesion_mask"
	ColLiverMask       = "liver_mask"
	ColFrameRate       = "frame_rate"
	ColInjectionOffset = "injection_offset_s"
	ColCineRegion      = "cine_region"
	ColLesionID        = "lesion_id"
	// ColLesionMask2 is a second reader's lesion mask (inter-reader
	// agreement; study.InterReaderAgreement), given for some or all patients.
	ColLesionMask2 = "lesion_mask_2"
)

// The values of the response and split columns.
const (
	// ResponseOR is objective response (complete or partial response by
	// mRECIST, Lencioni & Llovet 2010).
	ResponseOR = "OR"
	// ResponseNR is non-response (stable or progressive disease).
	ResponseNR = "NR"
	// SplitTrain marks a patient of the training cohort.
	SplitTrain = "train"
	// SplitValidation marks a patient of the validation cohort.
	SplitValidation = "validation"
	// SplitExternal marks a patient of an external cohort (another centre):
	// scored by the frozen models of a bundle (ceusrad validate, which ignores
	// the split column), never in a training or an internal validation cohort.
	SplitExternal = "external"
)

// RequiredColumns are the columns every manifest must have, in the order
// of DESIGN.md.
var RequiredColumns = []string{ColPatientID, ColResponse, ColSplit, ColCine, ColBMode, ColLesionMask}

// OptionalColumns are the manifest's own columns that may be absent:
// liver_mask, frame_rate (needed when the cine is a folder of frames, which
// has no timing), injection_offset_s, cine_region (the Ultrasound Region
// of a dual-display cine to analyse; see CineRegionSpec) and lesion_mask_2
// (a second reader's lesion mask, for some or all patients). lesion_id, the
// other optional column, changes what a row is (one lesion of a patient;
// see LesionKeySep) and so is not among them: a draft manifest of one row
// per patient (kernellib/cohort/importer) has no use for it.
var OptionalColumns = []string{ColLiverMask, ColFrameRate, ColInjectionOffset, ColCineRegion, ColLesionMask2}

var pathColumns = []string{ColCine, ColBMode, ColLesionMask, ColLiverMask, ColLesionMask2}

func isManifestColumn(name string) bool {
	if name == ColLesionID {
		return true
	}
	for _, c := range RequiredColumns {
		if c == name {
			return true
		}
	}
	for _, c := range OptionalColumns {
		if c == name {
			return true
		}
	}
	return false
}

// IsMissing reports whether a cell stands for a missing value: empty, or
// NA, N/A, NaN or "." in any case, after trimming spaces (the tokens R's
// read.csv, pandas and SAS write for missing data).
func IsMissing(s string) bool {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "", "na", "n/a", "nan", ".":
		return true
	}
	return false
}

// Patient is one row of the manifest, checked, with its paths resolved
// relative to the manifest's folder.
type Patient struct {
	// Row is the 1-based data row, Line the CSV line where it starts.
	Row, Line int
	// ID is the row's key: patient_id, or, when the manifest has a
	// lesion_id column, patient_id + LesionKeySep + lesion_id ("P001/L2"),
	// unique in either case. Code that keys rows (feature tables, scores)
	// keys them by ID; KeyColumns and FrameKeys write and read it as the
	// patient_id (and lesion_id) columns of a table.
	ID string
	// PatientID is patient_id: the patient, who may have several lesions
	// (rows); LesionID is lesion_id, "" when the manifest has none. A
	// Patient not made by Read may leave PatientID empty: Groups then uses
	// ID.
	PatientID, LesionID string
	// Response is ResponseOR or ResponseNR.
	Response string
	// Split is SplitTrain, SplitValidation or SplitExternal.
	Split string
	// Cine is the CEUS cine: a DICOM or video file, or a folder of
	// numbered frames.
	Cine string
	// BMode is the B-mode image and LesionMask its lesion mask.
	BMode, LesionMask string
	// LiverMask is the liver (parenchyma) mask; empty when not given.
	LiverMask string
	// LesionMask2 is a second reader's lesion mask (lesion_mask_2); empty
	// when not given.
	LesionMask2 string
	// FrameRate is the cine's frame rate in frames per second when the
	// manifest gives one, 0 otherwise.
	FrameRate float64
	// InjectionOffset is injection_offset_s, in seconds, as the manifest
	// gives it; NaN when not given.
	InjectionOffset float64
	// CineRegion is cine_region, canonical ("left", "right" or a 0-based
	// region index; see CineRegionSpec); "" when not given.
	CineRegion string
	// Clinical holds the clinical columns by name, as written (trimmed);
	// a missing value (see IsMissing) is stored as "".
	Clinical map[string]string
}

// OR reports whether the patient had an objective response.
func (p Patient) OR() bool { return p.Response == ResponseOR }

// Number returns clinical column col as a number, NaN when it is missing,
// and an error naming the patient when it is absent or not a number.
func (p Patient) Number(col string) (float64, error) {
	s, ok := p.Clinical[col]
	if !ok {
		return math.NaN(), fmt.Errorf("cohort: patient %s: no clinical column %q", p.ID, col)
	}
	if s == "" {
		return math.NaN(), nil
	}
	v, err := parseFinite(s)
	if err != nil {
		return math.NaN(), fmt.Errorf("cohort: patient %s, column %s: %q: want a number", p.ID, col, s)
	}
	return v, nil
}

// Options controls Read and ReadFile. The zero value checks the files on
// the operating system's file system and opens none of them.
type Options struct {
	// Stat reports on a path named by the manifest (already resolved); nil
	// means os.Stat. A test or a caller with its own storage supplies one.
	Stat func(path string) (fs.FileInfo, error)
	// Check, when set, is called with every row that passed the manifest's
	// own checks, in file order, to open and check the files it names (the
	// command line uses kernellib/imaging for this). Each error it returns
	// becomes a Problem of that row; wrap an error in a *FieldError to name
	// the column.
	Check func(p Patient) []error
}

// Cohort is a read and checked manifest.
type Cohort struct {
	// Path is the manifest's path (or the name given to Read); Dir is the
	// folder its relative paths were resolved against.
	Path, Dir string
	// Columns are all the columns in the file's order; the manifest's own
	// column names are lower-cased.
	Columns []string
	// Clinical are the clinical columns (every column the manifest format
	// does not define), in the file's order.
	Clinical []string
	// Patients are the rows, in the file's order.
	Patients []Patient
	// Frame holds every column, one row per patient: the manifest's
	// columns as strings (paths resolved), frame_rate and
	// injection_offset_s as floats, and each clinical column as a float
	// when every value present is a number, else as a string; missing
	// values are NA (NaN).
	Frame dataframe.DataFrame
}

// ReadFile reads and checks the manifest at path (see Read); relative paths
// in it are resolved against path's folder.
func ReadFile(path string, opts *Options) (*Cohort, error) {
	f, err := safeio.OpenRegular(path)
	if err != nil {
		return nil, fmt.Errorf("cohort: %w", err)
	}
	defer f.Close()
	return Read(f, path, filepath.Dir(path), opts)
}

// Read reads a cohort.csv manifest (RFC 4180 CSV, comma-separated, a header
// row, UTF-8 with or without a byte-order mark; blank lines are ignored)
// from r. name is used in the problems reported, dir is the folder the
// relative paths are resolved against.
//
// Every row is checked: the required columns are present and no column
// name repeats; every row has as many fields as the header; patient_id is
// present and unique, or, when the manifest has a lesion_id column, every row
// has a lesion_id, the pair (patient_id, lesion_id) is unique, neither holds
// LesionKeySep, and all rows of one patient have the same split; response is
// OR or NR; split is train, validation or external;
// cine, bmode and lesion_mask are given and exist (cine a file or a folder,
// the others files), liver_mask and lesion_mask_2 exist when given; frame_rate, when given,
// is from MinFrameRate to MaxFrameRate (0.1–1000 frames per second), and is
// given when the cine is a folder of frames; injection_offset_s, when
// given, is from MinInjectionOffset to MaxInjectionOffset (−3600 to 600 s);
// cine_region, when given, is a region spec (CineRegionSpec) and the cine not a
// folder; in a clinical column that is numeric by the NumericShare rule every
// present cell is a finite number, and no clinical cell is an infinite one. Then
// opts.Check, when set, sees each row that passed. A CSV syntax error ends
// the reading (what follows it cannot be trusted).
//
// When anything is wrong the error is a Problems listing all of it, with
// file, line, row and column, and the Cohort is nil.
func Read(r io.Reader, name, dir string, opts *Options) (*Cohort, error) {
	if opts == nil {
		opts = &Options{}
	}
	stat := opts.Stat
	if stat == nil {
		stat = os.Stat
	}
	var probs Problems
	add := func(line, row int, col, format string, args ...any) {
		probs = append(probs, Problem{File: name, Line: line, Row: row, Column: col, Msg: fmt.Sprintf(format, args...)})
	}

	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			add(0, 0, "", "empty file: want a header row with %s", strings.Join(RequiredColumns, ", "))
		} else {
			probs = append(probs, csvProblem(name, err))
		}
		return nil, probs
	}
	header = append([]string(nil), header...)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	index := make(map[string]int, len(header))
	var clinical []string
	for j, h := range header {
		h = strings.TrimSpace(h)
		if isManifestColumn(strings.ToLower(h)) {
			h = strings.ToLower(h)
		}
		header[j] = h
		switch {
		case h == "":
			add(1, 0, "", "column %d has no name", j+1)
			continue
		case index[h] > 0:
			add(1, 0, h, "column name repeated (columns %d and %d)", index[h], j+1)
			continue
		}
		index[h] = j + 1 // 1-based so that 0 means absent
		if !isManifestColumn(h) {
			clinical = append(clinical, h)
		}
	}
	for _, c := range RequiredColumns {
		if index[c] == 0 {
			add(1, 0, c, "required column missing (want %s)", strings.Join(RequiredColumns, ", "))
		}
	}
	col := func(rec []string, c string) (string, bool) {
		j := index[c]
		if j == 0 {
			return "", false
		}
		return strings.TrimSpace(rec[j-1]), true
	}

	var patients []Patient    // rows that passed
	var allRows []clinicalRow // every row with the header's fields
	firstRow := map[string]int{}
	type rowSplit struct {
		row   int
		split string
	}
	patientSplit := map[string]rowSplit{}
	row := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			probs = append(probs, csvProblem(name, err))
			break
		}
		row++
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			add(line, row, "", "%d fields, want %d as in the header", len(rec), len(header))
			continue
		}
		before := len(probs)
		p := Patient{Row: row, Line: line, InjectionOffset: math.NaN(), Clinical: make(map[string]string, len(clinical))}

		if id, ok := col(rec, ColPatientID); ok {
			p.ID, p.PatientID = id, id
			lesion, hasLesion := col(rec, ColLesionID)
			bad := false
			if IsMissing(id) {
				add(line, row, ColPatientID, "empty: want a patient identifier")
				bad = true
			}
			if hasLesion {
				p.LesionID = lesion
				bad = checkLesionKey(id, lesion, func(c, format string, args ...any) { add(line, row, c, format, args...) }) || bad
				p.ID = id + LesionKeySep + lesion
			}
			switch {
			case bad:
			case firstRow[p.ID] > 0 && hasLesion:
				add(line, row, ColLesionID, "patient %q, lesion %q repeats the patient_id and lesion_id of row %d", id, lesion, firstRow[p.ID])
			case firstRow[p.ID] > 0:
				add(line, row, ColPatientID, "%q repeats the identifier of row %d (a patient with several lesions needs a lesion_id column)", id, firstRow[p.ID])
			default:
				firstRow[p.ID] = row
			}
		}
		if v, ok := col(rec, ColResponse); ok {
			if v != ResponseOR && v != ResponseNR {
				add(line, row, ColResponse, "%q: want %s or %s", v, ResponseOR, ResponseNR)
			}
			p.Response = v
		}
		if v, ok := col(rec, ColSplit); ok {
			if v != SplitTrain && v != SplitValidation && v != SplitExternal {
				add(line, row, ColSplit, "%q: want %s, %s or %s", v, SplitTrain, SplitValidation, SplitExternal)
			} else if index[ColLesionID] > 0 && !IsMissing(p.PatientID) {
				if first, seen := patientSplit[p.PatientID]; !seen {
					patientSplit[p.PatientID] = rowSplit{row, v}
				} else if first.split != v {
					add(line, row, ColSplit, "%q: patient %q is in %s in row %d; all lesions of a patient must be in one split", v, p.PatientID, first.split, first.row)
				}
			}
			p.Split = v
		}
		cineIsDir := false
		for _, c := range pathColumns {
			v, ok := col(rec, c)
			if !ok {
				continue
			}
			if IsMissing(v) {
				if c != ColLiverMask && c != ColLesionMask2 {
					add(line, row, c, "empty: want the path of a file")
				}
				continue
			}
			path := resolve(dir, v)
			info, err := stat(path)
			switch {
			case err != nil && errors.Is(err, fs.ErrNotExist):
				add(line, row, c, "%s: no such file", path)
			case err != nil:
				add(line, row, c, "%s: %v", path, err)
			case info == nil:
				add(line, row, c, "%s: no file information", path)
			case info.IsDir() && c == ColCine:
				cineIsDir = true
			case info.IsDir():
				add(line, row, c, "%s is a folder: want a file", path)
			case !info.Mode().IsRegular():
				add(line, row, c, "%s is %s: want a regular file", path, safeio.Kind(info.Mode()))
			}
			switch c {
			case ColCine:
				p.Cine = path
			case ColBMode:
				p.BMode = path
			case ColLesionMask:
				p.LesionMask = path
			case ColLiverMask:
				p.LiverMask = path
			case ColLesionMask2:
				p.LesionMask2 = path
			}
		}
		if v, ok := col(rec, ColFrameRate); ok && !IsMissing(v) {
			f, err := parseFinite(v)
			if err != nil || f < MinFrameRate || f > MaxFrameRate {
				add(line, row, ColFrameRate, "%q: want a number of frames per second from %g to %g", v, MinFrameRate, MaxFrameRate)
			} else {
				p.FrameRate = f
			}
		}
		if cineIsDir && p.FrameRate == 0 && !hasProblem(probs[before:], ColFrameRate) {
			add(line, row, ColFrameRate, "missing: the cine %s is a folder of frames, which has no timing", p.Cine)
		}
		if v, ok := col(rec, ColInjectionOffset); ok && !IsMissing(v) {
			f, err := parseFinite(v)
			if err != nil || f < MinInjectionOffset || f > MaxInjectionOffset {
				add(line, row, ColInjectionOffset, "%q: want a number of seconds from %g to %g", v, MinInjectionOffset, MaxInjectionOffset)
			} else {
				p.InjectionOffset = f
			}
		}
		if v, ok := col(rec, ColCineRegion); ok && !IsMissing(v) {
			spec, err := CineRegionSpec(v)
			switch {
			case err != nil:
				add(line, row, ColCineRegion, "%v", err)
			case cineIsDir:
				add(line, row, ColCineRegion, "%q: the cine %s is a folder of frames, which has no Ultrasound Regions", v, p.Cine)
			default:
				p.CineRegion = spec
			}
		}
		for _, c := range clinical {
			v, _ := col(rec, c)
			if IsMissing(v) {
				v = ""
			}
			p.Clinical[c] = v
		}
		allRows = append(allRows, clinicalRow{p.Line, p.Row, p.Clinical})
		if len(probs) == before {
			if opts.Check != nil {
				for _, err := range opts.Check(p) {
					if err != nil {
						probs = append(probs, problemFromError(name, p, err))
					}
				}
			}
			patients = append(patients, p)
		}
	}
	if cp := clinicalProblems(name, allRows, clinical); len(cp) > 0 {
		probs = append(probs, cp...)
		sort.SliceStable(probs, func(i, j int) bool { return probs[i].Line < probs[j].Line })
	}
	if row == 0 && len(probs) == 0 {
		add(0, 0, "", "no patients: the manifest has a header and no rows")
	}
	if len(probs) > 0 {
		return nil, probs
	}
	c := &Cohort{Path: name, Dir: dir, Columns: header, Clinical: clinical, Patients: patients}
	df, err := c.frame()
	if err != nil {
		return nil, Problems{{File: name, Msg: err.Error()}}
	}
	c.Frame = df
	return c, nil
}

func hasProblem(ps Problems, column string) bool {
	for _, p := range ps {
		if p.Column == column {
			return true
		}
	}
	return false
}

// csvProblem turns an encoding/csv error into a Problem with its line.
func csvProblem(name string, err error) Problem {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Problem{File: name, Line: pe.Line, Msg: fmt.Sprintf("CSV syntax (column %d of the line): %v; reading stopped here", pe.Column, pe.Err)}
	}
	return Problem{File: name, Msg: err.Error()}
}

// resolve joins a manifest path to the manifest's folder unless it is
// absolute. Forward slashes are accepted on every system.
func resolve(dir, p string) string {
	p = filepath.FromSlash(p)
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

// parseFinite parses a decimal number and refuses NaN and infinities.
func parseFinite(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return math.NaN(), err
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return math.NaN(), fmt.Errorf("%q is not finite", s)
	}
	return v, nil
}

// frame builds the cohort's DataFrame from its patients.
func (c *Cohort) frame() (dataframe.DataFrame, error) {
	n := len(c.Patients)
	cols := make([]series.Series, 0, len(c.Columns))
	str := func(name string, get func(p Patient) string) series.Series {
		v := make([]string, n)
		for i, p := range c.Patients {
			v[i] = get(p)
			if v[i] == "" {
				v[i] = "NaN" // gota's NA for strings
			}
		}
		return series.New(v, series.String, name)
	}
	num := func(name string, get func(p Patient) float64) series.Series {
		v := make([]float64, n)
		for i, p := range c.Patients {
			v[i] = get(p)
		}
		return series.New(v, series.Float, name)
	}
	for _, name := range c.Columns {
		var s series.Series
		switch name {
		case ColPatientID:
			s = str(name, func(p Patient) string { return p.PatientID })
		case ColLesionID:
			s = str(name, func(p Patient) string { return p.LesionID })
		case ColResponse:
			s = str(name, func(p Patient) string { return p.Response })
		case ColSplit:
			s = str(name, func(p Patient) string { return p.Split })
		case ColCine:
			s = str(name, func(p Patient) string { return p.Cine })
		case ColBMode:
			s = str(name, func(p Patient) string { return p.BMode })
		case ColLesionMask:
			s = str(name, func(p Patient) string { return p.LesionMask })
		case ColLiverMask:
			s = str(name, func(p Patient) string { return p.LiverMask })
		case ColLesionMask2:
			s = str(name, func(p Patient) string { return p.LesionMask2 })
		case ColFrameRate:
			s = num(name, func(p Patient) float64 {
				if p.FrameRate == 0 {
					return math.NaN()
				}
				return p.FrameRate
			})
		case ColInjectionOffset:
			s = num(name, func(p Patient) float64 { return p.InjectionOffset })
		case ColCineRegion:
			s = str(name, func(p Patient) string { return p.CineRegion })
		default:
			if numericColumn(c.Patients, name) {
				s = num(name, func(p Patient) float64 {
					v, _ := p.Number(name)
					return v
				})
			} else {
				s = str(name, func(p Patient) string { return p.Clinical[name] })
			}
		}
		cols = append(cols, s)
	}
	df := dataframe.New(cols...)
	if df.Err != nil {
		return df, fmt.Errorf("building the DataFrame: %w", df.Err)
	}
	return df, nil
}

// numericColumn reports whether every value present in clinical column
// name is a finite number, and at least one is present.
func numericColumn(ps []Patient, name string) bool {
	present := false
	for _, p := range ps {
		s := p.Clinical[name]
		if s == "" {
			continue
		}
		if _, err := parseFinite(s); err != nil {
			return false
		}
		present = true
	}
	return present
}

// Responses returns, for each patient, whether the response was OR.
func Responses(ps []Patient) []bool {
	y := make([]bool, len(ps))
	for i, p := range ps {
		y[i] = p.OR()
	}
	return y
}

// SplitIndices returns the indices of the patients that the manifest's
// split column puts in the training and the validation cohort (a patient
// with any other split value, possible only in records not made by Read, is
// in neither).
func SplitIndices(ps []Patient) (train, validation []int) {
	for i, p := range ps {
		switch p.Split {
		case SplitTrain:
			train = append(train, i)
		case SplitValidation:
			validation = append(validation, i)
		}
	}
	return train, validation
}

// TrainingPatients returns the training split's patients in manifest
// order and their outcomes (true for OR): what a model may be fitted on.
func TrainingPatients(ps []Patient) ([]Patient, []bool) {
	tr, _ := SplitIndices(ps)
	out := make([]Patient, len(tr))
	for k, i := range tr {
		out[k] = ps[i]
	}
	return out, Responses(out)
}
