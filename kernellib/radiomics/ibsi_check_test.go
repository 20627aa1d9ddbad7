package radiomics

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckIBSIPhantom checks the exported phantom check against the
// reference table as the IBSI test reads it (readIBSI), and that every one
// of the 482 consensus values is computed and matched.
func TestCheckIBSIPhantom(t *testing.T) {
	checks, err := CheckIBSIPhantom("testdata/ibsi")
	if err != nil {
		t.Fatal(err)
	}
	rows := readIBSI(t)
	if len(checks) != len(rows) || len(rows) != 482 {
		t.Fatalf("%d checks, %d reference rows, want 482", len(checks), len(rows))
	}
	for i, c := range checks {
		r, ref := rows[i], c.Reference
		if ref.Family != r.family || ref.Name != r.name || ref.IBSIID != r.id || ref.Aggregation != r.agg || ref.Value != r.value || ref.Tolerance != r.tol {
			t.Errorf("row %d: %+v, the IBSI test reads %+v", i, ref, r)
		}
		if !c.Computed || !c.Match {
			t.Errorf("%s %s [%s]: computed %v, %v vs %v ± %v", ref.Family, ref.Name, ref.Aggregation, c.Computed, c.Value, ref.Value, ref.Tolerance)
		}
	}
	df := IBSISummary(checks)
	last := df.Nrow() - 1
	if df.Nrow() != len(Families())+1 || df.Col("family").Records()[last] != "all" {
		t.Fatalf("summary:\n%v", df)
	}
	if n := df.Col("reference rows").Records()[last]; n != "482" {
		t.Errorf("all: %s reference rows", n)
	}
	if m := df.Col("match").Records()[last]; m != "482" {
		t.Errorf("all: %s match", m)
	}
	if w := df.Col("max |Δ| / tolerance").Float()[last]; !(w <= 1+1e-9) {
		t.Errorf("worst |Δ|/tolerance %v", w)
	}

	// A wrong reference value is reported as a mismatch.
	dir := t.TempDir()
	for _, f := range []string{"phantom.nii.gz", "mask.nii.gz"} {
		b, err := os.ReadFile(filepath.Join("testdata/ibsi", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	csv, err := os.ReadFile("testdata/ibsi/reference_values.csv")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(csv), "Volume (mesh),RNU0,,556,4", "Volume (mesh),RNU0,,566,4", 1)
	if err := os.WriteFile(filepath.Join(dir, "reference_values.csv"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	checks, err = CheckIBSIPhantom(dir)
	if err != nil {
		t.Fatal(err)
	}
	if checks[0].Match || !checks[0].Computed {
		t.Errorf("volume against a wrong reference: %+v", checks[0])
	}
	if err := os.WriteFile(filepath.Join(dir, "reference_values.csv"), []byte("a,b\n1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := CheckIBSIPhantom(dir); err == nil || !strings.Contains(err.Error(), "header") {
		t.Errorf("bad header: %v", err)
	}
}

// ExampleCheckIBSIPhantom summarises the IBSI digital phantom check.
func ExampleCheckIBSIPhantom() {
	checks, err := CheckIBSIPhantom("testdata/ibsi")
	if err != nil {
		fmt.Println(err)
		return
	}
	match := 0
	for _, c := range checks {
		if c.Match {
			match++
		}
	}
	fmt.Printf("%d of %d IBSI consensus values matched\n", match, len(checks))
	// Output:
	// 482 of 482 IBSI consensus values matched
}
