package roc

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// tiedData returns n scores with many ties (rounded to one decimal) and a
// truth vector with about frac cases; cases score higher on average.
func tiedData(n int, frac float64, seed uint64) ([]float64, []bool) {
	r := rand.New(rand.NewPCG(seed, 7))
	x := make([]float64, n)
	t := make([]bool, n)
	for i := range x {
		t[i] = r.Float64() < frac
		x[i] = r.NormFloat64()
		if t[i] {
			x[i] += 0.8
		}
		x[i] = math.Round(x[i]*10) / 10
	}
	t[0], t[1], t[2], t[3] = true, true, false, false
	return x, t
}

// The fast replicate AUC (counts per tie group, one sweep) must equal the
// Mann–Whitney AUC of the explicitly resampled scores, ties counting ½.
func TestReplicateAUCMatchesResampledData(t *testing.T) {
	x, truth := tiedData(60, 0.3, 1)
	for _, dir := range []Direction{CasesHigher, ControlsHigher} {
		for _, how := range []Resampling{Stratified, Plain} {
			opt := BootOptions{Replicates: 200, Seed: 42, Resampling: how}
			s := newSample(truth)
			rs := newRankedScore(x, truth, dir)
			vals := bootAUCValues(s, []*rankedScore{rs}, opt, streamBootstrap)[0]
			var r repRNG
			idx := make([]int32, len(x))
			for b := range vals {
				r.seed(opt.Seed, streamBootstrap, b)
				s.draw(&r, how, idx)
				bx := make([]float64, len(idx))
				bt := make([]bool, len(idx))
				for k, i := range idx {
					bx[k], bt[k] = x[i], truth[i]
				}
				c, k, err := Split(bx, bt, dir)
				if err != nil {
					if !math.IsNaN(vals[b]) {
						t.Fatalf("replicate %d has one class but AUC %v", b, vals[b])
					}
					continue
				}
				if want := bruteAUC(c, k); math.Abs(vals[b]-want) > 1e-14 {
					t.Fatalf("%v %v replicate %d: fast AUC %v, resampled data AUC %v", dir, how, b, vals[b], want)
				}
			}
		}
	}
}

// Stratified replicates keep the class sizes; plain ones do not.
func TestDrawKeepsStrata(t *testing.T) {
	_, truth := tiedData(50, 0.2, 3)
	s := newSample(truth)
	m, n := countClasses(truth)
	idx := make([]int32, len(truth))
	var r repRNG
	varied := false
	for b := 0; b < 50; b++ {
		r.seed(1, streamBootstrap, b)
		bm, bn := s.draw(&r, Stratified, idx)
		for k, i := range idx {
			if truth[i] != (k < m) {
				t.Fatalf("stratified draw %d: position %d holds class %v", b, k, truth[i])
			}
		}
		if bm != m || bn != n {
			t.Fatalf("stratified draw: %d cases %d controls, want %d %d", bm, bn, m, n)
		}
		bm, _ = s.draw(&r, Plain, idx)
		varied = varied || bm != m
	}
	if !varied {
		t.Error("plain draws always held the original number of cases")
	}
}

// The leave-one-out AUCs from placements equal the AUCs recomputed without
// each observation.
func TestJackAUC(t *testing.T) {
	x, truth := tiedData(40, 0.4, 5)
	for _, dir := range []Direction{CasesHigher, ControlsHigher} {
		rs := newRankedScore(x, truth, dir)
		jack, auc := rs.jackAUC(truth)
		if want, _ := AUC(x, truth, dir); math.Abs(auc-want) > 1e-14 {
			t.Fatalf("AUC %v, want %v", auc, want)
		}
		for i := range x {
			xi := slices.Delete(slices.Clone(x), i, i+1)
			ti := slices.Delete(slices.Clone(truth), i, i+1)
			want, _ := AUC(xi, ti, dir)
			if math.Abs(jack[i]-want) > 1e-14 {
				t.Fatalf("%v: leave out %d: %v, want %v", dir, i, jack[i], want)
			}
		}
	}
}

