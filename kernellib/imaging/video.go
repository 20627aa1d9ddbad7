package imaging

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os/exec"
	"strconv"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// videoCine streams the frames of a video file decoded by ffmpeg.
type videoCine struct {
	info   CineInfo
	cancel context.CancelFunc
	cmd    *exec.Cmd
	out    *bufio.Reader
	stderr *bytes.Buffer
	w, h   int
	crop   image.Rectangle
	dt     float64
	next   int
	closed bool
}

// errNoFFmpeg names the Debian package that provides ffmpeg and ffprobe.
var errNoFFmpeg = errors.New("reading a video file needs ffmpeg and ffprobe on the PATH: install the Debian package ffmpeg (apt-get install ffmpeg)")

// openVideo reads the first video stream of path through ffmpeg: ffprobe gives the
// size, the average frame rate (avg_frame_rate) and the frame count (-count_packets),
// and `ffmpeg -f rawvideo -pix_fmt gray` gives 8-bit grey frames (ffmpeg's swscale
// conversion to luma). Frame i is at i / frame rate; CineOptions.FrameRate is used only
// when the stream has no frame rate.
func openVideo(path string, opt CineOptions) (Cine, error) {
	fail := func(format string, a ...any) error {
		return fmt.Errorf("imaging: %s: "+format, append([]any{path}, a...)...)
	}
	// ffprobe would wait forever on a named pipe: refuse anything but a regular file.
	if err := safeio.CheckRegular(path); err != nil {
		return nil, fmt.Errorf("imaging: %w", err)
	}
	ffprobe, err1 := exec.LookPath("ffprobe")
	ffmpeg, err2 := exec.LookPath("ffmpeg")
	if err1 != nil || err2 != nil {
		return nil, fail("%v", errNoFFmpeg)
	}
	probe := exec.Command(ffprobe, "-v", "error", "-select_streams", "v:0", "-count_packets",
		"-show_entries", "stream=width,height,avg_frame_rate,nb_read_packets", "-of", "default=noprint_wrappers=1", "--", path)
	var perr bytes.Buffer
	probe.Stderr = &perr
	outp, err := probe.Output()
	if err != nil {
		return nil, fail("ffprobe: %v: %s", err, strings.TrimSpace(perr.String()))
	}
	kv := map[string]string{}
	for _, line := range strings.Split(string(outp), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok {
			kv[k] = v
		}
	}
	w, errw := strconv.Atoi(kv["width"])
	h, errh := strconv.Atoi(kv["height"])
	n, errn := strconv.Atoi(kv["nb_read_packets"])
	if errw != nil || errh != nil || w < 1 || h < 1 {
		return nil, fail("ffprobe found no video stream with a width and height (got %q)", strings.TrimSpace(string(outp)))
	}
	if errn != nil || n < 1 {
		return nil, fail("ffprobe found no frames in the video stream (nb_read_packets = %q)", kv["nb_read_packets"])
	}
	if w*h > opt.maxPixels() {
		return nil, fail("frames of %d×%d pixels exceed the limit of %d pixels (CineOptions.MaxPixels)", w, h, opt.maxPixels())
	}
	if n > opt.maxFrames() {
		return nil, fail("%d frames exceed the limit of %d (CineOptions.MaxFrames)", n, opt.maxFrames())
	}
	rate, timing := 0.0, TimingVideo
	if num, den, ok := strings.Cut(kv["avg_frame_rate"], "/"); ok {
		a, e1 := strconv.ParseFloat(num, 64)
		b, e2 := strconv.ParseFloat(den, 64)
		if e1 == nil && e2 == nil && a > 0 && b > 0 {
			rate = a / b
		}
	}
	if rate == 0 {
		if !(opt.FrameRate > 0) {
			return nil, fail("the video stream has no frame rate (avg_frame_rate = %q); give CineOptions.FrameRate", kv["avg_frame_rate"])
		}
		rate, timing = opt.FrameRate, TimingOption
	}
	crop, err := cropRect(path, opt, w, h)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, ffmpeg, "-nostdin", "-v", "error", "-i", path, "-map", "0:v:0",
		"-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "gray", "-")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, fail("ffmpeg: %v", err)
	}
	c := &videoCine{cancel: cancel, cmd: cmd, out: bufio.NewReaderSize(stdout, 1<<16), stderr: &bytes.Buffer{}, w: w, h: h, crop: crop, dt: 1 / rate}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, fail("ffmpeg: %v", err)
	}
	c.info = CineInfo{Path: path, Format: "video", Width: crop.Dx(), Height: crop.Dy(), NumFrames: n,
		BitsAllocated: 8, Photometric: "MONOCHROME2", Timing: timing, FrameRate: rate}
	if !opt.Crop.Empty() {
		c.info.Crop = crop
	}
	return c, nil
}

func (c *videoCine) Info() CineInfo { return c.info }

// Next reads the next w×h grey frame from ffmpeg. The stream must end after exactly
// NumFrames frames.
func (c *videoCine) Next() (Frame, error) {
	if c.closed {
		return Frame{}, fmt.Errorf("imaging: %s: Next on a closed cine", c.info.Path)
	}
	m := image.NewGray(image.Rect(0, 0, c.w, c.h))
	_, err := io.ReadFull(c.out, m.Pix)
	if err == io.EOF && c.next == c.info.NumFrames {
		if werr := c.wait(); werr != nil {
			return Frame{}, werr
		}
		return Frame{}, io.EOF
	}
	if err != nil || c.next >= c.info.NumFrames {
		werr := c.wait()
		return Frame{}, fmt.Errorf("imaging: %s: ffmpeg gave %d frames, ffprobe counted %d (%v)", c.info.Path, c.next, c.info.NumFrames, errors.Join(err, werr))
	}
	i := c.next
	c.next++
	return Frame{Index: i, Time: float64(i) * c.dt, Img: cropGray(m, c.crop)}, nil
}

func (c *videoCine) wait() error {
	if c.cmd == nil {
		return nil
	}
	err := c.cmd.Wait()
	c.cmd = nil
	if err != nil && !c.closed {
		return fmt.Errorf("imaging: %s: ffmpeg: %v: %s", c.info.Path, err, strings.TrimSpace(c.stderr.String()))
	}
	return nil
}

// Close stops ffmpeg.
func (c *videoCine) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	c.cancel()
	c.wait()
	return nil
}
