package learn

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// standardizationJSON is a saved *Standardization (kind "standardization").
type standardizationJSON struct {
	Kind      string    `json:"kind"`
	NFeatures int       `json:"n_features"`
	Mean      []float64 `json:"mean"`
	Scale     []float64 `json:"scale"`
	Keep      []int     `json:"keep"`
	Dropped   []int     `json:"dropped"`
}

// imputationJSON is a saved *Imputation (kind "imputation").
type imputationJSON struct {
	Kind      string    `json:"kind"`
	NFeatures int       `json:"n_features"`
	Strategy  string    `json:"strategy"`
	Fill      []float64 `json:"fill"`
	Missing   []int     `json:"missing"`
}

// selectionJSON is a saved *Selection (kind "selection").
type selectionJSON struct {
	Kind      string    `json:"kind"`
	NFeatures int       `json:"n_features"`
	Method    string    `json:"method"`
	Keep      []int     `json:"keep"`
	Score     nanFloats `json:"score"`
	Order     []int     `json:"order"`
	Partner   []int     `json:"partner"`
}

// selectionMethods are the Selection.Method values the selectors write.
var selectionMethods = []string{"mann-whitney", "correlation", "mrmr", "lasso", "keep"}

// imputeNames are the saved names of the impute strategies.
var imputeNames = map[ImputeStrategy]string{MeanImpute: "mean", MedianImpute: "median"}

// encodeTransform encodes a fitted pipeline step.
func encodeTransform(t Transform, field string) (rawNode, error) {
	var v interface {
		build(field string) (Transform, int, int, error)
	}
	switch s := t.(type) {
	case *Standardization:
		v = &standardizationJSON{Kind: "standardization", NFeatures: len(s.Mean), Mean: s.Mean, Scale: s.Scale, Keep: s.Keep, Dropped: s.Dropped}
	case *Imputation:
		name, ok := imputeNames[s.Strategy]
		if !ok {
			return nil, fmt.Errorf("%w: %s: unknown impute strategy %d", ErrParameter, field, int(s.Strategy))
		}
		v = &imputationJSON{Kind: "imputation", NFeatures: len(s.Fill), Strategy: name, Fill: s.Fill, Missing: s.Missing}
	case *Selection:
		v = &selectionJSON{Kind: "selection", NFeatures: s.width, Method: s.Method, Keep: s.Keep, Score: s.Score, Order: s.Order, Partner: s.Partner}
	default:
		return nil, fmt.Errorf("%w: %s: cannot save a pipeline step of type %T", ErrParameter, field, t)
	}
	if _, _, _, err := v.build(field); err != nil {
		return nil, err
	}
	return marshalNode(v)
}

// marshalNode encodes a node already checked by its build method.
func marshalNode(v any) (rawNode, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("learn: cannot save the model: %w", err)
	}
	return b, nil
}

// decodeTransform decodes and checks a pipeline step; it returns the step
// and its numbers of input and output columns.
func decodeTransform(raw rawNode, field string) (Transform, int, int, error) {
	kind, err := nodeKind(raw, field)
	if err != nil {
		return nil, 0, 0, err
	}
	switch kind {
	case "standardization":
		var j standardizationJSON
		if err := decodeNode(raw, field, &j); err != nil {
			return nil, 0, 0, err
		}
		return j.build(field)
	case "imputation":
		var j imputationJSON
		if err := decodeNode(raw, field, &j); err != nil {
			return nil, 0, 0, err
		}
		return j.build(field)
	case "selection":
		var j selectionJSON
		if err := decodeNode(raw, field, &j); err != nil {
			return nil, 0, 0, err
		}
		return j.build(field)
	}
	return nil, 0, 0, formatErr(field+".kind", "%q is not a pipeline step (standardization, imputation, selection)", kind)
}

