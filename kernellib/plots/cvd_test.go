package plots

import (
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// cvdReference is testdata/cvd_reference.json (cvd_reference.py,
// scikit-image).
type cvdReference struct {
	Tool    string   `json:"tool"`
	Colours []string `json:"colours"`
	Vision  map[string]struct {
		Colours []struct {
			SRGB [3]float64 `json:"srgb"`
			Lab  [3]float64 `json:"lab"`
		} `json:"colours"`
		DeltaE [][]float64 `json:"delta_e2000"`
	} `json:"vision"`
}

func hexColor(t *testing.T, h string) color.NRGBA {
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		t.Fatal(err)
	}
	return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}
}

// Simulation, CIELAB and CIEDE2000 agree with scikit-image for the
// palette and a red/green pair under each colour vision.
func TestCVDAgainstScikitImage(t *testing.T) {
	b, err := os.ReadFile("testdata/cvd_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref cvdReference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	visions := map[string]Vision{"none": Normal, "protanopia": Protanopia, "deuteranopia": Deuteranopia, "tritanopia": Tritanopia}
	if len(ref.Vision) != len(visions) {
		t.Fatalf("%s: %d visions", ref.Tool, len(ref.Vision))
	}
	for name, r := range ref.Vision {
		v := visions[name]
		var labs [][3]float64
		for i, h := range ref.Colours {
			s := Simulate(hexColor(t, h), v)
			lab := Lab(s)
			labs = append(labs, lab)
			for k := 0; k < 3; k++ {
				if math.Abs(s[k]-r.Colours[i].SRGB[k]) > 1e-9 || math.Abs(lab[k]-r.Colours[i].Lab[k]) > 1e-6 {
					t.Errorf("%s, #%s: sRGB %v Lab %v, scikit-image %v %v", name, h, s, lab, r.Colours[i].SRGB, r.Colours[i].Lab)
					break
				}
			}
		}
		for i := range labs {
			for j := range labs {
				if d := DeltaE2000(labs[i], labs[j]); math.Abs(d-r.DeltaE[i][j]) > 1e-6 {
					t.Errorf("%s: ΔE00(#%s, #%s) = %v, scikit-image %v", name, ref.Colours[i], ref.Colours[j], d, r.DeltaE[i][j])
				}
			}
		}
	}
}

// CIEDE2000 reproduces published test pairs of Sharma, Wu & Dalal 2005
// (Table 1, pairs 1, 7, 17, 18), computed by neither this package nor
// scikit-image.
func TestDeltaE2000Sharma(t *testing.T) {
	for _, c := range []struct {
		a, b [3]float64
		want float64
	}{
		{[3]float64{50, 2.6772, -79.7751}, [3]float64{50, 0, -82.7485}, 2.0425},
		{[3]float64{50, 0, 0}, [3]float64{50, -1, 2}, 2.3669},
		{[3]float64{50, 2.5, 0}, [3]float64{73, 25, -18}, 27.1492},
		{[3]float64{50, 2.5, 0}, [3]float64{61, -5, 29}, 22.8977},
	} {
		if got := DeltaE2000(c.a, c.b); math.Abs(got-c.want) > 5e-5 {
			t.Errorf("ΔE00(%v, %v) = %.4f, Sharma et al. %.4f", c.a, c.b, got, c.want)
		}
		if got := DeltaE2000(c.b, c.a); math.Abs(got-c.want) > 5e-5 {
			t.Errorf("ΔE00 not symmetric for %v, %v: %.4f", c.a, c.b, got)
		}
	}
}

// The theme's series colours stay at least MinDeltaE apart under normal
// vision and simulated protanopia, deuteranopia and tritanopia; the
// palette the figures had before (gonum's plotutil default: red, green,
// blue …) does not.
func TestPaletteColourBlindSafe(t *testing.T) {
	var cs []color.Color
	for _, c := range Palette() {
		cs = append(cs, c)
	}
	if err := CheckPalette(cs, MinDeltaE); err != nil {
		t.Error(err)
	}
	old := []color.Color{color.RGBA{241, 90, 96, 255}, color.RGBA{122, 195, 106, 255}, color.RGBA{90, 155, 212, 255}, color.RGBA{250, 167, 91, 255}}
	err := CheckPalette(old, MinDeltaE)
	if err == nil || !strings.Contains(err.Error(), "deuteranopia") {
		t.Errorf("plotutil's soft colours pass the check: %v", err)
	}
}

// ExampleCheckPalette checks a red–green pair, the classic failure: far
// apart for normal vision, below MinDeltaE for a deuteranope.
func ExampleCheckPalette() {
	red, green := color.RGBA{0xE4, 0x1A, 0x1C, 0xFF}, color.RGBA{0x4D, 0xAF, 0x4A, 0xFF}
	fmt.Printf("normal vision: ΔE00 %.1f\n", DeltaE2000(Lab(Simulate(red, Normal)), Lab(Simulate(green, Normal))))
	fmt.Printf("deuteranopia:  ΔE00 %.1f\n", DeltaE2000(Lab(Simulate(red, Deuteranopia)), Lab(Simulate(green, Deuteranopia))))
	fmt.Println("passes:", CheckPalette([]color.Color{red, green}, MinDeltaE) == nil)
	// Output:
	// normal vision: ΔE00 71.4
	// deuteranopia:  ΔE00 9.6
	// passes: false
}
