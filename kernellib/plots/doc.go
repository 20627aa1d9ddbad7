// Package plots draws ceusrad's figures with gonum/plot: forest plots of
// estimates with confidence intervals, histograms of resampled statistics,
// and (as the study grows) ROC curves, time–intensity curves, calibration
// plots and decision curves. Every function returns a *plot.Plot, which the
// caller shows in a notebook (package nb) or writes to disk with Save as
// PNG and SVG, the formats journals and web pages take.
//
// plots knows nothing of cines or models: it draws numbers it is given.
package plots
