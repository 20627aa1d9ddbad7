package radiomics

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/synth"
)

var (
	toyOnce   sync.Once
	toyDir    string
	toyErr    error
	toyCohort *cohort.Cohort
)

// TestMain removes the small cohort that the tests share.
func TestMain(m *testing.M) {
	code := m.Run()
	if toyDir != "" {
		os.RemoveAll(toyDir)
	}
	os.Exit(code)
}

// exampleCohort writes a small synthetic cohort (8 patients, 64 × 64
// fields, short cines) once per test binary and reads its manifest.
func exampleCohort() (*cohort.Cohort, error) {
	toyOnce.Do(func() {
		toyDir, toyErr = os.MkdirTemp("", "radiomics-table")
		if toyErr != nil {
			return
		}
		p := synth.DefaultParams()
		p.Width, p.Height, p.DurationS = 64, 64, 10
		p.InjectionOffsetMinS, p.InjectionOffsetMaxS = 1, 2
		if _, toyErr = synth.WriteCohort(toyDir, 8, 5, p, nil); toyErr != nil {
			return
		}
		toyCohort, toyErr = cohort.ReadFile(filepath.Join(toyDir, "cohort.csv"), nil)
	})
	return toyCohort, toyErr
}

func smallCohort(t testing.TB) *cohort.Cohort {
	t.Helper()
	c, err := exampleCohort()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// latentSpacing reads the pixel spacing the simulator drew for each patient
// from its latent.csv, beside the manifest.
func latentSpacing(t *testing.T, dir string) map[string]float64 {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "latent.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for j, h := range recs[0] {
		if h == "pixel_spacing_mm" {
			col = j
		}
	}
	if col < 0 {
		t.Fatal("latent.csv has no pixel_spacing_mm")
	}
	out := map[string]float64{}
	for _, r := range recs[1:] {
		v, err := strconv.ParseFloat(r[col], 64)
		if err != nil {
			t.Fatal(err)
		}
		out[r[0]] = v
	}
	return out
}

