package study

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// The frozen coding gives ClinicalMatrix's matrix bit for bit on the
// training cohort, and refuses a level or a value training did not have.
func TestClinicalCodingMatchesMatrix(t *testing.T) {
	c := clinicalCohort(t, 30)
	cols := []string{"age", "sex", "afp", "tumor_size_cm", "bclc"}
	want, wantNames, err := ClinicalMatrix(c, cols)
	if err != nil {
		t.Fatal(err)
	}
	cc, err := ClinicalCodingOf(c, cols)
	if err != nil {
		t.Fatal(err)
	}
	if err := cc.check(); err != nil {
		t.Fatal(err)
	}
	X, names, err := ApplyClinicalCoding(c, cc)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(names, ",") != strings.Join(wantNames, ",") {
		t.Fatalf("names %v, want %v", names, wantNames)
	}
	for i := range X {
		for j := range X[i] {
			if math.Float64bits(X[i][j]) != math.Float64bits(want[i][j]) {
				t.Fatalf("X[%d][%d] = %v, ClinicalMatrix %v", i, j, X[i][j], want[i][j])
			}
		}
	}
	// A new cohort with only bclc A keeps both dummy columns (zeros).
	one := *c
	one.Patients = pick(c.Patients, []int{0, 3, 6})
	X1, _, err := ApplyClinicalCoding(&one, cc)
	if err != nil || len(X1[0]) != len(names) {
		t.Fatalf("one level: %v, %d columns", err, len(X1[0]))
	}
	bad := func(col, v, want string) {
		t.Helper()
		d := *c
		d.Patients = pick(c.Patients, []int{0, 1})
		d.Patients[1].Clinical = map[string]string{}
		for k, x := range c.Patients[1].Clinical {
			d.Patients[1].Clinical[k] = x
		}
		d.Patients[1].Clinical[col] = v
		if _, _, err := ApplyClinicalCoding(&d, cc); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s = %q: err %v, want %q", col, v, err, want)
		}
	}
	bad("bclc", "D", "did not have")
	bad("age", "old", "want a number")
	bad("afp", "-3", "negative")
}

// Compare with a fixed threshold reports the metrics at that threshold and
// its source, whatever the training probabilities would choose.
func TestCompareFixedThreshold(t *testing.T) {
	valid := []float64{0.1, 0.2, 0.35, 0.4, 0.55, 0.6, 0.7, 0.8, 0.9, 0.3}
	truth := []bool{false, false, true, false, true, false, true, true, true, false}
	c, err := Compare(nil, truth, []Scores{{Name: "m", Valid: valid, Fixed: &FixedThreshold{Threshold: 0.5, Source: ThresholdInnerSplit}}},
		CompareOptions{Boot: roc.BootOptions{Replicates: 50}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := c.Models[0]
	want, err := roc.MetricsAt(valid, truth, roc.CasesHigher, 0.5, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if m.Operating.Threshold != 0.5 || m.ThresholdSource != ThresholdInnerSplit || m.ThresholdOnValidation ||
		m.Metrics.Sensitivity.Est != want.Sensitivity.Est || m.Metrics.Specificity.Est != want.Specificity.Est {
		t.Errorf("operating point %+v (%s), metrics %+v; want threshold 0.5, %+v", m.Operating, m.ThresholdSource, m.Metrics, want)
	}
}

// A later run removes the bundle files an earlier one listed and did not
// write again, and nothing outside the bundle folder.
func TestRemoveStaleBundle(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, BundleDir), 0o755)
	for _, f := range []string{"models/cnn.json", "models/rtic.json", "keep.txt"} {
		os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644)
	}
	outside := filepath.Join(t.TempDir(), "victim.json")
	os.WriteFile(outside, []byte("x"), 0o644)
	prev := []string{"models/cnn.json", "models/rtic.json", "models/../keep.txt", "other/x", "models/sub/y", "../" + filepath.Base(outside)}
	if err := removeStale(dir, prev, []string{"models/rtic.json"}); err != nil {
		t.Fatal(err)
	}
	for f, exists := range map[string]bool{"models/cnn.json": false, "models/rtic.json": true, "keep.txt": true} {
		if _, err := os.Stat(filepath.Join(dir, f)); (err == nil) != exists {
			t.Errorf("%s: exists %v, want %v", f, err == nil, exists)
		}
	}
	if _, err := os.Stat(outside); err != nil {
		t.Errorf("file outside removed: %v", err)
	}
	// A models link to another folder is not followed.
	d2, target := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(target, "cnn.json"), []byte("x"), 0o644)
	if err := os.Symlink(target, filepath.Join(d2, BundleDir)); err != nil {
		t.Skip(err)
	}
	if err := removeStale(d2, []string{"models/cnn.json"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(target, "cnn.json")); err != nil {
		t.Errorf("removed through a link: %v", err)
	}
	// The last bundle file gone, the empty folder goes too.
	if err := removeStale(dir, []string{"models/rtic.json"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, BundleDir)); err == nil {
		t.Error("empty models folder left")
	}
}

// A threshold of ±Inf (a Youden point at an end of the ROC curve) survives
// the bundle's JSON; NaN and text do not.
func TestThresholdJSON(t *testing.T) {
	for _, v := range []float64{math.Inf(1), math.Inf(-1), 0.3, 0, 1} {
		b, err := json.Marshal(Threshold(v))
		if err != nil {
			t.Fatal(err)
		}
		var got Threshold
		if err := json.Unmarshal(b, &got); err != nil || float64(got) != v || !got.valid() {
			t.Errorf("%v → %s → %v (%v)", v, b, float64(got), err)
		}
	}
	if _, err := json.Marshal(Threshold(math.NaN())); err == nil {
		t.Error("NaN threshold written")
	}
	var th Threshold
	if err := json.Unmarshal([]byte(`"Inf"`), &th); err == nil {
		t.Error(`"Inf" read`)
	}
	if Threshold(1.5).valid() || Threshold(-0.1).valid() {
		t.Error("threshold outside [0, 1] valid")
	}
}
