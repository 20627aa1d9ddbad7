package learn

import (
	"fmt"
	"math"
	"slices"
)

// Pipeline chains preprocessing steps and a model into one Estimator, as
// scikit-learn's Pipeline: Fit fits each step on the output of the steps
// before it, then the model, on the training rows it is given and nothing
// else. Inside CrossValidate, CrossValPredict, GridSearch or LogisticCV it
// is therefore refitted in every training fold, so that no scaling,
// imputation or selection ever sees a test row — the leakage that
// selecting features on the whole cohort before cross-validation causes
// (Ambroise & McLachlan, PNAS 99:10, 2002).
//
// The usual order is Standardizer → Imputer → a selector (MannWhitneyFilter,
// CorrelationFilter, MRMR, LassoSelect, KeepColumns) → model. Missing
// values (NaN) are allowed only when an Imputer is among the steps;
// otherwise they are an error that names the row and the feature.
type Pipeline struct {
	Steps []Transformer
	Model Estimator
	// Names are the input features' names (nil: "x1", "x2", …), carried
	// through the steps to the fitted model's features.
	Names []string
}

// PipelineModel is a fitted Pipeline.
type PipelineModel struct {
	// Names are the input features' names.
	Names []string
	Steps []Transform
	Model Model
	// Columns maps each input column of Model to the pipeline's input
	// column it comes from (−1 for a derived column).
	Columns []int
}

// Fit fits the steps and the model; it returns a *PipelineModel.
func (pl Pipeline) Fit(X [][]float64, y []bool) (Model, error) {
	return pl.FitPipeline(X, y)
}

// hasImputer reports whether a step is an Imputer.
func (pl Pipeline) hasImputer() bool {
	for _, s := range pl.Steps {
		switch s.(type) {
		case Imputer, *Imputer:
			return true
		}
	}
	return false
}

// FitPipeline is Fit with the concrete result type.
func (pl Pipeline) FitPipeline(X [][]float64, y []bool) (*PipelineModel, error) {
	if pl.Model == nil {
		return nil, fmt.Errorf("%w: pipeline without a model", ErrParameter)
	}
	p, err := CheckXY(X, y, true)
	if err != nil {
		return nil, err
	}
	names, err := featureNames(pl.Names, p)
	if err != nil {
		return nil, err
	}
	if err := checkMissing(X, names, pl.hasImputer()); err != nil {
		return nil, err
	}
	pm := &PipelineModel{Names: names, Columns: make([]int, p)}
	for j := range pm.Columns {
		pm.Columns[j] = j
	}
	cur := X
	for k, st := range pl.Steps {
		if st == nil {
			return nil, fmt.Errorf("%w: pipeline step %d is nil", ErrParameter, k+1)
		}
		tr, err := st.Fit(cur, y)
		if err != nil {
			return nil, fmt.Errorf("pipeline step %d (%T): %w", k+1, st, err)
		}
		if cur, err = tr.Transform(cur); err != nil {
			return nil, fmt.Errorf("pipeline step %d (%T): %w", k+1, st, err)
		}
		cols := tr.Columns()
		next := make([]int, len(cols))
		for i, c := range cols {
			next[i] = -1
			if c >= 0 && c < len(pm.Columns) {
				next[i] = pm.Columns[c]
			}
		}
		pm.Columns = next
		pm.Steps = append(pm.Steps, tr)
		if len(cur) > 0 && len(cur[0]) == 0 {
			return nil, fmt.Errorf("%w: pipeline step %d (%T) left no feature", ErrTooFew, k+1, st)
		}
	}
	if pm.Model, err = pl.Model.Fit(cur, y); err != nil {
		return nil, fmt.Errorf("pipeline model (%T): %w", pl.Model, err)
	}
	return pm, nil
}

// featureNames returns names, or x1…xp when nil.
func featureNames(names []string, p int) ([]string, error) {
	if names == nil {
		out := make([]string, p)
		for j := range out {
			out[j] = fmt.Sprintf("x%d", j+1)
		}
		return out, nil
	}
	if len(names) != p {
		return nil, fmt.Errorf("%w: %d feature names for %d columns", ErrShape, len(names), p)
	}
	return slices.Clone(names), nil
}

// checkMissing rejects NaN unless the pipeline imputes.
func checkMissing(X [][]float64, names []string, imputes bool) error {
	if imputes {
		return nil
	}
	for i, row := range X {
		for j, v := range row {
			if math.IsNaN(v) {
				return fmt.Errorf("%w: row %d, feature %q is missing (NaN) and the pipeline has no Imputer", ErrNotFinite, i, names[j])
			}
		}
	}
	return nil
}

