package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// rocWeightsUsage documents -weights and -cluster in `ceusrad help roc`.
const rocWeightsUsage = `With -weights COL, column COL holds a case weight per row (a sampling
weight, e.g. 1/probability of being verified: finite and >= 0; 0 leaves the
row out). The report adds the weighted AUCs (sum of w_i w_j psi over sum w_i
sum w_j, scikit-learn's roc_auc_score(sample_weight=)), their weighted DeLong
SE and 95% CI (the linearised variance of the weighted placements; see
roc.NewWeightedDeLong) and the weighted paired tests.

With -cluster COL, column COL names the cluster of each row (the patient of
a lesion, when a patient has several lesions). The report adds Obuchowski's
clustered AUCs (all lesion pairs), their SE and 95% CI from the patient-level
sums of the placements (Obuchowski, Biometrics 1997), and the paired z-tests
with the clustered covariance. -weights and -cluster are not combined.

A row whose truth is missing is left out before its weight or cluster is
read; any other row with an empty or missing (NA, N/A, NaN, ".") weight or
cluster label is an error naming the row.

With -weights the JSON object adds
  "weighted": {"column": .., "n_cases": .., "n_controls": .., "n_zero_weight": ..,
    "case_weight": .., "control_weight": .., "models": [{"score", "auc", "se", "ci"}],
    "paired": [{"a", "b", "diff", "z", "p", "ci"}]}
and with -cluster
  "clustered": {"column": .., "clusters": .., "clusters_with_cases": ..,
    "clusters_with_controls": .., "models": [...], "paired": [...]}
(n_cases and n_controls count rows of positive weight; models and paired
as above).
`

// rocAdjModel is one score of the weighted or clustered section.
type rocAdjModel struct {
	Score string       `json:"score"`
	AUC   jsonFloat    `json:"auc"`
	SE    jsonFloat    `json:"se"`
	CI    [2]jsonFloat `json:"ci"`
}

// rocWeighted is the "weighted" section of `ceusrad roc -json`.
type rocWeighted struct {
	Column        string        `json:"column"`
	NCases        int           `json:"n_cases"`
	NControls     int           `json:"n_controls"`
	NZeroWeight   int           `json:"n_zero_weight"`
	CaseWeight    jsonFloat     `json:"case_weight"`
	ControlWeight jsonFloat     `json:"control_weight"`
	Models        []rocAdjModel `json:"models"`
	Paired        []rocPair     `json:"paired"`
	holm          []float64
}

// rocClustered is the "clustered" section of `ceusrad roc -json`.
type rocClustered struct {
	Column               string        `json:"column"`
	Clusters             int           `json:"clusters"`
	ClustersWithCases    int           `json:"clusters_with_cases"`
	ClustersWithControls int           `json:"clusters_with_controls"`
	Models               []rocAdjModel `json:"models"`
	Paired               []rocPair     `json:"paired"`
	holm                 []float64
}

// rocExtraColumns checks -weights and -cluster and returns the columns
// readROCCSV must read besides the truth and the scores.
func rocExtraColumns(weights, cluster, truth string, scores []string) ([]string, error) {
	if weights != "" && cluster != "" {
		return nil, fmt.Errorf("-weights and -cluster cannot be combined (a weighted clustered AUC is not implemented); give one")
	}
	col, flag := weights, "-weights"
	if cluster != "" {
		col, flag = cluster, "-cluster"
	}
	if col == "" {
		return nil, nil
	}
	if col == truth {
		return nil, fmt.Errorf("%s %q is the truth column", flag, col)
	}
	for _, s := range scores {
		if col == s {
			return nil, fmt.Errorf("%s %q is also a score column", flag, col)
		}
	}
	return []string{col}, nil
}

