package nb

import (
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
	"github.com/ceusrad/ceusrad/kernellib/roi"
	"github.com/ceusrad/ceusrad/kernellib/tic"
)

// MasksDir is the folder, beside the manifest, where DrawROIs saves the masks it
// draws: masks/<patient>_lesion.png and masks/<patient>_liver.png, and a second
// reader's masks/<patient>_lesion_2.png (ROIDrawOptions.Reader).
const MasksDir = "masks"

// maskColumns are the manifest's columns of each ROI's mask.
var maskColumns = map[string]string{ROILesion: cohort.ColLesionMask, ROILiver: cohort.ColLiverMask}

// safeID is the form of a patient_id that can name a mask file.
var safeID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// roiSource is the patient a drawing widget works on: the manifest's row, the cine,
// and, for a dual display, the region drawn on and the region analysed.
type roiSource struct {
	manifest, patient string
	cine              string
	opt               imaging.CineOptions // frame rate; Region is set per use
	// contrastSpec is the manifest's cine_region ("" for a single display), drawSpec
	// the region drawn on: the other half of the dual display (a region index).
	contrastSpec, drawSpec string
	// draw and contrast describe the cine opened with those regions (Selected nil
	// without a region).
	draw, contrast imaging.CineInfo
	// w, h is the size of the image drawn on; frames the number of frames.
	w, h, frames int

	// reader is ROIDrawOptions.Reader: 2 for a second reader's masks.
	reader int

	cachedK   int
	cachedImg image.Image
}

// openROISource reads the patient's row of the manifest (cohort.PatientCells: the
// masks may be missing) and opens the cine to learn its geometry.
func openROISource(manifest, patient string) (*roiSource, error) {
	if !safeID.MatchString(patient) {
		return nil, fmt.Errorf("nb: patient %q: a mask file is named after the patient_id, which must be letters, digits, '.', '_' or '-' (starting with a letter or digit)", patient)
	}
	cells, err := cohort.PatientCells(manifest, patient)
	if err != nil {
		return nil, fmt.Errorf("nb: %w", err)
	}
	s := &roiSource{manifest: manifest, patient: patient, cachedK: -1}
	c := cells[cohort.ColCine]
	if cohort.IsMissing(c) {
		return nil, fmt.Errorf("nb: %s: patient %s has no cine", manifest, patient)
	}
	s.cine = filepath.FromSlash(c)
	if !filepath.IsAbs(s.cine) {
		s.cine = filepath.Join(filepath.Dir(manifest), s.cine)
	}
	// A folder of frames needs a frame rate; timing matters only for the
	// peak-enhancement frame, so 1 frame per second stands in (as in ceusrad roi).
	s.opt.FrameRate = 1
	if v := cells[cohort.ColFrameRate]; !cohort.IsMissing(v) {
		if s.opt.FrameRate, err = strconv.ParseFloat(v, 64); err != nil {
			return nil, fmt.Errorf("nb: %s: patient %s: frame_rate %q: want a number of frames per second", manifest, patient, v)
		}
	}
	if v := cells[cohort.ColCineRegion]; !cohort.IsMissing(v) {
		if s.contrastSpec, err = cohort.CineRegionSpec(v); err != nil {
			return nil, fmt.Errorf("nb: %s: patient %s: %w", manifest, patient, err)
		}
	}
	if s.contrast, err = s.info(s.contrastSpec); err != nil {
		return nil, err
	}
	s.draw = s.contrast
	if s.contrastSpec != "" {
		k, err := drawRegion(s.contrast)
		if err != nil {
			return nil, fmt.Errorf("nb: %s: %w", s.cine, err)
		}
		s.drawSpec = strconv.Itoa(k)
		if s.draw, err = s.info(s.drawSpec); err != nil {
			return nil, err
		}
	}
	s.w, s.h, s.frames = s.draw.Width, s.draw.Height, s.contrast.NumFrames
	if s.frames < 1 {
		return nil, fmt.Errorf("nb: %s: the cine has no frames", s.cine)
	}
	return s, nil
}

// info opens the cine with the region spec and returns its description.
func (s *roiSource) info(spec string) (imaging.CineInfo, error) {
	o := s.opt
	o.Region = spec
	c, err := imaging.OpenCine(s.cine, o)
	if err != nil {
		return imaging.CineInfo{}, fmt.Errorf("nb: %w", err)
	}
	defer c.Close()
	return c.Info(), nil
}

