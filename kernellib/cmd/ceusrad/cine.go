package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/suyashkumar/dicom"
	"github.com/suyashkumar/dicom/pkg/tag"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

func init() {
	register(command{
		name:    "cine",
		summary: "what ceusrad sees in a cine or image: header facts as JSON, grey frames as NumPy .npy",
		run:     runCine,
	})
}

const cineUsage = `Usage: ceusrad cine -in FILE [-info] [-export DIR] [-frame-rate F] [-region K]

Opens a cine as every ceusrad analysis does — a DICOM file (multi-frame or a
single-frame still), a folder of numbered PNG/JPEG frames, a video file — or a
single PNG/JPEG image (one frame), streams all of its frames and reports what
ceusrad sees.

-info (the default without -export) prints one JSON object: input, format,
frames, rows, columns, photometric_interpretation, transfer_syntax_uid,
transfer_syntax_name, bits_allocated, frame_times_s (every frame, seconds
from the first), frame_rate, timing_source, pixel_spacing_mm,
pixel_spacing_source, regions (every item of the Sequence of Ultrasound
Regions (0018,6011) with its 0-based index, its box as stored (min_x0,
min_y0, max_x1, max_y1, inclusive), spatial format, data type, flags,
physical units and deltas), dual_display (the left and right 2D regions of a
side-by-side display, or null), selected_region and crop. It never holds a
patient's name, ID or birth date.

-export DIR writes DIR/frames.npy — the grey frames exactly as ceusrad
analyses them (colour converted with the BT.601 luma, cropped to the region),
as NumPy float32, shape (frames, rows, columns), C order — and DIR/info.json
(the -info object). In Python: numpy.load("DIR/frames.npy"). DIR is created
when missing; it may not be, or lie inside, the input's folder or the input
itself.

-region K crops to one Ultrasound Region of a dual display first: a 0-based
index into the Sequence of Ultrasound Regions (as listed by -info), left or
right (the leftmost / rightmost 2D region). Files without regions refuse it.

-frame-rate F gives the frame rate (frames per second) of a cine without
timing (a folder of frames, a DICOM file without Frame Time).

Flags:
`

// cineRegion is one Ultrasound Region in the JSON of `ceusrad cine`.
type cineRegion struct {
	Index             int         `json:"index"`
	MinX0             int         `json:"min_x0"`
	MinY0             int         `json:"min_y0"`
	MaxX1             int         `json:"max_x1"`
	MaxY1             int         `json:"max_y1"`
	Width             int         `json:"width"`
	Height            int         `json:"height"`
	SpatialFormat     int         `json:"spatial_format"`
	SpatialFormatName string      `json:"spatial_format_name"`
	DataType          int         `json:"data_type"`
	DataTypeName      string      `json:"data_type_name"`
	Flags             int         `json:"flags"`
	FlagsDecoded      cineFlags   `json:"flags_decoded"`
	UnitsX            int         `json:"physical_units_x"`
	UnitsY            int         `json:"physical_units_y"`
	UnitsXName        string      `json:"physical_units_x_name"`
	UnitsYName        string      `json:"physical_units_y_name"`
	DeltaX            jsonFloat   `json:"physical_delta_x"`
	DeltaY            jsonFloat   `json:"physical_delta_y"`
	PixelSpacingMM    *[2]float64 `json:"pixel_spacing_mm"`
}

// cineFlags decodes Region Flags (0018,6016), PS3.3 C.8.5.5.1.3: bit 0 region
// priority (0 high, 1 low), bit 1 scaling protection, bit 2 Doppler scale type (0
// velocity, 1 frequency), bits 3–4 scrolling region (0 unspecified, 1 scrolling, 2
// sweeping, 3 sweeping then scrolling).
type cineFlags struct {
	Priority         string `json:"priority"`
	ScalingProtected bool   `json:"scaling_protected"`
	DopplerScaleType string `json:"doppler_scale_type"`
	ScrollingRegion  string `json:"scrolling_region"`
}

func decodeRegionFlags(f int) cineFlags {
	d := cineFlags{Priority: "high", ScalingProtected: f&2 != 0, DopplerScaleType: "velocity"}
	if f&1 != 0 {
		d.Priority = "low"
	}
	if f&4 != 0 {
		d.DopplerScaleType = "frequency"
	}
	d.ScrollingRegion = []string{"unspecified", "scrolling", "sweeping", "sweeping then scrolling"}[(f>>3)&3]
	return d
}

