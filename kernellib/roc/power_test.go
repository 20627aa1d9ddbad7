package roc

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
)

// powerFixture is testdata/proc_power.json, written by proc_power.R with
// pROC 1.18's power.roc.test.
type powerFixture struct {
	Tool string
	Data map[string]map[string]json.RawMessage
	// Inputs are null where pROC was given NULL (the unknown).
	OneAUC []struct {
		Name  string
		Input struct {
			AUC, Cases, Controls, Kappa, Alpha, Power *float64
			OneSided                                  bool `json:"one_sided"`
		}
		Want    powerWant
		AUCRoot *float64 `json:"auc_root"`
	} `json:"one_auc"`
	Params []struct {
		Name   string
		Params struct {
			A1, B1, A2, B2, Rn, Ra, Delta float64
		}
		Input struct {
			Cases, Controls, Kappa, Alpha, Power *float64
			OneSided                             bool `json:"one_sided"`
		}
		Want powerWant
	}
	Curves []struct {
		Name, Data, Score1, Score2, Method string
		Input                              struct {
			Kappa, Alpha, Power *float64
			OneSided            bool `json:"one_sided"`
		}
		Want powerWant
	}
	OneCurve []struct {
		Name, Data, Score string
		Input             struct{ Kappa, Alpha, Power *float64 }
		Want              powerWant
	} `json:"one_curve"`
}

type powerWant struct {
	Cases, Controls, Alpha, Power, AUC, AUC1, AUC2 float64
}

func loadPowerFixture(t *testing.T) *powerFixture {
	t.Helper()
	b, err := os.ReadFile("testdata/proc_power.json")
	if err != nil {
		t.Fatal(err)
	}
	var f powerFixture
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.Tool, "pROC 1.18") {
		t.Fatalf("fixture made by %q, want pROC 1.18", f.Tool)
	}
	return &f
}

// data returns the truth and a score column of a data set of the fixture.
func (f *powerFixture) data(t *testing.T, set, score string) (truth []bool, x []float64) {
	t.Helper()
	d, ok := f.Data[set]
	if !ok {
		t.Fatalf("no data set %q", set)
	}
	var tr []int
	if err := json.Unmarshal(d["truth"], &tr); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(d[score], &x); err != nil {
		t.Fatalf("%s$%s: %v", set, score, err)
	}
	for _, v := range tr {
		truth = append(truth, v == 1)
	}
	return truth, x
}

