package main

import (
	"bytes"
	"encoding/csv"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/internal/dcmtest"
)

// TestImportCommandThenCohort runs `ceusrad import` on a small export (two patients,
// a contrast cine, a cine without agent, stills, a CT, junk), checks that neither its
// output nor any draft file but id_map.csv names a patient, then fills the draft and
// checks it with `ceusrad cohort`.
func TestImportCommandThenCohort(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "export")
	type pat struct{ id, name, birth, study, date string }
	pats := []pat{
		{"QX-55123", "WINTERBOTTOM^ELSPETH", "19520317", "1.2.826.9.1", "20220202"},
		{"QX-40009", "ABERNATHY^RUPERTINE", "19681130", "1.2.826.9.2", "20210101"},
	}
	n := 0
	put := func(p pat, f dcmtest.File) {
		n++
		path := filepath.Join(export, "DICOM", p.study, "IM"+strings.Repeat("0", 3)+string(rune('0'+n)))
		os.MkdirAll(filepath.Dir(path), 0o755)
		f.PatientID, f.PatientName, f.BirthDate, f.StudyUID, f.StudyDate = p.id, p.name, p.birth, p.study, p.date
		if f.Modality == "" {
			f.Modality = "US"
		}
		f.Rows, f.Columns, f.Value = 10, 14, 80
		if err := dcmtest.Write(path, f); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range pats {
		put(p, dcmtest.File{SOPClassUID: dcmtest.USMultiFrame, Frames: 6, FrameTimeMS: 125, ContrastAgent: "SonoVue",
			ContrastStartTime: "120009", AcquisitionTime: "120000"}) // injected 9 s into the cine
		put(p, dcmtest.File{SOPClassUID: dcmtest.USMultiFrame, Frames: 9, FrameTimeMS: 125})
		put(p, dcmtest.File{SOPClassUID: dcmtest.USImage})
		put(p, dcmtest.File{SOPClassUID: dcmtest.CTImage, Modality: "CT"})
	}
	os.WriteFile(filepath.Join(export, "notes.txt"), []byte("hello"), 0o644)

	draft := filepath.Join(dir, "draft")
	code, stdout, stderr := call("import", "-in", export, "-out", draft)
	if code != exitOK {
		t.Fatalf("import: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "2 patients: 2 with a cine, 2 with a B-mode still, 2 with frame_rate, 2 with injection_offset_s") ||
		!strings.Contains(stdout, "1 not DICOM") {
		t.Errorf("stdout:\n%s", stdout)
	}
	texts := map[string]string{"stdout": stdout, "stderr": stderr}
	for _, name := range []string{"cohort.csv", "import_report.md"} {
		b, err := os.ReadFile(filepath.Join(draft, name))
		if err != nil {
			t.Fatal(err)
		}
		texts[name] = string(b)
	}
	es, _ := os.ReadDir(draft)
	if len(es) != 3 {
		t.Errorf("draft holds %d entries, want 3", len(es))
	}
	for _, p := range pats {
		ids := append(strings.Split(p.name, "^"), p.id, p.id[3:], p.birth, p.birth[:4]+"-"+p.birth[4:6]+"-"+p.birth[6:])
		for _, s := range ids {
			for name, text := range texts {
				if strings.Contains(strings.ToLower(text), strings.ToLower(s)) {
					t.Errorf("%s holds %q", name, s)
				}
			}
		}
	}
	// P001 is the earlier study (the second patient); its contrast cine was chosen.
	if !strings.Contains(texts["cohort.csv"], "P001,,,../export/DICOM/1.2.826.9.2/IM0005,../export/DICOM/1.2.826.9.2/IM0007,,,8,9,\n") {
		t.Errorf("cohort.csv:\n%s", texts["cohort.csv"])
	}

	// Fill it as a user would and check it with `ceusrad cohort`.
	mask := image.NewGray(image.Rect(0, 0, 14, 10))
	mask.Pix[3*14+4] = 255
	if err := imaging.WritePNG(filepath.Join(draft, "mask.png"), mask); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(filepath.Join(draft, "cohort.csv"))
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(recs); i++ {
		recs[i][1], recs[i][2], recs[i][5] = []string{"OR", "NR"}[i%2], "train", "mask.png"
	}
	var b bytes.Buffer
	csv.NewWriter(&b).WriteAll(recs)
	os.WriteFile(filepath.Join(draft, "cohort.csv"), b.Bytes(), 0o644)
	if code, out, errs := call("cohort", "-in", filepath.Join(draft, "cohort.csv")); code != exitOK {
		t.Errorf("cohort on the filled draft: exit %d\n%s\n%s", code, out, errs)
	}

	if code, _, errs := call("import", "-in", export, "-out", draft); code != exitError || !strings.Contains(errs, "not empty") {
		t.Errorf("import into the finished draft: exit %d, %s", code, errs)
	}
	if code, _, _ := call("import", "-in", export); code != exitUsage {
		t.Errorf("no -out: exit %d", code)
	}
}
