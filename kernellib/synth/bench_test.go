package synth

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkSimulatePatient makes one patient of the default cohort: anatomy,
// a 261-frame 128×128 cine, B-mode image and masks (no file writing).
func BenchmarkSimulatePatient(b *testing.B) {
	p := DefaultParams()
	pts, err := Generate(p, 4, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := SimulatePatient(p, &pts[i%len(pts)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWritePatient makes and writes one patient of the default cohort:
// the DICOM cine, the B-mode PNG and the two mask PNGs.
func BenchmarkWritePatient(b *testing.B) {
	p := DefaultParams()
	pts, err := Generate(p, 4, 1)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for _, sub := range []string{"cines", "bmode", "masks"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; b.Loop(); i++ {
		if _, err := writePatient(dir, p, &pts[i%len(pts)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteCohortDefault writes the default cohort, 130 patients with
// DefaultParams and seed 1, on GOMAXPROCS cores: the target is under 60 s
// on 2 cores.
func BenchmarkWriteCohortDefault(b *testing.B) {
	for b.Loop() {
		dir := filepath.Join(b.TempDir(), "cohort")
		if _, err := WriteCohort(dir, PaperN, 1, DefaultParams(), nil); err != nil {
			b.Fatal(err)
		}
	}
}
