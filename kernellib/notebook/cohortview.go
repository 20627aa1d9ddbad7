package notebook

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/cohort/filecheck"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/nb"
	"github.com/ceusrad/ceusrad/kernellib/plots"
	"github.com/ceusrad/ceusrad/kernellib/tic"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// patientView is what the data notebooks' views (CohortView, TICView,
// RadiomicsView) share: the notebooks' cohort (Cohort), read when a method
// first needs it, and the patient their single-patient figures show — the
// first patient of the training split unless choose picked another.
type patientView struct {
	view
	c         *cohort.Cohort
	simulated bool   // c was written by the simulator (Cohort)
	id        string // the patient chosen by choose; "" for the first training patient
}

// cohort returns the notebooks' cohort, reading it (and simulating the
// default one when missing) on first use; nil after an error, shown.
func (v *patientView) cohort() *cohort.Cohort {
	if v.c == nil && v.err == nil {
		c, sim, err := Cohort(nil)
		if v.ok(err) {
			v.c, v.simulated = c, sim
		}
	}
	return v.c
}

// choose makes id the patient of the single-patient figures; it reports
// whether id is a patient of the cohort.
func (v *patientView) choose(id string) bool {
	if v.cohort() == nil {
		return false
	}
	for _, p := range v.c.Patients {
		if p.ID == id {
			v.id = id
			return true
		}
	}
	first := "none"
	if len(v.c.Patients) > 0 {
		first = v.c.Patients[0].ID
	}
	return v.ok(fmt.Errorf("notebook: no patient %q in %s (patient_id; the first is %s)", id, v.c.Path, first))
}

// patient returns the patient of the single-patient figures; ok is false
// after an error, shown.
func (v *patientView) patient() (p cohort.Patient, ok bool) {
	c := v.cohort()
	if c == nil {
		return p, false
	}
	if v.id != "" {
		for _, p := range c.Patients {
			if p.ID == v.id {
				return p, true
			}
		}
	}
	train, _ := cohort.SplitIndices(c.Patients)
	if len(train) == 0 {
		return p, v.ok(fmt.Errorf("notebook: %s has no training patient (split = %s)", c.Path, cohort.SplitTrain))
	}
	return c.Patients[train[0]], true
}

// about is what the titles say of p: the response, and "simulated" for a
// simulated cohort ("OR, simulated").
func (v *patientView) about(p cohort.Patient) string {
	if v.simulated {
		return p.Response + ", simulated"
	}
	return p.Response
}

// trainIDs returns the IDs of the training split's patients.
func trainIDs(c *cohort.Cohort) []string {
	train, _ := cohort.SplitIndices(c.Patients)
	ids := make([]string, len(train))
	for k, i := range train {
		ids[k] = c.Patients[i].ID
	}
	return ids
}

// saved shows p at w×h (150 dpi on screen) and, when base is not empty,
// writes it as base.png (300 dpi) and base.svg in ResultsDir (Out); err
// is p's maker's error.
func (v *patientView) saved(p *plot.Plot, err error, base string, w, h vg.Length) {
	if !v.ok(err) || !v.ok(nb.Plot(p, w, h, 150)) || base == "" {
		return
	}
	path, err := Out(base)
	if v.ok(err) {
		_, err = plots.Save(p, path, w, h, 300)
		v.ok(err)
	}
}

// image shows img; err is its maker's error.
func (v *patientView) image(img image.Image, err error) {
	if v.ok(err) {
		v.ok(nb.Image(img))
	}
}

// timeOrigin is the time origin of p's curves on the cine's clock, as
// tic.AnalysePatient sets it: the injection, injection_offset_s seconds
// after the first frame, when the manifest gives it, else the first frame.
func timeOrigin(p cohort.Patient) float64 {
	if math.IsNaN(p.InjectionOffset) {
		return 0
	}
	return p.InjectionOffset
}

// originLine says what time zero is for p.
func originLine(p cohort.Patient) string {
	if math.IsNaN(p.InjectionOffset) {
		return "injection time not given (injection_offset_s): times count from the first frame"
	}
	return fmt.Sprintf("time zero is the injection, %.1f s after the first frame (injection_offset_s)", p.InjectionOffset)
}

// Colours of the ROI outlines in the cohort notebook's figures.
var (
	lesionRed  = color.RGBA{R: 255, A: 255}
	liverGreen = color.RGBA{G: 200, A: 255}
)

