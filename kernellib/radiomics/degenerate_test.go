package radiomics

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

func plane(w, h int, f func(x, y int) float64, in func(x, y int) bool) (*imaging.Volume, *imaging.Mask) {
	img := &imaging.Volume{Nx: w, Ny: h, Nz: 1, Spacing: [3]float64{0.5, 0.5, 1}, Data: make([]float64, w*h)}
	m := &imaging.Mask{Width: w, Height: h, Depth: 1, Data: make([]bool, w*h)}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Data[y*w+x] = f(x, y)
			m.Data[y*w+x] = in(x, y)
		}
	}
	return img, m
}

func featureMap(fs []Feature) map[string]float64 {
	m := map[string]float64{}
	for _, f := range fs {
		m[f.Key()] = f.Value
	}
	return m
}

func TestDegenerateInputs(t *testing.T) {
	ramp := func(x, y int) float64 { return float64(x + 3*y) }
	all := func(x, y int) bool { return true }
	none := func(x, y int) bool { return false }
	s := DefaultSettings()

	img, m := plane(8, 6, ramp, none)
	if _, err := Extract(img, m, s); !errors.Is(err, ErrEmptyMask) {
		t.Errorf("empty mask: %v", err)
	}
	img, m = plane(8, 6, ramp, all)
	m.Width = 6
	if _, err := Extract(img, m, s); !errors.Is(err, ErrInput) {
		t.Errorf("mask of another size: %v", err)
	}
	img, m = plane(8, 6, ramp, all)
	img.Data[9] = math.NaN()
	if _, err := Extract(img, m, s); !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "(1, 1, 0)") {
		t.Errorf("NaN inside the mask: %v", err)
	}
	img, m = plane(8, 6, ramp, func(x, y int) bool { return x > 2 })
	img.Data[0] = math.Inf(1) // outside the mask but within the local intensity sphere
	if _, err := Extract(img, m, s); !errors.Is(err, ErrInput) {
		t.Errorf("Inf next to the mask: %v", err)
	}
	img, m = plane(8, 6, ramp, all)
	r := s
	r.Resegment = &Range{Min: 100, Max: math.Inf(1)}
	if _, err := Extract(img, m, r); !errors.Is(err, ErrEmptyIntensityMask) {
		t.Errorf("re-segmentation above every intensity: %v", err)
	}
	id := s
	id.Discretisation = Discretisation{Method: Identity}
	if _, err := Extract(img, m, id); !errors.Is(err, ErrInput) {
		t.Errorf("no discretisation of intensities from 0: %v", err)
	}
	for _, bad := range []Settings{
		{Discretisation: Discretisation{Method: FixedBinNumber, Bins: 0}, GLCMDistance: 1, NGTDMDistance: 1, NGLDMDistance: 1},
		{Discretisation: Discretisation{Method: FixedBinSize, Width: -1}, GLCMDistance: 1, NGTDMDistance: 1, NGLDMDistance: 1},
		{Discretisation: Discretisation{Method: FixedBinSize, Width: 1e-9}, GLCMDistance: 1, NGTDMDistance: 1, NGLDMDistance: 1},
		{Discretisation: Discretisation{Method: FixedBinNumber, Bins: 8}},
		{Discretisation: Discretisation{Method: FixedBinNumber, Bins: 8}, GLCMDistance: 1, NGTDMDistance: 1, NGLDMDistance: 1, Families: []string{"shape"}},
	} {
		if _, err := Extract(img, m, bad); !errors.Is(err, ErrInput) {
			t.Errorf("settings %+v: %v", bad, err)
		}
	}

	// One pixel: no pair of neighbours, so no GLCM.
	img, m = plane(8, 6, ramp, func(x, y int) bool { return x == 4 && y == 3 })
	if _, err := Extract(img, m, s); !errors.Is(err, ErrTooSmall) || !strings.Contains(err.Error(), "glcm") {
		t.Errorf("one pixel, every family: %v", err)
	}
	one := s
	one.Families = []string{FamilyMorphology, FamilyLocalIntensity, FamilyStatistics, FamilyHistogram, FamilyIVH, FamilyGLRLM, FamilyGLSZM, FamilyGLDZM, FamilyNGLDM}
	fs, err := Extract(img, m, one)
	if err != nil {
		t.Fatalf("one pixel: %v", err)
	}
	v := featureMap(fs)
	for k, want := range map[string]float64{
		"morphology/area_pixel_counting":                 0.25,
		"morphology/area_mesh":                           0.125, // the diamond through the edge midpoints
		"morphology/major_axis_length":                   0,
		"morphology/elongation":                          1,
		"intensity_statistics/intensity_variance":        0,
		"intensity_statistics/intensity_skewness":        0,
		"intensity_statistics/excess_intensity_kurtosis": 0,
		"glszm/small_zone_emphasis [2D]":                 1,
		"glrlm/run_percentage [2D, averaged]":            1,
		"gldzm/small_distance_emphasis [2D]":             1,
		"ngldm/low_dependence_emphasis [2D]":             1,
	} {
		if got, ok := v[k]; !ok || math.Abs(got-want) > 1e-12 {
			t.Errorf("one pixel: %s = %g (present %v), want %g", k, got, ok, want)
		}
	}

	// Constant intensity: every feature has a value; those with a vanishing
	// denominator have their documented one.
	img, m = plane(12, 10, func(x, y int) float64 { return 77 }, func(x, y int) bool { return (x-6)*(x-6)+(y-5)*(y-5) <= 12 })
	fs, err = Extract(img, m, s)
	if err != nil {
		t.Fatalf("constant intensity: %v", err)
	}
	v = featureMap(fs)
	for k, want := range map[string]float64{
		"intensity_statistics/intensity_skewness":                       0,
		"intensity_statistics/intensity_based_coefficient_of_variation": 0,
		"glcm/correlation [2D, averaged]":                               1,
		"glcm/information_correlation_1 [2D, slice-merged]":             0,
		"glcm/information_correlation_2 [2D, averaged]":                 0,
		"glcm/joint_maximum [2D, averaged]":                             1,
		"ngtdm/coarseness [2D]":                                         CoarsenessMax,
		"ngtdm/busyness [2D]":                                           0,
		"ngtdm/contrast [2D]":                                           0,
		"ngtdm/strength [2D]":                                           0,
		"ivh/volume_at_intensity_fraction_10":                           0,
		"intensity_histogram/discretised_intensity_entropy":             0,
	} {
		if got, ok := v[k]; !ok || math.Abs(got-want) > 1e-12 {
			t.Errorf("constant: %s = %g (present %v), want %g", k, got, ok, want)
		}
	}
}

