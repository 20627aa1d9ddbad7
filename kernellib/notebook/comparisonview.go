package notebook

import (
	"github.com/ceusrad/ceusrad/kernellib/study"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// comparisonView shows the tables and figures of one study.Comparison (the
// methods of Compare's report, study/report.go); StudyView (the study's
// validation split) and ExternalView (the frozen models on a second centre)
// embed it, so that each table or figure has one implementation. V is the
// view that embeds it: every method returns it, so that calls chain
// (v.AUC().ROC()). The first error stops the view (view).
type comparisonView[V any] struct {
	view
	self     V
	cmp      *study.Comparison
	captions comparisonCaptions
}

// comparisonCaptions are the captions that differ between the views: the
// cohort and the threshold's origin are named in them.
type comparisonCaptions struct {
	auc, pairs, operating, calibration string
}

// show runs f on the comparison unless the view has met an error, and
// returns the view.
func (c *comparisonView[V]) show(f func(cmp *study.Comparison)) V {
	if c.err == nil {
		f(c.cmp)
	}
	return c.self
}

// plot shows the figure that draw makes of the comparison, at w×h.
func (c *comparisonView[V]) plot(draw func(*study.Comparison) (*plot.Plot, error), w, h vg.Length) V {
	return c.show(func(cmp *study.Comparison) {
		p, err := draw(cmp)
		c.figure(p, err, w, h)
	})
}

// Comparison returns the comparison the view shows (nil after an error),
// for a cell that goes further than the view's tables and figures.
func (c *comparisonView[V]) Comparison() *study.Comparison { return c.cmp }

// AUC shows the discrimination table (study.Comparison.AUCTable): each
// model's AUC with its DeLong SE and CI (DeLong et al. 1988), the bootstrap
// percentile and BCa CIs, the p of AUC = 0.5, and the precision–recall
// areas (average precision with its bootstrap CI, Davis–Goadrich area).
func (c *comparisonView[V]) AUC() V {
	return c.show(func(cmp *study.Comparison) { c.table(cmp.AUCTable(), c.captions.auc) })
}

// ROC shows every model's ROC curve with its bootstrap band and its
// operating point (study.Comparison.ROCFigure).
func (c *comparisonView[V]) ROC() V {
	return c.plot((*study.Comparison).ROCFigure, 5.5*vg.Inch, 5.5*vg.Inch)
}

// PR shows every model's precision–recall curve with the prevalence of
// responders, the precision of a score that knows nothing
// (study.Comparison.PRFigure).
func (c *comparisonView[V]) PR() V {
	return c.plot((*study.Comparison).PRFigure, 5.5*vg.Inch, 5.5*vg.Inch)
}

// Pairs shows DeLong's paired test of every pair of AUCs with Holm's and
// Bonferroni's adjustment, and the NRI and IDI of the second model over the
// first (study.Comparison.PairTable); with three models or more the caption
// ends with DeLong's omnibus test that all the AUCs are equal, the gate
// before the pairs (study.Comparison.OmnibusLine).
func (c *comparisonView[V]) Pairs() V {
	return c.show(func(cmp *study.Comparison) {
		caption := c.captions.pairs
		if line := cmp.OmnibusLine(); line != "" {
			caption += ". " + line
		}
		c.table(cmp.PairTable(), caption)
	})
}

// Operating shows the sensitivity, specificity, accuracy, PPV and NPV with
// Wilson intervals at each model's threshold fixed before the patients it
// is applied to (study.Comparison.OperatingTable).
func (c *comparisonView[V]) Operating() V {
	return c.show(func(cmp *study.Comparison) { c.table(cmp.OperatingTable(), c.captions.operating) })
}

// Calibration shows the calibration table (in-the-large, slope, Brier
// score, Hosmer–Lemeshow test: study.Comparison.CalibrationTable) and the
// binned calibration curves with Wilson intervals
// (study.Comparison.CalibrationFigure).
func (c *comparisonView[V]) Calibration() V {
	c.show(func(cmp *study.Comparison) { c.table(cmp.CalibrationTable(), c.captions.calibration) })
	return c.plot((*study.Comparison).CalibrationFigure, 5.5*vg.Inch, 5.5*vg.Inch)
}

// DecisionCurves shows each model's net benefit against treat-all and
// treat-none over the threshold probabilities (Vickers & Elkin 2006;
// study.Comparison.DecisionFigure).
func (c *comparisonView[V]) DecisionCurves() V {
	return c.plot((*study.Comparison).DecisionFigure, 6*vg.Inch, 4*vg.Inch)
}
