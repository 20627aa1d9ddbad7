package main

import (
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/radiomics"
)

// The IBSI digital phantom of package radiomics.
const (
	ibsiPhantomImage = "../../radiomics/testdata/ibsi/phantom.nii.gz"
	ibsiPhantomMask  = "../../radiomics/testdata/ibsi/mask.nii.gz"
)

func decodeRadiomicsJSON(t *testing.T, out string) []radiomics.Feature {
	t.Helper()
	var rep struct {
		OverlayPixels *int                `json:"overlay_pixels"`
		Warnings      []string            `json:"warnings"`
		Features      []radiomics.Feature `json:"features"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("output is not {\"overlay_pixels\": .., \"warnings\": [..], \"features\": [...]}: %v\n%s", err, out)
	}
	if rep.OverlayPixels == nil || *rep.OverlayPixels != 0 || rep.Warnings == nil || len(rep.Warnings) != 0 {
		t.Errorf("a grey image: overlay_pixels %v, warnings %q; want 0 and []", rep.OverlayPixels, rep.Warnings)
	}
	return rep.Features
}

// sameRadiomicsFeatures checks that the command printed exactly what the library computes.
func sameRadiomicsFeatures(t *testing.T, got, want []radiomics.Feature) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d features, the library computes %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("feature %d: %+v, the library computes %+v", i, got[i], want[i])
		}
	}
}

// TestRadiomicsPhantom feeds the IBSI digital phantom with -bin-width 1: its integer
// grey levels are used as they are, every aggregation is given (a 3D image), and the
// values are the library's, which TestIBSIPhantom checks against IBSI.
func TestRadiomicsPhantom(t *testing.T) {
	code, out, errOut := call("radiomics", "-image", ibsiPhantomImage, "-mask", ibsiPhantomMask, "-bin-width", "1", "-json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	got := decodeRadiomicsJSON(t, out)
	img, err := imaging.ReadNIfTI(ibsiPhantomImage)
	if err != nil {
		t.Fatal(err)
	}
	mask, err := imaging.ReadMask(ibsiPhantomMask)
	if err != nil {
		t.Fatal(err)
	}
	s := radiomics.DefaultSettings()
	s.Discretisation = radiomics.Discretisation{Method: radiomics.Identity}
	want, err := radiomics.Extract(img, mask, s)
	if err != nil {
		t.Fatal(err)
	}
	sameRadiomicsFeatures(t, got, want)
	aggs := map[string]bool{}
	for _, f := range got {
		aggs[f.Aggregation] = true
		// Two values from IBSI's table, as the example shows them.
		if f.Family == "glcm" && f.Name == "joint_maximum" && f.Aggregation == "2D, averaged" && math.Abs(f.Value-0.519) > 0.0005 {
			t.Errorf("GLCM joint maximum, 2D averaged: %g, IBSI 0.519", f.Value)
		}
		if f.Family == "ngtdm" && f.Name == "coarseness" && f.Aggregation == "3D" && math.Abs(f.Value-0.0296) > 0.00005 {
			t.Errorf("NGTDM coarseness, 3D: %g, IBSI 0.0296", f.Value)
		}
	}
	for _, a := range []string{"", "2D, averaged", "2D, slice-merged", "2.5D, direction-merged", "2.5D, merged", "3D, averaged", "3D, merged", "2D", "2.5D", "3D"} {
		if !aggs[a] {
			t.Errorf("aggregation %q missing for a 3D image", a)
		}
	}
	// The table form has the same features, one a line.
	code, out, _ = call("radiomics", "-image", ibsiPhantomImage, "-mask", ibsiPhantomMask, "-bin-width", "1")
	if code != exitOK || !strings.Contains(out, "482 features") || !strings.Contains(out, "none (integer intensities") {
		t.Errorf("table output: exit %d\n%s", code, out)
	}
}

// writeBModePNGs writes an 8-bit B-mode-like image and an elliptic mask.
func writeBModePNGs(t *testing.T, dir string, w, h int, seed uint64, minGrey uint8) (imgPath, maskPath string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	img := image.NewGray(image.Rect(0, 0, w, h))
	mask := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetGray(x, y, color.Gray{Y: minGrey + uint8(rng.IntN(int(200-minGrey)))})
			dx, dy := float64(x-w/2)/float64(w/3), float64(y-h/2)/float64(h/3)
			if dx*dx+dy*dy <= 1 {
				mask.SetGray(x, y, color.Gray{Y: 255})
			}
		}
	}
	imgPath, maskPath = filepath.Join(dir, "bmode.png"), filepath.Join(dir, "mask.png")
	for p, m := range map[string]image.Image{imgPath: img, maskPath: mask} {
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, m); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return imgPath, maskPath
}

func radiomicsLibrary2D(t *testing.T, imgPath, maskPath string, px float64, d radiomics.Discretisation) []radiomics.Feature {
	t.Helper()
	still, err := imaging.ReadImage(imgPath)
	if err != nil {
		t.Fatal(err)
	}
	img, err := radiomics.FromImage(still, px, px)
	if err != nil {
		t.Fatal(err)
	}
	mask, err := imaging.ReadMask(maskPath)
	if err != nil {
		t.Fatal(err)
	}
	s := radiomics.DefaultSettings()
	s.Discretisation = d
	fs, err := radiomics.Extract(img, mask, s)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// TestRadiomicsPNG runs a 2D B-mode PNG: only 2D aggregations, the 2D shape features,
// the pixel size given, and the discretisation asked for.
func TestRadiomicsPNG(t *testing.T) {
	dir := t.TempDir()
	imgPath, maskPath := writeBModePNGs(t, dir, 48, 36, 5, 0)
	code, out, errOut := call("radiomics", "-image", imgPath, "-mask", maskPath, "-bins", "16", "-pixel-mm", "0.2", "-json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	got := decodeRadiomicsJSON(t, out)
	sameRadiomicsFeatures(t, got, radiomicsLibrary2D(t, imgPath, maskPath, 0.2, radiomics.Discretisation{Method: radiomics.FixedBinNumber, Bins: 16}))
	for _, f := range got {
		switch f.Aggregation {
		case "", "2D, averaged", "2D, slice-merged", "2D":
		default:
			t.Errorf("%s: aggregation %q for a 2D image", f.Key(), f.Aggregation)
		}
	}
	// Grey 0 inside the mask: -bin-width 1 is IBSI's fixed bin size (levels from the
	// smallest intensity), not the identity.
	code, out, _ = call("radiomics", "-image", imgPath, "-mask", maskPath, "-bin-width", "1", "-json")
	if code != exitOK {
		t.Fatalf("-bin-width 1: exit %d", code)
	}
	sameRadiomicsFeatures(t, decodeRadiomicsJSON(t, out), radiomicsLibrary2D(t, imgPath, maskPath, 1, radiomics.Discretisation{Method: radiomics.FixedBinSize, Width: 1}))
	// Greys from 20 up: -bin-width 1 keeps them as grey levels.
	dir2 := t.TempDir()
	imgPath, maskPath = writeBModePNGs(t, dir2, 40, 40, 6, 20)
	code, out, errOut = call("radiomics", "-image", imgPath, "-mask", maskPath, "-bin-width", "1", "-json")
	if code != exitOK {
		t.Fatalf("-bin-width 1: exit %d", code)
	}
	if !strings.Contains(errOut, "1 mm assumed") {
		t.Errorf("no note about the assumed pixel size: %q", errOut)
	}
	sameRadiomicsFeatures(t, decodeRadiomicsJSON(t, out), radiomicsLibrary2D(t, imgPath, maskPath, 1, radiomics.Discretisation{Method: radiomics.Identity}))
}

func TestRadiomicsErrors(t *testing.T) {
	dir := t.TempDir()
	imgPath, maskPath := writeBModePNGs(t, dir, 20, 16, 7, 0)
	small, _ := writeBModePNGs(t, t.TempDir(), 10, 10, 8, 0)
	empty := filepath.Join(dir, "empty.png")
	f, err := os.Create(empty)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, image.NewGray(image.Rect(0, 0, 20, 16))); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"radiomics"}, exitUsage, "-image FILE and -mask FILE are required"},
		{[]string{"radiomics", "-image", imgPath}, exitUsage, "required"},
		{[]string{"radiomics", "-image", imgPath, "-mask", maskPath, "-bins", "8", "-bin-width", "2"}, exitUsage, "not both"},
		{[]string{"radiomics", "-image", imgPath, "-mask", maskPath, "-bin-width", "0"}, exitUsage, "-bin-width 0"},
		{[]string{"radiomics", "-image", imgPath, "-mask", maskPath, "-bins", "0"}, exitUsage, "-bins 0"},
		{[]string{"radiomics", "-image", imgPath, "-mask", maskPath, "-reseg", "9,3"}, exitUsage, "-reseg"},
		{[]string{"radiomics", "-image", imgPath, "-mask", small}, exitError, "want the same size"},
		{[]string{"radiomics", "-image", imgPath, "-mask", empty}, exitError, "mask is empty"},
		{[]string{"radiomics", "-image", imgPath, "-mask", maskPath, "-reseg", "250,"}, exitError, "re-segmentation left no voxel"},
		{[]string{"radiomics", "-image", filepath.Join(dir, "nosuch.png"), "-mask", maskPath}, exitError, "nosuch.png"},
	} {
		code, out, errOut := call(c.args...)
		if code != c.code || !strings.Contains(errOut, c.err) || out != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d and %q", c.args, code, out, errOut, c.code, c.err)
		}
	}
	code, out, _ := call("help", "radiomics")
	if code != exitOK || !strings.Contains(out, "-bin-width W | -bins N") || !strings.Contains(out, `"ibsi_id"`) {
		t.Errorf("help radiomics: exit %d\n%s", code, out)
	}
}
