package notebook

import (
	"fmt"

	"github.com/ceusrad/ceusrad/kernellib/nb"
	"github.com/ceusrad/ceusrad/kernellib/study"
	"gonum.org/v1/plot/vg"
)

// RobustView is what the robustness notebook (06_robustness) shows, one
// method an analysis, from the study's results.json (Results: read back,
// or run when the cohort, code or settings changed) — nothing is
// recomputed here:
//
//	notebook.Robust().Splits()
//
// The first error is shown once, as the cell's message; every later
// method then shows nothing. An analysis that did not run says so in a
// line (and how to run it) instead of failing.
type RobustView struct {
	view
	r *study.Results
}

// Robust returns the view of the study's robustness analyses.
func Robust() *RobustView {
	v := &RobustView{}
	r, err := Results()
	if v.ok(err) {
		v.r = r
	}
	return v
}

// Splits shows the validation AUC of every model over the re-drawn splits
// with the CNN kept out (study.Robustness.Table and Figure), and how often
// each pairwise DeLong verdict holds (PairTable, with two models or more).
func (v *RobustView) Splits() *RobustView {
	if v.err != nil {
		return v
	}
	rb := v.r.Robustness(false)
	if rb == nil {
		nb.Markdownf("No robustness analysis was run (%s=0).", SplitsEnv)
		return v
	}
	v.table(rb.Table(), "Validation AUC over re-drawn splits")
	if v.err == nil {
		p, err := rb.Figure()
		v.figure(p, err, 6*vg.Inch, 4*vg.Inch)
	}
	if len(rb.Pairs) > 0 {
		v.table(rb.PairTable(), "How often each pairwise verdict holds over the splits")
	}
	return v
}

// WithCNN shows the same for the analysis that retrained the CNN too on
// CEUSRAD_CNN_SPLITS re-drawn splits: the AUC table, the pairwise
// verdicts and a line with the time that retraining took.
func (v *RobustView) WithCNN() *RobustView {
	if v.err != nil {
		return v
	}
	rb := v.r.Robustness(true)
	if rb == nil {
		nb.Markdownf("Not run here: set `%s` (e.g. 20) to retrain the CNN on re-drawn splits too.", CNNSplitsEnv)
		return v
	}
	v.table(rb.Table(), fmt.Sprintf("Validation AUC over %d re-drawn splits, every model retrained", rb.Splits))
	if len(rb.Pairs) > 0 {
		v.table(rb.PairTable(), "How often each pairwise verdict holds")
	}
	if s, ok := v.r.Seconds["robustness_with_the_cnn"]; ok && v.err == nil && rb.Splits > 0 {
		nb.Markdownf("The study retrained every model on these %d splits in %.0f s (%.0f s a split), when it ran.", rb.Splits, s, float64(s)/float64(rb.Splits))
	}
	return v
}

// ROI shows the ROI-perturbation analysis (study.ROIRobust, as
// results.json keeps it): the perturbation kinds (used for R-BMode's
// selection, or held out to test), the validation AUC under the held-out
// perturbed ROIs with the models fixed, and ICC(3,1) and ICC(2,1) of the
// features each model uses.
func (v *RobustView) ROI() *RobustView {
	if v.err != nil {
		return v
	}
	if v.r.ROI == nil {
		nb.Markdown("Not run: the ROI analysis needs both R-TIC and R-BMode.")
		return v
	}
	for _, t := range []struct{ key, caption string }{
		{"perturbations", "Perturbation kinds: used to select R-BMode's features, or held out to test"},
		{"auc", "Validation AUC with perturbed lesion ROIs (held-out kinds; models fixed)"},
		{"icc", "ICC(3,1) and ICC(2,1) over the ROIs of the features each model uses"},
	} {
		tab, ok := v.r.ROI[t.key]
		if !ok {
			v.ok(fmt.Errorf("notebook: results.json's roi_perturbation has no %q table", t.key))
			return v
		}
		v.table(tab.Frame(), t.caption)
	}
	return v
}
