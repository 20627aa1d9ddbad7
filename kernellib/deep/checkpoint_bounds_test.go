package deep

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio/fifotest"
)

// allocated returns the bytes f allocates (runtime.MemStats.TotalAlloc).
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestConfigBounds checks that Validate, and so NewModel, Prepare and PrepareAll,
// refuse every size beyond its bound, singly or jointly, naming the field, before
// allocating anything of that size.
func TestConfigBounds(t *testing.T) {
	for _, tc := range []struct {
		field string
		edit  func(c *Config)
	}{
		{"Config.Frames", func(c *Config) { c.Frames = 1_000_000 }},
		{"Config.Size", func(c *Config) { c.Size = 65536 }},
		{"Config.JitterSteps", func(c *Config) { c.JitterSteps = 1000 }},
		{"Config.Phases", func(c *Config) { c.Phases = make([]Phase, 1000) }},
		{"Config.Channels", func(c *Config) { c.Channels = []int{4, 4, 4, 4, 4, 4, 4, 4, 4} }},
		{"Config.Channels[1]", func(c *Config) { c.Channels = []int{8, 65536, 32} }},
		{"Config.Kernel", func(c *Config) { c.Kernel = 101 }},
		{"Config.TemporalChannels", func(c *Config) { c.TemporalChannels = 1 << 20 }},
		{"Config.TemporalKernel", func(c *Config) { c.TemporalKernel = 1001 }},
		{"Config.BatchSize", func(c *Config) { c.BatchSize = 1 << 30 }},
		{"Config.Epochs", func(c *Config) { c.Epochs = 1 << 40 }},
		{"Config.Workers", func(c *Config) { c.Workers = 1 << 30 }},
		// Each within its bound, too large together.
		{"MaxClipValues", func(c *Config) { c.Frames, c.Size, c.BatchSize = 1024, 1024, 1 }},
		{"MaxActivationValues", func(c *Config) { c.BatchSize, c.Size = 1024, 64 }},
		{"Channels[0]", func(c *Config) { c.BatchSize, c.Size, c.MaskChannel, c.Channels = 64, 256, false, []int{1024} }},
		{"MaxParams", func(c *Config) { c.BatchSize, c.Size, c.Channels, c.Kernel = 1, 16, []int{1024, 1024, 1024}, 31 }},
	} {
		c := DefaultConfig()
		tc.edit(&c)
		var errs [3]error
		n := allocated(func() {
			errs[0] = c.Validate()
			_, errs[1] = NewModel(c)
			_, errs[2] = Prepare(Source{ID: "p1", Cine: "nosuch.dcm", Mask: "nosuch.png"}, c)
		})
		for i, err := range errs {
			if err == nil || !strings.Contains(err.Error(), tc.field) {
				t.Errorf("%s: call %d: error %v, want one naming %s", tc.field, i, err, tc.field)
			}
		}
		if n > 1<<20 {
			t.Errorf("%s: refusing the config allocated %d bytes", tc.field, n)
		}
	}
	// NumParams counts what NewModel makes.
	for _, c := range []Config{DefaultConfig(), smallConfig()} {
		m, err := NewModel(c)
		if err != nil {
			t.Fatal(err)
		}
		if c.NumParams() != m.NumParams() {
			t.Errorf("Config.NumParams %d, the model has %d", c.NumParams(), m.NumParams())
		}
	}
}

