package dcmtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestWrittenFileReadsInPydicom reads a written cine with pydicom (Debian
// python3-pydicom) and compares the attributes.
func TestWrittenFileReadsInPydicom(t *testing.T) {
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	if exec.Command(py, "-c", "import pydicom").Run() != nil {
		t.Skip("pydicom not installed (Debian python3-pydicom)")
	}
	path := filepath.Join(t.TempDir(), "x.dcm")
	err := Write(path, File{SOPClassUID: USMultiFrame, Modality: "US", PatientID: "ID7", PatientName: "DOE^JO", BirthDate: "19500102",
		StudyUID: "1.2.3", SeriesUID: "1.2.3.4", StudyDate: "20200304", StudyTime: "101500", AcquisitionTime: "101630.5",
		ContrastAgent: "SonoVue", ContrastStartTime: "101600", Frames: 3, Rows: 4, Columns: 5,
		FrameTimeVectorMS: []float64{0, 66.5, 66.5}, CineRate: 15, Value: 9})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", `import sys, pydicom
d = pydicom.dcmread(sys.argv[1])
a = d.pixel_array
print(d.PatientID, d.PatientName, d.PatientBirthDate, d.StudyInstanceUID, d.Modality, d.NumberOfFrames, d.Rows, d.Columns,
      d.AcquisitionTime, d.ContrastBolusAgent, d.ContrastBolusStartTime, list(map(float, d.FrameTimeVector)), d.CineRate, a.shape, int(a.max()))`, path).CombinedOutput()
	if err != nil {
		t.Fatalf("pydicom: %v\n%s", err, out)
	}
	want := "ID7 DOE^JO 19500102 1.2.3 US 3 4 5 101630.5 SonoVue 101600 [0.0, 66.5, 66.5] 15 (3, 4, 5) 9"
	if got := strings.TrimSpace(string(out)); got != want {
		t.Errorf("pydicom reads\n%s\nwant\n%s", got, want)
	}
}
