// Package nbcheck executes ceusrad's notebooks headless through the GoNB
// kernel and checks what they did: no cell failed, and each notebook showed
// what it is meant to show.
//
// A notebook states its expectations in its metadata, under "ceusrad":
//
//	"metadata": {"ceusrad": {"expect": {"image": 1, "table": 1}}}
//
// meaning at least one image (PNG or SVG output) and at least one table
// (an HTML output holding a <table>). The other keys are MIME types
// ("text/html", "text/markdown", "image/png", ...) counted over all outputs.
//
// Execution runs `jupyter nbconvert --to notebook --execute --allow-errors`
// so that every failing cell is reported — by notebook, cell number and
// message — rather than only the first.
package nbcheck
