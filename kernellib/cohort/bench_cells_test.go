package cohort

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkSetCells: filling one patient's mask cells in a manifest of 10 000 rows
// (scan, edit, and the read-back check against encoding/csv).
func BenchmarkSetCells(b *testing.B) {
	var m strings.Builder
	m.WriteString("patient_id,response,split,cine,bmode,lesion_mask,liver_mask,frame_rate,age\n")
	for i := range 10000 {
		fmt.Fprintf(&m, "P%05d,OR,train,cines/P%05d.dcm,bmode/P%05d.png,,,2,\"6%d,5\"\n", i, i, i, i%10)
	}
	data := []byte(m.String())
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		if _, err := setCells(data, "P05000", map[string]string{ColLesionMask: "masks/P05000_lesion.png", ColLiverMask: "masks/P05000_liver.png"}); err != nil {
			b.Fatal(err)
		}
	}
}