// addWeightsClusters adds the weighted or the clustered section to the
// report, reading the weights or cluster labels from d.extra[0].
func addWeightsClusters(rep *rocReport, d *rocData, names []string, path, weights, cluster string) error {
	switch {
	case weights != "":
		w := make([]float64, len(d.truth))
		for i, s := range d.extra[0] {
			where := fmt.Sprintf("%s: line %d (data row %d), column %q", path, d.lines[i], d.rows[i], weights)
			s = strings.TrimSpace(s)
			v, err := strconv.ParseFloat(s, 64)
			switch {
			case cohort.IsMissing(s):
				return fmt.Errorf("%s: missing weight (give 0 to leave the row out)", where)
			case err != nil:
				return fmt.Errorf("%s: weight %q is not a number", where, s)
			case math.IsInf(v, 0) || v < 0:
				return fmt.Errorf("%s: weight %q is not a finite number ≥ 0", where, s)
			}
			w[i] = v
		}
		wd, err := roc.NewWeightedDeLong(d.scores, d.truth, w, roc.CasesHigher)
		if err != nil {
			return fmt.Errorf("%s: column %q: %w", path, weights, err)
		}
		sec := &rocWeighted{Column: weights, NCases: wd.Cases, NControls: wd.Controls, NZeroWeight: wd.Excluded,
			CaseWeight: jsonFloat(wd.CaseWeight), ControlWeight: jsonFloat(wd.ControlWeight)}
		if sec.Models, sec.Paired, sec.holm, err = adjustedRows(&wd.DeLong, names); err != nil {
			return err
		}
		rep.Weighted = sec
	case cluster != "":
		labels := make([]string, len(d.truth))
		for i, s := range d.extra[0] {
			if cohort.IsMissing(s) {
				return fmt.Errorf("%s: line %d (data row %d), column %q: missing cluster label", path, d.lines[i], d.rows[i], cluster)
			}
			labels[i] = strings.TrimSpace(s)
		}
		c, err := roc.NewClustered(d.scores, d.truth, labels, roc.CasesHigher)
		if err != nil {
			return fmt.Errorf("%s: column %q: %w", path, cluster, err)
		}
		sec := &rocClustered{Column: cluster, Clusters: c.Clusters, ClustersWithCases: c.ClustersWithCases,
			ClustersWithControls: c.ClustersWithControls}
		if sec.Models, sec.Paired, sec.holm, err = adjustedRows(&c.DeLong, names); err != nil {
			return err
		}
		rep.Clustered = sec
	}
	return nil
}

// adjustedRows turns a weighted or clustered estimate into the rows of its
// section: AUC, SE and normal CI per score, the paired z-tests with their
// Holm-adjusted p-values.
func adjustedRows(d *roc.DeLong, names []string) ([]rocAdjModel, []rocPair, []float64, error) {
	models := make([]rocAdjModel, 0, len(names))
	for r, n := range names {
		ci, err := d.CI(r, rocLevel)
		if err != nil {
			return nil, nil, nil, err
		}
		models = append(models, rocAdjModel{Score: n, AUC: jsonFloat(d.AUC[r]), SE: jsonFloat(d.SE(r)),
			CI: [2]jsonFloat{jsonFloat(ci[0]), jsonFloat(ci[1])}})
	}
	rows, err := d.Pairwise(rocLevel)
	if err != nil {
		return nil, nil, nil, err
	}
	pairs := []rocPair{}
	holm := make([]float64, len(rows))
	for i, t := range rows {
		pairs = append(pairs, rocPair{A: names[t.A], B: names[t.B], Diff: jsonFloat(t.Diff), Z: jsonFloat(t.Z),
			P: jsonFloat(t.P), CI: [2]jsonFloat{jsonFloat(t.CI[0]), jsonFloat(t.CI[1])}})
		holm[i] = t.PHolm
	}
	return models, pairs, holm, nil
}

// printWeightsClusters writes the weighted or clustered section as tables
// after the plain ones.
func printWeightsClusters(w io.Writer, rep *rocReport) {
	var models []rocAdjModel
	var pairs []rocPair
	var holm []float64
	switch {
	case rep.Weighted != nil:
		s := rep.Weighted
		fmt.Fprintf(w, "\nWeighted by column %q (sampling weights, weighted DeLong variance): %d cases (weight %.6g), %d controls (weight %.6g)",
			s.Column, s.NCases, s.CaseWeight, s.NControls, s.ControlWeight)
		if s.NZeroWeight > 0 {
			fmt.Fprintf(w, "; %d %s of weight 0 left out", s.NZeroWeight, plural(s.NZeroWeight, "row", "rows"))
		}
		models, pairs, holm = s.Models, s.Paired, s.holm
	case rep.Clustered != nil:
		s := rep.Clustered
		fmt.Fprintf(w, "\nClustered by column %q (Obuchowski 1997): %d clusters, %d with a case, %d with a control",
			s.Column, s.Clusters, s.ClustersWithCases, s.ClustersWithControls)
		models, pairs, holm = s.Models, s.Paired, s.holm
	default:
		return
	}
	fmt.Fprint(w, "\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "score\tAUC\tSE\t95% CI\t")
	for _, m := range models {
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f to %.4f\t\n", m.Score, m.AUC, m.SE, m.CI[0], m.CI[1])
	}
	tw.Flush()
	if len(pairs) == 0 {
		return
	}
	fmt.Fprintf(w, "\nPaired z-tests (difference = AUC a − AUC b; Holm over %d %s)\n\n", len(pairs), plural(len(pairs), "pair", "pairs"))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "a\tb\tdiff\t95% CI\tz\tp\tp (Holm)\t")
	for i, p := range pairs {
		fmt.Fprintf(tw, "%s\t%s\t%.4f\t%.4f to %.4f\t%.3f\t%s\t%s\t\n", p.A, p.B, p.Diff, p.CI[0], p.CI[1], p.Z, pval(float64(p.P)), pval(holm[i]))
	}
	tw.Flush()
}

// plural picks the singular or plural word for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
