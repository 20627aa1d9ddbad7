package learn

import (
	"fmt"
	"strings"
)

// NeededFeatures returns the names of the input features the fitted
// pipeline uses (SelectedFeatures), in input order: the columns a table
// must have for PredictProba to give the fitted model's probabilities.
func (pm *PipelineModel) NeededFeatures() []string {
	var out []string
	for _, j := range pm.SelectedFeatures() {
		out = append(out, pm.Names[j])
	}
	return out
}

// ColumnIndex maps a table's columns to the pipeline's input features: for
// each of pm.Names, in order, its position in columns, or −1 for a feature
// the table lacks that the model does not use (see NeededFeatures; its
// value cannot change a prediction, since every saved step — scaling,
// imputation, selection — works column by column and the model ignores
// it). A needed feature the table lacks is an error wrapping
// ErrMissingFeature, and a feature the table names twice one wrapping
// ErrShape, each naming every such feature, so that a caller can report
// "model R-TIC needs column afp". Other columns of the table are ignored.
func (pm *PipelineModel) ColumnIndex(columns []string) ([]int, error) {
	pos := make(map[string]int, len(columns))
	twice := map[string]bool{}
	for j, c := range columns {
		if _, ok := pos[c]; ok {
			twice[c] = true
		}
		pos[c] = j
	}
	needed := map[string]bool{}
	for _, n := range pm.NeededFeatures() {
		needed[n] = true
	}
	idx := make([]int, len(pm.Names))
	var missing, repeated []string
	for k, name := range pm.Names {
		j, ok := pos[name]
		switch {
		case !ok && needed[name]:
			missing = append(missing, fmt.Sprintf("%q", name))
		case !ok:
			j = -1
		case twice[name]:
			repeated = append(repeated, fmt.Sprintf("%q", name))
		}
		idx[k] = j
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: the model needs the feature column(s) %s, which the table lacks", ErrMissingFeature, strings.Join(missing, ", "))
	}
	if len(repeated) > 0 {
		return nil, fmt.Errorf("%w: the table names the feature column(s) %s more than once", ErrShape, strings.Join(repeated, ", "))
	}
	return idx, nil
}

// SelectColumns returns the rows of X (whose columns are called columns)
// as the pipeline's input, in the pipeline's order, ready for
// PredictProba: a feature the table lacks and the model does not use is
// filled with 0, which cannot change a prediction. Errors as ColumnIndex's.
func (pm *PipelineModel) SelectColumns(columns []string, X [][]float64) ([][]float64, error) {
	idx, err := pm.ColumnIndex(columns)
	if err != nil {
		return nil, err
	}
	out := make([][]float64, len(X))
	for i, row := range X {
		if len(row) != len(columns) {
			return nil, fmt.Errorf("%w: row %d has %d values for %d columns", ErrShape, i, len(row), len(columns))
		}
		r := make([]float64, len(idx))
		for k, j := range idx {
			if j >= 0 {
				r[k] = row[j]
			}
		}
		out[i] = r
	}
	return out, nil
}