func (j *standardizationJSON) build(field string) (Transform, int, int, error) {
	n := j.NFeatures
	if err := checkWidth(field, n); err != nil {
		return nil, 0, 0, err
	}
	if err := checkFinite(field+".mean", j.Mean, n); err != nil {
		return nil, 0, 0, err
	}
	if err := checkFinite(field+".scale", j.Scale, n); err != nil {
		return nil, 0, 0, err
	}
	if len(j.Keep) == 0 {
		return nil, 0, 0, formatErr(field+".keep", "is empty, want at least one column")
	}
	if err := checkIncreasing(field+".keep", j.Keep, n); err != nil {
		return nil, 0, 0, err
	}
	if err := checkIncreasing(field+".dropped", j.Dropped, n); err != nil {
		return nil, 0, 0, err
	}
	if len(j.Keep)+len(j.Dropped) != n {
		return nil, 0, 0, formatErr(field, "keeps %d and drops %d of %d columns, want each column kept or dropped", len(j.Keep), len(j.Dropped), n)
	}
	for _, c := range j.Keep {
		if !(j.Scale[c] > 0) {
			return nil, 0, 0, formatErr(field+".scale["+strconv.Itoa(c)+"]", "is %v for a kept column, want > 0", j.Scale[c])
		}
	}
	for _, c := range j.Dropped {
		if j.Scale[c] != 0 {
			return nil, 0, 0, formatErr(field+".scale["+strconv.Itoa(c)+"]", "is %v for a dropped (constant) column, want 0", j.Scale[c])
		}
		if _, found := slices.BinarySearch(j.Keep, c); found {
			return nil, 0, 0, formatErr(field+".dropped", "column %d is also kept", c)
		}
	}
	return &Standardization{Mean: j.Mean, Scale: j.Scale, Keep: j.Keep, Dropped: j.Dropped}, n, len(j.Keep), nil
}

func (j *imputationJSON) build(field string) (Transform, int, int, error) {
	n := j.NFeatures
	if err := checkWidth(field, n); err != nil {
		return nil, 0, 0, err
	}
	strategy := ImputeStrategy(-1)
	for s, name := range imputeNames {
		if name == j.Strategy {
			strategy = s
		}
	}
	if strategy < 0 {
		return nil, 0, 0, formatErr(field+".strategy", "%q, want \"mean\" or \"median\"", j.Strategy)
	}
	if err := checkFinite(field+".fill", j.Fill, n); err != nil {
		return nil, 0, 0, err
	}
	if len(j.Missing) != n {
		return nil, 0, 0, formatErr(field+".missing", "has %d counts, want %d", len(j.Missing), n)
	}
	if err := checkRange(field+".missing", j.Missing, 0, math.MaxInt); err != nil {
		return nil, 0, 0, err
	}
	return &Imputation{Strategy: strategy, Fill: j.Fill, Missing: j.Missing}, n, n, nil
}

func (j *selectionJSON) build(field string) (Transform, int, int, error) {
	n := j.NFeatures
	if err := checkWidth(field, n); err != nil {
		return nil, 0, 0, err
	}
	if !slices.Contains(selectionMethods, j.Method) {
		return nil, 0, 0, formatErr(field+".method", "%q, want one of %q", j.Method, selectionMethods)
	}
	if len(j.Keep) == 0 {
		return nil, 0, 0, formatErr(field+".keep", "is empty, want at least one column")
	}
	if err := checkIncreasing(field+".keep", j.Keep, n); err != nil {
		return nil, 0, 0, err
	}
	if err := checkOptional(field+".score", j.Score, n); err != nil {
		return nil, 0, 0, err
	}
	if len(j.Order) > n {
		return nil, 0, 0, formatErr(field+".order", "has %d columns, more than the %d inputs", len(j.Order), n)
	}
	if err := checkRange(field+".order", j.Order, 0, n); err != nil {
		return nil, 0, 0, err
	}
	if len(j.Partner) != 0 && len(j.Partner) != n {
		return nil, 0, 0, formatErr(field+".partner", "has %d values, want %d or none", len(j.Partner), n)
	}
	if err := checkRange(field+".partner", j.Partner, -1, n); err != nil {
		return nil, 0, 0, err
	}
	return &Selection{Method: j.Method, Keep: j.Keep, Score: j.Score, Order: j.Order, Partner: j.Partner, width: n}, n, len(j.Keep), nil
}
