// Package nb shows ceusrad's results inside a GoNB Jupyter notebook: gonum/plot
// figures inline (PNG at a chosen size and resolution, or SVG), gota
// DataFrames as HTML tables, Markdown and HTML text, a live progress bar
// that updates in place, a live figure redrawn as a computation goes
// (LivePlot: a training curve), sliders over precomputed views (Slider:
// every view rendered up front into one self-contained HTML output that a
// range input and a few lines of inline JavaScript switch in the browser,
// with no kernel — in Jupyter, in an executed notebook and in its HTML
// export; untrusted, the first view and a note), the ROI
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
// Sliders and notebook size: a Slider embeds every view it can show, at
// most SliderOptions.MaxViews (default DefaultSliderViews, 100) in at most
// SliderOptions.MaxBytes (default DefaultSliderBytes, 8 MiB), figures as
// paletted PNG (PlotHTML) and cine frames as JPEG (ImageJPEGHTML). Measured
// on the synthetic cohort (make data), the quick settings of make test:
// 02_tic's cine slider, 60 views (notebook.CineFrames of the cine's 261
// frames; a frame as JPEG, about 24 kB, beside the curves, about 12.5 kB),
// is a 2.99 MB output and takes the executed notebook from 0.24 MB (the
// first view only) to 3.15 MB; 05_comparison's threshold slider, 40 views
// (ROC with the operating point and the 2×2 table, about 11 kB a view), is
// 0.45 MB and takes it from 0.35 MB to 0.79 MB. Measured with nbrun on
// 00, 02 and 05 (CEUSRAD_PRIMER_REPS=2000 CEUSRAD_SPLITS=5
// CEUSRAD_CNN_SPLITS=2 CEUSRAD_BOOT=500 CEUSRAD_EPOCHS=4), against the
// same notebooks executed before the change.
//
// Other packages report progress through a plain callback,
// func(done, total int), which Progress.Func supplies; they never import nb.
package nb