// Same seed, same numbers, whatever GOMAXPROCS: compared bit for bit.
func TestBootstrapSameOnAnyCores(t *testing.T) {
	x, truth := tiedData(300, 0.3, 9)
	y := make([]float64, len(x))
	for i := range x {
		y[i] = x[i]*0.5 + float64(i%7)/10
	}
	run := func() [][]float64 {
		var out [][]float64
		for _, how := range []Resampling{Stratified, Plain} {
			opt := BootOptions{Replicates: 500, Seed: 2024, Resampling: how}
			a, err := BootstrapAUC(x, truth, CasesHigher, opt)
			if err != nil {
				t.Fatal(err)
			}
			d, err := BootstrapTest(x, y, truth, CasesHigher, ControlsHigher, opt)
			if err != nil {
				t.Fatal(err)
			}
			u, err := BootstrapTestUnpaired(x[:150], truth[:150], CasesHigher, y[150:], truth[150:], CasesHigher, opt)
			if err != nil {
				t.Fatal(err)
			}
			ss, err := BootstrapSeSp(x, truth, CasesHigher, 0.4, opt)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, a.Values, d.Diff.Values, u.Diff.Values, ss.Sensitivity.Values, ss.Specificity.Values,
				[]float64{a.BCa[0], a.BCa[1], d.D, d.P, u.D})
		}
		return out
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(1)
	one := run()
	runtime.GOMAXPROCS(4)
	four := run()
	for k := range one {
		if len(one[k]) != len(four[k]) {
			t.Fatalf("result %d: %d values on 1 core, %d on 4", k, len(one[k]), len(four[k]))
		}
		for b := range one[k] {
			if math.Float64bits(one[k][b]) != math.Float64bits(four[k][b]) {
				t.Fatalf("result %d value %d: %v on 1 core, %v on 4", k, b, one[k][b], four[k][b])
			}
		}
	}
	// A different seed gives different replicates.
	a1, _ := BootstrapAUC(x, truth, CasesHigher, BootOptions{Replicates: 50, Seed: 1})
	a2, _ := BootstrapAUC(x, truth, CasesHigher, BootOptions{Replicates: 50, Seed: 2})
	if slices.Equal(a1.Values, a2.Values) {
		t.Error("seeds 1 and 2 gave the same replicates")
	}
}

// R's quantile(x, p) (type 7) on small vectors, values computed by hand from
// its definition h = 1 + (n−1)p.
func TestQuantile7(t *testing.T) {
	x := []float64{1, 2, 4, 8}
	for _, c := range []struct{ p, want float64 }{
		{0, 1}, {1, 8}, {0.5, 3}, {0.25, 1.75}, {0.9, 6.8},
	} {
		if got := quantile7(x, c.p); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("quantile7(%v) = %v, want %v", c.p, got, c.want)
		}
	}
}