// drawRegion returns the index of the region to draw on when the cine is analysed in
// the region info.Selected: the one other 2D region (Region Spatial Format 1) beside
// it, not overlapping it — the tissue (B-mode) half of a dual display, the region
// from which imaging.MaskForCine moves a mask into the analysed one.
func drawRegion(info imaging.CineInfo) (int, error) {
	sel := info.Selected
	frame := image.Rect(0, 0, sel.Stored.X, sel.Stored.Y)
	found := -1
	for i, r := range info.Regions {
		box := r.Bounds.Intersect(frame)
		if i == sel.Index || r.SpatialFormat != 1 || box.Empty() || box.Overlaps(sel.Box) {
			continue
		}
		if found >= 0 {
			return 0, fmt.Errorf("regions %d and %d both lie beside the analysed region %s; the tissue image to draw on is ambiguous (%s)", found, i, sel.Spec, imaging.DescribeRegions(info.Regions))
		}
		found = i
	}
	if found < 0 {
		return 0, fmt.Errorf("no 2D region lies beside the analysed region %s to draw on (%s)", sel.Spec, imaging.DescribeRegions(info.Regions))
	}
	return found, nil
}

// frame returns stored frame k (whole, uncropped); the last one read is kept.
func (s *roiSource) frame(k int) (image.Image, error) {
	if k == s.cachedK {
		return s.cachedImg, nil
	}
	if k < 0 || k >= s.frames {
		return nil, fmt.Errorf("nb: frame %d: the cine has %d frames (0 to %d)", k, s.frames, s.frames-1)
	}
	c, err := imaging.OpenCine(s.cine, s.opt)
	if err != nil {
		return nil, fmt.Errorf("nb: %w", err)
	}
	defer c.Close()
	var f imaging.Frame
	for i := 0; i <= k; i++ {
		if f, err = c.Next(); err != nil {
			if errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("nb: %s: frame %d: the cine ends after %d frames", s.cine, k, i)
			}
			return nil, fmt.Errorf("nb: %w", err)
		}
	}
	s.cachedK, s.cachedImg = k, f.Img
	return f.Img, nil
}

// crop returns the part of a stored frame in the box of info's selected region (the
// whole frame without one).
func crop(img image.Image, info imaging.CineInfo) image.Image {
	if info.Selected == nil {
		return img
	}
	type subImager interface {
		SubImage(r image.Rectangle) image.Image
	}
	if si, ok := img.(subImager); ok {
		return si.SubImage(info.Selected.Box.Add(img.Bounds().Min))
	}
	return img
}

// peakFrame returns the frame of peak enhancement of the analysed image (the
// contrast region of a dual display, else the whole frame): the whole-image
// time–intensity curve is extracted and analysed as R-TIC's curves are
// (tic.DefaultOptions: echo power, flash frames rejected, baseline subtracted, a
// 5-sample moving average), and the frame is the one at its model-free time to
// peak, Parameters.TTP (the largest sample of the smoothed enhancement).
func (s *roiSource) peakFrame() (int, error) {
	o := s.opt
	o.Region = s.contrastSpec
	c, err := imaging.OpenCine(s.cine, o)
	if err != nil {
		return 0, fmt.Errorf("nb: %w", err)
	}
	defer c.Close()
	info := c.Info()
	whole := &imaging.Mask{Width: info.Width, Height: info.Height, Depth: 1, Data: make([]bool, info.Width*info.Height)}
	for i := range whole.Data {
		whole.Data[i] = true
	}
	to := tic.DefaultOptions()
	to.Models = nil
	a, err := tic.Analyse(c, []tic.ROI{{Name: "image", Mask: whole}}, to, nil)
	if err != nil {
		return 0, fmt.Errorf("nb: the peak-enhancement frame of %s: %w", s.cine, err)
	}
	rc := a.ROIs[0]
	for k, t := range rc.Time {
		if t == rc.ModelFree.TTP {
			return a.Curves.Frames[k], nil
		}
	}
	return 0, fmt.Errorf("nb: the peak-enhancement frame of %s: time to peak %g s is no sample's time", s.cine, rc.ModelFree.TTP)
}

