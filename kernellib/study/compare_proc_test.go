package study

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// procCompareCase is one case of kernellib/roc/testdata/proc_core_cases.json
// (pROC 1.18.0: auc, ci.auc(method = "delong"), roc.test(method =
// "delong", paired = TRUE) and p.adjust(method = "holm" / "bonferroni")
// over the three pairs), the fields Compare reports.
type procCompareCase struct {
	Name      string
	Direction string
	Truth     []int
	Scores    [][]float64
	Models    []struct {
		AUC  float64
		CI95 [2]float64 `json:"ci95"`
		P05  float64    `json:"p05"`
	}
	Paired []struct {
		A, B int
		Diff float64
		Z, P float64
		CI95 [2]float64 `json:"ci95"`
	}
	PHolm       []float64 `json:"p_holm"`
	PBonferroni []float64 `json:"p_bonferroni"`
}

// TestCompareAgainstPROC runs Compare on pROC's three-model cases, the
// scores mapped affinely onto [0.01, 0.99] (which leaves every rank, and so
// the AUCs and DeLong's test, unchanged), and checks the
// AUCs, DeLong CIs, paired differences, z, p and their Holm and
// Bonferroni adjustment over the three pairs against pROC and R's
// p.adjust: a CI or an adjustment computed on the wrong data, level or
// number of pairs fails.
func TestCompareAgainstPROC(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "roc", "testdata", "proc_core_cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx struct{ Cases []procCompareCase }
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	const tol = 1e-9
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s = %.12g, pROC %.12g", name, got, want)
		}
	}
	ran := 0
	for _, c := range fx.Cases {
		if c.Direction != "<" || len(c.Scores) != 3 {
			continue
		}
		ran++
		y := make([]bool, len(c.Truth))
		for i, v := range c.Truth {
			y[i] = v == 1
		}
		names := []string{"m0", "m1", "m2"}
		var models []Scores
		for k, s := range c.Scores {
			lo, hi := s[0], s[0]
			for _, v := range s {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
			p := make([]float64, len(s))
			for i, v := range s {
				p[i] = 0.01 + 0.98*(v-lo)/(hi-lo)
			}
			models = append(models, Scores{Name: names[k], Valid: p})
		}
		cmp, err := Compare(nil, y, models, CompareOptions{Boot: roc.BootOptions{Replicates: 50, Seed: 1}}, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		for k, m := range cmp.Models {
			near(c.Name+" "+m.Name+" AUC", m.AUC, c.Models[k].AUC)
			near(c.Name+" "+m.Name+" DeLong CI lower", m.CIDeLong[0], c.Models[k].CI95[0])
			near(c.Name+" "+m.Name+" DeLong CI upper", m.CIDeLong[1], c.Models[k].CI95[1])
			near(c.Name+" "+m.Name+" p vs 0.5", m.VsHalf.P, c.Models[k].P05)
		}
		if len(cmp.Pairs) != 3 {
			t.Fatalf("%s: %d pairs", c.Name, len(cmp.Pairs))
		}
		for i, w := range c.Paired {
			p := cmp.Pairs[i]
			if p.A != names[w.A] || p.B != names[w.B] {
				t.Fatalf("%s pair %d is %s vs %s, pROC's %d vs %d", c.Name, i, p.A, p.B, w.A, w.B)
			}
			pn := c.Name + " " + p.A + " vs " + p.B
			near(pn+" diff", p.DeLong.Diff, w.Diff)
			near(pn+" z", p.DeLong.Z, w.Z)
			near(pn+" p", p.DeLong.P, w.P)
			near(pn+" CI lower", p.DeLong.CI[0], w.CI95[0])
			near(pn+" CI upper", p.DeLong.CI[1], w.CI95[1])
			near(pn+" Holm p", p.DeLong.PHolm, c.PHolm[i])
			near(pn+" Bonferroni p", p.DeLong.PBonferroni, c.PBonferroni[i])
		}
	}
	if ran < 3 {
		t.Fatalf("only %d three-model pROC cases", ran)
	}
}
