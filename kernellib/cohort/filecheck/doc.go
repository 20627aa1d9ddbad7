// Package filecheck opens and checks every file a cohort manifest names,
// with kernellib/imaging: the cine is read frame by frame (streamed, never
// whole in memory) and its frame count and size compared with its header;
// the B-mode image and the masks are decoded, and the masks' size compared
// with the B-mode image and the cine frames. Check plugs into
// cohort.Options.Check, so that a manifest's problems and its files'
// problems are reported together, each naming its row, column and file.
//
// It is a package of its own because cohort does not import imaging: the
// data flow has both at its start, side by side.
package filecheck
