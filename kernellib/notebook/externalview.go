package notebook

import (
	"github.com/ceusrad/ceusrad/kernellib/nb"
	"github.com/ceusrad/ceusrad/kernellib/study"
	"gonum.org/v1/plot/vg"
)

// ExternalView is what the external-validation notebook shows, one method a
// table or figure, so that a cell reads like the analysis:
//
//	v := notebook.External()
//	v.Transport()
//
// The first error (no bundle, an unreadable cohort, a model that cannot
// score it) is shown once, as the cell's message, when the view is made or
// when a method meets it; every later method then shows nothing.
type ExternalView struct {
	comparisonView[*ExternalView]                // AUC, ROC, PR, Pairs, Operating, Calibration, DecisionCurves
	ext                           *study.Study   // the frozen models on the external cohort (External only)
	internal                      *study.Results // the study's own results (External only)
	saved                         *study.Results // what ExternalValidation wrote, read back
}

// newExternalView is an empty ExternalView with its captions.
func newExternalView() *ExternalView {
	v := &ExternalView{}
	v.self = v
	v.captions = comparisonCaptions{auc: "External validation AUC", pairs: "Paired DeLong tests, Holm-adjusted",
		operating: "Accuracy at the thresholds fixed in training (from the bundle)", calibration: "Calibration of the frozen models"}
	return v
}

// External runs ExternalValidation (the study's bundle applied to the
// external cohort, recalibration included) and returns its view.
func External() *ExternalView {
	v := newExternalView()
	ext, internal, err := ExternalValidation()
	if v.ok(err) {
		v.ext, v.internal, v.cmp = ext, internal, ext.Comparison
	}
	return v
}

// ExternalSaved reads back what ExternalValidation last wrote
// (ExternalResults) and recomputes its comparison at the bundle's
// thresholds, without scoring the cohort again.
func ExternalSaved() *ExternalView {
	v := newExternalView()
	saved, err := ExternalResults()
	if v.ok(err) {
		v.saved = saved
		cmp, err := saved.Compare(study.CompareOptions{}, nil)
		if v.ok(err) {
			v.cmp = cmp
		}
	}
	return v
}

// Transport shows the internal and the external validation side by side
// (study.TransportTable) and the patients left out; it needs External.
func (v *ExternalView) Transport() *ExternalView {
	if v.err != nil {
		return v
	}
	if v.internal == nil {
		v.ok(errNeedsExternal)
		return v
	}
	in, err := v.internal.Compare(study.CompareOptions{}, nil)
	if !v.ok(err) {
		return v
	}
	v.table(study.TransportTable(in, v.cmp), "Internal validation (first centre) and external validation (second centre), frozen models")
	for _, p := range v.ext.External.Excluded {
		nb.Markdownf("Left out: patient %s (%s: %s)", p.Patient, p.Model, p.Reason)
	}
	return v
}

// Recalibration shows each model's logistic recalibration on the external
// cohort and the recalibrated calibration curves; it needs External.
func (v *ExternalView) Recalibration() *ExternalView {
	if v.err != nil {
		return v
	}
	if v.ext == nil || v.ext.External.Recalibrated == nil {
		v.ok(errNeedsExternal)
		return v
	}
	v.table(v.ext.External.RecalibrationTable(), "Logistic recalibration on the external cohort: intercept a and slope b")
	if v.err != nil {
		return v
	}
	p, err := v.ext.External.Recalibrated.CalibrationFigure()
	v.figure(p, err, 5.5*vg.Inch, 5.5*vg.Inch)
	return v
}
