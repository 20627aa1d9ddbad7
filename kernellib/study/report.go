package study

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
	"github.com/ceusrad/ceusrad/kernellib/plots"
	"github.com/ceusrad/ceusrad/kernellib/roc"
	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// f3 formats a number with three decimals, NaN as "NA".
func f3(v float64) string {
	if math.IsNaN(v) {
		return "NA"
	}
	return fmt.Sprintf("%.3f", v)
}

// ci formats an interval as "lo to hi" (a dash would be ambiguous with negative limits).
func ci(c [2]float64) string { return f3(c[0]) + " to " + f3(c[1]) }

// pval formats a p-value: three decimals, "<0.001" below.
func pval(p float64) string {
	switch {
	case math.IsNaN(p):
		return "NA"
	case p < 0.001:
		return "<0.001"
	}
	return fmt.Sprintf("%.3f", p)
}

// prop formats a proportion with its Wilson interval.
func prop(p roc.Proportion) string {
	return fmt.Sprintf("%s (%s)", f3(p.Est), ci(p.Wilson))
}

func frame(cols []string, rows [][]string) dataframe.DataFrame {
	ss := make([]series.Series, len(cols))
	for j, c := range cols {
		v := make([]string, len(rows))
		for i, r := range rows {
			v[i] = r[j]
		}
		ss[j] = series.New(v, series.String, c)
	}
	return dataframe.New(ss...)
}

// AUCTable is the discrimination table: per model the validation AUC, its
// DeLong SE and CI, the bootstrap percentile and BCa CIs, the p of AUC =
// 0.5, and the precision–recall areas: the average precision with its
// bootstrap percentile CI and the Davis–Goadrich interpolated area.
func (c *Comparison) AUCTable() dataframe.DataFrame {
	lv := fmt.Sprintf("%.0f%%", 100*c.Options.Level)
	cols := []string{"model", "AUC", "SE (DeLong)", lv + " CI (DeLong)", lv + " CI (bootstrap percentile)", lv + " CI (bootstrap BCa)",
		"p (AUC = 0.5)", "average precision (" + lv + " bootstrap CI)", "PR-AUC (interpolated)"}
	var rows [][]string
	for _, m := range c.Models {
		rows = append(rows, []string{m.Name, f3(m.AUC), f3(m.SE), ci(m.CIDeLong), ci(m.Boot.Percentile), ci(m.Boot.BCa),
			pval(m.VsHalf.P), fmt.Sprintf("%s (%s)", f3(m.PR.AveragePrecision()), ci(m.PRBoot.Percentile)), f3(m.PR.AUCInterpolated())})
	}
	return frame(cols, rows)
}

// OperatingTable is the accuracy at the Youden threshold fixed on the
// training split: sensitivity, specificity, accuracy, PPV and NPV on the
// validation cohort with Wilson intervals.
func (c *Comparison) OperatingTable() dataframe.DataFrame {
	cols := []string{"model", "threshold", "fixed on", "sensitivity", "specificity", "accuracy", "PPV", "NPV"}
	var rows [][]string
	for _, m := range c.Models {
		on := "training (out-of-fold)"
		if m.ThresholdOnValidation {
			on = "validation (optimistic)"
		} else if m.ThresholdSource == ThresholdInnerSplit {
			on = "training (inner early-stopping split)"
		}
		rows = append(rows, []string{m.Name, f3(m.Operating.Threshold), on, prop(m.Metrics.Sensitivity),
			prop(m.Metrics.Specificity), prop(m.Metrics.Accuracy), prop(m.Metrics.PPV), prop(m.Metrics.NPV)})
	}
	return frame(cols, rows)
}

// OmnibusLine is the header of the pairwise table: DeLong's omnibus test
// that all the models' AUCs are equal, tested before the pairs
// (gatekeeping); empty with fewer than three models.
func (c *Comparison) OmnibusLine() string {
	o := c.Omnibus
	if o == nil {
		return ""
	}
	reduced := ""
	if o.DF < len(c.Models)-1 {
		reduced = fmt.Sprintf(" (not %d: some AUC differences have no variance)", len(c.Models)-1)
	}
	return fmt.Sprintf("Omnibus DeLong test, all %d AUCs equal: χ² = %.2f, df = %d%s, p = %s (DeLong et al. 1988); the pairwise tests below follow it.",
		len(c.Models), o.Chi2, o.DF, reduced, pval(o.P))
}

