package main

import (
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"io"
	"path/filepath"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
	"github.com/ceusrad/ceusrad/kernellib/roi"
)

func init() {
	register(command{
		name:    "roi",
		summary: "a polygon drawn on a cine frame or an image as a PNG mask (skimage.draw.polygon's rasterisation)",
		run:     runROI,
	})
}

const roiUsage = `Usage: ceusrad roi (-cine FILE [-frame K] | -image FILE) [-region R] -polygon "x1,y1 x2,y2 ..." -out MASK.png

Rasterises a polygon into a mask for the manifest's lesion_mask or liver_mask
columns: a pixel is inside when its centre is inside the polygon or on its
edge, exactly as scikit-image's skimage.draw.polygon (package
kernellib/roi; self-intersecting polygons are filled by the even–odd rule,
parts outside the image are clipped).

Coordinates are pixels of the frame as ceusrad reads it (what
'ceusrad cine -export' writes, or the image as decoded): x is the column, y
the row, (0,0) is the centre of the top-left pixel (scikit-image's
convention; a point clicked where pixel corners are at integers is at
x−0.5, y−0.5). Vertices are separated by spaces, x and y by a comma; at
least 3 vertices, all finite, and at least one pixel centre inside.

-cine FILE: a cine (DICOM, a folder of numbered frames, a video) or a single
image; -frame K (0-based, default 0) is the frame the polygon was drawn on:
it must exist, and the ROI's mean grey on it is reported. -image FILE: a
still (DICOM single frame, PNG, JPEG). Give one of them.

-region R (left, right or a 0-based index, as 'ceusrad cine -info' lists
them): the polygon was drawn on that Ultrasound Region of a dual display —
in the coordinates of the cropped frame that 'ceusrad cine -region R'
shows, and clipped to it. The mask is always written in full-frame
coordinates, the size of the stored frame (and of the B-mode still of the
same geometry), with the ROI at the region's offset: the geometry the
cohort's readers expect for lesion_mask. With the manifest's cine_region
naming this region the mask is cropped to it; naming the other half of the
dual display, the ROI is moved there at the same offset
(imaging.MaskForCine) — draw on the tissue image, analyse the contrast one.

-out MASK.png is written atomically (8-bit grey, 255 inside, 0 outside); it
may not name an input.

Flags:
`

func runROI(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("roi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cine := fs.String("cine", "", "the cine `file` (or folder of frames) the polygon was drawn on")
	still := fs.String("image", "", "the still image `file` the polygon was drawn on")
	frame := fs.Int("frame", 0, "the 0-based `index` of the cine frame the polygon was drawn on")
	region := fs.String("region", "", "the Ultrasound Region the polygon was drawn on: 0-based `index`, left or right")
	polygon := fs.String("polygon", "", "the vertices, `\"x1,y1 x2,y2 ...\"` (x = column, y = row, pixel centres at integers)")
	out := fs.String("out", "", "the mask to write, a `MASK.png`")
	fs.Usage = func() {}
	if code, done := parseFlags(fs, args, roiUsage, stdout); done {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "ceusrad roi: "+format+" (see ceusrad help roi)\n", a...)
		return exitUsage
	}
	frameSet := false
	fs.Visit(func(f *flag.Flag) { frameSet = frameSet || f.Name == "frame" })
	switch {
	case fs.NArg() > 0:
		return usageErr("unexpected argument %q", fs.Arg(0))
	case (*cine == "") == (*still == ""):
		return usageErr("give one of -cine and -image")
	case *still != "" && frameSet:
		return usageErr("-frame is for -cine; an -image has one frame")
	case *frame < 0:
		return usageErr("-frame %d: want a 0-based frame index ≥ 0", *frame)
	case *polygon == "":
		return usageErr("-polygon is required")
	case *out == "":
		return usageErr("-out is required")
	case strings.ToLower(filepath.Ext(*out)) != ".png":
		return usageErr("-out %s: the mask is written as PNG; name a .png file", *out)
	}
	if _, err := imaging.ParseRegionSpec(*region); err != nil {
		return usageErr("-region: %v", err)
	}
	p, err := roi.ParsePolygon(*polygon)
	if err == nil {
		err = p.Validate()
	}
	if err != nil {
		return usageErr("-polygon: %v", err)
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "ceusrad roi: %v\n", err)
		return exitError
	}
	in := *cine
	if in == "" {
		in = *still
	}
	if err := safeio.CheckOutputs([]string{*out}, []string{in}); err != nil {
		return fail(err)
	}
	res, err := drawROI(in, *still != "", *frame, *region, p)
	if err != nil {
		return fail(err)
	}
	g, err := roi.Gray(res.mask)
	if err != nil {
		return fail(err)
	}
	if err := imaging.WritePNG(*out, g); err != nil {
		return fail(err)
	}
	where := fmt.Sprintf("frame %d", *frame)
	if *still != "" {
		where = "the image"
	}
	if res.box != nil {
		where += fmt.Sprintf(" (region %s, at %d,%d of the stored frame)", res.spec, res.box.Min.X, res.box.Min.Y)
	}
	if res.clipped {
		fmt.Fprintf(stderr, "ceusrad roi: note: the polygon extends beyond the %d×%d frame it was drawn on; the mask is clipped to it\n", res.drawn.X, res.drawn.Y)
	}
	fmt.Fprintf(stdout, "wrote %s: %d×%d mask, %d pixels inside; mean grey %.4g on %s\n", *out, res.mask.Width, res.mask.Height, res.count, res.mean, where)
	return exitOK
}

