package radiomics

import (
	"errors"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// TestSurfaceStatsMatchesMesh checks that the streaming mesh measures (surfaceStats,
// which keeps no mesh) equal those of the whole mesh to the bit: volume, area, extent
// and the convex hull candidates (pruneExtremes of every vertex), on random masks.
func TestSurfaceStatsMatchesMesh(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range [][3]int{{9, 7, 5}, {12, 1, 6}, {1, 1, 1}, {16, 16, 16}} {
		size := n[0] * n[1] * n[2]
		img := &imaging.Volume{Nx: n[0], Ny: n[1], Nz: n[2], Spacing: [3]float64{0.7, 0.9, 2.2}, Data: make([]float64, size)}
		m := &imaging.Mask{Width: n[0], Height: n[1], Depth: n[2], Data: make([]bool, size)}
		for i := range img.Data {
			img.Data[i] = float64(1 + rng.IntN(9))
			m.Data[i] = size == 1 || rng.IntN(3) > 0
		}
		r, err := Prepare(img, m, DefaultSettings())
		if err != nil {
			t.Fatal(err)
		}
		whole := surfaceMesh(r)
		vol, area := whole.volumeArea()
		st := surfaceStats(r)
		if st.vol != vol || st.area != area {
			t.Errorf("%v: streaming volume, area %v, %v; whole mesh %v, %v", n, st.vol, st.area, vol, area)
		}
		var lo, hi [3]float64
		for k := range 3 {
			lo[k], hi[k] = whole.v[0][k], whole.v[0][k]
			for _, v := range whole.v {
				lo[k], hi[k] = min(lo[k], v[k]), max(hi[k], v[k])
			}
		}
		if st.lo != lo || st.hi != hi {
			t.Errorf("%v: streaming extent %v..%v, whole mesh %v..%v", n, st.lo, st.hi, lo, hi)
		}
		want, got := pruneExtremes(whole.iv), pruneExtremes(st.hullPts)
		if !slices.Equal(want, got) {
			t.Errorf("%v: hull candidates differ: %d from the whole mesh, %d streamed", n, len(want), len(got))
		}
	}
}

// allocated returns the bytes f allocates (runtime.MemStats.TotalAlloc).
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestMaxROIVoxels checks that a region whose bounding box exceeds
// Settings.MaxROIVoxels is refused with ErrROITooLarge, by an error naming the box, the
// limit and how to raise it, before anything of the region's size is allocated; that
// raising the limit lets it through; and that bad limits and distances are ErrInput.
func TestMaxROIVoxels(t *testing.T) {
	img, m := cubeCase(24, true, 3) // 13,824 voxels
	s := DefaultSettings()
	s.MaxROIVoxels = 10000
	var err error
	n := allocated(func() { _, err = Prepare(img, m, s) })
	if !errors.Is(err, ErrROITooLarge) {
		t.Fatalf("24³ box with MaxROIVoxels 10000: err %v, want ErrROITooLarge", err)
	}
	for _, want := range []string{"24×24×24 = 13824 voxels", "MaxROIVoxels = 10000", "-max-roi-voxels", "Moran"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if n > 16<<10 {
		t.Errorf("refusing the region allocated %d bytes, want under 16 KiB (the region takes %d)", n, 14*len(img.Data))
	}
	s.MaxROIVoxels = 24 * 24 * 24
	s.Families = []string{FamilyStatistics}
	if _, err := Extract(img, m, s); err != nil {
		t.Errorf("MaxROIVoxels equal to the box: %v", err)
	}
	// The local intensity features read the box grown by the sphere's radius (6.2 mm),
	// up to 16 × MaxROIVoxels voxels: a one-voxel mask in a 1 mm image reads 13³ = 2197.
	one := &imaging.Mask{Width: 24, Height: 24, Depth: 24, Data: make([]bool, len(m.Data))}
	one.Data[12+24*(12+24*12)] = true
	s = DefaultSettings()
	s.Families = []string{FamilyLocalIntensity}
	s.MaxROIVoxels = 137 // 16 × 137 = 2192
	if _, err := Extract(img, one, s); !errors.Is(err, ErrROITooLarge) || !strings.Contains(err.Error(), "local intensity") {
		t.Errorf("local intensity over 13³ voxels with MaxROIVoxels 137: err %v, want ErrROITooLarge naming the family", err)
	}
	s.MaxROIVoxels = 138 // 16 × 138 = 2208
	if _, err := Extract(img, one, s); err != nil {
		t.Errorf("local intensity over 13³ voxels with MaxROIVoxels 138: %v", err)
	}
	for _, bad := range []func(*Settings){
		func(s *Settings) { s.MaxROIVoxels = -1 },
		func(s *Settings) { s.NGLDMDistance = MaxNeighbourDistance + 1 },
		func(s *Settings) { s.NGTDMDistance = 1000 },
		func(s *Settings) { s.GLCMDistance = 1 << 20 },
	} {
		s := DefaultSettings()
		bad(&s)
		if _, err := Prepare(img, m, s); !errors.Is(err, ErrInput) {
			t.Errorf("settings %+v: err %v, want ErrInput", s, err)
		}
	}
}

// TestMoranFFTMemory checks that Moran's I and Geary's C by Fourier transform take two
// half spectra of the padded box (16 bytes per padded voxel), not four full complex
// arrays (64 bytes) plus a weight array.
func TestMoranFFTMemory(t *testing.T) {
	img, m := cubeCase(40, false, 4)
	r, err := Prepare(img, m, DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	mu := newDist(r.intensities()).mean
	padded := smoothSize(79) * smoothSize(79) * smoothSize(79)
	n := allocated(func() { r.moranSumsFFT(mu) })
	if per := float64(n) / float64(padded); per > 20 {
		t.Errorf("moranSumsFFT on a 40³ box allocated %d bytes, %.1f per padded voxel; want ≤ 20", n, per)
	}
}

// TestMorphologyMemory checks that the morphology family keeps no whole surface mesh:
// on a random half-filled mask (a surface through nearly every cube) it allocates,
// in all, under 800 bytes per voxel of the box, Moran's I and the convex hull included
// (about 460 now; the whole mesh and the full complex spectra took 2,700).
func TestMorphologyMemory(t *testing.T) {
	img, m := cubeCase(32, false, 5)
	r, err := Prepare(img, m, DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	n := allocated(func() {
		if _, err := r.Morphology(); err != nil {
			t.Fatal(err)
		}
	})
	if per := float64(n) / float64(len(img.Data)); per > 800 {
		t.Errorf("Morphology of a random 32³ mask allocated %d bytes, %.0f per voxel; want ≤ 800", n, per)
	}
}
