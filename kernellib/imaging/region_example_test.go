package imaging_test

import (
	"fmt"
	"log"
	"path/filepath"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// A dual-display CEUS export: tissue image on the left, contrast image on the right.
// Opening it with Region "right" crops every frame to the contrast image, and a lesion
// mask drawn on the tissue half (full-frame coordinates) is carried to the same place
// in the contrast half.
func ExampleCineOptions_region() {
	path := filepath.Join("testdata", "dicom", "py_dual_display.dcm")
	c, err := imaging.OpenCine(path, imaging.CineOptions{Region: "right"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	info := c.Info()
	fmt.Println(imaging.DescribeRegions(info.Regions))
	fmt.Printf("region %d, box %v of a %v frame: %d×%d frames, %.2f mm pixels\n",
		info.Selected.Index, info.Selected.Box, info.Selected.Stored, info.Width, info.Height, info.PixelSpacingMM)

	// A 3-pixel lesion drawn on the tissue image at (20, 24), full-frame coordinates.
	m := &imaging.Mask{Width: 72, Height: 40, Depth: 1, Data: make([]bool, 72*40)}
	for x := 19; x <= 21; x++ {
		m.Data[24*72+x] = true
	}
	r, err := imaging.MaskForCine(m, info)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("mask %d×%d, %d pixels, at (%d..%d, 18) in the contrast image\n", r.Width, r.Height, r.Count(), 19-2, 21-2)
	fmt.Println(r.At2D(17, 18), r.At2D(19, 18), r.At2D(20, 18))
	// Output:
	// 3 regions: 0 = 2D (38,6)-(70,38), 1 = 2D (2,6)-(34,38), 2 = graphics (70,6)-(72,38)
	// region 0, box (38,6)-(70,38) of a (72,40) frame: 32×32 frames, 0.10 mm pixels
	// mask 32×32, 3 pixels, at (17..19, 18) in the contrast image
	// true true false
}
