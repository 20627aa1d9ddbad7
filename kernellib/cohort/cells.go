package cohort

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// MaxManifestBytes is the largest manifest PatientCells and SetPatientCells read
// (64 MiB: some hundred thousand rows).
const MaxManifestBytes = 64 << 20

// PatientCells reads the manifest at path as plain CSV, without the checks of Read,
// and returns the row of the patient whose patient_id is id: column name → value,
// trimmed, the manifest's own column names lower-cased as Read has them. It serves a
// tool that fills a manifest in — drawing the masks of a cohort that has none yet,
// which Read refuses (lesion_mask is required). Exactly one row must have that
// patient_id.
func PatientCells(path, id string) (map[string]string, error) {
	t, err := readTable(path)
	if err != nil {
		return nil, err
	}
	r, err := t.patientRow(id)
	if err != nil {
		return nil, fmt.Errorf("cohort: %s: %w", path, err)
	}
	cells := make(map[string]string, len(t.header))
	for j, h := range t.header {
		if j < len(t.records[r].values) {
			cells[h] = strings.TrimSpace(t.records[r].values[j])
		}
	}
	return cells, nil
}

// SetPatientCells sets cells of the patient id's row of the manifest at path (column
// name → the value to write, as written, e.g. a path relative to the manifest's
// folder) and writes the manifest back atomically (safeio: a temporary file renamed
// onto it, so that a failure leaves the manifest as it was).
//
// Every other byte is kept: the other cells of the row, the other rows, quoting, line
// ends, a byte-order mark, blank lines. Only the cells named change; a value is quoted
// (RFC 4180) only when it must be. A column the manifest lacks (an optional one, such
// as liver_mask) is appended as the last column: its name ends the header line, an
// empty cell ends every other row (the only change to other rows), which needs every
// row to have as many cells as the header. Column names match as Read matches them
// (trimmed; the manifest's own columns in any case).
func SetPatientCells(path, id string, cells map[string]string) error {
	data, err := safeio.ReadFile(path, MaxManifestBytes)
	if err != nil {
		return fmt.Errorf("cohort: %w", err)
	}
	out, err := setCells(data, id, cells)
	if err != nil {
		return fmt.Errorf("cohort: %s: %w", path, err)
	}
	if err := safeio.WriteFile(path, out); err != nil {
		return fmt.Errorf("cohort: %w", err)
	}
	return nil
}

// setCells is SetPatientCells on the manifest's bytes.
func setCells(data []byte, id string, cells map[string]string) ([]byte, error) {
	t, err := scanCSV(data)
	if err != nil {
		return nil, err
	}
	r, err := t.patientRow(id)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(cells))
	for c := range cells {
		names = append(names, c)
	}
	slices.Sort(names)
	type edit struct {
		start, end int
		text       string
	}
	var edits []edit
	var added []string // values of the appended columns, in names' order
	var addedNames []string
	for _, c := range names {
		if strings.ContainsAny(cells[c], "\x00") {
			return nil, fmt.Errorf("column %s: the value %q holds a NUL byte", c, cells[c])
		}
		j := t.column(c)
		if j < 0 {
			addedNames = append(addedNames, c)
			added = append(added, cells[c])
			continue
		}
		rec := t.records[r]
		if j >= len(rec.spans) {
			return nil, fmt.Errorf("row of patient %s (line %d) has %d cells, the header %d", id, rec.line, len(rec.spans), len(t.header))
		}
		edits = append(edits, edit{rec.spans[j][0], rec.spans[j][1], quoteCell(cells[c])})
	}
	if len(addedNames) > 0 {
		for _, rec := range t.records {
			if len(rec.spans) != len(t.header) {
				return nil, fmt.Errorf("cannot add column %s: line %d has %d cells, the header %d; every row must have the header's cells", strings.Join(addedNames, ", "), rec.line, len(rec.spans), len(t.header))
			}
		}
		for _, c := range addedNames {
			if c == "" || strings.TrimSpace(c) != c {
				return nil, fmt.Errorf("cannot add a column named %q: want a name without surrounding spaces", c)
			}
		}
		var head strings.Builder
		for _, c := range addedNames {
			head.WriteString("," + quoteCell(c))
		}
		edits = append(edits, edit{t.header0.end, t.header0.end, head.String()})
		for i, rec := range t.records {
			var b strings.Builder
			for k := range addedNames {
				b.WriteByte(',')
				if i == r {
					b.WriteString(quoteCell(added[k]))
				}
			}
			edits = append(edits, edit{rec.end, rec.end, b.String()})
		}
	}
	slices.SortStableFunc(edits, func(a, b edit) int { return a.start - b.start })
	var out bytes.Buffer
	out.Grow(len(data) + 256)
	pos := 0
	for _, e := range edits {
		out.Write(data[pos:e.start])
		out.WriteString(e.text)
		pos = e.end
	}
	out.Write(data[pos:])
	// The result must read back as the input with those cells changed.
	back, err := scanCSV(out.Bytes())
	if err != nil {
		return nil, fmt.Errorf("the updated manifest does not read back: %w", err)
	}
	br, err := back.patientRow(id)
	if err != nil || br != r || len(back.records) != len(t.records) {
		return nil, fmt.Errorf("the updated manifest does not read back with patient %s in its row", id)
	}
	for c, v := range cells {
		if j := back.column(c); j < 0 || back.records[br].values[j] != v {
			return nil, fmt.Errorf("the updated manifest does not read back column %s as %q", c, v)
		}
	}
	return out.Bytes(), nil
}

