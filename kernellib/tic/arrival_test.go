package tic

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// TestArrivalCurves: Arrival on hand-made curves — a step, a lognormal bolus, a
// noise spike that is not sustained, a flat curve, too short a baseline.
func TestArrivalCurves(t *testing.T) {
	var tt, step, bolus, spike []float64
	p := []float64{30, 2.3, 0.5, 8}
	for i := 0; i <= 120; i++ {
		x := float64(i) * 0.5
		tt = append(tt, x)
		// baseline 10 with ±0.1 alternating noise (robust SD 0.148)
		n := 0.1 * float64(1-2*(i%2))
		s := 10 + n
		if x >= 20 {
			s += 5
		}
		step = append(step, s)
		bolus = append(bolus, 10+n+Lognormal.Eval(x-4, p))
		sp := 10 + n
		if i == 30 || i == 31 {
			sp += 50 // two samples: not sustained for 3
		}
		spike = append(spike, sp)
	}
	o := ArrivalOptions{BaselineEndS: 3}
	at, err := Arrival(tt, step, o)
	if err != nil || !(at > 19.5 && at < 20) {
		t.Errorf("step at 20 s: arrival %v, %v; want in (19.5, 20)", at, err)
	}
	at, err = Arrival(tt, bolus, o)
	if err != nil || !(at > 12 && at < 16) {
		t.Errorf("lognormal starting at 12 s: arrival %v, %v", at, err)
	}
	if _, err = Arrival(tt, spike, o); !errors.Is(err, ErrNoArrival) {
		t.Errorf("a 2-sample spike: %v; want ErrNoArrival", err)
	}
	if at, err = Arrival(tt, spike, ArrivalOptions{BaselineEndS: 3, Sustain: 2}); err != nil || at <= 14.5 || at > 15 {
		t.Errorf("a 2-sample spike with Sustain 2: %v, %v", at, err)
	}
	if _, err = Arrival(tt, make([]float64, len(tt)), o); !errors.Is(err, ErrNoArrival) {
		t.Errorf("flat: %v", err)
	}
	if _, err = Arrival(tt, step, ArrivalOptions{BaselineEndS: 1}); !errors.Is(err, ErrNoArrival) || !strings.Contains(err.Error(), "2 samples before t = 1 s") {
		t.Errorf("2 baseline samples: %v; want ErrNoArrival about the baseline", err)
	}
	if _, err = Arrival(tt, step, ArrivalOptions{BaselineEndS: 3, K: -1}); err == nil {
		t.Error("K -1: no error")
	}
}

// TestArrivalSyntheticCohort measures the lesion's arrival on the default
// synthetic cohort (`make data`) with every injection_offset_s removed, against
// the simulator's truth: the lesion's enhancement starts at injection_offset_s
// (cohort.csv) + arrival_s (latent.csv, t_a of kernellib/synth "Kinetics") on
// the cine's clock. Reported in the package doc; re-run with
//
//	go test -run TestArrivalSyntheticCohort -v ./kernellib/tic/
func TestArrivalSyntheticCohort(t *testing.T) {
	c, err := cohort.ReadFile(defaultCohort, nil)
	if err != nil {
		t.Skipf("default cohort not found (make data): %v", err)
	}
	b, err := safeio.ReadFile(filepath.Join(filepath.Dir(defaultCohort), "latent.csv"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(recs[0], "arrival_s")
	truth := map[string]float64{}
	for _, r := range recs[1:] {
		if truth[r[0]], err = strconv.ParseFloat(r[col], 64); err != nil {
			t.Fatal(err)
		}
	}
	blind := *c
	blind.Patients = slices.Clone(c.Patients)
	for i := range blind.Patients {
		blind.Patients[i].InjectionOffset = math.NaN()
	}
	o := DefaultOptions()
	o.Models = nil
	df, err := CohortFeatures(&blind, o, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := df.Col(ColArrival).Float()
	var signed, abs []float64
	for i, p := range c.Patients {
		if o := df.Col(ColTimeOrigin).Records()[i]; o != OriginArrival {
			t.Errorf("%s: time origin %q without an injection time, want %q", p.ID, o, OriginArrival)
			continue
		}
		d := got[i] - (p.InjectionOffset + truth[p.ID])
		signed, abs = append(signed, d), append(abs, math.Abs(d))
	}
	slices.Sort(signed)
	slices.Sort(abs)
	mae := median(slices.Clone(abs))
	t.Logf("%d patients: median absolute error %.2f s, median error %+.2f s, 90th percentile of |error| %.2f s, range %+.2f to %+.2f s",
		len(abs), mae, median(slices.Clone(signed)), abs[len(abs)*9/10], signed[0], signed[len(signed)-1])
	if len(abs) != len(c.Patients) || mae > 2.5 || signed[0] < -1 {
		t.Errorf("median absolute error %.2f s (want ≤ 2.5 s), smallest error %+.2f s (want ≥ −1 s: never well before the contrast)", mae, signed[0])
	}
}
