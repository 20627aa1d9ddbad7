package study

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
)

// TestBayesOptimalAUC: the true probabilities separate the validation
// patients perfectly and say nothing (0.5) about the training patients, so
// the validation ceiling is 1 and the cohort's is what counting pairs
// gives; paper_vs_reproduction.md reports both and says that agreement is
// by construction.
func TestBayesOptimalAUC(t *testing.T) {
	c := clinicalCohort(t, 30)
	dir := t.TempDir()
	c.Path = filepath.Join(dir, "cohort.csv")
	train, valid := cohort.SplitIndices(c.Patients)
	isValid := map[int]bool{}
	for _, i := range valid {
		isValid[i] = true
	}
	y := cohort.Responses(c.Patients)
	p := make([]float64, len(y))
	var b strings.Builder
	b.WriteString("patient_id,response,prob_or\n")
	for i, pt := range c.Patients {
		p[i] = 0.5
		if isValid[i] {
			p[i] = 0.1
			if y[i] {
				p[i] = 0.9
			}
		}
		fmt.Fprintf(&b, "%s,x,%v\n", pt.ID, p[i])
	}
	if err := os.WriteFile(filepath.Join(dir, "latent.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	// The cohort's AUC by counting case–control pairs (ties count 1/2).
	var win, pairs float64
	for i := range p {
		for j := range p {
			if y[i] && !y[j] {
				pairs++
				switch {
				case p[i] > p[j]:
					win++
				case p[i] == p[j]:
					win += 0.5
				}
			}
		}
	}
	got, err := BayesOptimalAUC(c, valid)
	if err != nil {
		t.Fatal(err)
	}
	if got.Validation != 1 || math.Abs(float64(got.Cohort)-win/pairs) > 1e-12 || got.Cohort >= 1 {
		t.Errorf("Bayes-optimal AUC %+v, want validation 1, cohort %v", got, win/pairs)
	}
	s := &Study{Cohort: c, Train: train, Valid: valid, Comparison: &Comparison{}}
	md := s.PaperVsReproduction(true)
	for _, w := range []string{"by construction", "1.000 on the 10 validation patients", fmt.Sprintf("%.3f on the whole", win/pairs)} {
		if !strings.Contains(md, w) {
			t.Errorf("paper_vs_reproduction.md lacks %q:\n%s", w, md)
		}
	}
	if r := s.Results(true); r.BayesAUC == nil || r.BayesAUC.Validation != 1 {
		t.Errorf("results.json's bayes_optimal_auc: %+v", r.BayesAUC)
	}

	// A patient missing from latent.csv.
	if err := os.WriteFile(filepath.Join(dir, "latent.csv"), []byte("patient_id,prob_or\nP0,0.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := BayesOptimalAUC(c, valid); err == nil {
		t.Error("patients missing from latent.csv: no error")
	}
	if md := s.PaperVsReproduction(true); !strings.Contains(md, "not available") {
		t.Errorf("without latent.csv's patients:\n%s", md)
	}
}
