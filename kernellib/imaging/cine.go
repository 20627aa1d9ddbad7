package imaging

import (
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
)

// Frame is one frame of a cine. Img is *image.Gray for 8-bit data (RGB/YBR converted to grey) or
// *image.Gray16 for 16-bit data. Time is in seconds from the first frame.
//
// Overlay marks the chromatic pixels of a colour source (burned-in coloured calipers, text,
// colour bars, ECG traces; overlay.go), in the frame's geometry (after any crop): nil when
// the frame has none, when the source is grey or a video, and when detection is off
// (CineOptions.ChromaThreshold < 0).
type Frame struct {
	Index   int
	Time    float64
	Img     image.Image
	Overlay *Mask
}

// Cine is a stream of frames. Next returns the frames in order and io.EOF after the
// last one; each returned image is newly allocated and belongs to the caller. Close
// releases the file (or the ffmpeg process).
type Cine interface {
	Info() CineInfo
	Next() (Frame, error)
	Close() error
}

// TimingSource says where the frame times of a cine come from.
type TimingSource string

// The timing sources, in the order OpenCine tries them for DICOM (PS3.3 C.7.6.5).
const (
	TimingFrameTimeVector TimingSource = "FrameTimeVector (0018,1065)"
	TimingFrameTime       TimingSource = "FrameTime (0018,1063)"
	TimingCineRate        TimingSource = "CineRate (0018,0040)"
	TimingVideo           TimingSource = "video stream frame rate"
	TimingOption          TimingSource = "CineOptions.FrameRate"
)

// Region is one item of the Sequence of Ultrasound Regions (0018,6011), DICOM PS3.3
// C.8.5.5.1. Bounds is [MinX0, MaxX1+1) × [MinY0, MaxY1+1) in pixels of the stored
// image (before any crop). DeltaX/DeltaY are Physical Delta X/Y (0018,602C/602E) in
// the units given by UnitsX/UnitsY (0018,6024/6026; 3 = cm, 0 = none, 4 = s, ...).
type Region struct {
	Bounds        image.Rectangle
	SpatialFormat int // (0018,6012): 0 none, 1 2D, 2 M-mode, 3 spectral, 4 waveform, 5 graphics
	DataType      int // (0018,6014): 1 tissue, 2 colour flow, ...
	Flags         int // (0018,6016)
	UnitsX        int
	UnitsY        int
	DeltaX        float64
	DeltaY        float64
}

// PixelSpacingMM returns the region's physical pixel size in millimetres when both
// directions are in centimetres (units code 3) and positive; ok is false otherwise.
func (r Region) PixelSpacingMM() (dx, dy float64, ok bool) {
	if r.UnitsX != 3 || r.UnitsY != 3 || !(r.DeltaX > 0) || !(r.DeltaY > 0) {
		return 0, 0, false
	}
	return 10 * r.DeltaX, 10 * r.DeltaY, true
}

// CineInfo describes an open cine. Width and Height are those of the delivered
// frames (after Crop); Crop is the crop box in stored-image pixels (empty: none).
type CineInfo struct {
	Path           string
	Format         string // "dicom", "frames" or "video"
	Width, Height  int
	NumFrames      int
	BitsAllocated  int    // 8 or 16 (bits per delivered grey sample)
	Photometric    string // as stored: MONOCHROME2, RGB, YBR_FULL_422, ...
	TransferSyntax string // DICOM only
	Timing         TimingSource
	FrameRate      float64 // frames per second: 1/mean frame interval
	// PixelSpacingMM is the physical pixel size in mm: the row spacing of Pixel Spacing
	// (0028,0030) when present, else Physical Delta Y of the Ultrasound Regions
	// (0018,6011) in cm × 10 — of the 2D region that contains the crop box when a crop
	// is given, else the value all 2D regions share. 0 when unknown or ambiguous.
	PixelSpacingMM float64
	Regions        []Region
	Crop           image.Rectangle
	// Selected is the region CineOptions.Region chose (Crop is its box); nil when no
	// region was asked for.
	Selected *RegionSelection
}

