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

// TestICC21ShroutFleiss checks ICC(2,1) on the worked example of Shrout & Fleiss
// (1979), Table 2, whose Table 4 reports ICC(2,1) = .29 (the judges differ in their
// mean ratings, which ICC(3,1) = .71 ignores); and that a systematic shift of one
// condition lowers ICC(2,1) but leaves ICC(3,1) as it was.
func TestICC21ShroutFleiss(t *testing.T) {
	x := [][]float64{{9, 2, 5, 8}, {6, 1, 3, 2}, {8, 4, 6, 8}, {7, 1, 2, 6}, {10, 5, 6, 9}, {6, 2, 4, 7}}
	icc, err := ICC21(x)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(icc-0.29) > 0.005 {
		t.Errorf("ICC(2,1) = %.4f, Shrout & Fleiss report .29", icc)
	}
	y := [][]float64{{1, 1.1}, {2, 1.9}, {3, 3.2}, {4, 3.9}, {5, 5.1}}
	a21, _ := ICC21(y)
	a31, _ := ICC31(y)
	for i := range y {
		y[i][1] += 2 // an erosion that lowers every value by the same amount
	}
	b21, _ := ICC21(y)
	b31, _ := ICC31(y)
	if math.Abs(a31-b31) > 1e-12 || !(b21 < a21-0.2) || math.Abs(a21-a31) > 0.01 {
		t.Errorf("shift: ICC(3,1) %.4f → %.4f, ICC(2,1) %.4f → %.4f", a31, b31, a21, b21)
	}
}

// TestICC31R compares ICC(3,1) and ICC(2,1) with the mean squares of R's aov on
// seeded random tables (testdata/make_icc_r.R).
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
			ICC21 float64 `json:"icc21"`
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
		got, err = ICC21(c.X)
		if err != nil {
			t.Fatal(err)
		}
		if c.ICC21 == 0 || math.Abs(got-c.ICC21) > 1e-12 {
			t.Errorf("%d×%d: ICC(2,1) = %.15g, R %.15g", c.N, c.K, got, c.ICC21)
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
	if _, err := ICC21([][]float64{{1, 2}, {3}}); !errors.Is(err, ErrInput) {
		t.Error("ICC(2,1) of a ragged table: no input error")
	}
	if _, err := ICC21([][]float64{{5, 5}, {5, 5}}); !errors.Is(err, ErrICCUndefined) {
		t.Error("ICC(2,1) without variance: not undefined")
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

// TestJitter: the elastic contour jitter is fixed by its seed, moves the contour by
// about its amplitude (a disc keeps its interior and exterior far from the edge, and
// most of its area), differs between seeds, and is none at amplitude 0; the held-out
// perturbations share no kind with the default (selection) ones.
func TestJitter(t *testing.T) {
	const w, h, r = 96, 80, 20
	m := &imaging.Mask{Width: w, Height: h, Depth: 1, Data: make([]bool, w*h)}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m.Data[x+w*y] = (x-48)*(x-48)+(y-40)*(y-40) <= r*r
		}
	}
	p := Perturbation{Jitter: Jitter{Amplitude: 1.5, Sigma: 6, Seed: 1}}
	a, b := PerturbMask(m, p), PerturbMask(m, p)
	if !slices.Equal(a.Data, b.Data) {
		t.Fatal("the same seed gave two masks")
	}
	p.Jitter.Seed = 2
	if c := PerturbMask(m, p); slices.Equal(a.Data, c.Data) {
		t.Error("seeds 1 and 2 gave the same mask")
	}
	inter, na, nm := 0, 0, 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			d := math.Hypot(float64(x-48), float64(y-40))
			in, out := m.Data[x+w*y], a.Data[x+w*y]
			if (d < r-6 && !out) || (d > r+6 && out) {
				t.Fatalf("pixel (%d, %d) at %.1f from the centre moved across the contour", x, y, d)
			}
			if in && out {
				inter++
			}
			if in {
				nm++
			}
			if out {
				na++
			}
		}
	}
	dice := 2 * float64(inter) / float64(na+nm)
	if !(dice > 0.85 && dice < 0.99) {
		t.Errorf("Dice of the jittered disc %.3f, want a contour moved by about 1.5 pixels", dice)
	}
	if z := PerturbMask(m, Perturbation{Jitter: Jitter{Sigma: 6, Seed: 1}}); !slices.Equal(z.Data, m.Data) {
		t.Error("amplitude 0 changed the mask")
	}
	for _, q := range HeldOutPerturbations() {
		for _, d := range DefaultPerturbations() {
			if q.Same(d) {
				t.Errorf("held-out %q is the default %q", q.Name, d.Name)
			}
		}
	}
}
