package study

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/go-gota/gota/dataframe"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/internal/parallel"
	"github.com/ceusrad/ceusrad/kernellib/learn"
	"github.com/ceusrad/ceusrad/kernellib/radiomics"
	"github.com/ceusrad/ceusrad/kernellib/roc"
	"github.com/ceusrad/ceusrad/kernellib/tic"
)

// ROIOriginal is the name of the reference condition of ROIRobustness:
// the lesion ROI as drawn.
const ROIOriginal = "original ROI"

// ROIRobustOptions are the settings of ROIRobustness; zero values take the
// defaults.
type ROIRobustOptions struct {
	// Perturbations of the lesion mask; nil means
	// radiomics.HeldOutPerturbations() (erosion and dilation by 3 pixels,
	// a diagonal 2-pixel shift, three seeded elastic contour jitters):
	// kinds R-BMode's ICC filter did not select its features under
	// (radiomics.DefaultPerturbations), so that the test is not circular.
	Perturbations []radiomics.Perturbation
	// TIC are the options the R-TIC feature table was computed with; nil
	// means tic.DefaultOptions() (RTICFeatures). A TIC.Lesion of its own is
	// applied before each perturbation.
	TIC *tic.Options
	// Radiomics are the settings the R-BMode feature table was computed
	// with (Settings, PixelSpacingMM); the zero value is RBModeFeatures'.
	// Its Workers is not used.
	Radiomics radiomics.TableOptions
	// Level of the CIs of the AUC differences; default 0.95.
	Level float64
	// ICCThreshold is the ICC from which a feature counts as robust (both
	// ICC(3,1) and ICC(2,1)); default radiomics.DefaultICCThreshold (0.75,
	// Koo & Li 2016).
	ICCThreshold float64
	// Workers is the number of patients processed at once (≤ 0:
	// GOMAXPROCS); the result does not depend on it.
	Workers int
}

func (o ROIRobustOptions) withDefaults() ROIRobustOptions {
	if o.Perturbations == nil {
		o.Perturbations = radiomics.HeldOutPerturbations()
	}
	if o.TIC == nil {
		d := tic.DefaultOptions()
		o.TIC = &d
	}
	if o.Level == 0 {
		o.Level = 0.95
	}
	if o.ICCThreshold == 0 {
		o.ICCThreshold = radiomics.DefaultICCThreshold
	}
	return o
}

// ROIRobustRow is a model's validation performance with every validation
// lesion ROI changed the same way.
type ROIRobustRow struct {
	// Perturbation names the change (ROIOriginal for the ROI as drawn).
	Perturbation string
	// Prob are the validation patients' probabilities of OR (order of
	// ROIRobust.Patients) and AUC their AUC.
	Prob []float64
	AUC  float64
	// Test is DeLong's paired test of AUC − the original ROI's AUC on the
	// same patients (Test.Diff; Z 0 and p 1 on the original row), and
	// PHolm its p adjusted by Holm's method over the model's
	// perturbations (NaN on the original row).
	Test  roc.PairedTest
	PHolm float64
}

// ROIFeatureICC is the agreement of one feature a model uses across the
// ROI conditions over the validation patients whose value is finite under
// every condition (N of them; a failed TIC fit leaves its parameters
// missing): ICC is the consistency ICC(3,1) (radiomics.ICC31) and ICC21
// the absolute-agreement ICC(2,1) (radiomics.ICC21), which a systematic
// shift of the feature under a perturbation lowers; NaN when undefined
// (fewer than 2 patients, or no variance at all).
type ROIFeatureICC struct {
	Feature    string
	N          int
	ICC, ICC21 float64
}

// ROIRobustModel is one fitted model under the ROI perturbations.
type ROIRobustModel struct {
	Name string
	// Rows are the original ROI, then each perturbation in order.
	Rows []ROIRobustRow
	// ICC holds, for each feature the fitted model uses (its Selected
	// features, in that order), the feature's ICC(3,1) with the
	// validation patients as subjects and the original and perturbed ROIs
	// as conditions.
	ICC []ROIFeatureICC
	// Defined is the number of features with a defined ICC, MedianICC and
	// MinICC the median and minimum of their ICC(3,1)s (NaN when none), and
	// ShareRobust the share of the model's features whose ICC(3,1) is at
	// least ROIRobust.ICCThreshold (an undefined ICC counts as not robust;
	// NaN without features); MedianICC21, MinICC21 and ShareRobust21 the
	// same of their ICC(2,1)s.
	Defined               int
	MedianICC, MinICC     float64
	ShareRobust           float64
	MedianICC21, MinICC21 float64
	ShareRobust21         float64
}

