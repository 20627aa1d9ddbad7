package nb

import (
	"fmt"
	"html"
	"strings"
)

// HTML shows an HTML fragment.
func HTML(h string) { Current().HTML(h) }

// Markdown shows Markdown text; in a notebook, $…$ is rendered as LaTeX.
func Markdown(md string) { Current().Markdown(md) }

// Markdownf formats according to a format specifier and shows the result as
// Markdown.
func Markdownf(format string, args ...any) { Markdown(fmt.Sprintf(format, args...)) }

// Error shows an error as a visible message (red in a notebook), the way a
// notebook cell reports a failure without panicking. A nil error shows nothing.
func Error(err error) {
	if err == nil {
		return
	}
	d := Current()
	if d.Interactive() {
		d.HTML(`<div class="ceusrad-error" style="color:#b00020;font-family:monospace;white-space:pre-wrap"><b>error:</b> ` +
			html.EscapeString(err.Error()) + `</div>`)
		return
	}
	d.Text("error: " + err.Error() + "\n")
}

func escape(s string) string { return html.EscapeString(s) }

func unescape(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return html.UnescapeString(s)
}
