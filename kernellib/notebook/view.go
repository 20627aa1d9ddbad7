package notebook

import (
	"github.com/ceusrad/ceusrad/kernellib/nb"
	"github.com/go-gota/gota/dataframe"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// view is what every notebook view (ExternalView, …) shares: the first
// error it meets is shown once, as the cell's red message, and stops the
// cell (nb.Check); outside a notebook (tests) the view records it and every
// later method shows nothing.
type view struct {
	err error
}

// Err is the first error the view met (nil when all went well).
func (v *view) Err() error { return v.err }

// ok records and shows the view's first error; it reports whether the
// view can go on.
func (v *view) ok(err error) bool {
	if v.err != nil {
		return false
	}
	if err != nil {
		v.err = err
		nb.Check(err)
		return false
	}
	return true
}

// table shows df with its caption and every row.
func (v *view) table(df dataframe.DataFrame, caption string) {
	if v.err == nil {
		v.ok(nb.Table(df, nb.TableOptions{Caption: caption, MaxRows: -1}))
	}
}

// figure shows p at w×h (120 dpi on screen) unless err, its maker's
// error, is set.
func (v *view) figure(p *plot.Plot, err error, w, h vg.Length) {
	if v.ok(err) {
		v.ok(nb.Plot(p, w, h, 120))
	}
}
