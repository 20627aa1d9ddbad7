package learn

import (
	"fmt"
	"strings"
)

// ColumnIndex maps a table's columns to the pipeline's input features: for
// each of pm.Names, in order, its position in columns. A feature the table
// lacks, or names twice, is an error wrapping ErrMissingFeature (or
// ErrShape for a repeated name) that names every such feature, so that a
// caller can report "model R-TIC needs column afp". Columns the pipeline
// does not use are ignored.
func (pm *PipelineModel) ColumnIndex(columns []string) ([]int, error) {
	pos := make(map[string]int, len(columns))
	twice := map[string]bool{}
	for j, c := range columns {
		if _, ok := pos[c]; ok {
			twice[c] = true
		}
		pos[c] = j
	}
	idx := make([]int, len(pm.Names))
	var missing, repeated []string
	for k, name := range pm.Names {
		j, ok := pos[name]
		switch {
		case !ok:
			missing = append(missing, fmt.Sprintf("%q", name))
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
// restricted to the pipeline's input features, in the pipeline's order,
// ready for PredictProba; errors as ColumnIndex's.
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
			r[k] = row[j]
		}
		out[i] = r
	}
	return out, nil
}
