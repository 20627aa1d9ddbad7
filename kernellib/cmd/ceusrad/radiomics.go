package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/radiomics"
)

func init() {
	register(command{
		name:    "radiomics",
		summary: "IBSI radiomic features of an image (2D B-mode or 3D NIfTI) inside a mask",
		run:     runRadiomics,
	})
}

const radiomicsUsage = `Usage: ceusrad radiomics -image FILE -mask FILE [-bin-width W | -bins N] [-json]

Computes every IBSI feature (Image Biomarker Standardisation Initiative, chapter
3) of the image inside the mask: morphology, local intensity, intensity
statistics, intensity histogram, intensity-volume histogram, GLCM, GLRLM, GLSZM,
GLDZM, NGTDM and NGLDM.

The image is a NIfTI-1 file (.nii, .nii.gz; 2D or 3D, voxel size from pixdim),
a DICOM still (pixel size from Pixel Spacing or the Ultrasound Regions), or a
PNG or JPEG file (pixel size from -pixel-mm); the mask is a PNG (non-zero
inside) or NIfTI file of the image's size. A 3D image gets the 3D morphology
and every aggregation (2D, 2.5D and 3D); a 2D image the 2D shape features and
the 2D aggregations.

Discretisation (IBSI 2.7): -bins N is the fixed bin number method, -bin-width W
the fixed bin size method with the bins starting at the smallest intensity in
the mask (or at the -reseg lower bound). With -bin-width 1, an image whose
intensities in the mask are integers >= 1 is not re-discretised: its
intensities are the grey levels (so the IBSI digital phantom is fed as it is).
Without either flag: -bins 32.

Memory: extraction takes up to about 250 bytes per voxel of the mask's bounding
box (most of it Moran's I and Geary's C of the morphology family). A box of more
than -max-roi-voxels voxels (default 4194304, a 161³ box or 2048×2048 pixels,
about 1 GB) is refused before anything of its size is allocated; raise the limit
where the memory is there.

With -json it prints one JSON object:
  {"features": [{"family": "glcm", "name": "joint_maximum", "ibsi_id": "GYBY",
                 "aggregation": "2D, averaged", "value": 0.519}, ...]}
with aggregation spelled as in IBSI's tables ("" where none applies).

Flags:
`

type radiomicsReport struct {
	// OverlayPixels is the number of the mask's pixels left out of the
	// intensity mask as a burned-in coloured overlay (radiomics.ExtractExcluding).
	OverlayPixels int                 `json:"overlay_pixels"`
	Warnings      []string            `json:"warnings"`
	Features      []radiomics.Feature `json:"features"`
}