// ROIRobust is the answer to "had another reader drawn the lesion ROI
// slightly differently, would the models' validation performance hold?"
// (ROIRobustness).
type ROIRobust struct {
	// Patients are the validation patients' IDs, in the order of the
	// models' Valid, and Truth their outcomes (true = OR).
	Patients []string
	Truth    []bool
	// Perturbations are the lesion-mask changes tested, after the
	// original ROI; Selection those R-BMode's ICC filter selected its
	// features under (nil without the filter), and HeldOut reports that
	// no tested change is one of them (radiomics.Perturbation.Same).
	Perturbations []radiomics.Perturbation
	Selection     []radiomics.Perturbation
	HeldOut       bool
	// Level of the CIs and ICCThreshold of ShareRobust.
	Level, ICCThreshold float64
	// Models are R-TIC and R-BMode, in that order.
	Models []ROIRobustModel
}

// ROIRobustness measures how the validation performance of the fitted R-TIC
// and R-BMode models depends on the lesion ROI, i.e. on the reader who
// drew it. The models stay as fitted on the training split's original ROIs
// (nothing is retrained or re-chosen); only the validation patients'
// lesion masks change: each is perturbed in turn by every perturbation of
// opt.Perturbations (radiomics.PerturbMask — erosion, dilation, shifts and
// elastic contour jitter that mimic inter-reader delineation differences,
// as in Zwanenburg et al., "Assessing robustness of radiomic features by
// image perturbation", Sci Rep 9:614, 2019; by default kinds other than
// those R-BMode's ICC filter selected its features under, so that the
// features are not tested under the very changes they were chosen to
// withstand), the liver reference ROI is left as drawn, and each
// patient's TIC features (tic.AnalysePatient with opt.TIC, as RTICFeatures)
// and B-mode radiomic features (radiomics.Extract with opt.Radiomics, as
// RBModeFeatures) are computed again and scored by the fitted models.
//
// For each model and perturbation the result gives the validation AUC,
// its difference from the original ROIs' AUC with DeLong's paired test and
// CI (DeLong, DeLong & Clarke-Pearson, Biometrics 44:837, 1988; the same
// patients score under both ROIs), Holm-adjusted over the perturbations
// (Holm, Scand J Statist 6:65, 1979); and, for each feature the model
// uses, its consistency ICC(3,1) and absolute-agreement ICC(2,1) across the
// original and perturbed ROIs with the validation patients as subjects
// (radiomics.ICC31, radiomics.ICC21; Shrout & Fleiss, Psychol Bull 86:420,
// 1979) — ICC(2,1) counts the systematic shift an erosion causes, which
// moves a fixed model's predictions and ICC(3,1) ignores — summarised by
// median, minimum and the share reaching opt.ICCThreshold (0.75, "good"
// reliability, Koo & Li, J Chiropr Med 15:155, 2016). The result records
// which perturbations selected R-BMode's features and which were tested
// (PerturbationTable).
//
// The original-ROI row is computed from the recomputed features, and must
// reproduce the models' own validation probabilities (otherwise the
// options differ from those of the feature tables, and it is an error):
// every difference is then due to the ROI alone. c is the cohort the
// models were built on (its files are read; its patients must be those of
// the results). Patients are processed by opt.Workers goroutines; the
// result does not depend on their number. progress, when not nil, is
// called (serially) after each validation patient. An extraction error
// (e.g. an erosion that empties a small mask) names the patient and the
// perturbation.
func ROIRobustness(c *cohort.Cohort, rtic *RTICResult, rbmode *RBModeResult, opt ROIRobustOptions, progress func(done, total int)) (*ROIRobust, error) {
	opt = opt.withDefaults()
	if rtic == nil || rbmode == nil || rtic.Model == nil || rbmode.Model == nil {
		return nil, errors.New("study: ROIRobustness: needs the fitted R-TIC and R-BMode results")
	}
	if c == nil || len(c.Patients) == 0 {
		return nil, errors.New("study: ROIRobustness: empty cohort")
	}
	if len(opt.Perturbations) == 0 {
		return nil, errors.New("study: ROIRobustness: no perturbations")
	}
	valid := rtic.Valid
	if !slices.Equal(valid, rbmode.Valid) {
		return nil, fmt.Errorf("study: ROIRobustness: %s and %s have different validation patients", RTICName, RBModeName)
	}
	for _, k := range valid {
		if len(c.Patients) != len(rtic.Patients) || len(c.Patients) != len(rbmode.Patients) ||
			c.Patients[k].ID != rtic.Patients[k].ID || c.Patients[k].ID != rbmode.Patients[k].ID {
			return nil, fmt.Errorf("study: ROIRobustness: the models were not built on the cohort %s", c.Path)
		}
	}
	conds := append([]radiomics.Perturbation{{Name: ROIOriginal}}, opt.Perturbations...)
	settings := radiomics.DefaultSettings()
	if opt.Radiomics.Settings != nil {
		settings = *opt.Radiomics.Settings
	}
	// xt[i][j], xb[i][j]: the R-TIC and R-BMode inputs of validation
	// patient i under condition j.
	n := len(valid)
	xt, xb := make([][][]float64, n), make([][][]float64, n)
	err := parallel.ForEach(n, opt.Workers, func(i int) error {
		p := c.Patients[valid[i]]
		var err error
		if xt[i], err = roiTICRows(p, *opt.TIC, conds, rtic.Inputs); err != nil {
			return err
		}
		xb[i], err = roiBModeRows(p, opt.Radiomics, settings, conds, rbmode.Robust)
		return err
	}, progress)
	if err != nil {
		return nil, err
	}
	out := &ROIRobust{Truth: slices.Clone(rtic.ValidTruth), Perturbations: opt.Perturbations, Level: opt.Level, ICCThreshold: opt.ICCThreshold,
		Selection: slices.Clone(rbmode.ICCPerturbations), HeldOut: true}
	for _, q := range opt.Perturbations {
		for _, s := range rbmode.ICCPerturbations {
			if q.Same(s) {
				out.HeldOut = false
			}
		}
	}
	for _, k := range valid {
		out.Patients = append(out.Patients, c.Patients[k].ID)
	}
	for _, m := range []struct {
		name             string
		model            learn.Model
		x                [][][]float64
		inputs, selected []string
		validProb        []float64
	}{
		{RTICName, rtic.Model, xt, rtic.Inputs, rtic.Selected, rtic.ValidProb},
		{RBModeName, rbmode.Model, xb, rbmode.Robust, rbmode.Selected, rbmode.ValidProb},
	} {
		rm, err := roiRobustModel(m.name, m.model, m.x, conds, out.Patients, out.Truth, m.validProb, opt.Level)
		if err != nil {
			return nil, err
		}
		rm.ICC = roiFeatureICCs(m.x, m.inputs, m.selected)
		rm.summariseICC(opt.ICCThreshold)
		out.Models = append(out.Models, rm)
	}
	return out, nil
}

