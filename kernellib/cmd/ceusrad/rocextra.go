package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// rocPR is a model's precision–recall summary in `ceusrad roc -json`: the
// average precision (scikit-learn's average_precision_score), the area
// under Davis & Goadrich's interpolated PR curve, and the 95% stratified
// bootstrap percentile CI of the average precision (rocPRBoot).
type rocPR struct {
	AveragePrecision jsonFloat    `json:"average_precision"`
	AUCInterpolated  jsonFloat    `json:"auc_interpolated"`
	CI               [2]jsonFloat `json:"ci"`
}

// rocOmnibus is DeLong's omnibus test that all the AUCs are equal.
type rocOmnibus struct {
	Chi2 jsonFloat `json:"chi2"`
	DF   int       `json:"df"`
	P    jsonFloat `json:"p"`
}

// rocPRBoot is the bootstrap of the average precision's CI: pROC's
// defaults (2000 stratified replicates, seed 0) at rocLevel.
var rocPRBoot = roc.BootOptions{Level: rocLevel}

// rocModelExtras returns score r's two-sided p-value of AUC = 0.5 (DeLong's
// SE; roc.DeLong.TestAUC) and its precision–recall summary.
func rocModelExtras(dl *roc.DeLong, r int, scores []float64, truth []bool) (jsonFloat, rocPR, error) {
	t, err := dl.TestAUC(r, 0.5)
	if err != nil {
		return 0, rocPR{}, err
	}
	c, err := roc.NewPRCurve(scores, truth, dl.Directions[r])
	if err != nil {
		return 0, rocPR{}, err
	}
	b, err := roc.BootstrapAveragePrecision(scores, truth, dl.Directions[r], rocPRBoot)
	if err != nil {
		return 0, rocPR{}, err
	}
	return jsonFloat(t.P), rocPR{AveragePrecision: jsonFloat(c.AveragePrecision()), AUCInterpolated: jsonFloat(c.AUCInterpolated()),
		CI: [2]jsonFloat{jsonFloat(b.Percentile[0]), jsonFloat(b.Percentile[1])}}, nil
}

// rocOmnibusOf is DeLong's omnibus test of all the scores, for 3 or more
// (with 2 it is the paired test), nil otherwise.
func rocOmnibusOf(dl *roc.DeLong) (*rocOmnibus, error) {
	if len(dl.AUC) < 3 {
		return nil, nil
	}
	o, err := dl.Omnibus()
	if err != nil {
		return nil, err
	}
	return &rocOmnibus{Chi2: jsonFloat(o.Chi2), DF: o.DF, P: jsonFloat(o.P)}, nil
}

// printPR writes each model's test of AUC = 0.5 and its precision–recall
// areas.
func printPR(w io.Writer, rep *rocReport) {
	fmt.Fprint(w, "\nAUC vs 0.5 (DeLong SE, two-sided) and precision–recall (CI: 2000 stratified bootstrap replicates, percentile)\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "score\tp (AUC = 0.5)\taverage precision\t95% CI\tPR-AUC (interpolated)\t")
	for _, m := range rep.Models {
		fmt.Fprintf(tw, "%s\t%s\t%.4f\t%.4f to %.4f\t%.4f\t\n", m.Score, pval(float64(m.PVsHalf)), m.PRAUC.AveragePrecision,
			m.PRAUC.CI[0], m.PRAUC.CI[1], m.PRAUC.AUCInterpolated)
	}
	tw.Flush()
}

// printOmnibus writes the omnibus test, the gate before the pairs.
func printOmnibus(w io.Writer, rep *rocReport) {
	if o := rep.OmnibusDeLong; o != nil {
		fmt.Fprintf(w, "\nOmnibus DeLong test, all %d AUCs equal: χ² = %.3f, df = %d, p = %s\n", len(rep.Models), o.Chi2, o.DF, pval(float64(o.P)))
	}
}
