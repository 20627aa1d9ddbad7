package study

import (
	"fmt"
	"io/fs"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
)

type fakeInfo struct{ name string }

func (f fakeInfo) Name() string       { return f.name }
func (f fakeInfo) Size() int64        { return 1 }
func (f fakeInfo) Mode() fs.FileMode  { return 0o644 }
func (f fakeInfo) ModTime() time.Time { return time.Time{} }
func (f fakeInfo) IsDir() bool        { return false }
func (f fakeInfo) Sys() any           { return nil }

// clinicalCohort reads a manifest of n patients whose response follows
// tumour size, with files that "exist" by a fake Stat.
func clinicalCohort(t *testing.T, n int) *cohort.Cohort {
	t.Helper()
	var b strings.Builder
	b.WriteString("patient_id,response,split,cine,bmode,lesion_mask,age,sex,afp,tumor_size_cm,bclc\n")
	for i := 0; i < n; i++ {
		size := 2 + float64(i%9)
		resp := "OR"
		if size+float64(i%3) > 7 {
			resp = "NR"
		}
		afp := fmt.Sprint(10 * (i % 5))
		if i == 3 {
			afp = "NA"
		}
		fmt.Fprintf(&b, "P%d,%s,%s,c%d.dcm,b%d.png,m%d.png,%d,%s,%s,%.1f,%s\n", i, resp, []string{"train", "train", "validation"}[i%3],
			i, i, i, 50+i%20, []string{"M", "F"}[i%2], afp, size, []string{"A", "B", "C"}[i%3])
	}
	c, err := cohort.Read(strings.NewReader(b.String()), "cohort.csv", "/data", &cohort.Options{
		Stat: func(p string) (fs.FileInfo, error) { return fakeInfo{p}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClinicalMatrix(t *testing.T) {
	c := clinicalCohort(t, 30)
	X, names, err := ClinicalMatrix(c, []string{"age", "sex", "afp", "tumor_size_cm", "bclc"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"age", "sex=M", "log10(afp+1)", "tumor_size_cm", "bclc=B", "bclc=C"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("names %v, want %v", names, want)
	}
	// patient 1: F, afp 10, bclc B; patient 3: afp missing.
	if X[1][1] != 0 || math.Abs(X[1][2]-math.Log10(11)) > 1e-15 || X[1][4] != 1 || X[1][5] != 0 {
		t.Errorf("row 1 = %v", X[1])
	}
	if !math.IsNaN(X[3][2]) {
		t.Errorf("missing AFP gives %v, want NaN", X[3][2])
	}
	if _, _, err := ClinicalMatrix(c, []string{"child_pugh"}); err == nil {
		t.Error("absent column: no error")
	}
}

func TestClinicalModelFitScore(t *testing.T) {
	c := clinicalCohort(t, 90)
	X, names, err := ClinicalMatrix(c, []string{"age", "sex", "afp", "tumor_size_cm", "bclc"})
	if err != nil {
		t.Fatal(err)
	}
	y := cohort.Responses(c.Patients)
	train, valid := cohort.SplitIndices(c.Patients)
	oof, vp, err := FitScore(ClinicalEstimator(names, 1), X, y, train, valid, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(oof) != len(train) || len(vp) != len(valid) {
		t.Fatalf("%d out-of-fold and %d validation probabilities", len(oof), len(vp))
	}
	// Response is driven by tumour size: the model must rank the
	// validation patients well.
	vy := pick(y, valid)
	var s []Scores
	s = append(s, Scores{Name: "clinical", Valid: vp, Train: oof})
	cmp, err := Compare(pick(y, train), vy, s, CompareOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := cmp.Models[0]
	if m.AUC < 0.8 {
		t.Errorf("clinical model AUC %v on a size-driven outcome", m.AUC)
	}
	// Separated validation outcomes: the recalibration is reported as not
	// estimable (NaN with a note), not as numbers.
	if m.AUC == 1 && (len(m.Notes) == 0 || !math.IsNaN(m.Recalibration.Slope.Est)) {
		t.Errorf("perfect separation: notes %v, slope %v", m.Notes, m.Recalibration.Slope.Est)
	}
}
