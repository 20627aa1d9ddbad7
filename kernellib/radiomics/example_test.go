package radiomics_test

import (
	"fmt"
	"image"
	"image/color"
	"log"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/radiomics"
)

// The IBSI digital phantom, without discretisation (its grey levels are integers):
// a few of the 482 features IBSI publishes consensus values for.
func ExampleExtract() {
	img, err := imaging.ReadNIfTI("testdata/ibsi/phantom.nii.gz")
	if err != nil {
		log.Fatal(err)
	}
	mask, err := imaging.ReadMask("testdata/ibsi/mask.nii.gz")
	if err != nil {
		log.Fatal(err)
	}
	s := radiomics.DefaultSettings()
	s.Discretisation = radiomics.Discretisation{Method: radiomics.Identity}
	fs, err := radiomics.Extract(img, mask, s)
	if err != nil {
		log.Fatal(err)
	}
	show := map[string]bool{
		"morphology/volume_mesh":                true,
		"intensity_statistics/mean_intensity":   true,
		"glcm/joint_maximum [2D, averaged]":     true,
		"glrlm/run_percentage [3D, merged]":     true,
		"ngtdm/coarseness [3D]":                 true,
		"ngldm/dependence_count_energy [2.5D]":  true,
		"local_intensity/global_intensity_peak": true,
	}
	fmt.Println(len(fs), "features")
	for _, f := range fs {
		if show[f.Key()] {
			fmt.Printf("%-5s %-40s %.3g\n", f.IBSIID, f.Key(), f.Value)
		}
	}
	// Output:
	// 482 features
	// RNU0  morphology/volume_mesh                   556
	// 0F91  local_intensity/global_intensity_peak    3.1
	// Q4LE  intensity_statistics/mean_intensity      2.15
	// GYBY  glcm/joint_maximum [2D, averaged]        0.519
	// 9ZK5  glrlm/run_percentage [3D, merged]        0.68
	// QCDE  ngtdm/coarseness [3D]                    0.0296
	// CAS9  ngldm/dependence_count_energy [2.5D]     0.122
}

// A B-mode still: a grey image with its pixel size, and a mask. Only the 2D
// aggregations apply.
func ExampleFromImage() {
	g := image.NewGray(image.Rect(0, 0, 32, 32))
	m := &imaging.Mask{Width: 32, Height: 32, Depth: 1, Data: make([]bool, 32*32)}
	for y := 0; y < 32; y++ {
		for x := 0; x < 32; x++ {
			g.SetGray(x, y, color.Gray{Y: uint8(40 + (x*7+y*13)%50)})
			m.Data[y*32+x] = (x-16)*(x-16)+(y-16)*(y-16) < 100
		}
	}
	img, err := radiomics.FromImage(g, 0.2, 0.2) // 0.2 mm pixels
	if err != nil {
		log.Fatal(err)
	}
	s := radiomics.DefaultSettings()
	s.Discretisation = radiomics.Discretisation{Method: radiomics.FixedBinSize, Width: 5}
	s.Families = []string{radiomics.FamilyMorphology, radiomics.FamilyGLCM}
	fs, err := radiomics.Extract(img, m, s)
	if err != nil {
		log.Fatal(err)
	}
	// The pixel-counting area is N_v × 0.04 mm².
	fmt.Printf("%d pixels, %s = %.2f mm²\n", m.Count(), fs[1].Name, fs[1].Value)
	aggs := map[string]int{}
	for _, f := range fs {
		aggs[f.Aggregation]++
	}
	fmt.Println(aggs)
	// Output:
	// 305 pixels, area_pixel_counting = 12.20 mm²
	// map[:14 2D, averaged:25 2D, slice-merged:25]
}

// ICC(3,1) of the worked example of Shrout & Fleiss (1979): six targets rated by four
// judges; their Table 4 gives .71.
func ExampleICC31() {
	ratings := [][]float64{{9, 2, 5, 8}, {6, 1, 3, 2}, {8, 4, 6, 8}, {7, 1, 2, 6}, {10, 5, 6, 9}, {6, 2, 4, 7}}
	icc, err := radiomics.ICC31(ratings)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("ICC(3,1) = %.2f\n", icc)
	// Output:
	// ICC(3,1) = 0.71
}

// Keeping the features whose ICC(3,1) under mask perturbations reaches a threshold.
func ExampleRobustFeatures() {
	iccs := []radiomics.FeatureICC{
		{Key: "morphology/area_mesh", ICC: 0.98, Defined: true},
		{Key: "glcm/contrast [2D, averaged]", ICC: 0.62, Defined: true},
		{Key: "ngtdm/busyness [2D]", Defined: false},
	}
	fmt.Println(radiomics.RobustFeatures(iccs, 0.75))
	// Output:
	// [morphology/area_mesh]
}