// PairTable is the pairwise comparison: DeLong's paired test of the AUC
// difference with Holm and Bonferroni adjusted p, and NRI/IDI of the second
// model over the first.
func (c *Comparison) PairTable() dataframe.DataFrame {
	cols := []string{"model A", "model B", "AUC A − B", "95% CI", "z", "p (DeLong)", "p (Holm)", "p (Bonferroni)",
		"categorical NRI (B over A)", "continuous NRI", "IDI"}
	var rows [][]string
	for _, p := range c.Pairs {
		d := p.DeLong
		rows = append(rows, []string{p.A, p.B, f3(d.Diff), ci(d.CI), fmt.Sprintf("%.2f", d.Z), pval(d.P), pval(d.PHolm), pval(d.PBonferroni),
			fmt.Sprintf("%s (%s)", f3(p.CategoricalNRI.Total.Est), ci(p.CategoricalNRI.Total.CI)),
			fmt.Sprintf("%s (%s)", f3(p.ContinuousNRI.Total.Est), ci(p.ContinuousNRI.Total.CI)),
			fmt.Sprintf("%s (%s)", f3(p.IDI.IDI.Est), ci(p.IDI.IDI.CI))})
	}
	return frame(cols, rows)
}

// CalibrationTable is calibration-in-the-large, calibration slope (with
// CIs), the Brier and scaled Brier scores and the Hosmer–Lemeshow test on
// the validation patients: G groups (roc.HosmerLemeshowGroups), χ² with G
// degrees of freedom, and in "HL note" the warning when a group expects
// fewer than 5 events or non-events.
func (c *Comparison) CalibrationTable() dataframe.DataFrame {
	cols := []string{"model", "calibration-in-the-large (CI)", "calibration slope (CI)", "Brier", "scaled Brier", "Hosmer–Lemeshow χ²", "groups", "df", "p", "HL note"}
	var rows [][]string
	for _, m := range c.Models {
		r := m.Recalibration
		rows = append(rows, []string{m.Name, fmt.Sprintf("%s (%s)", f3(r.InTheLarge.Est), ci(r.InTheLarge.CI)),
			fmt.Sprintf("%s (%s)", f3(r.Slope.Est), ci(r.Slope.CI)), f3(m.Brier.Brier), f3(m.Brier.Scaled),
			fmt.Sprintf("%.2f", m.HL.Chi2), fmt.Sprint(len(m.HL.Groups)), fmt.Sprint(m.HL.DF), pval(m.HL.P), m.HL.Warning})
	}
	return frame(cols, rows)
}

// PRFigure draws every model's validation precision–recall curve (the
// steps of its average precision) with the prevalence of responders, the
// precision of a score that knows nothing.
func (c *Comparison) PRFigure() (*plot.Plot, error) {
	var s []plots.PRSeries
	for _, m := range c.Models {
		s = append(s, plots.PRSeries{
			Label:  fmt.Sprintf("%s, AP %.2f (%s)", m.Name, m.PR.AveragePrecision(), ci(m.PRBoot.Percentile)),
			Recall: m.PR.Recall, Precision: m.PR.Precision,
		})
	}
	p, err := plots.PR(s, float64(c.Cases)/float64(c.Cases+c.Controls))
	if err != nil {
		return nil, err
	}
	p.Title.Text = fmt.Sprintf("Validation precision–recall (%d OR, %d NR), AP with %.0f%% bootstrap CI", c.Cases, c.Controls, 100*c.Options.Level)
	return p, nil
}

// ROCFigure draws every model's validation ROC curve with its bootstrap
// band and its operating point.
func (c *Comparison) ROCFigure() (*plot.Plot, error) {
	var s []plots.ROCSeries
	for _, m := range c.Models {
		s = append(s, plots.ROCSeries{
			Label:         fmt.Sprintf("%s, AUC %.2f (%s)", m.Name, m.AUC, ci(m.CIDeLong)),
			Specificities: m.Curve.Specificities, Sensitivities: m.Curve.Sensitivities,
			BandSpecificities: m.Band.Specificities, BandLower: m.Band.Lower, BandUpper: m.Band.Upper,
			ShowPoint: true, PointSpecificity: m.Metrics.Specificity.Est, PointSensitivity: m.Metrics.Sensitivity.Est,
		})
	}
	p, err := plots.ROC(s)
	if err != nil {
		return nil, err
	}
	p.Title.Text = fmt.Sprintf("Validation ROC (%d OR, %d NR), %.0f%% bootstrap bands", c.Cases, c.Controls, 100*c.Options.Level)
	return p, nil
}

