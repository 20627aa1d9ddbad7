package radiomics

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

type skimageGLCM struct {
	Tool  string `json:"tool"`
	Cases []struct {
		Name   string               `json:"name"`
		Height int                  `json:"height"`
		Width  int                  `json:"width"`
		Levels int                  `json:"levels"`
		Image  []int                `json:"image"`
		Props  map[string][]float64 `json:"props"`
		Counts [][]int              `json:"counts"`
	} `json:"cases"`
}

// TestGLCMSkimage compares 2D co-occurrence matrices and their properties with
// scikit-image's graycomatrix and graycoprops (testdata/make_glcm_skimage.py) on seeded
// random images: the counts exactly, the properties to 1e-12.
func TestGLCMSkimage(t *testing.T) {
	b, err := os.ReadFile("testdata/glcm_skimage.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx skimageGLCM
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	t.Logf("reference: %s", fx.Tool)
	for _, c := range fx.Cases {
		nx, ny := c.Width, c.Height
		if len(c.Image) != nx*ny {
			t.Fatalf("%s: %d pixels, want %d×%d", c.Name, len(c.Image), nx, ny)
		}
		img := &imaging.Volume{Nx: nx, Ny: ny, Nz: 1, Spacing: [3]float64{1, 1, 1}, Data: make([]float64, nx*ny)}
		mask := &imaging.Mask{Width: nx, Height: ny, Depth: 1, Data: make([]bool, nx*ny)}
		for i, v := range c.Image {
			img.Data[i] = float64(v + 1) // numpy row-major (row = y) is x fastest
			mask.Data[i] = true
		}
		s := DefaultSettings()
		s.Discretisation = Discretisation{Method: Identity}
		r, err := Prepare(img, mask, s)
		if err != nil {
			t.Fatal(err)
		}
		for a, d := range Directions2D {
			m := NewGLCM(r.Ng)
			m.Add(r, 0, d, 1)
			if c.Counts != nil {
				for i := 0; i < c.Levels; i++ {
					for j := 0; j < c.Levels; j++ {
						var got float64
						if i < r.Ng && j < r.Ng {
							got = m.C[i*r.Ng+j]
						}
						if want := float64(c.Counts[a][i*c.Levels+j]); got != want {
							t.Errorf("%s angle %d: C[%d][%d] = %g, scikit-image %g", c.Name, a, i+1, j+1, got, want)
						}
					}
				}
			}
			ctx, ok := newGLCMCtx(m)
			if !ok {
				t.Fatalf("%s angle %d: empty GLCM", c.Name, a)
			}
			got := map[string]float64{
				"contrast":      glcmContrast(ctx),
				"dissimilarity": glcmDissimilarity(ctx),
				"homogeneity":   glcmIDM(ctx),
				"ASM":           glcmASM(ctx),
				"energy":        math.Sqrt(glcmASM(ctx)),
				"correlation":   glcmCorrelation(ctx),
			}
			for p, v := range got {
				want := c.Props[p][a]
				if math.Abs(v-want) > 1e-12*math.Max(1, math.Abs(want)) {
					t.Errorf("%s angle %d: %s = %.15g, scikit-image %.15g", c.Name, a, p, v, want)
				}
			}
		}
		// "2D, averaged" is the mean over the four directions.
		fs, err := r.GLCMFeatures(1, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.Aggregation != Agg2DAveraged || f.Name != "contrast" {
				continue
			}
			var want float64
			for _, v := range c.Props["contrast"] {
				want += v / 4
			}
			if math.Abs(f.Value-want) > 1e-12*want {
				t.Errorf("%s: 2D averaged contrast %.15g, scikit-image mean %.15g", c.Name, f.Value, want)
			}
		}
	}
}
