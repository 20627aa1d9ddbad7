package study

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// simulated returns outcomes and three models' probabilities of decreasing
// quality for n patients: logistic scores with signal strengths 3, 1.5, 0.
func simulated(n int, seed uint64) ([]bool, [3][]float64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	y := make([]bool, n)
	var p [3][]float64
	strength := []float64{3, 1.5, 0}
	for k := range p {
		p[k] = make([]float64, n)
	}
	for i := range y {
		y[i] = rng.Float64() < 0.6
		s := -1.0
		if y[i] {
			s = 1
		}
		for k := range p {
			z := strength[k]*s/2 + rng.NormFloat64()
			p[k][i] = 1 / (1 + math.Exp(-z))
		}
	}
	return y, p
}

func TestCompare(t *testing.T) {
	trainY, trainP := simulated(89, 1)
	validY, validP := simulated(41, 2)
	names := []string{"strong", "medium", "none"}
	var models []Scores
	for k, n := range names {
		m := Scores{Name: n, Valid: validP[k]}
		if k < 2 {
			m.Train = trainP[k]
		}
		models = append(models, m)
	}
	calls := 0
	c, err := Compare(trainY, validY, models, CompareOptions{Boot: roc.BootOptions{Replicates: 300, Seed: 3}},
		func(done, total int) {
			calls++
			if total != 6 {
				t.Errorf("progress total %d, want 3 models + 3 pairs", total)
			}
		})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 6 || len(c.Models) != 3 || len(c.Pairs) != 3 {
		t.Fatalf("%d progress calls, %d models, %d pairs", calls, len(c.Models), len(c.Pairs))
	}
	for k, m := range c.Models {
		want, _ := roc.AUC(validP[k], validY, roc.CasesHigher)
		if math.Abs(m.AUC-want) > 1e-12 || m.Boot.Estimate != m.AUC {
			t.Errorf("%s: AUC %v, bootstrap estimate %v, want %v", m.Name, m.AUC, m.Boot.Estimate, want)
		}
		if len(m.DCA) != 91 || len(m.Bins) != 5 || len(m.Band.Lower) != 41 {
			t.Errorf("%s: %d DCA rows, %d bins, %d band points", m.Name, len(m.DCA), len(m.Bins), len(m.Band.Lower))
		}
		if m.ThresholdOnValidation != (k == 2) {
			t.Errorf("%s: ThresholdOnValidation %v", m.Name, m.ThresholdOnValidation)
		}
	}
	if !(c.Models[0].AUC > c.Models[2].AUC) {
		t.Errorf("strong model AUC %v not above the uninformative one's %v", c.Models[0].AUC, c.Models[2].AUC)
	}
	// The DeLong CIs, paired tests and their Holm and Bonferroni
	// adjustment are checked against pROC in TestCompareAgainstPROC.
	if got := c.AUCTable().Nrow(); got != 3 {
		t.Errorf("AUC table has %d rows", got)
	}
	op := c.OperatingTable().Records()
	if !strings.Contains(op[3][2], "validation") || !strings.Contains(op[1][2], "training") {
		t.Errorf("operating table does not say where thresholds were fixed: %v", op)
	}
	dir := t.TempDir()
	paths, err := c.WriteFiles(dir, "test_")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 4*2+4*2 {
		t.Errorf("%d files written: %v", len(paths), paths)
	}
	md, err := os.ReadFile(filepath.Join(dir, "test_pairwise.md"))
	if err != nil || !strings.Contains(string(md), "| strong | medium |") {
		t.Errorf("pairwise Markdown: %v\n%s", err, md)
	}
	// The omnibus test heads the pairwise table: the one of package roc on
	// the same scores.
	o, err := roc.OmnibusDeLong(validP[:], validY)
	if err != nil || c.Omnibus == nil || c.Omnibus.Chi2 != o.Chi2 || c.Omnibus.DF != 2 {
		t.Fatalf("omnibus %+v, roc.OmnibusDeLong %+v (%v)", c.Omnibus, o, err)
	}
	if line := c.OmnibusLine(); !strings.HasPrefix(string(md), line+"\n\n| model A |") || !strings.Contains(line, "all 3 AUCs equal") {
		t.Errorf("pairwise Markdown does not open with the omnibus line %q:\n%s", line, md)
	}
	if _, err := os.Stat(filepath.Join(dir, "test_pr_curves.png")); err != nil {
		t.Error(err)
	}
	for k, m := range c.Models {
		ap, _ := roc.AveragePrecision(validP[k], validY, roc.CasesHigher)
		d, _ := roc.NewDeLong([][]float64{validP[k]}, validY)
		half, _ := d.TestAUC(0, 0.5)
		if m.PR.AveragePrecision() != ap || m.PRBoot.Estimate != ap || m.VsHalf.P != half.P || len(m.PRBoot.Values) != 300 {
			t.Errorf("%s: AP %v (bootstrap %v), want %v; p vs 0.5 %v, want %v", m.Name, m.PR.AveragePrecision(), m.PRBoot.Estimate, ap, m.VsHalf.P, half.P)
		}
	}
	// Two models: no omnibus test (it would be the paired test again).
	c2, err := Compare(trainY, validY, models[:2], CompareOptions{Boot: roc.BootOptions{Replicates: 50}}, nil)
	if err != nil || c2.Omnibus != nil || c2.OmnibusLine() != "" {
		t.Errorf("two models: omnibus %+v, %v", c2.Omnibus, err)
	}
}

func TestCompareErrors(t *testing.T) {
	y := []bool{true, false, true, false}
	if _, err := Compare(nil, y, nil, CompareOptions{}, nil); err == nil {
		t.Error("no models: no error")
	}
	if _, err := Compare(nil, y, []Scores{{Name: "a", Valid: []float64{0.1, 0.2}}}, CompareOptions{}, nil); err == nil || !strings.Contains(err.Error(), `"a"`) {
		t.Errorf("length mismatch: %v", err)
	}
	if _, err := Compare(nil, y, []Scores{{Name: "b", Valid: []float64{0.1, 0.2, 1.2, 0.3}}}, CompareOptions{}, nil); err == nil {
		t.Error("probability 1.2: no error")
	}
}