// CalibrationFigure draws the binned calibration curves.
func (c *Comparison) CalibrationFigure() (*plot.Plot, error) {
	var s []plots.CalibrationSeries
	for _, m := range c.Models {
		cs := plots.CalibrationSeries{Label: m.Name}
		for _, b := range m.Bins {
			cs.Predicted = append(cs.Predicted, b.MeanPredicted)
			cs.Observed = append(cs.Observed, b.Observed)
			cs.Lower = append(cs.Lower, b.CI[0])
			cs.Upper = append(cs.Upper, b.CI[1])
		}
		s = append(s, cs)
	}
	p, err := plots.Calibration(s)
	if err != nil {
		return nil, err
	}
	p.Title.Text = "Calibration on the validation cohort"
	return p, nil
}

// DecisionFigure draws the decision curves.
func (c *Comparison) DecisionFigure() (*plot.Plot, error) {
	var s []plots.DecisionSeries
	for _, m := range c.Models {
		d := plots.DecisionSeries{Label: m.Name}
		for _, nb := range m.DCA {
			d.NetBenefit = append(d.NetBenefit, nb.Model)
		}
		s = append(s, d)
	}
	p, err := plots.DecisionCurves(c.Options.Thresholds, s, c.TreatAll)
	if err != nil {
		return nil, err
	}
	p.Title.Text = "Decision curves on the validation cohort"
	return p, nil
}

// WriteMarkdown writes df as a GitHub-flavoured Markdown table.
func WriteMarkdown(w io.Writer, df dataframe.DataFrame) error {
	recs := df.Records()
	var b strings.Builder
	for i, r := range recs {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
		if i == 0 {
			b.WriteString("|" + strings.Repeat("---|", len(r)) + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteTable writes df as base.csv and base.md, each to a temporary file
// beside it that is renamed into place when whole (safeio.WriteWith): a
// failure half-way leaves a previous file of that name whole.
func WriteTable(df dataframe.DataFrame, base string) error { return writeTable(df, base, "") }

// writeTable is WriteTable with a line of text, when lead is not empty,
// above the Markdown table.
func writeTable(df dataframe.DataFrame, base, lead string) error {
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		return err
	}
	for _, ext := range []string{".csv", ".md"} {
		write := func(w io.Writer) error { return df.WriteCSV(w) }
		if ext == ".md" {
			write = func(w io.Writer) error {
				if lead != "" {
					if _, err := io.WriteString(w, lead+"\n\n"); err != nil {
						return err
					}
				}
				return WriteMarkdown(w, df)
			}
		}
		if err := safeio.WriteWith(base+ext, write); err != nil {
			return fmt.Errorf("study: %w", err)
		}
	}
	return nil
}

// WriteFiles writes the comparison's tables (CSV and Markdown) and figures
// (PNG at 300 dpi and SVG) into dir, each file name starting with prefix,
// and returns the paths written.
func (c *Comparison) WriteFiles(dir, prefix string) ([]string, error) {
	var paths []string
	tables := []struct {
		name string
		df   dataframe.DataFrame
	}{{"auc", c.AUCTable()}, {"operating_points", c.OperatingTable()}, {"calibration", c.CalibrationTable()}}
	if len(c.Pairs) > 0 {
		tables = append(tables, struct {
			name string
			df   dataframe.DataFrame
		}{"pairwise", c.PairTable()})
	}
	for _, t := range tables {
		base := filepath.Join(dir, prefix+t.name)
		lead := ""
		if t.name == "pairwise" {
			lead = c.OmnibusLine()
		}
		if err := writeTable(t.df, base, lead); err != nil {
			return paths, err
		}
		paths = append(paths, base+".csv", base+".md")
	}
	figs := []struct {
		name string
		make func() (*plot.Plot, error)
		w, h vg.Length
	}{{"roc", c.ROCFigure, 5.5 * vg.Inch, 5.5 * vg.Inch}, {"calibration", c.CalibrationFigure, 5 * vg.Inch, 5 * vg.Inch},
		{"decision_curves", c.DecisionFigure, 6 * vg.Inch, 4 * vg.Inch}, {"pr_curves", c.PRFigure, 5.5 * vg.Inch, 5.5 * vg.Inch}}
	for _, f := range figs {
		p, err := f.make()
		if err != nil {
			return paths, fmt.Errorf("study: figure %s: %w", f.name, err)
		}
		ps, err := plots.Save(p, filepath.Join(dir, prefix+f.name), f.w, f.h, 300)
		if err != nil {
			return paths, err
		}
		paths = append(paths, ps...)
	}
	return paths, nil
}
