package study

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/go-gota/gota/dataframe"
)

// MinQuantileSplits is the fewest re-drawn splits whose spread the
// robustness tables summarise by 2.5 % / 97.5 % quantiles and an SD. With
// fewer (e.g. 2 retrainings of the CNN) such summaries are not estimates
// of anything — the type-7 2.5 % quantile of 2 values is nearly their
// minimum — so the tables print every split's value instead.
const MinQuantileSplits = 10

// joinF3 prints values with 3 decimals, separated by commas: "0.810, 0.840".
func joinF3(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = f3(x)
	}
	return strings.Join(s, ", ")
}

// meanSD is the mean and sample SD (n − 1; 0 for one value) of v.
func meanSD(v []float64) (mean, sd float64) {
	for _, x := range v {
		mean += x / float64(len(v))
	}
	for _, x := range v {
		sd += (x - mean) * (x - mean)
	}
	if len(v) > 1 {
		sd = math.Sqrt(sd / float64(len(v)-1))
	}
	return mean, sd
}

// aucSummaryTable is the distribution of each model's validation AUC over
// the splits (auc[k][r]: model k, split r). With at least
// MinQuantileSplits splits: median, 2.5 % and 97.5 % quantiles (type 7),
// mean and SD; with fewer: the AUC of every split in split order, the
// median and the mean.
func aucSummaryTable(models []string, auc [][]float64) dataframe.DataFrame {
	small := len(auc) > 0 && len(auc[0]) < MinQuantileSplits
	cols := []string{"model", "splits", "median AUC", "2.5%", "97.5%", "mean", "SD"}
	if small {
		cols = []string{"model", "splits", "AUC on each split", "median AUC", "mean"}
	}
	var rows [][]string
	for k, name := range models {
		a := append([]float64(nil), auc[k]...)
		sort.Float64s(a)
		mean, sd := meanSD(a)
		if small {
			rows = append(rows, []string{name, fmt.Sprint(len(a)), joinF3(auc[k]), f3(quantile(a, 0.5)), f3(mean)})
			continue
		}
		rows = append(rows, []string{name, fmt.Sprint(len(a)), f3(quantile(a, 0.5)), f3(quantile(a, 0.025)), f3(quantile(a, 0.975)), f3(mean), f3(sd)})
	}
	return frame(cols, rows)
}

// share prints the fraction f of splits: as a proportion with at least
// MinQuantileSplits splits, as "k of R" below.
func share(f float64, splits int) string {
	if splits >= MinQuantileSplits {
		return f3(f)
	}
	return fmt.Sprintf("%d of %d", int(math.Round(f*float64(splits))), splits)
}

// pairSummaryTable is how often each pairwise verdict of r holds over the
// splits. With at least MinQuantileSplits splits: the median AUC
// difference and its 2.5 % / 97.5 % quantiles; with fewer: the difference
// on every split (from r.AUC) and the shares as counts ("1 of 2").
func pairSummaryTable(r *Robustness) dataframe.DataFrame {
	small := r.Splits < MinQuantileSplits
	cols := []string{"model A", "model B", "A higher (share of splits)", "median AUC A − B", "2.5%", "97.5%",
		fmt.Sprintf("DeLong p < %.2f", r.Alpha), fmt.Sprintf("Holm p < %.2f", r.Alpha)}
	if small {
		cols = []string{"model A", "model B", "A higher (splits)", "AUC A − B on each split", "median AUC A − B",
			fmt.Sprintf("DeLong p < %.2f", r.Alpha), fmt.Sprintf("Holm p < %.2f", r.Alpha)}
	}
	var rows [][]string
	for _, p := range r.Pairs {
		if !small {
			rows = append(rows, []string{p.A, p.B, f3(p.AHigher), f3(p.MedianDiff), f3(p.Q025), f3(p.Q975), f3(p.Significant), f3(p.SigHolm)})
			continue
		}
		diffs := "—"
		a, b := slices.Index(r.Models, p.A), slices.Index(r.Models, p.B)
		if a >= 0 && b >= 0 && len(r.AUC[a]) == len(r.AUC[b]) {
			d := make([]float64, len(r.AUC[a]))
			for i := range d {
				d[i] = r.AUC[a][i] - r.AUC[b][i]
			}
			diffs = joinF3(d)
		}
		rows = append(rows, []string{p.A, p.B, share(p.AHigher, r.Splits), diffs, f3(p.MedianDiff),
			share(p.Significant, r.Splits), share(p.SigHolm, r.Splits)})
	}
	return frame(cols, rows)
}

// splitsSentence says over how many re-drawn splits the robustness
// analyses ran, for paper_vs_reproduction.md: rb (nil when not run) over
// the models that retrain in seconds, cnn (nil when not run) over every
// model including the CNN; models are all the study's models, so that a
// model retrained on few splits, or on none, is named with its count.
func splitsSentence(rb, cnn *Robustness, models []string) string {
	var b strings.Builder
	b.WriteString("Robustness (the paper: performance stayed the same with different training and validation cohorts): ")
	var others []string // models rb did not retrain
	for _, m := range models {
		if rb == nil || !slices.Contains(rb.Models, m) {
			others = append(others, m)
		}
	}
	sep := ""
	if rb != nil {
		fmt.Fprintf(&b, "%s retrained on each of %d re-drawn 89/41 splits (`robustness_auc.md`, `robustness_pairs.md`)", strings.Join(rb.Models, ", "), rb.Splits)
		sep = "; "
	}
	switch {
	case len(others) == 0:
	case cnn != nil:
		fmt.Fprintf(&b, "%s%s retrained on only %d re-drawn split%s, with every model (`robustness_cnn_auc.md`)", sep, strings.Join(others, ", "), cnn.Splits, plural(cnn.Splits))
		if cnn.Splits < MinQuantileSplits {
			fmt.Fprintf(&b, "; with fewer than %d splits that table lists each split's AUC rather than quantiles", MinQuantileSplits)
		}
	default:
		fmt.Fprintf(&b, "%s%s not retrained on any re-drawn split (AUC from the paper's split only)", sep, strings.Join(others, ", "))
	}
	b.WriteString(".\n")
	return b.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
