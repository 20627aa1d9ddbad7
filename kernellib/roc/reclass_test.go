package roc

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

func clinCheckStat(t *testing.T, name string, got ReclassStat, want clinStat) {
	t.Helper()
	clinCheck(t, name+" estimate", got.Est, want.Est, 1e-12)
	clinCheck(t, name+" SE", got.SE, want.SE, 1e-12)
	clinCheck(t, name+" SE0", got.SE0, want.SE0, 1e-12)
	clinCheck(t, name+" CI lower", got.CI[0], want.CI[0], 1e-12)
	clinCheck(t, name+" CI upper", got.CI[1], want.CI[1], 1e-12)
	clinCheck(t, name+" z", got.Z, want.Z, 1e-12)
	clinCheck(t, name+" p", got.P, want.P, 1e-9)
}

func clinCheckNRI(t *testing.T, name string, got NRIResult, want clinNRI) {
	t.Helper()
	if got.UpEvents != want.UpEvents || got.DownEvents != want.DownEvents ||
		got.UpNonEvents != want.UpNonEvents || got.DownNonEvents != want.DownNonEvents {
		t.Errorf("%s: moves %+v, want up/down events %d/%d, non-events %d/%d", name, got,
			want.UpEvents, want.DownEvents, want.UpNonEvents, want.DownNonEvents)
	}
	clinCheckStat(t, name+" event NRI", got.EventNRI, want.Event)
	clinCheckStat(t, name+" non-event NRI", got.NonEventNRI, want.NonEvent)
	clinCheckStat(t, name+" NRI", got.Total, want.Total)
}

// TestReclassR compares categorical and continuous NRI and IDI with the
// formulas of Pencina et al. (2008, 2011) written out in R, on probabilities
// from two nested glm fits (with ties, and on a small sample).
func TestReclassR(t *testing.T) {
	fx := clinLoadR(t)
	if len(fx.Reclass) != 3 {
		t.Fatalf("%d reclassification data sets, want 3", len(fx.Reclass))
	}
	for name, c := range fx.Reclass {
		old, new := clinFloats(c.Old), clinFloats(c.New)
		for _, cat := range c.Categorical {
			r, err := CategoricalNRI(old, new, c.Y, cat.Cutoffs, 0.95)
			if err != nil {
				t.Fatalf("%s %v: %v", name, cat.Cutoffs, err)
			}
			clinCheckNRI(t, fmt.Sprintf("%s cut-offs %v", name, cat.Cutoffs), r, cat)
		}
		r, err := ContinuousNRI(old, new, c.Y, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		clinCheckNRI(t, name+" continuous", r, c.Continuous)
		if r.NEvents+r.NNonEvents != len(c.Y) {
			t.Errorf("%s: %d + %d subjects of %d", name, r.NEvents, r.NNonEvents, len(c.Y))
		}

		idi, err := IDI(old, new, c.Y, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		w := c.IDI
		clinCheck(t, name+" slope old", idi.SlopeOld, w.SlopeOld, 1e-12)
		clinCheck(t, name+" slope new", idi.SlopeNew, w.SlopeNew, 1e-12)
		clinCheck(t, name+" event IDI", idi.EventIDI, w.Event, 1e-12)
		clinCheck(t, name+" non-event IDI", idi.NonEventIDI, w.NonEvent, 1e-12)
		clinCheckStat(t, name+" IDI", idi.IDI, clinStat{Est: w.Est, SE: w.SE, SE0: w.SE, Z: w.Z, P: w.P, CI: w.CI})
		clinCheck(t, name+" relative IDI", idi.Relative, w.Relative, 1e-12)
	}
}

// TestReclassHand checks a tiny example by hand: 2 events (one moves up a
// category, one stays), 3 non-events (one moves down, one up).
func TestReclassHand(t *testing.T) {
	old := []float64{0.15, 0.25, 0.25, 0.05, 0.30}
	new := []float64{0.25, 0.25, 0.15, 0.15, 0.30}
	y := []bool{true, true, false, false, false}
	r, err := CategoricalNRI(old, new, y, []float64{0.2}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	// events: 1 up of 2 → 1/2; non-events: 1 down, 0 up of 3 → 1/3.
	if r.UpEvents != 1 || r.DownEvents != 0 || r.UpNonEvents != 0 || r.DownNonEvents != 1 {
		t.Fatalf("moves %+v", r)
	}
	if math.Abs(r.EventNRI.Est-0.5) > 1e-15 || math.Abs(r.NonEventNRI.Est-1.0/3) > 1e-15 ||
		math.Abs(r.Total.Est-5.0/6) > 1e-15 {
		t.Errorf("NRI %v + %v = %v, want 1/2 + 1/3 = 5/6", r.EventNRI.Est, r.NonEventNRI.Est, r.Total.Est)
	}
	// SE0² = (1/2)/2 + (1/3)/3 = 13/36; SE² = (1/2 − 1/4)/2 + (1/3 − 1/9)/3 = 1/8 + 2/27.
	if math.Abs(r.Total.SE0-math.Sqrt(13.0/36)) > 1e-15 || math.Abs(r.Total.SE-math.Sqrt(1.0/8+2.0/27)) > 1e-15 {
		t.Errorf("SE0 %v, SE %v", r.Total.SE0, r.Total.SE)
	}
	c, err := ContinuousNRI(old, new, y, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	// continuous: events 1 up 0 down; non-events 1 up (0.05→0.15), 1 down.
	if c.UpNonEvents != 1 || c.DownNonEvents != 1 || c.NonEventNRI.Est != 0 || c.EventNRI.Est != 0.5 {
		t.Errorf("continuous NRI %+v", c)
	}
}

func TestReclassErrors(t *testing.T) {
	old := []float64{0.1, 0.4, 0.35, 0.8}
	new := []float64{0.2, 0.3, 0.45, 0.9}
	y := []bool{false, false, true, true}
	check := func(name string, err, want error) {
		t.Helper()
		if !errors.Is(err, want) {
			t.Errorf("%s: error %v, want %v", name, err, want)
		}
	}
	_, err := CategoricalNRI(old, new, y, nil, 0.95)
	check("no cut-offs", err, ErrParameter)
	_, err = CategoricalNRI(old, new, y, []float64{0.3, 0.2}, 0.95)
	check("unsorted cut-offs", err, ErrParameter)
	_, err = CategoricalNRI(old, new, y, []float64{1}, 0.95)
	check("cut-off 1", err, ErrParameter)
	_, err = ContinuousNRI(old, new[:3], y, 0.95)
	check("length", err, ErrLength)
	_, err = ContinuousNRI(old, []float64{0.2, 0.3, 1.45, 0.9}, y, 0.95)
	check("p > 1", err, ErrProbability)
	_, err = ContinuousNRI(old, new, []bool{true, true, true, true}, 0.95)
	check("one class", err, ErrOneClass)
	_, err = IDI(old[:3], new[:3], []bool{false, false, true}, 0.95)
	check("one event", err, ErrTooFew)
	_, err = IDI(old, new, y, -1)
	check("level", err, ErrParameter)
}
