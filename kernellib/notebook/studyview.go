package notebook

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/nb"
	"github.com/ceusrad/ceusrad/kernellib/study"
	"gonum.org/v1/plot/vg"
)

// PaperVsReproductionName is the file, beside results.json, in which the
// study writes Liu et al.'s numbers beside its own
// (study.Study.PaperVsReproduction).
const PaperVsReproductionName = "paper_vs_reproduction.md"

// StudyView is what the quickstart and the comparison notebooks show of the
// study's validation split, one method a table or figure, so that a cell
// reads like the analysis:
//
//	s := notebook.Study()
//	s.AUC().ROC().PR()
//
// Its methods: AUC (the discrimination table), ROC and PR (the curves),
// Operating (accuracy at the training-fixed thresholds), Threshold (a
// slider over one model's thresholds), Calibration (table and curves),
// DecisionCurves, Pairs (DeLong's paired tests, NRI and IDI, the omnibus
// test in the caption) and PaperVsReproduction; each returns the view (go
// doc writes V for the view's type in the methods it shares with
// ExternalView). The comparison is computed once, when the view is made. The first error (no cohort, a study that
// cannot run) is shown once, as the cell's message, when the view is made
// or when a method meets it; every later method then shows nothing.
type StudyView struct {
	comparisonView[*StudyView]
	r   *study.Results
	dir string // where the study wrote its files (PaperVsReproduction)
}

// Study returns the view of the study's results on the notebooks' cohort
// (Results: read from results.json when an earlier run left them for the
// same cohort, code and settings, otherwise computed now and written) and
// of their comparison on the validation split (study.Results.Compare).
func Study() *StudyView {
	r, err := Results()
	return newStudyView(r, ResultsDir(), err)
}

// newStudyView makes the view of r, whose files are in dir; err is the
// error of reading r, shown by the view.
func newStudyView(r *study.Results, dir string, err error) *StudyView {
	s := &StudyView{dir: dir}
	s.self = s
	if !s.ok(err) {
		return s
	}
	cmp, err := r.Compare(study.CompareOptions{}, nil)
	if !s.ok(err) {
		return s
	}
	s.r, s.cmp = r, cmp
	auc := "Validation AUC"
	if r.Simulated {
		auc += " (simulated cohort)"
	}
	s.captions = comparisonCaptions{
		auc:         r.Caption(auc),
		pairs:       "Paired DeLong tests (Holm-adjusted p) and reclassification (NRI, IDI) on the validation cohort",
		operating:   "Accuracy at the training-fixed Youden threshold",
		calibration: "Calibration on the validation cohort",
	}
	return s
}

// Results returns the study's results the view shows (nil after an error).
func (s *StudyView) Results() *study.Results { return s.r }

// Threshold shows the threshold slider of the study's last model (R-DLCEUS
// when it ran): ThresholdOf that model.
func (s *StudyView) Threshold() *StudyView {
	if s.err != nil {
		return s
	}
	return s.ThresholdOf(s.cmp.Models[len(s.cmp.Models)-1].Name)
}

// ThresholdOf shows a slider over every threshold the validation scores of
// the model named allow (study.ThresholdView), starting at the operating
// point of its threshold fixed on the training patients (Operating): the ROC curve with the threshold's
// operating point, beside the validation patients' 2×2 table and the
// sensitivity, specificity, accuracy, PPV and NPV with Wilson intervals.
// Every threshold's view is rendered up front and the slider switches them
// in the browser, with no kernel: in Jupyter, in the executed notebook and
// in its HTML export (nb.Slider).
func (s *StudyView) ThresholdOf(model string) *StudyView {
	if s.err != nil {
		return s
	}
	var names []string
	for i, m := range s.cmp.Models {
		if m.Name != model {
			names = append(names, m.Name)
			continue
		}
		v, err := study.NewThresholdView(m.Name, s.r.Scores()[i].Valid, s.r.ValidTruth) // Compare keeps the models' order
		if s.ok(err) {
			s.ok(nb.Slider(nb.SliderOptions{Label: m.Name + " threshold", Max: len(v.Thresholds()) - 1,
				Value: thresholdIndex(v, m.Operating.Threshold)}, func(k int) (string, error) { return thresholdHTML(v, k) }))
		}
		return s
	}
	s.ok(fmt.Errorf("notebook: no model %q in the study; its models are %s", model, strings.Join(names, ", ")))
	return s
}

// thresholdIndex returns the index of v's threshold that calls the same
// patients responders (score ≥ threshold) as t does, so that the slider
// starts at the operating point of the threshold fixed in training (the
// accuracy study.Comparison.OperatingTable reports); the threshold nearest
// in value can lie across a validation score from t. When none does (t at
// or below every score) it is the nearest threshold.
func thresholdIndex(v *study.ThresholdView, t float64) int {
	called := func(u float64) int {
		n := 0
		for _, s := range v.Scores {
			if s >= u {
				n++
			}
		}
		return n
	}
	want := called(t)
	for k, u := range v.Thresholds() {
		if called(u) == want {
			return k
		}
	}
	return v.Nearest(t)
}

// thresholdHTML is the slider's view of v at its k-th threshold: the ROC
// point beside the 2×2 table and the accuracy measures.
func thresholdHTML(v *study.ThresholdView, k int) (string, error) {
	fig, conf, meas, err := v.At(v.Thresholds()[k])
	if err != nil {
		return "", err
	}
	img, err := nb.PlotHTML(fig, 4*vg.Inch, 4*vg.Inch, 110)
	if err != nil {
		return "", err
	}
	ct, err := nb.TableHTML(conf, nb.TableOptions{Caption: "Validation patients by truth (columns) and call (rows)"})
	if err != nil {
		return "", err
	}
	mt, err := nb.TableHTML(meas, nb.TableOptions{Caption: "At this threshold"})
	return nb.Row(img, ct+"<br>"+mt), err
}

// PaperVsReproduction shows paper_vs_reproduction.md, which the study wrote
// beside results.json: Liu et al.'s validation AUCs and DeLong p-values
// beside this run's, with the omnibus test and, for a simulated cohort, the
// AUC its simulator allows (study.Study.PaperVsReproduction).
func (s *StudyView) PaperVsReproduction() *StudyView {
	if s.err != nil {
		return s
	}
	path := filepath.Join(s.dir, PaperVsReproductionName)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		err = fmt.Errorf("notebook: %s is missing: the study writes it beside results.json; remove %s to run the study again", path, filepath.Join(s.dir, "results.json"))
	}
	if s.ok(err) {
		nb.Markdown(string(b))
	}
	return s
}
