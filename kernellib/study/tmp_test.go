package study

import (
	"fmt"
	"os"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
)

func TestTmpDump(t *testing.T) {
	c, err := cohort.ReadFile("../../datasets/synthetic-tace/cohort.csv", nil)
	if err != nil {
		t.Skip(err)
	}
	feats, _ := RTICFeatures(c, nil)
	r, err := RTIC(c, feats, RTICOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Create("/tmp/rtic_valid.csv")
	fmt.Fprintln(f, "truth,p")
	for i := range r.ValidProb {
		v := 0
		if r.ValidTruth[i] {
			v = 1
		}
		fmt.Fprintf(f, "%d,%.17g\n", v, r.ValidProb[i])
	}
	f.Close()
	t.Logf("%.6f %.6f %.6f", r.AUC, r.CI[0], r.CI[1])
}
