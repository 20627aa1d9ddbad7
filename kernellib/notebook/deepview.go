package notebook

import (
	"fmt"
	"image"
	"os"
	"strconv"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/deep"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/nb"
	"github.com/ceusrad/ceusrad/kernellib/study"
	"gonum.org/v1/plot/vg"
)

// LiveTrainingEnv, set to 1 (or true), makes DeepView.Training train the
// CNN anew with live curves instead of showing the study's saved ones.
const LiveTrainingEnv = "CEUSRAD_LIVE_TRAINING"

// reproduceTol is how far a probability of the bundle's CNN, run again,
// may lie from the one results.json recorded (float32 arithmetic).
const reproduceTol = 1e-5

// ablationName is the mask-channel ablation's name in tables.
const ablationName = "without the mask channel"

// DeepView is what the deep-learning notebook (04_deep_cine) shows, one
// method a table or figure, of the CNN that the study trained (R-DLCEUS):
//
//	v := notebook.Deep()
//	v.AUC().ROC()
//
// The network is not trained again: Deep reads the study's results
// (Results: reused, or run when the cohort, code or settings changed) and
// loads the CNN from the study's model bundle (StudyCNN), with its
// normalisation, prior-shift offset and training history. The first error
// is shown once, as the cell's message; every later method then shows
// nothing.
type DeepView struct {
	view
	r     *study.Results
	c     *cohort.Cohort
	m     *deep.Model
	clips []*deep.Clip // every patient's network input, prepared on first use
	valid []int        // the validation patients' indices in c, in results.json's order
	prob  []float64    // the loaded CNN's validation probabilities (AUC)
}

// Deep returns the view of the study's CNN: the study's results (Results)
// and the network from its bundle (StudyCNN).
func Deep() *DeepView {
	v := &DeepView{}
	r, err := Results()
	if !v.ok(err) {
		return v
	}
	c, _, err := Cohort(nil)
	if !v.ok(err) {
		return v
	}
	m, _, err := StudyCNN(r)
	if !v.ok(err) {
		return v
	}
	v.r, v.c, v.m = r, c, m
	index := map[string]int{}
	for i, p := range c.Patients {
		index[p.ID] = i
	}
	for _, id := range r.Valid {
		i, ok := index[id]
		if !ok {
			v.ok(fmt.Errorf("notebook: validation patient %s of results.json is not in %s", id, c.Path))
			return v
		}
		v.valid = append(v.valid, i)
	}
	return v
}

// prepared returns every patient's network input under the CNN's Config
// (deep.PrepareAll, with a progress bar), prepared once per view.
func (v *DeepView) prepared() ([]*deep.Clip, bool) {
	if v.clips != nil || v.err != nil {
		return v.clips, v.err == nil
	}
	bar := nb.NewProgress("preparing cines", len(v.c.Patients))
	clips, err := deep.PrepareAll(deep.SourcesOf(v.c.Patients), v.m.Config, bar.Func())
	bar.Done()
	v.clips = clips
	return clips, v.ok(err)
}

// Frames shows the sampled frames of the first responder and the first
// non-responder of the training split (study.ClipMontage: 8 columns, the
// mask outlined), each under a line naming the patient.
func (v *DeepView) Frames() *DeepView {
	clips, ok := v.prepared()
	if !ok {
		return v
	}
	train, _ := cohort.SplitIndices(v.c.Patients)
	for _, want := range []bool{true, false} {
		for _, i := range train {
			if p := v.c.Patients[i]; p.OR() == want {
				im, err := study.ClipMontage(clips[i], 8, 2)
				v.image(im, err, fmt.Sprintf("**%s** (%s%s)", p.ID, p.Response, v.simulated()), "")
				break
			}
		}
	}
	return v
}

// simulated is ", simulated" for the synthetic cohort's patients.
func (v *DeepView) simulated() string {
	if v.r != nil && v.r.Simulated {
		return ", simulated"
	}
	return ""
}

// image shows the line md and then im, unless err (its maker's) is set,
// and writes it as a PNG to ResultsDir/name unless name is "".
func (v *DeepView) image(im *image.RGBA, err error, md, name string) {
	if !v.ok(err) {
		return
	}
	nb.Markdown(md)
	v.ok(nb.Image(im))
	if name != "" {
		p, err := Out(name)
		if v.ok(err) {
			v.ok(imaging.WritePNG(p, im))
		}
	}
}

