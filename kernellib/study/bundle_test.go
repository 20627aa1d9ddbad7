package study

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// bundleStudy runs a small study of every model (the CNN a tiny one) on a
// 60-patient synthetic cohort and writes it into a temporary folder; it
// returns the study and the folder.
func bundleStudy(t *testing.T) (*Study, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("trains every model of the study (about a minute)")
	}
	c := smallCohort(t, 60)
	saved := Builders
	defer func() { Builders = saved }()
	Builders = nil
	for _, b := range saved {
		if b.Name != RDLCEUSName {
			Builders = append(Builders, b)
		}
	}
	Builders = append(Builders, ModelBuilder{Name: RDLCEUSName, Build: func(c *cohort.Cohort, opt RunOptions, _ func(int, int)) (*ModelRun, error) {
		r, err := RDLCEUS(c, RDLCEUSOptions{Config: tinyCNN()})
		if err != nil {
			return nil, err
		}
		return &ModelRun{Scores: r.Scores(), Result: r, Expensive: true}, nil
	}})
	s, err := RunStudy(c, RunOptions{Splits: -1, NoROI: true, BootReplicates: 50})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := s.WriteFiles(dir, true); err != nil {
		t.Fatal(err)
	}
	return s, dir
}

// validationCohort is c restricted to its validation patients.
func validationCohort(c *cohort.Cohort, valid []int) *cohort.Cohort {
	v := *c
	v.Patients = pick(c.Patients, valid)
	return &v
}