// cineBox is a box in stored-image pixels: x, y of its top-left corner, and its size.
type cineBox struct {
	X      int `json:"x"`
	Y      int `json:"y"`
	Width  int `json:"width"`
	Height int `json:"height"`
}

type cineSelected struct {
	Spec  string  `json:"spec"`
	Index int     `json:"index"`
	Box   cineBox `json:"box"`
}

type cineDual struct {
	Left  int `json:"left"`
	Right int `json:"right"`
}

// cineReport is the JSON of `ceusrad cine -info` and DIR/info.json. It has no
// patient field: nothing that identifies a patient is read into it.
type cineReport struct {
	Input              string        `json:"input"`
	Format             string        `json:"format"`
	Frames             int           `json:"frames"`
	Rows               int           `json:"rows"`
	Columns            int           `json:"columns"`
	StoredRows         int           `json:"stored_rows"`
	StoredColumns      int           `json:"stored_columns"`
	Photometric        string        `json:"photometric_interpretation"`
	TransferSyntaxUID  string        `json:"transfer_syntax_uid"`
	TransferSyntaxName string        `json:"transfer_syntax_name"`
	BitsAllocated      int           `json:"bits_allocated"`
	FrameTimes         []jsonFloat   `json:"frame_times_s"`
	FrameRate          jsonFloat     `json:"frame_rate"`
	TimingSource       string        `json:"timing_source"`
	PixelSpacingMM     jsonFloat     `json:"pixel_spacing_mm"`
	PixelSpacingSource string        `json:"pixel_spacing_source"`
	Regions            []cineRegion  `json:"regions"`
	DualDisplay        *cineDual     `json:"dual_display"`
	SelectedRegion     *cineSelected `json:"selected_region"`
	Crop               *cineBox      `json:"crop"`
}

func runCine(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cine", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "the cine or image `file` (or folder of frames) (required)")
	info := fs.Bool("info", false, "print the JSON description (the default without -export)")
	export := fs.String("export", "", "write `DIR`/frames.npy and DIR/info.json")
	frameRate := fs.Float64("frame-rate", 0, "frame rate in frames per `second` for a cine without timing")
	region := fs.String("region", "", "Ultrasound Region to crop to: 0-based `index`, left or right")
	fs.Usage = func() {}
	if code, done := parseFlags(fs, args, cineUsage, stdout); done {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "ceusrad cine: "+format+" (see ceusrad help cine)\n", a...)
		return exitUsage
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	if *in == "" {
		return usageErr("-in is required")
	}
	if !(*frameRate >= 0) {
		return usageErr("-frame-rate %v: want a number of frames per second > 0", *frameRate)
	}
	if _, err := imaging.ParseRegionSpec(*region); err != nil {
		return usageErr("-region: %v", err)
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "ceusrad cine: %v\n", err)
		return exitError
	}
	if *export != "" {
		if err := checkExportDir(*export, *in); err != nil {
			return fail(err)
		}
	}
	src, err := openCineSource(*in, imaging.CineOptions{FrameRate: *frameRate, Region: *region})
	if err != nil {
		return fail(err)
	}
	defer src.Close()
	rec := &timeRecorder{Cine: src}
	var npyPath string
	if *export != "" {
		if err := os.MkdirAll(*export, 0o755); err != nil {
			return fail(err)
		}
		lock, err := safeio.LockDir(*export)
		if err != nil {
			return fail(err)
		}
		defer lock.Unlock()
		ci := src.Info()
		if err := safeio.CheckFreeSpace(*export, uint64(ci.NumFrames)*uint64(ci.Width)*uint64(ci.Height)*4+4096); err != nil {
			return fail(err)
		}
		npyPath = filepath.Join(*export, "frames.npy")
		if _, err := imaging.WriteNPY(npyPath, rec); err != nil {
			return fail(err)
		}
	} else if err := rec.drain(); err != nil {
		return fail(err)
	}
	rep := cineReportOf(*in, src.Info(), rec.times)
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return fail(err)
	}
	b = append(b, '\n')
	if *export != "" {
		infoPath := filepath.Join(*export, "info.json")
		if err := safeio.WriteFile(infoPath, b); err != nil {
			return fail(err)
		}
		if !*info {
			fmt.Fprintf(stdout, "wrote %s (%d frames of %d×%d, float32) and %s\n", npyPath, rep.Frames, rep.Rows, rep.Columns, infoPath)
			return exitOK
		}
	}
	stdout.Write(b)
	return exitOK
}

