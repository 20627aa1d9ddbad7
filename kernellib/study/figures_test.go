package study

import (
	"math"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/deep"
	"github.com/ceusrad/ceusrad/kernellib/plots"
	"gonum.org/v1/plot/vg"
)

// The CNN's training curves keep to the figure theme's rules
// (plots.CheckFigure) at one and a half columns, on a made-up history of
// the shape deep.Train reports (TestRDLCEUS draws a real one).
func TestTrainingCurvesFigure(t *testing.T) {
	var h []deep.Epoch
	for e := 1; e <= 30; e++ {
		f := float64(e)
		h = append(h, deep.Epoch{Epoch: e, Epochs: 40, Loss: 0.7 * math.Exp(-f/10), InnerLoss: 0.5 + 0.002*(f-12)*(f-12)/10, InnerAUC: 0.6 + 0.3*(1-math.Exp(-f/8))})
	}
	p, err := TrainingCurves(h)
	if err != nil {
		t.Fatal(err)
	}
	if err := plots.CheckFigure(p, plots.OneAndHalfColumn, 75*vg.Millimeter); err != nil {
		t.Error(err)
	}
}
