package cohort

import (
	"strings"
	"testing"
)

func TestLabelSetParse(t *testing.T) {
	type want struct {
		value string
		label Label
		bad   bool
	}
	for _, c := range []struct {
		positive, negative string
		values             []want
	}{
		{"1", "", []want{
			{"1", LabelCase, false}, {"0", LabelControl, false}, {"1.0", LabelCase, false}, {" 1.00 ", LabelCase, false},
			{"0.0", LabelControl, false}, {"-0", LabelControl, false}, {"1e0", LabelCase, false},
			{"NA", LabelMissing, false}, {"", LabelMissing, false}, {"n/a", LabelMissing, false}, {"NaN", LabelMissing, false}, {".", LabelMissing, false},
			{"2", 0, true}, {"0.5", 0, true}, {"-1", 0, true}, {"yes", 0, true}, {"abc", 0, true}, {"Inf", 0, true},
			{"0x1p0", 0, true}, {"OR", 0, true}, {"true", 0, true},
		}},
		{"0", "", []want{{"0", LabelCase, false}, {"1.0", LabelControl, false}, {"2", 0, true}}},
		{"OR", "", []want{
			{"OR", LabelCase, false}, {"NR", LabelControl, false}, {" NR ", LabelControl, false}, {"NA", LabelMissing, false},
			{"or", 0, true}, {"1", 0, true}, {"PR", 0, true},
		}},
		{"NR", "", []want{{"NR", LabelCase, false}, {"OR", LabelControl, false}}},
		{"yes", "no", []want{{"yes", LabelCase, false}, {"no", LabelControl, false}, {"", LabelMissing, false}, {"Yes", 0, true}, {"1", 0, true}}},
		{"1.0", "0", []want{{"1", LabelCase, false}, {"0.00", LabelControl, false}}},
	} {
		s, err := NewLabelSet(c.positive, c.negative)
		if err != nil {
			t.Fatalf("NewLabelSet(%q, %q): %v", c.positive, c.negative, err)
		}
		for _, w := range c.values {
			got, err := s.Parse(w.value)
			switch {
			case w.bad && err == nil:
				t.Errorf("%s/%s: Parse(%q) = %v, want an error", c.positive, c.negative, w.value, got)
			case w.bad && !strings.Contains(err.Error(), `"`+w.value+`"`):
				t.Errorf("%s/%s: Parse(%q): error %q does not name the value", c.positive, c.negative, w.value, err)
			case !w.bad && (err != nil || got != w.label):
				t.Errorf("%s/%s: Parse(%q) = %v, %v; want %v", c.positive, c.negative, w.value, got, err, w.label)
			}
		}
	}
}

func TestNewLabelSetRefuses(t *testing.T) {
	for _, c := range [][2]string{{"yes", ""}, {"", ""}, {"NA", "0"}, {"1", "1.0"}, {"a", "a"}, {"1", "NA"}, {"P", ""}} {
		if s, err := NewLabelSet(c[0], c[1]); err == nil {
			t.Errorf("NewLabelSet(%q, %q) = %+v, want an error", c[0], c[1], s)
		}
	}
}
