package roc

import (
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
)

// fnum is a float64 in a fixture, where R's non-finite values are the
// strings "Inf", "-Inf" and "NA".
type fnum float64

func (f *fnum) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"Inf"`:
		*f = fnum(math.Inf(1))
	case `"-Inf"`:
		*f = fnum(math.Inf(-1))
	case `"NA"`, `"NaN"`:
		*f = fnum(math.NaN())
	default:
		var v float64
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*f = fnum(v)
	}
	return nil
}

func floats(x []fnum) []float64 {
	r := make([]float64, len(x))
	for i, v := range x {
		r[i] = float64(v)
	}
	return r
}

// coreFixture is testdata/proc_core_cases.json, written by
// testdata/proc_core.R with pROC.
type coreFixture struct {
	Tool     string
	R        string
	Cases    []*coreCase
	Unpaired []struct {
		A  string
		AI int `json:"ai"`
		B  string
		BI int `json:"bi"`
		T  fnum
		DF fnum
		P  fnum
	}
}

type coreCase struct {
	Name        string
	Direction   string
	NCases      int `json:"n_cases"`
	NControls   int `json:"n_controls"`
	Truth       []int
	Scores      [][]fnum
	DataFile    string `json:"data_file"`
	Models      []coreModel
	Paired      []corePair
	PHolm       []fnum `json:"p_holm"`
	PBonferroni []fnum `json:"p_bonferroni"`

	truth  []bool
	scores [][]float64
	dir    Direction
}

type coreModel struct {
	AUC, Var      fnum
	CI95          []fnum `json:"ci95"`
	CI90          []fnum `json:"ci90"`
	LogitCI95     []fnum `json:"logit_ci95"`
	Z05, P05      fnum
	Z07, P07      fnum
	NThresholds   int        `json:"n_thresholds"`
	PAUC          []corePAUC `json:"pauc"`
	Thresholds    []fnum
	Sensitivities []fnum
	Specificities []fnum
	SampleIndex   []fnum `json:"sample_index"`
}

type corePAUC struct {
	Focus     string
	From, To  fnum
	Value     fnum
	Corrected fnum
}

type corePair struct {
	A, B       int
	Diff, Z, P fnum
	CI95       []fnum `json:"ci95"`
	CI90       []fnum `json:"ci90"`
	Cov        fnum
}

var (
	coreOnce sync.Once
	coreFix  *coreFixture
	coreErr  error
)

// loadCore reads the pROC fixture once.
func loadCore(t testing.TB) *coreFixture {
	t.Helper()
	coreOnce.Do(func() { coreFix, coreErr = readCore() })
	if coreErr != nil {
		t.Fatal(coreErr)
	}
	return coreFix
}

func readCore() (*coreFixture, error) {
	b, err := os.ReadFile(filepath.Join("testdata", "proc_core_cases.json"))
	if err != nil {
		return nil, err
	}
	var f coreFixture
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, err
	}
	for _, c := range f.Cases {
		c.dir = CasesHigher
		if c.Direction == ">" {
			c.dir = ControlsHigher
		}
		if c.DataFile != "" {
			if c.truth, c.scores, err = readCSVData(filepath.Join("testdata", c.DataFile)); err != nil {
				return nil, err
			}
			continue
		}
		c.truth = make([]bool, len(c.Truth))
		for i, v := range c.Truth {
			c.truth[i] = v == 1
		}
		for _, s := range c.Scores {
			c.scores = append(c.scores, floats(s))
		}
	}
	return &f, nil
}

// readCSVData reads a gzipped CSV of truth (0/1) and score columns.
func readCSVData(path string) ([]bool, [][]float64, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer fh.Close()
	gz, err := gzip.NewReader(fh)
	if err != nil {
		return nil, nil, err
	}
	rows, err := csv.NewReader(gz).ReadAll()
	if err != nil {
		return nil, nil, err
	}
	k := len(rows[0]) - 1
	truth := make([]bool, 0, len(rows)-1)
	scores := make([][]float64, k)
	for _, row := range rows[1:] {
		truth = append(truth, row[0] == "1")
		for j := 0; j < k; j++ {
			v, err := strconv.ParseFloat(row[j+1], 64)
			if err != nil {
				return nil, nil, err
			}
			scores[j] = append(scores[j], v)
		}
	}
	return truth, scores, nil
}

func (f *coreFixture) find(name string) *coreCase {
	for _, c := range f.Cases {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// tol is the relative tolerance of every comparison with pROC.
const tol = 1e-9

// close reports whether got agrees with want to tol relative (exactly for 0
// and non-finite values, up to 1e-15 absolute where want is 0).
func closeTo(got, want float64) bool {
	switch {
	case math.IsNaN(want):
		return math.IsNaN(got)
	case math.IsInf(want, 0):
		return got == want
	case want == 0:
		return math.Abs(got) <= 1e-15
	}
	return math.Abs(got-want) <= tol*math.Abs(want)
}

func checkClose(t *testing.T, what string, got, want float64) {
	t.Helper()
	if !closeTo(got, want) {
		t.Errorf("%s = %.17g, pROC %.17g (rel. diff %.3g)", what, got, want, math.Abs(got-want)/math.Abs(want))
	}
}

func TestFixtureVersion(t *testing.T) {
	f := loadCore(t)
	if f.Tool != "pROC 1.18.0" {
		t.Errorf("fixture written by %q, want pROC 1.18.0", f.Tool)
	}
	if len(f.Cases) < 10 {
		t.Errorf("only %d cases in the fixture", len(f.Cases))
	}
}

func TestCurveMatchesPROC(t *testing.T) {
	f := loadCore(t)
	for _, c := range f.Cases {
		for r, mod := range c.Models {
			cv, err := NewCurve(c.scores[r], c.truth, c.dir)
			if err != nil {
				t.Fatalf("%s score %d: %v", c.Name, r, err)
			}
			if cv.Cases != c.NCases || cv.Controls != c.NControls {
				t.Errorf("%s: %d cases and %d controls, pROC %d and %d", c.Name, cv.Cases, cv.Controls, c.NCases, c.NControls)
			}
			if len(cv.Thresholds) != mod.NThresholds {
				t.Errorf("%s score %d: %d thresholds, pROC %d", c.Name, r, len(cv.Thresholds), mod.NThresholds)
				continue
			}
			idx := make([]int, len(mod.Thresholds))
			for i := range idx {
				idx[i] = i
				if mod.SampleIndex != nil {
					idx[i] = int(mod.SampleIndex[i])
				}
			}
			for i, j := range idx {
				// Same formulas as pROC: equal to the last bit.
				if cv.Thresholds[j] != float64(mod.Thresholds[i]) ||
					cv.Sensitivities[j] != float64(mod.Sensitivities[i]) ||
					cv.Specificities[j] != float64(mod.Specificities[i]) {
					t.Errorf("%s score %d point %d: (t, se, sp) = (%v, %v, %v), pROC (%v, %v, %v)", c.Name, r, j,
						cv.Thresholds[j], cv.Sensitivities[j], cv.Specificities[j],
						mod.Thresholds[i], mod.Sensitivities[i], mod.Specificities[i])
					break
				}
			}
			checkClose(t, c.Name+" trapezoidal AUC", cv.AUC(), float64(mod.AUC))
			a, err := AUC(c.scores[r], c.truth, c.dir)
			if err != nil {
				t.Fatal(err)
			}
			checkClose(t, c.Name+" Mann-Whitney AUC", a, float64(mod.AUC))
		}
	}
}

func TestCurveErrors(t *testing.T) {
	for _, c := range []struct {
		scores []float64
		truth  []bool
		want   error
	}{
		{[]float64{1, 2}, []bool{true}, ErrLength},
		{nil, nil, ErrEmpty},
		{[]float64{1, math.NaN()}, []bool{true, false}, ErrNotFinite},
		{[]float64{1, 2}, []bool{true, true}, ErrOneClass},
	} {
		if _, err := NewCurve(c.scores, c.truth, CasesHigher); !errors.Is(err, c.want) {
			t.Errorf("NewCurve(%v, %v): %v, want %v", c.scores, c.truth, err, c.want)
		}
	}
}

// Near ties: consecutive scores one ulp apart, whose midpoint rounds onto
// one of them. pROC moves such a threshold so that it still separates them.
func TestCurveAdjacentFloats(t *testing.T) {
	a := 1.0
	b := math.Nextafter(a, 2)
	scores := []float64{a, b, a, b}
	truth := []bool{false, true, false, true}
	for _, dir := range []Direction{CasesHigher, ControlsHigher} {
		cv, err := NewCurve(scores, truth, dir)
		if err != nil {
			t.Fatal(err)
		}
		mid := cv.Thresholds[1]
		if dir == CasesHigher && mid != b || dir == ControlsHigher && mid != a {
			t.Errorf("%v: middle threshold %v", dir, mid)
		}
		want := 1.0
		if dir == ControlsHigher {
			want = 0
		}
		if got := cv.AUC(); got != want {
			t.Errorf("%v: AUC %v, want %v", dir, got, want)
		}
	}
}
