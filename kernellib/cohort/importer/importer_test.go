package importer

import (
	"bytes"
	"encoding/csv"
	"image"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/cohort/filecheck"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func runImport(t *testing.T) (export, draft string, sum *Summary, log string) {
	t.Helper()
	export = writeExport(t)
	draft = filepath.Join(filepath.Dir(export), "draft")
	var lb bytes.Buffer
	sum, err := Import(Options{Export: export, Draft: draft, Log: &lb})
	if err != nil {
		t.Fatal(err)
	}
	return export, draft, sum, lb.String()
}

func TestImportDraftManifest(t *testing.T) {
	_, draft, sum, _ := runImport(t)
	recs := readCSV(t, filepath.Join(draft, ManifestName))
	if got := strings.Join(recs[0], ","); got != "patient_id,response,split,cine,bmode,lesion_mask,liver_mask,frame_rate,injection_offset_s,cine_region" {
		t.Fatalf("header %s", got)
	}
	// P001 is B (earliest study), P002 A, P003 C (no Patient ID), P004 D (CT only).
	want := [][]string{
		{"P001", "", "", "../export/DICOM/0002/0001/IM00002", "../export/DICOM/0002/0001/IM00003", "", "", "20", "", ""},
		{"P002", "", "", "../export/DICOM/0001/0001/IM00002", "../export/DICOM/0001/0001/IM00009", "", "", "16", "15.5", ""},
		{"P003", "", "", "../export/DICOM/0003/0001/IM00001", "", "", "", "12", "", ""},
		{"P004", "", "", "", "", "", "", "", "", ""},
	}
	if len(recs)-1 != len(want) {
		t.Fatalf("%d rows, want %d:\n%v", len(recs)-1, len(want), recs)
	}
	for i, w := range want {
		if got := strings.Join(recs[i+1], ","); got != strings.Join(w, ",") {
			t.Errorf("row %d:\n got %s\nwant %s", i+1, got, strings.Join(w, ","))
		}
	}
	if sum.Patients != 4 || sum.WithCine != 3 || sum.WithStill != 2 || sum.WithOffset != 1 || sum.WithFrameRate != 3 {
		t.Errorf("summary %+v", sum)
	}
	// 14 regular files: 11 DICOM (the truncated one unreadable), 4 junk; the FIFO and the
	// linked folder skipped.
	if sum.DICOM != 11 || sum.NonDICOM != 4 || sum.Unreadable != 1 || sum.LinkedDirs != 1 || sum.Files != 16 {
		t.Errorf("counts %+v", sum)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(draft), "export", "DICOM", "PIPE")); err == nil && sum.NonRegular != 1 {
		t.Errorf("FIFO not counted: %+v", sum)
	}

	rep, err := os.ReadFile(filepath.Join(draft, ReportName))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"### P002", "**Several studies**: used study 1 of 2", "study 2: cines: 1 (with Contrast/Bolus Agent: 1); stills: 0", "the only one of 2 cines with Contrast/Bolus Agent",
		"injection_offset_s: 15.5 s = Contrast/Bolus Start Time (0018,1042) − Acquisition Time (0008,0032)",
		"frame_rate: 16 frames/s from Frame Time Vector (0018,1065)", "other modalities skipped: CT ×1",
		"one of 2 stills; the same size as the cine (16×12)",
		"### P001", "of the 2 cines with Contrast/Bolus Agent (0018,0010), the one with the most frames",
		"injection_offset_s: empty, the cine has no Contrast/Bolus Start Time (0018,1042)", "check that it is a B-mode image",
		"### P003", "none of Contrast/Bolus Agent"[:0] + "it has no Contrast/Bolus Agent", "**Missing: B-mode still**",
		"### P004", "**Missing: no ultrasound image**",
		"| non-DICOM files skipped | 4 |", "Keep it apart from the data",
		"(path withheld)",
	} {
		if !strings.Contains(string(rep), s) {
			t.Errorf("report lacks %q", s)
		}
	}
	if t.Failed() {
		t.Log(string(rep))
	}

	// The id map: the only file with the IDs, owner-only.
	st, err := os.Stat(filepath.Join(draft, IDMapName))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("id_map.csv mode %v, want 0600", st.Mode().Perm())
	}
	m := readCSV(t, filepath.Join(draft, IDMapName))
	wantMap := "pseudonym,patient_id,study_instance_uid|P001,ZQ-40017,1.2.826.0.1.2.1|P002,HX-88231,1.2.826.0.1.1.1|P003,,1.2.826.0.1.3.1|P004,MRN0099812,1.2.826.0.1.4.1"
	var got []string
	for _, r := range m {
		got = append(got, strings.Join(r, ","))
	}
	if strings.Join(got, "|") != wantMap {
		t.Errorf("id map\n got %s\nwant %s", strings.Join(got, "|"), wantMap)
	}
	es, _ := os.ReadDir(draft)
	if len(es) != 3 {
		t.Errorf("draft holds %d entries, want the 3 files (no lock or temporary left)", len(es))
	}
}