// quoteCell writes a cell as encoding/csv's Writer does: quoted, with quotes
// doubled, when it holds a comma, a quote, a line end or starts with a space or tab
// (RFC 4180 §2).
func quoteCell(s string) string {
	if s == "" || !(strings.ContainsAny(s, ",\"\r\n") || s[0] == ' ' || s[0] == '\t') {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// csvRecord is one record of a scanned CSV file: the decoded values, the byte span
// [start, end) of each cell as written (quotes included), the offset where the record
// ends (before its line end) and its first line (1-based).
type csvRecord struct {
	values []string
	spans  [][2]int
	end    int
	line   int
}

// csvTable is a scanned CSV file: the header (names as Read has them) and the data
// records; header0 is the header record itself.
type csvTable struct {
	header  []string
	header0 csvRecord
	records []csvRecord
}

// column returns the index of the column called name (as Read matches names), −1
// when there is none.
func (t *csvTable) column(name string) int {
	n := strings.TrimSpace(name)
	if isManifestColumn(strings.ToLower(n)) {
		n = strings.ToLower(n)
	}
	return slices.Index(t.header, n)
}

// patientRow returns the index of the record whose patient_id is id.
func (t *csvTable) patientRow(id string) (int, error) {
	j := t.column(ColPatientID)
	if j < 0 {
		return 0, fmt.Errorf("no %s column", ColPatientID)
	}
	id = strings.TrimSpace(id)
	found := -1
	for i, rec := range t.records {
		if j < len(rec.values) && strings.TrimSpace(rec.values[j]) == id {
			if found >= 0 {
				return 0, fmt.Errorf("patient %s is in two rows (lines %d and %d)", id, t.records[found].line, rec.line)
			}
			found = i
		}
	}
	if found < 0 {
		return 0, fmt.Errorf("no row with %s %q", ColPatientID, id)
	}
	return found, nil
}

// scanCSV splits data into records and cells, keeping each cell's byte span, by the
// rules of encoding/csv's Reader with its defaults (comma separator, RFC 4180 quotes,
// \r\n read as \n, blank lines skipped), then checks its values against that reader's.
// A leading UTF-8 byte-order mark is kept out of the first cell.
func scanCSV(data []byte) (*csvTable, error) {
	var recs []csvRecord
	i := 0
	if bytes.HasPrefix(data, []byte("\ufeff")) {
		i = 3
	}
	line := 1
	for i < len(data) {
		// A blank line (or a lone \r\n) is no record.
		if data[i] == '\n' {
			i, line = i+1, line+1
			continue
		}
		if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
			i, line = i+2, line+1
			continue
		}
		rec := csvRecord{line: line}
		for {
			start := i
			var v strings.Builder
			if i < len(data) && data[i] == '"' {
				i++
				closed := false
				for i < len(data) {
					c := data[i]
					switch {
					case c == '"' && i+1 < len(data) && data[i+1] == '"':
						v.WriteByte('"')
						i += 2
					case c == '"':
						i++
						closed = true
					case c == '\r' && i+1 < len(data) && data[i+1] == '\n':
						v.WriteByte('\n')
						i, line = i+2, line+1
					default:
						if c == '\n' {
							line++
						}
						v.WriteByte(c)
						i++
					}
					if closed {
						break
					}
				}
				if !closed {
					return nil, fmt.Errorf("line %d: a quoted cell is not closed", rec.line)
				}
				if i < len(data) && data[i] != ',' && data[i] != '\n' && !(data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n') {
					return nil, fmt.Errorf("line %d: text after the closing quote of a cell", line)
				}
			} else {
				for i < len(data) && data[i] != ',' && data[i] != '\n' {
					if data[i] == '"' {
						return nil, fmt.Errorf("line %d: a quote inside an unquoted cell", line)
					}
					if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
						break
					}
					i++
				}
				v.Write(data[start:i])
			}
			rec.values = append(rec.values, v.String())
			rec.spans = append(rec.spans, [2]int{start, i})
			if i < len(data) && data[i] == ',' {
				i++
				continue
			}
			break
		}
		rec.end = i
		recs = append(recs, rec)
		if i < len(data) && data[i] == '\r' {
			i++
		}
		if i < len(data) {
			i, line = i+1, line+1
		}
	}
	if len(recs) == 0 {
		return nil, errors.New("empty file: want a header row")
	}
	if err := sameAsReader(data, recs); err != nil {
		return nil, err
	}
	t := &csvTable{header0: recs[0], records: recs[1:]}
	for _, h := range recs[0].values {
		h = strings.TrimSpace(h)
		if isManifestColumn(strings.ToLower(h)) {
			h = strings.ToLower(h)
		}
		t.header = append(t.header, h)
	}
	return t, nil
}

