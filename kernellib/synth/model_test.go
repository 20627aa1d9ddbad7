package synth

import (
	"encoding/json"
	"math"
	"os"
	"sort"
	"strings"
	"testing"
)

type reference struct {
	Tool string `json:"tool"`
	AUC  []struct {
		Score      []float64 `json:"score"`
		Label      []bool    `json:"label"`
		SklearnAUC float64   `json:"sklearn_auc"`
		ScipyUAUC  float64   `json:"scipy_u_auc"`
	} `json:"auc"`
	Lognormal []struct {
		T0, Tp, Sigma float64
		T, Value      []float64
	} `json:"lognormal"`
}

func readReference(t *testing.T) reference {
	t.Helper()
	b, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var r reference
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestMannWhitneyAUCReference compares MannWhitneyAUC with
// sklearn.metrics.roc_auc_score and scipy.stats.mannwhitneyu
// (testdata/make_reference.py), on score sets with many ties.
func TestMannWhitneyAUCReference(t *testing.T) {
	r := readReference(t)
	if len(r.AUC) == 0 {
		t.Fatal("no AUC references")
	}
	for i, c := range r.AUC {
		got := MannWhitneyAUC(c.Score, c.Label)
		if math.Abs(got-c.SklearnAUC) > 1e-12 || math.Abs(got-c.ScipyUAUC) > 1e-12 {
			t.Errorf("set %d: AUC %.15f, scikit-learn %.15f, SciPy %.15f (%s)", i, got, c.SklearnAUC, c.ScipyUAUC, r.Tool)
		}
	}
	if !math.IsNaN(MannWhitneyAUC([]float64{1, 2}, []bool{true, true})) {
		t.Error("one class: want NaN")
	}
}

// TestLognormalBolusReference compares LognormalBolus with the lognormal
// density of scipy.stats.lognorm (μ = ln tp + σ²) divided by its mode value.
func TestLognormalBolusReference(t *testing.T) {
	r := readReference(t)
	if len(r.Lognormal) == 0 {
		t.Fatal("no lognormal references")
	}
	for _, c := range r.Lognormal {
		for i, tt := range c.T {
			if got := LognormalBolus(tt, c.T0, c.Tp, c.Sigma); math.Abs(got-c.Value[i]) > 1e-12 {
				t.Errorf("ℓ(%v; %v, %v, %v) = %.15g, SciPy %.15g", tt, c.T0, c.Tp, c.Sigma, got, c.Value[i])
			}
		}
	}
}

// TestResponseModel checks the default parameters' population (Monte Carlo,
// 200 000 patients): OR rate 0.55..0.65, Bayes-optimal AUC 0.90..0.95, and
// the cine's ceiling (viable fraction and heterogeneity) well above the
// viable fraction's alone. It logs the default cohort's realised values.
func TestResponseModel(t *testing.T) {
	p := DefaultParams()
	ps, err := Population(p, PopulationN, PopulationSeed)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("population: %+v", ps)
	if ps.ORRate < 0.55 || ps.ORRate > 0.65 {
		t.Errorf("population OR rate %.3f, want 0.55..0.65", ps.ORRate)
	}
	if ps.BayesAUC < 0.90 || ps.BayesAUC > 0.95 {
		t.Errorf("population Bayes AUC %.3f, want 0.90..0.95", ps.BayesAUC)
	}
	if ps.AUCCine < ps.AUCViable+0.08 || ps.AUCCine > ps.BayesAUC {
		t.Errorf("AUC ceilings: cine %.3f, viable fraction %.3f, Bayes %.3f: want viable+0.08 ≤ cine ≤ Bayes", ps.AUCCine, ps.AUCViable, ps.BayesAUC)
	}
	pts, err := Generate(p, PaperN, 1)
	if err != nil {
		t.Fatal(err)
	}
	nOR := 0
	for _, pt := range pts {
		if pt.Response {
			nOR++
		}
	}
	t.Logf("default cohort (n %d, seed 1): %d OR (%.1f %%), Bayes AUC %.3f", PaperN, nOR, 100*float64(nOR)/PaperN, BayesAUC(pts))
}

// TestBayesAUCPairs checks BayesAUC against a direct count over all
// (responder, non-responder) pairs, ties one half.
func TestBayesAUCPairs(t *testing.T) {
	pts, err := Generate(DefaultParams(), 300, 7)
	if err != nil {
		t.Fatal(err)
	}
	var num, den float64
	for _, a := range pts {
		for _, b := range pts {
			if a.Response && !b.Response {
				den++
				switch {
				case a.Latent.ProbOR > b.Latent.ProbOR:
					num++
				case a.Latent.ProbOR == b.Latent.ProbOR:
					num += 0.5
				}
			}
		}
	}
	if got := BayesAUC(pts); math.Abs(got-num/den) > 1e-12 {
		t.Errorf("BayesAUC %v, pair count %v", got, num/den)
	}
}

// TestLatentAndClinical checks that Generate follows the distributions its
// documentation states (5000 patients): the latent scores' correlations, the
// transforms to v, h, size and AFP, the response probability, and the
// clinical proportions.
func TestLatentAndClinical(t *testing.T) {
	p := DefaultParams()
	const n = 5000
	pts, err := Generate(p, n, 3)
	if err != nil {
		t.Fatal(err)
	}
	z := make([][4]float64, n)
	var male, childA, bclcC int
	var age, sizes, afps []float64
	for i, pt := range pts {
		l, c := pt.Latent, pt.Clinical
		z[i] = [4]float64{l.ZViable, l.ZHetero, l.ZSize, l.ZAFP}
		if d := l.ViableFraction - logistic(1+0.9*l.ZViable); math.Abs(d) > 1e-15 {
			t.Fatalf("%s: v %v", pt.ID, l.ViableFraction)
		}
		if d := l.Heterogeneity - normCDF(l.ZHetero); math.Abs(d) > 1e-15 {
			t.Fatalf("%s: h %v", pt.ID, l.Heterogeneity)
		}
		eta := p.Intercept + p.BetaViable*l.ZViable - p.BetaHetero*l.ZHetero - p.BetaSize*l.ZSize - p.BetaAFP*l.ZAFP
		if math.Abs(eta-l.LinearPredictor) > 1e-12 || math.Abs(l.ProbOR-1/(1+math.Exp(-eta))) > 1e-12 {
			t.Fatalf("%s: η %v, P %v", pt.ID, l.LinearPredictor, l.ProbOR)
		}
		if want := round1(clamp(5*math.Exp(0.5*l.ZSize), 1, 15)); c.TumorSizeCM != want {
			t.Fatalf("%s: size %v, want %v", pt.ID, c.TumorSizeCM, want)
		}
		if c.Sex == "M" {
			male++
		}
		if c.ChildPugh == "A" {
			childA++
		}
		if c.BCLC == "C" {
			bclcC++
		} else if (c.BCLC == "A") != (c.TumorNumber == 1 || (c.TumorNumber <= 3 && c.TumorSizeCM <= 3)) {
			t.Fatalf("%s: BCLC %s with %d tumours of %v cm", pt.ID, c.BCLC, c.TumorNumber, c.TumorSizeCM)
		}
		age = append(age, float64(c.Age))
		sizes = append(sizes, c.TumorSizeCM)
		afps = append(afps, c.AFP)
	}
	// Correlations of the latent scores against LatentCorrelation; the
	// standard error of a correlation near 0 at n = 5000 is 0.014.
	for a := 0; a < 4; a++ {
		for b := a + 1; b < 4; b++ {
			var sab, saa, sbb float64
			for _, v := range z {
				sab += v[a] * v[b]
				saa += v[a] * v[a]
				sbb += v[b] * v[b]
			}
			if r := sab / math.Sqrt(saa*sbb); math.Abs(r-LatentCorrelation()[a][b]) > 0.05 {
				t.Errorf("corr(z%d, z%d) = %.3f, want %.2f", a, b, r, LatentCorrelation()[a][b])
			}
		}
	}
	median := func(x []float64) float64 {
		s := append([]float64(nil), x...)
		sort.Float64s(s)
		return s[len(s)/2]
	}
	var sumAge float64
	for _, a := range age {
		sumAge += a
	}
	frac := func(k int) float64 { return float64(k) / n }
	if m := sumAge / n; math.Abs(m-56) > 0.6 {
		t.Errorf("mean age %.1f, want 56", m)
	}
	if math.Abs(frac(male)-0.86) > 0.02 || math.Abs(frac(childA)-0.82) > 0.02 || math.Abs(frac(bclcC)-0.12) > 0.02 {
		t.Errorf("male %.3f, Child–Pugh A %.3f, BCLC C %.3f: want 0.86, 0.82, 0.12", frac(male), frac(childA), frac(bclcC))
	}
	if m := median(sizes); math.Abs(m-5) > 0.2 {
		t.Errorf("median size %.2f cm, want 5", m)
	}
	if m := median(afps); m < 85 || m > 118 {
		t.Errorf("median AFP %.1f ng/mL, want 100", m)
	}
}

// TestSplit checks the stratified split: 89/41 for 130 patients, the OR
// counts of the two sets proportional up to rounding, proportional sizes for
// other n, and the same split from the same seed.
func TestSplit(t *testing.T) {
	for _, n := range []int{1, 6, 50, 130, 1000} {
		pts, err := Generate(DefaultParams(), n, 11)
		if err != nil {
			t.Fatal(err)
		}
		var nTrain, nOR, orTrain int
		for _, pt := range pts {
			if pt.Split == "train" {
				nTrain++
			} else if pt.Split != "validation" {
				t.Fatalf("split %q", pt.Split)
			}
			if pt.Response {
				nOR++
				if pt.Split == "train" {
					orTrain++
				}
			}
		}
		if want := int(math.Round(float64(n) * 89 / 130)); nTrain != want {
			t.Errorf("n %d: %d train, want %d", n, nTrain, want)
		}
		if n == 130 && nTrain != 89 {
			t.Errorf("n 130: %d train, want 89", nTrain)
		}
		if d := float64(orTrain) - float64(nOR)*float64(nTrain)/float64(n); math.Abs(d) > 1 {
			t.Errorf("n %d: %d of %d responders in training, %d train: not stratified", n, orTrain, nOR, nTrain)
		}
	}
	resp := []bool{true, false, true, true, false, true, false, true, true, false}
	a, b := Split(resp, 5), Split(resp, 5)
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("same seed, different split")
		}
	}
}

// TestGenerateErrors checks that bad arguments are errors naming the field.
func TestGenerateErrors(t *testing.T) {
	if _, err := Generate(DefaultParams(), 0, 1); err == nil {
		t.Error("n 0: no error")
	}
	p := DefaultParams()
	p.FrameRate = 0
	if _, err := Generate(p, 5, 1); err == nil || !strings.Contains(err.Error(), "FrameRate") {
		t.Errorf("FrameRate 0: %v", err)
	}
	p = DefaultParams()
	p.BetaHetero = math.NaN()
	if _, err := Population(p, 100, 1); err == nil || !strings.Contains(err.Error(), "BetaHetero") {
		t.Errorf("BetaHetero NaN: %v", err)
	}
	pt := Patient{ID: "X"}
	if _, err := SimulateAnatomy(DefaultParams(), &pt); err == nil {
		t.Error("zero patient: no error")
	}
}
