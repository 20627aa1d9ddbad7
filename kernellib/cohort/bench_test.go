package cohort

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// manifestText returns a manifest of n rows naming three files, with the
// clinical columns of the paper's Table 1.
func manifestText(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 1))
	var b bytes.Buffer
	b.WriteString("patient_id,response,split,cine,bmode,lesion_mask,frame_rate,age,sex,afp,tumor_size_cm,tumor_number,child_pugh,bclc\n")
	for i := range n {
		resp, split := "NR", "train"
		if rng.Float64() < 0.4 {
			resp = "OR"
		}
		if rng.Float64() < 41.0/130 {
			split = "validation"
		}
		sex := "M"
		if rng.Float64() < 0.15 {
			sex = "F"
		}
		fmt.Fprintf(&b, "P%05d,%s,%s,cine.dcm,bmode.png,mask.png,,%.0f,%s,%.1f,%.1f,%d,%c,%c\n",
			i, resp, split, 58+10*rng.NormFloat64(), sex, math.Exp(4.5+2*rng.NormFloat64()),
			1+6*rng.Float64(), 1+rng.IntN(4), "AB"[rng.IntN(2)], "ABC"[rng.IntN(3)])
	}
	return b.Bytes()
}

func BenchmarkReadManifest10k(b *testing.B) { benchReadManifest(b, 10_000) }

// BenchmarkReadManifest reads a manifest of 10⁵ rows whose three files
// exist (os.Stat on each) and reports the time per row.
func BenchmarkReadManifest(b *testing.B) { benchReadManifest(b, 100_000) }

func benchReadManifest(b *testing.B, n int) {
	dir := b.TempDir()
	writeFiles(b, dir, "cine.dcm", "bmode.png", "mask.png")
	text := manifestText(n)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		c, err := Read(bytes.NewReader(text), "cohort.csv", dir, nil)
		if err != nil || len(c.Patients) != n {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/row")
}

func benchTable(b *testing.B, n int) {
	c, err := Read(bytes.NewReader(manifestText(n)), "cohort.csv", "/d", &Options{Stat: everyFileExists})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.TableBySplit(nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTable1BySplit130(b *testing.B) { benchTable(b, 130) }
func BenchmarkTable1BySplit10k(b *testing.B) { benchTable(b, 10_000) }

// BenchmarkTable1Fixture is Table 1 of the committed test cohort (130
// patients, both Welch and Mann–Whitney, χ², Fisher and Fisher–Freeman–Halton).
func BenchmarkTable1Fixture(b *testing.B) {
	c, err := ReadFile("testdata/table1_cohort.csv", &Options{Stat: everyFileExists})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := c.TableByResponse(nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFisherExact4x2(b *testing.B) {
	tab := [][]int{{50, 20}, {25, 12}, {10, 6}, {4, 3}}
	for b.Loop() {
		if _, err := FisherExact(tab); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkShapiroWilk130(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 2))
	x := make([]float64, 130)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	for b.Loop() {
		if _, err := ShapiroWilk(x); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResplits1000(b *testing.B) {
	y := labels(130, 52)
	for b.Loop() {
		if _, err := Resplits(y, 89, 1000, 1); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRepeatedStratifiedKFold(b *testing.B) {
	y := labels(130, 52)
	for b.Loop() {
		if _, err := RepeatedStratifiedKFold(y, 5, 100, 1); err != nil {
			b.Fatal(err)
		}
	}
}