// sameAsReader checks that encoding/csv reads data as the records recs.
func sameAsReader(data []byte, recs []csvRecord) error {
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	cr.FieldsPerRecord = -1
	for k := 0; ; k++ {
		got, err := cr.Read()
		if errors.Is(err, io.EOF) {
			if k != len(recs) {
				return fmt.Errorf("read as %d records, encoding/csv reads %d", len(recs), k)
			}
			return nil
		}
		if err != nil {
			return err
		}
		if k >= len(recs) || !slices.Equal(got, recs[k].values) {
			return fmt.Errorf("record %d is read differently by encoding/csv", k+1)
		}
	}
}

// PatientIDs reads the manifest at path as plain CSV, without the checks of Read, and
// returns the patient_id of every row (trimmed), in file order.
func PatientIDs(path string) ([]string, error) {
	t, err := readTable(path)
	if err != nil {
		return nil, err
	}
	j := t.column(ColPatientID)
	if j < 0 {
		return nil, fmt.Errorf("cohort: %s: no %s column", path, ColPatientID)
	}
	ids := make([]string, 0, len(t.records))
	for _, rec := range t.records {
		if j < len(rec.values) {
			ids = append(ids, strings.TrimSpace(rec.values[j]))
		}
	}
	return ids, nil
}

// readTable reads and scans the manifest at path (scanCSV).
func readTable(path string) (*csvTable, error) {
	data, err := safeio.ReadFile(path, MaxManifestBytes)
	if err != nil {
		return nil, fmt.Errorf("cohort: %w", err)
	}
	t, err := scanCSV(data)
	if err != nil {
		return nil, fmt.Errorf("cohort: %s: %w", path, err)
	}
	return t, nil
}
