package roc

import (
	"errors"
	"math"
	"testing"
)

func TestPairedMatchesPROC(t *testing.T) {
	f := loadCore(t)
	n := 0
	for _, c := range f.Cases {
		d, err := NewDeLong(c.scores, c.truth, c.dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range c.Paired {
			name := c.Name + " " + string(rune('0'+p.A)) + " vs " + string(rune('0'+p.B))
			for _, lv := range []struct {
				level float64
				ci    []fnum
			}{{0.95, p.CI95}, {0.90, p.CI90}} {
				pt, err := d.Paired(p.A, p.B, lv.level)
				if err != nil {
					t.Fatal(err)
				}
				checkClose(t, name+" diff", pt.Diff, float64(p.Diff))
				checkClose(t, name+" z", pt.Z, float64(p.Z))
				checkClose(t, name+" p", pt.P, float64(p.P))
				checkClose(t, name+" CI lower", pt.CI[0], float64(lv.ci[0]))
				checkClose(t, name+" CI upper", pt.CI[1], float64(lv.ci[1]))
				if pt.AUCA != d.AUC[p.A] || pt.AUCB != d.AUC[p.B] || pt.Level != lv.level {
					t.Errorf("%s: AUCs %v %v level %v", name, pt.AUCA, pt.AUCB, pt.Level)
				}
			}
			n++
		}
		if len(c.Scores) == 2 || c.DataFile != "" && len(c.scores) == 2 {
			pt, err := PairedDeLong(c.scores[0], c.scores[1], c.truth, c.dir, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			checkClose(t, c.Name+" PairedDeLong z", pt.Z, float64(c.Paired[0].Z))
		}
	}
	if n < 15 {
		t.Errorf("only %d paired tests checked", n)
	}
}

// Two perfect scores: difference 0 with standard error 0 gives Z = 0 and
// p = 1, as pROC reports.
func TestPairedPerfect(t *testing.T) {
	c := loadCore(t).find("perfect_both")
	pt, err := PairedDeLong(c.scores[0], c.scores[1], c.truth, c.dir, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if pt.Z != 0 || pt.P != 1 || pt.SE != 0 || pt.CI != [2]float64{0, 0} {
		t.Errorf("two perfect scores: %+v", pt)
	}
	if float64(c.Paired[0].Z) != 0 || float64(c.Paired[0].P) != 1 {
		t.Errorf("pROC: z %v p %v", c.Paired[0].Z, c.Paired[0].P)
	}
}

func TestPairwiseMatchesPROC(t *testing.T) {
	f := loadCore(t)
	for _, c := range f.Cases {
		d, err := NewDeLong(c.scores, c.truth, c.dir)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := d.Pairwise(0.95)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(c.Paired) {
			t.Fatalf("%s: %d rows, want %d", c.Name, len(rows), len(c.Paired))
		}
		for i, row := range rows {
			p := c.Paired[i]
			if row.A != p.A || row.B != p.B {
				t.Errorf("%s row %d: pair (%d, %d), want (%d, %d)", c.Name, i, row.A, row.B, p.A, p.B)
			}
			checkClose(t, c.Name+" pairwise p", row.P, float64(p.P))
			checkClose(t, c.Name+" Holm p (R p.adjust)", row.PHolm, float64(c.PHolm[i]))
			checkClose(t, c.Name+" Bonferroni p (R p.adjust)", row.PBonferroni, float64(c.PBonferroni[i]))
		}
	}
	d, _ := NewDeLong(f.Cases[0].scores, f.Cases[0].truth)
	if _, err := d.Pairwise(1); !errors.Is(err, ErrParameter) {
		t.Errorf("level 1: %v", err)
	}
}

// Holm and Bonferroni on a hand-worked example: p sorted 0.01, 0.02, 0.03,
// 0.04 times 4, 3, 2, 1 gives 0.04, 0.06, 0.06, 0.06 (running maximum).
func TestHolmBonferroni(t *testing.T) {
	p := []float64{0.03, 0.01, 0.04, 0.02}
	holm := Holm(p)
	want := []float64{0.06, 0.04, 0.06, 0.06}
	for i := range p {
		if math.Abs(holm[i]-want[i]) > 1e-15 {
			t.Errorf("Holm = %v, want %v", holm, want)
			break
		}
	}
	bonf := Bonferroni([]float64{0.01, 0.3, 0.2})
	if math.Abs(bonf[0]-0.03) > 1e-15 || math.Abs(bonf[1]-0.9) > 1e-15 || math.Abs(bonf[2]-0.6) > 1e-15 {
		t.Errorf("Bonferroni = %v", bonf)
	}
	if h := Holm([]float64{0.5, 0.9}); h[0] != 1 || h[1] != 1 {
		t.Errorf("Holm capped at 1: %v", h)
	}
	if len(Holm(nil)) != 0 || len(Bonferroni(nil)) != 0 {
		t.Error("empty input")
	}
}

func TestUnpairedMatchesPROC(t *testing.T) {
	f := loadCore(t)
	if len(f.Unpaired) < 5 {
		t.Fatalf("only %d unpaired tests in the fixture", len(f.Unpaired))
	}
	for _, u := range f.Unpaired {
		a, b := f.find(u.A), f.find(u.B)
		name := u.A + " vs " + u.B
		got, err := UnpairedDeLong(a.scores[u.AI], a.truth, a.dir, b.scores[u.BI], b.truth, b.dir)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkClose(t, name+" t", got.T, float64(u.T))
		checkClose(t, name+" df", got.DF, float64(u.DF))
		checkClose(t, name+" p", got.P, float64(u.P))
		checkClose(t, name+" AUC1", got.AUC1, float64(a.Models[u.AI].AUC))
		checkClose(t, name+" var2", got.Var2, float64(b.Models[u.BI].Var))
	}
}

func TestUnpairedErrors(t *testing.T) {
	good := []float64{1, 2, 3, 4}
	tr := []bool{true, true, false, false}
	if _, err := UnpairedDeLong(good, tr, CasesHigher, good[:3], tr[:3], CasesHigher); !errors.Is(err, ErrTooFew) {
		t.Errorf("one control in sample 2: %v", err)
	}
	if _, err := UnpairedDeLong(good, tr[:3], CasesHigher, good, tr, CasesHigher); !errors.Is(err, ErrLength) {
		t.Errorf("length mismatch in sample 1: %v", err)
	}
	// Two perfect samples: no variance; equal AUCs give T = 0 and p = 1.
	u, err := UnpairedDeLong([]float64{3, 4, 1, 2}, tr, CasesHigher, []float64{5, 6, 1, 0}, tr, CasesHigher)
	if err != nil || u.T != 0 || u.P != 1 || !math.IsInf(u.DF, 1) {
		t.Errorf("two perfect samples: %+v, %v", u, err)
	}
}
