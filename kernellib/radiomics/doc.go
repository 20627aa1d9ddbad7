// Package radiomics computes the radiomic features of the Image Biomarker
// Standardisation Initiative (IBSI; Zwanenburg et al., Radiology 2020, and the IBSI
// reference manual, chapter 3) from a 2D B-mode image or a 3D NIfTI volume and a mask,
// so that a feature from ceusrad means what the same name means in any IBSI-compliant
// tool. It feeds the R-BMode model; it knows nothing of models itself.
//
// # Pipeline
//
// Extract(image, mask, settings) runs IBSI's processing steps and then every feature
// family:
//
//   - Prepare cuts out the mask's bounding box, builds the intensity mask (range
//     re-segmentation and outlier filtering, IBSI 2.3; the morphological mask keeps
//     every voxel) and discretises the intensities into grey levels (IBSI 2.7).
//   - Morphology (IBSI 3.1): for a 3D image the 25 features of the IBSI phantom table,
//     from a marching-cubes mesh (mesh.go), its convex hull (Quickhull, exact), the
//     principal axes of the voxels and Moran's I and Geary's C; for a one-slice image
//     (B-mode) the 2D counterparts from a marching-squares contour (area, perimeter,
//     circularity, diameters, axes, densities), which IBSI does not define and which
//     carry no IBSI identifier.
//   - Local intensity (3.2), intensity statistics (3.3), intensity histogram (3.4),
//     intensity–volume histogram (3.5).
//   - Texture matrices: GLCM (3.6), GLRLM (3.7), GLSZM (3.8), GLDZM (3.9), NGTDM (3.10),
//     NGLDM (3.11).
//
// Every feature is a function (or an entry of its family's table) whose comment gives
// its formula and IBSI identifier; a Feature carries the family, the snake_case name,
// the identifier and the aggregation. Voxel spacing is honoured where IBSI uses
// physical units (morphology, local intensity, Moran's I); texture matrices count
// voxel neighbours on the grid, as IBSI does.
//
// # Aggregation
//
// Texture features are aggregated as IBSI names it, spelled as in its tables (the
// Agg* constants): GLCM and GLRLM as "2D, averaged", "2D, slice-merged", "2.5D,
// direction-merged", "2.5D, merged", "3D, averaged" and "3D, merged"; the matrices
// without direction as "2D", "2.5D" and "3D". "2D" works slice by slice in the x–y
// plane. A one-slice image gets the 2D aggregations, a 3D image all of them
// (Settings.Dims overrides). Averages leave out empty matrices (a slice with no pair of
// neighbours along a direction).
//
// # Discretisation
//
// FixedBinNumber and FixedBinSize follow IBSI 2.7 (formulas at the Method constants).
// Where PyRadiomics differs: its fixed bin width aligns the bin edges on multiples of
// the width (IBSI starts the first bin at the smallest intensity, or at the lower
// re-segmentation bound), so the two agree only when that intensity is a multiple of
// the width; its bin count is IBSI's fixed bin number. Identity uses integer
// intensities ≥ 1 as grey levels unchanged, the IBSI digital phantom's setting
// ("no discretisation"). Percentiles interpolate linearly between order statistics
// (NumPy's default); IBSI leaves the choice open.
//
// # Verification
//
// TestIBSIPhantom computes every feature on the IBSI digital phantom (testdata/ibsi)
// with the phantom's settings and compares each with IBSI's consensus value within its
// tolerance (a value printed without one is exact to its three significant digits). All
// 482 rows of the reference table are computed and match. GLCMs and their properties
// are compared with scikit-image (graycomatrix, graycoprops), the mesh with
// scikit-image's marching cubes (to 0.5%; the two split ambiguous cubes differently)
// and the contour with its find_contours, convex hulls with Qhull, the filters with
// SciPy and PyWavelets, ICC(3,1) with R; the scripts that wrote each fixture are in
// testdata.
//
// # Overlays
//
// A B-mode still exported in colour may carry burned-in coloured annotations
// (calipers, text, colour bars) inside the lesion. imaging.ReadImageOverlay marks
// them (chroma above imaging.DefaultChromaThreshold), and PrepareExcluding /
// ExtractExcluding leave them out of the intensity mask as IBSI 2.3 range
// re-segmentation leaves out voxels: the morphological mask keeps them, so the shape
// features (and the zone distances of the GLDZM, which IBSI measures to the
// morphological mask's edge) are those of the mask as drawn, while the intensity,
// histogram, IVH and texture features do not see them (TestExtractExcludingOverlay
// checks that the result equals range re-segmentation of the overlay pixels). The
// local intensity features read the image around the region and still see overlay
// pixels there. PatientCase and CohortTable do this for every patient, and the table's
// integer column overlay_pixels (ColOverlayPixels; no feature) counts the lesion's
// pixels left out; `ceusrad radiomics -json` reports overlay_pixels and, above
// imaging.OverlayWarnFraction (10 %) of the mask, a warning.
//
// # Degenerate input
//
// An empty mask is ErrEmptyMask; an intensity mask emptied by re-segmentation is
// ErrEmptyIntensityMask; a non-finite intensity in or near the region, a mask of
// another size, or bad settings wrap ErrInput. A texture matrix that is empty for a
// whole aggregation (a one-voxel region has no GLCM) is ErrTooSmall, the error naming
// the family: extract the other families with Settings.Families. A constant region
// yields every feature, those with a vanishing denominator taking the value their
// function documents: skewness and kurtosis 0, coefficient of variation 0, GLCM
// correlation 1 and information correlation 0, NGTDM coarseness CoarsenessMax and
// contrast, busyness and strength 0, Moran's I 0 and Geary's C 1. Extract checks that no
// value is NaN or infinite before returning.
//
// # Filters and robustness
//
// LoG (scale-normalised Laplacian of Gaussian) and WaveletBands (one-level undecimated
// Haar or coif1 decomposition) return response maps to extract features from, with
// Filtered to tell their features apart. Robustness re-extracts every case under mask
// perturbations (PerturbMask: erosion, dilation, shifts) and returns each feature's
// ICC(3,1) (Shrout & Fleiss 1979); RobustFeatures keeps those above a threshold, for
// the feature selection of a learning pipeline.
//
// # Cost
//
// The full 2D feature set of a 256 × 256 region takes about 15 ms of CPU time on one
// core (BenchmarkExtract2D; the target is 20 ms), a 3D lesion of 16,000 voxels with
// every aggregation about a second (BenchmarkExtract3D); bench/glcm_side_by_side.sh
// times the 2D GLCM against scikit-image and prints the ratio. Moran's I and Geary's C
// sum over all pairs of voxels: directly for small regions, through the Fourier
// transform for large ones (both exact); the 2D shape features leave them out. IBSI
// notes that both are O(N_v²) to compute and allows approximating them on large regions
// by repeated subsampling of the region (reference manual, arXiv:1612.07003, features
// N365 and NPT7); ceusrad keeps them exact and bounds the region instead.
//
// # Memory
//
// Memory is bounded by the mask's bounding box: Prepare refuses a box of more than
// Settings.MaxROIVoxels voxels (DefaultMaxROIVoxels, 2²²) with ErrROITooLarge before
// allocating anything of its size, and an extraction then takes at most about
// BytesPerROIVoxel (250) bytes per box voxel of heap; BenchmarkMemoryExtract3D measures
// about 170 on 64³ and 128³ boxes, full or half-filled at random. Per family, per box
// voxel: the region (intensities, both masks, grey levels) 14 bytes; morphology about
// 130 (Moran's I and Geary's C: two half spectra of the box zero-padded to 2n − 1 in
// each axis, 16 bytes per padded voxel; the surface mesh is not kept, its measures and
// hull candidates are taken as the cubes are marched, in O(N_x N_y + N_y N_z + N_z N_x)),
// plus the convex hull of the surface's extreme vertices; local intensity 8 per voxel of
// the box grown by the 1 cm³ sphere's radius (at most 16 × MaxROIVoxels voxels) and 16
// per intensity-mask voxel; statistics, histogram and IVH 8 to 24; GLSZM and GLDZM the zones
// of each slice and of the volume (12 bytes a zone, at most one a voxel) and the edge
// distances (8); NGTDM and NGLDM a few bytes. The grey-level matrices add 8·N_g² bytes
// per GLCM (7 kept at once) and 8·N_g·L per GLRLM (L the longest side of the box), with
// N_g ≤ MaxGreyLevels; NGLDM's dependence counts (2δ+1)³ per grey level, δ ≤
// MaxNeighbourDistance.
package radiomics
