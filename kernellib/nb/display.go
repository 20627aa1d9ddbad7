package nb

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// Display is where nb sends what it shows. The notebook Display forwards to
// gonbui; the text Display writes plain text. Tests use a recording Display.
type Display interface {
	// HTML shows an HTML fragment as a new output.
	HTML(html string)
	// UpdateHTML replaces the transient output with the given id, creating
	// it on first use. An empty html removes it.
	UpdateHTML(id, html string)
	// UpdatePNG replaces the output with the given id by PNG-encoded bytes
	// at width×height CSS pixels (creating it on first use): the final state
	// of a figure drawn in place, kept by the saved notebook as an image.
	UpdatePNG(id string, png []byte, width, height int)
	// Markdown shows Markdown text (with $…$ LaTeX in a notebook).
	Markdown(md string)
	// PNG shows PNG-encoded bytes at width×height CSS pixels; zero means the
	// image's own size.
	PNG(png []byte, width, height int)
	// SVG shows an SVG document.
	SVG(svg string)
	// Text writes plain text; a notebook shows it as cell output.
	Text(s string)
	// Interactive reports whether UpdateHTML updates in place (a notebook)
	// rather than printing a new line (a terminal).
	Interactive() bool
}

var (
	mu      sync.Mutex
	current Display
)

// Current returns the Display in use: the GoNB front end inside a notebook,
// otherwise a text Display on standard error.
func Current() Display {
	mu.Lock()
	defer mu.Unlock()
	if current == nil {
		if gonbui.IsNotebook {
			current = notebookDisplay{}
		} else {
			current = NewTextDisplay(os.Stderr)
		}
	}
	return current
}

// SetDisplay replaces the Display used by the package-level functions and
// returns the previous one, so that a caller (a test, a command) can restore it.
func SetDisplay(d Display) Display {
	mu.Lock()
	defer mu.Unlock()
	prev := current
	current = d
	return prev
}

// notebookDisplay forwards to gonbui. Every permanent output is followed by
// gonbui.Sync, which waits until the front end has it, so that nothing is lost
// when a cell's program exits right after showing it; in-place updates are
// not synchronised (a progress bar sends many).
type notebookDisplay struct{}

func (notebookDisplay) HTML(html string) { gonbui.DisplayHTML(html); gonbui.Sync() }
func (notebookDisplay) UpdateHTML(id, html string) {
	gonbui.UpdateHTML(id, html)
	if html == "" {
		gonbui.Sync()
	}
}
func (notebookDisplay) Markdown(md string)                { gonbui.DisplayMarkdown(md); gonbui.Sync() }
func (notebookDisplay) PNG(png []byte, width, height int) { sendPNG("", png, width, height) }
func (notebookDisplay) UpdatePNG(id string, png []byte, width, height int) {
	sendPNG(id, png, width, height)
}

// sendPNG shows a PNG as a new output (id empty) or in place of the output
// id (GoNB turns a known display id into update_display_data, which the
// saved notebook keeps as that output's final content).
func sendPNG(id string, png []byte, width, height int) {
	dd := &protocol.DisplayData{Data: map[protocol.MIMEType]any{protocol.MIMEImagePNG: png}, DisplayID: id}
	if width > 0 && height > 0 {
		// Flat keys: the pipe to the kernel (gob) carries basic types only,
		// and the notebook front end falls back to them for any image.
		dd.Metadata = map[string]any{"width": width, "height": height}
	}
	gonbui.SendData(dd)
	gonbui.Sync()
}
func (notebookDisplay) SVG(svg string)    { gonbui.DisplaySVG(svg); gonbui.Sync() }
func (notebookDisplay) Text(s string)     { fmt.Print(s) }
func (notebookDisplay) Interactive() bool { return true }

