package notebook

import (
	"strings"

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
	view
	ext      *study.Study      // the frozen models on the external cohort (External only)
	internal *study.Results    // the study's own results (External only)
	saved    *study.Results    // what ExternalValidation wrote, read back
	cmp      *study.Comparison // the external comparison
}

// External runs ExternalValidation (the study's bundle applied to the
// external cohort, recalibration included) and returns its view.
func External() *ExternalView {
	v := &ExternalView{}
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
	v := &ExternalView{}
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

// AUC shows the external AUCs with DeLong and bootstrap CIs.
func (v *ExternalView) AUC() *ExternalView {
	if v.err != nil {
		return v
	}
	v.table(v.cmp.AUCTable(), "External validation AUC")
	return v
}

// ROC shows the external ROC curves with their bootstrap bands.
func (v *ExternalView) ROC() *ExternalView {
	if v.err != nil {
		return v
	}
	p, err := v.cmp.ROCFigure()
	v.figure(p, err, 5.5*vg.Inch, 5.5*vg.Inch)
	return v
}

// Pairs shows DeLong's paired tests with Holm's adjustment, NRI and IDI,
// the omnibus test of all the models in the caption.
func (v *ExternalView) Pairs() *ExternalView {
	if v.err != nil {
		return v
	}
	v.table(v.cmp.PairTable(), strings.TrimSuffix("Paired DeLong tests, Holm-adjusted. "+v.cmp.OmnibusLine(), ". "))
	return v
}

// Operating shows the accuracy at the thresholds fixed in training.
func (v *ExternalView) Operating() *ExternalView {
	if v.err != nil {
		return v
	}
	v.table(v.cmp.OperatingTable(), "Accuracy at the thresholds fixed in training (from the bundle)")
	return v
}

// Calibration shows the frozen models' calibration table and curves.
func (v *ExternalView) Calibration() *ExternalView {
	if v.err != nil {
		return v
	}
	v.table(v.cmp.CalibrationTable(), "Calibration of the frozen models")
	if v.err != nil {
		return v
	}
	p, err := v.cmp.CalibrationFigure()
	v.figure(p, err, 5.5*vg.Inch, 5.5*vg.Inch)
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

// DecisionCurves shows the frozen models' net benefit.
func (v *ExternalView) DecisionCurves() *ExternalView {
	if v.err != nil {
		return v
	}
	p, err := v.cmp.DecisionFigure()
	v.figure(p, err, 6*vg.Inch, 4*vg.Inch)
	return v
}
