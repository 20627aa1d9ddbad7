package study

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/radiomics"
)

// ReaderICC is the inter-reader agreement of one feature: ICC(2,1), two-way
// random effects, absolute agreement, single measure (radiomics.ICC21CI:
// Shrout & Fleiss 1979; McGraw & Wong 1996, ICC(A,1)), with the patients as
// subjects and the two readers' lesion masks as raters, and its confidence
// interval (McGraw & Wong 1996, Table 7). N is the number of patients whose
// feature is finite with both masks (the others are left out of this
// feature's ICC); Defined is false when N < 2 or the values do not vary at
// all (ICC and CI are then NaN).
type ReaderICC struct {
	Feature string
	N       int
	ICC     float64
	CI      [2]float64
	Defined bool
}

// InterReader is the inter-reader agreement of R-TIC's and R-BMode's
// features: each feature computed with the first reader's lesion mask
// (lesion_mask) and with the second reader's (lesion_mask_2) on the
// patients that have both. The rule for a cohort that gives lesion_mask_2
// for some patients only: the analysis uses the patients that have it, and
// says how many (IDs).
type InterReader struct {
	// IDs are the patients with both readers' masks, in manifest order.
	IDs []string
	// Level is the confidence level of the CIs.
	Level float64
	// Models are the models analysed (RTICName, RBModeName), in the order
	// of the study's tables.
	Models []string
	// Tables holds, per model, its feature table with the first reader's
	// masks ([0]) and with the second's ([1]), one row per patient of IDs
	// (patient_id column).
	Tables map[string][2]dataframe.DataFrame
	// ICC holds, per model, every feature's agreement over all of IDs, in
	// the order of the table's columns.
	ICC map[string][]ReaderICC
}

// ReaderCohorts returns the patients of c with a second reader's lesion
// mask as two cohorts: first with their lesion_mask, second with
// lesion_mask_2 in its place (everything else the same). Both are nil when
// no patient has lesion_mask_2.
func ReaderCohorts(c *cohort.Cohort) (first, second *cohort.Cohort) {
	var p1, p2 []cohort.Patient
	for _, p := range c.Patients {
		if p.LesionMask2 == "" {
			continue
		}
		p1 = append(p1, p)
		q := p
		q.LesionMask = p.LesionMask2
		p2 = append(p2, q)
	}
	if len(p1) == 0 {
		return nil, nil
	}
	sub := func(ps []cohort.Patient) *cohort.Cohort {
		return &cohort.Cohort{Path: c.Path, Dir: c.Dir, Columns: c.Columns, Clinical: c.Clinical, Patients: ps}
	}
	return sub(p1), sub(p2)
}

// InterReaderAgreement computes, for each of models (RTICName and/or
// RBModeName; others are ignored), the feature table (RTICFeatures,
// RBModeFeatures) with each reader's lesion masks on the patients of c that
// have lesion_mask_2 (ReaderCohorts), and every feature's ICC(2,1) with its
// CI at level (0: 0.95) over them. It returns nil without error when no
// patient has lesion_mask_2, and an error when only one has. progress, when
// not nil, is called after each of the 2 extractions of each model.
func InterReaderAgreement(c *cohort.Cohort, models []string, level float64, progress func(done, total int)) (*InterReader, error) {
	first, second := ReaderCohorts(c)
	if first == nil {
		return nil, nil
	}
	extract := map[string]func(*cohort.Cohort, func(done, total int)) (dataframe.DataFrame, error){
		RTICName: RTICFeatures, RBModeName: RBModeFeatures,
	}
	var names []string
	for _, m := range []string{RTICName, RBModeName} {
		if slices.Contains(models, m) {
			names = append(names, m)
		}
	}
	tables := map[string][2]dataframe.DataFrame{}
	done := 0
	for _, m := range names {
		var t [2]dataframe.DataFrame
		for r, rc := range []*cohort.Cohort{first, second} {
			var err error
			if t[r], err = extract[m](rc, nil); err != nil {
				return nil, fmt.Errorf("study: inter-reader agreement, %s, %s: %w", m, []string{cohort.ColLesionMask, cohort.ColLesionMask2}[r], err)
			}
			done++
			if progress != nil {
				progress(done, 2*len(names))
			}
		}
		tables[m] = t
	}
	ids := make([]string, len(first.Patients))
	for i, p := range first.Patients {
		ids[i] = p.ID
	}
	return NewInterReader(ids, names, tables, level)
}

