package cohort

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSetPatientCellsKeepsBytes: only the named cells change; quoting, CRLF line
// ends, a byte-order mark, a blank line and other rows stay byte for byte.
func TestSetPatientCellsKeepsBytes(t *testing.T) {
	in := "\ufeffpatient_id,Lesion_Mask,liver_mask,note\r\n" +
		"P1,,\"masks/old liver.png\",\"a, \"\"quoted\"\"\r\nnote\"\r\n" +
		"\r\n" +
		"P2, , ,x\r\n" +
		"P3,masks/P3_lesion.png,,\"y\"" // no final line end
	out, err := setCells([]byte(in), "P2", map[string]string{ColLesionMask: "masks/P2_lesion.png", "liver_mask": "masks/P2, liver.png"})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(in, "P2, , ,x", `P2,masks/P2_lesion.png,"masks/P2, liver.png",x`, 1)
	if string(out) != want {
		t.Fatalf("got\n%q\nwant\n%q", out, want)
	}
	// The first row, the last (no line end) and a quoted cell.
	out, err = setCells([]byte(in), "P3", map[string]string{"note": `say "hi"`})
	if err != nil {
		t.Fatal(err)
	}
	want = strings.Replace(in, `,"y"`, `,"say ""hi"""`, 1)
	if string(out) != want {
		t.Fatalf("got\n%q\nwant\n%q", out, want)
	}
	out, err = setCells([]byte(in), " P1 ", map[string]string{"note": "plain"})
	if err != nil {
		t.Fatal(err)
	}
	want = strings.Replace(in, "\"a, \"\"quoted\"\"\r\nnote\"", "plain", 1)
	if string(out) != want {
		t.Fatalf("got\n%q\nwant\n%q", out, want)
	}
}

// TestSetPatientCellsAddsColumn: a column the manifest lacks is appended; every other
// row gets an empty cell and nothing else changes.
func TestSetPatientCellsAddsColumn(t *testing.T) {
	in := "patient_id,lesion_mask\nP1,a.png\nP2,b.png\n"
	out, err := setCells([]byte(in), "P2", map[string]string{ColLiverMask: "masks/P2_liver.png", ColLesionMask: "masks/P2_lesion.png"})
	if err != nil {
		t.Fatal(err)
	}
	want := "patient_id,lesion_mask,liver_mask\nP1,a.png,\nP2,masks/P2_lesion.png,masks/P2_liver.png\n"
	if string(out) != want {
		t.Fatalf("got\n%q\nwant\n%q", out, want)
	}
	// A short row cannot take a new column.
	if _, err := setCells([]byte("patient_id,lesion_mask\nP1\nP2,b.png\n"), "P2", map[string]string{ColLiverMask: "x"}); err == nil || !strings.Contains(err.Error(), "line 2 has 1 cells") {
		t.Errorf("short row: %v", err)
	}
}

// TestSetPatientCellsRefusals: a missing or repeated patient, malformed CSV.
func TestSetPatientCellsRefusals(t *testing.T) {
	for _, c := range []struct{ in, id, want string }{
		{"patient_id,lesion_mask\nP1,a\n", "P9", `no row with patient_id "P9"`},
		{"patient_id,lesion_mask\nP1,a\nP1,b\n", "P1", "patient P1 is in two rows (lines 2 and 3)"},
		{"id,lesion_mask\nP1,a\n", "P1", "no patient_id column"},
		{"patient_id,lesion_mask\nP1,\"a\n", "P1", "line 2: a quoted cell is not closed"},
		{"patient_id,lesion_mask\nP1,a\"b\n", "P1", "a quote inside an unquoted cell"},
		{"patient_id,lesion_mask\nP1,\"a\"b\n", "P1", "text after the closing quote"},
		{"", "P1", "empty file"},
	} {
		_, err := setCells([]byte(c.in), c.id, map[string]string{ColLesionMask: "m.png"})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.in, err, c.want)
		}
	}
}

// TestSetPatientCellsFile: the file is replaced atomically (no temporary left) and
// PatientCells reads the new value back; the synthetic-style manifest keeps every
// other byte.
func TestSetPatientCellsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cohort.csv")
	in := "patient_id,response,split,cine,bmode,lesion_mask,liver_mask,frame_rate\n" +
		"P001,OR,train,cines/P001.dcm,bmode/P001.png,,,2\n" +
		"P002,NR,validation,cines/P002.dcm,bmode/P002.png,masks/P002_lesion.png,,2\n"
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := SetPatientCells(path, "P001", map[string]string{ColLesionMask: "masks/P001_lesion.png", ColLiverMask: "masks/P001_liver.png"}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want := strings.Replace(in, "P001,OR,train,cines/P001.dcm,bmode/P001.png,,,2", "P001,OR,train,cines/P001.dcm,bmode/P001.png,masks/P001_lesion.png,masks/P001_liver.png,2", 1)
	if string(got) != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	cells, err := PatientCells(path, "P001")
	if err != nil {
		t.Fatal(err)
	}
	if cells[ColLesionMask] != "masks/P001_lesion.png" || cells[ColCine] != "cines/P001.dcm" || cells[ColFrameRate] != "2" {
		t.Errorf("cells %v", cells)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left in the folder: %v", entries)
	}
	if _, err := PatientCells(filepath.Join(dir, "none.csv"), "P001"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing manifest: %v", err)
	}
}
