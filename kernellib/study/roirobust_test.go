package study

import (
	"fmt"
	"math"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/radiomics"
	"github.com/ceusrad/ceusrad/kernellib/tic"
)

// roiModels fits R-TIC and R-BMode with the given options on c's training
// split, on the features RTICFeatures and RBModeFeatures compute.
func roiModels(tb testing.TB, c *cohort.Cohort, rto RTICOptions, rbo RBModeOptions) (*RTICResult, *RBModeResult) {
	tb.Helper()
	tf, err := RTICFeatures(c, nil)
	if err != nil {
		tb.Fatal(err)
	}
	bf, err := RBModeFeatures(c, nil)
	if err != nil {
		tb.Fatal(err)
	}
	rt, err := RTIC(c, tf, rto)
	if err != nil {
		tb.Fatal(err)
	}
	rb, err := RBMode(c, bf, rbo)
	if err != nil {
		tb.Fatal(err)
	}
	return rt, rb
}

// roiTables are r's tables as records.
func roiTables(r *ROIRobust) [][][]string {
	return [][][]string{r.Table().Records(), r.ICCTable().Records(), r.FeatureICCTable().Records()}
}

func TestROIRobustness(t *testing.T) {
	c := smallCohort(t, 40)
	// R-TIC: ridge logistic; R-BMode: Mann–Whitney top 10, ridge logistic,
	// on the features robust under the default perturbations.
	pt, err := RBModePerturbations(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	rt, rb := roiModels(t, c, RTICOptions{Candidates: DefaultRTICCandidates()[1:2], Repeats: 1},
		RBModeOptions{Candidates: DefaultRBModeCandidates()[3:4], Repeats: 1, Perturbed: pt, ICCThreshold: 0.5})
	var calls, last int
	r, err := ROIRobustness(c, rt, rb, ROIRobustOptions{Workers: 2}, func(done, total int) { calls, last = calls+1, total })
	if err != nil {
		t.Fatal(err)
	}
	nv := len(rt.Valid)
	if calls != nv || last != nv || len(r.Patients) != nv || len(r.Models) != 2 {
		t.Fatalf("%d progress calls of %d, %d patients, %d models for %d validation patients", calls, last, len(r.Patients), len(r.Models), nv)
	}
	// Tested under held-out kinds, not those of the selection.
	ps := radiomics.HeldOutPerturbations()
	sel := radiomics.DefaultPerturbations()
	if !r.HeldOut || !reflect.DeepEqual(r.Selection, sel) || !reflect.DeepEqual(r.Perturbations, ps) {
		t.Errorf("held out %v; selection %v; tested %v", r.HeldOut, r.Selection, r.Perturbations)
	}
	pe := r.PerturbationTable().Records()
	if len(pe) != 1+len(sel)+len(ps) || pe[1][0] != sel[0].Name || pe[1][1] != "selection" || pe[len(pe)-1][0] != ps[len(ps)-1].Name || pe[len(pe)-1][1] != "testing" {
		t.Errorf("perturbation table %v", pe)
	}
	for mi, m := range r.Models {
		want := []struct {
			name  string
			auc   float64
			prob  []float64
			nfeat int
		}{{RTICName, rt.AUC, rt.ValidProb, len(rt.Selected)}, {RBModeName, rb.AUC, rb.ValidProb, len(rb.Selected)}}[mi]
		if m.Name != want.name || len(m.Rows) != len(ps)+1 || len(m.ICC) != want.nfeat {
			t.Fatalf("model %d: %s with %d rows and %d ICCs", mi, m.Name, len(m.Rows), len(m.ICC))
		}
		// The original ROIs reproduce the model's own validation result.
		o := m.Rows[0]
		if o.Perturbation != ROIOriginal || o.AUC != want.auc || !reflect.DeepEqual(o.Prob, want.prob) || o.Test.Diff != 0 || o.Test.P != 1 {
			t.Errorf("%s original ROI: AUC %v (model %v), diff %v, p %v", m.Name, o.AUC, want.auc, o.Test.Diff, o.Test.P)
		}
		changed := 0
		for j, row := range m.Rows[1:] {
			if row.Perturbation != ps[j].Name {
				t.Errorf("%s row %d is %q, want %q", m.Name, j+1, row.Perturbation, ps[j].Name)
			}
			if !reflect.DeepEqual(row.Prob, o.Prob) {
				changed++
			}
			if w := mannWhitneyAUC(row.Prob, r.Truth); math.Abs(row.AUC-w) > 1e-12 {
				t.Errorf("%s %s: AUC %v, by pairs %v", m.Name, row.Perturbation, row.AUC, w)
			}
			// The test is of this row against the original ROIs: its difference is
			// the difference of the two AUCs by pairs, its p the normal tail of Z =
			// Diff/SE, and its CI Diff ± 1.959964·SE (pROC's conf.int).
			d := row.Test
			z := d.Diff / d.SE
			if math.Abs(d.Diff-(row.AUC-o.AUC)) > 1e-12 || math.Abs(d.P-math.Erfc(math.Abs(z)/math.Sqrt2)) > 1e-12 ||
				math.Abs(d.CI[0]-(d.Diff-1.959963984540054*d.SE)) > 1e-12 || math.Abs(d.CI[1]-(d.Diff+1.959963984540054*d.SE)) > 1e-12 {
				t.Errorf("%s %s: ΔAUC %v (AUCs %v, %v), SE %v, CI %v, p %v", m.Name, row.Perturbation, d.Diff, row.AUC, o.AUC, d.SE, d.CI, d.P)
			}
		}
		// Holm's step-down adjustment over this model's perturbations, by hand
		// (Holm 1979): sorted p's times (m − i), their running maximum, at most 1.
		raw := make([]float64, len(m.Rows)-1)
		for j, row := range m.Rows[1:] {
			raw[j] = row.Test.P
		}
		order := make([]int, len(raw))
		for j := range order {
			order[j] = j
		}
		sort.Slice(order, func(a, b int) bool { return raw[order[a]] < raw[order[b]] })
		run := 0.0
		for i, j := range order {
			run = math.Max(run, math.Min(1, float64(len(raw)-i)*raw[j]))
			if got := m.Rows[j+1].PHolm; math.Abs(got-run) > 1e-12 {
				t.Errorf("%s %s: Holm p %v, by hand %v", m.Name, m.Rows[j+1].Perturbation, got, run)
			}
		}
		if changed < len(ps)/2 {
			t.Errorf("%s: only %d of %d perturbations change the probabilities", m.Name, changed, len(ps))
		}
		below, shifted := 0, 0
		for _, f := range m.ICC {
			if f.N > nv || !(math.IsNaN(f.ICC) || f.ICC <= 1) || !(math.IsNaN(f.ICC21) || f.ICC21 <= 1) {
				t.Errorf("%s %s: ICC(3,1) %v, ICC(2,1) %v on %d patients", m.Name, f.Feature, f.ICC, f.ICC21, f.N)
			}
			if f.ICC < 1-1e-9 {
				below++
			}
			// Absolute agreement counts the systematic shifts of erosion
			// and dilation that consistency ignores.
			if f.ICC21 < f.ICC-0.01 {
				shifted++
			}
		}
		if m.Name == RBModeName && (shifted == 0 || !(m.MedianICC21 <= m.MedianICC)) {
			t.Errorf("%s: no feature with ICC(2,1) below its ICC(3,1) (medians %v, %v)", m.Name, m.MedianICC21, m.MedianICC)
		}
		if below == 0 || !(m.MinICC <= m.MedianICC) || !(m.ShareRobust >= 0 && m.ShareRobust <= 1) {
			t.Errorf("%s: %d ICCs below 1, median %v, minimum %v, share %v", m.Name, below, m.MedianICC, m.MinICC, m.ShareRobust)
		}
	}
	tb := r.Table()
	if tb.Nrow() != 2*(len(ps)+1) || tb.Ncol() != 7 || r.ICCTable().Nrow() != 2 || r.FeatureICCTable().Nrow() != len(rt.Selected)+len(rb.Selected) {
		t.Errorf("tables %d×%d, %d, %d", tb.Nrow(), tb.Ncol(), r.ICCTable().Nrow(), r.FeatureICCTable().Nrow())
	}
	t.Logf("\n%v\n%v", tb, r.ICCTable())

	// Testing under a kind the selection used is flagged.
	rs, err := ROIRobustness(c, rt, rb, ROIRobustOptions{Perturbations: []radiomics.Perturbation{ps[0], {Name: "again", Grow: sel[1].Grow}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rs.HeldOut {
		t.Error("a selection kind among the tested ones: still held out")
	}

	// The same result on one worker.
	r1, err := ROIRobustness(c, rt, rb, ROIRobustOptions{Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(roiTables(r1), roiTables(r)) {
		t.Error("the tables depend on the number of workers")
	}
	for i := range r.Models {
		for j := range r.Models[i].Rows {
			if !reflect.DeepEqual(r1.Models[i].Rows[j].Prob, r.Models[i].Rows[j].Prob) {
				t.Errorf("%s %s: the probabilities depend on the number of workers", r.Models[i].Name, r.Models[i].Rows[j].Perturbation)
			}
		}
	}

	// Errors.
	other := tic.DefaultOptions()
	other.SmoothWindow = 9
	for _, cc := range []struct {
		name   string
		c      *cohort.Cohort
		rt     *RTICResult
		rb     *RBModeResult
		opt    ROIRobustOptions
		wanted []string
	}{
		{"nil R-TIC", c, nil, rb, ROIRobustOptions{}, []string{"needs the fitted"}},
		{"nil R-BMode", c, rt, nil, ROIRobustOptions{}, []string{"needs the fitted"}},
		{"nil cohort", nil, rt, rb, ROIRobustOptions{}, []string{"empty cohort"}},
		{"no perturbations", c, rt, rb, ROIRobustOptions{Perturbations: []radiomics.Perturbation{}}, []string{"no perturbations"}},
		{"other TIC options", c, rt, rb, ROIRobustOptions{TIC: &other, Perturbations: ps[:1]}, []string{"R-TIC", "do not reproduce"}},
		{"emptied mask", c, rt, rb, ROIRobustOptions{Perturbations: []radiomics.Perturbation{{Name: "erode 40", Grow: -40}}},
			[]string{"erode 40", "patient " + c.Patients[rt.Valid[0]].ID}},
	} {
		if _, err := ROIRobustness(cc.c, cc.rt, cc.rb, cc.opt, nil); err == nil {
			t.Errorf("%s: no error", cc.name)
		} else {
			for _, w := range cc.wanted {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%s: %v, want an error containing %q", cc.name, err, w)
				}
			}
		}
	}
	moved := *c
	moved.Patients = append([]cohort.Patient(nil), c.Patients...)
	moved.Patients[rt.Valid[0]].ID = "X"
	if _, err := ROIRobustness(&moved, rt, rb, ROIRobustOptions{}, nil); err == nil || !strings.Contains(err.Error(), "not built on the cohort") {
		t.Errorf("another cohort: %v", err)
	}
}

// BenchmarkROIRobustnessDefaultCohort fits R-TIC and R-BMode on the
// default synthetic cohort (`make data`) as BenchmarkRTICDefaultCohort and
// BenchmarkRBModeDefaultCohort do, then times ROIRobustness: the 41
// validation patients' TIC and radiomic features under the original and 8
// perturbed lesion ROIs, scored by the fitted models. It logs a line per
// model and, as a benchmark's log keeps only 10 lines, prints the tables
// (Markdown) on stdout.
func BenchmarkROIRobustnessDefaultCohort(b *testing.B) {
	c, err := cohort.ReadFile("../../datasets/synthetic-tace/cohort.csv", nil)
	if err != nil {
		b.Skipf("default cohort not found (make data): %v", err)
	}
	pt, err := RBModePerturbations(c, nil)
	if err != nil {
		b.Fatal(err)
	}
	rt, rb := roiModels(b, c, RTICOptions{}, RBModeOptions{Perturbed: pt})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		r, err := ROIRobustness(c, rt, rb, ROIRobustOptions{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/run")
		if i == 0 {
			// A benchmark's log keeps 10 lines: a line per model there,
			// the tables on stdout.
			for _, m := range r.Models {
				lo, hi, worst := 1.0, 0.0, m.Rows[1]
				for _, row := range m.Rows[1:] {
					lo, hi = min(lo, row.AUC), max(hi, row.AUC)
					if row.Test.Diff < worst.Test.Diff {
						worst = row
					}
				}
				b.Logf("%s: validation AUC %.3f with the original ROIs, %.3f to %.3f under the %d perturbations (largest drop %.3f, %s, DeLong p %s); %d features used, ICC(3,1) median %.3f, minimum %.3f, %.0f%% ≥ %g",
					m.Name, m.Rows[0].AUC, lo, hi, len(r.Perturbations), worst.Test.Diff, worst.Perturbation, pval(worst.Test.P),
					len(m.ICC), m.MedianICC, m.MinICC, 100*m.ShareRobust, r.ICCThreshold)
			}
			fmt.Printf("ROI robustness on %d validation patients (R-TIC %s, R-BMode %s):\n\n", len(r.Patients), rt.ChosenName(), rb.ChosenName())
			for _, df := range []dataframe.DataFrame{r.Table(), r.ICCTable(), r.FeatureICCTable()} {
				if err := WriteMarkdown(os.Stdout, df); err != nil {
					b.Fatal(err)
				}
				fmt.Println()
			}
		}
	}
}
