package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"image"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

const (
	cineFixtures = "../../imaging/testdata/dicom"
	dualFixture  = "../../imaging/testdata/dual_display.json"
)

// readNPY reads a float32 .npy file written by `ceusrad cine -export`.
func readNPY(t *testing.T, path string) ([]int, []float32) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	descr, fortran, shape, err := imaging.ParseNPYHeader(r)
	if err != nil {
		t.Fatal(err)
	}
	if descr != "<f4" || fortran || len(shape) != 3 {
		t.Fatalf("%s: descr %q, fortran %v, shape %v", path, descr, fortran, shape)
	}
	n := shape[0] * shape[1] * shape[2]
	v := make([]float32, n)
	if err := binary.Read(r, binary.LittleEndian, v); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadByte(); err != io.EOF {
		t.Fatalf("%s: bytes after the %d values", path, n)
	}
	return shape, v
}

// openCineFrames returns every frame imaging.OpenCine delivers.
func openCineFrames(t *testing.T, path string, opt imaging.CineOptions) []image.Image {
	t.Helper()
	c, err := imaging.OpenCine(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var out []image.Image
	for {
		f, err := c.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f.Img)
	}
}

func greyValue(img image.Image, x, y int) float32 {
	switch g := img.(type) {
	case *image.Gray:
		return float32(g.GrayAt(x, y).Y)
	case *image.Gray16:
		return float32(g.Gray16At(x, y).Y)
	}
	return float32(math.NaN())
}

// TestCineExportPixelExact: frames.npy holds exactly the grey frames imaging.OpenCine
// delivers, for an 8-bit, a 16-bit, an RGB and a region-cropped dual-display cine,
// and info.json is the -info JSON.
func TestCineExportPixelExact(t *testing.T) {
	for _, tc := range []struct {
		file, region string
	}{{"py_gray8_ftv_regions.dcm", ""}, {"py_gray16_cinerate.dcm", ""}, {"py_rgb_interleaved.dcm", ""},
		{"py_dual_display.dcm", "right"}, {"py_dual_display.dcm", "1"}, {"py_gray8_ftv_regions.dcm", "left"}} {
		in := filepath.Join(cineFixtures, tc.file)
		dir := filepath.Join(t.TempDir(), "out")
		args := []string{"cine", "-in", in, "-export", dir, "-frame-rate", "10"}
		if tc.region != "" {
			args = append(args, "-region", tc.region)
		}
		code, out, errOut := call(args...)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", tc.file, code, errOut)
		}
		if !strings.Contains(out, "frames.npy") {
			t.Errorf("%s: stdout %q", tc.file, out)
		}
		shape, v := readNPY(t, filepath.Join(dir, "frames.npy"))
		frames := openCineFrames(t, in, imaging.CineOptions{FrameRate: 10, Region: tc.region})
		b := frames[0].Bounds()
		if shape[0] != len(frames) || shape[1] != b.Dy() || shape[2] != b.Dx() {
			t.Fatalf("%s: shape %v, OpenCine %d×%d×%d", tc.file, shape, len(frames), b.Dy(), b.Dx())
		}
		i := 0
		for k, f := range frames {
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					if v[i] != greyValue(f, x, y) {
						t.Fatalf("%s region %q: frame %d (%d,%d): npy %v, OpenCine %v", tc.file, tc.region, k, x, y, v[i], greyValue(f, x, y))
					}
					i++
				}
			}
		}
		info, err := os.ReadFile(filepath.Join(dir, "info.json"))
		if err != nil {
			t.Fatal(err)
		}
		args[len(args)-4], args[len(args)-3] = "-info", "-info" // replace -export DIR
		code, out, errOut = call(args...)
		if code != exitOK || out != string(info) {
			t.Errorf("%s: -info (exit %d, %s) differs from info.json:\n%s\n%s", tc.file, code, errOut, out, info)
		}
	}
}

