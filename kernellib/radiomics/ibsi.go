package radiomics

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// maxIBSIReferenceBytes bounds the reference table ReadIBSIReference reads (IBSI's
// phantom table is under 50 KB).
const maxIBSIReferenceBytes = 1 << 20

// IBSIReference is one row of the IBSI digital phantom's reference table
// (IBSI reference manual, chapter 3; testdata/ibsi/reference_values.csv):
// a consensus value with its tolerance.
type IBSIReference struct {
	Family, Name, IBSIID, Aggregation string // as a Feature of this package names them
	Text                              string // the feature's name as IBSI prints it
	Value, Tolerance                  float64
	Consensus                         string // "very strong", "strong", ...
}

// IBSICheck is one reference row compared with the feature computed on the
// phantom: Computed is false when the package has no such feature, Match
// when |Value − Reference.Value| ≤ Reference.Tolerance.
type IBSICheck struct {
	Reference IBSIReference
	Computed  bool
	Value     float64
	Match     bool
}

var ibsiRefFamily = map[string]string{
	"Morphological features":                            FamilyMorphology,
	"Local intensity features":                          FamilyLocalIntensity,
	"Intensity-based statistical features":              FamilyStatistics,
	"Intensity histogram features":                      FamilyHistogram,
	"Intensity-volume histogram features":               FamilyIVH,
	"Grey level co-occurrence based features":           FamilyGLCM,
	"Grey level run length based features":              FamilyGLRLM,
	"Grey level size zone based features":               FamilyGLSZM,
	"Grey level distance zone based features":           FamilyGLDZM,
	"Neighbourhood grey tone difference based features": FamilyNGTDM,
	"Neighbouring grey level dependence based features": FamilyNGLDM,
}

var ibsiRefNonAlnum = regexp.MustCompile(`[^a-z0-9]+`)

// ibsiRefName turns IBSI's printed name into the package's snake_case name.
func ibsiRefName(s string) string {
	s = strings.ReplaceAll(s, "\\ :sup:`th`", "th")
	s = strings.NewReplacer("’", "", "'", "").Replace(s)
	return strings.Trim(ibsiRefNonAlnum.ReplaceAllString(strings.ToLower(s), "_"), "_")
}

// ibsiRefNumber parses a number as IBSI's tables print it: ":math:`-`\ 0.355",
// ":math:`1.2 \times 10^{3}`", "0.0676".
func ibsiRefNumber(s string) (float64, error) {
	s = strings.NewReplacer(":math:", "", "`", "", "\\ ", "", " ", "").Replace(s)
	if i := strings.Index(s, `\times10^{`); i >= 0 {
		s = s[:i] + "e" + strings.TrimSuffix(s[i+len(`\times10^{`):], "}")
	}
	return strconv.ParseFloat(s, 64)
}

// ReadIBSIReference reads the IBSI digital phantom's reference table (CSV
// with the columns family, feature, ibsi_id, aggregation, value, tolerance,
// consensus; values as IBSI prints them). A value given without tolerance
// ("—") is exact to its printed precision: IBSI prints three significant
// digits, so the tolerance is half a unit of the third (0.5·10^(⌊log10|v|⌋−2);
// 10⁻¹² for 0). The intensity–volume histogram's two rows for each of V_x and
// I_x (x = 10 % and 90 %) become the features *_10 and *_90.
//
// The file must be a regular file (a FIFO or device is refused without blocking) of
// at most 1 MiB.
func ReadIBSIReference(path string) ([]IBSIReference, error) {
	f, err := safeio.OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return nil, err
	} else if st.Size() > maxIBSIReferenceBytes {
		return nil, fmt.Errorf("%w: %s is %d bytes, more than the %d an IBSI reference table can take", ErrInput, path, st.Size(), maxIBSIReferenceBytes)
	}
	recs, err := csv.NewReader(io.LimitReader(f, maxIBSIReferenceBytes)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("radiomics: %s: %w", path, err)
	}
	want := []string{"family", "feature", "ibsi_id", "aggregation", "value", "tolerance", "consensus"}
	if len(recs) == 0 || strings.Join(recs[0], ",") != strings.Join(want, ",") {
		return nil, fmt.Errorf("%w: %s: header must be %s", ErrInput, path, strings.Join(want, ","))
	}
	seen := map[string]int{}
	var out []IBSIReference
	for i, r := range recs[1:] {
		line := i + 2
		fam, ok := ibsiRefFamily[r[0]]
		if !ok {
			return nil, fmt.Errorf("%w: %s line %d: unknown family %q", ErrInput, path, line, r[0])
		}
		name := ibsiRefName(r[1])
		if fam == FamilyIVH && (name == "volume_at_intensity_fraction" || name == "intensity_at_volume_fraction") {
			k := fam + name
			if seen[k] > 1 {
				return nil, fmt.Errorf("%w: %s line %d: a third row of %s", ErrInput, path, line, r[1])
			}
			name += [2]string{"_10", "_90"}[seen[k]]
			seen[k]++
		}
		v, err := ibsiRefNumber(r[4])
		if err != nil {
			return nil, fmt.Errorf("%w: %s line %d: value %q: %v", ErrInput, path, line, r[4], err)
		}
		tol := 1e-12
		if v != 0 {
			tol = 0.5 * math.Pow(10, math.Floor(math.Log10(math.Abs(v)))-2)
		}
		if r[5] != "—" {
			if tol, err = ibsiRefNumber(r[5]); err != nil {
				return nil, fmt.Errorf("%w: %s line %d: tolerance %q: %v", ErrInput, path, line, r[5], err)
			}
		}
		out = append(out, IBSIReference{Family: fam, Name: name, IBSIID: r[2], Aggregation: r[3], Text: r[1], Value: v, Tolerance: tol, Consensus: r[6]})
	}
	return out, nil
}