// roiRobustModel scores x[i][j] (patient i, condition j) with the fitted
// model under each condition, checks that condition 0 reproduces validProb
// and compares every condition's AUC with condition 0's (DeLong, paired).
func roiRobustModel(name string, model learn.Model, x [][][]float64, conds []radiomics.Perturbation, ids []string, truth []bool, validProb []float64, level float64) (ROIRobustModel, error) {
	rm := ROIRobustModel{Name: name}
	probs := make([][]float64, len(conds))
	for j, q := range conds {
		xj := make([][]float64, len(x))
		for i := range x {
			xj[i] = x[i][j]
		}
		var err error
		if probs[j], err = model.PredictProba(xj); err != nil {
			return rm, fmt.Errorf("study: ROIRobustness: %s, %s: %w", name, q.Name, err)
		}
	}
	for i, p := range probs[0] {
		if math.Abs(p-validProb[i]) > 1e-9 {
			return rm, fmt.Errorf("study: ROIRobustness: %s: the features recomputed on the original ROIs do not reproduce the model's validation probabilities (patient %s: %v, the model gave %v); give the options its feature table was computed with", name, ids[i], p, validProb[i])
		}
	}
	dl, err := roc.NewDeLong(probs, truth, roc.CasesHigher)
	if err != nil {
		return rm, fmt.Errorf("study: ROIRobustness: %s: %w", name, err)
	}
	var ps []float64
	for j, q := range conds {
		t, err := dl.Paired(j, 0, level)
		if err != nil {
			return rm, fmt.Errorf("study: ROIRobustness: %s: %w", name, err)
		}
		rm.Rows = append(rm.Rows, ROIRobustRow{Perturbation: q.Name, Prob: probs[j], AUC: dl.AUC[j], Test: t, PHolm: math.NaN()})
		if j > 0 {
			ps = append(ps, t.P)
		}
	}
	for j, p := range roc.Holm(ps) {
		rm.Rows[j+1].PHolm = p
	}
	return rm, nil
}

