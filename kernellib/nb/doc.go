// Package nb shows ceusrad's results inside a GoNB Jupyter notebook: gonum/plot
// figures inline (PNG at a chosen size and resolution, or SVG), gota
// DataFrames as HTML tables, Markdown and HTML text, a live progress bar
// that updates in place, a live figure redrawn as a computation goes
// (LivePlot: a training curve), sliders that redraw a view (Slider, over
// GoNB's widgets; executed headless, the first view and a note), the ROI
// drawing widget that writes a patient's lesion and liver masks and fills
// the manifest's mask cells (DrawROIs: the same masks as `ceusrad roi`),
// and Must/Check, which show an error once and stop the cell.
//
// nb is the only package of ceusrad that imports gonbui. Everything it shows
// goes through a Display: in a notebook (gonbui.IsNotebook) that is the GoNB
// front end; elsewhere (a terminal, a test, the command line) it is a plain
// text Display writing to standard error, so the same code runs in both.
// The pure functions that build what is shown (PlotPNG, PlotSVG, TableHTML,
// TableText, the progress formatting) are exported and tested on their own.
//
// Other packages report progress through a plain callback,
// func(done, total int), which Progress.Func supplies; they never import nb.
package nb
