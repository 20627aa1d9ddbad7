package cohort

import (
	"bytes"
	"encoding/csv"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

func smallFrame() dataframe.DataFrame {
	return dataframe.New(
		series.New([]string{"a", "a", "a", "a", "b", "b", "b", "b"}, series.String, "g"),
		series.New([]float64{1, 2, 3, 4, 5, 6, 7, math.NaN()}, series.Float, "x"),
		series.New([]string{"lo", "hi", "lo", "NaN", "hi", "hi", "lo", "mid"}, series.String, "c"),
		series.New([]int{1, 2, 1, 2, 1, 2, 1, 1}, series.Int, "k"),
	)
}

func TestTable1Options(t *testing.T) {
	df := smallFrame()
	tab, err := Table1(df, "g", "a", "b", &TableOptions{
		Kinds:  map[string]Kind{"x": Normal},
		Levels: map[string][]string{"c": {"mid", "lo", "none"}},
		Digits: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	if tab.N != [2]int{4, 4} || tab.Rows[0].Cells != [2]string{"4", "4"} {
		t.Errorf("group sizes %v, first row %v", tab.N, tab.Rows[0])
	}
	var levels []string
	for _, r := range tab.Rows {
		levels = append(levels, r.Variable+":"+r.Level)
	}
	want := []string{"n:", "x:mean ± SD", "x:missing, n", "c:n (%)", "c:mid", "c:lo", "c:none", "c:hi", "c:missing, n", "k:n (%)", "k:1", "k:2"}
	if !slices.Equal(levels, want) {
		t.Errorf("rows %q\nwant %q", levels, want)
	}
	x := tab.Rows[1]
	if x.Cells != [2]string{"2.50 ± 1.29", "6.00 ± 1.00"} || x.Test != MethodWelch || x.Kind != Normal {
		t.Errorf("x row %+v", x)
	}
	w, _ := WelchT([]float64{1, 2, 3, 4}, []float64{5, 6, 7})
	if x.P != w.P {
		t.Errorf("x p = %g, want WelchT's %g", x.P, w.P)
	}
	if tab.Rows[2].Cells != [2]string{"0", "1"} {
		t.Errorf("x missing %v", tab.Rows[2].Cells)
	}
	if got := tab.Rows[6].Cells; got != [2]string{"0 (0.0)", "0 (0.0)"} {
		t.Errorf("absent level cells %v", got)
	}
	if got := tab.Rows[4].Cells; got != [2]string{"0 (0.0)", "1 (25.0)"} {
		t.Errorf("mid cells %v", got)
	}
	if got := tab.Rows[5].Cells; got != [2]string{"2 (66.7)", "1 (25.0)"} {
		t.Errorf("lo cells %v (percent of the non-missing)", got)
	}
	// The absent level is left out of the test's table.
	f, _ := FisherExact([][]int{{0, 1}, {2, 1}, {1, 2}})
	if c := tab.Rows[3]; c.Test != MethodFisherHalton || c.P != f.P {
		t.Errorf("c test %q p %g, want %q %g", c.Test, c.P, MethodFisherHalton, f.P)
	}
	// k has 2 distinct values: categorical under Auto, numeric levels.
	if k := tab.Rows[9]; k.Kind != Categorical || k.Test != MethodFisher {
		t.Errorf("k row %+v", k)
	}

	// Under Auto, x (7 distinct values, Shapiro–Wilk cannot reject) is normal
	// with the default MaxLevels, categorical with MaxLevels 7.
	tab, err = Table1(df, "g", "a", "b", &TableOptions{Variables: []string{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	if tab.Rows[1].Kind != Normal {
		t.Errorf("x is %v under Auto, want normal", tab.Rows[1].Kind)
	}
	tab, err = Table1(df, "g", "a", "b", &TableOptions{Variables: []string{"x"}, MaxLevels: 7})
	if err != nil {
		t.Fatal(err)
	}
	if tab.Rows[1].Kind != Categorical || tab.Rows[2].Level != "1" {
		t.Errorf("x with MaxLevels 7: %+v %+v", tab.Rows[1], tab.Rows[2])
	}
	// Alpha 1 makes every Shapiro–Wilk test reject.
	tab, err = Table1(df, "g", "a", "b", &TableOptions{Variables: []string{"x"}, Alpha: 1, Digits: -1})
	if err != nil {
		t.Fatal(err)
	}
	if r := tab.Rows[1]; r.Kind != NonNormal || r.Test != MethodMannWhitney || r.Cells != [2]string{"2 [2, 3]", "6 [6, 6]"} {
		t.Errorf("x with Alpha 1: %+v", r)
	}
}

func TestTable1Errors(t *testing.T) {
	df := smallFrame()
	for name, f := range map[string]func() error{
		"same groups":  func() error { _, err := Table1(df, "g", "a", "a", nil); return err },
		"no group":     func() error { _, err := Table1(df, "h", "a", "b", nil); return err },
		"other value":  func() error { _, err := Table1(df, "c", "lo", "hi", nil); return err },
		"no variable":  func() error { _, err := Table1(df, "g", "a", "b", &TableOptions{Variables: []string{"y"}}); return err },
		"group as var": func() error { _, err := Table1(df, "g", "a", "b", &TableOptions{Variables: []string{"g"}}); return err },
		"text normal": func() error {
			_, err := Table1(df, "g", "a", "b", &TableOptions{Kinds: map[string]Kind{"c": Normal}})
			return err
		},
		"bad kind": func() error {
			_, err := Table1(df, "g", "a", "b", &TableOptions{Kinds: map[string]Kind{"x": 9}})
			return err
		},
		"level twice": func() error {
			_, err := Table1(df, "g", "a", "b", &TableOptions{Levels: map[string][]string{"c": {"lo", "lo"}}})
			return err
		},
		"frame invalid": func() error { _, err := Table1(dataframe.DataFrame{Err: errFake}, "g", "a", "b", nil); return err },
	} {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	_, err := Table1(df, "c", "lo", "hi", nil)
	if !strings.Contains(err.Error(), "row 4") || !strings.Contains(err.Error(), "missing") {
		t.Errorf("error %q does not name row 4 and its missing group", err)
	}
}

var errFake = &FieldError{Column: "x", Err: csv.ErrQuote}

func TestTable1UntestableVariables(t *testing.T) {
	df := dataframe.New(
		series.New([]string{"a", "a", "b"}, series.String, "g"),
		series.New([]float64{1, 1, 1}, series.Float, "same"),
		series.New([]float64{1, 2, 3}, series.Float, "one"),
		series.New([]string{"x", "x", "x"}, series.String, "level"),
	)
	tab, err := Table1(df, "g", "a", "b", &TableOptions{Kinds: map[string]Kind{"same": NonNormal, "one": Normal}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range tab.Rows[1:] {
		if r.Level == "x" {
			continue
		}
		if !math.IsNaN(r.P) || !strings.Contains(r.Test, ": ") {
			t.Errorf("%s: p %g, test %q; want no p and a reason", r.Variable, r.P, r.Test)
		}
	}
	if got := tab.Rows[2].Cells[1]; got != "3.0 ± NA" {
		t.Errorf("SD of one value shown as %q", got)
	}
}

func TestTableWriters(t *testing.T) {
	c, err := ReadFile("testdata/table1_cohort.csv", &Options{Stat: everyFileExists})
	if err != nil {
		t.Fatal(err)
	}
	tab, err := c.TableBySplit(&TableOptions{Variables: []string{"sex", "age"}})
	if err != nil {
		t.Fatal(err)
	}
	df := tab.DataFrame()
	if df.Err != nil {
		t.Fatal(df.Err)
	}
	if want := []string{"variable", "level", "split = train (n = 89)", "split = validation (n = 41)", "p", "test"}; !slices.Equal(df.Names(), want) {
		t.Errorf("DataFrame columns %q", df.Names())
	}
	if df.Nrow() != len(tab.Rows) {
		t.Errorf("DataFrame has %d rows, table %d", df.Nrow(), len(tab.Rows))
	}
	if got := df.Col("p").Elem(1).String(); got != FormatP(tab.Rows[1].P) || got == "" {
		t.Errorf("p column %q", got)
	}

	var md bytes.Buffer
	if err := tab.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(md.String()), "\n")
	if len(lines) != 2+len(tab.Rows) || !strings.HasPrefix(lines[0], "| variable | level | split = train (n = 89)") {
		t.Errorf("Markdown:\n%s", md.String())
	}
	if !strings.HasPrefix(lines[4], "|  | F |") { // the variable is named once
		t.Errorf("Markdown level row %q", lines[4])
	}

	var buf bytes.Buffer
	if err := tab.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+len(tab.Rows) || recs[2][0] != "sex" || recs[2][4] == "" {
		t.Errorf("CSV %q", recs)
	}
	for i, r := range tab.Rows {
		if (recs[i+1][4] == "") != math.IsNaN(r.P) {
			t.Errorf("CSV row %d p %q for %g", i, recs[i+1][4], r.P)
		}
	}
}

func TestFormatP(t *testing.T) {
	for p, want := range map[float64]string{0.0004: "<0.001", 0.001: "0.001", 0.04951: "0.050", 1: "1.000", math.NaN(): ""} {
		if got := FormatP(p); got != want {
			t.Errorf("FormatP(%g) = %q, want %q", p, got, want)
		}
	}
}
