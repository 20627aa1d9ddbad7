// Package plots draws ceusrad's figures with gonum/plot — ROC and
// precision–recall curves, calibration plots, decision curves, forest
// plots, box plots, histograms, time–intensity curves, heat maps and image
// montages — in one theme for every figure (theme.go):
//
//   - the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"),
//     with dash patterns and markers as a second cue; CheckPalette shows
//     its colours stay apart (CIEDE2000 ≥ MinDeltaE) under simulated
//     protanopia, deuteranopia and tritanopia (Machado et al. 2009);
//   - journal sizes (SingleColumn 85 mm, OneAndHalfColumn 120 mm,
//     DoubleColumn 175 mm) at which text is at least MinFontSize (7 pt);
//   - whole-number ticks for counts, axes padded so that no data touch the
//     frame, a Margin around the canvas, the legend below the data;
//   - ROC confidence bands light and per model.
//
// Every function returns a *plot.Plot, which the caller shows in a notebook
// (package nb) or writes with Save: PDF (vector, fonts embedded), PNG (its
// resolution in a pHYs chunk) and SVG, plus a 600 dpi LZW TIFF when
// CEUSRAD_TIFF=1. CheckFigure and CheckPDF are the tests' figure checks.
//
// plots knows nothing of cines or models: it draws numbers it is given.
package plots
