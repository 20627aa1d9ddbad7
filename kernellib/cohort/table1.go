package cohort

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// Kind says how Table1 summarises and tests a variable.
type Kind int

const (
	// Auto lets Table1 choose (see Table1).
	Auto Kind = iota
	// Categorical: n (%) per level; χ² or Fisher's exact test.
	Categorical
	// Normal: mean ± SD; Welch's t-test.
	Normal
	// NonNormal: median [Q1, Q3]; the Mann–Whitney U test.
	NonNormal
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case Auto:
		return "auto"
	case Categorical:
		return "categorical"
	case Normal:
		return "normal"
	case NonNormal:
		return "non-normal"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// The names of the tests as the Table shows them in its test column.
const (
	MethodWelch          = "Welch t-test"
	MethodMannWhitney    = "Mann–Whitney U"
	MethodChiSquare      = "χ² test"
	MethodChiSquareYates = "χ² test (Yates)"
	MethodFisher         = "Fisher exact"
	MethodFisherHalton   = "Fisher–Freeman–Halton exact"
)

// TableOptions controls Table1. The zero value gives the defaults.
type TableOptions struct {
	// Variables are the columns to summarise, in order. Nil means every
	// column except the group column and the manifest's identifier, path,
	// frame_rate and injection_offset_s columns.
	Variables []string
	// Kinds fixes the kind of a variable by name; variables not listed are
	// Auto.
	Kinds map[string]Kind
	// Levels fixes the order of a categorical variable's levels; levels
	// listed but absent are shown with 0 counts, levels present but not
	// listed follow in the default order. By default numeric levels are in
	// numeric order and others in byte order.
	Levels map[string][]string
	// MaxLevels: a numeric column with at most this many distinct values is
	// categorical under Auto. 0 means 5.
	MaxLevels int
	// Alpha is the Shapiro–Wilk level under Auto: a continuous variable is
	// Normal when the test's p ≥ Alpha in both groups. 0 means 0.05.
	Alpha float64
	// Digits is the number of decimals of the continuous summaries. 0 means
	// 1; a negative value means none.
	Digits int
}

func (o *TableOptions) maxLevels() int {
	if o.MaxLevels > 0 {
		return o.MaxLevels
	}
	return 5
}

func (o *TableOptions) alpha() float64 {
	if o.Alpha > 0 {
		return o.Alpha
	}
	return 0.05
}

func (o *TableOptions) digits() int {
	switch {
	case o.Digits == 0:
		return 1
	case o.Digits < 0:
		return 0
	}
	return o.Digits
}

// TableRow is one line of a Table.
type TableRow struct {
	// Variable is the column; Level is "mean ± SD", "median [Q1, Q3]" or
	// "n (%)" on a variable's first row, a categorical level on the rows
	// that follow it, or "missing, n".
	Variable, Level string
	// Cells are the two groups' entries.
	Cells [2]string
	// P is the p-value, on a variable's first row only; NaN elsewhere and
	// when no test could be computed.
	P float64
	// Test names the test behind P (one of the Method constants), followed
	// by the reason when it could not be computed.
	Test string
	// Kind is the variable's kind as decided.
	Kind Kind
}

// Table is a Table 1: baseline characteristics of two groups.
type Table struct {
	// Group is the grouping column; Levels are its two values compared,
	// and N the number of rows in each.
	Group  string
	Levels [2]string
	N      [2]int
	// Rows are the lines of the table; the first gives the group sizes.
	Rows []TableRow
}

// column is one column of a DataFrame: numbers (NaN missing) when numeric,
// else strings ("" missing).
type column struct {
	name    string
	numeric bool
	num     []float64
	str     []string
}

func readColumn(df dataframe.DataFrame, name string) (column, error) {
	s := df.Col(name)
	if s.Err != nil {
		return column{}, fmt.Errorf("cohort: Table 1: no column %q: %w", name, s.Err)
	}
	c := column{name: name}
	n := s.Len()
	switch s.Type() {
	case series.Float, series.Int:
		c.numeric = true
		c.num = make([]float64, n)
		for i := range n {
			e := s.Elem(i)
			if e.IsNA() {
				c.num[i] = math.NaN()
				continue
			}
			c.num[i] = e.Float()
			if math.IsInf(c.num[i], 0) {
				return column{}, fmt.Errorf("cohort: Table 1: column %s, row %d: %v: want a finite number", name, i+1, c.num[i])
			}
		}
	default:
		c.str = make([]string, n)
		for i := range n {
			e := s.Elem(i)
			if e.IsNA() {
				continue
			}
			v := e.String()
			if IsMissing(v) {
				continue
			}
			c.str[i] = strings.TrimSpace(v)
		}
	}
	return c, nil
}

func (c column) missing(i int) bool {
	if c.numeric {
		return math.IsNaN(c.num[i])
	}
	return c.str[i] == ""
}

func (c column) level(i int) string {
	if c.numeric {
		return strconv.FormatFloat(c.num[i], 'g', -1, 64)
	}
	return c.str[i]
}

// Table1 makes a Table 1 (baseline characteristics) of the rows of df whose
// column group is a against those where it is b: every row must be one of
// the two. For each variable:
//
//   - Categorical: n (%) of each level, percentages of the group's
//     non-missing values. Test: Pearson's χ² (ChiSquare; with Yates'
//     correction for 2 levels, as scipy's chi2_contingency and R's
//     chisq.test by default) when every expected count is ≥ 5 (Cochran
//     1954), else Fisher's exact test (FisherExact; Freeman–Halton for more
//     than 2 levels, χ² again, marked, if that enumeration is too large).
//   - Normal: mean ± SD; Welch's t-test (WelchT).
//   - NonNormal: median [Q1, Q3] (Quantile, definition 7); the Mann–Whitney
//     U test (MannWhitneyU, normal approximation with tie and continuity
//     corrections).
//
// Auto makes a string or boolean column, or a numeric column with at most
// MaxLevels distinct values, Categorical; any other numeric column is
// Normal when the Shapiro–Wilk test (ShapiroWilk) gives p ≥ Alpha in both
// groups, and NonNormal otherwise — also when the test cannot be computed
// (fewer than 3 or more than 5000 values in a group, or constant values).
// Missing values (NA, or a token IsMissing accepts) are left out of the
// summaries and tests and counted in a "missing, n" row.
func Table1(df dataframe.DataFrame, group, a, b string, opts *TableOptions) (*Table, error) {
	if opts == nil {
		opts = &TableOptions{}
	}
	if df.Err != nil {
		return nil, fmt.Errorf("cohort: Table 1: the DataFrame carries an error: %w", df.Err)
	}
	if a == b {
		return nil, fmt.Errorf("cohort: Table 1: both groups are %q: want two different values of %s", a, group)
	}
	g, err := readColumn(df, group)
	if err != nil {
		return nil, err
	}
	member := make([]int, df.Nrow()) // 0 for a, 1 for b
	t := &Table{Group: group, Levels: [2]string{a, b}}
	for i := range member {
		var v string
		if !g.missing(i) {
			v = g.level(i)
		}
		switch v {
		case a:
			member[i] = 0
		case b:
			member[i] = 1
		default:
			if v == "" {
				v = "missing"
			} else {
				v = strconv.Quote(v)
			}
			return nil, fmt.Errorf("cohort: Table 1: row %d, column %s: %s: want %q or %q", i+1, group, v, a, b)
		}
		t.N[member[i]]++
	}
	t.Rows = append(t.Rows, TableRow{Variable: "n", Cells: [2]string{strconv.Itoa(t.N[0]), strconv.Itoa(t.N[1])}, P: math.NaN()})

	vars := opts.Variables
	if vars == nil {
		for _, name := range df.Names() {
			switch name {
			case group, ColPatientID, ColCine, ColBMode, ColLesionMask, ColLiverMask, ColLesionMask2, ColFrameRate, ColInjectionOffset:
				continue
			}
			vars = append(vars, name)
		}
	}
	for _, name := range vars {
		if name == group {
			return nil, fmt.Errorf("cohort: Table 1: variable %s is the group column", name)
		}
		c, err := readColumn(df, name)
		if err != nil {
			return nil, err
		}
		rows, err := variableRows(c, member, opts)
		if err != nil {
			return nil, err
		}
		t.Rows = append(t.Rows, rows...)
	}
	return t, nil
}

func variableRows(c column, member []int, opts *TableOptions) ([]TableRow, error) {
	var missing [2]int
	for i, m := range member {
		if c.missing(i) {
			missing[m]++
		}
	}
	kind := opts.Kinds[c.name]
	if kind < Auto || kind > NonNormal {
		return nil, fmt.Errorf("cohort: Table 1: variable %s: unknown kind %d", c.name, int(kind))
	}
	if kind == Auto && !c.numeric {
		kind = Categorical
	}
	if kind != Categorical && !c.numeric {
		return nil, fmt.Errorf("cohort: Table 1: variable %s is %v but holds text: want numbers", c.name, kind)
	}
	var x [2][]float64
	if c.numeric {
		for i, m := range member {
			if !c.missing(i) {
				x[m] = append(x[m], c.num[i])
			}
		}
	}
	if kind == Auto {
		distinct := map[float64]bool{}
		for _, v := range c.num {
			if !math.IsNaN(v) {
				distinct[v] = true
			}
		}
		if len(distinct) <= opts.maxLevels() {
			kind = Categorical
		} else {
			kind = Normal
			for _, xs := range x {
				r, err := ShapiroWilk(xs)
				if err != nil || r.P < opts.alpha() {
					kind = NonNormal
				}
			}
		}
	}
	var rows []TableRow
	if kind == Categorical {
		var err error
		rows, err = categoricalRows(c, member, opts)
		if err != nil {
			return nil, err
		}
	} else {
		rows = []TableRow{continuousRow(c.name, kind, x, opts.digits())}
	}
	if missing[0]+missing[1] > 0 {
		rows = append(rows, TableRow{Variable: c.name, Level: "missing, n", Kind: kind, P: math.NaN(),
			Cells: [2]string{strconv.Itoa(missing[0]), strconv.Itoa(missing[1])}})
	}
	return rows, nil
}

func formatNum(v float64, digits int) string {
	if math.IsNaN(v) {
		return "NA"
	}
	return strconv.FormatFloat(v, 'f', digits, 64)
}

// testNote appends the reason a test could not be computed to its name.
func testNote(name string, err error) string {
	switch {
	case errors.Is(err, ErrTooFew):
		return name + ": too few values"
	case errors.Is(err, ErrNoVariation):
		return name + ": no variation"
	case errors.Is(err, ErrTooLarge):
		return name + ": too large"
	}
	return name + ": " + err.Error()
}

func continuousRow(name string, kind Kind, x [2][]float64, digits int) TableRow {
	r := TableRow{Variable: name, Kind: kind}
	var res TestResult
	var err error
	for j := range 2 {
		s := Describe(x[j])
		if kind == Normal {
			r.Cells[j] = formatNum(s.Mean, digits) + " ± " + formatNum(s.SD, digits)
		} else {
			r.Cells[j] = formatNum(s.Median, digits) + " [" + formatNum(s.Q1, digits) + ", " + formatNum(s.Q3, digits) + "]"
		}
	}
	if kind == Normal {
		r.Level, r.Test = "mean ± SD", MethodWelch
		res, err = WelchT(x[0], x[1])
	} else {
		r.Level, r.Test = "median [Q1, Q3]", MethodMannWhitney
		res, err = MannWhitneyU(x[0], x[1])
	}
	r.P = res.P
	if err != nil {
		r.P = math.NaN()
		r.Test = testNote(r.Test, err)
	}
	return r
}

// sortLevels orders levels numerically when all are numbers, else by bytes.
func sortLevels(levels []string) {
	numeric := true
	for _, l := range levels {
		if _, err := strconv.ParseFloat(l, 64); err != nil {
			numeric = false
			break
		}
	}
	if numeric {
		slices.SortFunc(levels, func(a, b string) int {
			x, _ := strconv.ParseFloat(a, 64)
			y, _ := strconv.ParseFloat(b, 64)
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return strings.Compare(a, b)
		})
		return
	}
	slices.Sort(levels)
}

func categoricalRows(c column, member []int, opts *TableOptions) ([]TableRow, error) {
	counts := map[string]*[2]int{}
	var present []string
	var total [2]int
	for i, m := range member {
		if c.missing(i) {
			continue
		}
		l := c.level(i)
		if counts[l] == nil {
			counts[l] = &[2]int{}
			present = append(present, l)
		}
		counts[l][m]++
		total[m]++
	}
	sortLevels(present)
	var levels []string
	seen := map[string]bool{}
	for _, l := range opts.Levels[c.name] {
		if seen[l] {
			return nil, fmt.Errorf("cohort: Table 1: variable %s: level %q listed twice", c.name, l)
		}
		seen[l] = true
		levels = append(levels, l)
	}
	for _, l := range present {
		if !seen[l] {
			levels = append(levels, l)
		}
	}
	head := TableRow{Variable: c.name, Level: "n (%)", Kind: Categorical, P: math.NaN()}
	rows := []TableRow{head}
	var table [][]int
	for _, l := range levels {
		n := counts[l]
		if n == nil {
			n = &[2]int{}
		}
		r := TableRow{Variable: c.name, Level: l, Kind: Categorical, P: math.NaN()}
		for j := range 2 {
			pct := math.NaN()
			if total[j] > 0 {
				pct = 100 * float64(n[j]) / float64(total[j])
			}
			r.Cells[j] = fmt.Sprintf("%d (%s)", n[j], formatNum(pct, 1))
		}
		rows = append(rows, r)
		if n[0]+n[1] > 0 {
			table = append(table, []int{n[0], n[1]})
		}
	}
	rows[0].P, rows[0].Test = categoricalTest(table)
	return rows, nil
}

// categoricalTest chooses and runs the test of a k×2 table (levels × groups).
func categoricalTest(table [][]int) (float64, string) {
	e, err := Expected(table)
	if err != nil {
		return math.NaN(), testNote(MethodChiSquare, err)
	}
	small := false
	for _, r := range e {
		for _, v := range r {
			if v < 5 {
				small = true
			}
		}
	}
	two := len(table) == 2
	if small {
		name := MethodFisher
		if !two {
			name = MethodFisherHalton
		}
		res, err := FisherExact(table)
		if err == nil {
			return res.P, name
		}
		if !errors.Is(err, ErrTooLarge) {
			return math.NaN(), testNote(name, err)
		}
		res, err = ChiSquare(table, false)
		if err != nil {
			return math.NaN(), testNote(MethodChiSquare, err)
		}
		return res.P, MethodChiSquare + " (expected < 5; exact test too large)"
	}
	res, err := ChiSquare(table, true)
	if err != nil {
		return math.NaN(), testNote(MethodChiSquare, err)
	}
	if two {
		return res.P, MethodChiSquareYates
	}
	return res.P, MethodChiSquare
}

// FormatP formats a p-value as tables in journals do: "<0.001" below 0.001,
// otherwise three decimals; "" for NaN (no test).
func FormatP(p float64) string {
	switch {
	case math.IsNaN(p):
		return ""
	case p < 0.001:
		return "<0.001"
	}
	return strconv.FormatFloat(p, 'f', 3, 64)
}

// Header returns the table's column names: variable, level, one per group as
// "group = value (n = N)", p and test.
func (t *Table) Header() []string {
	return []string{"variable", "level",
		fmt.Sprintf("%s = %s (n = %d)", t.Group, t.Levels[0], t.N[0]),
		fmt.Sprintf("%s = %s (n = %d)", t.Group, t.Levels[1], t.N[1]),
		"p", "test"}
}

// DataFrame returns the table as a gota DataFrame of strings, ready to show
// (the p column formatted by FormatP).
func (t *Table) DataFrame() dataframe.DataFrame {
	h := t.Header()
	cols := make([][]string, len(h))
	for _, r := range t.Rows {
		v := []string{r.Variable, r.Level, r.Cells[0], r.Cells[1], FormatP(r.P), r.Test}
		for j := range cols {
			cols[j] = append(cols[j], v[j])
		}
	}
	ss := make([]series.Series, len(h))
	for j := range h {
		ss[j] = series.New(cols[j], series.String, h[j])
	}
	return dataframe.New(ss...)
}

// WriteMarkdown writes the table as a GitHub-flavoured Markdown table, the
// variable named on its first row only, p formatted by FormatP.
func (t *Table) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	h := t.Header()
	for j := range h {
		h[j] = esc(h[j])
	}
	b.WriteString("| " + strings.Join(h, " | ") + " |\n")
	b.WriteString("|---|---|---:|---:|---:|---|\n")
	prev := ""
	for _, r := range t.Rows {
		v := r.Variable
		if v == prev {
			v = ""
		}
		prev = r.Variable
		cells := []string{v, r.Level, r.Cells[0], r.Cells[1], FormatP(r.P), r.Test}
		for j := range cells {
			cells[j] = esc(cells[j])
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCSV writes the table as CSV with the Header's columns, one line per
// row, the p-value in full precision (empty when there is none).
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header()); err != nil {
		return err
	}
	for _, r := range t.Rows {
		p := ""
		if !math.IsNaN(r.P) {
			p = strconv.FormatFloat(r.P, 'g', -1, 64)
		}
		if err := cw.Write([]string{r.Variable, r.Level, r.Cells[0], r.Cells[1], p, r.Test}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// TableBySplit is Table 1 of the training against the validation cohort:
// the response and every clinical column (opts.Variables, when set,
// replaces that list).
func (c *Cohort) TableBySplit(opts *TableOptions) (*Table, error) {
	o := tableDefaults(opts, append([]string{ColResponse}, c.Clinical...))
	if o.Levels[ColResponse] == nil {
		o.Levels = withLevels(o.Levels, ColResponse, []string{ResponseOR, ResponseNR})
	}
	return Table1(c.Frame, ColSplit, SplitTrain, SplitValidation, o)
}

// TableByResponse is Table 1 of the patients with objective response (OR)
// against those without (NR): every clinical column (opts.Variables, when
// set, replaces that list).
func (c *Cohort) TableByResponse(opts *TableOptions) (*Table, error) {
	return Table1(c.Frame, ColResponse, ResponseOR, ResponseNR, tableDefaults(opts, slices.Clone(c.Clinical)))
}

func tableDefaults(opts *TableOptions, vars []string) *TableOptions {
	var o TableOptions
	if opts != nil {
		o = *opts
	}
	if o.Variables == nil {
		o.Variables = vars
		if o.Variables == nil {
			o.Variables = []string{}
		}
	}
	return &o
}

func withLevels(m map[string][]string, name string, levels []string) map[string][]string {
	out := make(map[string][]string, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	out[name] = levels
	return out
}