// TestBundleReproducesValidation applies the bundle a study wrote to the
// study's own validation patients: every model, the CNN included, gives
// bit for bit the study's validation probabilities, and the external
// comparison at the bundle's thresholds gives the study's sensitivity and
// specificity.
func TestBundleReproducesValidation(t *testing.T) {
	s, dir := bundleStudy(t)
	lb, err := LoadBundle(filepath.Join(dir, BundleDir))
	if err != nil {
		t.Fatal(err)
	}
	if len(lb.Manifest.Models) != 4 || lb.CNN == nil || len(lb.Pipelines) != 3 {
		t.Fatalf("bundle: %d models, CNN %v, %d pipelines", len(lb.Manifest.Models), lb.CNN != nil, len(lb.Pipelines))
	}
	ext, err := Validate(lb, validationCohort(s.Cohort, s.Valid), ValidateOptions{BootReplicates: 50, Recalibrate: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(ext.External.Excluded) != 0 {
		t.Fatalf("excluded %v", ext.External.Excluded)
	}
	for k, run := range s.Runs {
		got := ext.Runs[k].Scores.Valid
		want := run.Scores.Valid
		if ext.Runs[k].Scores.Name != run.Scores.Name || len(got) != len(want) {
			t.Fatalf("model %d: %s with %d probabilities, want %s with %d", k, ext.Runs[k].Scores.Name, len(got), run.Scores.Name, len(want))
		}
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Errorf("%s: patient %d: bundle gives %v, the study %v", run.Scores.Name, i, got[i], want[i])
			}
		}
		a, b := ext.Comparison.Models[k], s.Comparison.Models[k]
		if a.AUC != b.AUC || a.Operating.Threshold != b.Operating.Threshold || a.Metrics.Sensitivity.Est != b.Metrics.Sensitivity.Est ||
			a.Metrics.Specificity.Est != b.Metrics.Specificity.Est || a.ThresholdSource != b.ThresholdSource {
			t.Errorf("%s: external AUC %v at %v (%s) sens %v spec %v; study %v at %v (%s) sens %v spec %v", a.Name, a.AUC, a.Operating.Threshold, a.ThresholdSource,
				a.Metrics.Sensitivity.Est, a.Metrics.Specificity.Est, b.AUC, b.Operating.Threshold, b.ThresholdSource, b.Metrics.Sensitivity.Est, b.Metrics.Specificity.Est)
		}
	}
	// The frozen models' Hosmer–Lemeshow tests have G degrees of freedom,
	// the recalibrated ones' G − 2 (fitted on these patients).
	for k, a := range ext.Comparison.Models {
		if hl := a.HL; hl.Sample != roc.ValidationSample || hl.DF != len(hl.Groups) {
			t.Errorf("%s frozen: HL %v sample with %d df over %d groups, want validation with G", a.Name, hl.Sample, hl.DF, len(hl.Groups))
		}
		if k < len(ext.External.Recalibrated.Models) {
			r := ext.External.Recalibrated.Models[k]
			if hl := r.HL; hl.Sample != roc.FittedSample || hl.DF != len(hl.Groups)-2 {
				t.Errorf("%s recalibrated: HL %v sample with %d df over %d groups, want fitted with G − 2", r.Name, hl.Sample, hl.DF, len(hl.Groups))
			}
		}
	}
	// results.json of the study names the bundle; the files list it.
	var res Results
	b, _ := os.ReadFile(filepath.Join(dir, "results.json"))
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if res.Bundle == nil || res.Bundle.Path != "models/bundle.json" || res.Bundle.SHA256 != lb.SHA256 {
		t.Errorf("results.json bundle %+v, want models/bundle.json with %s", res.Bundle, lb.SHA256)
	}
	for _, f := range []string{"models/bundle.json", "models/clinical.json", "models/rtic.json", "models/rbmode.json", "models/cnn.json"} {
		if !slices.Contains(res.Files, f) {
			t.Errorf("results.json files lack %s", f)
		}
	}
	// The external results: same schema, external, the bundle's hashes.
	out := filepath.Join(t.TempDir(), "ext")
	if _, err := ext.WriteFiles(out, true); err != nil {
		t.Fatal(err)
	}
	var er map[string]any
	b, _ = os.ReadFile(filepath.Join(out, "results.json"))
	if err := json.Unmarshal(b, &er); err != nil {
		t.Fatal(err)
	}
	if er["external"] != true || er["bundle"].(map[string]any)["sha256"] != lb.SHA256 ||
		er["bundle"].(map[string]any)["cohort_sha256"] != s.Provenance.CohortSHA256 {
		t.Errorf("external results.json: external %v bundle %v", er["external"], er["bundle"])
	}
	ev := er["external_validation"].(map[string]any)
	if rc := ev["recalibration"].([]any); len(rc) != 4 {
		t.Errorf("recalibration of %d models", len(rc))
	}
	for _, f := range []string{"external_auc.csv", "external_recalibrated_auc.csv", "external_recalibration.md"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "paper_vs_reproduction.md")); err == nil {
		t.Error("external validation wrote paper_vs_reproduction.md")
	}
	// Scored among every patient of the cohort (other batches for the CNN,
	// other rows beside them), the validation patients keep their bits.
	t.Run("whole cohort", func(t *testing.T) {
		cs, err := lb.ScoreCohort(s.Cohort, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, run := range s.Runs {
			for i, j := range s.Valid {
				if got, want := cs.Prob[k][j], run.Scores.Valid[i]; math.Float64bits(got) != math.Float64bits(want) {
					t.Errorf("%s: patient %s: %v among the whole cohort, %v in the study", run.Scores.Name, s.Cohort.Patients[j].ID, got, want)
				}
			}
		}
	})
	t.Run("tampered", func(t *testing.T) { checkTampered(t, dir) })
	t.Run("short cine", func(t *testing.T) { checkShortCine(t, lb, s) })
	t.Run("missing column", func(t *testing.T) { checkMissingColumn(t, lb, s) })
}

