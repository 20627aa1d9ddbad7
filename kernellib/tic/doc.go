// Package tic is the analysis of CEUS time–intensity curves (TIC): the mean
// signal inside a region of interest (the lesion, a liver reference) for
// every frame of a cine, streamed from kernellib/imaging so that a cine is
// never held in memory whole.
//
// Extract gives the raw curves in display values (the 8- or 16-bit grey
// levels of the cine, after log compression by the scanner). Linearisation
// to echo power, motion correction, perfusion-model fits and the curve
// parameters of R-TIC build on these curves.
package tic
