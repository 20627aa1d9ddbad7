package radiomics

import (
	"fmt"
	"slices"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// Extract computes every feature of the families in s.Families (all when nil) from the
// image and its mask: Prepare, then each family in IBSI's order. A one-slice image
// gets the 2D shape features and the 2D aggregations; a 3D image the 3D morphology and
// every aggregation (Settings.Dims overrides). No value is NaN or infinite: a feature
// undefined for the input has the documented value of its function, and where none
// exists (e.g. a GLCM of a one-voxel region) Extract returns an error naming the family.
func Extract(img *imaging.Volume, mask *imaging.Mask, s Settings) ([]Feature, error) {
	r, err := Prepare(img, mask, s)
	if err != nil {
		return nil, err
	}
	return r.Extract(s)
}

// ExtractExcluding is Extract with the voxels of exclude (a burned-in coloured
// overlay, imaging.ReadImageOverlay; nil: none) left out of the intensity mask:
// PrepareExcluding, then each family. It also returns the number of the mask's voxels
// left out (ROI.Overlay), the count ceusrad reports as overlay_pixels.
func ExtractExcluding(img *imaging.Volume, mask, exclude *imaging.Mask, s Settings) ([]Feature, int, error) {
	r, err := PrepareExcluding(img, mask, exclude, s)
	if err != nil {
		return nil, 0, err
	}
	fs, err := r.Extract(s)
	return fs, r.Overlay, err
}

// Extract computes the features of a prepared region; see the package function Extract.
func (r *ROI) Extract(s Settings) ([]Feature, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	only2D := s.Dims == Dims2D || (s.Dims == DimsAuto && r.img != nil && r.img.Nz == 1) || (s.Dims == DimsAuto && r.img == nil && r.Nz == 1)
	want := func(f string) bool { return s.Families == nil || slices.Contains(s.Families, f) }
	var out []Feature
	add := func(family string, fs []Feature, err error) error {
		if err != nil {
			return fmt.Errorf("radiomics: %s: %w", family, err)
		}
		out = append(out, fs...)
		return nil
	}
	type fam struct {
		name string
		f    func() ([]Feature, error)
	}
	fams := []fam{
		{FamilyMorphology, func() ([]Feature, error) {
			if r.Nz == 1 && (r.img == nil || r.img.Nz == 1) {
				return r.Shape2D()
			}
			return r.Morphology()
		}},
		{FamilyLocalIntensity, func() ([]Feature, error) { return r.LocalIntensity() }},
		{FamilyStatistics, func() ([]Feature, error) { return r.Statistics(), nil }},
		{FamilyHistogram, func() ([]Feature, error) { return r.Histogram(), nil }},
		{FamilyIVH, func() ([]Feature, error) { return r.IVH(), nil }},
		{FamilyGLCM, func() ([]Feature, error) { return r.GLCMFeatures(s.GLCMDistance, only2D) }},
		{FamilyGLRLM, func() ([]Feature, error) { return r.GLRLMFeatures(only2D) }},
		{FamilyGLSZM, func() ([]Feature, error) { return r.GLSZMFeatures(only2D) }},
		{FamilyGLDZM, func() ([]Feature, error) { return r.GLDZMFeatures(only2D) }},
		{FamilyNGTDM, func() ([]Feature, error) { return r.NGTDMFeatures(s.NGTDMDistance, only2D) }},
		{FamilyNGLDM, func() ([]Feature, error) { return r.NGLDMFeatures(s.NGLDMDistance, s.NGLDMAlpha, only2D) }},
	}
	for _, f := range fams {
		if !want(f.name) {
			continue
		}
		fs, err := f.f()
		if err := add(f.name, fs, err); err != nil {
			return nil, err
		}
	}
	if err := checkFinite(out); err != nil {
		return nil, err
	}
	return out, nil
}