// mask rasterises a polygon drawn on the draw image into a mask of the stored frame
// (roi.RasterizeIn at the drawn region's offset, as ceusrad roi -region does; plain
// roi.Rasterize on a single display) and checks that it reaches the analysed image
// (imaging.MaskForCine moves it from the tissue half to the contrast half).
func (s *roiSource) mask(p roi.Polygon) (*imaging.Mask, error) {
	var m *imaging.Mask
	var err error
	if sel := s.draw.Selected; sel != nil {
		m, err = roi.RasterizeIn(p, sel.Box, sel.Stored)
	} else {
		m, err = roi.Rasterize(p, s.w, s.h)
	}
	if err != nil {
		return nil, fmt.Errorf("nb: %w", err)
	}
	if err := roi.NonEmpty(m, p); err != nil {
		return nil, fmt.Errorf("nb: %w", err)
	}
	if _, err := imaging.MaskForCine(m, s.contrast); err != nil {
		return nil, fmt.Errorf("nb: the mask does not carry over to the analysed region %s: %w", s.contrastSpec, err)
	}
	return m, nil
}

// maskPath returns the manifest's value (relative to its folder, forward slashes) and
// the file path of an ROI's mask: <patient>_<roi>.png, <patient>_<roi>_2.png for a
// second reader.
func (s *roiSource) maskPath(name string) (cell, path string) {
	if s.reader == 2 {
		name += "_2"
	}
	cell = MasksDir + "/" + s.patient + "_" + name + ".png"
	return cell, filepath.Join(filepath.Dir(s.manifest), filepath.FromSlash(cell))
}

// maskColumn returns the manifest's column of an ROI's mask for the session's
// reader, or an error for an ROI a second reader does not save.
func (s *roiSource) maskColumn(name string) (string, error) {
	if s.reader != 2 {
		return maskColumns[name], nil
	}
	if name != ROILesion {
		return "", fmt.Errorf("nb: a second reader saves the lesion outline only (lesion_mask_2); clear the %s outline", name)
	}
	return cohort.ColLesionMask2, nil
}

// save writes the masks of the polygons (by ROI name) as PNG (roi.Gray, written by
// imaging.WritePNG, atomically: the file ceusrad roi writes for the same polygon) and
// sets the manifest's mask columns to them (cohort.SetPatientCells, atomically; the
// rest of the manifest byte for byte; a second reader's lesion_mask_2, appended as
// the last column when the manifest has none). It returns the manifest values written, in
// roiNames order.
func (s *roiSource) save(polys map[string]roi.Polygon) ([]string, error) {
	masks := map[string]*imaging.Mask{}
	for _, n := range roiNames {
		if p, ok := polys[n]; ok {
			if _, err := s.maskColumn(n); err != nil {
				return nil, err
			}
			m, err := s.mask(p)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", n, err)
			}
			masks[n] = m
		}
	}
	// A mask never replaces the cine it was drawn on (or a frame of a
	// frame folder), nor the manifest.
	var outs []string
	for _, n := range roiNames {
		if _, ok := masks[n]; ok {
			_, path := s.maskPath(n)
			outs = append(outs, path)
		}
	}
	if err := safeio.CheckOutputs(outs, []string{s.manifest, s.cine}); err != nil {
		return nil, fmt.Errorf("nb: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(filepath.Dir(s.manifest), MasksDir), 0o755); err != nil {
		return nil, fmt.Errorf("nb: %w", err)
	}
	cells := map[string]string{}
	var written []string
	for _, n := range roiNames {
		m, ok := masks[n]
		if !ok {
			continue
		}
		g, err := roi.Gray(m)
		if err != nil {
			return nil, fmt.Errorf("nb: %w", err)
		}
		cell, path := s.maskPath(n)
		if err := imaging.WritePNG(path, g); err != nil {
			return nil, fmt.Errorf("nb: %w", err)
		}
		col, _ := s.maskColumn(n)
		cells[col] = cell
		written = append(written, cell)
	}
	if err := cohort.SetPatientCells(s.manifest, s.patient, cells); err != nil {
		return nil, fmt.Errorf("nb: %w", err)
	}
	return written, nil
}