// TestCineInfoDualDisplay checks the JSON against the pydicom fixture's facts, and
// that no patient name, ID or birth date reaches it.
func TestCineInfoDualDisplay(t *testing.T) {
	b, err := os.ReadFile(dualFixture)
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		File    string
		Frames  int
		Rows    int
		Columns int
		Regions []struct {
			X0, Y0, X1, Y1 int
			SpatialFormat  int     `json:"spatial_format"`
			DataType       int     `json:"data_type"`
			Units          int     `json:"units"`
			DeltaCm        float64 `json:"delta_cm"`
		}
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(cineFixtures, "py_dual_display.dcm")
	code, out, errOut := call("cine", "-in", in)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, secret := range []string{"Dual^Display", "Display", "DUAL-0001", "19500101", "patient"} {
		if strings.Contains(out, secret) {
			t.Errorf("the JSON holds %q:\n%s", secret, out)
		}
	}
	var rep cineReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Frames != fx.Frames || rep.Rows != fx.Rows || rep.Columns != fx.Columns || rep.Format != "dicom" ||
		rep.Photometric != "MONOCHROME2" || rep.TransferSyntaxUID != "1.2.840.10008.1.2.1" || rep.BitsAllocated != 8 {
		t.Errorf("header facts: %+v", rep)
	}
	if len(rep.FrameTimes) != fx.Frames || rep.FrameRate != 10 || rep.TimingSource != string(imaging.TimingFrameTime) {
		t.Errorf("timing: %v, %v fps, %q", rep.FrameTimes, rep.FrameRate, rep.TimingSource)
	}
	for i, ft := range rep.FrameTimes {
		if math.Abs(float64(ft)-0.1*float64(i)) > 1e-9 {
			t.Errorf("frame %d at %v s, want %v", i, ft, 0.1*float64(i))
		}
	}
	if len(rep.Regions) != len(fx.Regions) {
		t.Fatalf("%d regions, want %d", len(rep.Regions), len(fx.Regions))
	}
	for i, r := range fx.Regions {
		g := rep.Regions[i]
		if g.Index != i || g.MinX0 != r.X0 || g.MinY0 != r.Y0 || g.MaxX1 != r.X1 || g.MaxY1 != r.Y1 ||
			g.SpatialFormat != r.SpatialFormat || g.DataType != r.DataType || g.UnitsX != r.Units || float64(g.DeltaY) != r.DeltaCm {
			t.Errorf("region %d: %+v, pydicom wrote %+v", i, g, r)
		}
	}
	if rep.Regions[2].PixelSpacingMM != nil || rep.Regions[0].PixelSpacingMM == nil || rep.Regions[0].PixelSpacingMM[0] != 0.1 {
		t.Errorf("region pixel spacings %v %v", rep.Regions[0].PixelSpacingMM, rep.Regions[2].PixelSpacingMM)
	}
	if rep.DualDisplay == nil || rep.DualDisplay.Left != 1 || rep.DualDisplay.Right != 0 {
		t.Errorf("dual_display %+v, want left 1, right 0", rep.DualDisplay)
	}
	if rep.SelectedRegion != nil || rep.Crop != nil || rep.PixelSpacingMM != 0.1 || !strings.Contains(rep.PixelSpacingSource, "Ultrasound Regions") {
		t.Errorf("no region asked: selected %+v crop %+v spacing %v from %q", rep.SelectedRegion, rep.Crop, rep.PixelSpacingMM, rep.PixelSpacingSource)
	}
	// With -region right: the contrast image.
	code, out, errOut = call("cine", "-in", in, "-region", "RIGHT", "-info")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rep = cineReport{}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	want := cineBox{X: 38, Y: 6, Width: 32, Height: 32}
	if rep.SelectedRegion == nil || rep.SelectedRegion.Index != 0 || rep.SelectedRegion.Spec != "right" || rep.SelectedRegion.Box != want ||
		rep.Crop == nil || *rep.Crop != want || rep.Rows != 32 || rep.Columns != 32 || rep.StoredRows != 40 || rep.StoredColumns != 72 {
		t.Errorf("-region right: %+v crop %+v", rep.SelectedRegion, rep.Crop)
	}
}