// MontageTimes are the times after the injection, in seconds, of the
// frames CohortView.Montage shows: before the arterial phase, through it
// (10–40 s), and in the portal and late phases.
var MontageTimes = []float64{5, 15, 20, 25, 35, 60, 90, 120}

// CohortView is what the cohort notebook (01) shows, one method a table or
// figure, so that a cell reads like the description of the data:
//
//	v := notebook.CohortOverview()
//	v.Summary().Head()
//	v.Table1()
//	v.Montage().Masks().RawTIC()
//
// The cohort is the notebooks' (Cohort: the synthetic one, simulated on
// first use, or CEUSRAD_COHORT), read when a method first needs it; the
// single-patient figures show the first training patient unless Patient
// picks another. The first error (no cohort, an unreadable file) is shown
// once, as the cell's message; every later method then shows nothing.
type CohortView struct {
	patientView
}

// CohortOverview returns the cohort notebook's view; it reads nothing yet.
func CohortOverview() *CohortView { return &CohortView{} }

// Patient makes the patient with this patient_id the one the
// single-patient figures (Montage, Masks, RawTIC) show.
func (v *CohortView) Patient(id string) *CohortView {
	if v.err == nil {
		v.choose(id)
	}
	return v
}

// Summary shows the simulator's SUMMARY.md beside the cohort (its ground
// truth: how responses were drawn, the Bayes-optimal AUC), or says that a
// cohort of one's own has none.
func (v *CohortView) Summary() *CohortView {
	c := v.cohort()
	if c == nil {
		return v
	}
	b, err := os.ReadFile(filepath.Join(c.Dir, "SUMMARY.md"))
	switch {
	case errors.Is(err, os.ErrNotExist):
		nb.Markdownf("`%s` has no `SUMMARY.md`: not a simulated cohort, so no ground truth to show.", c.Path)
	case v.ok(err):
		nb.Markdown(string(b))
	}
	return v
}

// CheckFiles reads the manifest again with every file it names opened and
// checked (filecheck: each cine streamed frame by frame, the images and
// masks decoded), with a progress bar, and says how many patients passed
// and how the split divides them; a problem is the cell's error, with its
// row, column and file.
func (v *CohortView) CheckFiles() *CohortView {
	if v.cohort() == nil {
		return v
	}
	bar := nb.NewProgress("checking files", len(v.c.Patients))
	o := filecheck.Options()
	check := o.Check
	o.Check = func(p cohort.Patient) []error {
		defer bar.Add(1)
		return check(p)
	}
	c, err := cohort.ReadFile(v.c.Path, o)
	bar.Done()
	if v.ok(err) {
		train, val := cohort.SplitIndices(c.Patients)
		nb.Markdownf("**%d patients**, every file opened and checked: %d in the training cohort, %d in the validation cohort.",
			len(c.Patients), len(train), len(val))
	}
	return v
}

// Head shows the first rows of the manifest's patient, outcome, split and
// clinical columns.
func (v *CohortView) Head() *CohortView {
	if v.cohort() == nil {
		return v
	}
	cols := append([]string{cohort.ColPatientID, cohort.ColResponse, cohort.ColSplit}, v.c.Clinical...)
	df := v.c.Frame.Select(slices.DeleteFunc(cols, func(c string) bool { return !slices.Contains(v.c.Columns, c) }))
	v.ok(nb.Table(df, nb.TableOptions{Caption: "The first rows of cohort.csv (clinical columns)", MaxRows: 6, Digits: 3}))
	return v
}

// Table1 shows the paper's Table 1 twice: the training against the
// validation cohort (cohort.TableBySplit) and the responders against the
// non-responders (cohort.TableByResponse), each variable summarised and
// tested as cohort.Table1 chooses.
func (v *CohortView) Table1() *CohortView {
	if v.cohort() == nil {
		return v
	}
	bySplit, err := v.c.TableBySplit(nil)
	if v.ok(err) {
		v.table(bySplit.DataFrame(), "Table 1a. Training vs validation cohort")
	}
	if v.err != nil {
		return v
	}
	byResponse, err := v.c.TableByResponse(nil)
	if v.ok(err) {
		v.table(byResponse.DataFrame(), "Table 1b. Responders (OR) vs non-responders (NR)")
	}
	return v
}