// runRadiomics is `ceusrad radiomics`: it returns the exit status.
func runRadiomics(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("radiomics", flag.ContinueOnError)
	fs.SetOutput(stderr)
	imgPath := fs.String("image", "", "the image `FILE` (NIfTI, DICOM, PNG or JPEG; required)")
	maskPath := fs.String("mask", "", "the mask `FILE` (PNG or NIfTI; required)")
	width := fs.Float64("bin-width", 0, "fixed bin size discretisation with bin width `W` (intensity units)")
	bins := fs.Int("bins", 0, "fixed bin number discretisation with `N` bins (default 32)")
	pixel := fs.Float64("pixel-mm", 0, "pixel size in `mm` of a 2D image (required for PNG/JPEG unless 1 mm is meant; overrides DICOM)")
	reseg := fs.String("reseg", "", "re-segmentation range `lo,hi` (IBSI 2.3); an empty bound is open, e.g. \"20,\"")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	maxVox := fs.Int("max-roi-voxels", radiomics.DefaultMaxROIVoxels, "refuse a mask whose bounding box holds more than `N` voxels (about 250 bytes of memory each)")
	fs.Usage = func() {}
	if code, done := parseFlags(fs, args, radiomicsUsage, stdout); done {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "ceusrad radiomics: "+format+" (see ceusrad help radiomics)\n", a...)
		return exitUsage
	}
	if *imgPath == "" || *maskPath == "" || fs.NArg() > 0 {
		return usageErr("-image FILE and -mask FILE are required and no other argument is taken")
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["bin-width"] && set["bins"] {
		return usageErr("give -bin-width or -bins, not both")
	}
	if set["bin-width"] && !(*width > 0 && !math.IsInf(*width, 0)) {
		return usageErr("-bin-width %g: want a positive number", *width)
	}
	if set["bins"] && *bins < 1 {
		return usageErr("-bins %d: want a positive integer", *bins)
	}
	if set["pixel-mm"] && !(*pixel > 0 && !math.IsInf(*pixel, 0)) {
		return usageErr("-pixel-mm %g: want a positive number", *pixel)
	}
	if *maxVox < 1 {
		return usageErr("-max-roi-voxels %d: want a positive number of voxels", *maxVox)
	}
	s := radiomics.DefaultSettings()
	s.MaxROIVoxels = *maxVox
	if *reseg != "" {
		r, err := parseResegRange(*reseg)
		if err != nil {
			return usageErr("-reseg %q: %v", *reseg, err)
		}
		s.Resegment = &r
	}
	img, overlay, assumed, err := loadRadiomicsImage(*imgPath, *pixel, set["pixel-mm"])
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad radiomics: %v\n", err)
		return exitError
	}
	if assumed {
		fmt.Fprintf(stderr, "ceusrad radiomics: note: %s states no pixel size; 1 mm assumed (give -pixel-mm)\n", *imgPath)
	}
	mask, err := imaging.ReadMask(*maskPath)
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad radiomics: %v\n", err)
		return exitError
	}
	if mask.Width != img.Nx || mask.Height != img.Ny || mask.Depth != img.Nz {
		fmt.Fprintf(stderr, "ceusrad radiomics: %s: mask is %d×%d×%d, the image %s is %d×%d×%d: want the same size\n",
			*maskPath, mask.Width, mask.Height, mask.Depth, *imgPath, img.Nx, img.Ny, img.Nz)
		return exitError
	}
	switch {
	case set["bins"]:
		s.Discretisation = radiomics.Discretisation{Method: radiomics.FixedBinNumber, Bins: *bins}
	case set["bin-width"]:
		s.Discretisation = radiomics.Discretisation{Method: radiomics.FixedBinSize, Width: *width}
		if *width == 1 && radiomicsIntegerInMask(img, mask, s.Resegment) {
			s.Discretisation = radiomics.Discretisation{Method: radiomics.Identity}
		}
	}
	feats, nOverlay, err := radiomics.ExtractExcluding(img, mask, overlay, s)
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad radiomics: %s with %s: %v\n", *imgPath, *maskPath, err)
		return exitError
	}
	warnings := []string{}
	if n := mask.Count(); float64(nOverlay) > imaging.OverlayWarnFraction*float64(n) {
		warnings = append(warnings, fmt.Sprintf("%d of the mask's %d pixels (%.1f%%) are covered by a coloured overlay (calipers, text, colour bars) and were left out of the intensity and texture features; check the mask and the export",
			nOverlay, n, 100*float64(nOverlay)/float64(n)))
	}
	for _, w := range warnings {
		fmt.Fprintf(stderr, "ceusrad radiomics: warning: %s\n", w)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", " ")
		if err := enc.Encode(radiomicsReport{OverlayPixels: nOverlay, Warnings: warnings, Features: feats}); err != nil {
			fmt.Fprintf(stderr, "ceusrad radiomics: %v\n", err)
			return exitError
		}
		return exitOK
	}
	d := s.Discretisation
	desc := map[radiomics.Method]string{
		radiomics.Identity:       "none (integer intensities used as grey levels)",
		radiomics.FixedBinNumber: fmt.Sprintf("fixed bin number, %d bins", d.Bins),
		radiomics.FixedBinSize:   fmt.Sprintf("fixed bin size, width %g", d.Width),
	}[d.Method]
	fmt.Fprintf(stdout, "%s (%d×%d×%d, voxel %g×%g×%g mm), mask %s (%d pixels left out as coloured overlay): %d features; discretisation: %s\n\n",
		*imgPath, img.Nx, img.Ny, img.Nz, img.Spacing[0], img.Spacing[1], img.Spacing[2], *maskPath, nOverlay, len(feats), desc)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "family\tfeature\tIBSI\taggregation\tvalue")
	for _, f := range feats {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.6g\n", f.Family, f.Name, f.IBSIID, f.Aggregation, f.Value)
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(stderr, "ceusrad radiomics: %v\n", err)
		return exitError
	}
	return exitOK
}

