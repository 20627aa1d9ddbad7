package radiomics

import (
	"errors"
	"fmt"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/cohort/filecheck"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/internal/parallel"
)

// TableOptions configure the cohort-level extractions (CohortTable,
// CohortPerturbed).
type TableOptions struct {
	// Settings of every extraction; nil means DefaultSettings().
	Settings *Settings
	// PixelSpacingMM is the B-mode pixel size in mm, the same for every
	// patient. 0 (the default) takes each patient's from the cine: the
	// PixelSpacingMM of imaging.OpenCine(...).Info() — Pixel Spacing
	// (0028,0030), else the Physical Delta of the Sequence of Ultrasound
	// Regions (0018,6011), DICOM PS3.3 C.8.5.5 — on the premise that the
	// B-mode still was taken with the cine's geometry (so in the default
	// cohort; with cine_region, the region's Physical Delta). PNG and JPEG stills carry no pixel size; a cine that gives
	// none is an error naming it, and this option is the way out.
	PixelSpacingMM float64
	// Workers is the number of patients processed at once (≤ 0:
	// GOMAXPROCS). Results do not depend on it.
	Workers int
}

// ColOverlayPixels names CohortTable's integer column of the lesion's pixels
// left out of the intensity mask as a burned-in coloured overlay
// (ExtractExcluding); an integer column, so that a model that learns from
// every float column of the table does not learn from it.
const ColOverlayPixels = "overlay_pixels"

func (o TableOptions) settings() Settings {
	if o.Settings != nil {
		return *o.Settings
	}
	return DefaultSettings()
}

// PatientCase reads one patient's B-mode image and lesion mask into a Case
// named by the patient's ID: the image as a one-slice volume (FromImage)
// with the pixel size of TableOptions.PixelSpacingMM, and its burned-in
// coloured overlay (imaging.ReadImageOverlay with the default threshold) as
// Case.Overlay. Errors name the patient and the file.
func PatientCase(p cohort.Patient, o TableOptions) (Case, error) {
	fail := func(file string, err error) error {
		return fmt.Errorf("radiomics: patient %s (%s): %w", p.ID, file, err)
	}
	dx := o.PixelSpacingMM
	if dx < 0 {
		return Case{}, fmt.Errorf("%w: TableOptions.PixelSpacingMM is %g, want > 0 (or 0: from the cine)", ErrInput, dx)
	}
	if dx == 0 {
		c, err := imaging.OpenCine(p.Cine, filecheck.CineOptions(p))
		if err != nil {
			return Case{}, fail(p.Cine, err)
		}
		dx = c.Info().PixelSpacingMM
		c.Close()
		if !(dx > 0) {
			return Case{}, fail(p.Cine, fmt.Errorf("%w: the cine gives no pixel spacing (Pixel Spacing 0028,0030 or Ultrasound Regions 0018,6011) for the B-mode image; set TableOptions.PixelSpacingMM", ErrInput))
		}
	}
	img, overlay, err := imaging.ReadImageOverlay(p.BMode, 0)
	if err != nil {
		return Case{}, fail(p.BMode, err)
	}
	vol, err := FromImage(img, dx, dx)
	if err != nil {
		return Case{}, fail(p.BMode, err)
	}
	m, err := imaging.ReadMask(p.LesionMask)
	if err != nil {
		return Case{}, fail(p.LesionMask, err)
	}
	if m.Width != vol.Nx || m.Height != vol.Ny || m.Depth != 1 {
		return Case{}, fail(p.LesionMask, fmt.Errorf("%w: mask is %d×%d×%d, the B-mode image %s is %d×%d", ErrInput, m.Width, m.Height, m.Depth, p.BMode, vol.Nx, vol.Ny))
	}
	return Case{Name: p.ID, Image: vol, Mask: m, Overlay: overlay}, nil
}

// CohortTable extracts the features of every patient's B-mode image inside
// the lesion mask (PatientCase, then ExtractExcluding with the options'
// Settings, the image's coloured overlay left out of the intensity mask: for
// a one-slice image the 2D shape features and the 2D aggregations) and
// returns them as a table, one row per patient in manifest order: the
// column patient_id (cohort.ColPatientID), the integer column
// overlay_pixels (ColOverlayPixels: the lesion's pixels left out as
// overlay), then one float column per feature named by Feature.Key
// ("glcm/joint_maximum [2D, averaged]"), in extraction order. Every patient must give the same features; a patient
// whose files cannot be read or whose region cannot be extracted makes the
// call fail with every such patient's error (nothing is skipped).
//
// Patients are processed by TableOptions.Workers goroutines; each
// extraction is deterministic and independent, so the table does not depend
// on their number. progress, when not nil, is called (serially) after each
// patient with (done, total).
func CohortTable(c *cohort.Cohort, o TableOptions, progress func(done, total int)) (dataframe.DataFrame, error) {
	if c == nil || len(c.Patients) == 0 {
		return dataframe.DataFrame{}, errors.New("radiomics: CohortTable: empty cohort")
	}
	s := o.settings()
	n := len(c.Patients)
	rows := make([][]Feature, n)
	overlay := make([]int, n)
	err := parallel.ForEach(n, o.Workers, func(i int) error {
		cs, err := PatientCase(c.Patients[i], o)
		if err != nil {
			return err
		}
		fs, ov, err := ExtractExcluding(cs.Image, cs.Mask, cs.Overlay, s)
		overlay[i] = ov
		if err != nil {
			return fmt.Errorf("radiomics: patient %s (%s, %s): %w", cs.Name, c.Patients[i].BMode, c.Patients[i].LesionMask, err)
		}
		rows[i] = fs
		return nil
	}, progress)
	if err != nil {
		return dataframe.DataFrame{}, err
	}
	keys, err := sameKeys(rows, func(i int) string { return c.Patients[i].ID })
	if err != nil {
		return dataframe.DataFrame{}, err
	}
	ss := append(cohort.KeyColumns(c.Patients), series.New(overlay, series.Int, ColOverlayPixels))
	for j, k := range keys {
		v := make([]float64, n)
		for i := range rows {
			v[i] = rows[i][j].Value
		}
		ss = append(ss, series.New(v, series.Float, k))
	}
	df := dataframe.New(ss...)
	if df.Err != nil {
		return dataframe.DataFrame{}, fmt.Errorf("radiomics: CohortTable: %w", df.Err)
	}
	return df, nil
}

// sameKeys returns the feature keys of rows[0] and checks that every row
// has the same, in the same order; name(i) names row i in the error.
func sameKeys(rows [][]Feature, name func(i int) string) ([]string, error) {
	keys := make([]string, len(rows[0]))
	for j, f := range rows[0] {
		keys[j] = f.Key()
	}
	for i, r := range rows[1:] {
		if len(r) != len(keys) {
			return nil, fmt.Errorf("radiomics: %s has %d features, %s has %d", name(i+1), len(r), name(0), len(keys))
		}
		for j, f := range r {
			if f.Key() != keys[j] {
				return nil, fmt.Errorf("radiomics: feature %d of %s is %s, of %s %s", j, name(i+1), f.Key(), name(0), keys[j])
			}
		}
	}
	return keys, nil
}