// NewInterReader returns the InterReader of the feature tables given (per
// model, the first and the second reader's, each with a patient_id column
// and a row for every patient of ids), with every numeric feature's
// agreement over all of ids. level 0 means 0.95. Fewer than 2 patients, a
// patient missing from a table, or tables whose feature columns differ is
// an error.
func NewInterReader(ids, models []string, tables map[string][2]dataframe.DataFrame, level float64) (*InterReader, error) {
	if level == 0 {
		level = 0.95
	}
	if len(ids) < 2 {
		return nil, fmt.Errorf("study: inter-reader agreement needs at least 2 patients with %s, got %d", cohort.ColLesionMask2, len(ids))
	}
	ir := &InterReader{IDs: slices.Clone(ids), Level: level, Models: slices.Clone(models), Tables: tables, ICC: map[string][]ReaderICC{}}
	for _, m := range models {
		a, err := ir.Agreement(m, nil)
		if err != nil {
			return nil, err
		}
		ir.ICC[m] = a
	}
	return ir, nil
}

// readerValues returns the model's feature columns of t (every numeric
// column, as featureMatrix takes them) and, for each, its values for ids in
// their order (NaN where missing or infinite).
func readerValues(model, which string, t dataframe.DataFrame, ids []string) ([]string, [][]float64, error) {
	c := &cohort.Cohort{Patients: make([]cohort.Patient, len(ids))}
	for i, id := range ids {
		c.Patients[i].ID = id
	}
	X, names, err := featureMatrix(model+" ("+which+" masks)", c, t, nil, true)
	if err != nil {
		return nil, nil, err
	}
	vals := make([][]float64, len(names))
	for f := range names {
		vals[f] = make([]float64, len(ids))
		for i := range ids {
			vals[f][i] = X[i][f]
		}
	}
	return names, vals, nil
}

// Agreement returns every feature's inter-reader ICC(2,1) and CI over the
// patients ids (nil: all of IR.IDs), in the order of the model's table. An
// ID without both readers' masks is an error: the caller intersects its
// patients (a training split) with IDs first (see Keep).
func (ir *InterReader) Agreement(model string, ids []string) ([]ReaderICC, error) {
	t, ok := ir.Tables[model]
	if !ok {
		return nil, fmt.Errorf("study: inter-reader agreement: no feature tables of %s (have %v)", model, ir.Models)
	}
	if ids == nil {
		ids = ir.IDs
	}
	n1, v1, err := readerValues(model, "the first reader's", t[0], ids)
	if err != nil {
		return nil, err
	}
	n2, v2, err := readerValues(model, "the second reader's", t[1], ids)
	if err != nil {
		return nil, err
	}
	if !slices.Equal(n1, n2) {
		return nil, fmt.Errorf("study: %s: the readers' feature tables have different features: %v and %v", model, n1, n2)
	}
	out := make([]ReaderICC, len(n1))
	for f, name := range n1 {
		var x [][]float64
		for i := range ids {
			a, b := v1[f][i], v2[f][i]
			if math.IsNaN(a) || math.IsNaN(b) {
				continue
			}
			x = append(x, []float64{a, b})
		}
		out[f] = ReaderICC{Feature: name, N: len(x), ICC: math.NaN(), CI: [2]float64{math.NaN(), math.NaN()}}
		if len(x) < 2 {
			continue
		}
		a, err := radiomics.ICC21CI(x, ir.Level)
		switch {
		case errors.Is(err, radiomics.ErrICCUndefined):
			continue
		case err != nil:
			return nil, fmt.Errorf("study: %s: %s: %w", model, name, err)
		}
		out[f].ICC, out[f].CI, out[f].Defined = a.ICC, a.CI, true
	}
	return out, nil
}

