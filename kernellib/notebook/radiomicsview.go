package notebook

import (
	"fmt"
	"image"
	"image/color"
	"path/filepath"
	"slices"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/nb"
	"github.com/ceusrad/ceusrad/kernellib/plots"
	"github.com/ceusrad/ceusrad/kernellib/radiomics"
	"github.com/ceusrad/ceusrad/kernellib/study"
	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
	"gonum.org/v1/plot/vg"
)

// ExplainedFeatures are the features RadiomicsView.Features shows (their
// 2D-averaged aggregation where they have several): the intensity mean,
// variance and skewness (IBSI 3.3) and four GLCM features (IBSI 3.6).
var ExplainedFeatures = []string{"mean_intensity", "intensity_variance", "intensity_skewness",
	"joint_maximum", "contrast", "inverse_difference", "joint_entropy"}

// IBSIPhantomDir is the folder of the IBSI digital phantom and its
// reference values, relative to the repository.
var IBSIPhantomDir = filepath.Join("kernellib", "radiomics", "testdata", "ibsi")

// RadiomicsView is what the B-mode radiomics notebook (03) shows, one
// method a table or figure:
//
//	v := notebook.Radiomics()
//	v.ROI().Histogram().GLCM().Features()
//	v.IBSI().ICC()
//	v.Pipelines().Selected().ROC()
//
// The single-patient methods (ROI, Histogram, GLCM, Features) show one
// patient's lesion — the first of the training split unless Patient picks
// another — prepared as R-BMode prepares it (radiomics.PatientCase, the
// pixel size from the cine; radiomics.Prepare with DefaultSettings: 32
// grey levels). The cohort methods compute, each once and when first
// needed, with progress bars: the features of every patient under mask
// perturbations (ICC; study.RBModePerturbations) and the feature table and
// R-BMode (Pipelines, Selected, ROC; study.RBModeFeatures, study.RBMode).
// The first error is shown once, as the cell's message; every later
// method then shows nothing.
type RadiomicsView struct {
	patientView
	cs  radiomics.Case
	roi *radiomics.ROI
	pt  *radiomics.Perturbed
	r   *study.RBModeResult
}

// Radiomics returns the radiomics notebook's view; it reads nothing yet.
func Radiomics() *RadiomicsView { return &RadiomicsView{} }

// Patient makes the patient with this patient_id the one ROI, Histogram,
// GLCM and Features show.
func (v *RadiomicsView) Patient(id string) *RadiomicsView {
	if v.err == nil && v.choose(id) {
		v.roi = nil
	}
	return v
}

// lesion returns the patient's case and prepared ROI, reading them on
// first use.
func (v *RadiomicsView) lesion() (cohort.Patient, *radiomics.ROI, bool) {
	p, ok := v.patient()
	if !ok || v.roi != nil {
		return p, v.roi, ok
	}
	cs, err := radiomics.PatientCase(p, radiomics.TableOptions{})
	if !v.ok(err) {
		return p, nil, false
	}
	roi, err := radiomics.Prepare(cs.Image, cs.Mask, radiomics.DefaultSettings())
	if !v.ok(err) {
		return p, nil, false
	}
	v.cs, v.roi = cs, roi
	return p, roi, true
}

// boxImage draws roi's bounding box: value(i) is pixel i's grey value;
// outside the intensity mask it is white.
func boxImage(roi *radiomics.ROI, value func(i int) uint8) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, roi.Nx, roi.Ny))
	for i := range roi.Int {
		g.Pix[i] = 255
		if roi.Int[i] {
			g.Pix[i] = value(i)
		}
	}
	return g
}

// ROI shows the patient's B-mode image with the lesion outlined, the
// lesion's box with its grey values, and the same after discretisation
// (outside the lesion: white), then the lesion's size and pixel size.
func (v *RadiomicsView) ROI() *RadiomicsView {
	p, roi, ok := v.lesion()
	if !ok {
		return v
	}
	img, err := imaging.ReadImage(p.BMode)
	if !v.ok(err) {
		return v
	}
	out := plots.Outline(img, v.cs.Mask.At2D, color.RGBA{255, 200, 0, 255})
	raw := boxImage(roi, func(i int) uint8 { return uint8(roi.X[i]) })
	levels := boxImage(roi, func(i int) uint8 { return uint8(255 * (roi.Level[i] - 1) / int32(max(roi.Ng-1, 1))) })
	v.image(plots.Montage([]image.Image{out, raw, levels},
		[]string{"B-mode, lesion outlined", "lesion grey values", fmt.Sprintf("%d grey levels", roi.Ng)}, 3, 2))
	if v.err == nil {
		nb.Markdownf("Patient %s (%s): %d pixels in the lesion, pixel size %.3f mm (from the cine's DICOM header).",
			p.ID, v.about(p), roi.NumMorph(), v.cs.Image.Spacing[0])
	}
	return v
}

