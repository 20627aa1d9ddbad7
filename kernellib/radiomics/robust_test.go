package radiomics

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// TestICC31ShroutFleiss checks ICC(3,1) on the worked example of Shrout & Fleiss
// (1979), Table 2 (6 targets, 4 judges), whose Table 4 reports ICC(3,1) = .71.
func TestICC31ShroutFleiss(t *testing.T) {
	x := [][]float64{{9, 2, 5, 8}, {6, 1, 3, 2}, {8, 4, 6, 8}, {7, 1, 2, 6}, {10, 5, 6, 9}, {6, 2, 4, 7}}
	icc, err := ICC31(x)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(icc-0.71) > 0.005 {
		t.Errorf("ICC(3,1) = %.4f, Shrout & Fleiss report .71", icc)
	}
}

// TestICC31R compares ICC(3,1) with the mean squares of R's aov on seeded random
// tables (testdata/make_icc_r.R).
func TestICC31R(t *testing.T) {
	b, err := os.ReadFile("testdata/icc_r.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Tool  string
		Cases []struct {
			N, K  int
			X     [][]float64
			ICC31 float64 `json:"icc31"`
		}
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	t.Logf("reference: %s", fx.Tool)
	for _, c := range fx.Cases {
		got, err := ICC31(c.X)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-c.ICC31) > 1e-12 {
			t.Errorf("%d×%d: ICC(3,1) = %.15g, R %.15g", c.N, c.K, got, c.ICC31)
		}
	}
}

func TestICC31Errors(t *testing.T) {
	if _, err := ICC31([][]float64{{1, 2}}); !errors.Is(err, ErrInput) {
		t.Errorf("one subject: %v", err)
	}
	if _, err := ICC31([][]float64{{1}, {2}}); !errors.Is(err, ErrInput) {
		t.Errorf("one condition: %v", err)
	}
	if _, err := ICC31([][]float64{{1, 2}, {3}}); !errors.Is(err, ErrInput) {
		t.Errorf("ragged: %v", err)
	}
	if _, err := ICC31([][]float64{{1, math.NaN()}, {3, 4}}); !errors.Is(err, ErrInput) {
		t.Errorf("NaN: %v", err)
	}
	if _, err := ICC31([][]float64{{5, 5}, {5, 5}}); !errors.Is(err, ErrICCUndefined) {
		t.Errorf("constant: %v", err)
	}
}

func TestPerturbMask(t *testing.T) {
	// A 5×5 square in a 9×9 image.
	m := &imaging.Mask{Width: 9, Height: 9, Depth: 1, Data: make([]bool, 81)}
	for y := 2; y <= 6; y++ {
		for x := 2; x <= 6; x++ {
			m.Data[y*9+x] = true
		}
	}
	for _, c := range []struct {
		p    Perturbation
		n    int
		x, y int // a voxel that must be inside
	}{
		{Perturbation{Grow: -1}, 9, 4, 4},
		{Perturbation{Grow: -2}, 1, 4, 4},
		{Perturbation{Grow: 1}, 49, 1, 1},
		{Perturbation{Grow: 2}, 81, 0, 0},
		{Perturbation{Shift: [3]int{2, 0, 0}}, 25, 8, 6},
		{Perturbation{Shift: [3]int{0, -3, 0}}, 20, 2, 0},
		{Perturbation{Grow: 1, Shift: [3]int{3, 0, 0}}, 35, 8, 7},
	} {
		got := PerturbMask(m, c.p)
		if n := got.Count(); n != c.n || !got.At(c.x, c.y, 0) {
			t.Errorf("%+v: %d voxels (want %d), (%d,%d) inside: %v", c.p, n, c.n, c.x, c.y, got.At(c.x, c.y, 0))
		}
	}
	if m.Count() != 25 {
		t.Error("PerturbMask changed its input")
	}
}

// syntheticCases makes B-mode-like lesions: speckle whose brightness and grain differ
// between lesions, inside discs of different radii.
func syntheticCases(n int, seed uint64) []Case {
	rng := rand.New(rand.NewPCG(seed, 2))
	var cs []Case
	for k := 0; k < n; k++ {
		w := 48
		img := &imaging.Volume{Nx: w, Ny: w, Nz: 1, Spacing: [3]float64{0.3, 0.3, 1}, Data: make([]float64, w*w)}
		mask := &imaging.Mask{Width: w, Height: w, Depth: 1, Data: make([]bool, w*w)}
		bright := 60 + 120*rng.Float64()
		rad := 9 + 9*rng.Float64()
		for i := range img.Data {
			x, y := float64(i%w-w/2), float64(i/w-w/2)
			v := bright * rng.ExpFloat64()
			if x*x+y*y > rad*rad {
				v = 80 * rng.ExpFloat64()
			} else {
				mask.Data[i] = true
			}
			img.Data[i] = math.Min(255, math.Round(v))
		}
		cs = append(cs, Case{Name: string(rune('A' + k)), Image: img, Mask: mask})
	}
	return cs
}

// TestRobustness runs the perturbation study on synthetic lesions: the lesion size
// dominates the between-lesion variance, so the area is highly reproducible under the
// default perturbations; the keys come in extraction order.
func TestRobustness(t *testing.T) {
	cases := syntheticCases(6, 11)
	s := DefaultSettings()
	s.Families = []string{FamilyMorphology, FamilyStatistics, FamilyGLCM}
	iccs, err := Robustness(cases, s, DefaultPerturbations())
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]FeatureICC{}
	for _, f := range iccs {
		byKey[f.Key] = f
		if f.Defined && (math.IsNaN(f.ICC) || f.ICC > 1) {
			t.Errorf("%s: ICC %g", f.Key, f.ICC)
		}
	}
	if a := byKey["morphology/area_pixel_counting"]; !a.Defined || a.ICC < 0.9 {
		t.Errorf("area: ICC %+v, want ≥ 0.9", a)
	}
	keep := RobustFeatures(iccs, 0.9)
	if !slices.Contains(keep, "morphology/area_pixel_counting") {
		t.Errorf("area not kept at 0.9: %v", keep)
	}
	var want []string
	for _, f := range iccs {
		if f.Defined && f.ICC >= 0.9 {
			want = append(want, f.Key)
		}
	}
	if !slices.Equal(keep, want) || len(keep) == len(iccs) {
		t.Errorf("RobustFeatures(0.9) = %d of %d features", len(keep), len(iccs))
	}
	t.Logf("%d of %d features with ICC(3,1) ≥ 0.9 over %d lesions × %d masks", len(keep), len(iccs), len(cases), len(DefaultPerturbations())+1)
	// A tiny lesion eroded twice is empty: the error names the case and the mask.
	tiny := []Case{cases[0], cases[1]}
	for m := PerturbMask(tiny[0].Mask, Perturbation{Grow: -1}); m.Count() > 0; m = PerturbMask(m, Perturbation{Grow: -1}) {
		tiny[0].Mask = m // the last non-empty erosion: erode 2 empties it
	}
	_, err = Robustness(tiny, s, DefaultPerturbations())
	if !errors.Is(err, ErrEmptyMask) || !strings.Contains(err.Error(), "case 0 (A), mask erode") {
		t.Errorf("emptied mask: %v", err)
	}
	if _, err := Robustness(cases[:1], s, DefaultPerturbations()); !errors.Is(err, ErrInput) {
		t.Errorf("one case: %v", err)
	}
}