func TestBootstrapErrors(t *testing.T) {
	x := []float64{1, 2, 3, 4}
	truth := []bool{true, false, true, false}
	if _, err := BootstrapAUC(x, []bool{true, false, false, false}, CasesHigher, BootOptions{}); !errors.Is(err, ErrTooFew) {
		t.Errorf("one case: %v, want ErrTooFew", err)
	}
	if _, err := BootstrapAUC(x[:3], truth, CasesHigher, BootOptions{}); !errors.Is(err, ErrLength) {
		t.Errorf("length: %v, want ErrLength", err)
	}
	if _, err := BootstrapAUC([]float64{1, math.NaN(), 3, 4}, truth, CasesHigher, BootOptions{}); !errors.Is(err, ErrNotFinite) {
		t.Errorf("NaN: %v, want ErrNotFinite", err)
	}
	if _, err := BootstrapAUC(x, truth, CasesHigher, BootOptions{Level: 1.5}); err == nil {
		t.Error("level 1.5 accepted")
	}
	if _, err := BootstrapAUC(x, truth, CasesHigher, BootOptions{Replicates: -1}); err == nil {
		t.Error("-1 replicates accepted")
	}
	if _, err := BootstrapAUCDiff(x, x[:3], truth, CasesHigher, CasesHigher, BootOptions{}); !errors.Is(err, ErrLength) {
		t.Errorf("paired length: %v, want ErrLength", err)
	}
	if _, err := BootstrapSeSp(x, truth, CasesHigher, math.NaN(), BootOptions{}); !errors.Is(err, ErrNotFinite) {
		t.Errorf("NaN threshold: %v, want ErrNotFinite", err)
	}
	if _, err := BootstrapTestUnpaired(x, truth, CasesHigher, x, []bool{true, true, true, true}, CasesHigher, BootOptions{}); !errors.Is(err, ErrOneClass) {
		t.Errorf("unpaired one class: %v, want ErrOneClass", err)
	}
}

// Fixtures written by testdata/proc_bootstrap.R (pROC 1.18).

// moments of a Monte-Carlo distribution as the fixture records them.
type moments struct {
	Mean, SD float64
	Kurtosis *float64 // null when SD is 0
}

type procSample struct {
	Truth []float64
	Score []float64
}

type procFixture struct {
	Tool  string
	Data  map[string]json.RawMessage
	AUCCI []struct {
		Score, Direction string
		Stratified       bool
		BootN            int `json:"boot_n"`
		Level, AUC       float64
		CI               []float64
		NNA              int `json:"n_na"`
		Replicates       moments
	} `json:"auc_ci"`
	ThresholdsCI []struct {
		Score, Direction string
		Stratified       bool
		BootN            int `json:"boot_n"`
		Level, Threshold float64
		SeCI             []float64 `json:"se_ci"`
		SpCI             []float64 `json:"sp_ci"`
		SeReplicates     moments   `json:"se_replicates"`
		SpReplicates     moments   `json:"sp_replicates"`
		NNA              int       `json:"n_na"`
	} `json:"thresholds_ci"`
	BootTest []struct {
		X, Y               string
		DirX               string `json:"dir_x"`
		DirY               string `json:"dir_y"`
		Paired, Stratified bool
		BootN              int `json:"boot_n"`
		AUC1, AUC2, D, P   float64
	} `json:"boot_test"`
	UnpairedBootTest []struct {
		Sample1, Sample2 procSample
		DirX, DirY       string
		Stratified       bool
		BootN            int `json:"boot_n"`
		AUC1, AUC2, D, P float64
	} `json:"unpaired_boot_test"`
	Venkatraman []struct {
		X, Y         string
		DirX         string `json:"dir_x"`
		DirY         string `json:"dir_y"`
		NegateX      bool   `json:"negate_x"`
		BootN        int    `json:"boot_n"`
		E, P         float64
		Permutations moments
	}
	UnpairedVenkatraman []struct {
		Sample1, Sample2 procSample
		DirX             string `json:"dir_x"`
		DirY             string `json:"dir_y"`
		BootN            int    `json:"boot_n"`
		E, P             float64
		Permutations     moments
	} `json:"unpaired_venkatraman"`
}

var procFixtureNames = []string{"asah", "likert", "imbalanced", "tiny"}

