package study

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"sort"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/cohort/filecheck"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/plots"
	"github.com/ceusrad/ceusrad/kernellib/roc"
	"github.com/ceusrad/ceusrad/kernellib/tic"
	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
	"gonum.org/v1/plot"
)

// ThresholdView shows what choosing a decision threshold means for one
// model on one set of patients: the ROC curve with the operating point of
// the threshold, and the 2×2 table with sensitivity, specificity, accuracy,
// PPV and NPV and their Wilson intervals (roc.MetricsAt; Altman & Bland,
// BMJ 1994; Wilson 1927). A notebook slider moves the threshold
// (nb.Slider over Thresholds).
type ThresholdView struct {
	Name   string
	Scores []float64
	Truth  []bool
	curve  *roc.Curve
	thr    []float64
}

// NewThresholdView prepares the view of scores (higher for objective
// response) against truth.
func NewThresholdView(name string, scores []float64, truth []bool) (*ThresholdView, error) {
	c, err := roc.NewCurve(scores, truth, roc.CasesHigher)
	if err != nil {
		return nil, fmt.Errorf("study: threshold view of %s: %w", name, err)
	}
	v := &ThresholdView{Name: name, Scores: scores, Truth: truth, curve: c}
	for _, t := range c.Thresholds {
		if !math.IsInf(t, 0) {
			v.thr = append(v.thr, t)
		}
	}
	return v, nil
}

// Thresholds are the distinct finite thresholds of the ROC curve (pROC's:
// midpoints between consecutive distinct scores), in increasing order:
// every operating point the scores allow, each once.
func (v *ThresholdView) Thresholds() []float64 { return v.thr }

// Nearest returns the index of the threshold nearest to t.
func (v *ThresholdView) Nearest(t float64) int {
	i := sort.SearchFloat64s(v.thr, t)
	if i == len(v.thr) || (i > 0 && t-v.thr[i-1] < v.thr[i]-t) {
		i--
	}
	return max(i, 0)
}

// At returns the view at threshold t (a patient is called a responder when
// the score is ≥ t): the ROC figure with the point, the 2×2 table and the
// accuracy measures with 95% Wilson intervals.
func (v *ThresholdView) At(t float64) (*plot.Plot, dataframe.DataFrame, dataframe.DataFrame, error) {
	m, err := roc.MetricsAt(v.Scores, v.Truth, roc.CasesHigher, t, 0.95)
	if err != nil {
		return nil, dataframe.DataFrame{}, dataframe.DataFrame{}, fmt.Errorf("study: threshold view of %s: %w", v.Name, err)
	}
	p, err := plots.ROC([]plots.ROCSeries{{Label: v.Name, Specificities: v.curve.Specificities,
		Sensitivities: v.curve.Sensitivities, ShowPoint: true,
		PointSpecificity: m.Specificity.Est, PointSensitivity: m.Sensitivity.Est}})
	if err != nil {
		return nil, dataframe.DataFrame{}, dataframe.DataFrame{}, err
	}
	p.Title.Text = fmt.Sprintf("%s at threshold %.3f", v.Name, t)
	c := m.Confusion
	conf := dataframe.New(
		series.New([]string{"predicted OR (score ≥ threshold)", "predicted NR", "total"}, series.String, "call"),
		series.New([]int{c.TP, c.FN, c.TP + c.FN}, series.Int, "OR"),
		series.New([]int{c.FP, c.TN, c.FP + c.TN}, series.Int, "NR"))
	var names, est, ci []string
	for _, q := range []struct {
		name string
		p    roc.Proportion
	}{{"sensitivity", m.Sensitivity}, {"specificity", m.Specificity}, {"accuracy", m.Accuracy},
		{"PPV", m.PPV}, {"NPV", m.NPV}} {
		names = append(names, q.name)
		est = append(est, fmt.Sprintf("%d/%d = %.3f", q.p.X, q.p.N, q.p.Est))
		ci = append(ci, fmt.Sprintf("%.3f to %.3f", q.p.Wilson[0], q.p.Wilson[1]))
	}
	meas := dataframe.New(series.New(names, series.String, "measure"), series.New(est, series.String, "estimate"),
		series.New(ci, series.String, "95% Wilson CI"))
	return p, conf, meas, nil
}

// CineView scrubs through a patient's cine with its time–intensity curves:
// frame k with the lesion (and liver) ROI outlined, and the curves with a
// cursor at the frame's time. The frames are read once (imaging.FramesAt,
// streamed) at N times spread evenly over the curve.
type CineView struct {
	Patient cohort.Patient
	// Times are the frames' times after the injection (the curves' clock).
	Times         []float64
	Frames        []imaging.Frame
	lesion, liver *imaging.Mask
	curve         *tic.ROICurve
	ref           *tic.ROICurve
}