// TestThinVolume: a 3D region one slice thick has a closed mesh (its faces half a
// voxel above and below the slice) and every aggregation.
func TestThinVolume(t *testing.T) {
	img := &imaging.Volume{Nx: 9, Ny: 9, Nz: 5, Spacing: [3]float64{1, 1, 2}, Data: make([]float64, 405)}
	m := &imaging.Mask{Width: 9, Height: 9, Depth: 5, Data: make([]bool, 405)}
	for i := range img.Data {
		x, y, z := i%9, (i/9)%9, i/81
		img.Data[i] = float64(1 + (x*7+y*3)%5)
		m.Data[i] = z == 2 && x >= 2 && x <= 6 && y >= 1 && y <= 7
	}
	s := DefaultSettings()
	s.Discretisation = Discretisation{Method: Identity}
	fs, err := Extract(img, m, s)
	if err != nil {
		t.Fatal(err)
	}
	v := featureMap(fs)
	if got := v["morphology/volume_voxel_counting"]; got != 70 {
		t.Errorf("voxel volume %g, want 35 voxels × 2 mm³", got)
	}
	if got := v["morphology/least_axis_length"]; got != 0 {
		t.Errorf("least axis %g, want 0 for one slice", got)
	}
	for _, k := range []string{"glcm/contrast [3D, merged]", "ngtdm/coarseness [3D]", "morphology/volume_density_convex_hull"} {
		if _, ok := v[k]; !ok {
			t.Errorf("%s missing", k)
		}
	}
}
