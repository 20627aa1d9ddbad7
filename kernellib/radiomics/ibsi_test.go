package radiomics

import (
	"encoding/csv"
	"math"
	"os"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// ibsiRow is one row of testdata/ibsi/reference_values.csv: an IBSI consensus value
// for the digital phantom.
type ibsiRow struct {
	family, name, id, agg string // family and name as ours (ibsiFamily, ibsiName)
	text                  string // the feature's name as IBSI prints it
	value, tol            float64
	consensus             string
}

// sigTol is the tolerance of a value given without one ("—": exact to the printed
// precision). IBSI prints three significant digits, dropping trailing zeros, so the
// value is exact to half a unit of its third significant digit; 0 must be 0 (to 1e-12).
func sigTol(v float64) float64 {
	if v == 0 {
		return 1e-12
	}
	return 0.5 * math.Pow(10, math.Floor(math.Log10(math.Abs(v)))-2)
}

func readIBSI(t testing.TB) []ibsiRow {
	t.Helper()
	f, err := os.Open("testdata/ibsi/reference_values.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	var rows []ibsiRow
	for _, r := range recs[1:] {
		fam, ok := ibsiRefFamily[r[0]]
		if !ok {
			t.Fatalf("unknown IBSI family %q", r[0])
		}
		name := ibsiRefName(r[1])
		// The intensity–volume histogram prints two rows for each of V_x and I_x:
		// x = 10% and then 90%.
		if fam == FamilyIVH && (name == "volume_at_intensity_fraction" || name == "intensity_at_volume_fraction") {
			k := fam + name
			name += [2]string{"_10", "_90"}[seen[k]]
			seen[k]++
		}
		v, err := ibsiRefNumber(r[4])
		if err != nil {
			t.Fatalf("%s %s: value %q: %v", r[0], r[1], r[4], err)
		}
		tol := sigTol(v)
		if r[5] != "—" {
			if tol, err = ibsiRefNumber(r[5]); err != nil {
				t.Fatalf("%s %s: tolerance %q: %v", r[0], r[1], r[5], err)
			}
		}
		rows = append(rows, ibsiRow{family: fam, name: name, id: r[2], agg: r[3], text: r[1], value: v, tol: tol, consensus: r[6]})
	}
	return rows
}

// phantomFeatures extracts every feature from the IBSI digital phantom with the
// phantom's settings (IBSI 5.1): no discretisation, no re-segmentation, Chebyshev
// distance 1 for GLCM, NGTDM and NGLDM, α = 0, every aggregation.
func phantomFeatures(t testing.TB) []Feature {
	t.Helper()
	img, err := imaging.ReadNIfTI("testdata/ibsi/phantom.nii.gz")
	if err != nil {
		t.Fatal(err)
	}
	mask, err := imaging.ReadMask("testdata/ibsi/mask.nii.gz")
	if err != nil {
		t.Fatal(err)
	}
	s := DefaultSettings()
	s.Discretisation = Discretisation{Method: Identity}
	s.Dims = Dims3D
	fs, err := Extract(img, mask, s)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// TestIBSIPhantom compares every feature computed on the IBSI digital phantom with
// IBSI's consensus value, within its tolerance, and reports the coverage of the 482
// reference rows.
func TestIBSIPhantom(t *testing.T) {
	rows := readIBSI(t)
	if len(rows) != 482 {
		t.Fatalf("%d reference rows, want 482", len(rows))
	}
	fs := phantomFeatures(t)
	byKey := map[string]Feature{}
	for _, f := range fs {
		k := f.Key()
		if _, dup := byKey[k]; dup {
			t.Errorf("feature %s computed twice", k)
		}
		byKey[k] = f
	}
	computed, matched := 0, 0
	perFamily := map[string][3]int{}
	used := map[string]bool{}
	for _, r := range rows {
		k := Feature{Family: r.family, Name: r.name, Aggregation: r.agg}.Key()
		c := perFamily[r.family]
		c[0]++
		f, ok := byKey[k]
		if !ok {
			t.Logf("not computed: %s (%s %s)", k, r.text, r.id)
			perFamily[r.family] = c
			continue
		}
		used[k] = true
		computed++
		c[1]++
		if r.id != "" && f.IBSIID != r.id {
			t.Errorf("%s: IBSI ID %q, the table says %q", k, f.IBSIID, r.id)
		}
		if d := math.Abs(f.Value - r.value); d <= r.tol*(1+1e-9) {
			matched++
			c[2]++
		} else {
			t.Errorf("%s: %.6g, IBSI %g ± %g (%s consensus)", k, f.Value, r.value, r.tol, r.consensus)
		}
		perFamily[r.family] = c
	}
	for _, fam := range Families() {
		c := perFamily[fam]
		t.Logf("%-22s %3d reference rows, %3d computed, %3d match", fam, c[0], c[1], c[2])
	}
	t.Logf("IBSI digital phantom: %d of %d reference rows computed, %d match within tolerance", computed, len(rows), matched)
	extra := 0
	for _, f := range fs {
		if !used[f.Key()] {
			extra++
		}
	}
	t.Logf("%d further features computed that the phantom table has no value for", extra)
	if matched != computed {
		t.Errorf("%d computed features differ from IBSI", computed-matched)
	}
}
