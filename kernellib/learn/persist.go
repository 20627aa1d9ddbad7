package learn

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// ModelFormat and ModelVersion name the JSON format of a saved model; a file
// of another format or version is refused.
const (
	ModelFormat  = "ceusrad-learn-model"
	ModelVersion = 1
)

// Bounds that a model file must respect; LoadModel refuses a file beyond
// any of them before it builds the model. They are far above what a study
// fits (a few hundred features, 500 trees of a few hundred nodes, about 100
// support vectors) and keep a foreign or tampered file from claiming
// gigabytes.
const (
	// MaxModelBytes bounds the size of a model file (256 MiB).
	MaxModelBytes = 256 << 20
	// MaxModelValues bounds the array elements and object members a file
	// holds in all, counted on the raw bytes (commas and opening brackets
	// outside strings) before anything is decoded: at most 160 MB of
	// float64 once decoded.
	MaxModelValues = 20_000_000
	// MaxModelFeatures bounds the input columns of any step or model.
	MaxModelFeatures = 100_000
	// MaxModelTrees bounds the trees of a forest; MaxModelNodes the nodes
	// of all its trees together.
	MaxModelTrees = 100_000
	MaxModelNodes = 1_000_000
	// MaxModelSupportVectors bounds the support vectors of an SVM, whose
	// values (vectors × features) count against MaxModelValues.
	MaxModelSupportVectors = 100_000
	// MaxModelSteps bounds the steps of a pipeline; MaxModelDepth the
	// nesting of models (a pipeline holding a grid search holding a
	// pipeline ...); MaxModelGridPoints the points of a grid search.
	MaxModelSteps      = 64
	MaxModelDepth      = 8
	MaxModelGridPoints = 10_000
	// MaxModelNameBytes bounds a feature name.
	MaxModelNameBytes = 1024
)

// ErrModelFormat is wrapped by every refusal of a model file: not JSON, a
// foreign format or version, an unknown kind or field, a shape, count or
// value out of its bounds or inconsistent with the rest.
var ErrModelFormat = errors.New("learn: invalid model file")

// ErrMissingFeature is wrapped when a table lacks a column a model needs.
var ErrMissingFeature = errors.New("learn: missing feature")

// modelFile is the top level of the format.
type modelFile struct {
	Format  string  `json:"format"`
	Version int     `json:"version"`
	Model   rawNode `json:"model"`
}

// MarshalModel encodes a fitted model in the versioned JSON format
// ModelFormat (see the package documentation, "Saving and loading
// models"). The model is checked as LoadModel checks a file — shapes,
// bounds, finite values — so that whatever is saved loads again. Kinds
// saved: *PipelineModel, *Standardization, *Imputation and *Selection
// steps, *LogisticModel, *ForestModel, *SVMModel and *GridSearchModel; any
// other Model or Transform is an error.
func MarshalModel(m Model) ([]byte, error) {
	node, _, err := encodeModel(m, "model", 0)
	if err != nil {
		return nil, fmt.Errorf("learn: refusing to save the model: %w", err)
	}
	out, err := json.Marshal(modelFile{Format: ModelFormat, Version: ModelVersion, Model: node})
	if err != nil {
		return nil, fmt.Errorf("learn: encoding the model: %w", err)
	}
	return append(out, '\n'), nil
}

// WriteModel writes MarshalModel(m) to w.
func WriteModel(w io.Writer, m Model) error {
	data, err := MarshalModel(m)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// SaveModel writes the model to path atomically (a temporary file renamed
// into place, safeio.WriteFile): a failure leaves any previous file whole.
func SaveModel(path string, m Model) error {
	data, err := MarshalModel(m)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return safeio.WriteFile(path, data)
}

// UnmarshalModel decodes a model saved by MarshalModel, checking every
// bound and shape before the model is built; errors wrap ErrModelFormat
// and name the field (e.g. model.steps[1].keep[3]). data must not change
// during the call; the model returned does not share it.
func UnmarshalModel(data []byte) (Model, error) {
	if len(data) > MaxModelBytes {
		return nil, fmt.Errorf("%w: %d bytes, more than the limit of %d", ErrModelFormat, len(data), MaxModelBytes)
	}
	if n := countValues(data); n > MaxModelValues {
		return nil, fmt.Errorf("%w: holds up to %d values, more than the limit of %d", ErrModelFormat, n, MaxModelValues)
	}
	var f modelFile
	if err := strictUnmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrModelFormat, err)
	}
	if f.Format != ModelFormat {
		return nil, fmt.Errorf("%w: format is %q, want %q", ErrModelFormat, f.Format, ModelFormat)
	}
	if f.Version != ModelVersion {
		return nil, fmt.Errorf("%w: version is %d, this code reads version %d", ErrModelFormat, f.Version, ModelVersion)
	}
	m, _, err := decodeModel(f.Model, "model", 0)
	return m, err
}

// ReadModel reads a model from r, reading at most MaxModelBytes.
func ReadModel(r io.Reader) (Model, error) {
	data, err := readLimited(r, MaxModelBytes)
	if err != nil {
		return nil, err
	}
	return UnmarshalModel(data)
}

// readLimited reads r whole, refusing more than limit bytes (it reads at
// most limit + 1).
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: more than the limit of %d bytes", ErrModelFormat, limit)
	}
	return data, nil
}

// LoadModel reads a model saved by SaveModel. The file must be a regular
// file (safeio.OpenRegular: a FIFO or device is refused without blocking);
// errors name the file.
func LoadModel(path string) (Model, error) {
	f, err := safeio.OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := ReadModel(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// LoadPipeline is LoadModel for a file that must hold a *PipelineModel.
func LoadPipeline(path string) (*PipelineModel, error) {
	m, err := LoadModel(path)
	if err != nil {
		return nil, err
	}
	pm, ok := m.(*PipelineModel)
	if !ok {
		return nil, fmt.Errorf("%s: %w: holds a %T, want a pipeline", path, ErrModelFormat, m)
	}
	return pm, nil
}

// strictUnmarshal decodes one JSON value into v (a pointer to a struct),
// refusing trailing data and any member whose name is not exactly one of
// the struct's JSON field names (encoding/json alone ignores unknown
// members and matches names regardless of case).
func strictUnmarshal(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return err
	}
	var members map[string]rawNode
	if err := json.Unmarshal(data, &members); err != nil {
		return err
	}
	known := jsonFields(reflect.TypeOf(v).Elem())
	var unknown []string
	for k := range members {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("unknown field %q", unknown[0])
	}
	return nil
}

// jsonFields returns the JSON member names of a struct type's fields.
func jsonFields(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = true
		}
	}
	return out
}

// rawNode is a JSON value kept undecoded until its kind is known. Unlike
// json.RawMessage it does not copy: json.Unmarshal hands UnmarshalJSON a
// sub-slice of its input, which the loader keeps unchanged until the model
// is built, so nested nodes cost no memory beyond the file's own bytes
// (TestLoadAllocationBounded).
type rawNode []byte

func (r *rawNode) UnmarshalJSON(b []byte) error {
	*r = b[:len(b):len(b)]
	return nil
}

func (r rawNode) MarshalJSON() ([]byte, error) {
	if r == nil {
		return []byte("null"), nil
	}
	return r, nil
}

// countValues returns an upper bound on the number of array elements and
// object members of a JSON text: the commas and opening brackets outside
// strings. It allocates nothing, so a file claiming millions of values is
// refused before any of them is decoded.
func countValues(data []byte) int {
	n, inString, escaped := 0, false, false
	for _, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == ',' || c == '[' || c == '{':
			n++
		}
	}
	return n
}
