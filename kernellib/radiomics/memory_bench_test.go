package radiomics

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// cubeCase returns an n³ volume of 1 mm voxels with log-compressed speckle intensities
// and a mask: the whole volume (full) or a random half of its voxels (the worst case
// for the surface mesh and the zones).
func cubeCase(n int, full bool, seed uint64) (*imaging.Volume, *imaging.Mask) {
	size := n * n * n
	rng := rand.New(rand.NewPCG(seed, 5))
	img := &imaging.Volume{Nx: n, Ny: n, Nz: n, Spacing: [3]float64{1, 1, 1}, Data: make([]float64, size)}
	m := &imaging.Mask{Width: n, Height: n, Depth: n, Data: make([]bool, size)}
	for i := range img.Data {
		img.Data[i] = math.Round(60 * math.Log1p(rng.ExpFloat64()))
		m.Data[i] = full || rng.IntN(2) == 0
	}
	return img, m
}

// peakHeap runs f and returns the largest heap (bytes of heap objects, live or not yet
// swept, runtime/metrics /memory/classes/heap/objects:bytes) seen while it ran, above
// the heap before it, sampled every 200 µs, and the bytes f allocated in all.
func peakHeap(f func()) (peak, total uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	var hi uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			hi = max(hi, read())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	f()
	hi = max(hi, read())
	close(done)
	wg.Wait()
	runtime.ReadMemStats(&ms1)
	if hi < base {
		return 0, ms1.TotalAlloc - ms0.TotalAlloc
	}
	return hi - base, ms1.TotalAlloc - ms0.TotalAlloc
}

// BenchmarkMemoryExtract3D reports the peak heap of a whole extraction (Prepare and
// every family) per voxel of the region's bounding box, for full and half-filled
// (random) masks of 64³ and 128³ voxels, and checks that a 256³ region is refused by
// the default MaxROIVoxels before anything of its size is allocated. Run with
// go test -run '^$' -bench MemoryExtract3D -benchtime 1x ./kernellib/radiomics/.
func BenchmarkMemoryExtract3D(b *testing.B) {
	for _, c := range []struct {
		name string
		n    int
		full bool
	}{{"64_full", 64, true}, {"64_random", 64, false}, {"128_full", 128, true}, {"128_random", 128, false}, {"256_full_refused", 256, true}} {
		b.Run(c.name, func(b *testing.B) {
			img, m := cubeCase(c.n, c.full, 1)
			s := DefaultSettings()
			var peak, total uint64
			for b.Loop() {
				var err error
				peak, total = peakHeap(func() { _, err = Extract(img, m, s) })
				if c.n <= 128 && err != nil || c.n > 128 && !errors.Is(err, ErrROITooLarge) {
					b.Fatalf("%s: err %v", c.name, err)
				}
			}
			nv := float64(c.n * c.n * c.n)
			b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
			b.ReportMetric(float64(peak)/nv, "peak-B/voxel")
			b.ReportMetric(float64(total)/nv, "alloc-B/voxel")
		})
	}
}

// BenchmarkMemoryFamilies reports the peak heap of each family alone (Prepare
// included) on a random half-filled 64³ mask, per voxel of the box.
func BenchmarkMemoryFamilies(b *testing.B) {
	img, m := cubeCase(64, false, 2)
	for _, fam := range Families() {
		b.Run(fam, func(b *testing.B) {
			s := DefaultSettings()
			s.Families = []string{fam}
			var peak uint64
			for b.Loop() {
				var err error
				peak, _ = peakHeap(func() { _, err = Extract(img, m, s) })
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(peak)/float64(len(img.Data)), "peak-B/voxel")
		})
	}
}