// Histogram shows the histogram of the B-mode grey values inside the
// lesion (32 bins).
func (v *RadiomicsView) Histogram() *RadiomicsView {
	_, roi, ok := v.lesion()
	if !ok {
		return v
	}
	var vals []float64
	for i, in := range roi.Int {
		if in {
			vals = append(vals, roi.X[i])
		}
	}
	h, err := plots.Histogram(vals, 32, "B-mode grey value in the lesion", false)
	v.saved(h, err, "", 4.5*vg.Inch, 3*vg.Inch)
	return v
}

// GLCM shows the lesion's normalised grey level co-occurrence matrix p_ij
// (IBSI 3.6) for the 0° direction at distance 1, counted both ways, as a
// heat map; it is written as 03_bmode_glcm.png and .svg (Out).
func (v *RadiomicsView) GLCM() *RadiomicsView {
	_, roi, ok := v.lesion()
	if !ok {
		return v
	}
	g := radiomics.NewGLCM(roi.Ng)
	g.Add(roi, 0, radiomics.Directions2D[0], 1)
	sum := 0.0
	for _, c := range g.C {
		sum += c
	}
	pij := make([]float64, len(g.C))
	for i, c := range g.C {
		pij[i] = c / sum
	}
	hm, err := plots.HeatMap(pij, roi.Ng, roi.Ng, 1, 1, "grey level j", "grey level i")
	if err == nil {
		hm.Title.Text = "GLCM, 0°, distance 1 (p_ij)"
	}
	v.saved(hm, err, "03_bmode_glcm", 4.5*vg.Inch, 4.5*vg.Inch)
	return v
}

// Features extracts every feature of the lesion (radiomics.ROI.Extract
// with DefaultSettings) and shows ExplainedFeatures with their IBSI
// identifiers, then how many features there are in all.
func (v *RadiomicsView) Features() *RadiomicsView {
	_, roi, ok := v.lesion()
	if !ok {
		return v
	}
	fs, err := roi.Extract(radiomics.DefaultSettings())
	if !v.ok(err) {
		return v
	}
	var fam, name, id, agg []string
	var val []float64
	for _, f := range fs {
		if (f.Family == radiomics.FamilyStatistics || f.Family == radiomics.FamilyGLCM) && slices.Contains(ExplainedFeatures, f.Name) &&
			(f.Aggregation == "" || f.Aggregation == radiomics.Agg2DAveraged) {
			fam, name, id, agg, val = append(fam, f.Family), append(name, f.Name), append(id, f.IBSIID), append(agg, f.Aggregation), append(val, f.Value)
		}
	}
	df := dataframe.New(series.New(fam, series.String, "family"), series.New(name, series.String, "feature"),
		series.New(id, series.String, "IBSI ID"), series.New(agg, series.String, "aggregation"), series.New(val, series.Float, "value"))
	if v.ok(nb.Table(df, nb.TableOptions{Caption: "Some features of this lesion", MaxRows: -1, Digits: 4})) {
		nb.Markdownf("In all, %d features for this lesion.", len(fs))
	}
	return v
}

// IBSI computes every feature of the IBSI digital phantom (IBSIPhantomDir;
// radiomics.CheckIBSIPhantom) and shows, by family, how many consensus
// values were computed and matched within IBSI's tolerance.
func (v *RadiomicsView) IBSI() *RadiomicsView {
	if v.err != nil {
		return v
	}
	checks, err := radiomics.CheckIBSIPhantom(filepath.Join(root(), IBSIPhantomDir))
	if v.ok(err) {
		v.ok(nb.Table(radiomics.IBSISummary(checks), nb.TableOptions{Caption: "IBSI digital phantom: consensus values computed and matched", MaxRows: -1, Digits: 3}))
	}
	return v
}

// perturbed returns every patient's features under the mask perturbations
// (study.RBModePerturbations), computed on first use with a progress bar.
func (v *RadiomicsView) perturbed() *radiomics.Perturbed {
	if v.pt != nil || v.cohort() == nil {
		return v.pt
	}
	bar := nb.NewProgress("features under mask perturbations", len(v.c.Patients))
	pt, err := study.RBModePerturbations(v.c, bar.Func())
	bar.Done()
	if v.ok(err) {
		v.pt = pt
	}
	return v.pt
}

