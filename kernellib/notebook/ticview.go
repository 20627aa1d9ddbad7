package notebook

import (
	"fmt"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/nb"
	"github.com/ceusrad/ceusrad/kernellib/plots"
	"github.com/ceusrad/ceusrad/kernellib/study"
	"github.com/ceusrad/ceusrad/kernellib/tic"
	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
	"gonum.org/v1/plot/vg"
)

// CineFrames is the number of frames TICView.Cine reads for its slider,
// spread evenly over the curve.
const CineFrames = 60

// TICView is what the time–intensity-curve notebook (02) shows, one method
// a table or figure:
//
//	v := notebook.TIC()
//	v.Fits().Cine().Parameters()
//	v.Features().Pipelines().ROC()
//
// The single-patient methods (Fits, Cine, Parameters) analyse one patient
// — the first of the training split unless Patient picks another — with
// every perfusion model (tic.AnalysePatient, tic.DefaultOptions with
// tic.Models()); the cohort methods (Features, Pipelines, ROC) compute the
// R-TIC feature table of every patient (study.RTICFeatures) and fit R-TIC
// (study.RTIC), each once, when a method first needs it, with progress
// bars. Times count from the curves' origin, the injection when the
// manifest gives injection_offset_s (tic.AnalysePatient). The first error
// is shown once, as the cell's message; every later method then shows
// nothing.
type TICView struct {
	patientView
	a     *tic.Analysis // the patient's analysis
	feats dataframe.DataFrame
	r     *study.RTICResult
}

// TIC returns the TIC notebook's view; it reads nothing yet.
func TIC() *TICView { return &TICView{} }

// Patient makes the patient with this patient_id the one Fits, Cine and
// Parameters show.
func (v *TICView) Patient(id string) *TICView {
	if v.err == nil && v.choose(id) {
		v.a = nil
	}
	return v
}

// analysis returns the patient and its analysis with every model,
// computing it on first use.
func (v *TICView) analysis() (cohort.Patient, *tic.Analysis, bool) {
	p, ok := v.patient()
	if !ok || v.a != nil {
		return p, v.a, ok
	}
	o := tic.DefaultOptions()
	o.Models = tic.Models()
	a, err := tic.AnalysePatient(p, o)
	if !v.ok(err) {
		return p, nil, false
	}
	v.a = a
	return p, a, true
}

// curves returns the analysed lesion and liver curves of the patient.
func (v *TICView) curves() (p cohort.Patient, lesion, liver *tic.ROICurve, ok bool) {
	p, a, ok := v.analysis()
	if !ok {
		return p, nil, nil, false
	}
	lesion, err := a.ROI("lesion")
	if !v.ok(err) {
		return p, nil, nil, false
	}
	liver, err = a.ROI("liver")
	if !v.ok(err) {
		return p, nil, nil, false
	}
	return p, lesion, liver, true
}

// Fits shows the patient's linearised enhancement curves of the lesion and
// the liver with every perfusion model's fit to the lesion curve (its R²
// in the legend), and lists the fits reported as failed or implausible
// (tic.FitError), which are not drawn. The figure is written as
// 02_tic_fits.png and .svg (Out).
func (v *TICView) Fits() *TICView {
	p, lesion, liver, ok := v.curves()
	if !ok {
		return v
	}
	ys := [][]float64{lesion.Enhancement, liver.Enhancement}
	labels := []string{"lesion (data)", "liver (data)"}
	var notes []string
	for _, f := range lesion.Fits {
		if f.Err != nil {
			notes = append(notes, fmt.Sprintf("* %s: %v", f.Model.Name(), f.Err))
			continue
		}
		y := make([]float64, len(lesion.Time))
		for i, t := range lesion.Time {
			y[i] = f.Result.Eval(t)
		}
		ys = append(ys, y)
		labels = append(labels, fmt.Sprintf("%s fit, R² %.3f", f.Model.Name(), f.Result.R2))
	}
	pl, err := plots.Lines(lesion.Time, ys, labels, "time after injection (s)", "enhancement (linearised)")
	if err == nil {
		pl.Title.Text = fmt.Sprintf("Patient %s (%s)", p.ID, v.about(p))
	}
	v.saved(pl, err, "02_tic_fits", 6.5*vg.Inch, 3.5*vg.Inch)
	if v.err == nil && len(notes) > 0 {
		nb.Markdown("Fits reported as failed or implausible (not drawn):\n\n" + strings.Join(notes, "\n"))
	}
	return v
}

// Cine shows the patient's cine beside its curves, with a slider over
// CineFrames frames spread evenly over the curve (study.CineView): the
// lesion (yellow) and liver (cyan) ROIs outlined on the frame, a cursor on
// the curves at its time. The CineFrames views (frame as JPEG, curves as
// PNG) are rendered up front and the slider switches them in the browser,
// with no kernel (nb.Slider), starting at the frame nearest the lesion's
// peak.
func (v *TICView) Cine() *TICView {
	p, a, ok := v.analysis()
	if !ok {
		return v
	}
	cv, err := study.NewCineView(p, a, CineFrames)
	if !v.ok(err) {
		return v
	}
	v.ok(nb.Slider(nb.SliderOptions{Label: "frame", Max: len(cv.Times) - 1, Value: cv.PeakFrame()},
		func(k int) (string, error) { return cineHTML(cv, k) }))
	return v
}

// cineHTML is frame k of cv beside the curves with their cursor at its
// time, as HTML for a slider.
func cineHTML(cv *study.CineView, k int) (string, error) {
	img, err := cv.Frame(k, 2)
	if err != nil {
		return "", err
	}
	frame, err := nb.ImageJPEGHTML(img)
	if err != nil {
		return "", err
	}
	fig, err := cv.Curves(k)
	if err != nil {
		return "", err
	}
	curves, err := nb.PlotHTML(fig, 5*vg.Inch, 3*vg.Inch, 110)
	return nb.Row(frame, curves), err
}