// NewCineView reads n frames of p's cine for the view of the analysis a
// (tic.AnalysePatient of the same patient).
func NewCineView(p cohort.Patient, a *tic.Analysis, n int) (*CineView, error) {
	les, err := a.ROI("lesion")
	if err != nil {
		return nil, fmt.Errorf("study: cine view of %s: %w", p.ID, err)
	}
	if n < 2 || len(les.Time) < 2 {
		return nil, fmt.Errorf("study: cine view of %s: need at least 2 frames, have n = %d and %d curve points", p.ID, n, len(les.Time))
	}
	v := &CineView{Patient: p, curve: les}
	if liv, err := a.ROI("liver"); err == nil {
		v.ref = liv
	}
	if v.lesion, err = imaging.ReadMask(p.LesionMask); err != nil {
		return nil, fmt.Errorf("study: cine view of %s: %w", p.ID, err)
	}
	if p.LiverMask != "" {
		if v.liver, err = imaging.ReadMask(p.LiverMask); err != nil {
			return nil, fmt.Errorf("study: cine view of %s: %w", p.ID, err)
		}
	}
	t0, t1 := les.Time[0], les.Time[len(les.Time)-1]
	cineTimes := make([]float64, n)
	v.Times = make([]float64, n)
	for i := range v.Times {
		v.Times[i] = t0 + (t1-t0)*float64(i)/float64(n-1)
		cineTimes[i] = v.Times[i] + a.Origin
	}
	c, err := imaging.OpenCine(p.Cine, filecheck.CineOptions(p))
	if err != nil {
		return nil, fmt.Errorf("study: cine view of %s: %w", p.ID, err)
	}
	defer c.Close()
	if v.lesion, err = imaging.MaskForCine(v.lesion, c.Info()); err != nil {
		return nil, fmt.Errorf("study: cine view of %s: %s: %w", p.ID, p.LesionMask, err)
	}
	if v.liver != nil {
		if v.liver, err = imaging.MaskForCine(v.liver, c.Info()); err != nil {
			return nil, fmt.Errorf("study: cine view of %s: %s: %w", p.ID, p.LiverMask, err)
		}
	}
	if v.Frames, err = imaging.FramesAt(c, cineTimes); err != nil {
		return nil, fmt.Errorf("study: cine view of %s: %w", p.ID, err)
	}
	for i, f := range v.Frames { // the time of the frame actually read
		v.Times[i] = f.Time - a.Origin
	}
	return v, nil
}

// Frame returns frame k with the lesion outlined in yellow and the liver
// reference in cyan, zoomed by an integer factor and labelled with its
// time.
func (v *CineView) Frame(k, zoom int) (image.Image, error) {
	if k < 0 || k >= len(v.Frames) {
		return nil, fmt.Errorf("study: cine view of %s: frame %d of %d", v.Patient.ID, k, len(v.Frames))
	}
	img := plots.Outline(v.Frames[k].Img, v.lesion.At2D, color.RGBA{255, 220, 0, 255})
	if v.liver != nil {
		img = plots.Outline(img, v.liver.At2D, color.RGBA{0, 220, 255, 255})
	}
	return plots.Montage([]image.Image{img}, []string{fmt.Sprintf("%s  t = %.1f s", v.Patient.ID, v.Times[k])}, 1, zoom)
}

// Curves returns the lesion and liver enhancement curves with a cursor at
// frame k's time.
func (v *CineView) Curves(k int) (*plot.Plot, error) {
	if k < 0 || k >= len(v.Frames) {
		return nil, fmt.Errorf("study: cine view of %s: frame %d of %d", v.Patient.ID, k, len(v.Frames))
	}
	ys, labels := [][]float64{v.curve.Enhancement}, []string{"lesion"}
	if v.ref != nil && len(v.ref.Enhancement) == len(v.curve.Enhancement) {
		ys, labels = append(ys, v.ref.Enhancement), append(labels, "liver")
	}
	p, err := plots.Lines(v.curve.Time, ys, labels, "time after injection (s)", "enhancement (linearised)", v.Times[k])
	if err != nil {
		return nil, err
	}
	p.Title.Text = fmt.Sprintf("Time–intensity curves, cursor at %.1f s", v.Times[k])
	return p, nil
}

// PeakFrame returns the index of the frame nearest the lesion curve's
// peak (of its smoothed enhancement).
func (v *CineView) PeakFrame() int {
	y := v.curve.Smoothed
	if len(y) != len(v.curve.Time) {
		y = v.curve.Enhancement
	}
	peak := 0
	for i := range y {
		if y[i] > y[peak] {
			peak = i
		}
	}
	best := 0
	for k, t := range v.Times {
		if math.Abs(t-v.curve.Time[peak]) < math.Abs(v.Times[best]-v.curve.Time[peak]) {
			best = k
		}
	}
	return best
}
