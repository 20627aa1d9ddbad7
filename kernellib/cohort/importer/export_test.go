package importer

import (
	"image"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/internal/dcmtest"
)

// person is a synthetic patient of the test export.
type person struct{ id, name, birth string }

var (
	// Ordered so that neither the IDs' nor the names' order gives the pseudonyms' order.
	patA     = person{"HX-88231", "ZORGBLATT^QUINTILIA^MARGOT", "19471102"}
	patB     = person{"ZQ-40017", "QUIXWELL^BARNABY", "19630415"}
	patC     = person{"", "FENWICKSTRAND^OLWEN", "19550909"} // no Patient ID: grouped by name and birth date
	patD     = person{"MRN0099812", "PLOVDIVA^KASIMIRA", "19800229"}
	everyone = []person{patA, patB, patC, patD}
)

// identifiers are the strings none of the draft's files but id_map.csv may hold:
// the ID (and its digit run), each name part, the birth date as DICOM DA and ISO 8601.
func (p person) identifiers() []string {
	var out []string
	if p.id != "" {
		out = append(out, p.id)
		if i := strings.IndexAny(p.id, "0123456789"); i > 0 {
			out = append(out, p.id[i:])
		}
	}
	out = append(out, strings.Split(p.name, "^")...)
	out = append(out, p.birth, p.birth[:4]+"-"+p.birth[4:6]+"-"+p.birth[6:])
	return out
}

func ftv(n int, ms float64) []float64 {
	v := make([]float64, n)
	for i := 1; i < n; i++ {
		v[i] = ms
	}
	return v
}

// writeExport builds a PACS-like export: four patients, several studies, cines with
// and without Contrast/Bolus Agent, stills of two sizes, CT images, junk files, a
// truncated DICOM file in a folder named after a patient, a FIFO, a symbolic link to
// a folder, nested folders.
func writeExport(t *testing.T) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "export")
	w := func(rel string, p person, f dcmtest.File) {
		t.Helper()
		path := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		f.PatientID, f.PatientName, f.BirthDate = p.id, p.name, p.birth
		if f.Rows == 0 {
			f.Rows, f.Columns = 12, 16
		}
		if f.Modality == "" {
			f.Modality = "US"
		}
		if f.SOPClassUID == "" {
			f.SOPClassUID = dcmtest.USImage
			if f.Frames > 1 {
				f.SOPClassUID = dcmtest.USMultiFrame
			}
		}
		f.Value = 100
		if err := dcmtest.Write(path, f); err != nil {
			t.Fatal(err)
		}
	}
	// A: two studies; the first has the contrast cine, a longer cine without agent,
	// two stills (the right size one last by path) and a CT.
	a1 := dcmtest.File{StudyUID: "1.2.826.0.1.1.1", StudyDate: "20210305", StudyTime: "095500"}
	f := a1
	f.SeriesUID, f.Frames, f.FrameTimeVectorMS, f.ContrastAgent = "1.2.826.0.1.1.1.1", 20, ftv(20, 62.5), "SonoVue"
	f.ContrastStartTime, f.AcquisitionTime = "100215.5", "100200" // injected 15.5 s into the cine
	w("DICOM/0001/0001/IM00002", patA, f)
	f = a1
	f.SeriesUID, f.Frames, f.FrameTimeMS = "1.2.826.0.1.1.1.2", 40, 100
	w("DICOM/0001/0001/IM00001", patA, f)
	f = a1
	f.SeriesUID, f.Rows, f.Columns, f.AcquisitionTime = "1.2.826.0.1.1.1.3", 10, 20, "100100"
	w("DICOM/0001/0001/IM00003", patA, f)
	f = a1
	f.SeriesUID, f.AcquisitionTime = "1.2.826.0.1.1.1.3", "100105"
	w("DICOM/0001/0001/IM00009", patA, f)
	f = a1
	f.SOPClassUID, f.Modality, f.SeriesUID = dcmtest.CTImage, "CT", "1.2.826.0.1.1.1.4"
	w("DICOM/0001/0001/a/b/c/CT0001", patA, f)
	f = dcmtest.File{StudyUID: "1.2.826.0.1.1.2", StudyDate: "20210610", SeriesUID: "1.2.826.0.1.1.2.1",
		Frames: 50, FrameTimeMS: 50, ContrastAgent: "SonoVue"}
	w("DICOM/0001/0002/IM00001", patA, f)

	// B: the earliest study of all (P001); two contrast cines, the longer chosen;
	// Frame Time only; no injection time; its only still has the agent tag.
	b1 := dcmtest.File{StudyUID: "1.2.826.0.1.2.1", StudyDate: "20201120", StudyTime: "140000", ContrastAgent: "SonoVue"}
	f = b1
	f.SeriesUID, f.Frames, f.FrameTimeMS = "1.2.826.0.1.2.1.1", 30, 50
	w("DICOM/0002/0001/IM00001", patB, f)
	f = b1
	f.SeriesUID, f.Frames, f.FrameTimeMS = "1.2.826.0.1.2.1.2", 45, 50
	w("DICOM/0002/0001/IM00002", patB, f)
	f = b1
	f.SeriesUID = "1.2.826.0.1.2.1.3"
	w("DICOM/0002/0001/IM00003", patB, f)

	// C: no Patient ID; one cine with Cine Rate and no agent; no still.
	f = dcmtest.File{StudyUID: "1.2.826.0.1.3.1", StudyDate: "20220115", SeriesUID: "1.2.826.0.1.3.1.1", Frames: 24, CineRate: 12}
	w("DICOM/0003/0001/IM00001", patC, f)

	// D: CT only.
	f = dcmtest.File{SOPClassUID: dcmtest.CTImage, Modality: "CT", StudyUID: "1.2.826.0.1.4.1", StudyDate: "20230101", SeriesUID: "1.2.826.0.1.4.1.1"}
	w("DICOM/0004/0001/CT00001", patD, f)

	// Junk: a text file, an empty file, a PNG, a truncated DICOM file in a folder named
	// after patient A, a FIFO, a symbolic link to a folder (its file must not be read twice).
	for rel, data := range map[string]string{"README.TXT": "export of 2023\n", "DICOM/EMPTY": "", "thumbs/x.png": "\x89PNG\r\n\x1a\n"} {
		path := filepath.Join(root, rel)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := imaging.WritePNG(filepath.Join(root, "thumbs", "y.png"), image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(root, "DICOM/0001/0001/IM00002")
	b, _ := os.ReadFile(src)
	broken := filepath.Join(root, "ZORGBLATT_Q", "IM_BROKEN")
	os.MkdirAll(filepath.Dir(broken), 0o755)
	if err := os.WriteFile(broken, b[:400], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(root, "DICOM", "PIPE"), 0o644); err != nil {
		t.Logf("no FIFO: %v", err)
	}
	if err := os.Symlink(filepath.Join(root, "DICOM", "0003"), filepath.Join(root, "LINKED")); err != nil {
		t.Fatal(err)
	}
	return root
}
