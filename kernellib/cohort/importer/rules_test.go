package importer

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/internal/dcmtest"
)

func TestTokensMatchWholeShortWordsAndAnyLongOnes(t *testing.T) {
	tok := tokens{}
	tok.add(imaging.Identity{PatientID: "AB-12345", PatientName: "LI^WEI=李^伟", BirthDate: "19700102"})
	for s, want := range map[string]bool{
		"export/LI_WEI/IM1":        true,
		"export/Liver/IM1":         false,
		"export/li wei/IM1":        true,
		"export/ab12345/x":         true,
		"export/MRN12345_US/x":     true, // the ID's digit run, anywhere (≥ 4 characters)
		"export/1970-01-02/x":      true,
		"export/02.01.1970/x":      true,
		"export/19700102/x":        true,
		"export/李伟/x":              false, // one-character parts are too short to test
		"export/1.2.840.10008/IM1": false,
		"export/wei/x":             true,
		"export/weight/x":          false,
	} {
		if got := tok.leaks(s); got != want {
			t.Errorf("leaks(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestInjectionOffset(t *testing.T) {
	for _, c := range []struct {
		start, acq, content, dt string
		want                    float64
		ok                      bool
		why                     string
	}{
		// The injection on the cine's clock: bolus start − first frame.
		{"100215.5", "100200", "", "", 15.5, true, "Acquisition Time"},
		{"100230", "", "100200", "", 30, true, "Content Time"},
		{"100230", "100000", "", "20240101100200.000000+0100", 30, true, "Acquisition DateTime"},
		{"000010", "235950", "", "", 20, true, "Acquisition Time"}, // across midnight
		{"100200", "100230", "", "", -30, true, "the injection came before the cine's first frame"},
		{"080000", "100000", "", "", 0, false, "more than an hour apart"},
		{"", "100000", "", "", 0, false, "no Contrast/Bolus Start Time"},
		{"1002xx", "100000", "", "", 0, false, "not a valid TM"},
		{"100200", "", "", "", 0, false, "to time its first frame"},
	} {
		h := imaging.Header{ContrastBolusStartTime: c.start, AcquisitionTime: c.acq, ContentTime: c.content, AcquisitionDateTime: c.dt}
		got, ok, why := injectionOffset(h)
		if ok != c.ok || math.Abs(got-c.want) > 1e-9 || !strings.Contains(why, c.why) {
			t.Errorf("%+v: got %v %v %q", c, got, ok, why)
		}
	}
}

// TestImportWithholdsIdentifyingPaths: an export whose folders are named after the
// patients gives a draft whose cine and bmode cells are empty, with the report saying
// why, and no name anywhere outside the id map.
func TestImportWithholdsIdentifyingPaths(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "export")
	p := patB
	for i, f := range []dcmtest.File{
		{SOPClassUID: dcmtest.USMultiFrame, Frames: 5, FrameTimeMS: 100, ContrastAgent: "SonoVue"},
		{SOPClassUID: dcmtest.USImage},
	} {
		path := filepath.Join(export, "QUIXWELL BARNABY 1963-04-15", []string{"cine.dcm", "still.dcm"}[i])
		os.MkdirAll(filepath.Dir(path), 0o755)
		f.Modality, f.PatientID, f.PatientName, f.BirthDate, f.StudyUID, f.Rows, f.Columns = "US", p.id, p.name, p.birth, "1.2.3", 8, 8
		if err := dcmtest.Write(path, f); err != nil {
			t.Fatal(err)
		}
	}
	draft := filepath.Join(dir, "draft")
	var log bytes.Buffer
	sum, err := Import(Options{Export: export, Draft: draft, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if sum.WithCine != 0 || sum.WithStill != 0 {
		t.Errorf("summary %+v: the identifying paths were written", sum)
	}
	man, _ := os.ReadFile(filepath.Join(draft, ManifestName))
	rep, _ := os.ReadFile(filepath.Join(draft, ReportName))
	if !strings.Contains(string(man), "P001,,,,,,,10,") {
		t.Errorf("manifest:\n%s", man)
	}
	if !strings.Contains(string(rep), "**Cine withheld**") || !strings.Contains(string(rep), "**B-mode still withheld**") {
		t.Errorf("report:\n%s", rep)
	}
	for _, s := range p.identifiers() {
		for name, text := range map[string]string{"manifest": string(man), "report": string(rep), "log": log.String()} {
			if strings.Contains(strings.ToLower(text), strings.ToLower(s)) {
				t.Errorf("%s holds %q", name, s)
			}
		}
	}
}

func TestImportRefusesUnsafeDraftFolders(t *testing.T) {
	export := writeExport(t)
	dir := filepath.Dir(export)
	full := filepath.Join(dir, "full")
	os.MkdirAll(full, 0o755)
	os.WriteFile(filepath.Join(full, "cohort.csv"), []byte("keep me"), 0o644)
	before := listing(t, export)
	for _, c := range []struct{ draft, want string }{
		{export, "inside it"},
		{filepath.Join(export, "DICOM", "draft"), "inside it"},
		{filepath.Join(export, "LINKED", "draft"), "inside it"}, // through a link into the export
		{full, "not empty"},
		{filepath.Join(export, "README.TXT"), "inside it"},
	} {
		_, err := Import(Options{Export: export, Draft: c.draft})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("draft %s: error %v, want %q", c.draft, err, c.want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(full, "cohort.csv")); string(b) != "keep me" {
		t.Error("a non-empty draft folder was overwritten")
	}
	if after := listing(t, export); after != before {
		t.Errorf("the export changed:\n%s\nto\n%s", before, after)
	}
	// A second import into a finished draft is refused too.
	draft := filepath.Join(dir, "draft")
	if _, err := Import(Options{Export: export, Draft: draft}); err != nil {
		t.Fatal(err)
	}
	if _, err := Import(Options{Export: export, Draft: draft}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("second import: %v", err)
	}
}

func listing(t *testing.T, dir string) string {
	var b strings.Builder
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil {
			b.WriteString(p + " " + fi.Mode().String() + "\n")
		}
		return nil
	})
	return b.String()
}

// TestImportPydicomDICOMDIRExport imports pydicom's DICOMDIR test export (Debian
// python3-pydicom): third-party files of three patients in folders named by Patient
// ID, seven DICOMDIR variants, CR/CT/MR images and objects without pixel data.
func TestImportPydicomDICOMDIRExport(t *testing.T) {
	export := "/usr/lib/python3/dist-packages/pydicom/data/test_files/dicomdirtests"
	if _, err := os.Stat(export); err != nil {
		t.Skipf("%v (Debian python3-pydicom not installed)", err)
	}
	draft := filepath.Join(t.TempDir(), "draft")
	var log bytes.Buffer
	sum, err := Import(Options{Export: export, Draft: draft, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Patients != 3 || sum.DICOMDIR != 7 || sum.WithCine != 0 {
		t.Errorf("summary %+v", sum)
	}
	texts := map[string]string{"log": log.String()}
	for _, n := range []string{ManifestName, ReportName} {
		b, _ := os.ReadFile(filepath.Join(draft, n))
		texts[n] = string(b)
	}
	// Every Patient ID, name part and birth date in those files, as pydicom reads them.
	for _, s := range []string{"12345678", "77654033", "98890234", "Archibald", "Citizen", "Doe", "Jan", "Peter"} {
		for n, text := range texts {
			if strings.Contains(strings.ToLower(text), strings.ToLower(s)) {
				t.Errorf("%s holds %q", n, s)
			}
		}
	}
}
