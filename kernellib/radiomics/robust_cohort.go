package radiomics

import (
	"errors"
	"fmt"
	"math"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/internal/parallel"
)

// DefaultICCThreshold is the ICC(3,1) a feature needs to count as robust:
// 0.75, the lower bound of "good" reliability in Koo & Li (J Chiropr Med
// 15:155, 2016; below 0.5 poor, 0.5–0.75 moderate, 0.75–0.9 good, above 0.9
// excellent), the threshold most radiomics studies apply to segmentation
// robustness.
const DefaultICCThreshold = 0.75

// Perturbed holds the features of a set of patients' B-mode lesions under
// the original mask and under each mask perturbation, so that the ICC(3,1)
// of every feature can be computed over any subset of the patients (the
// training split of the manifest, or of a re-drawn split) without extracting
// again.
type Perturbed struct {
	// IDs are the patients' IDs, in the order they were given.
	IDs []string
	// Perturbations are the conditions after the original mask.
	Perturbations []Perturbation
	// Features are the first patient's features with the original mask
	// (their values are that patient's); Keys their Feature.Key.
	Features []Feature
	Keys     []string
	// Values[f][i][j] is feature f of patient i under condition j: j = 0
	// the original mask, j ≥ 1 Perturbations[j−1].
	Values [][][]float64
}

// CohortPerturbed extracts, for the patients of the cohort at indices idx
// (nil: all, in manifest order), every feature with the lesion mask and with
// each perturbed mask (PerturbMask; ps nil means DefaultPerturbations), as
// Robustness does for a list of cases, but in parallel over the patients
// (TableOptions.Workers; the result does not depend on their number).
// progress, when not nil, is called after each patient. An extraction error
// names the patient and the perturbation (e.g. an erosion that empties a
// small mask).
func CohortPerturbed(c *cohort.Cohort, idx []int, o TableOptions, ps []Perturbation, progress func(done, total int)) (*Perturbed, error) {
	if c == nil || len(c.Patients) == 0 {
		return nil, errors.New("radiomics: CohortPerturbed: empty cohort")
	}
	if idx == nil {
		idx = make([]int, len(c.Patients))
		for i := range idx {
			idx[i] = i
		}
	}
	if len(idx) == 0 {
		return nil, fmt.Errorf("%w: CohortPerturbed: no patients", ErrInput)
	}
	for _, i := range idx {
		if i < 0 || i >= len(c.Patients) {
			return nil, fmt.Errorf("%w: CohortPerturbed: patient index %d outside [0, %d)", ErrInput, i, len(c.Patients))
		}
	}
	if ps == nil {
		ps = DefaultPerturbations()
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("%w: CohortPerturbed: no perturbations", ErrInput)
	}
	s := o.settings()
	k := len(ps) + 1
	// rows[i*k+j]: patient idx[i] under condition j.
	rows := make([][]Feature, len(idx)*k)
	err := parallel.ForEach(len(idx), o.Workers, func(i int) error {
		p := c.Patients[idx[i]]
		cs, err := PatientCase(p, o)
		if err != nil {
			return err
		}
		for j := 0; j < k; j++ {
			m, what := cs.Mask, "original mask"
			if j > 0 {
				m, what = PerturbMask(cs.Mask, ps[j-1]), "mask "+ps[j-1].Name
			}
			fs, _, err := ExtractExcluding(cs.Image, m, cs.Overlay, s)
			if err != nil {
				return fmt.Errorf("radiomics: patient %s (%s), %s: %w", p.ID, p.LesionMask, what, err)
			}
			rows[i*k+j] = fs
		}
		return nil
	}, progress)
	if err != nil {
		return nil, err
	}
	keys, err := sameKeys(rows, func(r int) string {
		what := "the original mask"
		if r%k > 0 {
			what = "mask " + ps[r%k-1].Name
		}
		return fmt.Sprintf("patient %s with %s", c.Patients[idx[r/k]].ID, what)
	})
	if err != nil {
		return nil, err
	}
	out := &Perturbed{Perturbations: append([]Perturbation(nil), ps...), Features: rows[0], Keys: keys}
	for _, i := range idx {
		out.IDs = append(out.IDs, c.Patients[i].ID)
	}
	out.Values = make([][][]float64, len(keys))
	for f := range keys {
		out.Values[f] = make([][]float64, len(idx))
		for i := range idx {
			out.Values[f][i] = make([]float64, k)
			for j := 0; j < k; j++ {
				out.Values[f][i][j] = rows[i*k+j][f].Value
			}
		}
	}
	return out, nil
}

// ICC returns every feature's ICC(3,1) (ICC31; Shrout & Fleiss 1979) over
// the patients whose IDs are given (nil: all), with the patients as
// subjects and the original and perturbed masks as conditions, in extraction
// order — the result Robustness gives for the same cases. An unknown or
// repeated ID, or fewer than 2 patients, is an error. A feature with the
// same value everywhere has Defined false.
func (p *Perturbed) ICC(ids []string) ([]FeatureICC, error) {
	rows := make([]int, 0, len(p.IDs))
	if ids == nil {
		for i := range p.IDs {
			rows = append(rows, i)
		}
	} else {
		at := make(map[string]int, len(p.IDs))
		for i, id := range p.IDs {
			at[id] = i
		}
		seen := map[string]bool{}
		for _, id := range ids {
			i, ok := at[id]
			if !ok {
				return nil, fmt.Errorf("%w: ICC: patient %s has no perturbed extraction", ErrInput, id)
			}
			if seen[id] {
				return nil, fmt.Errorf("%w: ICC: patient %s given twice", ErrInput, id)
			}
			seen[id] = true
			rows = append(rows, i)
		}
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("%w: ICC needs at least 2 patients, got %d", ErrInput, len(rows))
	}
	out := make([]FeatureICC, len(p.Keys))
	x := make([][]float64, len(rows))
	for f := range p.Keys {
		for r, i := range rows {
			x[r] = p.Values[f][i]
		}
		icc, err := ICC31(x)
		if err != nil && !errors.Is(err, ErrICCUndefined) {
			return nil, fmt.Errorf("radiomics: %s: %w", p.Keys[f], err)
		}
		out[f] = FeatureICC{Key: p.Keys[f], Feature: p.Features[f], ICC: icc, Defined: err == nil}
	}
	return out, nil
}

// ICCTable returns the robustness of every feature as a table, one row per
// feature: feature (Feature.Key), family, name, ibsi_id, aggregation, icc
// (ICC(3,1), NaN where undefined) and robust (whether icc ≥ threshold, as
// RobustFeatures decides).
func ICCTable(iccs []FeatureICC, threshold float64) dataframe.DataFrame {
	n := len(iccs)
	key, fam, name, id, agg := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	v := make([]float64, n)
	rob := make([]bool, n)
	for i, f := range iccs {
		key[i], fam[i], name[i], id[i], agg[i] = f.Key, f.Feature.Family, f.Feature.Name, f.Feature.IBSIID, f.Feature.Aggregation
		v[i] = f.ICC
		if !f.Defined {
			v[i] = math.NaN()
		}
		rob[i] = f.Defined && f.ICC >= threshold
	}
	return dataframe.New(series.New(key, series.String, "feature"), series.New(fam, series.String, "family"),
		series.New(name, series.String, "name"), series.New(id, series.String, "ibsi_id"),
		series.New(agg, series.String, "aggregation"), series.New(v, series.Float, "icc"),
		series.New(rob, series.Bool, "robust"))
}
