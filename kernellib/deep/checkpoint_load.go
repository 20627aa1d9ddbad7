package deep

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// MaxCheckpointBytes is the most Load reads of a checkpoint, whatever its
// configuration: a network of MaxParams values written by Save takes under 400 MB.
const MaxCheckpointBytes = 1 << 29

// Byte budget of a checkpoint given its configuration (checkpointBudget): at most
// budgetPerValue bytes per parameter or batch-norm value (Save writes at most 16 for a
// float32 and its comma; the rest leaves room for indentation), budgetPerEpoch per
// history entry and budgetOverhead for names, shapes and the scalar fields. At least
// minBytesPerValue per value: one digit and a comma.
const (
	budgetPerValue   = 48
	budgetPerEpoch   = 512
	budgetOverhead   = 1 << 16
	minBytesPerValue = 2
)

// errCheckpointTooLarge is returned by budgetReader past its budget.
var errCheckpointTooLarge = errors.New("checkpoint larger than its byte budget")

// budgetReader reads from r until n bytes have been read, then fails with
// errCheckpointTooLarge; n may be lowered as the budget becomes known.
type budgetReader struct {
	r    io.Reader
	n    int64 // bytes still allowed
	read int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.n <= 0 {
		return 0, errCheckpointTooLarge
	}
	if int64(len(p)) > b.n {
		p = p[:b.n]
	}
	k, err := b.r.Read(p)
	b.n -= int64(k)
	b.read += int64(k)
	return k, err
}

// setBudget limits the whole document to total bytes.
func (b *budgetReader) setBudget(total int64) { b.n = min(b.n, total-b.read) }

// checkpointValues returns the number of float32 values (parameters and batch-norm
// running statistics) a checkpoint of cfg holds.
func checkpointValues(cfg Config) int {
	bn := 0
	for _, c := range cfg.Channels {
		bn += 2 * c
	}
	return cfg.NumParams() + bn + 2*cfg.TemporalChannels
}

// checkpointBudget returns the largest size, in bytes, of a checkpoint of cfg.
func checkpointBudget(cfg Config) int64 {
	return int64(checkpointValues(cfg))*budgetPerValue + int64(cfg.Epochs)*budgetPerEpoch + budgetOverhead
}

// jsonArray reads a JSON array (or null, an empty one) from dec, calling each for
// every element with its index; each decodes the element and returns a complete
// error. fail turns the array's own read errors into one.
func jsonArray(dec *json.Decoder, fail func(error) error, each func(i int) error) error {
	t, err := dec.Token()
	if err != nil {
		return fail(err)
	}
	if t == nil {
		return nil
	}
	if d, ok := t.(json.Delim); !ok || d != '[' {
		return fail(fmt.Errorf("found %v, expected an array", t))
	}
	for i := 0; dec.More(); i++ {
		if err := each(i); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // ']'
		return fail(err)
	}
	return nil
}

// parseFloat32s parses the JSON array raw of numbers into dst, which must have exactly
// as many elements: extra values are refused at the first one, so nothing is allocated
// from the array's length. Values are read as encoding/json reads a float32
// (strconv.ParseFloat with 32 bits) and must be finite.
func parseFloat32s(raw []byte, dst []float32) error {
	i := 0
	space := func() {
		for i < len(raw) && (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\n' || raw[i] == '\r') {
			i++
		}
	}
	space()
	if i >= len(raw) || raw[i] != '[' {
		return fmt.Errorf("expected an array of %d numbers", len(dst))
	}
	i++
	n := 0
	for {
		space()
		if i < len(raw) && raw[i] == ']' && n == 0 {
			break
		}
		j := i
		for j < len(raw) && (raw[j] >= '0' && raw[j] <= '9' || raw[j] == '-' || raw[j] == '+' || raw[j] == '.' || raw[j] == 'e' || raw[j] == 'E') {
			j++
		}
		if j == i {
			return fmt.Errorf("value %d is not a number, expected %d numbers", n, len(dst))
		}
		if n >= len(dst) {
			return fmt.Errorf("has more than the %d values its shape implies", len(dst))
		}
		v, err := strconv.ParseFloat(string(raw[i:j]), 32)
		if err != nil {
			return fmt.Errorf("value %d is %q, expected a finite float32", n, raw[i:j])
		}
		dst[n] = float32(v)
		n++
		i = j
		space()
		if i < len(raw) && raw[i] == ',' {
			i++
			continue
		}
		if i < len(raw) && raw[i] == ']' {
			break
		}
		return fmt.Errorf("value %d is not followed by ',' or ']'", n-1)
	}
	if n != len(dst) {
		return fmt.Errorf("has %d values, expected %d", n, len(dst))
	}
	return nil
}

// paramJSON is a Param as read: its values are kept raw until the name and shape
// are known to match the model's.
type paramJSON struct {
	Name  string
	Shape []int
	Data  json.RawMessage
	Decay bool
}

// bnJSON is a BatchNormStats as read.
type bnJSON struct {
	Name      string
	Mean, Var json.RawMessage
}
