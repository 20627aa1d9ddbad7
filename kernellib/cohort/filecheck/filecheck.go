package filecheck

import (
	"errors"
	"fmt"
	"image"
	"io"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// Options returns cohort.Options whose Check opens every file with Check.
func Options() *cohort.Options { return &cohort.Options{Check: Check} }

// Check opens the files of one patient and returns every problem found,
// each a *cohort.FieldError naming the manifest column:
//
//   - cine: opened with the manifest's frame_rate as fallback timing; every
//     frame read; the number of frames read must equal the header's, and
//     every frame must have the header's size;
//   - bmode: decoded as a grey image;
//   - lesion_mask and liver_mask: decoded; 2D; the same size as the B-mode
//     image and as the cine frames, and not empty (the lesion mask).
func Check(p cohort.Patient) []error {
	var errs []error
	fail := func(col string, err error) {
		errs = append(errs, &cohort.FieldError{Column: col, Err: err})
	}
	cineSize, err := checkCine(p.Cine, p.FrameRate)
	if err != nil {
		fail(cohort.ColCine, err)
	}
	var bmodeSize image.Point
	if img, err := imaging.ReadImage(p.BMode); err != nil {
		fail(cohort.ColBMode, err)
	} else {
		bmodeSize = img.Bounds().Size()
	}
	masks := []struct{ col, path string }{{cohort.ColLesionMask, p.LesionMask}}
	if p.LiverMask != "" {
		masks = append(masks, struct{ col, path string }{cohort.ColLiverMask, p.LiverMask})
	}
	for _, m := range masks {
		// The size is checked from the mask's header, before its data are read.
		mk, err := imaging.ReadMaskFor(m.path, bmodeSize.X, bmodeSize.Y)
		var se *imaging.SizeError
		switch {
		case errors.As(err, &se) && se.Got[2] > 1:
			fail(m.col, fmt.Errorf("%s: a 3D mask (%d slices) for 2D images", m.path, se.Got[2]))
			continue
		case errors.As(err, &se):
			fail(m.col, fmt.Errorf("%s: mask is %dx%d but the B-mode image %s is %dx%d", m.path, se.Got[0], se.Got[1], p.BMode, bmodeSize.X, bmodeSize.Y))
			if got := image.Pt(se.Got[0], se.Got[1]); cineSize != (image.Point{}) && got != cineSize {
				fail(m.col, fmt.Errorf("%s: mask is %dx%d but the cine %s has %dx%d frames", m.path, got.X, got.Y, p.Cine, cineSize.X, cineSize.Y))
			}
			continue
		case err != nil:
			fail(m.col, err)
			continue
		}
		if mk.Depth > 1 {
			fail(m.col, fmt.Errorf("%s: a 3D mask (%d slices) for 2D images", m.path, mk.Depth))
			continue
		}
		size := image.Pt(mk.Width, mk.Height)
		if bmodeSize != (image.Point{}) && size != bmodeSize {
			fail(m.col, fmt.Errorf("%s: mask is %dx%d but the B-mode image %s is %dx%d", m.path, size.X, size.Y, p.BMode, bmodeSize.X, bmodeSize.Y))
		}
		if cineSize != (image.Point{}) && size != cineSize {
			fail(m.col, fmt.Errorf("%s: mask is %dx%d but the cine %s has %dx%d frames", m.path, size.X, size.Y, p.Cine, cineSize.X, cineSize.Y))
		}
		if m.col == cohort.ColLesionMask && mk.Count() == 0 {
			fail(m.col, fmt.Errorf("%s: the lesion mask is empty (no non-zero pixel)", m.path))
		}
	}
	return errs
}

// checkCine streams the cine and returns its frame size.
func checkCine(path string, frameRate float64) (image.Point, error) {
	c, err := imaging.OpenCine(path, imaging.CineOptions{FrameRate: frameRate})
	if err != nil {
		return image.Point{}, err
	}
	defer c.Close()
	info := c.Info()
	size := image.Pt(info.Width, info.Height)
	n := 0
	for {
		f, err := c.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return size, err
		}
		if got := f.Img.Bounds().Size(); got != size {
			return size, fmt.Errorf("%s: frame %d is %dx%d, the header says %dx%d", path, f.Index, got.X, got.Y, size.X, size.Y)
		}
		n++
	}
	if info.NumFrames > 0 && n != info.NumFrames {
		return size, fmt.Errorf("%s: %d frames read, the header declares %d", path, n, info.NumFrames)
	}
	if n == 0 {
		return size, fmt.Errorf("%s: the cine has no frames", path)
	}
	return size, nil
}
