package cohort

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"os"
	"strconv"
	"testing"
	"time"
)

// jnum is a JSON number that may also be written as the string "NaN".
type jnum float64

func (n *jnum) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = jnum(math.NaN())
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		s, err := strconv.Unquote(string(b))
		if err != nil {
			return err
		}
		v, err := strconv.ParseFloat(s, 64)
		*n = jnum(v)
		return err
	}
	v, err := strconv.ParseFloat(string(b), 64)
	*n = jnum(v)
	return err
}

type refTwoSample struct {
	Name     string    `json:"name"`
	A        []float64 `json:"a"`
	B        []float64 `json:"b"`
	WelchT   jnum      `json:"welch_t"`
	WelchDF  *jnum     `json:"welch_df"`
	WelchP   jnum      `json:"welch_p"`
	MWUU     jnum      `json:"mwu_u"`
	MWUP     jnum      `json:"mwu_p"`
	ShapiroW map[string]jnum
	ShapiroP map[string]jnum
}

func (r *refTwoSample) UnmarshalJSON(b []byte) error {
	type plain refTwoSample
	if err := json.Unmarshal(b, (*plain)(r)); err != nil {
		return err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	r.ShapiroW, r.ShapiroP = map[string]jnum{}, map[string]jnum{}
	for _, k := range []string{"a", "b"} {
		var w, p jnum
		if raw, ok := m["shapiro_w_"+k]; ok {
			if err := json.Unmarshal(raw, &w); err != nil {
				return err
			}
			r.ShapiroW[k] = w
		}
		if raw, ok := m["shapiro_p_"+k]; ok {
			if err := json.Unmarshal(raw, &p); err != nil {
				return err
			}
			r.ShapiroP[k] = p
		}
	}
	return nil
}

type refTable struct {
	Name     string      `json:"name"`
	Table    [][]int     `json:"table"`
	Chi2     jnum        `json:"chi2"`
	Chi2P    jnum        `json:"chi2_p"`
	Chi2DF   jnum        `json:"chi2_df"`
	Expected [][]float64 `json:"expected"`
	FisherP  *jnum       `json:"fisher_p"`
}

type refRow struct {
	Variable string    `json:"variable"`
	Level    string    `json:"level"`
	Cells    [2]string `json:"cells"`
	P        *jnum     `json:"p"`
	Test     string    `json:"test"`
}

type refTable1 struct {
	Group  string    `json:"group"`
	Levels [2]string `json:"levels"`
	N      [2]int    `json:"n"`
	Rows   []refRow  `json:"rows"`
}

type reference struct {
	Meta      map[string]string `json:"meta"`
	TwoSample []refTwoSample    `json:"two_sample"`
	Tables    []refTable        `json:"tables"`
	Quantiles []struct {
		X []float64 `json:"x"`
		P []float64 `json:"p"`
		Q []float64 `json:"q"`
	} `json:"quantiles"`
	Table1 map[string]refTable1 `json:"table1"`
}

func loadReference(t testing.TB, name string) reference {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var r reference
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(r.TwoSample) == 0 || len(r.Tables) == 0 || len(r.Table1) != 2 {
		t.Fatalf("%s: incomplete reference", name)
	}
	return r
}

// closeRel reports whether got and want agree to tol relative to the larger
// magnitude (both NaN agree).
func closeRel(got, want, tol float64) bool {
	if math.IsNaN(got) || math.IsNaN(want) {
		return math.IsNaN(got) && math.IsNaN(want)
	}
	if got == want {
		return true
	}
	return math.Abs(got-want) <= tol*math.Max(math.Abs(got), math.Abs(want))
}

func checkRel(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if !closeRel(got, want, tol) {
		t.Errorf("%s = %.17g, want %.17g (relative tolerance %g)", what, got, want, tol)
	}
}

const refTol = 1e-9

func TestTwoSampleAgainstReferences(t *testing.T) {
	for _, file := range []string{"table1_reference.json", "table1_reference_r.json"} {
		ref := loadReference(t, file)
		py := loadReference(t, "table1_reference.json") // inputs live here
		tool := ref.Meta["tool"]
		for i, d := range ref.TwoSample {
			in := py.TwoSample[i]
			if in.Name != d.Name {
				t.Fatalf("%s: dataset %d is %q, want %q", file, i, d.Name, in.Name)
			}
			name := tool + "/" + d.Name
			w, err := WelchT(in.A, in.B)
			if err != nil {
				t.Errorf("%s: WelchT: %v", name, err)
			}
			checkRel(t, name+": Welch t", w.Statistic, float64(d.WelchT), refTol)
			checkRel(t, name+": Welch p", w.P, float64(d.WelchP), refTol)
			if d.WelchDF != nil {
				checkRel(t, name+": Welch df", w.DF, float64(*d.WelchDF), refTol)
			}
			m, err := MannWhitneyU(in.A, in.B)
			if err != nil {
				t.Errorf("%s: MannWhitneyU: %v", name, err)
			}
			checkRel(t, name+": Mann–Whitney U", m.Statistic, float64(d.MWUU), refTol)
			checkRel(t, name+": Mann–Whitney p", m.P, float64(d.MWUP), refTol)
			// SciPy's swilk runs in single precision (W to about 1e-7, and
			// the p-value, a steep function of W, to about 1e-4); R's runs
			// in double precision and is held to refTol.
			swTolW, swTolP := refTol, refTol
			if tool == "python" {
				swTolW, swTolP = 1e-6, 1e-3
			}
			for k, x := range map[string][]float64{"a": in.A, "b": in.B} {
				wantW, ok := d.ShapiroW[k]
				if !ok {
					continue
				}
				s, err := ShapiroWilk(x)
				if err != nil {
					t.Errorf("%s: ShapiroWilk(%s): %v", name, k, err)
					continue
				}
				checkRel(t, name+": Shapiro–Wilk W of "+k, s.Statistic, float64(wantW), swTolW)
				checkRel(t, name+": Shapiro–Wilk p of "+k, s.P, float64(d.ShapiroP[k]), swTolP)
			}
		}
	}
}

func TestTablesAgainstReferences(t *testing.T) {
	py := loadReference(t, "table1_reference.json")
	r := loadReference(t, "table1_reference_r.json")
	for i, d := range py.Tables {
		c, err := ChiSquare(d.Table, true)
		if err != nil {
			t.Errorf("%s: ChiSquare: %v", d.Name, err)
			continue
		}
		checkRel(t, d.Name+": χ² (scipy)", c.Statistic, float64(d.Chi2), refTol)
		checkRel(t, d.Name+": χ² p (scipy)", c.P, float64(d.Chi2P), refTol)
		checkRel(t, d.Name+": χ² df (scipy)", c.DF, float64(d.Chi2DF), 0)
		e, err := Expected(d.Table)
		if err != nil {
			t.Fatal(err)
		}
		for a := range e {
			for b := range e[a] {
				checkRel(t, fmt.Sprintf("%s: expected[%d][%d]", d.Name, a, b), e[a][b], d.Expected[a][b], 1e-12)
			}
		}
		f, err := FisherExact(d.Table)
		if err != nil {
			t.Errorf("%s: FisherExact: %v", d.Name, err)
			continue
		}
		if d.FisherP != nil {
			checkRel(t, d.Name+": Fisher p (scipy)", f.P, float64(*d.FisherP), refTol)
		}
		rd := r.Tables[i]
		if rd.Name != d.Name {
			t.Fatalf("R table %d is %q, want %q", i, rd.Name, d.Name)
		}
		checkRel(t, d.Name+": χ² (R)", c.Statistic, float64(rd.Chi2), refTol)
		checkRel(t, d.Name+": χ² p (R)", c.P, float64(rd.Chi2P), refTol)
		checkRel(t, d.Name+": Fisher p (R)", f.P, float64(*rd.FisherP), refTol)
		// The transposed table is the same test.
		tr := make([][]int, len(d.Table[0]))
		for a := range tr {
			tr[a] = make([]int, len(d.Table))
			for b := range d.Table {
				tr[a][b] = d.Table[b][a]
			}
		}
		ft, err := FisherExact(tr)
		if err != nil {
			t.Errorf("%s: FisherExact(transposed): %v", d.Name, err)
		} else {
			checkRel(t, d.Name+": Fisher p (transposed)", ft.P, f.P, 1e-12)
		}
	}
}

func TestQuantileAgainstNumpy(t *testing.T) {
	py := loadReference(t, "table1_reference.json")
	for _, d := range py.Quantiles {
		for j, p := range d.P {
			checkRel(t, fmt.Sprintf("Quantile(%v, %g)", d.X, p), Quantile(d.X, p), d.Q[j], 1e-12)
		}
	}
}

// fakeInfo is what fakeStat reports: a file, or a folder.
type fakeInfo struct {
	name string
	dir  bool
}

func (f fakeInfo) Name() string { return f.name }
func (f fakeInfo) Size() int64  { return 1 }
func (f fakeInfo) Mode() fs.FileMode {
	if f.dir {
		return fs.ModeDir | 0o755
	}
	return 0o644
}
func (f fakeInfo) ModTime() time.Time { return time.Time{} }
func (f fakeInfo) IsDir() bool        { return f.dir }
func (f fakeInfo) Sys() any           { return nil }

// everyFileExists is a Stat that finds a file at every path.
func everyFileExists(path string) (fs.FileInfo, error) { return fakeInfo{name: path}, nil }

func TestTable1AgainstReferences(t *testing.T) {
	c, err := ReadFile("testdata/table1_cohort.csv", &Options{Stat: everyFileExists})
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string]*Table{}
	if tables["by_split"], err = c.TableBySplit(nil); err != nil {
		t.Fatal(err)
	}
	if tables["by_response"], err = c.TableByResponse(nil); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"table1_reference.json", "table1_reference_r.json"} {
		ref := loadReference(t, file)
		for key, want := range ref.Table1 {
			got := tables[key]
			name := ref.Meta["tool"] + "/" + key
			if got.Group != want.Group || got.Levels != want.Levels || got.N != want.N {
				t.Errorf("%s: groups %s %v %v, want %s %v %v", name, got.Group, got.Levels, got.N, want.Group, want.Levels, want.N)
			}
			if len(got.Rows) != len(want.Rows) {
				t.Errorf("%s: %d rows, want %d", name, len(got.Rows), len(want.Rows))
				continue
			}
			for i, w := range want.Rows {
				g := got.Rows[i]
				if g.Variable != w.Variable || g.Level != w.Level || g.Cells != w.Cells || g.Test != w.Test {
					t.Errorf("%s row %d: %q %q %q %q, want %q %q %q %q", name, i, g.Variable, g.Level, g.Cells, g.Test, w.Variable, w.Level, w.Cells, w.Test)
				}
				switch {
				case w.P != nil && !math.IsNaN(float64(*w.P)):
					checkRel(t, fmt.Sprintf("%s row %d (%s) p", name, i, w.Variable), g.P, float64(*w.P), refTol)
				case w.Test == "" && !math.IsNaN(g.P):
					t.Errorf("%s row %d (%s): p = %g on a row without a test", name, i, w.Variable, g.P)
				case w.Test != "" && math.IsNaN(g.P):
					t.Errorf("%s row %d (%s): no p-value", name, i, w.Variable)
				}
			}
		}
	}
}