// roiTICRows analyses patient p's cine once per condition, the lesion mask
// perturbed (after o.Lesion, when set), and returns the values of the
// features names under each condition, a missing or non-finite one as NaN
// (as RTIC reads the table).
func roiTICRows(p cohort.Patient, o tic.Options, conds []radiomics.Perturbation, names []string) ([][]float64, error) {
	rows := make([][]float64, len(conds))
	pre := o.Lesion
	for j, q := range conds {
		oj := o
		oj.Lesion = func(m *imaging.Mask) *imaging.Mask {
			if pre != nil {
				m = pre(m)
			}
			return radiomics.PerturbMask(m, q)
		}
		a, err := tic.AnalysePatient(p, oj)
		if err != nil {
			return nil, fmt.Errorf("study: ROIRobustness: %s: lesion %s: %w", RTICName, q.Name, err)
		}
		fn, fv, _ := a.Features()
		at := make(map[string]float64, len(fn))
		for k, n := range fn {
			at[n] = fv[k]
		}
		rows[j] = make([]float64, len(names))
		for k, n := range names {
			v, ok := at[n]
			if !ok || math.IsInf(v, 0) {
				v = math.NaN()
			}
			rows[j][k] = v
		}
	}
	return rows, nil
}

// roiBModeRows extracts patient p's B-mode radiomic features once per
// condition, the lesion mask perturbed, and returns the values of the
// features names under each condition; a missing one is an error (RBMode's
// inputs are always there).
func roiBModeRows(p cohort.Patient, o radiomics.TableOptions, s radiomics.Settings, conds []radiomics.Perturbation, names []string) ([][]float64, error) {
	cs, err := radiomics.PatientCase(p, o)
	if err != nil {
		return nil, fmt.Errorf("study: ROIRobustness: %s: %w", RBModeName, err)
	}
	rows := make([][]float64, len(conds))
	for j, q := range conds {
		fs, _, err := radiomics.ExtractExcluding(cs.Image, radiomics.PerturbMask(cs.Mask, q), cs.Overlay, s)
		if err != nil {
			return nil, fmt.Errorf("study: ROIRobustness: %s: patient %s (%s), lesion %s: %w", RBModeName, p.ID, p.LesionMask, q.Name, err)
		}
		at := make(map[string]float64, len(fs))
		for _, f := range fs {
			at[f.Key()] = f.Value
		}
		rows[j] = make([]float64, len(names))
		for k, n := range names {
			v, ok := at[n]
			if !ok {
				return nil, fmt.Errorf("study: ROIRobustness: %s: patient %s: the extraction gives no feature %q", RBModeName, p.ID, n)
			}
			rows[j][k] = v
		}
	}
	return rows, nil
}

// roiFeatureICCs returns the ICC(3,1) and ICC(2,1) of each feature of
// selected (a column of inputs) over x[i][j][column], patient i under
// condition j, using the patients whose values are all finite.
func roiFeatureICCs(x [][][]float64, inputs, selected []string) []ROIFeatureICC {
	out := make([]ROIFeatureICC, 0, len(selected))
	for _, name := range selected {
		col := slices.Index(inputs, name)
		var table [][]float64
		for _, xi := range x {
			row := make([]float64, len(xi))
			ok := col >= 0
			for j := range xi {
				if ok {
					row[j] = xi[j][col]
					ok = !math.IsNaN(row[j]) && !math.IsInf(row[j], 0)
				}
			}
			if ok {
				table = append(table, row)
			}
		}
		icc, err := radiomics.ICC31(table)
		if err != nil {
			icc = math.NaN()
		}
		icc21, err := radiomics.ICC21(table)
		if err != nil {
			icc21 = math.NaN()
		}
		out = append(out, ROIFeatureICC{Feature: name, N: len(table), ICC: icc, ICC21: icc21})
	}
	return out
}

// summariseICC fills Defined and the ICC(3,1) and ICC(2,1) summaries from
// ICC.
func (m *ROIRobustModel) summariseICC(threshold float64) {
	m.Defined, m.MedianICC, m.MinICC, m.ShareRobust = summariseICCs(m.ICC, threshold, func(f ROIFeatureICC) float64 { return f.ICC })
	_, m.MedianICC21, m.MinICC21, m.ShareRobust21 = summariseICCs(m.ICC, threshold, func(f ROIFeatureICC) float64 { return f.ICC21 })
}