// Transform runs the fitted steps on X and returns the model's input.
func (pm *PipelineModel) Transform(X [][]float64) ([][]float64, error) {
	p, err := CheckX(X, true)
	if err != nil {
		return nil, err
	}
	if p != len(pm.Names) {
		return nil, fmt.Errorf("%w: %d columns, the pipeline was fitted on %d", ErrShape, p, len(pm.Names))
	}
	imputes := false
	for _, s := range pm.Steps {
		if _, ok := s.(*Imputation); ok {
			imputes = true
		}
	}
	if err := checkMissing(X, pm.Names, imputes); err != nil {
		return nil, err
	}
	cur := X
	for k, s := range pm.Steps {
		if cur, err = s.Transform(cur); err != nil {
			return nil, fmt.Errorf("pipeline step %d (%T): %w", k+1, s, err)
		}
	}
	return cur, nil
}

// PredictProba runs the steps and the model.
func (pm *PipelineModel) PredictProba(X [][]float64) ([]float64, error) {
	xt, err := pm.Transform(X)
	if err != nil {
		return nil, err
	}
	return pm.Model.PredictProba(xt)
}

// LinearPredictor returns the model's linear predictor (radiomics score)
// of every row; an error if the model is not linear.
func (pm *PipelineModel) LinearPredictor(X [][]float64) ([]float64, error) {
	xt, err := pm.Transform(X)
	if err != nil {
		return nil, err
	}
	return RadiomicsScore(pm.Model, xt)
}

// Features returns the names of the model's input features.
func (pm *PipelineModel) Features() []string {
	out := make([]string, len(pm.Columns))
	for i, c := range pm.Columns {
		if c >= 0 {
			out[i] = pm.Names[c]
		} else {
			out[i] = fmt.Sprintf("derived%d", i+1)
		}
	}
	return out
}

// SelectedFeatures returns the pipeline input columns the model uses: the
// columns the steps pass on and, when the model reports its own selection
// (FeatureSelector, e.g. the non-zero lasso coefficients), only those.
func (pm *PipelineModel) SelectedFeatures() []int {
	use := pm.Columns
	if s, ok := pm.Model.(FeatureSelector); ok {
		use = nil
		for _, i := range s.SelectedFeatures() {
			if i >= 0 && i < len(pm.Columns) {
				use = append(use, pm.Columns[i])
			}
		}
	}
	var out []int
	for _, c := range use {
		if c >= 0 {
			out = append(out, c)
		}
	}
	return cvSorted(out)
}

// NamedCoefficients returns the intercept and the coefficients of a linear
// model with the names of their features: Coef on the scale of the model's
// input (after the pipeline's Standardizer, per training SD), StdCoef per
// SD of the model's input in the training rows (a LogisticModel's StdCoef;
// NaN for other linear models). An error if the model is not linear.
func (pm *PipelineModel) NamedCoefficients() (float64, []NamedCoef, error) {
	lm, ok := pm.Model.(LinearModel)
	if !ok {
		return 0, nil, fmt.Errorf("%w: a %T has no coefficients", ErrParameter, pm.Model)
	}
	b0, coef := lm.Coefficients()
	if len(coef) != len(pm.Columns) {
		return 0, nil, fmt.Errorf("%w: %d coefficients for %d model inputs", ErrShape, len(coef), len(pm.Columns))
	}
	var std []float64
	if m, ok := pm.Model.(*LogisticModel); ok {
		std = m.StdCoef
	}
	names := pm.Features()
	out := make([]NamedCoef, len(coef))
	for i, c := range coef {
		out[i] = NamedCoef{Feature: names[i], Column: pm.Columns[i], Coef: c, StdCoef: math.NaN()}
		if std != nil {
			out[i].StdCoef = std[i]
		}
	}
	return b0, out, nil
}

// NamedCoefficients returns the model's coefficients with the given
// feature names (one per input column).
func (m *LogisticModel) NamedCoefficients(names []string) ([]NamedCoef, error) {
	names, err := featureNames(names, len(m.Coef))
	if err != nil {
		return nil, err
	}
	out := make([]NamedCoef, len(m.Coef))
	for j := range m.Coef {
		out[j] = NamedCoef{Feature: names[j], Column: j, Coef: m.Coef[j], StdCoef: m.StdCoef[j]}
	}
	return out, nil
}
