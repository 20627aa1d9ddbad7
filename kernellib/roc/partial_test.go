package roc

import (
	"errors"
	"math"
	"strconv"
	"testing"
)

func TestPartialAUCMatchesPROC(t *testing.T) {
	f := loadCore(t)
	n := 0
	for _, c := range f.Cases {
		for r, mod := range c.Models {
			cv, err := NewCurve(c.scores[r], c.truth, c.dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range mod.PAUC {
				focus := SpecificityFocus
				if p.Focus == "sensitivity" {
					focus = SensitivityFocus
				}
				what := c.Name + " " + p.Focus + " pAUC " + strconv.FormatFloat(float64(p.From), 'g', -1, 64) + "-" + strconv.FormatFloat(float64(p.To), 'g', -1, 64)
				got, err := cv.PartialAUC(focus, float64(p.From), float64(p.To))
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				checkClose(t, what, got, float64(p.Value))
				// The limits in the other order give the same area.
				if rev, _ := cv.PartialAUC(focus, float64(p.To), float64(p.From)); rev != got {
					t.Errorf("%s: reversed limits give %v, not %v", what, rev, got)
				}
				cor, err := cv.PartialAUCCorrected(focus, float64(p.From), float64(p.To))
				if math.IsNaN(float64(p.Corrected)) {
					if !errors.Is(err, ErrParameter) {
						t.Errorf("%s corrected: got %v, %v; pROC NA (below the diagonal)", what, cor, err)
					}
				} else {
					if err != nil {
						t.Errorf("%s corrected: %v", what, err)
					}
					checkClose(t, what+" corrected", cor, float64(p.Corrected))
				}
				plain, err := PartialAUC(c.scores[r], c.truth, c.dir, focus, float64(p.From), float64(p.To), false)
				if err != nil || plain != got {
					t.Errorf("%s: PartialAUC = %v, %v; Curve.PartialAUC %v", what, plain, err, got)
				}
				n++
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d partial AUCs checked", n)
	}
}

func TestPartialAUCFullRange(t *testing.T) {
	scores := []float64{0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.2, 0.4}
	truth := []bool{false, false, true, true, false, true, false, true}
	cv, err := NewCurve(scores, truth, CasesHigher)
	if err != nil {
		t.Fatal(err)
	}
	for _, focus := range []Focus{SpecificityFocus, SensitivityFocus} {
		p, err := cv.PartialAUC(focus, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		// Over the whole range both foci give the full AUC.
		if math.Abs(p-cv.AUC()) > 1e-15 {
			t.Errorf("%v: pAUC over [0, 1] = %v, AUC %v", focus, p, cv.AUC())
		}
		// McClish over [0, 1]: min ½, max 1, so the AUC is unchanged.
		if c, _ := cv.PartialAUCCorrected(focus, 1, 0); math.Abs(c-cv.AUC()) > 1e-15 {
			t.Errorf("%v: corrected pAUC over [0, 1] = %v, AUC %v", focus, c, cv.AUC())
		}
	}
	if SpecificityFocus.String() != "specificity" || SensitivityFocus.String() != "sensitivity" {
		t.Errorf("focus names %v %v", SpecificityFocus, SensitivityFocus)
	}
	want, _ := cv.PartialAUCCorrected(SensitivityFocus, 0.9, 0.6)
	if got, err := PartialAUC(scores, truth, CasesHigher, SensitivityFocus, 0.6, 0.9, true); err != nil || got != want {
		t.Errorf("PartialAUC corrected = %v, %v; want %v", got, err, want)
	}
	if _, err := PartialAUC(scores, make([]bool, len(scores)), CasesHigher, SpecificityFocus, 0.6, 0.9, false); !errors.Is(err, ErrOneClass) {
		t.Errorf("one class: %v", err)
	}
	if _, err := cv.PartialAUCCorrected(SpecificityFocus, 0.6, 0.6); !errors.Is(err, ErrParameter) {
		t.Errorf("empty range corrected: %v", err)
	}
	for _, r := range [][2]float64{{0.5, 0.5}, {-0.1, 0.5}, {0.2, 1.1}, {math.NaN(), 0.5}} {
		if _, err := cv.PartialAUC(SpecificityFocus, r[0], r[1]); !errors.Is(err, ErrParameter) {
			t.Errorf("range %v: error %v, want ErrParameter", r, err)
		}
	}
}

// A perfect curve has McClish-corrected pAUC 1 and the diagonal ½ over any
// range.
func TestMcClishBounds(t *testing.T) {
	for _, r := range [][2]float64{{1, 0.8}, {0.9, 0.2}, {0.3, 0.1}} {
		lo, hi := math.Min(r[0], r[1]), math.Max(r[0], r[1])
		perfect := hi - lo
		diagonal := ((1 - hi) + (1 - lo)) * (hi - lo) / 2
		if c, err := McClish(perfect, r[0], r[1]); err != nil || math.Abs(c-1) > 1e-15 {
			t.Errorf("%v: perfect curve corrected to %v, %v", r, c, err)
		}
		if c, err := McClish(diagonal, r[0], r[1]); err != nil || math.Abs(c-0.5) > 1e-15 {
			t.Errorf("%v: diagonal corrected to %v, %v", r, c, err)
		}
		if _, err := McClish(diagonal*0.99, r[0], r[1]); !errors.Is(err, ErrParameter) {
			t.Errorf("%v: below the diagonal: error %v", r, err)
		}
	}
}
