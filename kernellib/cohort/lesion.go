package cohort

import (
	"fmt"
	"strings"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// LesionKeySep joins patient_id and lesion_id into a row's key (Patient.ID)
// when the manifest has a lesion_id column: patient P001's lesion L2 is
// "P001/L2". Neither identifier may then contain it, so that a key names one
// (patient, lesion) pair.
const LesionKeySep = "/"

// checkLesionKey reports, through add, what is wrong with the lesion_id of a
// row of patient id, and whether anything was.
func checkLesionKey(id, lesion string, add func(col, format string, args ...any)) bool {
	bad := false
	if IsMissing(lesion) {
		add(ColLesionID, "empty: want a lesion identifier (the manifest has a %s column, so every row is one lesion of a patient)", ColLesionID)
		bad = true
	} else if strings.Contains(lesion, LesionKeySep) {
		add(ColLesionID, "%q holds %q, which joins patient_id and lesion_id into the row's key: want an identifier without it", lesion, LesionKeySep)
		bad = true
	}
	if strings.Contains(id, LesionKeySep) {
		add(ColPatientID, "%q holds %q, which joins patient_id and lesion_id into the row's key: want an identifier without it when the manifest has a %s column", id, LesionKeySep, ColLesionID)
		bad = true
	}
	return bad
}

// Groups returns, for each row, its patient (PatientID, or ID when a
// Patient not made by Read leaves it empty): the clusters of a clustered
// (lesion-level) ROC analysis and the groups that grouped splits keep
// together.
func Groups(ps []Patient) []string {
	g := make([]string, len(ps))
	for i, p := range ps {
		g[i] = p.PatientID
		if g[i] == "" {
			g[i] = p.ID
		}
	}
	return g
}

// MultiLesion reports whether some patient has more than one row (lesion):
// only then do the grouped splits and the cluster-robust statistics differ
// from the per-row ones.
func MultiLesion(ps []Patient) bool {
	seen := make(map[string]bool, len(ps))
	for _, g := range Groups(ps) {
		if seen[g] {
			return true
		}
		seen[g] = true
	}
	return false
}

// HasLesionIDs reports whether the rows carry lesion identifiers (the
// manifest had a lesion_id column).
func HasLesionIDs(ps []Patient) bool {
	for _, p := range ps {
		if p.LesionID != "" {
			return true
		}
	}
	return false
}

// KeyColumns returns the key columns of a table with one row per manifest
// row, in manifest order: patient_id (the patient), and lesion_id when the
// rows carry lesion identifiers. FrameKeys reads the keys (Patient.ID) back.
func KeyColumns(ps []Patient) []series.Series {
	ids := make([]string, len(ps))
	lesions := make([]string, len(ps))
	for i, p := range ps {
		ids[i], lesions[i] = p.PatientID, p.LesionID
		if ids[i] == "" {
			ids[i] = p.ID
		}
	}
	cols := []series.Series{series.New(ids, series.String, ColPatientID)}
	if HasLesionIDs(ps) {
		cols = append(cols, series.New(lesions, series.String, ColLesionID))
	}
	return cols
}

// FrameKeys returns the row keys (Patient.ID) of a table with a patient_id
// column and, for a lesion-level table, a lesion_id column: patient_id, or
// patient_id + LesionKeySep + lesion_id.
func FrameKeys(df dataframe.DataFrame) ([]string, error) {
	have := map[string]bool{}
	for _, n := range df.Names() {
		have[n] = true
	}
	if !have[ColPatientID] {
		return nil, fmt.Errorf("cohort: the table has no %s column", ColPatientID)
	}
	keys := df.Col(ColPatientID).Records()
	if !have[ColLesionID] {
		return keys, nil
	}
	for i, l := range df.Col(ColLesionID).Records() {
		keys[i] += LesionKeySep + l
	}
	return keys, nil
}

// IsKeyColumn reports whether a table column is a row-key column (patient_id
// or lesion_id), not a feature.
func IsKeyColumn(name string) bool { return name == ColPatientID || name == ColLesionID }

// KeyHeader is the CSV form of KeyColumns: the names of the key columns of
// a table with one row per manifest row, patient_id and, when the rows carry
// lesion identifiers, lesion_id. KeyCells gives a row's cells.
func KeyHeader(ps []Patient) []string {
	if HasLesionIDs(ps) {
		return []string{ColPatientID, ColLesionID}
	}
	return []string{ColPatientID}
}

// KeyCells returns p's cells of the KeyHeader columns (lesions: the header
// has lesion_id).
func KeyCells(p Patient, lesions bool) []string {
	id := p.PatientID
	if id == "" {
		id = p.ID
	}
	if lesions {
		return []string{id, p.LesionID}
	}
	return []string{id}
}
