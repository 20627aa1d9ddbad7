package nb

import (
	"testing"
)

// BenchmarkROIRender: one redraw of the drawing widget on the dual-display fixture
// (two 32×32 halves at zoom 8, two outlines), the work done after every click.
func BenchmarkROIRender(b *testing.B) {
	path, _ := dualManifest(b)
	src, err := openROISource(path, "D1")
	if err != nil {
		b.Fatal(err)
	}
	w := &roiWidget{src: src, st: newROIState(src.w, src.h), zoom: 8, address: "/bench"}
	for _, v := range [][2]float64{{10, 12}, {22, 10}, {24, 24}, {9, 21}} {
		_ = w.st.click(v[0], v[1])
	}
	b.ResetTimer()
	for range b.N {
		if _, err := w.render(true); err != nil {
			b.Fatal(err)
		}
	}
}