// copyBundle copies the bundle folder of dir into a new folder.
func copyBundle(t *testing.T, dir string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "models")
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	es, _ := os.ReadDir(filepath.Join(dir, BundleDir))
	for _, e := range es {
		b, err := os.ReadFile(filepath.Join(dir, BundleDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return to
}

// editManifest rewrites bundle.json of the folder d through f.
func editManifest(t *testing.T, d string, f func(m map[string]any)) {
	t.Helper()
	p := filepath.Join(d, BundleManifest)
	b, _ := os.ReadFile(p)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	b, _ = json.Marshal(m)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func checkTampered(t *testing.T, dir string) {
	cases := []struct {
		name, want string
		edit       func(d string)
	}{
		{"model file changed", "rtic.json has SHA-256", func(d string) {
			p := filepath.Join(d, "rtic.json")
			b, _ := os.ReadFile(p)
			b[len(b)/2] ^= 1
			os.WriteFile(p, b, 0o644)
		}},
		{"model file grown", "rbmode.json is", func(d string) {
			p := filepath.Join(d, "rbmode.json")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, append(b, ' '), 0o644)
		}},
		{"foreign format", "not a ceusrad model bundle", func(d string) {
			editManifest(t, d, func(m map[string]any) { m["format"] = "ceusrad-study-results" })
		}},
		{"future version", "version 2", func(d string) {
			editManifest(t, d, func(m map[string]any) { m["version"] = 2 })
		}},
		{"name leaving the folder", "not a plain file name", func(d string) {
			editManifest(t, d, func(m map[string]any) {
				m["files"].([]any)[0].(map[string]any)["name"] = "../clinical.json"
			})
		}},
		{"too many files", "at most 16", func(d string) {
			editManifest(t, d, func(m map[string]any) {
				fs := m["files"].([]any)
				for len(fs) <= MaxBundleFiles {
					fs = append(fs, fs[0])
				}
				m["files"] = fs
			})
		}},
		{"oversized file", "more than the limit", func(d string) {
			editManifest(t, d, func(m map[string]any) {
				for _, f := range m["files"].([]any) {
					if f.(map[string]any)["name"] == "clinical.json" {
						f.(map[string]any)["size"] = 1 << 40
					}
				}
			})
		}},
		{"unknown member", "unknown field", func(d string) {
			editManifest(t, d, func(m map[string]any) { m["extra"] = 1 })
		}},
		{"file of another bundle", "clinical.json has SHA-256", func(d string) {
			// a clinical model of the same size but other content
			p := filepath.Join(d, "clinical.json")
			b, _ := os.ReadFile(p)
			i := strings.LastIndex(string(b), "1")
			if i < 0 {
				t.Fatal("no digit to change")
			}
			b[i] = '2'
			os.WriteFile(p, b, 0o644)
		}},
	}
	for _, cc := range cases {
		d := copyBundle(t, dir)
		cc.edit(d)
		_, err := LoadBundle(d)
		if err == nil || !strings.Contains(err.Error(), cc.want) {
			t.Errorf("%s: err = %v, want %q", cc.name, err, cc.want)
		}
		if err != nil && !errors.Is(err, ErrBundle) {
			t.Errorf("%s: %v does not wrap ErrBundle", cc.name, err)
		}
	}
}

// checkMissingColumn drops AFP from the cohort: the clinical model is
// refused naming the model and the column; the other models still run
// when asked for by name.
func checkMissingColumn(t *testing.T, lb *LoadedBundle, s *Study) {
	c := validationCohort(s.Cohort, s.Valid)
	c.Clinical = slices.DeleteFunc(slices.Clone(c.Clinical), func(n string) bool { return n == "afp" })
	_, err := lb.ScoreCohort(c, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "model Clinical") || !strings.Contains(err.Error(), `"afp"`) {
		t.Errorf("missing afp: %v", err)
	}
	cs, err := lb.ScoreCohort(c, []string{RTICName}, nil)
	if err != nil || len(cs.Prob) != 1 {
		t.Errorf("R-TIC alone: %v", err)
	}
}

// checkShortCine moves one patient's injection past the end of its cine:
// the CNN cannot sample it, the patient is reported and left out of every
// model's comparison, and the others are still scored.
func checkShortCine(t *testing.T, lb *LoadedBundle, s *Study) {
	c := validationCohort(s.Cohort, s.Valid)
	c.Patients[0].InjectionOffset = 1e4
	ext, err := Validate(lb, c, ValidateOptions{Models: []string{ClinicalName, RDLCEUSName}, BootReplicates: 50})
	if err != nil {
		t.Fatal(err)
	}
	e := ext.External
	if len(e.Excluded) != 1 || e.Excluded[0].Patient != c.Patients[0].ID || e.Excluded[0].Model != RDLCEUSName ||
		!strings.Contains(e.Excluded[0].Reason, "no frame within 1 s") {
		t.Fatalf("excluded %+v", e.Excluded)
	}
	if len(ext.Valid) != len(c.Patients)-1 || ext.Valid[0] != 1 || len(ext.Runs[0].Scores.Valid) != len(c.Patients)-1 {
		t.Errorf("scored patients %v", ext.Valid)
	}
	if r := e.result(); r.NScored != len(c.Patients)-1 || r.NPatients != len(c.Patients) {
		t.Errorf("results: %d of %d scored", r.NScored, r.NPatients)
	}
}
