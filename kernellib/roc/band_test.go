package roc

import (
	"encoding/json"
	"math"
	"os"
	"runtime"
	"testing"
)

type bandFixture struct {
	ProcVersion   string    `json:"proc_version"`
	Outcome       []int     `json:"outcome"`
	Specificities []float64 `json:"specificities"`
	Cases         []struct {
		ScoreName   string    `json:"score_name"`
		Score       []float64 `json:"score"`
		Sensitivity []float64 `json:"sensitivity"`
		BootN       int       `json:"boot_n"`
		Lower       []float64 `json:"lower"`
		Median      []float64 `json:"median"`
		Upper       []float64 `json:"upper"`
	} `json:"cases"`
}

func loadBandFixture(t *testing.T) bandFixture {
	t.Helper()
	b, err := os.ReadFile("testdata/proc_band.json")
	if err != nil {
		t.Fatal(err)
	}
	var f bandFixture
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// SensitivityAt reproduces pROC's coords(input = "specificity") exactly.
func TestSensitivityAtMatchesPROC(t *testing.T) {
	f := loadBandFixture(t)
	truth := make([]bool, len(f.Outcome))
	for i, o := range f.Outcome {
		truth[i] = o == 1
	}
	for _, c := range f.Cases {
		curve, err := NewCurve(c.Score, truth, CasesHigher)
		if err != nil {
			t.Fatal(err)
		}
		for j, sp := range f.Specificities {
			got, err := curve.SensitivityAt(sp)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-c.Sensitivity[j]) > 1e-12 {
				t.Errorf("%s at specificity %v: %v, pROC %s says %v", c.ScoreName, sp, got, f.ProcVersion, c.Sensitivity[j])
			}
		}
	}
	curve, _ := NewCurve([]float64{1, 2}, []bool{false, true}, CasesHigher)
	if _, err := curve.SensitivityAt(1.5); err == nil {
		t.Error("specificity 1.5: no error")
	}
}

// The band agrees with pROC's ci.se (10000 replicates) within Monte-Carlo
// error. Sensitivities move in steps of 1/m (m = 41 cases) and a quantile of
// 20000 replicates can sit one step away from pROC's, so the tolerance is
// one step plus 0.01.
func TestBootstrapSensitivityBandMatchesPROC(t *testing.T) {
	f := loadBandFixture(t)
	truth := make([]bool, len(f.Outcome))
	m := 0
	for i, o := range f.Outcome {
		truth[i] = o == 1
		m += o
	}
	tol := 1/float64(m) + 0.01
	for _, c := range f.Cases {
		band, err := BootstrapSensitivityBand(c.Score, truth, CasesHigher, f.Specificities, BootOptions{Replicates: 20000, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		for j, sp := range f.Specificities {
			for _, q := range []struct {
				name      string
				got, want float64
			}{{"lower", band.Lower[j], c.Lower[j]}, {"median", band.Median[j], c.Median[j]}, {"upper", band.Upper[j], c.Upper[j]}} {
				if math.Abs(q.got-q.want) > tol {
					t.Errorf("%s at specificity %v: %s %v, pROC %v (tolerance %.3f)", c.ScoreName, sp, q.name, q.got, q.want, tol)
				}
			}
			if !(band.Lower[j] <= band.Median[j] && band.Median[j] <= band.Upper[j]) {
				t.Errorf("%s at %v: band not ordered", c.ScoreName, sp)
			}
		}
	}
}

func TestBootstrapSensitivityBandDeterministic(t *testing.T) {
	f := loadBandFixture(t)
	truth := make([]bool, len(f.Outcome))
	for i, o := range f.Outcome {
		truth[i] = o == 1
	}
	opt := BootOptions{Replicates: 300, Seed: 11}
	prev := runtime.GOMAXPROCS(1)
	a, err := BootstrapSensitivityBand(f.Cases[0].Score, truth, CasesHigher, f.Specificities, opt)
	runtime.GOMAXPROCS(4)
	b, err2 := BootstrapSensitivityBand(f.Cases[0].Score, truth, CasesHigher, f.Specificities, opt)
	runtime.GOMAXPROCS(prev)
	if err != nil || err2 != nil {
		t.Fatal(err, err2)
	}
	for j := range a.Lower {
		if a.Lower[j] != b.Lower[j] || a.Upper[j] != b.Upper[j] || a.Median[j] != b.Median[j] {
			t.Fatalf("GOMAXPROCS 1 and 4 differ at %d", j)
		}
	}
	if _, err := BootstrapSensitivityBand(f.Cases[0].Score, truth, CasesHigher, []float64{2}, opt); err == nil {
		t.Error("specificity 2: no error")
	}
}