func TestCohortTable(t *testing.T) {
	c := smallCohort(t)
	var calls []int
	df, err := CohortTable(c, TableOptions{Workers: 3}, func(done, total int) {
		if total != len(c.Patients) {
			t.Errorf("progress total %d", total)
		}
		calls = append(calls, done)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != len(c.Patients) || calls[len(calls)-1] != len(c.Patients) {
		t.Errorf("progress calls %v", calls)
	}
	if df.Nrow() != len(c.Patients) {
		t.Fatalf("%d rows, want %d", df.Nrow(), len(c.Patients))
	}
	ids := df.Col(cohort.ColPatientID).Records()
	spacing := latentSpacing(t, toyDir)
	for i, p := range c.Patients {
		if ids[i] != p.ID {
			t.Fatalf("row %d is %s, want %s (manifest order)", i, ids[i], p.ID)
		}
		// The reference: the same patient's image and mask extracted directly,
		// with the pixel size the simulator drew (latent.csv), which the table
		// must have read back from the cine's DICOM header.
		cs, err := PatientCase(p, TableOptions{PixelSpacingMM: spacing[p.ID]})
		if err != nil {
			t.Fatal(err)
		}
		want, err := Extract(cs.Image, cs.Mask, DefaultSettings())
		if err != nil {
			t.Fatal(err)
		}
		if df.Ncol() != len(want)+2 {
			t.Fatalf("%d columns, want patient_id, overlay_pixels and %d features", df.Ncol(), len(want))
		}
		if col := df.Col(ColOverlayPixels); col.Type() != series.Int || col.Float()[i] != 0 {
			t.Errorf("%s: %s is %v of type %s, want 0 (grey B-mode) of type int", p.ID, ColOverlayPixels, col.Float()[i], col.Type())
		}
		for _, f := range want {
			got := df.Col(f.Key()).Float()[i]
			if math.Abs(got-f.Value) > 1e-6*math.Max(1, math.Abs(f.Value)) {
				t.Errorf("%s %s: %v, direct extraction %v", p.ID, f.Key(), got, f.Value)
			}
		}
	}
	// The 2D shape features are in mm: the pixel-counting area is the
	// number of mask pixels times the pixel area.
	area := df.Col("morphology/area_pixel_counting").Float()
	for i, p := range c.Patients {
		cs, _ := PatientCase(p, TableOptions{PixelSpacingMM: 1})
		want := float64(cs.Mask.Count()) * spacing[p.ID] * spacing[p.ID]
		if math.Abs(area[i]-want) > 1e-4*want {
			t.Errorf("%s: area %v mm², want %d px × %.5f² mm² = %v", p.ID, area[i], cs.Mask.Count(), spacing[p.ID], want)
		}
	}

	// Deterministic whatever the number of workers.
	one, err := CohortTable(c, TableOptions{Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(one.Records()) != fmt.Sprint(df.Records()) {
		t.Error("the table depends on the number of workers")
	}

	// Settings and a fixed pixel size are honoured.
	s := DefaultSettings()
	s.Families = []string{FamilyMorphology, FamilyGLCM}
	fixed, err := CohortTable(c, TableOptions{Settings: &s, PixelSpacingMM: 0.5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range fixed.Names()[2:] { // after patient_id and overlay_pixels
		if !strings.HasPrefix(n, FamilyMorphology+"/") && !strings.HasPrefix(n, FamilyGLCM+"/") {
			t.Errorf("column %s outside the families asked for", n)
		}
	}
	a2 := fixed.Col("morphology/area_pixel_counting").Float()
	for i := range a2 {
		want := area[i] * 0.25 / (spacing[ids[i]] * spacing[ids[i]])
		if math.Abs(a2[i]-want) > 1e-6*want {
			t.Errorf("%s: area at 0.5 mm pixels %v, want %v", ids[i], a2[i], want)
		}
	}
}

func TestCohortTableErrors(t *testing.T) {
	c := smallCohort(t)
	bad := *c
	bad.Patients = append([]cohort.Patient(nil), c.Patients...)
	bad.Patients[1].BMode = filepath.Join(toyDir, "bmode", "nope.png")
	bad.Patients[3].LesionMask = bad.Patients[2].BMode // a grey image: a mask of everything non-zero
	bad.Patients[4].LesionMask = filepath.Join(toyDir, "masks", "missing.png")
	_, err := CohortTable(&bad, TableOptions{}, nil)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{bad.Patients[1].ID, "nope.png", bad.Patients[4].ID, "missing.png"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if _, err := CohortTable(c, TableOptions{PixelSpacingMM: -1}, nil); err == nil || !strings.Contains(err.Error(), "PixelSpacingMM") {
		t.Errorf("negative pixel size: %v", err)
	}
	if _, err := CohortTable(&cohort.Cohort{}, TableOptions{}, nil); err == nil {
		t.Error("empty cohort: no error")
	}
	// A cine without a pixel size (a folder of frames) is an error that says
	// how to give one.
	nocine := *c
	nocine.Patients = append([]cohort.Patient(nil), c.Patients[:2]...)
	frames := t.TempDir()
	img, err := os.ReadFile(c.Patients[0].BMode)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := os.WriteFile(filepath.Join(frames, fmt.Sprintf("%03d.png", i)), img, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	nocine.Patients[0].Cine, nocine.Patients[0].FrameRate = frames, 2
	if _, err := CohortTable(&nocine, TableOptions{}, nil); err == nil || !strings.Contains(err.Error(), "TableOptions.PixelSpacingMM") || !strings.Contains(err.Error(), frames) {
		t.Errorf("cine without pixel size: %v", err)
	}
	if _, err := CohortTable(&nocine, TableOptions{PixelSpacingMM: 0.7}, nil); err != nil {
		t.Errorf("cine without pixel size, PixelSpacingMM given: %v", err)
	}
}

// BenchmarkCohortTable times the feature table of the default synthetic
// cohort (`make data`; 130 patients, 128 × 128 B-mode images) on
// GOMAXPROCS workers.
func BenchmarkCohortTable(b *testing.B) {
	c, err := cohort.ReadFile("../../datasets/synthetic-tace/cohort.csv", nil)
	if err != nil {
		b.Skipf("default cohort not found (make data): %v", err)
	}
	var df dataframe.DataFrame
	for i := 0; i < b.N; i++ {
		if df, err = CohortTable(c, TableOptions{}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(df.Ncol()-1), "features")
}

// ExampleCohortTable tabulates the B-mode radiomic features of a small
// synthetic cohort, one row per patient.
func ExampleCohortTable() {
	c, err := exampleCohort()
	if err != nil {
		fmt.Println(err)
		return
	}
	df, err := CohortTable(c, TableOptions{}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(df.Nrow(), "patients;", df.Names()[0], "and", df.Names()[1], "then", df.Names()[2])
	// Output:
	// 8 patients; patient_id and overlay_pixels then morphology/area_mesh
}
