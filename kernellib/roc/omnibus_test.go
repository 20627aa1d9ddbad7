package roc

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// omnibusFixture is testdata/proc_omnibus.json (proc_omnibus.R): DeLong's
// omnibus test formed in R from pROC 1.18's auc, var and cov.
type omnibusFixture struct {
	Tool  string
	Cases []struct {
		Name   string
		Truth  []int
		Scores [][]float64
		AUC    []float64
		Cov    [][]float64
		Chi2   float64
		DF     int
		P      float64
		Z      *float64
	}
}

func loadOmnibus(t *testing.T) omnibusFixture {
	t.Helper()
	var f omnibusFixture
	readFixture(t, "proc_omnibus.json", &f)
	if !strings.Contains(f.Tool, "pROC 1.18") || len(f.Cases) < 5 {
		t.Fatalf("fixture by %q with %d cases, want pROC 1.18 and 5", f.Tool, len(f.Cases))
	}
	return f
}

// readFixture decodes the JSON file testdata/name into v.
func readFixture(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func TestOmnibusMatchesPROC(t *testing.T) {
	for _, c := range loadOmnibus(t).Cases {
		truth := make([]bool, len(c.Truth))
		for i, y := range c.Truth {
			truth[i] = y == 1
		}
		d, err := NewDeLong(c.Scores, truth)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if len(c.AUC) == len(c.Scores) {
			for r := range c.AUC {
				checkClose(t, c.Name+" AUC", d.AUC[r], c.AUC[r])
				for s := range c.AUC {
					checkClose(t, c.Name+" cov", d.Cov[r][s], c.Cov[r][s])
				}
			}
		}
		o, err := d.Omnibus()
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		checkClose(t, c.Name+" chi2", o.Chi2, c.Chi2)
		checkClose(t, c.Name+" p", o.P, c.P)
		if o.DF != c.DF {
			t.Errorf("%s: df %d, R %d", c.Name, o.DF, c.DF)
		}
		if c.Z != nil {
			checkClose(t, c.Name+" chi2 = roc.test z²", o.Chi2, *c.Z**c.Z)
		}
		// The function form gives the same test.
		o2, err := OmnibusDeLong(c.Scores, truth, CasesHigher)
		if err != nil || o2.Chi2 != o.Chi2 || o2.DF != o.DF {
			t.Errorf("%s: OmnibusDeLong %+v, %v; Omnibus %+v", c.Name, o2, err, o)
		}
	}
}

// TestOmnibusTwoIsPaired: for k = 2 the χ² is Paired's z² and the p-values
// agree (χ²₁ survival = 2Φ(−|z|)), directions included.
func TestOmnibusTwoIsPaired(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 50; trial++ {
		n := 20 + rng.IntN(200)
		truth := make([]bool, n)
		a, b := make([]float64, n), make([]float64, n)
		for i := range truth {
			truth[i] = i%3 == 0 || rng.Float64() < 0.3
			z := rng.NormFloat64()
			c := 0.0
			if truth[i] {
				c = 1
			}
			a[i] = math.Round((z+0.8*c)*8) / 8
			b[i] = math.Round((0.5*z+rng.NormFloat64()+0.3*c)*8) / 8
		}
		dirs := []Direction{CasesHigher, Direction(trial % 2)}
		d, err := NewDeLong([][]float64{a, b}, truth, dirs...)
		if err != nil {
			t.Fatal(err)
		}
		pt, err := d.Paired(0, 1, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		o, err := d.Omnibus()
		if err != nil {
			t.Fatal(err)
		}
		if o.DF != 1 || math.Abs(o.Chi2-pt.Z*pt.Z) > 1e-12*pt.Z*pt.Z || math.Abs(o.P-pt.P) > 1e-10*pt.P+1e-15 {
			t.Errorf("trial %d: χ² %v df %d p %v; paired z² %v p %v", trial, o.Chi2, o.DF, o.P, pt.Z*pt.Z, pt.P)
		}
		if o.Estimate[0] != pt.Diff {
			t.Errorf("trial %d: estimate %v, paired diff %v", trial, o.Estimate[0], pt.Diff)
		}
	}
}

// TestOmnibusContrastInvariant: any full-rank contrast matrix with the
// same null space (θ₁ = … = θₖ) gives the same χ²: the successive
// differences, the differences from the last AUC, and Helmert contrasts.
func TestOmnibusContrastInvariant(t *testing.T) {
	c := loadOmnibus(t).Cases[3] // sim_k5
	truth := make([]bool, len(c.Truth))
	for i, y := range c.Truth {
		truth[i] = y == 1
	}
	d, err := NewDeLong(c.Scores, truth)
	if err != nil {
		t.Fatal(err)
	}
	k := len(c.Scores)
	last := make([][]float64, k-1)
	helmert := make([][]float64, k-1)
	for i := range last {
		last[i] = make([]float64, k)
		last[i][i], last[i][k-1] = 1, -1
		helmert[i] = make([]float64, k)
		for j := 0; j <= i; j++ {
			helmert[i][j] = 1
		}
		helmert[i][i+1] = -float64(i + 1)
	}
	o, err := d.Omnibus()
	if err != nil {
		t.Fatal(err)
	}
	for name, L := range map[string][][]float64{"vs last": last, "Helmert": helmert} {
		ct, err := d.Contrast(L)
		if err != nil {
			t.Fatal(err)
		}
		if ct.DF != o.DF || math.Abs(ct.Chi2-o.Chi2) > 1e-10*o.Chi2 {
			t.Errorf("%s: χ² %v df %d, successive differences %v df %d", name, ct.Chi2, ct.DF, o.Chi2, o.DF)
		}
	}
	// One contrast alone is the paired test of those two scores.
	ct, err := d.Contrast([][]float64{{0, 1, 0, -1, 0}})
	if err != nil {
		t.Fatal(err)
	}
	pt, _ := d.Paired(1, 3, 0.95)
	if math.Abs(ct.Chi2-pt.Z*pt.Z) > 1e-12*ct.Chi2 {
		t.Errorf("contrast θ₂ − θ₄: χ² %v, paired z² %v", ct.Chi2, pt.Z*pt.Z)
	}
}

// TestOmnibusSingular: a score given twice makes L S Lᵀ singular; the
// pseudo-inverse test equals the test of the distinct scores, with their
// degrees of freedom.
func TestOmnibusSingular(t *testing.T) {
	c := loadOmnibus(t).Cases[3] // sim_k5
	truth := make([]bool, len(c.Truth))
	for i, y := range c.Truth {
		truth[i] = y == 1
	}
	s := c.Scores
	for _, tc := range []struct {
		name       string
		with, just [][]float64
	}{
		{"middle", [][]float64{s[0], s[1], s[1], s[3]}, [][]float64{s[0], s[1], s[3]}},
		{"ends", [][]float64{s[2], s[0], s[4], s[2]}, [][]float64{s[2], s[0], s[4]}},
		{"three times", [][]float64{s[1], s[1], s[4], s[1]}, [][]float64{s[1], s[4]}},
	} {
		o, err := OmnibusDeLong(tc.with, truth)
		if err != nil {
			t.Fatal(err)
		}
		want, err := OmnibusDeLong(tc.just, truth)
		if err != nil {
			t.Fatal(err)
		}
		if o.DF != want.DF || math.Abs(o.Chi2-want.Chi2) > 1e-9*want.Chi2 || math.Abs(o.P-want.P) > 1e-9*want.P {
			t.Errorf("%s: χ² %v df %d p %v, distinct scores %v df %d p %v", tc.name, o.Chi2, o.DF, o.P, want.Chi2, want.DF, want.P)
		}
	}
	// Identical scores only: nothing varies, χ² = 0, df = 0, p = 1 (as
	// Paired gives z = 0, p = 1).
	o, err := OmnibusDeLong([][]float64{s[0], s[0], s[0]}, truth)
	if err != nil || o.Chi2 != 0 || o.DF != 0 || o.P != 1 {
		t.Errorf("identical scores: %+v, %v", o, err)
	}
	// Perfect and reversed-perfect scores: AUCs 1 and 0 with no variance
	// at all: χ² = +Inf, p = 0.
	perfect := make([]float64, len(truth))
	reversed := make([]float64, len(truth))
	for i, y := range truth {
		if y {
			perfect[i], reversed[i] = 1, -1
		}
	}
	o, err = OmnibusDeLong([][]float64{perfect, reversed, perfect}, truth)
	if err != nil || !math.IsInf(o.Chi2, 1) || o.P != 0 {
		t.Errorf("perfect vs reversed: %+v, %v", o, err)
	}
}

func TestOmnibusBadInput(t *testing.T) {
	truth := []bool{true, false, true, false, true, false}
	x := []float64{3, 1, 2, 2, 5, 0}
	if _, err := OmnibusDeLong([][]float64{x}, truth); !errors.Is(err, ErrParameter) || !strings.Contains(err.Error(), "k ≥ 2") {
		t.Errorf("k = 1: %v", err)
	}
	d, err := NewDeLong([][]float64{x}, truth)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Omnibus(); !errors.Is(err, ErrParameter) {
		t.Errorf("k = 1 method: %v", err)
	}
	d, err = NewDeLong([][]float64{x, x, x}, truth)
	if err != nil {
		t.Fatal(err)
	}
	for name, L := range map[string][][]float64{
		"no rows":        nil,
		"short row":      {{1, -1}},
		"not a contrast": {{1, 1, 0}},
		"zero row":       {{0, 0, 0}},
		"NaN":            {{math.NaN(), 1, -1}},
	} {
		if _, err := d.Contrast(L); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := OmnibusDeLong([][]float64{x, x[:5]}, truth); !errors.Is(err, ErrLength) {
		t.Errorf("short score: %v", err)
	}
}
