package deep

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// checkpointFormat names the checkpoint format; checkpointVersion is its
// version.
const (
	checkpointFormat  = "ceusrad-deep-cnn"
	checkpointVersion = 1
)

// checkpoint is the JSON document of a saved Model.
type checkpoint struct {
	Format    string            `json:"format"`
	Version   int               `json:"version"`
	Config    Config            `json:"config"`
	Mean      float64           `json:"intensity_mean"`
	Std       float64           `json:"intensity_std"`
	BestEpoch int               `json:"best_epoch"`
	Params    []*Param          `json:"params"`
	BN        []*BatchNormStats `json:"batchnorm"`
	History   []epochJSON       `json:"history"`

	// LogitOffset is Model.LogitOffset (0 in checkpoints written before it).
	LogitOffset float64 `json:"logit_offset"`
}

// epochJSON is an Epoch with NaN written as null.
type epochJSON struct {
	Epoch     int      `json:"epoch"`
	Loss      *float64 `json:"loss"`
	InnerLoss *float64 `json:"inner_loss"`
	InnerAUC  *float64 `json:"inner_auc"`
	Best      bool     `json:"best"`
	ElapsedS  float64  `json:"elapsed_s"`
}

func finiteOrNil(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func orNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// Save writes the model as a JSON checkpoint: format name and version,
// the Config, the intensity normalisation, every Param (name, shape,
// float32 values written with the shortest decimal that reads back to the
// same float32), the batch-norm running statistics and the history. Load
// reads it back bit for bit.
func (m *Model) Save(w io.Writer) error {
	cp := checkpoint{Format: checkpointFormat, Version: checkpointVersion, Config: m.Config,
		Mean: m.Mean, Std: m.Std, BestEpoch: m.BestEpoch, Params: m.Params, BN: m.BN, LogitOffset: m.LogitOffset}
	for _, e := range m.History {
		cp.History = append(cp.History, epochJSON{Epoch: e.Epoch, Loss: finiteOrNil(e.Loss), InnerLoss: finiteOrNil(e.InnerLoss),
			InnerAUC: finiteOrNil(e.InnerAUC), Best: e.Best, ElapsedS: e.Elapsed.Seconds()})
	}
	enc := json.NewEncoder(w)
	if err := enc.Encode(cp); err != nil {
		return fmt.Errorf("deep: writing the checkpoint: %w", err)
	}
	return nil
}

// SaveFile writes the checkpoint to path atomically: to a temporary file beside it,
// fsynced and renamed into place (safeio.WriteWith), so a failure half-way leaves a
// previous checkpoint of that name whole.
func (m *Model) SaveFile(path string) error {
	if err := safeio.WriteWith(path, m.Save); err != nil {
		return fmt.Errorf("deep: %w", err)
	}
	return nil
}

// Load reads a checkpoint written by Save. name is used in error messages
// (the file's path). The configuration is validated and every parameter
// and statistic must have the name, shape and size that the configuration
// implies, with finite values.
//
// Nothing is allocated from a size in the file before it is checked: the document is
// read field by field; the config, which must come before params, batchnorm and history
// (as Save writes it), is validated against Validate's bounds (MaxFrames, MaxSize,
// MaxParams, ...) before the model is made; from then on the document may not exceed the
// budget its config implies (checkpointBudget, about 48 bytes a value), nor
// MaxCheckpointBytes before; and each tensor's values are parsed straight into the
// model's slice once its name and shape match, a value too many being refused.
func Load(r io.Reader, name string) (*Model, error) {
	return load(r, name, -1)
}

// load is Load for a document of size bytes (−1: unknown). A known size is compared
// with the config: at least 2 bytes per value it declares, at most its budget.
func load(r io.Reader, name string, size int64) (*Model, error) {
	br := &budgetReader{r: r, n: MaxCheckpointBytes}
	dec := json.NewDecoder(br)
	dec.DisallowUnknownFields()
	fail := func(err error) error {
		if errors.Is(err, errCheckpointTooLarge) {
			return fmt.Errorf("deep: %s: larger than a checkpoint of its config can be (%d bytes read; MaxCheckpointBytes %d)", name, br.read, MaxCheckpointBytes)
		}
		return fmt.Errorf("deep: %s: not a readable checkpoint: %w", name, err)
	}
	if t, err := dec.Token(); err != nil {
		return nil, fail(err)
	} else if d, ok := t.(json.Delim); !ok || d != '{' {
		return nil, fail(fmt.Errorf("found %v, expected a JSON object", t))
	}
	var cp checkpoint
	var m *Model
	seen := map[string]bool{}
	nParams, nBN := 0, 0
	needConfig := func(field string) error {
		if m == nil {
			return fmt.Errorf("deep: %s: field %s comes before field config, expected config first (as Save writes it)", name, field)
		}
		return nil
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fail(err)
		}
		key, _ := t.(string)
		if seen[key] {
			return nil, fmt.Errorf("deep: %s: field %s appears twice", name, key)
		}
		seen[key] = true
		switch key {
		case "format":
			if err := dec.Decode(&cp.Format); err != nil {
				return nil, fail(err)
			}
		case "version":
			if err := dec.Decode(&cp.Version); err != nil {
				return nil, fail(err)
			}
		case "intensity_mean":
			if err := dec.Decode(&cp.Mean); err != nil {
				return nil, fail(err)
			}
		case "intensity_std":
			if err := dec.Decode(&cp.Std); err != nil {
				return nil, fail(err)
			}
		case "best_epoch":
			if err := dec.Decode(&cp.BestEpoch); err != nil {
				return nil, fail(err)
			}
		case "logit_offset":
			if err := dec.Decode(&cp.LogitOffset); err != nil {
				return nil, fail(err)
			}
		case "config":
			if err := dec.Decode(&cp.Config); err != nil {
				return nil, fail(err)
			}
			if cp.Format != checkpointFormat {
				return nil, fmt.Errorf("deep: %s: field format is %q, expected %q", name, cp.Format, checkpointFormat)
			}
			if cp.Version != checkpointVersion {
				return nil, fmt.Errorf("deep: %s: field version is %d, expected %d", name, cp.Version, checkpointVersion)
			}
			if err := cp.Config.Validate(); err != nil {
				return nil, fmt.Errorf("%s: field config: %w", name, err)
			}
			values, budget := checkpointValues(cp.Config), checkpointBudget(cp.Config)
			if size >= 0 && (size < int64(values)*minBytesPerValue || size > budget) {
				return nil, fmt.Errorf("deep: %s: the file is %d bytes, but its config declares %d values, which take %d to %d bytes",
					name, size, values, int64(values)*minBytesPerValue, budget)
			}
			br.setBudget(budget)
			if m, err = NewModel(cp.Config); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		case "params":
			if err := needConfig(key); err != nil {
				return nil, err
			}
			err = jsonArray(dec, fail, func(i int) error {
				nParams = i + 1
				if i >= len(m.Params) {
					return fmt.Errorf("deep: %s: field params has more than %d tensors, expected %d for its config", name, len(m.Params), len(m.Params))
				}
				var p *paramJSON
				if err := dec.Decode(&p); err != nil {
					return fail(err)
				}
				want := m.Params[i]
				if p == nil || p.Name != want.Name || !slices.Equal(p.Shape, want.Shape) {
					got := "null"
					if p != nil {
						got = fmt.Sprintf("%s with shape %v", p.Name, p.Shape)
					}
					return fmt.Errorf("deep: %s: field params[%d] is %s, expected %s with shape %v and %d values", name, i, got, want.Name, want.Shape, len(want.Data))
				}
				if err := parseFloat32s(p.Data, want.Data); err != nil {
					return fmt.Errorf("deep: %s: field params[%d] (%s) data: %w", name, i, p.Name, err)
				}
				return nil
			})
		case "batchnorm":
			if err := needConfig(key); err != nil {
				return nil, err
			}
			err = jsonArray(dec, fail, func(i int) error {
				nBN = i + 1
				if i >= len(m.BN) {
					return fmt.Errorf("deep: %s: field batchnorm has more than %d layers, expected %d", name, len(m.BN), len(m.BN))
				}
				var b *bnJSON
				if err := dec.Decode(&b); err != nil {
					return fail(err)
				}
				want := m.BN[i]
				if b == nil || b.Name != want.Name {
					return fmt.Errorf("deep: %s: field batchnorm[%d] does not match layer %s with %d channels", name, i, want.Name, len(want.Mean))
				}
				if err := parseFloat32s(b.Mean, want.Mean); err != nil {
					return fmt.Errorf("deep: %s: field batchnorm[%d] (%s) Mean: %w", name, i, b.Name, err)
				}
				if err := parseFloat32s(b.Var, want.Var); err != nil {
					return fmt.Errorf("deep: %s: field batchnorm[%d] (%s) Var: %w", name, i, b.Name, err)
				}
				for j, v := range want.Var {
					if v < 0 {
						return fmt.Errorf("deep: %s: field batchnorm[%d].Var[%d] = %v, expected ≥ 0", name, i, j, v)
					}
				}
				return nil
			})
		case "history":
			if err := needConfig(key); err != nil {
				return nil, err
			}
			err = jsonArray(dec, fail, func(i int) error {
				if i >= cp.Config.Epochs {
					return fmt.Errorf("deep: %s: field history has more than Config.Epochs = %d entries", name, cp.Config.Epochs)
				}
				var e epochJSON
				if err := dec.Decode(&e); err != nil {
					return fail(err)
				}
				cp.History = append(cp.History, e)
				return nil
			})
		default:
			return nil, fail(fmt.Errorf("json: unknown field %q", key))
		}
		if err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return nil, fail(err)
	}
	if m == nil {
		if cp.Format != checkpointFormat {
			return nil, fmt.Errorf("deep: %s: field format is %q, expected %q", name, cp.Format, checkpointFormat)
		}
		return nil, fmt.Errorf("deep: %s: field config is missing", name)
	}
	if nParams != len(m.Params) {
		return nil, fmt.Errorf("deep: %s: field params has %d tensors, expected %d for its config", name, nParams, len(m.Params))
	}
	if nBN != len(m.BN) {
		return nil, fmt.Errorf("deep: %s: field batchnorm has %d layers, expected %d", name, nBN, len(m.BN))
	}
	if math.IsNaN(cp.Mean) || math.IsInf(cp.Mean, 0) || !(cp.Std > 0) || math.IsInf(cp.Std, 0) {
		return nil, fmt.Errorf("deep: %s: fields intensity_mean = %v and intensity_std = %v, expected finite values with std > 0", name, cp.Mean, cp.Std)
	}
	if math.IsNaN(cp.LogitOffset) || math.Abs(cp.LogitOffset) > 20 {
		return nil, fmt.Errorf("deep: %s: field logit_offset = %v, expected a finite prior shift log(π/(1−π)) of at most 20 in size", name, cp.LogitOffset)
	}
	m.Mean, m.Std, m.BestEpoch, m.LogitOffset = cp.Mean, cp.Std, cp.BestEpoch, cp.LogitOffset
	for _, e := range cp.History {
		m.History = append(m.History, Epoch{Epoch: e.Epoch, Epochs: cp.Config.Epochs, Loss: orNaN(e.Loss), InnerLoss: orNaN(e.InnerLoss),
			InnerAUC: orNaN(e.InnerAUC), Best: e.Best, Elapsed: time.Duration(e.ElapsedS * float64(time.Second))})
	}
	return m, nil
}

// LoadFile reads the checkpoint at path, a regular file (safeio.OpenRegular: a FIFO
// or device is refused without blocking) of at most MaxCheckpointBytes, whose size
// must fit its config (see Load).
func LoadFile(path string) (*Model, error) {
	f, err := safeio.OpenRegular(path)
	if err != nil {
		return nil, fmt.Errorf("deep: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("deep: %w", err)
	}
	if st.Size() > MaxCheckpointBytes {
		return nil, fmt.Errorf("deep: %s: %d bytes, more than a checkpoint can be (MaxCheckpointBytes %d)", path, st.Size(), MaxCheckpointBytes)
	}
	return load(f, path, st.Size())
}
