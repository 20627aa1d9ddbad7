package nb

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// TableOptions controls how a DataFrame is shown.
type TableOptions struct {
	// Caption is shown above the table; empty for none.
	Caption string
	// MaxRows limits the rows shown; the rest are summarised in a final
	// line ("… 120 more rows"). Zero means 20; a negative value shows all.
	MaxRows int
	// Digits is the number of significant digits for float columns; zero
	// means 4. Integers and strings are shown as they are.
	Digits int
	// Format, when set, overrides Digits: a fmt verb for float values, e.g.
	// "%.3f".
	Format string
}

func (o TableOptions) maxRows() int {
	switch {
	case o.MaxRows == 0:
		return 20
	case o.MaxRows < 0:
		return math.MaxInt
	}
	return o.MaxRows
}

// FormatFloat formats a float as the table shows it: NaN as "NA" (as gota
// and R print missing values), otherwise with format when given, else with
// digits significant digits in %g style.
func FormatFloat(v float64, digits int, format string) string {
	if math.IsNaN(v) {
		return "NA"
	}
	if format != "" {
		return fmt.Sprintf(format, v)
	}
	if digits <= 0 {
		digits = 4
	}
	return strconv.FormatFloat(v, 'g', digits, 64)
}

// cells returns the header and the shown rows of df as strings, and the
// number of rows left out.
func cells(df dataframe.DataFrame, o TableOptions) (header []string, rows [][]string, omitted int, err error) {
	if df.Err != nil {
		return nil, nil, 0, fmt.Errorf("nb: DataFrame carries an error: %w", df.Err)
	}
	header = df.Names()
	nr := df.Nrow()
	show := min(nr, o.maxRows())
	cols := make([]series.Series, len(header))
	for j := range header {
		cols[j] = df.Col(header[j])
	}
	rows = make([][]string, show)
	for i := 0; i < show; i++ {
		rows[i] = make([]string, len(header))
		for j, c := range cols {
			e := c.Elem(i)
			switch {
			case e.IsNA():
				rows[i][j] = "NA"
			case c.Type() == series.Float:
				rows[i][j] = FormatFloat(e.Float(), o.Digits, o.Format)
			default:
				rows[i][j] = e.String()
			}
		}
	}
	return header, rows, nr - show, nil
}

// numeric reports which columns are numeric (right-aligned).
func numeric(df dataframe.DataFrame) []bool {
	names := df.Names()
	out := make([]bool, len(names))
	for j, n := range names {
		t := df.Col(n).Type()
		out[j] = t == series.Float || t == series.Int
	}
	return out
}

// TableHTML renders df as an HTML table: a caption, a header row, numbers
// right-aligned and formatted by the options, at most MaxRows rows and a
// final row counting those left out. Every cell is HTML-escaped.
func TableHTML(df dataframe.DataFrame, o TableOptions) (string, error) {
	header, rows, omitted, err := cells(df, o)
	if err != nil {
		return "", err
	}
	num := numeric(df)
	var b strings.Builder
	b.WriteString(`<table class="ceusrad-table" style="border-collapse:collapse;font-size:90%">`)
	if o.Caption != "" {
		fmt.Fprintf(&b, `<caption style="caption-side:top;text-align:left;font-weight:bold">%s</caption>`, escape(o.Caption))
	}
	b.WriteString("<thead><tr>")
	for _, h := range header {
		fmt.Fprintf(&b, `<th style="border-bottom:1px solid #444;padding:2px 8px">%s</th>`, escape(h))
	}
	b.WriteString("</tr></thead><tbody>")
	for _, r := range rows {
		b.WriteString("<tr>")
		for j, c := range r {
			align := "left"
			if num[j] {
				align = "right"
			}
			fmt.Fprintf(&b, `<td style="text-align:%s;padding:2px 8px">%s</td>`, align, escape(c))
		}
		b.WriteString("</tr>")
	}
	if omitted > 0 {
		fmt.Fprintf(&b, `<tr><td colspan="%d" style="font-style:italic;padding:2px 8px">… %d more rows (%d in all)</td></tr>`,
			len(header), omitted, df.Nrow())
	}
	b.WriteString("</tbody></table>")
	return b.String(), nil
}

// TableText renders df as a plain-text table with aligned columns, for a
// terminal or a log.
func TableText(df dataframe.DataFrame, o TableOptions) (string, error) {
	header, rows, omitted, err := cells(df, o)
	if err != nil {
		return "", err
	}
	num := numeric(df)
	width := make([]int, len(header))
	for j, h := range header {
		width[j] = len([]rune(h))
		for _, r := range rows {
			width[j] = max(width[j], len([]rune(r[j])))
		}
	}
	var b strings.Builder
	if o.Caption != "" {
		b.WriteString(o.Caption + "\n")
	}
	line := func(r []string) {
		for j, c := range r {
			if j > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[j]-len([]rune(c)))
			if num[j] {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
		}
		b.WriteString("\n")
	}
	line(header)
	for _, r := range rows {
		line(r)
	}
	if omitted > 0 {
		fmt.Fprintf(&b, "… %d more rows (%d in all)\n", omitted, df.Nrow())
	}
	return b.String(), nil
}

// Table shows df as an HTML table in a notebook, as a text table elsewhere.
func Table(df dataframe.DataFrame, o TableOptions) error {
	d := Current()
	if d.Interactive() {
		h, err := TableHTML(df, o)
		if err != nil {
			return err
		}
		d.HTML(h)
		return nil
	}
	t, err := TableText(df, o)
	if err != nil {
		return err
	}
	d.Text(t)
	return nil
}
