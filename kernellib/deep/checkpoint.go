package deep

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"time"
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

// SaveFile writes the checkpoint to path (created or truncated).
func (m *Model) SaveFile(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("deep: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("deep: %w", cerr)
		}
	}()
	return m.Save(f)
}

// Load reads a checkpoint written by Save. name is used in error messages
// (the file's path). The configuration is validated and every parameter
// and statistic must have the name, shape and size that the configuration
// implies, with finite values.
func Load(r io.Reader, name string) (*Model, error) {
	var cp checkpoint
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cp); err != nil {
		return nil, fmt.Errorf("deep: %s: not a readable checkpoint: %w", name, err)
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
	m, err := NewModel(cp.Config)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(cp.Params) != len(m.Params) {
		return nil, fmt.Errorf("deep: %s: field params has %d tensors, expected %d for its config", name, len(cp.Params), len(m.Params))
	}
	for i, p := range cp.Params {
		want := m.Params[i]
		if p == nil || p.Name != want.Name || !slices.Equal(p.Shape, want.Shape) || len(p.Data) != len(want.Data) {
			return nil, fmt.Errorf("deep: %s: field params[%d] is %s, expected %s with shape %v and %d values", name, i, describe(p), want.Name, want.Shape, len(want.Data))
		}
		if err := finite32(p.Data); err != nil {
			return nil, fmt.Errorf("deep: %s: field params[%d] (%s): %w", name, i, p.Name, err)
		}
		copy(want.Data, p.Data)
	}
	if len(cp.BN) != len(m.BN) {
		return nil, fmt.Errorf("deep: %s: field batchnorm has %d layers, expected %d", name, len(cp.BN), len(m.BN))
	}
	for i, b := range cp.BN {
		want := m.BN[i]
		if b == nil || b.Name != want.Name || len(b.Mean) != len(want.Mean) || len(b.Var) != len(want.Var) {
			return nil, fmt.Errorf("deep: %s: field batchnorm[%d] does not match layer %s with %d channels", name, i, want.Name, len(want.Mean))
		}
		if err := errors.Join(finite32(b.Mean), finite32(b.Var)); err != nil {
			return nil, fmt.Errorf("deep: %s: field batchnorm[%d] (%s): %w", name, i, b.Name, err)
		}
		for j, v := range b.Var {
			if v < 0 {
				return nil, fmt.Errorf("deep: %s: field batchnorm[%d].Var[%d] = %v, expected ≥ 0", name, i, j, v)
			}
		}
		copy(want.Mean, b.Mean)
		copy(want.Var, b.Var)
	}
	if math.IsNaN(cp.Mean) || math.IsInf(cp.Mean, 0) || !(cp.Std > 0) || math.IsInf(cp.Std, 0) {
		return nil, fmt.Errorf("deep: %s: fields intensity_mean = %v and intensity_std = %v, expected finite values with std > 0", name, cp.Mean, cp.Std)
	}
	m.Mean, m.Std, m.BestEpoch, m.LogitOffset = cp.Mean, cp.Std, cp.BestEpoch, cp.LogitOffset
	for _, e := range cp.History {
		m.History = append(m.History, Epoch{Epoch: e.Epoch, Epochs: cp.Config.Epochs, Loss: orNaN(e.Loss), InnerLoss: orNaN(e.InnerLoss),
			InnerAUC: orNaN(e.InnerAUC), Best: e.Best, Elapsed: time.Duration(e.ElapsedS * float64(time.Second))})
	}
	return m, nil
}

// LoadFile reads the checkpoint at path.
func LoadFile(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("deep: %w", err)
	}
	defer f.Close()
	return Load(f, path)
}

func describe(p *Param) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprintf("%s with shape %v and %d values", p.Name, p.Shape, len(p.Data))
}

func finite32(v []float32) error {
	for i, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return fmt.Errorf("value %d is %v, expected a finite number", i, x)
		}
	}
	return nil
}
