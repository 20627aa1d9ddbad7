package radiomics

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// sphereMeansDirect is the definition of IBSI 3.2 written out: for each intensity-mask
// voxel, the mean of the image voxels whose centres are within PeakRadiusMM.
func sphereMeansDirect(r *ROI) []float64 {
	img := r.img
	R2 := PeakRadiusMM * PeakRadiusMM * (1 + 1e-12)
	var out []float64
	for i, in := range r.Int {
		if !in {
			continue
		}
		cx, cy, cz := r.Origin[0]+i%r.Nx, r.Origin[1]+(i/r.Nx)%r.Ny, r.Origin[2]+i/(r.Nx*r.Ny)
		var s float64
		n := 0
		for z := 0; z < img.Nz; z++ {
			for y := 0; y < img.Ny; y++ {
				for x := 0; x < img.Nx; x++ {
					dx, dy, dz := float64(x-cx)*img.Spacing[0], float64(y-cy)*img.Spacing[1], float64(z-cz)*img.Spacing[2]
					if dx*dx+dy*dy+dz*dz <= R2 {
						s += img.Data[x+img.Nx*(y+img.Ny*z)]
						n++
					}
				}
			}
		}
		out = append(out, s/float64(n))
	}
	return out
}

// TestSphereMeans checks the fast sphere means (row prefix sums) against the direct
// sum, in 2D and 3D, with anisotropic voxels and regions touching the image border.
func TestSphereMeans(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, c := range []struct {
		n  [3]int
		sp [3]float64
	}{
		{[3]int{40, 30, 1}, [3]float64{0.5, 0.7, 1}},
		{[3]int{17, 13, 1}, [3]float64{2, 1.5, 1}},
		{[3]int{12, 11, 9}, [3]float64{1.1, 1.3, 2.5}},
		{[3]int{6, 5, 4}, [3]float64{2, 2, 2}},
	} {
		n := c.n[0] * c.n[1] * c.n[2]
		img := &imaging.Volume{Nx: c.n[0], Ny: c.n[1], Nz: c.n[2], Spacing: c.sp, Data: make([]float64, n)}
		m := &imaging.Mask{Width: c.n[0], Height: c.n[1], Depth: c.n[2], Data: make([]bool, n)}
		for i := range img.Data {
			img.Data[i] = float64(rng.IntN(100))
			x := i % c.n[0]
			m.Data[i] = x < c.n[0]/2 || rng.IntN(3) == 0 // touches three borders
		}
		s := DefaultSettings()
		s.Resegment = &Range{Min: 10, Max: math.Inf(1)} // holes in the intensity mask
		r, err := Prepare(img, m, s)
		if err != nil {
			t.Fatal(err)
		}
		_, got, err := r.sphereMeans()
		if err != nil {
			t.Fatal(err)
		}
		want := sphereMeansDirect(r)
		if len(got) != len(want) {
			t.Fatalf("%v: %d means, want %d", c.n, len(got), len(want))
		}
		for i := range got {
			if math.Abs(got[i]-want[i]) > 1e-9 {
				t.Fatalf("%v: mean %d = %.12g, direct %.12g", c.n, i, got[i], want[i])
			}
		}
	}
}

func TestPeakRadius(t *testing.T) {
	if v := 4 * math.Pi / 3 * math.Pow(PeakRadiusMM, 3); math.Abs(v-1000) > 1e-9 {
		t.Errorf("sphere of radius %g mm holds %g mm³, want 1000", PeakRadiusMM, v)
	}
}

// TestMoranGearyFFT checks the Fourier route of Moran's I and Geary's C against the
// direct pair sums on an anisotropic 3D region and a 2D one.
func TestMoranGearyFFT(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range [][3]int{{14, 11, 7}, {30, 23, 1}} {
		size := n[0] * n[1] * n[2]
		img := &imaging.Volume{Nx: n[0], Ny: n[1], Nz: n[2], Spacing: [3]float64{0.7, 0.9, 2.2}, Data: make([]float64, size)}
		m := &imaging.Mask{Width: n[0], Height: n[1], Depth: n[2], Data: make([]bool, size)}
		for i := range img.Data {
			x := i % n[0]
			img.Data[i] = float64(x) + 5*rng.Float64()
			m.Data[i] = rng.IntN(5) > 0
		}
		r, err := Prepare(img, m, DefaultSettings())
		if err != nil {
			t.Fatal(err)
		}
		mu := newDist(r.intensities()).mean
		w0, m0, g0 := r.moranSumsDirect(mu)
		w1, m1, g1 := r.moranSumsFFT(mu)
		for _, c := range [][2]float64{{w0, w1}, {m0, m1}, {g0, g1}} {
			if math.Abs(c[0]-c[1]) > 1e-9*math.Abs(c[0]) {
				t.Errorf("%v: direct %.12g, FFT %.12g", n, c[0], c[1])
			}
		}
	}
}
