package roc

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"testing"
)

func TestDeLongMatchesPROC(t *testing.T) {
	f := loadCore(t)
	for _, c := range f.Cases {
		d, err := NewDeLong(c.scores, c.truth, c.dir)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if d.Cases != c.NCases || d.Controls != c.NControls {
			t.Errorf("%s: %d/%d cases/controls, pROC %d/%d", c.Name, d.Cases, d.Controls, c.NCases, c.NControls)
		}
		for r, mod := range c.Models {
			name := c.Name + " score " + string(rune('0'+r))
			checkClose(t, name+" AUC", d.AUC[r], float64(mod.AUC))
			checkClose(t, name+" var", d.Var(r), float64(mod.Var))
			checkClose(t, name+" SE", d.SE(r), math.Sqrt(float64(mod.Var)))
			for _, lv := range []struct {
				level float64
				want  []fnum
			}{{0.95, mod.CI95}, {0.90, mod.CI90}} {
				ci, err := d.CI(r, lv.level)
				if err != nil {
					t.Fatal(err)
				}
				checkClose(t, name+" CI lower", ci[0], float64(lv.want[0]))
				checkClose(t, name+" CI upper", ci[1], float64(lv.want[1]))
			}
			lg, err := d.CILogit(r, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			checkClose(t, name+" logit CI lower", lg[0], float64(mod.LogitCI95[0]))
			checkClose(t, name+" logit CI upper", lg[1], float64(mod.LogitCI95[1]))
			for _, h := range []struct {
				null float64
				z, p fnum
			}{{0.5, mod.Z05, mod.P05}, {0.7, mod.Z07, mod.P07}} {
				tt, err := d.TestAUC(r, h.null)
				if err != nil {
					t.Fatal(err)
				}
				checkClose(t, name+" z vs null", tt.Z, float64(h.z))
				checkClose(t, name+" p vs null", tt.P, float64(h.p))
			}
		}
		for _, p := range c.Paired {
			checkClose(t, c.Name+" cov", d.Cov[p.A][p.B], float64(p.Cov))
			checkClose(t, c.Name+" cov (symmetric)", d.Cov[p.B][p.A], float64(p.Cov))
		}
	}
}

// TestDeLongGOMAXPROCS checks that the result is the same, bit for bit,
// whatever the number of cores used.
func TestDeLongGOMAXPROCS(t *testing.T) {
	c := loadCore(t).find("large_1e5")
	scores := [][]float64{c.scores[0], c.scores[1], c.scores[0]}
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	one, err := NewDeLong(scores, c.truth)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GOMAXPROCS(4)
	four, err := NewDeLong(scores, c.truth)
	if err != nil {
		t.Fatal(err)
	}
	for r := range scores {
		if one.AUC[r] != four.AUC[r] || !slices.Equal(one.Cov[r], four.Cov[r]) {
			t.Errorf("score %d: GOMAXPROCS 1 gives %v %v, 4 gives %v %v", r, one.AUC[r], one.Cov[r], four.AUC[r], four.Cov[r])
		}
	}
	// The same score twice: equal AUCs, variances and covariance.
	if one.Cov[0][2] != one.Cov[0][0] || one.AUC[2] != one.AUC[0] {
		t.Errorf("a score paired with itself: cov %v, var %v", one.Cov[0][2], one.Cov[0][0])
	}
}

// brutePlacements computes DeLong's placements by their O(mn) definition.
func brutePlacements(cases, controls []float64) (v10, v01 []float64) {
	psi := func(x, y float64) float64 {
		switch {
		case x > y:
			return 1
		case x == y:
			return 0.5
		}
		return 0
	}
	v10 = make([]float64, len(cases))
	v01 = make([]float64, len(controls))
	for i, x := range cases {
		for j, y := range controls {
			p := psi(x, y)
			v10[i] += p
			v01[j] += p
		}
	}
	for i := range v10 {
		v10[i] /= float64(len(controls))
	}
	for j := range v01 {
		v01[j] /= float64(len(cases))
	}
	return v10, v01
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// The mid-rank algorithm against DeLong's definition, on random data with
// many ties, in both directions and for sizes on both sides of the radix
// sort's threshold.
func TestDeLongMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{7, 60, radixMin + 100} {
		n := size
		truth := make([]bool, n)
		a := make([]float64, n)
		b := make([]float64, n)
		for i := range truth {
			truth[i] = i%3 == 0
			if i < 2 {
				truth[i] = i == 0
			}
			a[i] = math.Round(rng.NormFloat64()*3) + float64(b2i(truth[i]))
			b[i] = rng.NormFloat64() + 0.5*a[i]
		}
		for _, dir := range []Direction{CasesHigher, ControlsHigher} {
			d, err := NewDeLong([][]float64{a, b}, truth, dir)
			if err != nil {
				t.Fatal(err)
			}
			var p10, p01 [2][]float64
			for r, s := range [][]float64{a, b} {
				cs, ct, _ := Split(s, truth, dir)
				p10[r], p01[r] = brutePlacements(cs, ct)
			}
			m, nn := d.Cases, d.Controls
			for r := 0; r < 2; r++ {
				if th := mean(p10[r]); math.Abs(th-d.AUC[r]) > 1e-13 {
					t.Errorf("n %d %v score %d: AUC %v, definition %v", n, dir, r, d.AUC[r], th)
				}
				for s := 0; s < 2; s++ {
					c10, c01 := 0.0, 0.0
					for i := range p10[r] {
						c10 += (p10[r][i] - mean(p10[r])) * (p10[s][i] - mean(p10[s]))
					}
					for j := range p01[r] {
						c01 += (p01[r][j] - mean(p01[r])) * (p01[s][j] - mean(p01[s]))
					}
					want := c10/float64(m-1)/float64(m) + c01/float64(nn-1)/float64(nn)
					if math.Abs(d.Cov[r][s]-want) > 1e-12*math.Abs(want) {
						t.Errorf("n %d %v: S[%d][%d] = %v, definition %v", n, dir, r, s, d.Cov[r][s], want)
					}
				}
			}
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestDeLongErrors(t *testing.T) {
	truth := []bool{true, true, false, false, false}
	good := []float64{1, 2, 3, 4, 5}
	for _, c := range []struct {
		name   string
		scores [][]float64
		truth  []bool
		dirs   []Direction
		want   error
	}{
		{"no scores", nil, truth, nil, ErrEmpty},
		{"length", [][]float64{good, {1, 2}}, truth, nil, ErrLength},
		{"NaN", [][]float64{good, {1, 2, math.NaN(), 4, 5}}, truth, nil, ErrNotFinite},
		{"Inf", [][]float64{{1, 2, math.Inf(-1), 4, 5}}, truth, nil, ErrNotFinite},
		{"one class", [][]float64{good}, []bool{true, true, true, true, true}, nil, ErrOneClass},
		{"one case", [][]float64{good}, []bool{true, false, false, false, false}, nil, ErrTooFew},
		{"one control", [][]float64{good}, []bool{true, true, true, true, false}, nil, ErrTooFew},
		{"directions", [][]float64{good, good, good}, truth, []Direction{CasesHigher, ControlsHigher}, ErrLength},
	} {
		if _, err := NewDeLong(c.scores, c.truth, c.dirs...); !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
	d, err := NewDeLong([][]float64{good, {5, 1, 4, 2, 3}}, truth)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.CI(2, 0.95); !errors.Is(err, ErrParameter) {
		t.Errorf("CI of score 2 of 2: %v", err)
	}
	for _, lv := range []float64{0, 1, -0.5, 95, math.NaN()} {
		if _, err := d.CI(0, lv); !errors.Is(err, ErrParameter) {
			t.Errorf("CI level %v: %v", lv, err)
		}
		if _, err := d.CILogit(0, lv); !errors.Is(err, ErrParameter) {
			t.Errorf("logit CI level %v: %v", lv, err)
		}
		if _, err := d.Paired(0, 1, lv); !errors.Is(err, ErrParameter) {
			t.Errorf("paired test level %v: %v", lv, err)
		}
	}
	if _, err := d.TestAUC(0, 1.5); !errors.Is(err, ErrParameter) {
		t.Errorf("null AUC 1.5: %v", err)
	}
	if _, err := d.Paired(0, -1, 0.95); !errors.Is(err, ErrParameter) {
		t.Errorf("paired test with score -1: %v", err)
	}
}

// Directions per score: a score and its negation in opposite directions
// have the same AUC and covariance 1 with each other.
func TestDeLongDirections(t *testing.T) {
	c := loadCore(t).find("binormal_300")
	neg := make([]float64, len(c.scores[0]))
	for i, v := range c.scores[0] {
		neg[i] = -v
	}
	d, err := NewDeLong([][]float64{c.scores[0], neg}, c.truth, CasesHigher, ControlsHigher)
	if err != nil {
		t.Fatal(err)
	}
	if d.AUC[0] != d.AUC[1] || math.Abs(d.Cov[0][1]-d.Cov[0][0]) > 1e-18 {
		t.Errorf("AUCs %v, cov %v", d.AUC, d.Cov)
	}
	if d.Directions[1] != ControlsHigher {
		t.Errorf("directions %v", d.Directions)
	}
}

// MidRanks by radix sort against a comparison sort, with ties, −0/+0 and
// infinities, and with NaNs.
func TestMidRanksLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 100, radixMin - 1, radixMin, 3*radixMin + 17} {
		x := make([]float64, n)
		for i := range x {
			switch rng.IntN(10) {
			case 0:
				x[i] = math.Copysign(0, -1)
			case 1:
				x[i] = 0
			case 2:
				x[i] = math.Inf(1 - 2*rng.IntN(2))
			case 3:
				x[i] = rng.NormFloat64() * 1e300
			default:
				x[i] = math.Round(rng.NormFloat64()*50) / 8
			}
		}
		got := MidRanks(x)
		want := midRanksBySort(x)
		if !slices.Equal(got, want) {
			t.Errorf("n %d: radix mid-ranks differ from the comparison sort's", n)
		}
		// Sum of mid-ranks is always n(n+1)/2.
		s := 0.0
		for _, r := range got {
			s += r
		}
		if s != float64(n)*float64(n+1)/2 {
			t.Errorf("n %d: ranks sum to %v", n, s)
		}
	}
	r := MidRanks([]float64{2, math.NaN(), 1, 2, math.NaN()})
	if !slices.Equal(r, []float64{2.5, 4, 1, 2.5, 5}) {
		t.Errorf("MidRanks with NaN = %v", r)
	}
}

// midRanksBySort is the plain comparison-sort mid-rank computation.
func midRanksBySort(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && x[idx[j]] == x[idx[i]] {
			j++
		}
		for k := i; k < j; k++ {
			r[idx[k]] = float64(i+j+1) / 2
		}
		i = j
	}
	return r
}