// Keep is the inter-reader feature filter: of the columns names (a model's
// candidate features), the indices of those whose inter-reader ICC(2,1) over
// the patients of c at indices train that have both readers' masks is
// defined and at least min — computed on those training patients only, so
// that the validation patients play no part in the choice. It returns the
// agreement used too. Fewer than 2 such patients, or a name without a
// column in the reader tables, is an error; so is keeping nothing.
func (ir *InterReader) Keep(model string, c *cohort.Cohort, train []int, names []string, min float64) ([]int, []ReaderICC, error) {
	have := map[string]bool{}
	for _, id := range ir.IDs {
		have[id] = true
	}
	var ids []string
	for _, i := range train {
		if id := c.Patients[i].ID; have[id] {
			ids = append(ids, id)
		}
	}
	if len(ids) < 2 {
		return nil, nil, fmt.Errorf("study: %s: the inter-reader filter needs at least 2 training patients with %s, got %d", model, cohort.ColLesionMask2, len(ids))
	}
	a, err := ir.Agreement(model, ids)
	if err != nil {
		return nil, nil, err
	}
	at := map[string]ReaderICC{}
	for _, r := range a {
		at[r.Feature] = r
	}
	var cols []int
	for j, n := range names {
		r, ok := at[n]
		if !ok {
			return nil, nil, fmt.Errorf("study: %s: feature %s has no column in the readers' feature tables", model, n)
		}
		if r.Defined && r.ICC >= min {
			cols = append(cols, j)
		}
	}
	if len(cols) == 0 {
		return nil, nil, fmt.Errorf("study: %s: no feature has inter-reader ICC(2,1) ≥ %g over the %d training patients with %s", model, min, len(ids), cohort.ColLesionMask2)
	}
	return cols, a, nil
}

// readerFilter applies the inter-reader filter (Keep) to the columns cols
// of names (all when nil) when min > 0, and returns the columns kept (cols
// itself when min is 0) and the agreement over the training patients.
func readerFilter(model string, ir *InterReader, min float64, c *cohort.Cohort, train []int, names []string, cols []int) ([]int, []ReaderICC, error) {
	if min == 0 {
		return cols, nil, nil
	}
	if ir == nil {
		return nil, nil, fmt.Errorf("study: %s: MinReaderICC %g needs the second reader's feature tables (a cohort with %s; InterReaderAgreement)", model, min, cohort.ColLesionMask2)
	}
	if cols == nil {
		cols = make([]int, len(names))
		for j := range cols {
			cols[j] = j
		}
	}
	kept, a, err := ir.Keep(model, c, train, namesOf(names, cols), min)
	if err != nil {
		return nil, nil, err
	}
	out := make([]int, len(kept))
	for k, j := range kept {
		out[k] = cols[j]
	}
	return out, a, nil
}

// Table returns the agreement of every feature over all the patients with
// both readers' masks, one row per model and feature: model, feature,
// n_patients (those with the feature finite with both masks), icc
// (ICC(2,1), NaN where undefined), ci_lower, ci_upper.
func (ir *InterReader) Table() dataframe.DataFrame {
	var model, feat []string
	var n []int
	var icc, lo, hi []float64
	for _, m := range ir.Models {
		for _, r := range ir.ICC[m] {
			model, feat, n = append(model, m), append(feat, r.Feature), append(n, r.N)
			icc, lo, hi = append(icc, r.ICC), append(lo, r.CI[0]), append(hi, r.CI[1])
		}
	}
	return dataframe.New(series.New(model, series.String, "model"), series.New(feat, series.String, "feature"),
		series.New(n, series.Int, "n_patients"), series.New(icc, series.Float, "icc"),
		series.New(lo, series.Float, "ci_lower"), series.New(hi, series.Float, "ci_upper"))
}

