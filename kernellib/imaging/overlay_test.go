package imaging

import (
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// chromaNoise is testdata/overlay/chroma_noise.json (measure_chroma_noise.py).
type chromaNoise struct {
	Threshold int `json:"threshold"`
	JPEG      []struct {
		Quality     int    `json:"quality"`
		Subsampling string `json:"subsampling"`
		FarMax      int    `json:"far_max"`
		GreyMax     int    `json:"grey_max"`
	} `json:"jpeg"`
	Fixtures []struct {
		File        string `json:"file"`
		Photometric string `json:"photometric"`
		Chromatic   []int  `json:"chromatic_per_frame"`
	} `json:"fixtures"`
}

func loadChromaNoise(t *testing.T) chromaNoise {
	t.Helper()
	b, err := os.ReadFile("testdata/overlay/chroma_noise.json")
	if err != nil {
		t.Fatal(err)
	}
	var c chromaNoise
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// readOverlays reads every frame of a cine and returns its overlays.
func readOverlays(t *testing.T, path string, o CineOptions) []*Mask {
	t.Helper()
	c, err := OpenCine(path, o)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var out []*Mask
	for {
		f, err := c.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if f.Overlay != nil && (f.Overlay.Width != c.Info().Width || f.Overlay.Height != c.Info().Height) {
			t.Fatalf("%s frame %d: overlay %d×%d, frame %d×%d", path, f.Index, f.Overlay.Width, f.Overlay.Height, c.Info().Width, c.Info().Height)
		}
		out = append(out, f.Overlay)
	}
}

func count(m *Mask) int {
	if m == nil {
		return 0
	}
	return m.Count()
}

// TestOverlayDICOMFixtures checks Frame.Overlay of every colour DICOM fixture
// (native RGB interleaved and planar, native YBR_FULL_422, RLE RGB, 8- and 16-bit
// palettes, a dcmtk RGB still) against the number of pixels with chroma above the
// threshold in pydicom's decoding (chroma_noise.json), frame by frame; grey
// fixtures have none, and a negative threshold turns detection off.
func TestOverlayDICOMFixtures(t *testing.T) {
	cn := loadChromaNoise(t)
	if cn.Threshold != DefaultChromaThreshold {
		t.Fatalf("chroma_noise.json was made for threshold %d, DefaultChromaThreshold is %d", cn.Threshold, DefaultChromaThreshold)
	}
	for _, fx := range cn.Fixtures {
		ov := readOverlays(t, filepath.Join("testdata", fx.File), CineOptions{FrameRate: 10})
		if len(ov) != len(fx.Chromatic) {
			t.Fatalf("%s: %d frames, pydicom %d", fx.File, len(ov), len(fx.Chromatic))
		}
		for k, want := range fx.Chromatic {
			if got := count(ov[k]); got != want || want == 0 {
				t.Errorf("%s (%s) frame %d: %d chromatic pixels, pydicom %d", fx.File, fx.Photometric, k, got, want)
			}
		}
		for k, m := range readOverlays(t, filepath.Join("testdata", fx.File), CineOptions{FrameRate: 10, ChromaThreshold: -1}) {
			if m != nil {
				t.Errorf("%s frame %d: an overlay with detection off", fx.File, k)
			}
		}
	}
	// A crop box: the overlay of the cropped frames is the box of the full one.
	for _, name := range []string{"py_rgb_interleaved.dcm", "codec_rle_pal8_hotiron.dcm", "codec_jpeg_rgb_noadobe.dcm"} {
		path := filepath.Join("testdata", "dicom", name)
		full := readOverlays(t, path, CineOptions{FrameRate: 10})
		box := image.Rect(3, 2, 11, 9)
		for k, m := range readOverlays(t, path, CineOptions{FrameRate: 10, Crop: box}) {
			want := cropMask(full[k], box)
			if count(m) != count(want) || (m != nil && !slices.Equal(m.Data, want.Data)) {
				t.Errorf("%s frame %d cropped to %v: %d chromatic pixels, the full frame has %d in the box", name, k, box, count(m), count(want))
			}
		}
	}
	for _, grey := range []string{"py_gray8_ft_implicit.dcm", "dcmtk_gray16_implicit.dcm", "py_jpeg_gray.dcm"} {
		for k, m := range readOverlays(t, filepath.Join("testdata", "dicom", grey), CineOptions{FrameRate: 10}) {
			if m != nil {
				t.Errorf("%s frame %d: %d chromatic pixels in a grey cine", grey, k, m.Count())
			}
		}
	}
}

// TestChromaNoiseRealUltrasound checks DefaultChromaThreshold against the chroma
// noise measured on real ultrasound (measure_chroma_noise.py): above the largest
// chroma of the pixels more than 16 pixels from any colour in every JPEG quality
// measured, and, read with this package's JPEG path, no such pixel of the committed
// quality-50 frames of the echo is flagged, nor any pixel of its grey version, while
// the Doppler colour is.
func TestChromaNoiseRealUltrasound(t *testing.T) {
	cn := loadChromaNoise(t)
	for _, j := range cn.JPEG {
		if j.FarMax >= DefaultChromaThreshold || j.GreyMax != 0 {
			t.Errorf("JPEG quality %d %s: chroma up to %d away from colour, %d in the grey version; DefaultChromaThreshold %d", j.Quality, j.Subsampling, j.FarMax, j.GreyMax, DefaultChromaThreshold)
		}
	}
	ov := readOverlays(t, "testdata/overlay/echo_q50", CineOptions{FrameRate: 10})
	for k, m := range ov {
		src, err := ReadMask(filepath.Join("testdata/overlay", []string{"echo_colour_0000.png", "echo_colour_0001.png"}[k]))
		if err != nil {
			t.Fatal(err)
		}
		near := dilate(src, 16)
		falsePos, found := 0, 0
		for i, v := range m.Data {
			if v && !near.Data[i] {
				falsePos++
			}
			if v && src.Data[i] {
				found++
			}
		}
		t.Logf("echo frame %d: %d colour pixels in the source, %d of them flagged after JPEG q50; %d flagged in all", k, src.Count(), found, m.Count())
		if falsePos > 0 {
			t.Errorf("echo frame %d: %d pixels more than 16 pixels from any colour flagged as overlay", k, falsePos)
		}
		if found < src.Count()*9/10 {
			t.Errorf("echo frame %d: only %d of %d colour pixels flagged", k, found, src.Count())
		}
	}
	if g := readOverlays(t, "testdata/overlay/echo_grey_q50", CineOptions{FrameRate: 10}); g[0] != nil {
		t.Errorf("grey echo after JPEG q50: %d pixels flagged", g[0].Count())
	}
}

// dilate returns m grown by r pixels (a (2r+1)² square).
func dilate(m *Mask, r int) *Mask {
	out := &Mask{Width: m.Width, Height: m.Height, Depth: 1, Data: make([]bool, len(m.Data))}
	for i, v := range m.Data {
		if !v {
			continue
		}
		x0, y0 := i%m.Width, i/m.Width
		for y := max(y0-r, 0); y <= min(y0+r, m.Height-1); y++ {
			for x := max(x0-r, 0); x <= min(x0+r, m.Width-1); x++ {
				out.Data[y*m.Width+x] = true
			}
		}
	}
	return out
}

// TestChromaMaskImageTypes checks the chromatic pixels of every decoded image type
// a frame folder or still can give, with a crop box.
func TestChromaMaskImageTypes(t *testing.T) {
	r := image.Rect(0, 0, 4, 3)
	rgba := image.NewRGBA(r)
	for i := range rgba.Pix {
		rgba.Pix[i] = 100
	}
	rgba.SetRGBA(1, 1, color.RGBA{200, 100, 100, 255}) // chroma 100
	rgba.SetRGBA(2, 1, color.RGBA{110, 100, 90, 255})  // chroma 20: grey enough
	rgba.SetRGBA(3, 2, color.RGBA{0, 0, 255, 255})
	nrgba := image.NewNRGBA(r)
	copy(nrgba.Pix, rgba.Pix)
	pal := image.NewPaletted(r, color.Palette{color.Gray{100}, color.RGBA{200, 100, 100, 255}, color.RGBA{110, 100, 90, 255}, color.RGBA{0, 0, 255, 255}})
	pal.SetColorIndex(1, 1, 1)
	pal.SetColorIndex(2, 1, 2)
	pal.SetColorIndex(3, 2, 3)
	rgba64 := image.NewRGBA64(r)
	for y := 0; y < 3; y++ {
		for x := 0; x < 4; x++ {
			rgba64.Set(x, y, rgba.At(x, y))
		}
	}
	want := map[image.Point]bool{{1, 1}: true, {3, 2}: true}
	for _, img := range []image.Image{rgba, nrgba, pal, rgba64} {
		m := chromaMask(img, r, DefaultChromaThreshold)
		for y := 0; y < 3; y++ {
			for x := 0; x < 4; x++ {
				if m.At(x, y, 0) != want[image.Pt(x, y)] {
					t.Errorf("%T: (%d,%d) chromatic %v", img, x, y, m.At(x, y, 0))
				}
			}
		}
		crop := chromaMask(img, image.Rect(1, 1, 3, 3), DefaultChromaThreshold)
		if crop.Width != 2 || crop.Height != 2 || crop.Count() != 1 || !crop.At(0, 0, 0) {
			t.Errorf("%T cropped: %+v", img, crop)
		}
		if chromaMask(img, r, -1) != nil {
			t.Errorf("%T: a mask with detection off", img)
		}
	}
	if chromaMask(image.NewGray(r), r, 0) != nil || chromaMask(image.NewGray16(r), r, 0) != nil {
		t.Error("a grey image has chromatic pixels")
	}
	if got := scaledThreshold(24, 16); got != 24*257 {
		t.Errorf("16-bit threshold %d", got)
	}
}