// Montage shows the patient's cine at MontageTimes after the injection
// (imaging.FramesAt, the frame nearest each time, streamed), the lesion
// outlined in red, each frame labelled with its time, under a line naming
// the patient, the cine and its time origin.
func (v *CohortView) Montage() *CohortView {
	p, ok := v.patient()
	if !ok {
		return v
	}
	frames, lesion, info, err := montageFrames(p, MontageTimes)
	if !v.ok(err) {
		return v
	}
	tiles := make([]image.Image, len(frames))
	labels := make([]string, len(frames))
	for i, f := range frames {
		tiles[i] = plots.Outline(f.Img, lesion.At2D, lesionRed)
		labels[i] = fmt.Sprintf("%.0f s", f.Time)
	}
	m, err := plots.Montage(tiles, labels, 4, 2)
	if v.ok(err) {
		nb.Markdownf("Patient **%s** (%s), cine `%s`: %d×%d pixels; %s.",
			p.ID, p.Response, filepath.Base(p.Cine), info.Width, info.Height, originLine(p))
		v.image(m, nil)
	}
	return v
}

// montageFrames reads the frames of p's cine nearest the times after the
// injection (timeOrigin) and returns them with their times after the
// injection, the lesion mask in the cine's coordinates and the cine's
// header.
func montageFrames(p cohort.Patient, after []float64) ([]imaging.Frame, *imaging.Mask, imaging.CineInfo, error) {
	lesion, err := imaging.ReadMask(p.LesionMask)
	if err != nil {
		return nil, nil, imaging.CineInfo{}, err
	}
	cine, err := imaging.OpenCine(p.Cine, filecheck.CineOptions(p))
	if err != nil {
		return nil, nil, imaging.CineInfo{}, err
	}
	defer cine.Close()
	if lesion, err = imaging.MaskForCine(lesion, cine.Info()); err != nil {
		return nil, nil, cine.Info(), fmt.Errorf("notebook: %s: %w", p.LesionMask, err)
	}
	t0 := timeOrigin(p)
	times := make([]float64, len(after))
	for i, t := range after {
		times[i] = t + t0 // on the cine's clock
	}
	frames, err := imaging.FramesAt(cine, times)
	for i := range frames {
		frames[i].Time -= t0
	}
	return frames, lesion, cine.Info(), err
}

// Masks shows the patient's B-mode image beside the same image with the
// lesion mask (red) and the liver reference mask (green, when given)
// outlined.
func (v *CohortView) Masks() *CohortView {
	p, ok := v.patient()
	if !ok {
		return v
	}
	bmode, err := imaging.ReadImage(p.BMode)
	if !v.ok(err) {
		return v
	}
	lesion, err := imaging.ReadMask(p.LesionMask)
	if !v.ok(err) {
		return v
	}
	both, label := plots.Outline(bmode, lesion.At2D, lesionRed), "lesion (red)"
	if p.LiverMask != "" {
		liver, err := imaging.ReadMask(p.LiverMask)
		if !v.ok(err) {
			return v
		}
		both, label = plots.Outline(both, liver.At2D, liverGreen), "lesion (red), liver (green)"
	}
	v.image(plots.Montage([]image.Image{bmode, both}, []string{"B-mode", label}, 2, 3))
	return v
}

// RawTIC shows the patient's raw time–intensity curves: the mean display
// grey level in the lesion and in the liver reference, frame by frame
// (tic.AnalysePatient with the display scale, no flash rejection, no
// smoothing), against the time after the injection, with dashed lines at
// 10 and 40 s, the arterial phase; the figure is written as
// 01_cohort_tic.png and .svg (Out).
func (v *CohortView) RawTIC() *CohortView {
	p, ok := v.patient()
	if !ok {
		return v
	}
	o := tic.Options{InjectionS: math.NaN(), BaselineEndS: 3, SmoothWindow: 1} // display scale, nothing removed
	a, err := tic.AnalysePatient(p, o)
	if !v.ok(err) {
		return v
	}
	pl, err := plots.Lines(a.ROIs[0].Time, a.Curves.Mean, a.Curves.Names, "time after injection (s)", "mean grey level", 10, 40)
	if err == nil {
		pl.Title.Text = fmt.Sprintf("Patient %s (%s): raw time-intensity curves", p.ID, v.about(p))
	}
	v.saved(pl, err, "01_cohort_tic", 6*vg.Inch, 3*vg.Inch)
	return v
}
