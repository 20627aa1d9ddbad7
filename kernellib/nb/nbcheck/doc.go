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
//
// RunAll executes several notebooks at once. A notebook names under
// "after" the earlier notebooks whose outputs it reads, and starts only
// once they have ended:
//
//	"metadata": {"ceusrad": {"after": ["00_quickstart"]}}
//
// An empty list means it reads none; without the key a notebook waits for
// every notebook before it in name order. The notebooks that show the
// study's results come after 00_quickstart, which runs the study; the
// others (the primer, the cohort, TIC, B-mode and DeLong notebooks, the
// ROI drawing) run beside it (TestCommittedNotebooksOrder keeps the lists
// right). The cells' programs are linked without DWARF (GOFLAGS
// -ldflags=-w unless GOFLAGS already sets -ldflags).
package nbcheck