// Parameters shows the model-free parameters (tic.ModelFree, on the
// smoothed enhancement) of the patient's lesion and liver curves and their
// lesion-to-liver ratios (tic.Ratios).
func (v *TICView) Parameters() *TICView {
	_, lesion, liver, ok := v.curves()
	if !ok {
		return v
	}
	ratio := tic.Ratios(lesion.ModelFree, liver.ModelFree)
	df := dataframe.New(series.New(tic.ParameterNames, series.String, "parameter"),
		series.New(lesion.ModelFree.Values(), series.Float, "lesion"),
		series.New(liver.ModelFree.Values(), series.Float, "liver"),
		series.New(ratio.Values(), series.Float, "lesion / liver"))
	v.ok(nb.Table(df, nb.TableOptions{Caption: "Model-free TIC parameters", MaxRows: -1, Digits: 3}))
	return v
}

// rtic returns R-TIC fitted on the cohort, computing the feature table
// (with a progress bar) and the fit (a bar over the pipelines) on first
// use.
func (v *TICView) rtic() *study.RTICResult {
	if v.r != nil || v.cohort() == nil {
		return v.r
	}
	bar := nb.NewProgress("TIC features", len(v.c.Patients))
	feats, err := study.RTICFeatures(v.c, bar.Func())
	bar.Done()
	if !v.ok(err) {
		return nil
	}
	cands := study.DefaultRTICCandidates()
	bar = nb.NewProgress("cross-validating pipelines", len(cands))
	r, err := study.RTIC(v.c, feats, study.RTICOptions{Candidates: cands, Progress: bar.Func()})
	bar.Done()
	if v.ok(err) {
		v.feats, v.r = feats, r
	}
	return v.r
}

// Features shows the first rows of the R-TIC feature table
// (study.RTICFeatures: every patient's lesion and liver curves, measured
// and fitted) — the patient, the fit status and the lesion-to-liver ratios
// of the model-free parameters — and says how many features it holds and
// how many patients have a failed or implausible fit.
func (v *TICView) Features() *TICView {
	if v.rtic() == nil {
		return v
	}
	cols := []string{cohort.ColPatientID, tic.ColStatus}
	for _, n := range tic.ParameterNames {
		cols = append(cols, "ratio_mf_"+n)
	}
	df := v.feats.Select(cols)
	if !v.ok(df.Err) {
		return v
	}
	failed := 0
	for _, s := range v.feats.Col(tic.ColStatus).Records() {
		if s != "" {
			failed++
		}
	}
	nb.Markdownf("The feature table: %d patients × %d features (lesion and liver curves, measured and fitted, and their ratios); %d patients with a failed or implausible fit, whose fit features are missing.",
		v.feats.Nrow(), len(v.r.Features), failed)
	v.ok(nb.Table(df, nb.TableOptions{Caption: "The first rows: lesion-to-liver ratios of the model-free parameters (ratio_mf_*)", MaxRows: 6, Digits: 3}))
	return v
}

// Pipelines shows R-TIC's pipelines with their mean and SD of the
// cross-validated AUC on the training split, then the chosen one, the
// features it uses, and its validation AUC with DeLong's CI beside the
// paper's.
func (v *TICView) Pipelines() *TICView {
	r := v.rtic()
	if r == nil {
		return v
	}
	v.pipelines(&r.Fitted)
	if v.err == nil {
		nb.Markdownf("Chosen: **%s** (CV AUC %.3f ± %.3f), using %s.\n\nValidation AUC **%.3f** (95%% DeLong CI %.3f to %.3f) on %d patients; the paper reports 0.80 (0.64 to 0.90) for R-TIC.",
			r.ChosenName(), r.CVAUC, r.CVAUCSD, strings.Join(r.Selected, ", "), r.AUC, r.CI[0], r.CI[1], len(r.Valid))
	}
	return v
}

// ROC shows R-TIC's ROC curve on the validation split with its bootstrap
// band (study.Compare of its validation probabilities).
func (v *TICView) ROC() *TICView {
	if r := v.rtic(); r != nil {
		v.fittedROC(study.RTICName, &r.Fitted, "")
	}
	return v
}

// pipelines shows the candidate pipelines' cross-validation on the
// training split (study.Fitted.Candidates) of R-TIC or R-BMode.
func (v *patientView) pipelines(f *study.Fitted) {
	names := make([]string, len(f.Candidates))
	mean := make([]float64, len(f.Candidates))
	sd := make([]float64, len(f.Candidates))
	for i, c := range f.Candidates {
		names[i], mean[i], sd[i] = c.Name, c.MeanAUC, c.SDAUC
	}
	df := dataframe.New(series.New(names, series.String, "pipeline"), series.New(mean, series.Float, "mean CV AUC"),
		series.New(sd, series.Float, "SD over folds"))
	v.ok(nb.Table(df, nb.TableOptions{Caption: "Cross-validation on the training split (5 × 5-fold)", Digits: 3}))
}

// fittedROC shows the ROC curve of f's validation probabilities under
// name, written as base.png and .svg when base is not empty.
func (v *patientView) fittedROC(name string, f *study.Fitted, base string) {
	cmp, err := study.Compare(nil, f.ValidTruth, []study.Scores{{Name: name, Valid: f.ValidProb}}, study.CompareOptions{}, nil)
	if !v.ok(err) {
		return
	}
	p, err := cmp.ROCFigure()
	v.saved(p, err, base, 4.5*vg.Inch, 4.5*vg.Inch)
}
