package cohort

import (
	"fmt"
	"testing"
)

// BenchmarkGroupedRepeatedStratifiedKFold: 10-fold partitions of 100 000
// lesions of 50 000 patients (1–3 lesions each).
func BenchmarkGroupedRepeatedStratifiedKFold(b *testing.B) {
	var y []bool
	var g []string
	for p := 0; len(y) < 100000; p++ {
		for l := 0; l <= p%3 && len(y) < 100000; l++ {
			y = append(y, p%5 < 2)
			g = append(g, fmt.Sprint(p))
		}
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := GroupedRepeatedStratifiedKFold(y, g, 10, 1, uint64(i)); err != nil {
			b.Fatal(err)
		}
	}
}
