package radiomics

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// TestFiltersSciPy compares the LoG response with SciPy's Gaussian derivative filters
// and the wavelet sub-bands with PyWavelets' swtn (testdata/make_filters_scipy.py), in
// 2D and 3D with anisotropic voxels.
func TestFiltersSciPy(t *testing.T) {
	b, err := os.ReadFile("testdata/filters_scipy.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Tool  string
		Cases []struct {
			Shape   []int
			Spacing []float64
			SigmaMM float64 `json:"sigma_mm"`
			Image   []float64
			Index   []int
			Outputs map[string][]float64
		}
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	t.Logf("reference: %s", fx.Tool)
	for _, c := range fx.Cases {
		v := &imaging.Volume{Nx: c.Shape[0], Ny: c.Shape[1], Nz: 1, Spacing: [3]float64{c.Spacing[0], c.Spacing[1], 1}, Data: c.Image}
		if len(c.Shape) == 3 {
			v.Nz, v.Spacing[2] = c.Shape[2], c.Spacing[2]
		}
		got := map[string]*imaging.Volume{}
		if got["log"], err = LoG(v, c.SigmaMM); err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{"haar", "coif1"} {
			bands, err := WaveletBands(v, w)
			if err != nil {
				t.Fatal(err)
			}
			for k, b := range bands {
				got[w+"_"+k] = b
			}
		}
		for name, want := range c.Outputs {
			g, ok := got[name]
			if !ok {
				t.Errorf("%v: no output %s", c.Shape, name)
				continue
			}
			for k, i := range c.Index {
				if math.Abs(g.Data[i]-want[k]) > 1e-9*math.Max(1, math.Abs(want[k])) {
					t.Errorf("%v %s: voxel %d = %.12g, reference %.12g", c.Shape, name, i, g.Data[i], want[k])
					break
				}
			}
		}
		if len(got) != len(c.Outputs) {
			t.Errorf("%v: %d outputs, reference %d", c.Shape, len(got), len(c.Outputs))
		}
	}
}

func TestFilterErrors(t *testing.T) {
	v := &imaging.Volume{Nx: 4, Ny: 4, Nz: 1, Spacing: [3]float64{1, 1, 1}, Data: make([]float64, 16)}
	if _, err := LoG(v, 0); !errors.Is(err, ErrInput) {
		t.Errorf("sigma 0: %v", err)
	}
	if _, err := WaveletBands(v, "db4"); !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "coif1") {
		t.Errorf("unknown wavelet: %v", err)
	}
	v.Data[3] = math.NaN()
	if _, err := LoG(v, 1); !errors.Is(err, ErrInput) {
		t.Errorf("NaN: %v", err)
	}
	fs := Filtered([]Feature{{Family: "glcm", Name: "contrast"}}, "log_1mm")
	if fs[0].Family != "log_1mm/glcm" {
		t.Errorf("Filtered: %+v", fs[0])
	}
}

// TestFilteredExtraction extracts intensity features from LoG and wavelet response maps
// of a B-mode-like image: every value finite, the response maps differ from the image.
func TestFilteredExtraction(t *testing.T) {
	img, m := speckleImage(64, 64, 40, 40, 0.2, 9)
	s := DefaultSettings()
	s.Families = []string{FamilyStatistics, FamilyGLCM}
	plain, err := Extract(img, m, s)
	if err != nil {
		t.Fatal(err)
	}
	lg, err := LoG(img, 1)
	if err != nil {
		t.Fatal(err)
	}
	fl, err := Extract(lg, m, s)
	if err != nil {
		t.Fatal(err)
	}
	if fl[0].Value == plain[0].Value || len(fl) != len(plain) {
		t.Errorf("LoG response: mean %g, image mean %g", fl[0].Value, plain[0].Value)
	}
	bands, err := WaveletBands(img, "coif1")
	if err != nil {
		t.Fatal(err)
	}
	if len(bands) != 4 {
		t.Fatalf("%d bands for a 2D image", len(bands))
	}
	// The low-pass band of an orthonormal filter has the gain √2 per axis.
	if ll, err := Extract(bands["LL"], m, s); err != nil || math.Abs(ll[0].Value/plain[0].Value-2) > 0.05 {
		t.Errorf("LL band mean / image mean = %g (%v), want about 2", ll[0].Value/plain[0].Value, err)
	}
}
