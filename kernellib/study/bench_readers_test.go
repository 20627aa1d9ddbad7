package study

import (
	"testing"

	"github.com/go-gota/gota/dataframe"
)

// BenchmarkInterReaderAgreement is the agreement of R-TIC-sized tables (8
// features, 90 patients) over all the patients: the cost of each re-drawn
// split's inter-reader filter.
func BenchmarkInterReaderAgreement(b *testing.B) {
	c, feats := ticToy(b, 90)
	ids := make([]string, len(c.Patients))
	for i, p := range c.Patients {
		ids[i] = p.ID
	}
	ir, err := NewInterReader(ids, []string{RTICName}, map[string][2]dataframe.DataFrame{RTICName: {feats, secondReaderTable(c, feats)}}, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := ir.Agreement(RTICName, nil); err != nil {
			b.Fatal(err)
		}
	}
}
