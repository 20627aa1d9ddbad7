package imaging_test

import (
	"errors"
	"fmt"
	"image"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// A cine is written frame by frame and read back as a stream with its frame times.
func ExampleOpenCine() {
	dir, err := os.MkdirTemp("", "cine")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "patient01.dcm")

	frames := make([]*image.Gray, 3)
	for i := range frames {
		frames[i] = image.NewGray(image.Rect(0, 0, 4, 2))
		for k := range frames[i].Pix {
			frames[i].Pix[k] = uint8(40 * i)
		}
	}
	meta := imaging.CineMeta{PatientID: "P01", FrameTimes: []float64{0, 0.5, 1.25}, PixelSpacingMM: 0.2, Description: "CEUS"}
	if err := imaging.WriteDICOMCine(path, frames, meta); err != nil {
		log.Fatal(err)
	}

	c, err := imaging.OpenCine(path, imaging.CineOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	info := c.Info()
	fmt.Printf("%d frames of %d×%d, %.1f mm pixels, timing from %s\n", info.NumFrames, info.Width, info.Height, info.PixelSpacingMM, info.Timing)
	for {
		f, err := c.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("frame %d at %.2f s: first pixel %d\n", f.Index, f.Time, f.Img.(*image.Gray).Pix[0])
	}
	// Output:
	// 3 frames of 4×2, 0.2 mm pixels, timing from FrameTimeVector (0018,1065)
	// frame 0 at 0.00 s: first pixel 0
	// frame 1 at 0.50 s: first pixel 40
	// frame 2 at 1.25 s: first pixel 80
}

// The crop box cuts the CEUS half out of a side-by-side display; the pixel size then
// comes from the ultrasound region that holds the box.
func ExampleCineOptions_crop() {
	path := filepath.Join("testdata", "dicom", "py_gray8_ftv_regions.dcm")
	c, err := imaging.OpenCine(path, imaging.CineOptions{Crop: image.Rect(16, 0, 32, 12)})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	info := c.Info()
	fmt.Printf("%d×%d frames, %.2f mm pixels; regions: %v and %v\n", info.Width, info.Height, info.PixelSpacingMM, info.Regions[0].Bounds, info.Regions[1].Bounds)
	// Output:
	// 16×12 frames, 0.20 mm pixels; regions: (0,0)-(16,12) and (16,0)-(32,12)
}

func ExampleLuma8() {
	fmt.Println(imaging.Luma8(200, 100, 50)) // 0.299·200 + 0.587·100 + 0.114·50 = 124.2
	// Output: 124
}

func ExampleReadMask() {
	m, err := imaging.ReadMask(filepath.Join("testdata", "still", "mask_rgba.png"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d×%d×%d mask, %d pixels inside\n", m.Width, m.Height, m.Depth, m.Count())
	// Output: 16×12×1 mask, 49 pixels inside
}

func ExampleReadNIfTI() {
	v, err := imaging.ReadNIfTI(filepath.Join("testdata", "nifti", "i16_3d_scaled.nii.gz"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d×%d×%d %v voxels of %.1f×%.1f×%.1f mm\n", v.Nx, v.Ny, v.Nz, v.Datatype, v.Spacing[0], v.Spacing[1], v.Spacing[2])
	// Output: 8×6×4 int16 voxels of 0.7×0.8×2.5 mm
}
