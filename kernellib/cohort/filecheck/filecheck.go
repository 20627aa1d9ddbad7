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
//   - cine: opened with the manifest's frame_rate as fallback timing and
//     its cine_region (CineOptions); every frame read; the number of frames
//     read must equal the header's, and every frame must have the header's
//     size; a dual display (two side-by-side 2D Ultrasound Regions,
//     imaging.SideBySide) without cine_region is an error naming both
//     regions' boxes;
//   - bmode: decoded as a grey image;
//   - lesion_mask, liver_mask and lesion_mask_2 (a second reader's lesion
//     mask, when given): decoded; 2D; the same size as the B-mode image and
//     as the cine frames, and not empty (the lesion masks). With
//     cine_region a mask is in full-frame coordinates (or the region's) and
//     is brought into the region's with imaging.MaskForCine, which must
//     succeed.
func Check(p cohort.Patient) []error {
	var errs []error
	fail := func(col string, err error) {
		errs = append(errs, &cohort.FieldError{Column: col, Err: err})
	}
	info, err := checkCine(p.Cine, CineOptions(p))
	if err != nil {
		fail(cohort.ColCine, err)
	}
	cineSize := image.Pt(info.Width, info.Height)
	dual := ""
	if l, r, ok := imaging.SideBySide(info.Regions); ok && p.CineRegion == "" {
		dual = fmt.Sprintf("the cine %s is a dual display: Ultrasound Regions %d %v (left) and %d %v (right) side by side", p.Cine, l, info.Regions[l].Bounds, r, info.Regions[r].Bounds)
		fail(cohort.ColCineRegion, fmt.Errorf("%s; name the image to analyse in cine_region (left, right or a region index)", dual))
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
	if p.LesionMask2 != "" {
		masks = append(masks, struct{ col, path string }{cohort.ColLesionMask2, p.LesionMask2})
	}
	for _, m := range masks {
		// The size is checked from the mask's header, before its data are read; a 2D
		// mask of another size is then read within the general limits
		// (imaging.MaxVoxels, DefaultMaxPixels), so that every problem with it is said.
		mk, err := imaging.ReadMaskFor(m.path, bmodeSize.X, bmodeSize.Y)
		var se *imaging.SizeError
		if errors.As(err, &se) && se.Got[2] <= 1 {
			mk, err = imaging.ReadMask(m.path)
		}
		switch {
		case errors.As(err, &se) && se.Got[2] > 1:
			fail(m.col, fmt.Errorf("%s: a 3D mask (%d slices) for 2D images", m.path, se.Got[2]))
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
		switch {
		case info.Selected != nil:
			if _, err := imaging.MaskForCine(mk, info); err != nil {
				fail(m.col, fmt.Errorf("%s: %w", m.path, err))
			}
		case cineSize != (image.Point{}) && size != cineSize:
			hint := ""
			if dual != "" {
				hint = "; " + dual + ": a mask drawn on one of them needs cine_region"
			}
			fail(m.col, fmt.Errorf("%s: mask is %dx%d but the cine %s has %dx%d frames%s", m.path, size.X, size.Y, p.Cine, cineSize.X, cineSize.Y, hint))
		}
		if (m.col == cohort.ColLesionMask || m.col == cohort.ColLesionMask2) && mk.Count() == 0 {
			fail(m.col, fmt.Errorf("%s: the lesion mask is empty (no non-zero pixel)", m.path))
		}
	}
	return errs
}

// CineOptions returns the options with which every analysis opens a patient's
// cine: the manifest's frame_rate (fallback timing) and cine_region (the
// Ultrasound Region of a dual display, resolved by imaging.OpenCine into a
// crop). Pair the cine with its masks through imaging.MaskForCine.
func CineOptions(p cohort.Patient) imaging.CineOptions {
	return imaging.CineOptions{FrameRate: p.FrameRate, Region: p.CineRegion}
}

// checkCine streams the cine and returns its Info (zero when it cannot be
// opened).
func checkCine(path string, opt imaging.CineOptions) (imaging.CineInfo, error) {
	c, err := imaging.OpenCine(path, opt)
	if err != nil {
		return imaging.CineInfo{}, err
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
			return info, err
		}
		if got := f.Img.Bounds().Size(); got != size {
			return info, fmt.Errorf("%s: frame %d is %dx%d, the header says %dx%d", path, f.Index, got.X, got.Y, size.X, size.Y)
		}
		n++
	}
	if info.NumFrames > 0 && n != info.NumFrames {
		return info, fmt.Errorf("%s: %d frames read, the header declares %d", path, n, info.NumFrames)
	}
	if n == 0 {
		return info, fmt.Errorf("%s: the cine has no frames", path)
	}
	return info, nil
}
