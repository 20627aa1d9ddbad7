package learn

import (
	"errors"
	"math"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/roc"
)

func TestScores(t *testing.T) {
	p := []float64{0.9, 0.2, 0.6, 0.4, 1e-9}
	y := []bool{true, false, false, true, false}
	want := -(math.Log(0.9) + math.Log(0.8) + math.Log(0.4) + math.Log(0.4) + math.Log(1-1e-9)) / 5
	if got, err := LogLoss(p, y); err != nil || math.Abs(got-want) > 1e-15 {
		t.Errorf("LogLoss %v, want %v (%v)", got, want, err)
	}
	// cv.glmnet clamps at 1e-5: a certain error costs −2 log(1e-5).
	if d := BinomialDeviance([]float64{0}, []bool{true}); math.Abs(d+2*math.Log(1e-5)) > 1e-12 {
		t.Errorf("clamped deviance %v", d)
	}
	if d := BinomialDeviance(p[:4], y[:4]); math.Abs(d-2*(-(math.Log(0.9)+math.Log(0.8)+math.Log(0.4)+math.Log(0.4))/4)) > 1e-15 {
		t.Errorf("deviance %v", d)
	}
	a, err := AUC(p, y)
	r, _ := roc.AUC(p, y, roc.CasesHigher)
	if err != nil || a != r {
		t.Errorf("AUC %v, roc.AUC %v", a, r)
	}
	if _, err := AUC(p, []bool{true, true, true, true, true}); !errors.Is(err, ErrOneClass) {
		t.Errorf("one class: %v", err)
	}
	if _, err := LogLoss([]float64{1.5}, []bool{true}); err == nil {
		t.Error("probability 1.5 accepted")
	}
	if _, err := RadiomicsScore(notLinear{}, nil); !errors.Is(err, ErrParameter) {
		t.Errorf("non-linear model: %v", err)
	}
}

type notLinear struct{}

func (notLinear) PredictProba(X [][]float64) ([]float64, error) { return nil, nil }