// summariseICCs returns the number of defined values of get over fs, their
// median and minimum (NaN when none), and the share of fs at or above
// threshold (NaN without features).
func summariseICCs(fs []ROIFeatureICC, threshold float64, get func(ROIFeatureICC) float64) (defined int, median, minimum, share float64) {
	var v []float64
	robust := 0
	for _, f := range fs {
		if x := get(f); !math.IsNaN(x) {
			v = append(v, x)
			if x >= threshold {
				robust++
			}
		}
	}
	sort.Float64s(v)
	median, minimum, share = quantile(v, 0.5), math.NaN(), math.NaN()
	if len(v) > 0 {
		minimum = v[0]
	}
	if len(fs) > 0 {
		share = float64(robust) / float64(len(fs))
	}
	return len(v), median, minimum, share
}

// Table is the validation performance under each ROI: per model and
// perturbation the AUC, its difference from the original ROI's with the
// DeLong CI, and DeLong's paired p, raw and Holm-adjusted over the
// perturbations.
func (r *ROIRobust) Table() dataframe.DataFrame {
	lv := fmt.Sprintf("%.0f%%", 100*r.Level)
	cols := []string{"model", "perturbation", "AUC", "ΔAUC", lv + " CI (ΔAUC)", "p (DeLong)", "p (Holm)"}
	var rows [][]string
	for _, m := range r.Models {
		for j, row := range m.Rows {
			if j == 0 {
				rows = append(rows, []string{m.Name, row.Perturbation, f3(row.AUC), "reference", "—", "—", "—"})
				continue
			}
			rows = append(rows, []string{m.Name, row.Perturbation, f3(row.AUC), f3(row.Test.Diff), ci(row.Test.CI), pval(row.Test.P), pval(row.PHolm)})
		}
	}
	return frame(cols, rows)
}

// ICCTable summarises, per model, the agreement across the original and
// perturbed ROIs of the features the fitted model uses: their number, how
// many have a defined ICC, and the median, minimum and share at or above
// the threshold of their consistency ICC(3,1) and absolute-agreement
// ICC(2,1).
func (r *ROIRobust) ICCTable() dataframe.DataFrame {
	cols := []string{"model", "features used", "ICC defined", "median ICC(3,1)", "minimum ICC(3,1)", fmt.Sprintf("share ICC(3,1) ≥ %g", r.ICCThreshold),
		"median ICC(2,1)", "minimum ICC(2,1)", fmt.Sprintf("share ICC(2,1) ≥ %g", r.ICCThreshold)}
	var rows [][]string
	for _, m := range r.Models {
		rows = append(rows, []string{m.Name, fmt.Sprint(len(m.ICC)), fmt.Sprint(m.Defined), f3(m.MedianICC), f3(m.MinICC), f3(m.ShareRobust),
			f3(m.MedianICC21), f3(m.MinICC21), f3(m.ShareRobust21)})
	}
	return frame(cols, rows)
}

// FeatureICCTable lists the ICC(3,1) and ICC(2,1) of every feature the
// fitted models use, with the number of validation patients they are
// computed on.
func (r *ROIRobust) FeatureICCTable() dataframe.DataFrame {
	cols := []string{"model", "feature", "patients", "ICC(3,1)", "ICC(2,1)"}
	var rows [][]string
	for _, m := range r.Models {
		for _, f := range m.ICC {
			rows = append(rows, []string{m.Name, f.Feature, fmt.Sprint(f.N), f3(f.ICC), f3(f.ICC21)})
		}
	}
	return frame(cols, rows)
}

// PerturbationTable lists every mask perturbation of the analysis and its
// use: "selection" for those R-BMode's ICC filter chose its features under
// (RBModeResult.ICCPerturbations), "testing" for those ROIRobustness
// scored the fitted models under; a kind used for both is listed under
// both, and the analysis is then not held out (ROIRobust.HeldOut).
func (r *ROIRobust) PerturbationTable() dataframe.DataFrame {
	cols := []string{"perturbation", "use", "grow (pixels)", "shift (pixels)", "elastic jitter (RMS pixels, σ pixels, seed)"}
	var rows [][]string
	for _, u := range []struct {
		use string
		ps  []radiomics.Perturbation
	}{{"selection", r.Selection}, {"testing", r.Perturbations}} {
		for _, q := range u.ps {
			jit := "—"
			if q.Jitter.Amplitude != 0 {
				jit = fmt.Sprintf("%g, %g, %d", q.Jitter.Amplitude, q.Jitter.Sigma, q.Jitter.Seed)
			}
			rows = append(rows, []string{q.Name, u.use, fmt.Sprint(q.Grow), fmt.Sprintf("%d, %d, %d", q.Shift[0], q.Shift[1], q.Shift[2]), jit})
		}
	}
	return frame(cols, rows)
}
