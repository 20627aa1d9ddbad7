package nb

import (
	"encoding/base64"
	"fmt"
	"strings"
	"sync"

	"github.com/janpfeifer/gonb/gonbui"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// PlotHTML renders p as a PNG at dpi and returns an HTML <img> element that
// carries it inline (a data URI), shown at its physical size like Plot. It
// is what a live figure or a slider's view puts into an output updated in
// place. The PNG has a palette of at most 256 colours (palettePNG: the
// figure's flat colours exact, the anti-aliased shades nearest), about a
// quarter of the bytes of PlotPNG's, since a slider embeds one per view.
func PlotHTML(p *plot.Plot, w, h vg.Length, dpi int) (string, error) {
	b, err := PlotPNG(p, w, h, dpi)
	if err != nil {
		return "", err
	}
	if b, err = palettePNG(b); err != nil {
		return "", err
	}
	return pngHTML(b, cssPixels(w), cssPixels(h)), nil
}

func pngHTML(b []byte, w, h int) string {
	return fmt.Sprintf(`<img src="data:image/png;base64,%s" width="%d" height="%d"/>`,
		base64.StdEncoding.EncodeToString(b), w, h)
}

// LivePlot is a figure redrawn in place while a computation runs — a
// training curve after every epoch. In a notebook each Update replaces a
// transient output; Done replaces it, in place, by the last figure as a
// PNG, so the saved notebook holds the final figure once (and no empty
// output). On a
// terminal (a non-interactive Display) updates are skipped and Done shows
// the last figure as its one-line note. It is safe for concurrent use.
type LivePlot struct {
	d        Display
	id       string
	w, h     vg.Length
	dpi      int
	mu       sync.Mutex
	last     *plot.Plot
	finished bool
}

// NewLivePlot starts a live figure of size w×h at dpi on the current
// Display.
func NewLivePlot(w, h vg.Length, dpi int) *LivePlot {
	return NewLivePlotOn(Current(), w, h, dpi)
}

// NewLivePlotOn starts a live figure on the Display d.
func NewLivePlotOn(d Display, w, h vg.Length, dpi int) *LivePlot {
	return &LivePlot{d: d, id: "ceusrad-live-" + gonbui.UniqueID(), w: w, h: h, dpi: dpi}
}

// Update redraws the figure as p. After Done it does nothing.
func (l *LivePlot) Update(p *plot.Plot) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.finished {
		return nil
	}
	l.last = p
	if !l.d.Interactive() {
		return nil
	}
	h, err := PlotHTML(p, l.w, l.h, l.dpi)
	if err != nil {
		return err
	}
	l.d.UpdateHTML(l.id, h)
	return nil
}

// Done ends the live figure: the last figure drawn takes the place of the
// transient output, as a PNG. Only the first call counts; with no Update
// before it, it shows nothing.
func (l *LivePlot) Done() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.finished {
		return nil
	}
	l.finished = true
	if l.last == nil {
		return nil
	}
	b, err := PlotPNG(l.last, l.w, l.h, l.dpi)
	if err != nil {
		if l.d.Interactive() {
			l.d.UpdateHTML(l.id, "")
		}
		return err
	}
	if l.d.Interactive() {
		l.d.UpdatePNG(l.id, b, cssPixels(l.w), cssPixels(l.h))
	} else {
		l.d.PNG(b, cssPixels(l.w), cssPixels(l.h))
	}
	return nil
}

// Row lays HTML pieces (PlotHTML, ImageHTML, TableHTML) out side by side,
// wrapping on a narrow screen: the usual view of a Slider.
func Row(parts ...string) string {
	var b strings.Builder
	b.WriteString(`<div style="display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start">`)
	for _, p := range parts {
		b.WriteString("<div>" + p + "</div>")
	}
	b.WriteString("</div>")
	return b.String()
}