// TextDisplay is the Display outside a notebook: text goes to a writer, HTML
// and images are announced by a one-line note (their size), and transient
// updates are written as carriage-return lines, so a progress bar redraws in
// place on a terminal.
//
// When w is not a terminal (a log file, a pipe: `make reproduce > log`), a
// carriage-return stream would fill the log with one long line; updates are
// then written as whole lines, at most one per LogInterval for each id, and
// the last one is always written when the output ends (an empty html).
type TextDisplay struct {
	w       io.Writer
	tty     bool
	now     func() time.Time
	mu      sync.Mutex
	lastLen int
	logged  map[string]time.Time // when each id's last line was written
	pending map[string]string    // each id's newest text not yet written
}

// LogInterval is the least time between two lines of one progress bar
// written to a TextDisplay that is not a terminal.
const LogInterval = 5 * time.Second

// NewTextDisplay returns a TextDisplay writing to w; w is a terminal when
// it is an *os.File on a character device.
func NewTextDisplay(w io.Writer) *TextDisplay {
	tty := false
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil {
			tty = fi.Mode()&os.ModeCharDevice != 0
		}
	}
	return newTextDisplay(w, tty, time.Now)
}

func newTextDisplay(w io.Writer, tty bool, now func() time.Time) *TextDisplay {
	return &TextDisplay{w: w, tty: tty, now: now, logged: map[string]time.Time{}, pending: map[string]string{}}
}

// HTML notes that an HTML fragment was produced.
func (t *TextDisplay) HTML(html string) { t.line(fmt.Sprintf("[html: %d bytes]\n", len(html))) }

// UpdateHTML redraws the current line with the text of html (tags removed).
// An empty html ends the line.
func (t *TextDisplay) UpdateHTML(id, html string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.tty {
		t.logLine(id, html)
		return
	}
	if html == "" {
		if t.lastLen > 0 {
			fmt.Fprintln(t.w)
			t.lastLen = 0
		}
		return
	}
	s := stripTags(html)
	pad := t.lastLen - len(s)
	if pad < 0 {
		pad = 0
	}
	fmt.Fprintf(t.w, "\r%s%*s", s, pad, "")
	t.lastLen = len(s)
}

// logLine is UpdateHTML on a log: a whole line per LogInterval and id, and
// the pending one when the output ends.
func (t *TextDisplay) logLine(id, html string) {
	if html == "" {
		if p, ok := t.pending[id]; ok {
			fmt.Fprintln(t.w, p)
		}
		delete(t.pending, id)
		delete(t.logged, id)
		return
	}
	now := t.now()
	if last, ok := t.logged[id]; ok && now.Sub(last) < LogInterval {
		t.pending[id] = stripTags(html)
		return
	}
	fmt.Fprintln(t.w, stripTags(html))
	t.logged[id] = now
	delete(t.pending, id)
}

// UpdatePNG notes that an image was produced, as PNG.
func (t *TextDisplay) UpdatePNG(id string, png []byte, width, height int) { t.PNG(png, width, height) }

// Markdown writes the Markdown source as it is.
func (t *TextDisplay) Markdown(md string) { t.line(md + "\n") }

// PNG notes that an image was produced.
func (t *TextDisplay) PNG(png []byte, width, height int) {
	t.line(fmt.Sprintf("[png image: %d bytes]\n", len(png)))
}

// SVG notes that an SVG image was produced.
func (t *TextDisplay) SVG(svg string) { t.line(fmt.Sprintf("[svg image: %d bytes]\n", len(svg))) }

// Text writes s.
func (t *TextDisplay) Text(s string) { t.line(s) }

// Interactive is false: updates are carriage-return lines.
func (t *TextDisplay) Interactive() bool { return false }

func (t *TextDisplay) line(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.lastLen > 0 {
		fmt.Fprintln(t.w)
		t.lastLen = 0
	}
	io.WriteString(t.w, s)
}

// stripTags removes HTML tags and unescapes the few entities nb writes.
func stripTags(html string) string {
	out := make([]byte, 0, len(html))
	in := false
	for i := 0; i < len(html); i++ {
		switch c := html[i]; {
		case c == '<':
			in = true
		case c == '>':
			in = false
		case !in:
			out = append(out, c)
		}
	}
	return unescape(string(out))
}
