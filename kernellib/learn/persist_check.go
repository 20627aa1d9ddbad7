package learn

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// formatErr is a refusal of a model file naming the field.
func formatErr(field, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrModelFormat, field, fmt.Sprintf(format, args...))
}

// nanFloat is a float64 that may be NaN (a statistic of the fit that was
// not defined, e.g. the out-of-bag accuracy when no row is out of bag): JSON
// null stands for NaN. ±Inf is refused.
type nanFloat float64

func (f nanFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) {
		return []byte("null"), nil
	}
	if math.IsInf(v, 0) {
		return nil, fmt.Errorf("%w: the value %v cannot be saved", ErrNotFinite, v)
	}
	return json.Marshal(v)
}

func (f *nanFloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = nanFloat(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = nanFloat(v)
	return nil
}

// nanFloats is a []float64 whose elements may be NaN (written null).
type nanFloats []float64

func (s nanFloats) MarshalJSON() ([]byte, error) {
	if s == nil {
		return []byte("null"), nil
	}
	out := make([]byte, 0, 2+20*len(s))
	out = append(out, '[')
	for i, v := range s {
		if i > 0 {
			out = append(out, ',')
		}
		b, err := nanFloat(v).MarshalJSON()
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
	}
	return append(out, ']'), nil
}

func (s *nanFloats) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*s = nil
		return nil
	}
	var raw []nanFloat
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make([]float64, len(raw))
	for i, v := range raw {
		out[i] = float64(v)
	}
	*s = out
	return nil
}

// checkWidth checks a declared count of input columns.
func checkWidth(field string, n int) error {
	if n < 1 || n > MaxModelFeatures {
		return formatErr(field+".n_features", "%d, want 1…%d", n, MaxModelFeatures)
	}
	return nil
}

// checkFinite checks that every value of v is finite; want is the length
// required (−1: any).
func checkFinite(field string, v []float64, want int) error {
	if want >= 0 && len(v) != want {
		return formatErr(field, "has %d values, want %d", len(v), want)
	}
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return formatErr(field+"["+strconv.Itoa(i)+"]", "is %v, want a finite value", x)
		}
	}
	return nil
}

// checkOptional checks a slice of statistics that may be absent (length
// 0) or hold want values, NaN allowed, ±Inf not.
func checkOptional(field string, v []float64, want int) error {
	if len(v) != 0 && len(v) != want {
		return formatErr(field, "has %d values, want %d or none", len(v), want)
	}
	for i, x := range v {
		if math.IsInf(x, 0) {
			return formatErr(field+"["+strconv.Itoa(i)+"]", "is %v, want a finite value or null", x)
		}
	}
	return nil
}

// checkIncreasing checks column indices: strictly increasing, in [0, n).
func checkIncreasing(field string, v []int, n int) error {
	for i, j := range v {
		if j < 0 || j >= n {
			return formatErr(field+"["+strconv.Itoa(i)+"]", "is %d, want a column in [0, %d)", j, n)
		}
		if i > 0 && j <= v[i-1] {
			return formatErr(field+"["+strconv.Itoa(i)+"]", "is %d after %d, want increasing columns", j, v[i-1])
		}
	}
	return nil
}

// checkRange checks that every index is in [lo, n).
func checkRange(field string, v []int, lo, n int) error {
	for i, j := range v {
		if j < lo || j >= n {
			return formatErr(field+"["+strconv.Itoa(i)+"]", "is %d, want a value in [%d, %d)", j, lo, n)
		}
	}
	return nil
}

// checkName checks a feature name.
func checkName(field string, s string) error {
	if len(s) > MaxModelNameBytes {
		return formatErr(field, "is %d bytes long, more than %d", len(s), MaxModelNameBytes)
	}
	if !utf8.ValidString(s) {
		return formatErr(field, "is not valid UTF-8")
	}
	return nil
}

// nodeKind reads the kind of a node.
func nodeKind(raw rawNode, field string) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", formatErr(field, "is missing")
	}
	var k struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(raw, &k); err != nil {
		return "", formatErr(field, "%v", err)
	}
	if k.Kind == "" {
		return "", formatErr(field+".kind", "is missing")
	}
	return k.Kind, nil
}

// decodeNode decodes a node of a known kind strictly (no unknown field).
func decodeNode(raw rawNode, field string, v any) error {
	if err := strictUnmarshal(raw, v); err != nil {
		return formatErr(field, "%v", err)
	}
	return nil
}
