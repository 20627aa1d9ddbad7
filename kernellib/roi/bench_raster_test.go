package roi

import (
	"math"
	"testing"
)

// BenchmarkRasterize: a 32-vertex star over a 640×480 frame, a lesion ROI of a
// large ultrasound image (about 180 px across).
func BenchmarkRasterize(b *testing.B) {
	p := make(Polygon, 32)
	for i := range p {
		a := 2 * math.Pi * float64(i) / float64(len(p))
		r := 90.0
		if i%2 == 1 {
			r = 60
		}
		p[i] = Point{320 + r*math.Cos(a), 240 + r*math.Sin(a)}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Rasterize(p, 640, 480); err != nil {
			b.Fatal(err)
		}
	}
}