// parseResegRange reads "lo,hi" with either bound empty for an open end.
func parseResegRange(s string) (radiomics.Range, error) {
	lo, hi, ok := strings.Cut(s, ",")
	if !ok {
		return radiomics.Range{}, errors.New("want lo,hi")
	}
	r := radiomics.Range{Min: math.Inf(-1), Max: math.Inf(1)}
	var err error
	if lo = strings.TrimSpace(lo); lo != "" {
		if r.Min, err = strconv.ParseFloat(lo, 64); err != nil {
			return r, err
		}
	}
	if hi = strings.TrimSpace(hi); hi != "" {
		if r.Max, err = strconv.ParseFloat(hi, 64); err != nil {
			return r, err
		}
	}
	if math.IsNaN(r.Min) || math.IsNaN(r.Max) || r.Min > r.Max {
		return r, errors.New("want lo ≤ hi")
	}
	return r, nil
}

// loadRadiomicsImage reads a NIfTI volume, or a 2D still with its pixel size: pixelMM
// when given, else the DICOM pixel size, else 1 mm (assumed is then true), and its
// burned-in coloured overlay (imaging.ReadImageOverlay; nil for a volume).
func loadRadiomicsImage(path string, pixelMM float64, given bool) (v *imaging.Volume, overlay *imaging.Mask, assumed bool, err error) {
	lower := strings.ToLower(path)
	if strings.HasSuffix(lower, ".nii") || strings.HasSuffix(lower, ".nii.gz") {
		v, err := imaging.ReadNIfTI(path)
		if err != nil {
			return nil, nil, false, err
		}
		if given && v.Nz == 1 {
			v.Spacing[0], v.Spacing[1] = pixelMM, pixelMM
		}
		return v, nil, false, nil
	}
	still, overlay, err := imaging.ReadImageOverlay(path, 0)
	if err != nil {
		return nil, nil, false, err
	}
	px := 0.0
	switch ext := filepath.Ext(lower); {
	case given:
		px = pixelMM
	case ext != ".png" && ext != ".jpg" && ext != ".jpeg":
		// A DICOM still: its pixel size, when it states one.
		c, err := imaging.OpenCine(path, imaging.CineOptions{})
		if err != nil {
			return nil, nil, false, err
		}
		px = c.Info().PixelSpacingMM
		c.Close()
	}
	if !(px > 0) {
		px, assumed = 1, true
	}
	v, err = radiomics.FromImage(still, px, px)
	return v, overlay, assumed, err
}

// radiomicsIntegerInMask reports whether every intensity inside the mask (and the
// re-segmentation range) is an integer ≥ 1.
func radiomicsIntegerInMask(v *imaging.Volume, m *imaging.Mask, r *radiomics.Range) bool {
	var xs []float64
	for i, in := range m.Data {
		if in && (r == nil || (v.Data[i] >= r.Min && v.Data[i] <= r.Max)) {
			xs = append(xs, v.Data[i])
		}
	}
	return len(xs) > 0 && radiomics.IsIntegerLevels(xs)
}
