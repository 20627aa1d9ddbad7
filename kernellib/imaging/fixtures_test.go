package imaging

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// fixtures mirrors testdata/fixtures.json, written by testdata/make_fixtures.py.
type fixtures struct {
	Versions  map[string]string `json:"versions"`
	Fixtures  []fixture         `json:"fixtures"`
	GoWritten struct {
		Pydicom struct {
			SOPClass       string    `json:"sop_class"`
			TransferSyntax string    `json:"transfer_syntax"`
			Frames         int       `json:"frames"`
			Rows           int       `json:"rows"`
			Columns        int       `json:"columns"`
			Photometric    string    `json:"photometric"`
			FrameTime      float64   `json:"frame_time_ms"`
			FTV            []float64 `json:"frame_time_vector_ms"`
			PixelSpacing   []float64 `json:"pixel_spacing_mm"`
			DeltaX         float64   `json:"physical_delta_x_cm"`
			UnitsX         int       `json:"physical_units_x"`
			PatientID      string    `json:"patient_id"`
			Description    string    `json:"series_description"`
			PixelSHA256    string    `json:"pixel_sha256"`
		} `json:"pydicom"`
		Dcmdump struct {
			ExitCode int    `json:"exit_code"`
			Stderr   string `json:"stderr"`
		} `json:"dcmdump"`
		FileSHA256 string `json:"file_sha256"`
	} `json:"go_written"`
	GoWrittenNIfTI struct {
		Shape        []int     `json:"shape"`
		Zooms        []float64 `json:"zooms"`
		Datatype     int       `json:"datatype"`
		Units        string    `json:"units"`
		ValuesSHA256 string    `json:"values_sha256"`
	} `json:"go_written_nifti"`
}

type fixture struct {
	File           string    `json:"file"`
	Kind           string    `json:"kind"` // cine, still, mask, nifti
	Writer         string    `json:"writer"`
	TransferSyntax string    `json:"transfer_syntax"`
	Photometric    string    `json:"photometric"`
	Timing         string    `json:"timing"`
	Times          []float64 `json:"times_s"`
	PixelSpacingMM *float64  `json:"pixel_spacing_mm"`
	Regions        []struct {
		X0, Y0, X1, Y1 int
		DxCM           float64 `json:"dx_cm"`
	} `json:"regions"`
	JPEG      bool      `json:"jpeg"`
	Width     int       `json:"width"`
	Height    int       `json:"height"`
	Depth     int       `json:"depth"`
	Frames    int       `json:"frames"`
	Bits      int       `json:"bits"`
	Tolerance int       `json:"tolerance"`
	Pixels    []byte    `json:"pixels_b64"`
	Mask      []byte    `json:"mask_b64"`
	Shape     []int     `json:"shape"`
	Spacing   []float64 `json:"spacing"`
	Datatype  int       `json:"datatype"`
	Values    []byte    `json:"values_b64"`
	Endian    string    `json:"endian"`
}

func loadFixtures(t testing.TB) *fixtures {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "fixtures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx fixtures
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	if len(fx.Fixtures) == 0 {
		t.Fatal("fixtures.json lists no fixtures")
	}
	return &fx
}