// CineOptions are the caller's settings for OpenCine. The zero value is usable: no
// frame rate, no crop, and the default limits.
type CineOptions struct {
	// FrameRate in frames per second, used when the file carries no timing (always for
	// a folder of frames).
	FrameRate float64
	// Crop is the box, in stored-image pixels, cut out of every frame (for side-by-side
	// B-mode/CEUS displays). Empty means no crop; it must lie inside the image.
	Crop image.Rectangle
	// Region selects one Ultrasound Region of a dual display (region.go): a 0-based
	// index into the Sequence of Ultrasound Regions (0018,6011), "left" or "right".
	// OpenCine reads the regions first and crops every frame to the region's box,
	// clipped to the image. Formats without regions (folders of frames, videos, DICOM
	// files without the sequence) refuse it. It excludes Crop.
	Region string
	// MaxFrames refuses cines that declare more frames (default DefaultMaxFrames).
	MaxFrames int
	// MaxPixels refuses frames with more pixels (default DefaultMaxPixels).
	MaxPixels int
	// ChromaThreshold is the chroma, max(R, G, B) − min(R, G, B) on the 8-bit scale,
	// above which a pixel of a colour source is marked in Frame.Overlay: 0 means
	// DefaultChromaThreshold, a negative value turns the detection off.
	ChromaThreshold int
}

// Default limits of CineOptions.
const (
	DefaultMaxFrames = 100000
	DefaultMaxPixels = 1 << 26 // 8192 × 8192
)

func (o CineOptions) maxFrames() int {
	if o.MaxFrames > 0 {
		return o.MaxFrames
	}
	return DefaultMaxFrames
}

func (o CineOptions) maxPixels() int {
	if o.MaxPixels > 0 {
		return o.MaxPixels
	}
	return DefaultMaxPixels
}

// videoExts are the file name extensions OpenCine hands to ffmpeg.
var videoExts = map[string]bool{
	".mp4": true, ".avi": true, ".mov": true, ".mkv": true, ".webm": true,
	".wmv": true, ".mpg": true, ".mpeg": true, ".m4v": true, ".ogv": true,
}

// OpenCine opens the cine at path: a folder of numbered PNG/JPEG frames, a video file
// (by extension: .mp4, .avi, .mov, .mkv, .webm, .wmv, .mpg, .mpeg, .m4v, .ogv; decoded by
// ffmpeg), or otherwise a DICOM Part 10 file (PS3.10 7.1: "DICM" at byte 128). See the
// package documentation for the supported encodings and the order in which frame timing
// is taken.
func OpenCine(path string, opt CineOptions) (Cine, error) {
	if opt.FrameRate != 0 && !(opt.FrameRate >= MinFrameRate && opt.FrameRate <= MaxFrameRate) {
		return nil, fmt.Errorf("imaging: %s: CineOptions.FrameRate = %v, want %v to %v frames per second (or 0: from the file)", path, opt.FrameRate, MinFrameRate, MaxFrameRate)
	}
	if opt.Region != "" {
		return openRegion(path, opt)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("imaging: %w", err)
	}
	if st.IsDir() {
		return openFrameFolder(path, opt)
	}
	if videoExts[strings.ToLower(filepath.Ext(path))] {
		return openVideo(path, opt)
	}
	return openDICOMCine(path, opt)
}

// cropRect checks opt.Crop against a w×h image and returns the delivered box.
func cropRect(path string, opt CineOptions, w, h int) (image.Rectangle, error) {
	full := image.Rect(0, 0, w, h)
	if opt.Crop.Empty() {
		return full, nil
	}
	if !opt.Crop.In(full) {
		return image.Rectangle{}, fmt.Errorf("imaging: %s: CineOptions.Crop %v does not lie inside the %d×%d image", path, opt.Crop, w, h)
	}
	return opt.Crop, nil
}