// TestCineStillsAndFolders: a PNG image, a DICOM still and a folder of frames.
func TestCineStillsAndFolders(t *testing.T) {
	dir := t.TempDir()
	g := image.NewGray(image.Rect(0, 0, 5, 3))
	for i := range g.Pix {
		g.Pix[i] = uint8(10 * i)
	}
	png := filepath.Join(dir, "still.png")
	if err := imaging.WritePNG(png, g); err != nil {
		t.Fatal(err)
	}
	frames := filepath.Join(dir, "frames")
	os.Mkdir(frames, 0o755)
	for _, n := range []string{"f1.png", "f2.png", "f10.png"} {
		if err := imaging.WritePNG(filepath.Join(frames, n), g); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		in      string
		args    []string
		frames  int
		w, h    int
		format  string
		timings int
	}{
		{png, nil, 1, 5, 3, "png", 1},
		{filepath.Join(cineFixtures, "dcmtk_img2dcm_rgb_still.dcm"), nil, 1, 0, 0, "dicom", 1},
		{frames, []string{"-frame-rate", "4"}, 3, 5, 3, "frames", 3},
	} {
		out := filepath.Join(t.TempDir(), "x")
		code, _, errOut := call(append([]string{"cine", "-in", tc.in, "-export", out}, tc.args...)...)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", tc.in, code, errOut)
		}
		shape, v := readNPY(t, filepath.Join(out, "frames.npy"))
		if shape[0] != tc.frames || tc.w > 0 && (shape[1] != tc.h || shape[2] != tc.w) {
			t.Errorf("%s: shape %v", tc.in, shape)
		}
		if tc.w > 0 && (v[1] != 10 || v[len(v)-1] != 140) {
			t.Errorf("%s: values %v", tc.in, v)
		}
		var rep cineReport
		b, _ := os.ReadFile(filepath.Join(out, "info.json"))
		if err := json.Unmarshal(b, &rep); err != nil || rep.Format != tc.format || len(rep.FrameTimes) != tc.timings {
			t.Errorf("%s: info.json %s (%v)", tc.in, b, err)
		}
	}
	if code, _, errOut := call("cine", "-in", png, "-region", "0"); code != exitError || !strings.Contains(errOut, "no Ultrasound Regions") {
		t.Errorf("-region on a PNG: exit %d, %s", code, errOut)
	}
	if code, _, errOut := call("cine", "-in", frames); code != exitError || !strings.Contains(errOut, "FrameRate") {
		t.Errorf("folder without -frame-rate: exit %d, %s", code, errOut)
	}
}

