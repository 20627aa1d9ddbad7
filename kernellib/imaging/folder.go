package imaging

import (
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // JPEG frames
	_ "image/png"  // PNG frames
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// frameFolder streams a folder of numbered PNG/JPEG frames.
type frameFolder struct {
	info      CineInfo
	files     []string
	dt        float64
	next      int
	crop      image.Rectangle
	depth     int         // 8 or 16
	size      image.Point // of the stored frames
	maxPixels int
	chroma    int // overlay threshold (CineOptions.chromaThreshold; -1: off)
}

var frameExts = map[string]bool{".png": true, ".jpg": true, ".jpeg": true}

// frameNumber returns the last run of decimal digits in the file name without its
// extension ("frame_0012.png" → 12).
func frameNumber(name string) (uint64, bool) {
	base := strings.TrimSuffix(name, filepath.Ext(name))
	end := len(base)
	for end > 0 && (base[end-1] < '0' || base[end-1] > '9') {
		end--
	}
	start := end
	for start > 0 && base[start-1] >= '0' && base[start-1] <= '9' {
		start--
	}
	if start == end {
		return 0, false
	}
	n, err := strconv.ParseUint(base[start:end], 10, 64)
	return n, err == nil
}

// openFrameFolder lists dir: every entry except hidden ones (names starting with ".")
// must be a PNG or JPEG file whose name holds a frame number; frames are ordered by that
// number (numeric order: 2 before 10). The frame rate comes from CineOptions.FrameRate.
func openFrameFolder(dir string, opt CineOptions) (Cine, error) {
	fail := func(format string, a ...any) error {
		return fmt.Errorf("imaging: %s: "+format, append([]any{dir}, a...)...)
	}
	if !(opt.FrameRate > 0) {
		return nil, fail("a folder of frames carries no timing: give CineOptions.FrameRate (frames per second)")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("imaging: %w", err)
	}
	type numbered struct {
		n    uint64
		name string
	}
	var list []numbered
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if t := e.Type(); t&(fs.ModeNamedPipe|fs.ModeSocket|fs.ModeDevice|fs.ModeCharDevice|fs.ModeIrregular) != 0 {
			return nil, fail("%q is not a regular file (a named pipe, socket or device): want a PNG or JPEG frame", name)
		}
		if e.IsDir() || !frameExts[strings.ToLower(filepath.Ext(name))] {
			return nil, fail("%q is not a PNG or JPEG frame (.png, .jpg, .jpeg)", name)
		}
		n, ok := frameNumber(name)
		if !ok {
			return nil, fail("frame file %q has no frame number in its name", name)
		}
		list = append(list, numbered{n, name})
	}
	if len(list) == 0 {
		return nil, fail("no PNG or JPEG frames")
	}
	if len(list) > opt.maxFrames() {
		return nil, fail("%d frames exceed the limit of %d (CineOptions.MaxFrames)", len(list), opt.maxFrames())
	}
	sort.Slice(list, func(i, j int) bool { return list[i].n < list[j].n })
	files := make([]string, len(list))
	for i, e := range list {
		if i > 0 && e.n == list[i-1].n {
			return nil, fail("frames %q and %q have the same number %d", list[i-1].name, e.name, e.n)
		}
		files[i] = filepath.Join(dir, e.name)
	}
	cfg, err := decodeConfig(files[0])
	if err != nil {
		return nil, err
	}
	if cfg.Width*cfg.Height > opt.maxPixels() {
		return nil, fail("frames of %d×%d pixels exceed the limit of %d pixels (CineOptions.MaxPixels)", cfg.Width, cfg.Height, opt.maxPixels())
	}
	crop, err := cropRect(dir, opt, cfg.Width, cfg.Height)
	if err != nil {
		return nil, err
	}
	c := &frameFolder{files: files, dt: 1 / opt.FrameRate, crop: crop, depth: modelDepth(cfg.ColorModel),
		size: image.Pt(cfg.Width, cfg.Height), maxPixels: opt.maxPixels(), chroma: opt.chromaThreshold()}
	c.info = CineInfo{
		Path: dir, Format: "frames", Width: crop.Dx(), Height: crop.Dy(), NumFrames: len(files),
		BitsAllocated: c.depth, Photometric: modelName(cfg.ColorModel), Timing: TimingOption, FrameRate: opt.FrameRate,
	}
	if !opt.Crop.Empty() {
		c.info.Crop = crop
	}
	return c, nil
}

// modelDepth is 16 for 16-bit colour models, 8 otherwise.
func modelDepth(m color.Model) int {
	switch m {
	case color.Gray16Model, color.RGBA64Model, color.NRGBA64Model:
		return 16
	}
	return 8
}

func modelName(m color.Model) string {
	switch m {
	case color.GrayModel, color.Gray16Model:
		return "MONOCHROME2"
	case color.YCbCrModel:
		return "YBR_FULL"
	}
	return "RGB"
}

func decodeConfig(path string) (image.Config, error) {
	f, err := safeio.OpenRegular(path)
	if err != nil {
		return image.Config{}, fmt.Errorf("imaging: %w", err)
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return image.Config{}, fmt.Errorf("imaging: %s: %w", path, err)
	}
	return cfg, nil
}

// decodeImage decodes a PNG or JPEG file after checking its declared size against
// maxPixels (and against want, when want is not empty).
func decodeImage(path string, maxPixels int, want image.Point) (image.Image, error) {
	f, err := safeio.OpenRegular(path)
	if err != nil {
		return nil, fmt.Errorf("imaging: %w", err)
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return nil, fmt.Errorf("imaging: %s: %w", path, err)
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width*cfg.Height > maxPixels {
		return nil, fmt.Errorf("imaging: %s: image of %d×%d pixels: want 1..%d pixels", path, cfg.Width, cfg.Height, maxPixels)
	}
	if want != (image.Point{}) && (cfg.Width != want.X || cfg.Height != want.Y) {
		return nil, fmt.Errorf("imaging: %s: frame is %d×%d, the cine's first frame is %d×%d", path, cfg.Width, cfg.Height, want.X, want.Y)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("imaging: %w", err)
	}
	m, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("imaging: %s: %w", path, err)
	}
	return m, nil
}

func (c *frameFolder) Info() CineInfo { return c.info }
func (c *frameFolder) Close() error   { c.next = len(c.files); return nil }

// Next decodes the next frame file and converts it with ToGray, marking the chromatic
// pixels of a colour frame in Frame.Overlay. Every frame must have the size and bit
// depth of the first.
func (c *frameFolder) Next() (Frame, error) {
	if c.next >= len(c.files) {
		return Frame{}, io.EOF
	}
	i := c.next
	m, err := decodeImage(c.files[i], c.maxPixels, c.size)
	if err != nil {
		return Frame{}, err
	}
	if d := modelDepth(m.ColorModel()); d != c.depth {
		return Frame{}, fmt.Errorf("imaging: %s: frame has %d-bit samples, the first frame %d-bit", c.files[i], d, c.depth)
	}
	c.next++
	return Frame{Index: i, Time: float64(i) * c.dt, Img: cropGray(ToGray(m), c.crop), Overlay: chromaMask(m, c.crop, c.chroma)}, nil
}