// TestImportPrivacy scans every byte of every file written to the draft but the id
// map, and the log, for every patient's ID, name parts and birth date.
func TestImportPrivacy(t *testing.T) {
	_, draft, _, log := runImport(t)
	texts := map[string]string{"log": log}
	filepath.WalkDir(draft, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if d.IsDir() || d.Name() == IDMapName {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		texts[path] = string(b)
		return nil
	})
	if len(texts) != 3 {
		t.Fatalf("scanned %d texts, want the log, cohort.csv and import_report.md", len(texts))
	}
	idmap, _ := os.ReadFile(filepath.Join(draft, IDMapName))
	for _, p := range everyone {
		for _, s := range p.identifiers() {
			for name, text := range texts {
				if strings.Contains(strings.ToLower(text), strings.ToLower(s)) {
					t.Errorf("%s holds the identifier %q", name, s)
				}
			}
		}
		if p.id != "" && !strings.Contains(string(idmap), p.id) {
			t.Errorf("id_map.csv lacks %s", p.id)
		}
	}
}

// TestImportDraftPassesCohortOnceFilled fills what the user must (response, split, a
// lesion mask; a still for P003; drops P004, which has no ultrasound) and checks the
// draft with the same reader and file checks as `ceusrad cohort`.
func TestImportDraftPassesCohortOnceFilled(t *testing.T) {
	_, draft, _, _ := runImport(t)
	manifest := filepath.Join(draft, ManifestName)
	// As drafted, the checker names exactly the cells left to fill.
	_, err := cohort.ReadFile(manifest, filecheck.Options())
	probs, ok := err.(cohort.Problems)
	if !ok {
		t.Fatalf("draft as written: %v, want Problems", err)
	}
	need := map[string]int{}
	for _, p := range probs {
		need[p.Column]++
	}
	if need[cohort.ColResponse] != 4 || need[cohort.ColSplit] != 4 || need[cohort.ColLesionMask] != 4 || need[cohort.ColBMode] != 2 || need[cohort.ColCine] != 1 {
		t.Errorf("problems of the bare draft by column %v:\n%v", need, probs)
	}

	mask := image.NewGray(image.Rect(0, 0, 16, 12))
	for y := 4; y < 8; y++ {
		for x := 5; x < 10; x++ {
			mask.Pix[y*16+x] = 255
		}
	}
	if err := imaging.WritePNG(filepath.Join(draft, "mask.png"), mask); err != nil {
		t.Fatal(err)
	}
	if err := imaging.WritePNG(filepath.Join(draft, "p003_bmode.png"), image.NewGray(image.Rect(0, 0, 16, 12))); err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, manifest)
	var out [][]string
	for i, r := range recs {
		if i == 0 {
			out = append(out, r)
			continue
		}
		if r[0] == "P004" {
			continue
		}
		r[1], r[2], r[5] = []string{"OR", "NR"}[i%2], []string{"train", "validation"}[i%2], "mask.png"
		if r[0] == "P003" {
			r[4] = "p003_bmode.png"
		}
		out = append(out, r)
	}
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.WriteAll(out)
	if err := os.WriteFile(manifest, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := cohort.ReadFile(manifest, filecheck.Options())
	if err != nil {
		t.Fatalf("filled draft refused: %v", err)
	}
	if len(c.Patients) != 3 || c.Patients[1].FrameRate != 16 || c.Patients[1].InjectionOffset != 15.5 {
		t.Errorf("patients %+v", c.Patients)
	}
}