// checkExportDir refuses an export folder that is, or contains, the input (or its
// frame folder), and outputs that name the input (safeio.CheckOutputs).
func checkExportDir(dir, in string) error {
	outs := []string{dir, filepath.Join(dir, "frames.npy"), filepath.Join(dir, "info.json")}
	if err := safeio.CheckOutputs(outs, []string{in}); err != nil {
		return err
	}
	d, err1 := canonicalPath(dir)
	p, err2 := canonicalPath(in)
	if err1 != nil || err2 != nil {
		return nil // the open of the input reports a missing file
	}
	if rel, err := filepath.Rel(d, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("-export %s contains the input %s; export into another folder", dir, in)
	}
	return nil
}

// canonicalPath is the absolute path with symlinks resolved (of the folder when the
// path itself does not exist yet).
func canonicalPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r, nil
	}
	d, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return abs, nil
	}
	return filepath.Join(d, filepath.Base(abs)), nil
}

// openCineSource opens path with imaging.OpenCine, or, for a PNG or JPEG file (neither
// DICOM nor a video nor a folder), as a one-frame cine of imaging.ReadImage's grey image.
func openCineSource(path string, opt imaging.CineOptions) (imaging.Cine, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() || isDICOMFile(path) {
		return imaging.OpenCine(path, opt)
	}
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".png" && ext != ".jpg" && ext != ".jpeg" {
		return imaging.OpenCine(path, opt) // a video, or an error naming the file
	}
	if opt.Region != "" {
		return nil, fmt.Errorf("%s: -region %s: a PNG/JPEG image has no Ultrasound Regions", path, opt.Region)
	}
	img, err := imaging.ReadImage(path)
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	bits := 8
	if _, ok := img.(*image.Gray16); ok {
		bits = 16
	}
	return &stillCine{img: img, info: imaging.CineInfo{Path: path, Format: strings.TrimPrefix(ext, "."), Width: b.Dx(), Height: b.Dy(), NumFrames: 1, BitsAllocated: bits}}, nil
}