// TestCineRefusals: usage errors, and exports that would write into the input.
func TestCineRefusals(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(cineFixtures, "py_dual_display.dcm"))
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "cine.dcm")
	if err := os.WriteFile(in, src, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"cine"}, exitUsage, "-in is required"},
		{[]string{"cine", "-in", in, "-region", "middle"}, exitUsage, "want a region index"},
		{[]string{"cine", "-in", in, "-frame-rate", "-1"}, exitUsage, "-frame-rate"},
		{[]string{"cine", "-in", in, "extra"}, exitUsage, "unexpected argument"},
		{[]string{"cine", "-in", in, "-export", dir}, exitError, "contains the input"},
		{[]string{"cine", "-in", in, "-export", filepath.Join(dir, ".")}, exitError, "contains the input"},
		{[]string{"cine", "-in", in, "-export", in}, exitError, "is an input"},
		{[]string{"cine", "-in", in, "-region", "5"}, exitError, "has 3 regions"},
		{[]string{"cine", "-in", filepath.Join(dir, "missing.dcm")}, exitError, "missing.dcm"},
	} {
		code, out, errOut := call(tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
		if out != "" {
			t.Errorf("%q: stdout %q", tc.args, out)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the input folder now holds %d entries, want the input alone", len(entries))
	}
	if code, out, _ := call("help", "cine"); code != exitOK || !strings.Contains(out, "frames.npy") || !strings.Contains(out, "-region") {
		t.Errorf("help cine: exit %d: %s", code, out)
	}
}

// TestTICRegion: `ceusrad tic -cine -region right` analyses the contrast half of the
// dual-display fixture with a mask drawn on the tissue half; without -region the
// same mask measures the (constant) tissue image.
func TestTICRegion(t *testing.T) {
	dir := t.TempDir()
	m := image.NewGray(image.Rect(0, 0, 72, 40))
	for y := 0; y < 40; y++ {
		for x := 0; x < 72; x++ {
			if (x-18)*(x-18)+(y-22)*(y-22) <= 16 {
				m.Pix[y*72+x] = 255
			}
		}
	}
	mask := filepath.Join(dir, "lesion.png")
	if err := imaging.WritePNG(mask, m); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(cineFixtures, "py_dual_display.dcm")
	washIn := func(args ...string) float64 {
		t.Helper()
		code, out, errOut := call(append([]string{"tic", "-cine", in, "-mask", mask, "-raw", "-json"}, args...)...)
		if code != exitOK && code != exitError {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var rep struct {
			ROIs []struct {
				ModelFree map[string]*float64 `json:"model_free"`
			} `json:"rois"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.ROIs) == 0 || rep.ROIs[0].ModelFree["wir"] == nil {
			t.Fatalf("%v: %s %s", err, out, errOut)
		}
		return *rep.ROIs[0].ModelFree["wir"]
	}
	// The lesion of the contrast half rises by 18 grey levels per 0.1 s frame.
	if wir := washIn("-region", "right"); math.Abs(wir-180) > 10 {
		t.Errorf("-region right: wash-in rate %v /s, want about 180", wir)
	}
	if wir := washIn(); wir != 0 {
		t.Errorf("no region: the tissue lesion's wash-in rate is %v, want 0", wir)
	}
	if code, _, errOut := call("tic", "-curve", "x.csv", "-region", "left"); code != exitUsage || !strings.Contains(errOut, "-region goes with -cine") {
		t.Errorf("-region with -curve: exit %d %s", code, errOut)
	}
}

// TestCineVideo exports a video through the ffmpeg path, with stand-in ffprobe/ffmpeg
// scripts that print a known stream (3 frames of 4×2 at 10 fps, as in package
// imaging's TestVideoPipeline).
func TestCineVideo(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("needs /bin/sh for the stand-in tools")
	}
	bin := t.TempDir()
	probe := "#!/bin/sh\nprintf 'width=4\\nheight=2\\navg_frame_rate=10/1\\nnb_read_packets=3\\n'\n"
	ff := "#!/bin/sh\nprintf '\\001\\002\\003\\004\\005\\006\\007\\010\\011\\012\\013\\014\\015\\016\\017\\020\\021\\022\\023\\024\\025\\026\\027\\030'\n"
	for name, body := range map[string]string{"ffprobe": probe, "ffmpeg": ff} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin)
	clip := filepath.Join(t.TempDir(), "clip.avi")
	if err := os.WriteFile(clip, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "x")
	code, _, errOut := call("cine", "-in", clip, "-export", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	shape, v := readNPY(t, filepath.Join(out, "frames.npy"))
	if len(shape) != 3 || shape[0] != 3 || shape[1] != 2 || shape[2] != 4 {
		t.Fatalf("shape %v", shape)
	}
	for i, x := range v {
		if x != float32(i+1) {
			t.Fatalf("value %d = %v, want %d", i, x, i+1)
		}
	}
	var rep cineReport
	b, _ := os.ReadFile(filepath.Join(out, "info.json"))
	if err := json.Unmarshal(b, &rep); err != nil || rep.Format != "video" || rep.FrameRate != 10 || len(rep.FrameTimes) != 3 || rep.FrameTimes[2] != 0.2 {
		t.Errorf("info.json %s (%v)", b, err)
	}
	if code, _, errOut := call("cine", "-in", clip, "-region", "left"); code != exitError || !strings.Contains(errOut, "a video file has no Ultrasound Regions") {
		t.Errorf("-region on a video: exit %d %s", code, errOut)
	}
}

func TestDecodeRegionFlags(t *testing.T) {
	if d := decodeRegionFlags(0); d != (cineFlags{"high", false, "velocity", "unspecified"}) {
		t.Errorf("0: %+v", d)
	}
	if d := decodeRegionFlags(1 | 2 | 4 | 3<<3); d != (cineFlags{"low", true, "frequency", "sweeping then scrolling"}) {
		t.Errorf("31: %+v", d)
	}
	if d := decodeRegionFlags(2 << 3); d.ScrollingRegion != "sweeping" || d.Priority != "high" {
		t.Errorf("16: %+v", d)
	}
}
