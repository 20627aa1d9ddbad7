package cohort

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

func TestTestErrors(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"Welch n=1", second(WelchT([]float64{1}, []float64{1, 2})), ErrTooFew},
		{"Welch constant", second(WelchT([]float64{1, 1}, []float64{2, 2})), ErrNoVariation},
		{"Welch NaN", second(WelchT([]float64{1, nan}, []float64{2, 3})), nil},
		{"MWU empty", second(MannWhitneyU(nil, []float64{1})), ErrTooFew},
		{"MWU tied", second(MannWhitneyU([]float64{3, 3}, []float64{3})), ErrNoVariation},
		{"MWU Inf", second(MannWhitneyU([]float64{1}, []float64{math.Inf(1)})), nil},
		{"SW n=2", second(ShapiroWilk([]float64{1, 2})), ErrTooFew},
		{"SW constant", second(ShapiroWilk([]float64{4, 4, 4, 4})), ErrNoVariation},
		{"χ² one row", second(ChiSquare([][]int{{1, 2}}, true)), ErrTooFew},
		{"χ² empty column", second(ChiSquare([][]int{{1, 0}, {2, 0}}, true)), ErrNoVariation},
		{"χ² ragged", second(ChiSquare([][]int{{1, 2}, {3}}, true)), nil},
		{"χ² negative", second(ChiSquare([][]int{{1, -2}, {3, 4}}, true)), nil},
		{"Fisher 3×3", second(FisherExact([][]int{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}})), nil},
		{"Fisher total too large", second(FisherExact([][]int{{MaxExactTotal, 1}, {1, 1}})), ErrTooLarge},
		{"Fisher too large", second(FisherExact([][]int{{60, 60}, {60, 60}, {60, 60}, {60, 60}, {60, 60}, {60, 60}})), ErrTooLarge},
	}
	for _, tc := range cases {
		if tc.err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if tc.want != nil && !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, tc.err, tc.want)
		}
	}
}

func second(_ TestResult, err error) error { return err }

// TestCountTables checks the dynamic programme that bounds FisherExact
// against a direct count.
func TestCountTables(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		k := 2 + rng.IntN(3)
		r := make([]int, k)
		total := 0
		for i := range r {
			r[i] = rng.IntN(7)
			total += r[i]
		}
		a := rng.IntN(total + 1)
		var brute func(i, rem int) float64
		brute = func(i, rem int) float64 {
			if i == len(r) {
				if rem == 0 {
					return 1
				}
				return 0
			}
			var s float64
			for x := 0; x <= r[i] && x <= rem; x++ {
				s += brute(i+1, rem-x)
			}
			return s
		}
		if got, want := countTables(r, a), brute(0, a); got != want {
			t.Fatalf("countTables(%v, %d) = %g, want %g", r, a, got, want)
		}
	}
}

// TestFisherSumsToOne checks that the probabilities of all tables with the
// observed margins add up to 1: the p-value of the least probable-or-equal
// criterion at the most probable table is 1.
func TestFisherSumsToOne(t *testing.T) {
	p, err := FisherExact([][]int{{5, 5}, {5, 5}})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(p.P-1) > 1e-12 {
		t.Errorf("p at the mode = %.17g, want 1", p.P)
	}
	// A 3×2 table's p-values over all tables with its margins: the largest
	// is 1 (the mode) and each lies in (0, 1].
	r, a := []int{4, 6, 5}, 7
	for x0 := 0; x0 <= 4; x0++ {
		for x1 := 0; x1 <= 6; x1++ {
			x2 := a - x0 - x1
			if x2 < 0 || x2 > 5 {
				continue
			}
			tab := [][]int{{x0, r[0] - x0}, {x1, r[1] - x1}, {x2, r[2] - x2}}
			res, err := FisherExact(tab)
			if err != nil {
				t.Fatal(err)
			}
			if !(res.P > 0 && res.P <= 1) {
				t.Errorf("%v: p = %g", tab, res.P)
			}
		}
	}
}

func TestShapiroWilkNEquals3(t *testing.T) {
	// For n = 3 the p-value is exact, p = 6/π (asin √W − asin √¾), and
	// evenly spaced values give W = 1 and p = 1.
	r, err := ShapiroWilk([]float64{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.Statistic-1) > 1e-7 || math.Abs(r.P-1) > 1e-6 {
		t.Errorf("W = %g, p = %g; want 1, 1", r.Statistic, r.P)
	}
}

func TestDescribe(t *testing.T) {
	s := Describe([]float64{4, 1, 3, 2})
	if s.N != 4 || s.Mean != 2.5 || math.Abs(s.SD-math.Sqrt(5.0/3)) > 1e-15 || s.Median != 2.5 || s.Q1 != 1.75 || s.Q3 != 3.25 {
		t.Errorf("Describe = %+v", s)
	}
	e := Describe(nil)
	if e.N != 0 || !math.IsNaN(e.Mean) || !math.IsNaN(e.Median) {
		t.Errorf("Describe(nil) = %+v", e)
	}
	one := Describe([]float64{7})
	if one.Mean != 7 || !math.IsNaN(one.SD) || one.Q1 != 7 {
		t.Errorf("Describe([7]) = %+v", one)
	}
	if !math.IsNaN(Quantile([]float64{1}, 1.5)) || !math.IsNaN(Quantile(nil, 0.5)) {
		t.Error("Quantile outside [0, 1] or of nothing is not NaN")
	}
}
