package roc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// clinNum is a fixture number: JSON numbers, and the strings "Inf", "-Inf"
// and "NaN" (null and "NA" read as NaN).
type clinNum float64

func (f *clinNum) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		switch s {
		case "Inf":
			*f = clinNum(math.Inf(1))
		case "-Inf":
			*f = clinNum(math.Inf(-1))
		case "NaN", "NA":
			*f = clinNum(math.NaN())
		default:
			return fmt.Errorf("bad number %q", s)
		}
		return nil
	}
	if string(b) == "null" {
		*f = clinNum(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = clinNum(v)
	return nil
}

// clinDecode decodes a fixture, refusing fields the test types do not
// name, so that a renamed field cannot silently read as zero.
func clinDecode(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

func clinFloats(v []clinNum) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// clinClose reports |got − want| ≤ rel·|want| + 1e-15, with NaN equal to NaN
// and infinities equal to themselves.
func clinClose(got, want, rel float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	if math.IsInf(want, 0) || math.IsInf(got, 0) {
		return got == want
	}
	return math.Abs(got-want) <= rel*math.Abs(want)+1e-15
}

// clinCheck reports a mismatch of one named value.
func clinCheck(t *testing.T, what string, got float64, want clinNum, rel float64) {
	t.Helper()
	if !clinClose(got, float64(want), rel) {
		t.Errorf("%s = %.17g, want %.17g (rel. diff %.2g)", what, got, float64(want),
			math.Abs(got-float64(want))/math.Abs(float64(want)))
	}
}

type clinData struct {
	Score []clinNum `json:"score"`
	Truth []bool    `json:"truth"`
}

type clinBinom struct {
	X, N          int
	Level         float64
	Est           clinNum
	Exact         []clinNum
	Wilson        []clinNum
	WilsonFormula []clinNum `json:"wilson_formula"`
}

type clinCoef struct {
	Est, SE, Z, P clinNum
	CI            []clinNum
}

type clinCurve struct {
	Bins     int
	Strategy string
	Level    float64
	Rows     []struct {
		Lo, Hi        clinNum
		N, Events     int
		MeanPredicted clinNum `json:"mean_predicted"`
		Observed      clinNum
		Wilson        []clinNum
	}
}

type clinNRI struct {
	UpEvents      int `json:"up_events"`
	DownEvents    int `json:"down_events"`
	UpNonEvents   int `json:"up_nonevents"`
	DownNonEvents int `json:"down_nonevents"`
	Event         clinStat
	NonEvent      clinStat `json:"nonevent"`
	Total         clinStat
	Cutoffs       []float64
}

type clinStat struct {
	Est, SE, SE0, Z, P clinNum
	CI                 []clinNum
}

// clinRFixture is testdata/clinical_r.json, written by reference_clinical.R.
type clinRFixture struct {
	Meta     map[string]string
	Datasets map[string]clinData
	Best     []struct {
		Data, Direction, Method                        string
		Weights                                        []float64
		Threshold, Sensitivity, Specificity, Criterion []clinNum
	}
	Binomial    []clinBinom
	AtThreshold []struct {
		Data, Direction string
		Threshold       clinNum
		Level           float64
		TP, FP, TN, FN  int
		Proc            struct{ Sensitivity, Specificity, Accuracy, PPV, NPV clinNum }
		Sensitivity     clinBinom
		Specificity     clinBinom
		Accuracy        clinBinom
		PPV             clinBinom
		NPV             clinBinom
		F1              clinNum
	} `json:"at_threshold"`
	TrainValidate struct {
		Train, Valid clinData
		Cases        []struct {
			Direction, Method string
			Weights           []float64
			TrainThreshold    clinNum `json:"train_threshold"`
			TrainSensitivity  clinNum `json:"train_sensitivity"`
			TrainSpecificity  clinNum `json:"train_specificity"`
			TP, FP, TN, FN    int
			Sensitivity       clinBinom
			Specificity       clinBinom
		}
	} `json:"train_validate"`
	Calibration map[string]struct {
		P          []clinNum
		Y          []bool
		InTheLarge clinCoef `json:"in_the_large"`
		Intercept  clinCoef
		Slope      clinCoef
		Observed   int
		Expected   clinNum
		OE         clinNum   `json:"oe"`
		OECI       []clinNum `json:"oe_ci"`
		Brier      clinNum
		BrierMax   clinNum `json:"brier_max"`
		BrierScale clinNum `json:"brier_scaled"`
		Curves     []clinCurve
		HL         []struct {
			Groups       int
			Chi2         clinNum
			DF           int
			P            clinNum
			DFValidation int     `json:"df_validation"`
			PValidation  clinNum `json:"p_validation"`
			MinExpected  clinNum `json:"min_expected"`
		}
	}
	DCA map[string]struct {
		P    []clinNum
		Y    []bool
		Rows []struct {
			Pt                  clinNum
			TP, FP              int
			Model, Standardized clinNum
			TreatAll            clinNum `json:"treat_all"`
			TreatNone           clinNum `json:"treat_none"`
		}
	}
	Reclass map[string]struct {
		Old, New    []clinNum
		Y           []bool
		Categorical []clinNRI
		Continuous  clinNRI
		IDI         struct {
			SlopeOld clinNum `json:"slope_old"`
			SlopeNew clinNum `json:"slope_new"`
			Event    clinNum
			NonEvent clinNum `json:"nonevent"`
			Est, SE  clinNum
			CI       []clinNum
			Z, P     clinNum
			Relative clinNum
		}
	}
}

var (
	clinROnce sync.Once
	clinR     clinRFixture
	clinRErr  error
)

// clinLoadR reads testdata/clinical_r.json once.
func clinLoadR(t *testing.T) *clinRFixture {
	t.Helper()
	clinROnce.Do(func() {
		b, err := os.ReadFile(filepath.Join("testdata", "clinical_r.json"))
		if err != nil {
			clinRErr = err
			return
		}
		clinRErr = clinDecode(b, &clinR)
	})
	if clinRErr != nil {
		t.Fatalf("reading clinical_r.json: %v", clinRErr)
	}
	if clinR.Meta["pROC"] == "" {
		t.Fatal("clinical_r.json records no pROC version")
	}
	return &clinR
}

func clinDir(s string) Direction {
	if s == ">" {
		return ControlsHigher
	}
	return CasesHigher
}

func clinMethod(s string) BestMethod {
	if s == "closest.topleft" {
		return TopLeft
	}
	return Youden
}

// TestBestThresholdsPROC compares every optimal operating point with
// pROC::coords(x = "best"): the same set of tied thresholds, bit for bit,
// the same sensitivities and specificities and criterion.
func TestBestThresholdsPROC(t *testing.T) {
	fx := clinLoadR(t)
	if len(fx.Best) < 90 {
		t.Fatalf("only %d best-threshold cases in the fixture", len(fx.Best))
	}
	multi := 0
	for _, c := range fx.Best {
		d := fx.Datasets[c.Data]
		w := BestWeights{Cost: c.Weights[0], Prevalence: c.Weights[1]}
		got, err := BestThresholds(clinFloats(d.Score), d.Truth, clinDir(c.Direction), clinMethod(c.Method), w)
		name := fmt.Sprintf("%s %s %s %v", c.Data, c.Direction, c.Method, c.Weights)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(got) != len(c.Threshold) {
			t.Errorf("%s: %d optimal thresholds, pROC has %d (%v)", name, len(got), len(c.Threshold), c.Threshold)
			continue
		}
		if len(got) > 1 {
			multi++
		}
		if s := clinMethod(c.Method).String(); s != c.Method {
			t.Errorf("BestMethod.String() = %q, want %q", s, c.Method)
		}
		for i, op := range got {
			if op.Threshold != float64(c.Threshold[i]) {
				t.Errorf("%s: threshold %d = %.17g, pROC %.17g", name, i, op.Threshold, float64(c.Threshold[i]))
			}
			clinCheck(t, name+" sensitivity", op.Sensitivity, c.Sensitivity[i], 1e-15)
			clinCheck(t, name+" specificity", op.Specificity, c.Specificity[i], 1e-15)
			clinCheck(t, name+" criterion", op.Criterion, c.Criterion[i], 1e-14)
		}
	}
	if multi == 0 {
		t.Error("no case with tied optima: the fixture does not exercise ties")
	}
}

// TestMetricsAtPROC compares the confusion matrix and accuracy measures at
// thresholds (data values, midpoints, ±Inf) with pROC::coords(x = threshold)
// and their intervals with binom.test and prop.test.
func TestMetricsAtPROC(t *testing.T) {
	fx := clinLoadR(t)
	for _, c := range fx.AtThreshold {
		d := fx.Datasets[c.Data]
		name := fmt.Sprintf("%s %s t=%v", c.Data, c.Direction, float64(c.Threshold))
		m, err := MetricsAt(clinFloats(d.Score), d.Truth, clinDir(c.Direction), float64(c.Threshold), c.Level)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if m.TP != c.TP || m.FP != c.FP || m.TN != c.TN || m.FN != c.FN {
			t.Errorf("%s: confusion %+v, pROC tp=%d fp=%d tn=%d fn=%d", name, m.Confusion, c.TP, c.FP, c.TN, c.FN)
			continue
		}
		clinCheck(t, name+" sensitivity", m.Sensitivity.Est, c.Proc.Sensitivity, 1e-14)
		clinCheck(t, name+" specificity", m.Specificity.Est, c.Proc.Specificity, 1e-14)
		clinCheck(t, name+" accuracy", m.Accuracy.Est, c.Proc.Accuracy, 1e-14)
		clinCheck(t, name+" ppv", m.PPV.Est, c.Proc.PPV, 1e-14)
		clinCheck(t, name+" npv", m.NPV.Est, c.Proc.NPV, 1e-14)
		clinCheck(t, name+" f1", m.F1, c.F1, 1e-14)
		for _, p := range []struct {
			what string
			got  Proportion
			want clinBinom
		}{{"sensitivity", m.Sensitivity, c.Sensitivity}, {"specificity", m.Specificity, c.Specificity},
			{"accuracy", m.Accuracy, c.Accuracy}, {"ppv", m.PPV, c.PPV}, {"npv", m.NPV, c.NPV}} {
			clinCheckProportion(t, name+" "+p.what, p.got, p.want)
		}
	}
}

// clinCheckProportion compares a Proportion with R's binom.test and
// prop.test(correct = FALSE).
func clinCheckProportion(t *testing.T, name string, got Proportion, want clinBinom) {
	t.Helper()
	if got.X != want.X || got.N != want.N {
		t.Errorf("%s: %d/%d, want %d/%d", name, got.X, got.N, want.X, want.N)
		return
	}
	clinCheck(t, name+" estimate", got.Est, want.Est, 1e-15)
	for k := 0; k < 2; k++ {
		clinCheck(t, fmt.Sprintf("%s exact[%d]", name, k), got.Exact[k], want.Exact[k], 1e-9)
		clinCheck(t, fmt.Sprintf("%s wilson[%d]", name, k), got.Wilson[k], want.Wilson[k], 1e-12)
	}
}

// TestValidateThresholdPROC fixes thresholds on the training half with
// pROC::coords(x = "best") (lowest of tied optima) and compares the counts
// pROC::coords finds at that threshold on the validation half.
func TestValidateThresholdPROC(t *testing.T) {
	fx := clinLoadR(t)
	tv := fx.TrainValidate
	if len(tv.Cases) == 0 {
		t.Fatal("no train/validate cases")
	}
	for _, c := range tv.Cases {
		name := fmt.Sprintf("%s %s %v", c.Direction, c.Method, c.Weights)
		w := BestWeights{Cost: c.Weights[0], Prevalence: c.Weights[1]}
		op, m, err := ValidateThreshold(clinFloats(tv.Train.Score), tv.Train.Truth,
			clinFloats(tv.Valid.Score), tv.Valid.Truth, clinDir(c.Direction), clinMethod(c.Method), w, 0.95)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if op.Threshold != float64(c.TrainThreshold) || m.Threshold != op.Threshold {
			t.Errorf("%s: threshold %v (metrics at %v), pROC %v", name, op.Threshold, m.Threshold, float64(c.TrainThreshold))
		}
		clinCheck(t, name+" train sensitivity", op.Sensitivity, c.TrainSensitivity, 1e-15)
		clinCheck(t, name+" train specificity", op.Specificity, c.TrainSpecificity, 1e-15)
		if m.TP != c.TP || m.FP != c.FP || m.TN != c.TN || m.FN != c.FN {
			t.Errorf("%s: validation confusion %+v, pROC tp=%d fp=%d tn=%d fn=%d", name, m.Confusion, c.TP, c.FP, c.TN, c.FN)
		}
		clinCheckProportion(t, name+" sensitivity", m.Sensitivity, c.Sensitivity)
		clinCheckProportion(t, name+" specificity", m.Specificity, c.Specificity)
	}
}

// clinPy is testdata/clinical_py.json, written by reference_clinical.py.
type clinPyFixture struct {
	Meta     map[string]string
	Binomial []struct {
		X, N   int
		Level  float64
		Exact  []clinNum
		Wilson []clinNum
	}
	AtThreshold struct {
		Score []clinNum
		Truth []bool
		Cases []struct {
			Threshold                                        clinNum
			TP, FP, TN, FN                                   int
			Sensitivity, Specificity, PPV, NPV, Accuracy, F1 clinNum
		}
	} `json:"at_threshold"`
	Calibration []struct {
		P      []clinNum
		Y      []bool
		Brier  clinNum
		Curves []struct {
			Bins          int
			Strategy      string
			Observed      []clinNum
			MeanPredicted []clinNum `json:"mean_predicted"`
		}
	}
}

func clinLoadPy(t *testing.T) *clinPyFixture {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "clinical_py.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx clinPyFixture
	if err := clinDecode(b, &fx); err != nil {
		t.Fatal(err)
	}
	if fx.Meta["sklearn"] == "" || fx.Meta["scipy"] == "" {
		t.Fatal("clinical_py.json records no sklearn/scipy version")
	}
	return &fx
}

// TestMetricsAtSklearn compares with sklearn.metrics on scores dichotomised
// at score ≥ threshold (F1 included).
func TestMetricsAtSklearn(t *testing.T) {
	fx := clinLoadPy(t)
	at := fx.AtThreshold
	for _, c := range at.Cases {
		name := fmt.Sprintf("t=%v", float64(c.Threshold))
		m, err := MetricsAt(clinFloats(at.Score), at.Truth, CasesHigher, float64(c.Threshold), 0.95)
		if err != nil {
			t.Fatal(err)
		}
		if m.TP != c.TP || m.FP != c.FP || m.TN != c.TN || m.FN != c.FN {
			t.Errorf("%s: confusion %+v, sklearn tp=%d fp=%d tn=%d fn=%d", name, m.Confusion, c.TP, c.FP, c.TN, c.FN)
		}
		clinCheck(t, name+" sensitivity", m.Sensitivity.Est, c.Sensitivity, 1e-14)
		clinCheck(t, name+" specificity", m.Specificity.Est, c.Specificity, 1e-14)
		clinCheck(t, name+" ppv", m.PPV.Est, c.PPV, 1e-14)
		clinCheck(t, name+" npv", m.NPV.Est, c.NPV, 1e-14)
		clinCheck(t, name+" accuracy", m.Accuracy.Est, c.Accuracy, 1e-14)
		clinCheck(t, name+" f1", m.F1, c.F1, 1e-14)
	}
}

// TestThresholdHand checks the empirical curve on a hand-made example:
// thresholds at pROC's midpoints, a near tie, and both directions.
func TestThresholdHand(t *testing.T) {
	scores := []float64{1, 2, 2, 3, 4}
	truth := []bool{false, false, true, true, true}
	pts, m, n := empiricalCurve(scores, truth, CasesHigher)
	wantT := []float64{math.Inf(-1), 1.5, 2.5, 3.5, math.Inf(1)}
	wantTP := []int{3, 3, 2, 1, 0}
	wantFP := []int{2, 1, 0, 0, 0}
	if m != 3 || n != 2 || len(pts) != len(wantT) {
		t.Fatalf("curve %+v (m=%d n=%d)", pts, m, n)
	}
	for k, p := range pts {
		if p.threshold != wantT[k] || p.tp != wantTP[k] || p.fp != wantFP[k] {
			t.Errorf("point %d = %+v, want t=%v tp=%d fp=%d", k, p, wantT[k], wantTP[k], wantFP[k])
		}
	}
	pts, _, _ = empiricalCurve(scores, truth, ControlsHigher)
	wantTP = []int{0, 0, 1, 2, 3}
	wantFP = []int{0, 1, 2, 2, 2}
	for k, p := range pts {
		if p.threshold != wantT[k] || p.tp != wantTP[k] || p.fp != wantFP[k] {
			t.Errorf("controls higher: point %d = %+v, want t=%v tp=%d fp=%d", k, p, wantT[k], wantTP[k], wantFP[k])
		}
	}
	// Huge scores: (a+b)/2 would overflow, a/2 + b/2 does not.
	pts, _, _ = empiricalCurve([]float64{1e308, 1.5e308}, []bool{false, true}, CasesHigher)
	if pts[1].threshold != 1.25e308 || pts[1].tp != 1 || pts[1].fp != 0 {
		t.Errorf("huge scores: %+v", pts[1])
	}
	// Adjacent floats: the midpoint rounds onto one of them and is moved
	// so that the classification of both is kept.
	a := 1.0
	b := math.Nextafter(a, 2)
	for _, dir := range []Direction{CasesHigher, ControlsHigher} {
		pts, _, _ := empiricalCurve([]float64{a, b}, []bool{false, true}, dir)
		c := confusion([]float64{a, b}, []bool{false, true}, dir, pts[1].threshold)
		if dir == CasesHigher && (c.TP != 1 || c.FP != 0) || dir == ControlsHigher && (c.TP != 0 || c.FP != 1) {
			t.Errorf("%v: near tie threshold %v classifies as %+v", dir, pts[1].threshold, c)
		}
		if c.TP != pts[1].tp || c.FP != pts[1].fp {
			t.Errorf("%v: curve counts %+v, direct counts %+v", dir, pts[1], c)
		}
	}
}

func TestThresholdErrors(t *testing.T) {
	s := []float64{0.1, 0.4, 0.35, 0.8}
	y := []bool{false, false, true, true}
	for _, c := range []struct {
		name string
		err  error
		want error
	}{
		{"one class", func() error {
			_, err := BestThresholds(s, []bool{true, true, true, true}, CasesHigher, Youden, BestWeights{})
			return err
		}(), ErrOneClass},
		{"length", func() error { _, err := BestThresholds(s, y[:3], CasesHigher, Youden, BestWeights{}); return err }(), ErrLength},
		{"NaN score", func() error {
			_, err := BestThresholds([]float64{0.1, math.NaN(), 0.3, 0.4}, y, CasesHigher, TopLeft, BestWeights{})
			return err
		}(), ErrNotFinite},
		{"prevalence", func() error {
			_, err := BestThresholds(s, y, CasesHigher, Youden, BestWeights{Cost: 1, Prevalence: 1})
			return err
		}(), ErrParameter},
		{"cost", func() error {
			_, err := BestThresholds(s, y, CasesHigher, Youden, BestWeights{Cost: -1, Prevalence: 0.5})
			return err
		}(), ErrParameter},
		{"method", func() error { _, err := BestThresholds(s, y, CasesHigher, BestMethod(7), BestWeights{}); return err }(), ErrParameter},
		{"NaN threshold", func() error { _, err := MetricsAt(s, y, CasesHigher, math.NaN(), 0.95); return err }(), ErrParameter},
		{"level", func() error { _, err := MetricsAt(s, y, CasesHigher, 0.3, 1); return err }(), ErrParameter},
		{"empty", func() error { _, err := ConfusionAt(nil, nil, CasesHigher, 0.3); return err }(), ErrEmpty},
		{"validation one class", func() error {
			_, _, err := ValidateThreshold(s, y, s, []bool{false, false, false, false}, CasesHigher, Youden, BestWeights{}, 0.95)
			return err
		}(), ErrOneClass},
		{"training length", func() error {
			_, _, err := ValidateThreshold(s[:2], y, s, y, CasesHigher, Youden, BestWeights{}, 0.95)
			return err
		}(), ErrLength},
		{"confusion", func() error { _, err := MetricsFromConfusion(Confusion{TP: -1}, 0.95); return err }(), ErrParameter},
		{"empty confusion", func() error { _, err := MetricsFromConfusion(Confusion{}, 0.95); return err }(), ErrEmpty},
	} {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, c.err, c.want)
		}
	}
}

// TestMetricsUndefined: PPV with no positive call is NaN, not an error.
func TestMetricsUndefined(t *testing.T) {
	m, err := MetricsAt([]float64{1, 2, 3}, []bool{false, true, true}, CasesHigher, math.Inf(1), 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if m.TP+m.FP != 0 || !math.IsNaN(m.PPV.Est) || !math.IsNaN(m.PPV.Wilson[0]) || !math.IsNaN(m.PPV.Exact[1]) {
		t.Errorf("PPV with no positive call: %+v", m.PPV)
	}
	if m.NPV.Est != 1.0/3 || m.Sensitivity.Est != 0 || m.F1 != 0 {
		t.Errorf("metrics at +Inf: %+v", m)
	}
	mc, err := MetricsFromConfusion(m.Confusion, 0.95)
	if err != nil || mc.NPV != m.NPV || !math.IsNaN(mc.Threshold) {
		t.Errorf("MetricsFromConfusion = %+v, %v", mc, err)
	}
}
