package deep

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("default: %v", err)
	}
	for _, tc := range []struct {
		field string
		edit  func(c *Config)
	}{
		{"Frames", func(c *Config) { c.Frames = 0 }},
		{"Size", func(c *Config) { c.Size = 4 }},
		{"Size", func(c *Config) { c.Size = 36 }}, // not divisible by 2³
		{"Margin", func(c *Config) { c.Margin = -1 }},
		{"Phases", func(c *Config) { c.Phases = nil }},
		{"Phases[1]", func(c *Config) { c.Phases[1].To = c.Phases[1].From }},
		{"Phases", func(c *Config) {
			for i := range c.Phases {
				c.Phases[i].Share = 0
			}
		}},
		{"JitterS", func(c *Config) { c.JitterS = -1 }},
		{"Channels[1]", func(c *Config) { c.Channels = []int{4, 0} }},
		{"Kernel", func(c *Config) { c.Kernel = 2 }},
		{"TemporalKernel", func(c *Config) { c.TemporalKernel = 0 }},
		{"Epochs", func(c *Config) { c.Epochs = 0 }},
		{"BatchSize", func(c *Config) { c.BatchSize = 0 }},
		{"LearningRate", func(c *Config) { c.LearningRate = 0 }},
		{"Beta2", func(c *Config) { c.Beta2 = 1 }},
		{"InnerValidation", func(c *Config) { c.InnerValidation = 1 }},
		{"Augment.Gamma", func(c *Config) { c.Augment.Gamma = 0.5 }},
		{"Augment.FlipX", func(c *Config) { c.Augment.FlipX = 2 }},
	} {
		c := DefaultConfig()
		tc.edit(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("%s: error %v", tc.field, err)
		}
	}
	// Train refuses clips of another configuration and a single class.
	cfg := smallConfig()
	clips, y := patternClips(8, cfg, 1)
	other := cfg
	other.Size = 8
	if _, err := Train(clips, y, other, nil); err == nil || !strings.Contains(err.Error(), "another Config") {
		t.Errorf("mismatched clips: %v", err)
	}
	for i := range y {
		y[i] = true
	}
	if _, err := Train(clips, y, cfg, nil); err == nil {
		t.Error("one class: no error")
	}
	if _, err := Train(clips[:3], y[:3], cfg, nil); err == nil {
		t.Error("three cines: no error")
	}
}