// savedCheckpoint returns the checkpoint Save writes for an untrained model of
// smallConfig.
func savedCheckpoint(t *testing.T) string {
	t.Helper()
	m, err := NewModel(smallConfig())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestCheckpointEditedSizes writes checkpoints with Save, edits their sizes and loads
// them with LoadFile: each must be refused with an error naming the file and the field,
// with no panic and a small allocation, whatever size the edit asks for.
func TestCheckpointEditedSizes(t *testing.T) {
	saved := savedCheckpoint(t)
	dir := t.TempDir()
	firstData := saved[strings.Index(saved, `"Data":[`)+len(`"Data":[`):]
	firstData = firstData[:strings.Index(firstData, "]")]
	for _, tc := range []struct{ from, to, want string }{
		{`"Size":16`, `"Size":65536`, "Config.Size"},
		{`"Frames":2`, `"Frames":1000000`, "Config.Frames"},
		{`"JitterSteps":0`, `"JitterSteps":100000`, "Config.JitterSteps"},
		{`"Channels":[4,8]`, `"Channels":[4,65536]`, "Config.Channels[1]"},
		{`"TemporalChannels":8`, `"TemporalChannels":100000000`, "Config.TemporalChannels"},
		{`"Kernel":3`, `"Kernel":4097`, "Config.Kernel"},
		{`"Channels":[4,8]`, `"Channels":[1024,1024,1024]`, "MaxParams"},
		// A valid, larger network than the file's bytes can hold.
		{`"Channels":[4,8]`, `"Channels":[64,128]`, "declares"},
		// A tensor shape or length that disagrees with the config.
		{`"Shape":[4,2,3,3]`, `"Shape":[400000000,2,3,3]`, "params[0]"},
		{`"Data":[` + firstData + `]`, `"Data":[` + firstData + `,0]`, "more than the 72 values"},
		{`"Data":[` + firstData + `]`, `"Data":[0]`, "has 1 values, expected 72"},
		{`"Data":[` + firstData + `]`, `"Data":["x"]`, "params[0]"},
		{`"Data":[` + firstData + `]`, `"Data":[1e39` + strings.Repeat(",0", 71) + `]`, "expected a finite float32"},
		// Fields out of order, or twice.
		{`{"format":"ceusrad-deep-cnn","version":1,`, `{"format":"ceusrad-deep-cnn","version":1,"params":[],`, "comes before field config"},
		{`"intensity_mean":`, `"intensity_mean":0,"intensity_mean":`, "appears twice"},
	} {
		if !strings.Contains(saved, tc.from) {
			t.Fatalf("checkpoint has no %s", tc.from)
		}
		path := filepath.Join(dir, "model.json")
		if err := os.WriteFile(path, []byte(strings.Replace(saved, tc.from, tc.to, 1)), 0o600); err != nil {
			t.Fatal(err)
		}
		var err error
		n := allocated(func() { _, err = LoadFile(path) })
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s → %s: error %v, want one naming %s and %q", tc.from, tc.to, err, path, tc.want)
		}
		if n > 4<<20 {
			t.Errorf("%s → %s: allocated %d bytes", tc.from, tc.to, n)
		}
	}
	// The unedited file loads.
	path := filepath.Join(dir, "model.json")
	if err := os.WriteFile(path, []byte(saved), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(path); err != nil {
		t.Fatalf("unedited checkpoint: %v", err)
	}
	// A file padded past what its config can take is refused by its size, and a stream
	// (Load) with a tensor of 10 million values stops reading at the config's budget.
	pad := filepath.Join(dir, "padded.json")
	if err := os.WriteFile(pad, append([]byte(saved), bytes.Repeat([]byte(" "), 1<<20)...), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(pad); err == nil || !strings.Contains(err.Error(), "bytes") || !strings.Contains(err.Error(), pad) {
		t.Errorf("padded file: error %v, want one naming its size", err)
	}
	huge := strings.Replace(saved, `"Data":[`+firstData, `"Data":[`+firstData+strings.Repeat(",0", 10_000_000), 1)
	var err error
	n := allocated(func() { _, err = Load(strings.NewReader(huge), "stream.json") })
	if err == nil || !strings.Contains(err.Error(), "stream.json") || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("10 million values in a tensor: error %v, want one saying the stream is too large", err)
	}
	if n > 4<<20 {
		t.Errorf("10 million values in a tensor: allocated %d bytes, want under 4 MiB (the stream is 20 MB)", n)
	}
}

// TestLoadFileFIFO checks that LoadFile refuses a FIFO by name without blocking.
func TestLoadFileFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "model.json")
	fifotest.Make(t, fifo)
	fifotest.Refused(t, "LoadFile(FIFO)", func() error { _, err := LoadFile(fifo); return err }, fifo, "regular file")
}