func loadProcFixture(t *testing.T, name string) *procFixture {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "proc_bootstrap_"+name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	f := new(procFixture)
	if err := json.Unmarshal(b, f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !strings.Contains(f.Tool, "pROC 1.18") {
		t.Fatalf("%s: fixture written by %q, want pROC 1.18", name, f.Tool)
	}
	return f
}

// column returns a numeric column of the fixture's data.
func (f *procFixture) column(t *testing.T, name string) []float64 {
	t.Helper()
	var v []float64
	if err := json.Unmarshal(f.Data[name], &v); err != nil {
		t.Fatalf("column %s: %v", name, err)
	}
	return v
}

func (f *procFixture) truth(t *testing.T) []bool { return toTruth(f.column(t, "truth")) }

func toTruth(v []float64) []bool {
	b := make([]bool, len(v))
	for i, x := range v {
		b[i] = x == 1
	}
	return b
}

func procDir(s string) Direction {
	if s == ">" {
		return ControlsHigher
	}
	return CasesHigher
}

// Monte-Carlo standard errors, B replicates of a distribution with standard
// deviation sd and kurtosis kurt (asymptotic, Kendall & Stuart):
//
//	mean:        sd / √B
//	sd:          sd √((kurt − 1) / (4B))
//	p-quantile:  √(p(1−p)/B) / f(q_p), the density estimated from our own
//	             replicates as 2δ / (q_{p+δ} − q_{p−δ}), δ = 0.01
//	proportion:  √(p(1−p)/B).
//
// Two independent runs (pROC's and ours) differ by the root sum of squares;
// every check below allows mcZ = 5 such standard errors (two-sided 6e-7).
const mcZ = 5

func seOfSD(sd, kurt float64, b int) float64 { return sd * math.Sqrt((kurt-1)/(4*float64(b))) }

func seOfQuantile(sorted []float64, p float64, b int) float64 {
	const delta = 0.01
	spread := quantile7(sorted, math.Min(p+delta, 1)) - quantile7(sorted, math.Max(p-delta, 0))
	return math.Sqrt(p*(1-p)/float64(b)) * spread / (2 * delta)
}

func kurtosis(x []float64) float64 {
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	var m2, m4 float64
	for _, v := range x {
		d := (v - mean) * (v - mean)
		m2 += d
		m4 += d * d
	}
	m2 /= float64(len(x))
	m4 /= float64(len(x))
	return m4 / (m2 * m2)
}

func meanOf(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// ourReplicates is the number of replicates on our side in the comparisons
// with pROC: large, so that our Monte-Carlo error is small beside pROC's.
const ourReplicates = 20000

// checkBootAgainstPROC compares our bootstrap distribution ci with pROC's
// interval procCI (lower, median, upper; R type-7 quantiles of pROC's
// bProc replicates) and the moments of pROC's replicates, within Monte-Carlo
// error. atom is the spacing of the statistic's possible values (a sample
// quantile of a discrete statistic may land one value away).
func checkBootAgainstPROC(t *testing.T, what string, ci *BootCI, procCI []float64, rep moments, bProc int, atom float64) {
	t.Helper()
	b := len(ci.Values)
	sorted := slices.Sorted(slices.Values(ci.Values))
	kurt := kurtosis(ci.Values)
	if rep.SD == 0 {
		if ci.SE != 0 || ci.Percentile != [2]float64{procCI[0], procCI[2]} {
			t.Errorf("%s: pROC's replicates are all %v; ours have SE %v, interval %v", what, procCI[1], ci.SE, ci.Percentile)
		}
		return
	}
	if tol := mcZ * math.Hypot(rep.SD/math.Sqrt(float64(bProc)), ci.SE/math.Sqrt(float64(b))); math.Abs(meanOf(ci.Values)-rep.Mean) > tol {
		t.Errorf("%s: replicate mean %v, pROC %v (tolerance %.3g)", what, meanOf(ci.Values), rep.Mean, tol)
	}
	if tol := mcZ * math.Hypot(seOfSD(rep.SD, *rep.Kurtosis, bProc), seOfSD(ci.SE, kurt, b)); math.Abs(ci.SE-rep.SD) > tol {
		t.Errorf("%s: bootstrap SE %v, pROC replicates' sd %v (tolerance %.3g)", what, ci.SE, rep.SD, tol)
	}
	lo, hi := (1-ci.Level)/2, (1+ci.Level)/2
	for k, c := range []struct {
		p         float64
		got, want float64
	}{{lo, ci.Percentile[0], procCI[0]}, {0.5, ci.Median, procCI[1]}, {hi, ci.Percentile[1], procCI[2]}} {
		tol := mcZ*math.Hypot(seOfQuantile(sorted, c.p, bProc), seOfQuantile(sorted, c.p, b)) + atom
		if math.Abs(c.got-c.want) > tol {
			t.Errorf("%s: quantile %d (p = %v) %v, pROC %v (tolerance %.3g)", what, k, c.p, c.got, c.want, tol)
		}
	}
}

func TestBootstrapAUCAgainstPROC(t *testing.T) {
	for _, name := range procFixtureNames {
		f := loadProcFixture(t, name)
		truth := f.truth(t)
		m, n := countClasses(truth)
		for _, c := range f.AUCCI {
			how := Plain
			if c.Stratified {
				how = Stratified
			}
			what := fmt.Sprintf("%s/%s %s %v level %v", name, c.Score, c.Direction, how, c.Level)
			ci, err := BootstrapAUC(f.column(t, c.Score), truth, procDir(c.Direction),
				BootOptions{Replicates: ourReplicates, Level: c.Level, Seed: 11, Resampling: how})
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if math.Abs(ci.Estimate-c.AUC) > 1e-12 {
				t.Errorf("%s: AUC %v, pROC %v", what, ci.Estimate, c.AUC)
			}
			checkBootAgainstPROC(t, what, ci, c.CI, c.Replicates, c.BootN-c.NNA, 1/float64(m*n))
			// Dropped one-class replicates: same rate as pROC's NAs.
			pr, ours := float64(c.NNA)/float64(c.BootN), float64(ci.Dropped)/ourReplicates
			p := (pr + ours) / 2
			if tol := mcZ*math.Sqrt(p*(1-p)*(1/float64(c.BootN)+1.0/ourReplicates)) + 1e-12; math.Abs(pr-ours) > tol {
				t.Errorf("%s: dropped %v of replicates, pROC %v (tolerance %.3g)", what, ours, pr, tol)
			}
			if how == Stratified && ci.Dropped != 0 {
				t.Errorf("%s: stratified bootstrap dropped %d replicates", what, ci.Dropped)
			}
		}
	}
}

func TestBootstrapSeSpAgainstPROC(t *testing.T) {
	for _, name := range procFixtureNames {
		f := loadProcFixture(t, name)
		truth := f.truth(t)
		m, n := countClasses(truth)
		for _, c := range f.ThresholdsCI {
			how := Plain
			if c.Stratified {
				how = Stratified
			}
			what := fmt.Sprintf("%s/%s %s %v at %v", name, c.Score, c.Direction, how, c.Threshold)
			r, err := BootstrapSeSp(f.column(t, c.Score), truth, procDir(c.Direction), c.Threshold,
				BootOptions{Replicates: ourReplicates, Level: c.Level, Seed: 12, Resampling: how})
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			bProc := c.BootN - c.NNA
			checkBootAgainstPROC(t, what+" Se", r.Sensitivity, c.SeCI, c.SeReplicates, bProc, 1/float64(m))
			checkBootAgainstPROC(t, what+" Sp", r.Specificity, c.SpCI, c.SpReplicates, bProc, 1/float64(n))
		}
	}
}

// checkD compares a bootstrap test's D and p with pROC's. D = diff/sd with
// the same diff on both sides, so the Monte-Carlo error is that of sd; p's
// follows by the delta method, dp/dD = 2φ(D).
func checkD(t *testing.T, what string, got *BootTest, auc1, auc2, d, p float64, bProc int) {
	t.Helper()
	if math.Abs(got.AUC1-auc1) > 1e-12 || math.Abs(got.AUC2-auc2) > 1e-12 {
		t.Errorf("%s: AUCs %v %v, pROC %v %v", what, got.AUC1, got.AUC2, auc1, auc2)
	}
	sdProc := (auc1 - auc2) / d
	sd := got.Diff.SE
	kurt := kurtosis(got.Diff.Values)
	tolSD := mcZ * math.Hypot(seOfSD(sdProc, kurt, bProc), seOfSD(sd, kurt, len(got.Diff.Values)))
	if math.Abs(sd-sdProc) > tolSD {
		t.Errorf("%s: sd of differences %v, pROC %v (tolerance %.3g)", what, sd, sdProc, tolSD)
	}
	tolD := math.Abs(d) * tolSD / sdProc
	if math.Abs(got.D-d) > tolD {
		t.Errorf("%s: D %v, pROC %v (tolerance %.3g)", what, got.D, d, tolD)
	}
	tolP := 2 * distuv.UnitNormal.Prob(math.Min(math.Abs(d), math.Abs(got.D))) * tolD
	if math.Abs(got.P-p) > tolP {
		t.Errorf("%s: p %v, pROC %v (tolerance %.3g)", what, got.P, p, tolP)
	}
}

func TestBootstrapTestAgainstPROC(t *testing.T) {
	for _, name := range procFixtureNames {
		f := loadProcFixture(t, name)
		truth := f.truth(t)
		for _, c := range f.BootTest {
			how := Plain
			if c.Stratified {
				how = Stratified
			}
			what := fmt.Sprintf("%s/%s-%s %v", name, c.X, c.Y, how)
			got, err := BootstrapTest(f.column(t, c.X), f.column(t, c.Y), truth, procDir(c.DirX), procDir(c.DirY),
				BootOptions{Replicates: ourReplicates, Seed: 13, Resampling: how})
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			checkD(t, what, got, c.AUC1, c.AUC2, c.D, c.P, c.BootN)
		}
		for k, c := range f.UnpairedBootTest {
			how := Plain
			if c.Stratified {
				how = Stratified
			}
			what := fmt.Sprintf("%s/unpaired %d %v", name, k, how)
			got, err := BootstrapTestUnpaired(c.Sample1.Score, toTruth(c.Sample1.Truth), procDir(c.DirX),
				c.Sample2.Score, toTruth(c.Sample2.Truth), procDir(c.DirY),
				BootOptions{Replicates: ourReplicates, Seed: 14, Resampling: how})
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			checkD(t, what, got, c.AUC1, c.AUC2, c.D, c.P, c.BootN)
		}
	}
}

// Fixture written by testdata/bootstrap_bca_scipy.py (SciPy 1.10): SciPy's
// replicates, BCa and percentile intervals and standard error.
func TestBootCIAgainstSciPy(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "bootstrap_bca_scipy.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Tool  string
		Cases []struct {
			Name                string
			Level, Estimate, SE float64
			BCa, Percentile     []float64
			Replicates          []float64
		}
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(fx.Tool, "SciPy") {
		t.Fatalf("fixture written by %q", fx.Tool)
	}
	asah := loadProcFixture(t, "asah")
	likert := loadProcFixture(t, "likert")
	at, lt := asah.truth(t), likert.truth(t)
	x, w := asah.column(t, "s100b"), asah.column(t, "wfns")
	r, s := likert.column(t, "rating"), likert.column(t, "score")
	male := make([]bool, len(at))
	var mx, fxs []float64
	var mt, ft []bool
	{
		var mb []bool
		if err := json.Unmarshal(asah.Data["male"], &mb); err != nil {
			t.Fatal(err)
		}
		copy(male, mb)
		for i := range at {
			if male[i] {
				mx, mt = append(mx, x[i]), append(mt, at[i])
			} else {
				fxs, ft = append(fxs, x[i]), append(ft, at[i])
			}
		}
	}
	// Our estimate and jackknife strata for each case.
	jackAUCOf := func(v []float64, truth []bool) ([]float64, float64) {
		return newRankedScore(v, truth, CasesHigher).jackAUC(truth)
	}
	diffJack := func(a, b []float64, truth []bool) ([]float64, float64) {
		ja, ea := jackAUCOf(a, truth)
		jb, eb := jackAUCOf(b, truth)
		for i := range ja {
			ja[i] -= jb[i]
		}
		return ja, ea - eb
	}
	for _, c := range fx.Cases {
		var est float64
		var strata [][]float64
		switch c.Name {
		case "asah_auc_stratified":
			j, e := jackAUCOf(x, at)
			est, strata = e, newSample(at).jackStrata(j, Stratified)
		case "asah_diff_stratified":
			j, e := diffJack(x, w, at)
			est, strata = e, newSample(at).jackStrata(j, Stratified)
		case "asah_se_stratified", "asah_sp_stratified":
			// The public function's estimate and jackknife, replicates aside.
			res, err := BootstrapSeSp(x, at, CasesHigher, 0.205, BootOptions{Replicates: 2})
			if err != nil {
				t.Fatal(err)
			}
			ci := res.Sensitivity
			if c.Name == "asah_sp_stratified" {
				ci = res.Specificity
			}
			est = ci.Estimate
			strata = seSpJack(x, at, 0.205, c.Name == "asah_se_stratified")
		case "asah_unpaired_stratified":
			j1, e1 := jackAUCOf(mx, mt)
			j2, e2 := jackAUCOf(fxs, ft)
			for i := range j1 {
				j1[i] -= e2
			}
			for i := range j2 {
				j2[i] = e1 - j2[i]
			}
			est = e1 - e2
			strata = append(newSample(mt).jackStrata(j1, Stratified), newSample(ft).jackStrata(j2, Stratified)...)
		case "likert_auc_plain":
			j, e := jackAUCOf(r, lt)
			est, strata = e, newSample(lt).jackStrata(j, Plain)
		case "likert_diff_plain":
			j, e := diffJack(r, s, lt)
			est, strata = e, newSample(lt).jackStrata(j, Plain)
		default:
			t.Fatalf("unknown case %s", c.Name)
		}
		if est != c.Estimate {
			t.Errorf("%s: estimate %v, SciPy %v", c.Name, est, c.Estimate)
		}
		ci, err := newBootCI(est, slices.Clone(c.Replicates), c.Level, strata)
		if err != nil {
			t.Fatal(err)
		}
		for k := range 2 {
			if math.Abs(ci.BCa[k]-c.BCa[k]) > 1e-12 {
				t.Errorf("%s: BCa %v, SciPy %v", c.Name, ci.BCa, c.BCa)
			}
			if math.Abs(ci.Percentile[k]-c.Percentile[k]) > 1e-12 {
				t.Errorf("%s: percentile %v, NumPy %v", c.Name, ci.Percentile, c.Percentile)
			}
		}
		if math.Abs(ci.SE-c.SE) > 1e-12 {
			t.Errorf("%s: SE %v, SciPy %v", c.Name, ci.SE, c.SE)
		}
	}
}

// seSpJack recomputes, by leaving each observation out, the jackknife strata
// of the sensitivity (se) or specificity at threshold th (cases higher).
func seSpJack(x []float64, truth []bool, th float64, se bool) [][]float64 {
	var out [2][]float64
	for i := range x {
		var tp, m, tn, n int
		for j := range x {
			if j == i {
				continue
			}
			if truth[j] {
				m++
				if x[j] >= th {
					tp++
				}
			} else {
				n++
				if x[j] < th {
					tn++
				}
			}
		}
		v := float64(tn) / float64(n)
		if se {
			v = float64(tp) / float64(m)
		}
		k := 1
		if truth[i] {
			k = 0
		}
		out[k] = append(out[k], v)
	}
	return out[:]
}