// Architecture shows the network's learnable tensors
// (study.ArchitectureTable of the study's CNN).
func (v *DeepView) Architecture() *DeepView {
	if v.err == nil {
		v.table(study.ArchitectureTable(v.m), "Learnable tensors of the study's network")
	}
	return v
}

// Training shows the training curves (study.TrainingCurves: training loss,
// inner-validation loss and AUC per epoch, the kept epoch marked) as saved
// with the study's checkpoint, and a line with the parameters, the epochs
// run and the epoch kept. With CEUSRAD_LIVE_TRAINING=1 it calls TrainLive
// instead.
func (v *DeepView) Training() *DeepView {
	if v.err != nil {
		return v
	}
	live, err := liveTraining()
	if !v.ok(err) || live {
		return v.TrainLive()
	}
	p, err := study.TrainingCurves(v.m.History)
	v.figure(p, err, 6.5*vg.Inch, 3.2*vg.Inch)
	if v.err == nil {
		nb.Markdownf("The study's network (models/cnn.json in %s): %d parameters; %d epochs run, in %.0f s; weights of epoch %d kept. Curves as saved with the checkpoint; `%s=1` trains anew, live.",
			ResultsDir(), v.m.NumParams(), len(v.m.History), v.r.Seconds["r_dlceus"], v.m.BestEpoch, LiveTrainingEnv)
	}
	return v
}

// liveTraining reads CEUSRAD_LIVE_TRAINING (unset or empty: false).
func liveTraining() (bool, error) {
	s := os.Getenv(LiveTrainingEnv)
	if s == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, fmt.Errorf("notebook: %s=%q: want 1 or 0 (true or false)", LiveTrainingEnv, s)
	}
	return b, nil
}

// TrainLive trains the network anew, with the study's Config (seed and
// epochs included), on the training split, redrawing the training curves
// after every epoch; then a line with the parameters, the epochs run and
// the time. The view's other methods keep showing the study's network.
func (v *DeepView) TrainLive() *DeepView {
	if v.err != nil {
		return v
	}
	cfg := v.m.Config
	live := nb.NewLivePlot(6.5*vg.Inch, 3.2*vg.Inch, 110)
	bar := nb.NewProgress("epochs", cfg.Epochs)
	var history []deep.Epoch
	r, err := study.RDLCEUS(v.c, study.RDLCEUSOptions{Config: &cfg, Progress: func(e deep.Epoch) {
		bar.Add(1)
		history = append(history, e)
		if p, err := study.TrainingCurves(history); err == nil {
			live.Update(p)
		}
	}})
	bar.Done()
	live.Done()
	if v.ok(err) {
		nb.Markdownf("Trained anew: %d parameters; %d epochs run in %s (cines prepared in %s); weights of epoch %d kept; validation AUC %.3f (the study's network: %.3f).",
			r.Model.NumParams(), len(r.Model.History), r.TrainTime.Round(time.Second), r.PrepTime.Round(time.Second), r.Model.BestEpoch, r.AUC, v.studyAUC())
	}
	return v
}

// studyAUC is R-DLCEUS's validation AUC in results.json.
func (v *DeepView) studyAUC() float64 {
	rm, err := resultModel(v.r, study.RDLCEUSName)
	if err != nil {
		return 0
	}
	return float64(rm.AUC)
}

// scores returns the loaded CNN's validation probabilities, checked
// against results.json's (reproduces): computed once per view.
func (v *DeepView) scores() ([]float64, bool) {
	if v.prob != nil || v.err != nil {
		return v.prob, v.err == nil
	}
	clips, ok := v.prepared()
	if !ok {
		return nil, false
	}
	vc := make([]*deep.Clip, len(v.valid))
	for k, i := range v.valid {
		vc[k] = clips[i]
	}
	p, err := v.m.Predict(vc)
	if v.ok(err) && v.ok(reproduces(v.r, study.RDLCEUSName, p, reproduceTol)) {
		v.prob = p
	}
	return v.prob, v.err == nil
}

