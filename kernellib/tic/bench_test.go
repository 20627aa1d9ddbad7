package tic

import (
	"math/rand/v2"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// BenchmarkFit fits one curve per model: 261 samples (2 frames/s over 130
// s, the default cohort's cines) with noise of SD 5 % of the peak.
func BenchmarkFit(b *testing.B) {
	for _, m := range Models() {
		p := truths[m.Name()]
		tt, yy := sample(m, p, 0.5, 130, 0.05, rand.New(rand.NewPCG(1, 1)))
		b.Run(m.Name(), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := Fit(m, tt, yy, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkExtract extracts the lesion and liver curves of a simulated
// 261-frame 128×128 8-bit cine held in memory (so that only tic's work is
// timed); the rate is of 8-bit frame data.
func BenchmarkExtract(b *testing.B) {
	s := patient0(b)
	bytes := int64(len(s.img.Cine.Frames) * s.params.Width * s.params.Height)
	lc := LogCompression{DynamicRangeDB: 55}
	for _, c := range []struct {
		name string
		o    ExtractOptions
	}{
		{"display", ExtractOptions{}},
		{"power", ExtractOptions{Scale: Power, Compression: lc}},
		{"power+flash", ExtractOptions{Scale: Power, Compression: lc, RejectFlash: true}},
		{"power+motion", ExtractOptions{Scale: Power, Compression: lc, Motion: &MotionOptions{}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(bytes)
			for i := 0; i < b.N; i++ {
				if _, err := ExtractWith(s.cine(), s.rois, c.o, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

const defaultCohort = "../../datasets/synthetic-tace/cohort.csv"

// BenchmarkExtractDICOM extracts the curves of the default cohort's first
// patient from its DICOM file (reader included); run `make data` first.
func BenchmarkExtractDICOM(b *testing.B) {
	c, err := cohort.ReadFile(defaultCohort, nil)
	if err != nil {
		b.Skipf("default cohort not found (make data): %v", err)
	}
	p := c.Patients[0]
	les, _ := imaging.ReadMask(p.LesionMask)
	liv, _ := imaging.ReadMask(p.LiverMask)
	st, err := os.Stat(p.Cine)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	for i := 0; i < b.N; i++ {
		cn, err := imaging.OpenCine(p.Cine, imaging.CineOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ExtractWith(cn, []ROI{{"lesion", les}, {"liver", liv}}, DefaultOptions().Extract, nil); err != nil {
			b.Fatal(err)
		}
		cn.Close()
	}
}

// BenchmarkCohortFeatures is the TIC feature table of the whole default
// cohort (130 patients, `make data`) with DefaultOptions on GOMAXPROCS
// workers; the target is under 10 s.
func BenchmarkCohortFeatures(b *testing.B) {
	c, err := cohort.ReadFile(defaultCohort, nil)
	if err != nil {
		b.Skipf("default cohort not found (make data): %v", err)
	}
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := CohortFeatures(c, DefaultOptions(), 0, nil); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/cohort")
		b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "workers")
	}
}
