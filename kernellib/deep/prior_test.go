package deep

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/roc"
)

func TestPriorOffset(t *testing.T) {
	o, err := PriorOffset([]bool{true, true, false, true})
	if err != nil || math.Abs(o-math.Log(3)) > 1e-15 {
		t.Errorf("PriorOffset(3 of 4) = %v, %v; want log 3", o, err)
	}
	if o, err := PriorOffset([]bool{true, false}); err != nil || o != 0 {
		t.Errorf("PriorOffset(1 of 2) = %v, %v; want 0", o, err)
	}
	for _, y := range [][]bool{nil, {true, true}, {false}} {
		if _, err := PriorOffset(y); err == nil {
			t.Errorf("PriorOffset(%v): no error", y)
		}
	}
}

// TestTrainPriorCorrection trains on twice as many responders as
// non-responders: the model's LogitOffset is log(π/(1−π)) of the inner
// training cines, Predict applies it, the AUC is unchanged bit for bit and
// a checkpoint keeps it.
func TestTrainPriorCorrection(t *testing.T) {
	cfg := smallConfig()
	cfg.Epochs = 2
	all, ally := patternClips(24, cfg, 5)
	var clips []*Clip
	var y []bool
	neg := 0
	for i, c := range all {
		if !ally[i] {
			if neg++; neg > 6 {
				continue
			}
		}
		clips, y = append(clips, c), append(y, ally[i])
	}
	m, err := Train(clips, y, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	inner, _, err := cfg.Split(y)
	if err != nil {
		t.Fatal(err)
	}
	np := 0
	for _, i := range inner {
		if y[i] {
			np++
		}
	}
	want := math.Log(float64(np) / float64(len(inner)-np))
	if m.LogitOffset != want || want < 0.5 {
		t.Fatalf("LogitOffset = %v, want log(%d/%d) = %v", m.LogitOffset, np, len(inner)-np, want)
	}
	z, err := m.Logits(clips)
	if err != nil {
		t.Fatal(err)
	}
	p, err := m.Predict(clips)
	if err != nil {
		t.Fatal(err)
	}
	raw := make([]float64, len(z))
	for i, v := range z {
		raw[i] = 1 / (1 + math.Exp(-v))
		if w := 1 / (1 + math.Exp(-(v + want))); math.Abs(p[i]-w) > 1e-12 {
			t.Fatalf("clip %d: Predict %v, want σ(z + offset) = %v", i, p[i], w)
		}
	}
	a1, err1 := roc.AUC(p, y, roc.CasesHigher)
	a0, err0 := roc.AUC(raw, y, roc.CasesHigher)
	if err0 != nil || err1 != nil || a1 != a0 {
		t.Errorf("AUC %v after the prior correction, %v before (%v, %v): want bit-identical", a1, a0, err1, err0)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	l, err := Load(bytes.NewReader(buf.Bytes()), "model.json")
	if err != nil {
		t.Fatal(err)
	}
	if pl, _ := l.Predict(clips); l.LogitOffset != m.LogitOffset || !slices.Equal(pl, p) {
		t.Errorf("checkpoint: LogitOffset %v, want %v; predictions equal: %v", l.LogitOffset, m.LogitOffset, slices.Equal(pl, p))
	}
	// A checkpoint written before the offset existed loads uncorrected.
	s := buf.String()
	i := strings.Index(s, `,"logit_offset":`)
	if i < 0 {
		t.Fatal("checkpoint has no logit_offset")
	}
	j := i + 1 + strings.IndexAny(s[i+1:], ",}")
	old, err := Load(strings.NewReader(s[:i]+s[j:]), "old.json")
	if err != nil || old.LogitOffset != 0 {
		t.Errorf("checkpoint without logit_offset: offset %v, error %v", old.LogitOffset, err)
	}
}
