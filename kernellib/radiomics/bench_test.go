package radiomics

import (
	"math"
	"math/rand/v2"
	"syscall"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// speckleImage returns a w×h 8-bit B-mode-like image (fully developed speckle:
// exponential intensities, smoothed over 2×2 pixels, log-compressed) with a w0×h0 square
// region of interest in its middle, pixel size px mm.
func speckleImage(w, h, w0, h0 int, px float64, seed uint64) (*imaging.Volume, *imaging.Mask) {
	rng := rand.New(rand.NewPCG(seed, 3))
	raw := make([]float64, w*h)
	for i := range raw {
		raw[i] = rng.ExpFloat64()
	}
	img := &imaging.Volume{Nx: w, Ny: h, Nz: 1, Spacing: [3]float64{px, px, 1}, Data: make([]float64, w*h)}
	m := &imaging.Mask{Width: w, Height: h, Depth: 1, Data: make([]bool, w*h)}
	x0, y0 := (w-w0)/2, (h-h0)/2
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s := raw[y*w+x] + raw[y*w+min(x+1, w-1)] + raw[min(y+1, h-1)*w+x] + raw[min(y+1, h-1)*w+min(x+1, w-1)]
			img.Data[y*w+x] = math.Min(255, math.Round(60*math.Log1p(s)))
			m.Data[y*w+x] = x >= x0 && x < x0+w0 && y >= y0 && y < y0+h0
		}
	}
	return img, m
}

// BenchmarkExtract2D is the full 2D feature set (every family, the 2D aggregations)
// of a 256×256 region of a B-mode-like image, 0.2 mm pixels, 32 grey levels (FBN).
// Target: under 20 ms on one core (go test -bench Extract2D -cpu 1).
func BenchmarkExtract2D(b *testing.B) {
	img, m := speckleImage(320, 320, 256, 256, 0.2, 1)
	s := DefaultSettings()
	if _, err := Extract(img, m, s); err != nil {
		b.Fatal(err)
	}
	cpu0 := cpuTime()
	n := 0
	for b.Loop() {
		if _, err := Extract(img, m, s); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(n), "cpu-ms/op")
}

// cpuTime returns the user + system CPU time of the process in ns (getrusage(2)): on a
// shared machine the CPU time per operation, reported beside the wall time, is the
// figure that does not depend on the other processes (with -cpu 1 the process runs
// one goroutine at a time, garbage collection included).
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkFamilies2D times each family alone on the region of BenchmarkExtract2D.
func BenchmarkFamilies2D(b *testing.B) {
	img, m := speckleImage(320, 320, 256, 256, 0.2, 1)
	for _, fam := range Families() {
		b.Run(fam, func(b *testing.B) {
			s := DefaultSettings()
			s.Families = []string{fam}
			cpu0 := cpuTime()
			n := 0
			for b.Loop() {
				if _, err := Extract(img, m, s); err != nil {
					b.Fatal(err)
				}
				n++
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(n), "cpu-ms/op")
		})
	}
}

// BenchmarkGLCM2D is the 2D GLCM of BenchmarkGLCMSkimage's task: the four
// co-occurrence matrices (distance 1, symmetric) of a 256×256 image with 32 grey levels
// and the properties scikit-image's graycoprops computes (contrast, dissimilarity,
// homogeneity, ASM, energy, correlation) for each; testdata/bench_glcm_skimage.sh runs
// both and prints the ratio.
func BenchmarkGLCM2D(b *testing.B) {
	img, m := speckleImage(256, 256, 256, 256, 1, 2)
	s := DefaultSettings()
	r, err := Prepare(img, m, s)
	if err != nil {
		b.Fatal(err)
	}
	g := NewGLCM(r.Ng)
	var sink float64
	for b.Loop() {
		for _, d := range Directions2D {
			g.reset()
			g.Add(r, 0, d, 1)
			c, _ := newGLCMCtx(g)
			sink += glcmContrast(c) + glcmDissimilarity(c) + glcmIDM(c) + glcmASM(c) + math.Sqrt(glcmASM(c)) + glcmCorrelation(c)
		}
	}
	_ = sink
}

// BenchmarkExtract3D is every feature and aggregation of a 3D lesion: a sphere of
// radius 20 mm (about 16,000 voxels of 0.8 × 0.8 × 1.5 mm) in a 60 × 60 × 36 volume,
// 32 grey levels.
func BenchmarkExtract3D(b *testing.B) {
	n := [3]int{60, 60, 36}
	size := n[0] * n[1] * n[2]
	rng := rand.New(rand.NewPCG(4, 4))
	img := &imaging.Volume{Nx: n[0], Ny: n[1], Nz: n[2], Spacing: [3]float64{0.8, 0.8, 1.5}, Data: make([]float64, size)}
	m := &imaging.Mask{Width: n[0], Height: n[1], Depth: n[2], Data: make([]bool, size)}
	for i := range img.Data {
		x := float64(i%n[0]-n[0]/2) * 0.8
		y := float64((i/n[0])%n[1]-n[1]/2) * 0.8
		z := float64(i/(n[0]*n[1])-n[2]/2) * 1.5
		img.Data[i] = math.Round(60 * math.Log1p(rng.ExpFloat64()))
		m.Data[i] = x*x+y*y+z*z < 20*20
	}
	s := DefaultSettings()
	for b.Loop() {
		if _, err := Extract(img, m, s); err != nil {
			b.Fatal(err)
		}
	}
}