// roiResult is a rasterised ROI and what is said about it.
type roiResult struct {
	mask    *imaging.Mask    // full-frame mask
	count   int              // pixels inside
	mean    float64          // mean grey inside, on the frame drawn on
	drawn   image.Point      // size of the frame drawn on (the region's with -region)
	box     *image.Rectangle // the region's box in the stored frame, with -region
	spec    string           // the region spec, canonical
	clipped bool             // a vertex lies outside the frame drawn on
}

// drawROI opens path (a still when still is true: exactly one frame), reads up to
// frame k, rasterises p in that frame's coordinates (those of the region's crop with
// region) and returns the mask in full-frame coordinates.
func drawROI(path string, still bool, k int, region string, p roi.Polygon) (roiResult, error) {
	// A folder of frames needs a frame rate to open; timing plays no part in a mask,
	// so a fallback of 1 frame per second stands in for files without one.
	src, err := openCineSource(path, imaging.CineOptions{FrameRate: 1, Region: region})
	if err != nil {
		return roiResult{}, err
	}
	defer src.Close()
	info := src.Info()
	if still && info.NumFrames != 1 {
		return roiResult{}, fmt.Errorf("%s: -image wants a still, the file has %d frames; use -cine", path, info.NumFrames)
	}
	var f imaging.Frame
	for i := 0; i <= k; i++ {
		f, err = src.Next()
		if errors.Is(err, io.EOF) {
			return roiResult{}, fmt.Errorf("%s: -frame %d: the cine has %d frames (0 to %d)", path, k, i, i-1)
		}
		if err != nil {
			return roiResult{}, err
		}
	}
	b := f.Img.Bounds()
	res := roiResult{drawn: b.Size()}
	for _, v := range p {
		if v.X < -0.5 || v.Y < -0.5 || v.X >= float64(b.Dx())-0.5 || v.Y >= float64(b.Dy())-0.5 {
			res.clipped = true
		}
	}
	m, err := roi.Rasterize(p, b.Dx(), b.Dy())
	if err != nil {
		return roiResult{}, err
	}
	if err := roi.NonEmpty(m, p); err != nil {
		return roiResult{}, fmt.Errorf("%s: %w", path, err)
	}
	res.count = m.Count()
	res.mean = meanGrey(f.Img, m)
	res.mask = m
	if sel := info.Selected; sel != nil {
		// Rasterised in the region's coordinates, placed at its offset in the
		// stored frame.
		if res.mask, err = roi.RasterizeIn(p, sel.Box, sel.Stored); err != nil {
			return roiResult{}, err
		}
		res.box, res.spec = &sel.Box, sel.Spec
	}
	return res, nil
}

// meanGrey is the mean grey value of img over the mask's pixels (img's origin at the
// mask's (0, 0)), in img's own scale (0–255 for 8-bit frames, 0–65535 for 16-bit).
func meanGrey(img image.Image, m *imaging.Mask) float64 {
	b := img.Bounds()
	sum, n := 0.0, 0
	for y := 0; y < m.Height; y++ {
		for x := 0; x < m.Width; x++ {
			if !m.Data[y*m.Width+x] {
				continue
			}
			switch g := img.(type) {
			case *image.Gray:
				sum += float64(g.GrayAt(b.Min.X+x, b.Min.Y+y).Y)
			case *image.Gray16:
				sum += float64(g.Gray16At(b.Min.X+x, b.Min.Y+y).Y)
			default:
				sum += float64(color.Gray16Model.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray16).Y)
			}
			n++
		}
	}
	return sum / float64(n)
}