// ICC shows each feature's robustness to the mask perturbations over the
// training patients — the histogram of ICC(3,1) with the threshold
// radiomics.DefaultICCThreshold dashed (written as 03_bmode_icc.png and
// .svg, Out), how many features reach it, and the ten least robust.
func (v *RadiomicsView) ICC() *RadiomicsView {
	pt := v.perturbed()
	if pt == nil {
		return v
	}
	ids := trainIDs(v.c)
	iccs, err := pt.ICC(ids)
	if !v.ok(err) {
		return v
	}
	var vals []float64
	for _, f := range iccs {
		if f.Defined {
			vals = append(vals, f.ICC)
		}
	}
	h, err := plots.Histogram(vals, 30, fmt.Sprintf("ICC(3,1) over the %d masks, training patients", len(pt.Perturbations)+1), false, radiomics.DefaultICCThreshold)
	v.saved(h, err, "03_bmode_icc", 5.5*vg.Inch, 3*vg.Inch)
	if v.err != nil {
		return v
	}
	robust := radiomics.RobustFeatures(iccs, radiomics.DefaultICCThreshold)
	nb.Markdownf("%d of %d features have ICC(3,1) ≥ %.2f over the %d training patients (dashed line).",
		len(robust), len(iccs), radiomics.DefaultICCThreshold, len(ids))
	df := radiomics.ICCTable(iccs, radiomics.DefaultICCThreshold).Arrange(dataframe.Sort("icc")).Select([]string{"feature", "ibsi_id", "icc", "robust"})
	v.ok(nb.Table(df, nb.TableOptions{Caption: "The least robust features", MaxRows: 10, Digits: 3}))
	return v
}

// rbmode returns R-BMode fitted on the cohort — the feature table, the
// perturbed extractions and the cross-validation of the pipelines, each
// with a progress bar — computing it on first use.
func (v *RadiomicsView) rbmode() *study.RBModeResult {
	if v.r != nil || v.cohort() == nil {
		return v.r
	}
	bar := nb.NewProgress("radiomic features", len(v.c.Patients))
	feats, err := study.RBModeFeatures(v.c, bar.Func())
	bar.Done()
	pt := v.perturbed()
	if !v.ok(err) || pt == nil {
		return nil
	}
	cands := study.DefaultRBModeCandidates()
	bar = nb.NewProgress("cross-validating pipelines", len(cands))
	r, err := study.RBMode(v.c, feats, study.RBModeOptions{Perturbed: pt, Candidates: cands, Progress: bar.Func()})
	bar.Done()
	if v.ok(err) {
		v.r = r
	}
	return v.r
}

// Pipelines shows R-BMode's pipelines, fitted on the robust features, with
// their mean and SD of the cross-validated AUC on the training split, then
// how many features were robust, the chosen pipeline and its validation
// AUC with DeLong's CI beside the paper's.
func (v *RadiomicsView) Pipelines() *RadiomicsView {
	r := v.rbmode()
	if r == nil {
		return v
	}
	v.pipelines(&r.Fitted)
	if v.err == nil {
		nb.Markdownf("Robust features: %d of %d. Chosen: **%s** (CV AUC %.3f ± %.3f).\n\nValidation AUC **%.3f** (95%% DeLong CI %.3f to %.3f) on %d patients; the paper reports 0.81 (0.67 to 0.95) for R-BMode.",
			len(r.Robust), len(r.Features), r.ChosenName(), r.CVAUC, r.CVAUCSD, r.AUC, r.CI[0], r.CI[1], len(r.Valid))
	}
	return v
}

// Selected shows the features the chosen pipeline uses, refitted on the
// training split.
func (v *RadiomicsView) Selected() *RadiomicsView {
	if r := v.rbmode(); r != nil {
		v.ok(nb.Table(dataframe.New(series.New(r.Selected, series.String, "feature")),
			nb.TableOptions{Caption: fmt.Sprintf("Features used by %s, refitted on the training split", r.ChosenName()), MaxRows: -1}))
	}
	return v
}

// ROC shows R-BMode's ROC curve on the validation split with its bootstrap
// band, written as 03_bmode_roc.png and .svg (Out).
func (v *RadiomicsView) ROC() *RadiomicsView {
	if r := v.rbmode(); r != nil {
		v.fittedROC(study.RBModeName, &r.Fitted, "03_bmode_roc")
	}
	return v
}
