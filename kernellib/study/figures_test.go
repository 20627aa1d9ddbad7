package study

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/deep"
	"github.com/ceusrad/ceusrad/kernellib/plots"
	"github.com/ceusrad/ceusrad/kernellib/roc"
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

// Paper figure 2 of a three-model comparison with re-drawn splits: four
// lettered panels that pass the figure checks at double-column size, a
// caption stating n, the CIs and that the data are simulated, written as
// PDF, PNG, SVG and the caption beside them.
func TestPaperFigure2(t *testing.T) {
	trainY, trainP := simulated(89, 1)
	validY, validP := simulated(41, 2)
	var models []Scores
	for k, n := range []string{"R-DLCEUS", "R-TIC", "R-BMode"} {
		models = append(models, Scores{Name: n, Train: trainP[k], Valid: validP[k]})
	}
	c, err := Compare(trainY, validY, models, CompareOptions{Boot: roc.BootOptions{Replicates: 200, Seed: 3}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &Robustness{Models: []string{"R-DLCEUS", "R-TIC", "R-BMode"}, Splits: 20, AUC: make([][]float64, 3)}
	for k := range r.AUC {
		for i := 0; i < 20; i++ {
			r.AUC[k] = append(r.AUC[k], 0.9-0.05*float64(k)+0.004*float64(i%7))
		}
	}
	s := &Study{Comparison: c, Robust: r}
	f, caption, err := s.PaperFigure2(true)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Rows) != 2 || len(f.Rows[1]) != 2 || f.Rows[1][1] == nil || f.Rows[0][0].Title.Text != "" {
		t.Fatalf("panels %+v", f.Rows)
	}
	if err := f.Check(paperFigure2Size[0], paperFigure2Size[1]); err != nil {
		t.Error(err)
	}
	for _, want := range []string{fmt.Sprintf("n = 41 (%d objective responders", c.Cases), "95% DeLong CI", "200 stratified replicates", "Wilson", "20 re-drawn", "simulated", "**(D)**"} {
		if !strings.Contains(caption, want) {
			t.Errorf("caption lacks %q:\n%s", want, caption)
		}
	}
	dir := t.TempDir()
	paths, err := writePaperFigure(f, caption, filepath.Join(dir, "paper_figure_2"), paperFigure2Size)
	if err != nil {
		t.Fatal(err)
	}
	var exts []string
	for _, p := range paths {
		exts = append(exts, filepath.Ext(p))
	}
	if strings.Join(exts, " ") != ".pdf .png .svg .md" {
		t.Errorf("written %v", paths)
	}
	if err := plots.CheckPDF(paths[0]); err != nil && !errors.Is(err, plots.ErrNoPDFInfo) {
		t.Error(err)
	}
	// Without re-drawn splits panel D is left out, and the caption says so.
	s.Robust = nil
	f, caption, err = s.PaperFigure2(false)
	if err != nil || f.Rows[1][1] != nil || strings.Contains(caption, "simulated") || !strings.Contains(caption, "left out") {
		t.Errorf("no robustness: %v, %+v\n%s", err, f.Rows, caption)
	}
}

// Paper figure 3 from a network with random weights on made-up clips: the
// two Grad-CAM montages and the curves pass the figure checks, the curves
// are the clips' mean lesion intensities, and no patient ID is shown.
func TestPaperFigure3(t *testing.T) {
	cfg := deep.DefaultConfig()
	cfg.Frames, cfg.Size, cfg.Channels, cfg.TemporalChannels = 8, 24, []int{4, 8}, 8
	m, err := deep.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	S, K := cfg.Size, cfg.Candidates()
	var clips []*deep.Clip
	for i := 0; i < 4; i++ {
		c := &deep.Clip{ID: fmt.Sprintf("SECRET%d", i), Frames: cfg.Frames, Candidates: K, Size: S, Times: cfg.SampleTimes(),
			Pix: make([]uint16, cfg.Frames*K*S*S), Mask: make([]uint16, S*S)}
		for y := 0; y < S; y++ {
			for x := 0; x < S; x++ {
				if math.Hypot(float64(x-S/2), float64(y-S/2)) < float64(S)/4 {
					c.Mask[y*S+x] = 65535
				}
			}
		}
		for f := 0; f < cfg.Frames; f++ {
			v := 0.2 + 0.6*math.Exp(-math.Pow(float64(f)-3-float64(i%2), 2)/4)
			for k := 0; k < K; k++ {
				for p := 0; p < S*S; p++ {
					c.Pix[(f*K+k)*S*S+p] = uint16(65535 * v * float64(1+c.Mask[p]/65535) / 2)
				}
			}
		}
		clips = append(clips, c)
	}
	r := &RDLCEUSResult{Model: m, Clips: clips, Valid: []int{0, 1, 2, 3},
		ValidProb: []float64{0.8, 0.3, 0.6, 0.1}, ValidTruth: []bool{true, false, true, false}}
	f, caption, err := PaperFigure3(r, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Check(paperFigure3Size[0], paperFigure3Size[1]); err != nil {
		t.Error(err)
	}
	if len(f.Rows) != 3 || !strings.Contains(f.Rows[0][0].Title.Text, "0.80") || !strings.Contains(f.Rows[1][0].Title.Text, "0.10") {
		t.Errorf("panels: %d rows, titles %q, %q", len(f.Rows), f.Rows[0][0].Title.Text, f.Rows[1][0].Title.Text)
	}
	for _, row := range f.Rows {
		if strings.Contains(row[0].Title.Text, "SECRET") {
			t.Errorf("a patient ID in a panel title: %q", row[0].Title.Text)
		}
	}
	if strings.Contains(caption, "SECRET") || !strings.Contains(caption, "n = 4") || !strings.Contains(caption, "simulated") {
		t.Errorf("caption:\n%s", caption)
	}
	y, err := lesionCurve(clips[0])
	if err != nil {
		t.Fatal(err)
	}
	// Inside the mask the value is v (outside v/2): the curve is v.
	if want := 0.2 + 0.6*math.Exp(-9.0/4); math.Abs(y[0]-want) > 1e-4 {
		t.Errorf("lesion curve at frame 0 = %v, want %v", y[0], want)
	}
	if _, _, err := PaperFigure3(&RDLCEUSResult{Model: m, Clips: clips, Valid: []int{0}, ValidProb: []float64{0.9}, ValidTruth: []bool{true}}, false); err == nil {
		t.Error("no non-responder: no error")
	}
}
