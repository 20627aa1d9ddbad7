package radiomics

import (
	"math"
	"slices"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

func lineROI(t *testing.T, x []float64, s Settings) *ROI {
	t.Helper()
	img := &imaging.Volume{Nx: len(x), Ny: 1, Nz: 1, Spacing: [3]float64{1, 1, 1}, Data: x}
	m := &imaging.Mask{Width: len(x), Height: 1, Depth: 1, Data: make([]bool, len(x))}
	for i := range m.Data {
		m.Data[i] = true
	}
	r, err := Prepare(img, m, s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestDiscretisation works IBSI's formulas (IBSI 2.7) by hand on six intensities.
func TestDiscretisation(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6}
	s := DefaultSettings()
	for _, c := range []struct {
		d      Discretisation
		reseg  *Range
		levels []int32
		ng     int
		values []float64
	}{
		// FBN, 3 bins over [1, 6]: ⌊3(x − 1)/5⌋ + 1, the maximum in the last bin.
		{Discretisation{Method: FixedBinNumber, Bins: 3}, nil, []int32{1, 1, 2, 2, 3, 3}, 3, []float64{1, 2, 3}},
		// FBS, width 2 from the smallest intensity 1: ⌊(x − 1)/2⌋ + 1.
		{Discretisation{Method: FixedBinSize, Width: 2}, nil, []int32{1, 1, 2, 2, 3, 3}, 3, []float64{2, 4, 6}},
		// FBS, width 2.5 from the re-segmentation bound 0; N_g from the range [0, 10].
		{Discretisation{Method: FixedBinSize, Width: 2.5}, &Range{Min: 0, Max: 10}, []int32{1, 1, 2, 2, 3, 3}, 5, []float64{1.25, 3.75, 6.25, 8.75, 11.25}},
		// No discretisation: the intensities are the levels.
		{Discretisation{Method: Identity}, nil, []int32{1, 2, 3, 4, 5, 6}, 6, []float64{1, 2, 3, 4, 5, 6}},
	} {
		s.Discretisation, s.Resegment = c.d, c.reseg
		r := lineROI(t, x, s)
		if !slices.Equal(r.Level, c.levels) || r.Ng != c.ng || !slices.Equal(r.LevelValue, c.values) {
			t.Errorf("%+v: levels %v, N_g %d, values %v; want %v, %d, %v", c.d, r.Level, r.Ng, r.LevelValue, c.levels, c.ng, c.values)
		}
	}
	// Re-segmentation leaves the morphological mask alone.
	s.Discretisation, s.Resegment = Discretisation{Method: FixedBinNumber, Bins: 4}, &Range{Min: 2, Max: 5}
	r := lineROI(t, x, s)
	if r.NumMorph() != 6 || r.NumIntensity() != 4 || r.Level[0] != 0 || r.Level[5] != 0 {
		t.Errorf("re-segmentation [2, 5]: %d morphological, %d intensity voxels, levels %v", r.NumMorph(), r.NumIntensity(), r.Level)
	}
	// Outlier filtering at 1 σ drops the extremes.
	s.Resegment, s.OutlierSigma = nil, 1
	r = lineROI(t, []float64{0, 5, 5, 5, 5, 10}, s)
	if r.NumIntensity() != 4 {
		t.Errorf("outliers at 1σ: %d voxels kept, want 4", r.NumIntensity())
	}
	if !IsIntegerLevels([]float64{1, 7, 3}) || IsIntegerLevels([]float64{1, 0}) || IsIntegerLevels([]float64{1.5}) || IsIntegerLevels([]float64{math.NaN()}) {
		t.Error("IsIntegerLevels")
	}
}