// namesOf returns names at the indices cols.
func namesOf(names []string, cols []int) []string {
	out := make([]string, len(cols))
	for k, j := range cols {
		out[k] = names[j]
	}
	return out
}

// interReader computes the inter-reader agreement before the models
// (InterReaderAgreement for R-TIC and R-BMode among those wanted; all when
// want is empty) when the cohort has second-reader masks, and hands it to
// them through opt for their filter; with opt.MinReaderICC and no
// second-reader masks it is an error.
func (s *Study) interReader(c *cohort.Cohort, opt *RunOptions, want map[string]bool, report func(string) func(done, total int)) error {
	if opt.MinReaderICC < 0 || opt.MinReaderICC > 1 || math.IsNaN(opt.MinReaderICC) {
		return fmt.Errorf("study: MinReaderICC %g: want an ICC from 0 (off) to 1", opt.MinReaderICC)
	}
	var models []string
	for _, b := range Builders {
		if (len(want) == 0 || want[b.Name]) && (b.Name == RTICName || b.Name == RBModeName) {
			models = append(models, b.Name)
		}
	}
	if len(models) == 0 {
		return nil
	}
	start := time.Now()
	ir, err := InterReaderAgreement(c, models, 0, report("inter-reader agreement"))
	if err != nil {
		return err
	}
	if ir == nil {
		if opt.MinReaderICC != 0 {
			return fmt.Errorf("study: MinReaderICC %g: no patient of %s has a second reader's mask (%s)", opt.MinReaderICC, c.Path, cohort.ColLesionMask2)
		}
		return nil
	}
	s.InterReader, opt.readers = ir, ir
	s.Timings["inter-reader agreement"] = time.Since(start)
	s.Options.MinReaderICC = opt.MinReaderICC
	return nil
}

// ResultInterReader is the inter_reader section of results.json: the
// number of patients with both readers' masks (the analysis uses those),
// the CI level, per model (keyed in snake_case: r_tic, r_bmode) the
// agreement of every feature over them and, when the inter-reader filter was
// on, its threshold and per model the features the model was given after it
// (chosen over the training patients).
type ResultInterReader struct {
	NPatients    int                          `json:"n_patients"`
	Level        float64                      `json:"level"`
	Models       map[string][]ResultReaderICC `json:"models"`
	MinReaderICC float64                      `json:"min_reader_icc,omitempty"`
	Kept         map[string][]string          `json:"kept_features,omitempty"`
}

// ResultReaderICC is one feature's inter-reader ICC(2,1) and CI in
// results.json (null where undefined); n_patients those with the feature
// finite with both masks.
type ResultReaderICC struct {
	Feature   string       `json:"feature"`
	NPatients int          `json:"n_patients"`
	ICC       jsonFloat    `json:"icc"`
	CI        [2]jsonFloat `json:"ci"`
}

// resultInterReader is s.InterReader for results.json (nil without it).
func (s *Study) resultInterReader() *ResultInterReader {
	ir := s.InterReader
	if ir == nil {
		return nil
	}
	out := &ResultInterReader{NPatients: len(ir.IDs), Level: ir.Level, Models: map[string][]ResultReaderICC{}, MinReaderICC: s.Options.MinReaderICC}
	for _, m := range ir.Models {
		for _, r := range ir.ICC[m] {
			out.Models[snakeKey(m)] = append(out.Models[snakeKey(m)], ResultReaderICC{Feature: r.Feature, NPatients: r.N, ICC: jsonFloat(r.ICC),
				CI: [2]jsonFloat{jsonFloat(r.CI[0]), jsonFloat(r.CI[1])}})
		}
	}
	if out.MinReaderICC == 0 {
		return out
	}
	out.Kept = map[string][]string{}
	for _, run := range s.Runs {
		switch v := run.Result.(type) {
		case *RTICResult:
			out.Kept[snakeKey(RTICName)] = slices.Clone(v.Inputs)
		case *RBModeResult:
			out.Kept[snakeKey(RBModeName)] = slices.Clone(v.Robust)
		}
	}
	return out
}