// CheckIBSIPhantom computes every feature on the IBSI digital phantom found in dir
// (phantom.nii.gz, mask.nii.gz and reference_values.csv, as in
// testdata/ibsi) with the phantom's settings (IBSI 5.1: no discretisation,
// no re-segmentation, Chebyshev distance 1 for GLCM, NGTDM and NGLDM, α = 0,
// every aggregation) and compares each reference row with it.
func CheckIBSIPhantom(dir string) ([]IBSICheck, error) {
	refs, err := ReadIBSIReference(filepath.Join(dir, "reference_values.csv"))
	if err != nil {
		return nil, err
	}
	img, err := imaging.ReadNIfTI(filepath.Join(dir, "phantom.nii.gz"))
	if err != nil {
		return nil, err
	}
	mask, err := imaging.ReadMask(filepath.Join(dir, "mask.nii.gz"))
	if err != nil {
		return nil, err
	}
	s := DefaultSettings()
	s.Discretisation = Discretisation{Method: Identity}
	s.Dims = Dims3D
	fs, err := Extract(img, mask, s)
	if err != nil {
		return nil, fmt.Errorf("radiomics: IBSI phantom in %s: %w", dir, err)
	}
	by := make(map[string]float64, len(fs))
	for _, f := range fs {
		by[f.Key()] = f.Value
	}
	out := make([]IBSICheck, len(refs))
	for i, r := range refs {
		out[i].Reference = r
		v, ok := by[Feature{Family: r.Family, Name: r.Name, Aggregation: r.Aggregation}.Key()]
		if ok {
			out[i].Computed, out[i].Value = true, v
			out[i].Match = math.Abs(v-r.Value) <= r.Tolerance*(1+1e-9)
		}
	}
	return out, nil
}

// IBSISummary tabulates a phantom check by family, in IBSI's order, with a
// last row "all": reference rows, computed, matching, and the largest
// |computed − reference| / tolerance of the family (≤ 1 when all match).
func IBSISummary(checks []IBSICheck) dataframe.DataFrame {
	type acc struct {
		rows, computed, match int
		worst                 float64
	}
	by := map[string]*acc{}
	all := &acc{}
	for _, c := range checks {
		a := by[c.Reference.Family]
		if a == nil {
			a = &acc{}
			by[c.Reference.Family] = a
		}
		for _, x := range []*acc{a, all} {
			x.rows++
			if c.Computed {
				x.computed++
				x.worst = math.Max(x.worst, math.Abs(c.Value-c.Reference.Value)/c.Reference.Tolerance)
			}
			if c.Match {
				x.match++
			}
		}
	}
	var fam []string
	var rows, comp, match []int
	var worst []float64
	add := func(name string, a *acc) {
		fam = append(fam, name)
		rows, comp, match, worst = append(rows, a.rows), append(comp, a.computed), append(match, a.match), append(worst, a.worst)
	}
	for _, f := range Families() {
		if a := by[f]; a != nil {
			add(f, a)
		}
	}
	add("all", all)
	return dataframe.New(series.New(fam, series.String, "family"), series.New(rows, series.Int, "reference rows"),
		series.New(comp, series.Int, "computed"), series.New(match, series.Int, "match"),
		series.New(worst, series.Float, "max |Δ| / tolerance"))
}
