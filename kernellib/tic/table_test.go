package tic

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/go-gota/gota/series"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/synth"
)

var (
	smallOnce   sync.Once
	smallDir    string
	smallErr    error
	smallCohort *cohort.Cohort
)

// smallCohortFile writes a 4-patient synthetic cohort (seed 1) once per
// test binary and returns its manifest path.
func smallCohortFile(t *testing.T) string {
	smallOnce.Do(func() {
		smallDir, smallErr = os.MkdirTemp("", "tic-cohort-")
		if smallErr == nil {
			_, smallErr = synth.WriteCohort(smallDir, 4, 1, synth.DefaultParams(), nil)
		}
	})
	if smallErr != nil {
		t.Fatal(smallErr)
	}
	return filepath.Join(smallDir, "cohort.csv")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if smallDir != "" {
		os.RemoveAll(smallDir)
	}
	os.Exit(code)
}

// TestCohortFeatures: one row per patient in manifest order, the same
// table with 1 and 3 workers, progress once per patient, every feature of
// the simulated patients finite (all fits accepted), and the cohort's
// injection times used as origin (the lesion's arrival 9–15 s after the
// injection, kernellib/synth "Kinetics").
func TestCohortFeatures(t *testing.T) {
	c, err := cohort.ReadFile(smallCohortFile(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	var calls []int
	df1, err := CohortFeatures(c, DefaultOptions(), 1, func(done, total int) {
		if total != 4 {
			t.Errorf("total %d", total)
		}
		calls = append(calls, done)
	})
	if err != nil {
		t.Fatal(err)
	}
	df3, err := CohortFeatures(c, DefaultOptions(), 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 4 || calls[3] != 4 {
		t.Errorf("progress calls %v", calls)
	}
	if df1.Nrow() != 4 || df1.Ncol() != 4+2*(13+18)+2*13 {
		t.Fatalf("table %d×%d", df1.Nrow(), df1.Ncol())
	}
	names := df1.Names()
	if names[0] != cohort.ColPatientID || names[1] != ColStatus || !reflect2(df1.Col(cohort.ColPatientID).Records(), []string{"P001", "P002", "P003", "P004"}) {
		t.Fatalf("columns %v", names[:3])
	}
	for _, s := range df1.Col(ColStatus).Records() {
		if s != "" {
			t.Errorf("status %q", s)
		}
	}
	if names[2] != ColTimeOrigin || names[3] != ColArrival || df1.Col(ColArrival).Type() != series.String {
		t.Fatalf("columns %v, %s of type %s", names[:4], ColArrival, df1.Col(ColArrival).Type())
	}
	for _, n := range names[4:] {
		a, b := df1.Col(n).Float(), df3.Col(n).Float()
		for i := range a {
			if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
				t.Errorf("%s[%d]: %v with 1 worker, %v with 3", n, i, a[i], b[i])
			}
			if math.IsNaN(a[i]) || math.IsInf(a[i], 0) {
				t.Errorf("%s[%d] = %v", n, i, a[i])
			}
		}
	}
	pts, err := synth.Generate(synth.DefaultParams(), 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	at, ttp := df1.Col("lesion_mf_at").Float(), df1.Col("lesion_lognormal_ttp").Float()
	arrival := df1.Col(ColArrival).Float()
	for i, pt := range pts {
		k := pt.Kinetics
		// The lesion's arrival on the cine's clock, at or a little after the
		// simulator's start of the lesion's enhancement.
		if o := df1.Col(ColTimeOrigin).Records()[i]; o != OriginInjection {
			t.Errorf("%s: time origin %q", pt.ID, o)
		}
		if start := pt.InjectionOffsetS + k.ArrivalS; !(arrival[i] >= start && arrival[i] < start+4) {
			t.Errorf("%s: arrival_s %.2f, the enhancement starts at %.2f s", pt.ID, arrival[i], start)
		}
		peak, tPeak := 0.0, 0.0
		for x := 0.0; x < 120; x += 0.01 {
			if v, _, _, _ := k.TissueCurves(x); v > peak {
				peak, tPeak = v, x
			}
		}
		if at[i] < k.ArrivalS || at[i] > k.ArrivalS+k.TumourRiseS {
			t.Errorf("%s: lesion AT %.2f s after the injection, true arrival %.2f, peak %.2f", pt.ID, at[i], k.ArrivalS, tPeak)
		}
		if math.Abs(ttp[i]-tPeak) > 2 {
			t.Errorf("%s: lesion TTP %.2f s after the injection, true %.2f", pt.ID, ttp[i], tPeak)
		}
	}
}

func reflect2(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCohortFeaturesErrors(t *testing.T) {
	c, err := cohort.ReadFile(smallCohortFile(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Patients[1].LesionMask = filepath.Join(smallDir, "masks", "missing.png")
	c.Patients[3].Cine = c.Patients[0].LesionMask // a PNG is no cine
	_, err = CohortFeatures(c, DefaultOptions(), 2, nil)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"patient P002", "missing.png", "patient P004", "P001_lesion.png"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if _, err := CohortFeatures(&cohort.Cohort{}, DefaultOptions(), 1, nil); err == nil {
		t.Error("empty cohort: no error")
	}
}

// TestAnalysePatientLesion: Options.Lesion changes the lesion ROI only —
// the identity reproduces the plain analysis bit for bit, a mask without
// its first row of pixels gives fewer lesion pixels and another lesion
// curve, the liver curve stays the same, and an emptied mask is an error
// naming the patient.
func TestAnalysePatientLesion(t *testing.T) {
	c, err := cohort.ReadFile(smallCohortFile(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := c.Patients[0]
	o := DefaultOptions()
	a0, err := AnalysePatient(p, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Lesion = func(m *imaging.Mask) *imaging.Mask { return m }
	a1, err := AnalysePatient(p, o)
	if err != nil {
		t.Fatal(err)
	}
	n0, v0, _ := a0.Features()
	n1, v1, _ := a1.Features()
	if !reflect2(n0, n1) {
		t.Fatalf("features %v vs %v", n0, n1)
	}
	for i := range v0 {
		if math.Float64bits(v0[i]) != math.Float64bits(v1[i]) {
			t.Errorf("identity: %s %v vs %v", n0[i], v0[i], v1[i])
		}
	}
	// Drop the lesion's top row.
	o.Lesion = func(m *imaging.Mask) *imaging.Mask {
		out := &imaging.Mask{Width: m.Width, Height: m.Height, Depth: m.Depth, Data: append([]bool(nil), m.Data...)}
		for i, in := range out.Data {
			if in {
				y := i / m.Width
				for x := 0; x < m.Width; x++ {
					out.Data[y*m.Width+x] = false
				}
				break
			}
		}
		return out
	}
	a2, err := AnalysePatient(p, o)
	if err != nil {
		t.Fatal(err)
	}
	if a2.Curves.Pixels[0] >= a0.Curves.Pixels[0] || a2.Curves.Pixels[1] != a0.Curves.Pixels[1] {
		t.Errorf("pixels %v, unchanged %v", a2.Curves.Pixels, a0.Curves.Pixels)
	}
	if reflect.DeepEqual(a2.Curves.Mean[0], a0.Curves.Mean[0]) || !reflect.DeepEqual(a2.Curves.Mean[1], a0.Curves.Mean[1]) {
		t.Error("the lesion curve did not change, or the liver curve did")
	}
	o.Lesion = func(m *imaging.Mask) *imaging.Mask {
		return &imaging.Mask{Width: m.Width, Height: m.Height, Depth: m.Depth, Data: make([]bool, len(m.Data))}
	}
	if _, err := AnalysePatient(p, o); err == nil || !strings.Contains(err.Error(), "patient P001") || !strings.Contains(err.Error(), "empty") {
		t.Errorf("emptied mask: %v", err)
	}
}
