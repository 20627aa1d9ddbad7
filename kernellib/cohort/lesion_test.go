package cohort

import (
	"slices"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
)

// readLesions reads a manifest whose every named file exists.
func readLesions(t *testing.T, text string) (*Cohort, error) {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, "c.dcm", "b.png", "m.png")
	return ReadFile(writeManifest(t, dir, text), nil)
}

func TestReadLesions(t *testing.T) {
	c, err := readLesions(t, "patient_id,lesion_id,response,split,cine,bmode,lesion_mask,age\n"+
		"P1,L1,OR,train,c.dcm,b.png,m.png,60\n"+
		"P1,L2,NR,train,c.dcm,b.png,m.png,60\n"+
		"P2,L1,OR,validation,c.dcm,b.png,m.png,70\n"+
		"P3,1,NR,train,c.dcm,b.png,m.png,50\n"+
		"P1,L3,OR,train,c.dcm,b.png,m.png,60\n")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range c.Patients {
		ids = append(ids, p.ID)
	}
	if want := []string{"P1/L1", "P1/L2", "P2/L1", "P3/1", "P1/L3"}; !slices.Equal(ids, want) {
		t.Errorf("keys %q, want %q", ids, want)
	}
	if g, want := Groups(c.Patients), []string{"P1", "P1", "P2", "P3", "P1"}; !slices.Equal(g, want) {
		t.Errorf("groups %q, want %q", g, want)
	}
	if c.Patients[1].LesionID != "L2" || c.Patients[1].PatientID != "P1" {
		t.Errorf("row 2: %+v", c.Patients[1])
	}
	if !MultiLesion(c.Patients) || !HasLesionIDs(c.Patients) {
		t.Error("MultiLesion or HasLesionIDs false for a cohort with 3 lesions of P1")
	}
	// The DataFrame holds the identifiers as the manifest gives them.
	if got := c.Frame.Col(ColPatientID).Records(); !slices.Equal(got, []string{"P1", "P1", "P2", "P3", "P1"}) {
		t.Errorf("frame patient_id %q", got)
	}
	if got := c.Frame.Col(ColLesionID).Records(); !slices.Equal(got, []string{"L1", "L2", "L1", "1", "L3"}) {
		t.Errorf("frame lesion_id %q", got)
	}
	// KeyColumns writes patient_id and lesion_id; FrameKeys reads the keys back.
	df := dataframe.New(KeyColumns(c.Patients)...)
	if !slices.Equal(df.Names(), []string{ColPatientID, ColLesionID}) {
		t.Errorf("KeyColumns %q", df.Names())
	}
	keys, err := FrameKeys(df)
	if err != nil || !slices.Equal(keys, ids) {
		t.Errorf("FrameKeys = %q, %v; want %q", keys, err, ids)
	}
}

func TestReadOneLesionPerPatientUnchanged(t *testing.T) {
	c, err := readLesions(t, "patient_id,response,split,cine,bmode,lesion_mask\n"+
		"P1,OR,train,c.dcm,b.png,m.png\nP2,NR,validation,c.dcm,b.png,m.png\n")
	if err != nil {
		t.Fatal(err)
	}
	p := c.Patients[0]
	if p.ID != "P1" || p.PatientID != "P1" || p.LesionID != "" || MultiLesion(c.Patients) || HasLesionIDs(c.Patients) {
		t.Errorf("patient %+v, MultiLesion %v", p, MultiLesion(c.Patients))
	}
	df := dataframe.New(KeyColumns(c.Patients)...)
	if !slices.Equal(df.Names(), []string{ColPatientID}) {
		t.Errorf("KeyColumns %q, want patient_id only", df.Names())
	}
	if keys, err := FrameKeys(df); err != nil || !slices.Equal(keys, []string{"P1", "P2"}) {
		t.Errorf("FrameKeys = %q, %v", keys, err)
	}
	if _, err := FrameKeys(dataframe.New(df.Col(ColPatientID).Copy())); err != nil {
		t.Error(err)
	}
}

func TestReadLesionRefusals(t *testing.T) {
	const head = "patient_id,lesion_id,response,split,cine,bmode,lesion_mask\n"
	for _, tc := range []struct {
		name, rows string
		column     string
		msg        string
	}{
		{"duplicate pair", "P1,L1,OR,train,c.dcm,b.png,m.png\nP1,L1,NR,train,c.dcm,b.png,m.png\n",
			ColLesionID, `patient "P1", lesion "L1" repeats the patient_id and lesion_id of row 1`},
		{"lesion_id on some rows only", "P1,L1,OR,train,c.dcm,b.png,m.png\nP2,,NR,train,c.dcm,b.png,m.png\n",
			ColLesionID, "empty: want a lesion identifier"},
		{"split differs within a patient", "P1,L1,OR,train,c.dcm,b.png,m.png\nP1,L2,NR,validation,c.dcm,b.png,m.png\n",
			ColSplit, `patient "P1" is in train in row 1; all lesions of a patient must be in one split`},
		{"separator in lesion_id", "P1,L/1,OR,train,c.dcm,b.png,m.png\nP2,L1,NR,train,c.dcm,b.png,m.png\n",
			ColLesionID, `holds "/"`},
		{"separator in patient_id", "P/1,L1,OR,train,c.dcm,b.png,m.png\nP2,L1,NR,train,c.dcm,b.png,m.png\n",
			ColPatientID, `holds "/"`},
	} {
		_, err := readLesions(t, head+tc.rows)
		probs := problemsOf(t, err)
		found := false
		for _, p := range probs {
			if p.Column == tc.column && p.Row == 2-boolInt(strings.Contains(tc.name, "separator")) && strings.Contains(p.Msg, tc.msg) {
				found = true
			}
		}
		if !found || len(probs) != 1 {
			t.Errorf("%s: problems %v, want one in column %s with %q", tc.name, probs, tc.column, tc.msg)
		}
	}
	// Without lesion_id, a repeated patient_id says how to list lesions.
	_, err := readLesions(t, "patient_id,response,split,cine,bmode,lesion_mask\n"+
		"P1,OR,train,c.dcm,b.png,m.png\nP1,NR,train,c.dcm,b.png,m.png\n")
	if probs := problemsOf(t, err); len(probs) != 1 || !strings.Contains(probs[0].Msg, "needs a lesion_id column") {
		t.Errorf("repeated patient_id: %v", probs)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