func val(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// powerTol is the agreement asked of every number: relative 1e-9 (the
// issue asks for 1e-6; the closed forms agree to rounding).
const powerTol = 1e-9

func checkPlan(t *testing.T, name string, got PowerPlan, w powerWant, auc1, auc2 float64) {
	t.Helper()
	for _, c := range []struct {
		what      string
		got, want float64
	}{{"cases", got.Cases, w.Cases}, {"controls", got.Controls, w.Controls}, {"alpha", got.Alpha, w.Alpha},
		{"power", got.Power, w.Power}, {"auc", got.AUC, auc1}, {"auc2", got.AUC2, auc2}} {
		if math.Abs(c.got-c.want) > powerTol*math.Max(math.Abs(c.want), 1e-3) {
			t.Errorf("%s: %s = %.17g, pROC %.17g (diff %.3g)", name, c.what, c.got, c.want, c.got-c.want)
		}
	}
}

// TestPowerOneAUCvsPROC checks PowerOneAUC against power.roc.test(auc = ...)
// for each unknown. pROC solves the AUC with uniroot at tolerance 1.2e-4,
// so a solved AUC is compared to the root of pROC's own objective found
// with tol = 1e-13, and to pROC's answer within pROC's tolerance.
func TestPowerOneAUCvsPROC(t *testing.T) {
	f := loadPowerFixture(t)
	solved := map[string]int{}
	for _, c := range f.OneAUC {
		in := c.Input
		p := PowerPlan{AUC: val(in.AUC), Cases: val(in.Cases), Controls: val(in.Controls), Kappa: val(in.Kappa),
			Alpha: val(in.Alpha), Power: val(in.Power), OneSided: in.OneSided}
		if p.Cases != 0 && p.Controls != 0 {
			p.Kappa = 0 // pROC's default kappa = 1, overridden by the two counts
		}
		got, err := PowerOneAUC(p)
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		want := c.Want.AUC
		switch {
		case in.AUC == nil:
			solved["auc"]++
			if c.AUCRoot == nil {
				t.Fatalf("%s: no auc_root in the fixture", c.Name)
			}
			if d := math.Abs(got.AUC - c.Want.AUC); d > 1.3e-4 {
				t.Errorf("%s: AUC %.10f, pROC %.10f: beyond uniroot's tolerance", c.Name, got.AUC, c.Want.AUC)
			}
			want = *c.AUCRoot
		case in.Cases == nil && in.Controls == nil:
			solved["cases"]++
		case in.Power == nil:
			solved["power"]++
		case in.Alpha == nil:
			solved["alpha"]++
		}
		checkPlan(t, c.Name, got, c.Want, want, 0)
		if k := got.Controls / got.Cases; math.Abs(got.Kappa-k) > 1e-12*k {
			t.Errorf("%s: kappa %v, controls/cases %v", c.Name, got.Kappa, k)
		}
	}
	for _, u := range []string{"auc", "cases", "power", "alpha"} {
		if solved[u] == 0 {
			t.Errorf("the fixture solves no %s", u)
		}
	}
}

// TestPowerTwoParamsVsPROC checks PowerTwoParams against
// power.roc.test(list(A1, B1, A2, B2, rn, ra, delta), ...).
func TestPowerTwoParamsVsPROC(t *testing.T) {
	f := loadPowerFixture(t)
	if len(f.Params) == 0 {
		t.Fatal("no params cases")
	}
	for _, c := range f.Params {
		in, q := c.Input, c.Params
		b := BinormalPair{A1: q.A1, B1: q.B1, A2: q.A2, B2: q.B2, RhoControls: q.Rn, RhoCases: q.Ra, Delta: q.Delta}
		p := PowerPlan{Cases: val(in.Cases), Controls: val(in.Controls), Kappa: val(in.Kappa),
			Alpha: val(in.Alpha), Power: val(in.Power), OneSided: in.OneSided}
		if p.Cases != 0 && p.Controls != 0 {
			p.Kappa = 0
		}
		got, err := PowerTwoParams(b, p)
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		a1, a2 := b.AUCs()
		checkPlan(t, c.Name, got, c.Want, a1, a2)
	}
}

// TestEqualVarianceParams checks the AUC-and-correlation form against the
// list the fixture gave pROC for the paper's AUCs.
func TestEqualVarianceParams(t *testing.T) {
	f := loadPowerFixture(t)
	b, err := EqualVarianceParams(0.93, 0.80, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range f.Params {
		if !strings.HasPrefix(c.Name, "paper AUCs, r 0.5") {
			continue
		}
		n++
		q := c.Params
		want := BinormalPair{A1: q.A1, B1: q.B1, A2: q.A2, B2: q.B2, RhoControls: q.Rn, RhoCases: q.Ra, Delta: q.Delta}
		for i, g := range []float64{b.A1, b.B1, b.A2, b.B2, b.RhoControls, b.RhoCases, b.Delta} {
			w := []float64{want.A1, want.B1, want.A2, want.B2, want.RhoControls, want.RhoCases, want.Delta}[i]
			if math.Abs(g-w) > 1e-15 {
				t.Errorf("parameter %d: %.17g, R %.17g", i, g, w)
			}
		}
	}
	if n == 0 {
		t.Fatal("no paper-AUC case in the fixture")
	}
	if a1, a2 := b.AUCs(); math.Abs(a1-0.93) > 1e-15 || math.Abs(a2-0.80) > 1e-15 {
		t.Errorf("binormal AUCs %v, %v; want 0.93, 0.80", a1, a2)
	}
}

// TestPowerTwoCurvesVsPROC checks PowerTwoCurves against
// power.roc.test(roc1, roc2, method = "delong" | "obuchowski") on aSAH and
// a simulated data set.
func TestPowerTwoCurvesVsPROC(t *testing.T) {
	f := loadPowerFixture(t)
	seen := map[string]int{}
	for _, c := range f.Curves {
		truth, x1 := f.data(t, c.Data, c.Score1)
		_, x2 := f.data(t, c.Data, c.Score2)
		method := PowerDeLong
		if c.Method == "obuchowski" {
			method = PowerBinormal
		}
		if method.String() != c.Method {
			t.Fatalf("method %q is %v", c.Method, method)
		}
		seen[c.Method+"/"+c.Data]++
		in := c.Input
		p := PowerPlan{Kappa: val(in.Kappa), Alpha: val(in.Alpha), Power: val(in.Power), OneSided: in.OneSided}
		got, err := PowerTwoCurves(x1, x2, truth, method, p, CasesHigher)
		if err != nil {
			t.Errorf("%s (%s): %v", c.Name, c.Method, err)
			continue
		}
		checkPlan(t, c.Name+" ("+c.Method+")", got, c.Want, c.Want.AUC1, c.Want.AUC2)
	}
	for _, k := range []string{"delong/asah", "obuchowski/asah", "delong/simulated", "obuchowski/simulated"} {
		if seen[k] == 0 {
			t.Errorf("no %s case", k)
		}
	}
}

// TestPowerOneCurveVsPROC checks PowerOneCurve against power.roc.test(roc).
func TestPowerOneCurveVsPROC(t *testing.T) {
	f := loadPowerFixture(t)
	if len(f.OneCurve) == 0 {
		t.Fatal("no one-curve cases")
	}
	for _, c := range f.OneCurve {
		truth, x := f.data(t, c.Data, c.Score)
		in := c.Input
		got, err := PowerOneCurve(x, truth, CasesHigher, PowerPlan{Kappa: val(in.Kappa), Alpha: val(in.Alpha), Power: val(in.Power)})
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		checkPlan(t, c.Name, got, c.Want, c.Want.AUC, 0)
	}
}

// TestPowerRoundTrip solves each unknown from the others' solution: the
// four one-AUC solvers are inverses of one another.
func TestPowerRoundTrip(t *testing.T) {
	base := PowerPlan{AUC: 0.78, Cases: 33, Controls: 51, Alpha: 0.05}
	full, err := PowerOneAUC(base)
	if err != nil {
		t.Fatal(err)
	}
	for _, drop := range []string{"auc", "cases", "alpha"} {
		p := full
		switch drop {
		case "auc":
			p.AUC = 0
		case "cases":
			p.Cases, p.Controls = 0, 0
		case "alpha":
			p.Alpha = 0
		}
		got, err := PowerOneAUC(p)
		if err != nil {
			t.Fatalf("solve %s: %v", drop, err)
		}
		for _, c := range [][2]float64{{got.AUC, full.AUC}, {got.Cases, full.Cases}, {got.Controls, full.Controls}, {got.Alpha, full.Alpha}, {got.Power, full.Power}} {
			if math.Abs(c[0]-c[1]) > 1e-9*c[1] {
				t.Errorf("solve %s: %v, want %v", drop, got, full)
				break
			}
		}
	}
}

// TestPowerRefused checks that bad plans are refused with errors that say
// what is wrong.
func TestPowerRefused(t *testing.T) {
	truth := []bool{true, true, true, false, false, false, false}
	s1 := []float64{3, 5, 4, 1, 2, 4, 0}
	s2 := []float64{2, 6, 1, 3, 2, 0, 1}
	for _, c := range []struct {
		name string
		run  func() error
		is   error
		msg  string
	}{
		{"AUC at 0.5", func() error { _, err := PowerOneAUC(PowerPlan{AUC: 0.5, Cases: 10, Alpha: 0.05}); return err }, ErrParameter, "(0.5, 1)"},
		{"AUC 1", func() error { _, err := PowerOneAUC(PowerPlan{AUC: 1, Cases: 10, Alpha: 0.05}); return err }, ErrParameter, "(0.5, 1)"},
		{"alpha 1", func() error { _, err := PowerOneAUC(PowerPlan{AUC: 0.7, Cases: 10, Alpha: 1}); return err }, ErrParameter, "alpha"},
		{"alpha negative", func() error { _, err := PowerOneAUC(PowerPlan{AUC: 0.7, Cases: 10, Alpha: -0.05}); return err }, ErrParameter, "alpha"},
		{"power 1", func() error { _, err := PowerOneAUC(PowerPlan{AUC: 0.7, Alpha: 0.05, Power: 1}); return err }, ErrParameter, "power"},
		{"NaN cases", func() error { _, err := PowerOneAUC(PowerPlan{AUC: 0.7, Cases: math.NaN(), Alpha: 0.05}); return err }, ErrParameter, "cases"},
		{"two unknowns", func() error { _, err := PowerOneAUC(PowerPlan{Cases: 10, Alpha: 0.05}); return err }, ErrParameter, "AUC, power are all unknown"},
		{"none unknown", func() error {
			_, err := PowerOneAUC(PowerPlan{AUC: 0.7, Cases: 10, Alpha: 0.05, Power: 0.8})
			return err
		}, ErrParameter, "nothing to solve"},
		{"kappa contradicts", func() error {
			_, err := PowerOneAUC(PowerPlan{AUC: 0.7, Cases: 10, Controls: 20, Kappa: 3, Alpha: 0.05})
			return err
		}, ErrParameter, "two of cases, controls and kappa"},
		{"AUC unreachable", func() error {
			_, err := PowerOneAUC(PowerPlan{Cases: 2, Controls: 2, Alpha: 0.01, Power: 0.99})
			return err
		}, ErrUnreachable, "no AUC below 1"},
		{"power below alpha", func() error { _, err := PowerOneAUC(PowerPlan{Cases: 20, Alpha: 0.2, Power: 0.05}); return err }, ErrUnreachable, "one-sided level"},
		{"alpha unreachable", func() error { _, err := PowerOneAUC(PowerPlan{AUC: 0.51, Cases: 3, Power: 0.95}); return err }, ErrUnreachable, "not below 1"},
		{"equal AUCs", func() error {
			b, _ := EqualVarianceParams(0.8, 0.8, 0.5)
			_, err := PowerTwoParams(b, PowerPlan{Alpha: 0.05, Power: 0.8})
			return err
		}, ErrUnreachable, "no number of cases"},
		{"correlation 2", func() error { _, err := EqualVarianceParams(0.8, 0.7, 2); return err }, ErrParameter, "correlation"},
		{"params with AUC", func() error {
			b, _ := EqualVarianceParams(0.8, 0.7, 0.5)
			_, err := PowerTwoParams(b, PowerPlan{AUC: 0.8, Alpha: 0.05, Power: 0.8})
			return err
		}, ErrParameter, "binormal parameters give the AUCs"},
		{"curves with cases", func() error {
			_, err := PowerTwoCurves(s1, s2, truth, PowerDeLong, PowerPlan{Cases: 10, Alpha: 0.05})
			return err
		}, ErrParameter, "the data give them"},
		{"curves, two unknowns", func() error {
			_, err := PowerTwoCurves(s1, s2, truth, PowerDeLong, PowerPlan{})
			return err
		}, ErrParameter, "both unknown"},
		{"curves, kappa without solving cases", func() error {
			_, err := PowerTwoCurves(s1, s2, truth, PowerDeLong, PowerPlan{Alpha: 0.05, Kappa: 2})
			return err
		}, ErrParameter, "kappa"},
		{"curves, one class", func() error {
			_, err := PowerTwoCurves(s1, s2, make([]bool, 7), PowerDeLong, PowerPlan{Alpha: 0.05})
			return err
		}, ErrOneClass, "no cases"},
		{"curve below 0.5", func() error {
			_, err := PowerOneCurve(s1, truth, ControlsHigher, PowerPlan{Alpha: 0.05})
			return err
		}, ErrParameter, "direction"},
		{"binormal fit on two points", func() error {
			_, err := PowerTwoCurves([]float64{1, 1, 0, 0}, []float64{1, 0, 1, 0}, []bool{true, true, false, false}, PowerBinormal, PowerPlan{Alpha: 0.05})
			return err
		}, ErrTooFew, "binormal fit"},
	} {
		err := c.run()
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !errors.Is(err, c.is) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %v; want %v mentioning %q", c.name, err, c.is, c.msg)
		}
	}
}

// TestBrentRoot checks the root finder on a smooth function, on one with
// an infinite end (as the AUC objective at 0.5) and on a bad bracket.
func TestBrentRoot(t *testing.T) {
	f := func(x float64) float64 { return math.Cos(x) - x }
	r, err := brentRoot(f, 0, 1, f(0), f(1), 1e-15)
	if err != nil || math.Abs(r-0.7390851332151607) > 1e-15 {
		t.Errorf("cos x = x: %v, %v", r, err)
	}
	g := func(x float64) float64 { return 1/(x*x) - 4 }
	r, err = brentRoot(g, 0, 3, math.Inf(1), g(3), 1e-15)
	if err != nil || math.Abs(r-0.5) > 1e-15 {
		t.Errorf("1/x² = 4: %v, %v", r, err)
	}
	if _, err := brentRoot(f, 1, 2, f(1), f(2), 1e-15); !errors.Is(err, ErrParameter) {
		t.Errorf("no sign change: %v", err)
	}
}