// isDICOMFile reports whether path starts with the Part 10 preamble and "DICM"
// (PS3.10 7.1).
func isDICOMFile(path string) bool {
	f, err := safeio.OpenRegular(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var b [132]byte
	if _, err := io.ReadFull(f, b[:]); err != nil {
		return false
	}
	return string(b[128:]) == "DICM"
}

// stillCine is a PNG/JPEG image as a one-frame cine.
type stillCine struct {
	img  image.Image
	info imaging.CineInfo
	done bool
}

func (c *stillCine) Info() imaging.CineInfo { return c.info }
func (c *stillCine) Close() error           { return nil }
func (c *stillCine) Next() (imaging.Frame, error) {
	if c.done {
		return imaging.Frame{}, io.EOF
	}
	c.done = true
	return imaging.Frame{Img: c.img}, nil
}

// timeRecorder passes a cine's frames on and records their times.
type timeRecorder struct {
	imaging.Cine
	times []float64
}

func (r *timeRecorder) Next() (imaging.Frame, error) {
	f, err := r.Cine.Next()
	if err == nil {
		r.times = append(r.times, f.Time)
	}
	return f, err
}

// drain reads every frame, checking the count and size against the header.
func (r *timeRecorder) drain() error {
	info := r.Info()
	for {
		f, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if s := f.Img.Bounds().Size(); s != image.Pt(info.Width, info.Height) {
			return fmt.Errorf("%s: frame %d is %d×%d, the header says %d×%d", info.Path, f.Index, s.X, s.Y, info.Width, info.Height)
		}
	}
	if len(r.times) != info.NumFrames {
		return fmt.Errorf("%s: %d frames read, the header declares %d", info.Path, len(r.times), info.NumFrames)
	}
	return nil
}

// cineReportOf builds the JSON report of an opened (and fully read) cine.
func cineReportOf(input string, info imaging.CineInfo, times []float64) cineReport {
	rep := cineReport{
		Input: input, Format: info.Format, Frames: info.NumFrames, Rows: info.Height, Columns: info.Width,
		StoredRows: info.Height, StoredColumns: info.Width,
		Photometric: info.Photometric, TransferSyntaxUID: info.TransferSyntax,
		TransferSyntaxName: imaging.TransferSyntaxName(info.TransferSyntax), BitsAllocated: info.BitsAllocated,
		FrameRate: jsonFloat(info.FrameRate), TimingSource: string(info.Timing),
		PixelSpacingMM: jsonFloat(info.PixelSpacingMM), Regions: []cineRegion{},
	}
	rep.FrameTimes = make([]jsonFloat, len(times))
	for i, t := range times {
		rep.FrameTimes[i] = jsonFloat(t)
	}
	for i, r := range info.Regions {
		cr := cineRegion{
			Index: i, MinX0: r.Bounds.Min.X, MinY0: r.Bounds.Min.Y, MaxX1: r.Bounds.Max.X - 1, MaxY1: r.Bounds.Max.Y - 1,
			Width: r.Bounds.Dx(), Height: r.Bounds.Dy(),
			SpatialFormat: r.SpatialFormat, SpatialFormatName: imaging.SpatialFormatName(r.SpatialFormat),
			DataType: r.DataType, DataTypeName: imaging.DataTypeName(r.DataType), Flags: r.Flags, FlagsDecoded: decodeRegionFlags(r.Flags),
			UnitsX: r.UnitsX, UnitsY: r.UnitsY, UnitsXName: imaging.UnitsName(r.UnitsX), UnitsYName: imaging.UnitsName(r.UnitsY),
			DeltaX: jsonFloat(r.DeltaX), DeltaY: jsonFloat(r.DeltaY),
		}
		if dx, dy, ok := r.PixelSpacingMM(); ok {
			cr.PixelSpacingMM = &[2]float64{dx, dy}
		}
		rep.Regions = append(rep.Regions, cr)
	}
	if l, r, ok := imaging.SideBySide(info.Regions); ok {
		rep.DualDisplay = &cineDual{Left: l, Right: r}
	}
	if !info.Crop.Empty() {
		c := info.Crop
		rep.Crop = &cineBox{X: c.Min.X, Y: c.Min.Y, Width: c.Dx(), Height: c.Dy()}
	}
	if s := info.Selected; s != nil {
		rep.SelectedRegion = &cineSelected{Spec: s.Spec, Index: s.Index, Box: cineBox{X: s.Box.Min.X, Y: s.Box.Min.Y, Width: s.Box.Dx(), Height: s.Box.Dy()}}
		rep.StoredColumns, rep.StoredRows = s.Stored.X, s.Stored.Y
	}
	rep.PixelSpacingSource = pixelSpacingSource(info)
	return rep
}

// pixelSpacingSource says where CineInfo.PixelSpacingMM comes from, following
// imaging's rule (Pixel Spacing (0028,0030) when present and positive, else the
// Physical Delta Y of the Ultrasound Regions): the Pixel Spacing element is looked up
// with github.com/suyashkumar/dicom (header only).
func pixelSpacingSource(info imaging.CineInfo) string {
	if !(info.PixelSpacingMM > 0) {
		return ""
	}
	if info.Format != "dicom" {
		return info.Format
	}
	present, known := hasPixelSpacing(info.Path)
	switch {
	case !known:
		return "Pixel Spacing (0028,0030) or Physical Delta Y of the Ultrasound Regions (0018,6011)"
	case present:
		return "Pixel Spacing (0028,0030)"
	case info.Selected != nil:
		return "Physical Delta Y of the Ultrasound Region containing the crop (0018,6011)"
	}
	return "Physical Delta Y of the 2D Ultrasound Regions (0018,6011)"
}

// hasPixelSpacing reports whether the DICOM file holds a positive Pixel Spacing
// (0028,0030) in its top-level data set; known is false when the header could not be
// parsed.
func hasPixelSpacing(path string) (present, known bool) {
	defer func() {
		if recover() != nil {
			present, known = false, false
		}
	}()
	f, err := safeio.OpenRegular(path)
	if err != nil {
		return false, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return false, false
	}
	ds, err := dicom.Parse(f, st.Size(), nil, dicom.SkipPixelData(), dicom.AllowUnknownSpecificCharacterSet(), dicom.AllowMissingMetaElementGroupLength())
	if err != nil {
		return false, false
	}
	e, err := ds.FindElementByTag(tag.PixelSpacing)
	if err != nil || e.Value == nil {
		return false, true
	}
	s, isStr := e.Value.GetValue().([]string)
	if !isStr || len(s) == 0 {
		return false, true
	}
	var v float64
	if _, err := fmt.Sscan(strings.TrimSpace(s[0]), &v); err != nil {
		return false, true
	}
	return v > 0, true
}