// comparison compares the loaded CNN's validation scores with the extra
// scores (none, or the ablation's) on the validation patients.
func (v *DeepView) comparison(extra ...study.Scores) (*study.Comparison, bool) {
	p, ok := v.scores()
	if !ok {
		return nil, false
	}
	cmp, err := study.Compare(nil, v.r.ValidTruth, append([]study.Scores{{Name: study.RDLCEUSName, Valid: p}}, extra...), study.CompareOptions{}, nil)
	return cmp, v.ok(err)
}

// AUC shows the validation AUC of the study's CNN, scored again from the
// bundle (and checked against results.json), with DeLong's CI.
func (v *DeepView) AUC() *DeepView {
	if cmp, ok := v.comparison(); ok {
		v.ok(nb.Table(cmp.AUCTable(), nb.TableOptions{Caption: "R-DLCEUS on the validation split", Digits: 3}))
	}
	return v
}

// ROC shows the validation ROC curve of the study's CNN with its bootstrap
// band.
func (v *DeepView) ROC() *DeepView {
	if cmp, ok := v.comparison(); ok {
		p, err := cmp.ROCFigure()
		v.figure(p, err, 4.5*vg.Inch, 4.5*vg.Inch)
	}
	return v
}

// GradCAM shows, for the validation responder scored highest and the
// non-responder scored lowest (study.MostConfident), the Grad-CAM map of
// every sampled frame for the target OR (study.CAMMontage), under a line
// with the patient and P(OR); each is written to
// ResultsDir/04_gradcam_<response>.png.
func (v *DeepView) GradCAM() *DeepView {
	p, ok := v.scores()
	if !ok {
		return v
	}
	truth := make([]bool, len(v.valid))
	for k, i := range v.valid {
		truth[k] = v.c.Patients[i].OR()
	}
	or, nr := study.MostConfident(p, truth)
	for _, k := range []int{or, nr} {
		if k < 0 {
			continue
		}
		pt := v.c.Patients[v.valid[k]]
		clip := v.clips[v.valid[k]]
		im, err := study.CAMMontage(v.m, clip, deep.TargetOR, 8, 2)
		v.image(im, err, fmt.Sprintf("**%s** (%s%s): P(OR) = %.3f", pt.ID, pt.Response, v.simulated(), p[k]), "04_gradcam_"+pt.Response+".png")
	}
	return v
}

// Ablation shows the validation AUC of the study's CNN and of the same
// network trained without the mask channel (same seed and settings), and
// DeLong's paired test between them. The variant is trained once and
// cached (TrainVariant), keyed by cohort content, code and settings as
// results.json is; a line says whether it was read or trained.
func (v *DeepView) Ablation() *DeepView {
	if v.err != nil {
		return v
	}
	cfg := v.m.Config
	cfg.MaskChannel, cfg.MaskedPooling = false, false
	bar := nb.NewProgress("epochs "+ablationName, cfg.Epochs)
	a, why, err := TrainVariant(v.r, v.c, ablationName, "no_mask", cfg, func(deep.Epoch) { bar.Add(1) })
	bar.Done()
	if !v.ok(err) {
		return v
	}
	nb.Markdown(why)
	if cmp, ok := v.comparison(study.Scores{Name: ablationName, Valid: a.ValidProb}); ok {
		v.table(cmp.AUCTable(), "Validation AUC with and without the mask channel")
		v.table(cmp.PairTable(), "Paired comparison")
	}
	return v
}

// Features shows the first 8 of the 32 deep features (the global-pooling
// layer, study.DeepFeatureTable) of the cohort's first six patients.
func (v *DeepView) Features() *DeepView {
	clips, ok := v.prepared()
	if !ok {
		return v
	}
	n := min(6, len(clips))
	df, err := study.DeepFeatureTable(v.m, v.c.Patients[:n], clips[:n])
	if v.ok(err) {
		cols := min(10, df.Ncol())
		idx := make([]int, cols)
		for i := range idx {
			idx[i] = i
		}
		v.ok(nb.Table(df.Select(idx), nb.TableOptions{Caption: fmt.Sprintf("Deep features (first %d of %d) of %d patients", cols-2, df.Ncol()-2, n), Digits: 3}))
	}
	return v
}
