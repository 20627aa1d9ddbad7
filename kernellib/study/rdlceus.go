package study

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/deep"
	"github.com/ceusrad/ceusrad/kernellib/plots"
	"github.com/ceusrad/ceusrad/kernellib/roc"
	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
	"gonum.org/v1/plot"
)

// RDLCEUSName is the model's name in tables and figures.
const RDLCEUSName = "R-DLCEUS"

// RDLCEUSOptions are the settings of RDLCEUS.
type RDLCEUSOptions struct {
	// Config of the network; the zero value means deep.DefaultConfig().
	Config *deep.Config
	// Prepared reports the preprocessing of the cines (done, total);
	// Progress each training epoch. Either may be nil.
	Prepared func(done, total int)
	Progress deep.Progress
	// Level of the DeLong CI; 0 means 0.95.
	Level float64
}

// RDLCEUSResult is R-DLCEUS trained on a cohort's training split and
// scored on its validation split.
type RDLCEUSResult struct {
	Model *deep.Model
	// Patients, Clips and Split follow the manifest's order; Train and
	// Valid index them.
	Patients     []cohort.Patient
	Clips        []*deep.Clip
	Train, Valid []int
	// ValidProb are the validation patients' probabilities of OR, in the
	// order of Valid, and ValidTruth their outcomes.
	ValidProb  []float64
	ValidTruth []bool
	// Inner indexes (like Train) the training patients that deep.Train
	// held out for early stopping (Config.Split); InnerProb are their
	// probabilities under the trained model and InnerTruth their outcomes.
	// The operating threshold is fixed on them (ThresholdInnerSplit).
	Inner      []int
	InnerProb  []float64
	InnerTruth []bool
	// AUC on the validation split with its DeLong CI (DeLong et al. 1988);
	// the CI is NaN when the split has fewer than two cases or controls.
	AUC float64
	CI  [2]float64
	// PrepTime is the preprocessing of all cines, TrainTime the training.
	PrepTime, TrainTime time.Duration
}

// RDLCEUS builds the paper's R-DLCEUS (Liu et al. 2020): every cine of the
// cohort is preprocessed once (deep.PrepareAll: lesion-centred crop, T
// frames sampled across the arterial, portal and late phases, resized),
// the (2+1)D CNN is trained on the training split only (deep.Train, with
// its inner split for early stopping), and the validation patients are
// scored. The probabilities carry deep.Train's prior correction
// (deep.Model.LogitOffset: the class-balanced loss implies a 50 % prior,
// the offset restores the training prevalence; Saerens et al. 2002), so
// calibration, Brier score, decision curves and NRI/IDI refer to the
// cohort's prevalence; the AUC is unchanged by it. The validation AUC and
// its DeLong CI are computed here; Scores hands the probabilities to
// Compare. There are no out-of-fold training probabilities
// (cross-validating the CNN would multiply its training time); the
// operating threshold is fixed instead on the training patients of the
// inner early-stopping split (Inner), which the weights were not fitted
// on, so no validation patient touches the model or its threshold.
func RDLCEUS(c *cohort.Cohort, opt RDLCEUSOptions) (*RDLCEUSResult, error) {
	cfg := deep.DefaultConfig()
	if opt.Config != nil {
		cfg = *opt.Config
	}
	level := opt.Level
	if level == 0 {
		level = 0.95
	}
	r := &RDLCEUSResult{Patients: c.Patients}
	var err error
	if r.Train, r.Valid, err = splitOf(RDLCEUSName, c); err != nil {
		return nil, err
	}
	start := time.Now()
	clips, err := deep.PrepareAll(deep.SourcesOf(c.Patients), cfg, opt.Prepared)
	if err != nil {
		return nil, fmt.Errorf("study: %s: %w", RDLCEUSName, err)
	}
	r.Clips = clips
	r.PrepTime = time.Since(start)
	y := cohort.Responses(c.Patients)
	trc, try := make([]*deep.Clip, len(r.Train)), make([]bool, len(r.Train))
	for i, j := range r.Train {
		trc[i], try[i] = clips[j], y[j]
	}
	start = time.Now()
	if r.Model, err = deep.Train(trc, try, cfg, opt.Progress); err != nil {
		return nil, fmt.Errorf("study: %s: %w", RDLCEUSName, err)
	}
	r.TrainTime = time.Since(start)
	// the same inner split as deep.Train's (same Config, same outcomes)
	_, held, err := cfg.Split(try)
	if err != nil {
		return nil, fmt.Errorf("study: %s: %w", RDLCEUSName, err)
	}
	r.Inner = pick(r.Train, held)
	r.InnerTruth = pick(y, r.Inner)
	if r.InnerProb, err = r.Model.Predict(pick(clips, r.Inner)); err != nil {
		return nil, fmt.Errorf("study: %s: inner split: %w", RDLCEUSName, err)
	}
	vac := make([]*deep.Clip, len(r.Valid))
	r.ValidTruth = make([]bool, len(r.Valid))
	for i, j := range r.Valid {
		vac[i], r.ValidTruth[i] = clips[j], y[j]
	}
	if r.ValidProb, err = r.Model.Predict(vac); err != nil {
		return nil, fmt.Errorf("study: %s: %w", RDLCEUSName, err)
	}
	if r.AUC, err = roc.AUC(r.ValidProb, r.ValidTruth, roc.CasesHigher); err != nil {
		return nil, fmt.Errorf("study: %s: validation AUC: %w", RDLCEUSName, err)
	}
	r.CI = [2]float64{math.NaN(), math.NaN()}
	dl, err := roc.NewDeLong([][]float64{r.ValidProb}, r.ValidTruth, roc.CasesHigher)
	if err == nil {
		r.CI, err = dl.CI(0, level)
	}
	if err != nil && !errors.Is(err, roc.ErrTooFew) {
		return nil, fmt.Errorf("study: %s: validation AUC: %w", RDLCEUSName, err)
	}
	return r, nil
}

// Scores returns the validation probabilities for Compare with the inner
// split's, on which the threshold is fixed (no out-of-fold training
// probabilities; see RDLCEUS).
func (r *RDLCEUSResult) Scores() Scores {
	return Scores{Name: RDLCEUSName, Valid: slices.Clone(r.ValidProb),
		Inner: slices.Clone(r.InnerProb), InnerTruth: slices.Clone(r.InnerTruth)}
}

// DeepFeatures returns the penultimate layer of the network for every
// patient (deep.Model.Features), as a DataFrame with the columns
// patient_id, split and deep_1 … deep_K: the "deep features" of
// deep-learning radiomics, for a learn pipeline fitted on the training rows
// only.
func (r *RDLCEUSResult) DeepFeatures() (dataframe.DataFrame, error) {
	return DeepFeatureTable(r.Model, r.Patients, r.Clips)
}

// DeepFeatureTable is the deep-feature table (see DeepFeatures) of the
// patients ps, whose clips are prepared in the same order, under the
// network m — a trained one or a checkpoint read with deep.LoadFile.
func DeepFeatureTable(m *deep.Model, ps []cohort.Patient, clips []*deep.Clip) (dataframe.DataFrame, error) {
	if len(ps) != len(clips) {
		return dataframe.DataFrame{}, fmt.Errorf("study: %s: %d patients and %d clips", RDLCEUSName, len(ps), len(clips))
	}
	f, err := m.Features(clips)
	if err != nil {
		return dataframe.DataFrame{}, fmt.Errorf("study: %s: %w", RDLCEUSName, err)
	}
	split := make([]string, len(ps))
	for i, p := range ps {
		split[i] = p.Split
	}
	cols := append(cohort.KeyColumns(ps), series.New(split, series.String, cohort.ColSplit))
	for k, name := range m.FeatureNames() {
		v := make([]float64, len(f))
		for i := range f {
			v[i] = f[i][k]
		}
		cols = append(cols, series.New(v, series.Float, name))
	}
	df := dataframe.New(cols...)
	return df, df.Err
}

// ValidClips returns the validation patients' clips, in the order of Valid.
func (r *RDLCEUSResult) ValidClips() []*deep.Clip { return pick(r.Clips, r.Valid) }

// MostConfident returns, among scored patients with outcomes truth, the
// index of the responder scored highest and of the non-responder scored
// lowest (−1 when a class is absent): the cases whose explanation shows
// what the model takes as evidence for each class.
func MostConfident(p []float64, truth []bool) (or, nr int) {
	or, nr = -1, -1
	for i, v := range p {
		switch {
		case truth[i] && (or < 0 || v > p[or]):
			or = i
		case !truth[i] && (nr < 0 || v < p[nr]):
			nr = i
		}
	}
	return or, nr
}

// CAMMontage explains one cine: its Grad-CAM maps for target
// (deep.Model.GradCAM) blended over its sampled frames (deep.Overlay,
// alpha 0.5), laid out by plots.Montage in cols columns at an integer zoom,
// each frame labelled with its time after the injection.
func CAMMontage(m *deep.Model, c *deep.Clip, target deep.Target, cols, zoom int) (*image.RGBA, error) {
	cam, err := m.GradCAM(c, target)
	if err != nil {
		return nil, fmt.Errorf("study: %w", err)
	}
	tiles, labels, err := cam.Overlays(c, 0.5)
	if err != nil {
		return nil, fmt.Errorf("study: %w", err)
	}
	return plots.Montage(tiles, labels, cols, zoom)
}

// ClipMontage shows what the network sees of one cine: its T sampled
// frames (the candidate at the sampled time itself), cropped around the
// lesion and resized, with the lesion mask — the network's second input
// channel — outlined in yellow, each labelled with its time after the
// injection; cols columns at an integer zoom.
func ClipMontage(c *deep.Clip, cols, zoom int) (*image.RGBA, error) {
	centre := (c.Candidates - 1) / 2
	tiles := make([]image.Image, c.Frames)
	labels := make([]string, c.Frames)
	inside := func(x, y int) bool {
		return x >= 0 && y >= 0 && x < c.Size && y < c.Size && c.Mask[y*c.Size+x] >= 1<<15
	}
	for t := range tiles {
		f := c.Frame(t, centre)
		g := image.NewGray(image.Rect(0, 0, c.Size, c.Size))
		for i, v := range f {
			g.Pix[i] = uint8(math.Round(float64(v) * 255))
		}
		tiles[t] = plots.Outline(g, inside, color.RGBA{255, 220, 0, 255})
		labels[t] = fmt.Sprintf("%.0f s", c.Times[t])
	}
	return plots.Montage(tiles, labels, cols, zoom)
}

// ArchitectureTable lists the network's learnable tensors: name, shape,
// number of parameters and whether AdamW decays it, with the total in the
// last row (deep.Model.Params; deep's package documentation draws the
// layers).
func ArchitectureTable(m *deep.Model) dataframe.DataFrame {
	var names, shapes, decay []string
	var counts []int
	for _, p := range m.Params {
		n := 1
		s := make([]string, len(p.Shape))
		for i, d := range p.Shape {
			n *= d
			s[i] = fmt.Sprint(d)
		}
		names, shapes, counts = append(names, p.Name), append(shapes, strings.Join(s, " × ")), append(counts, n)
		decay = append(decay, map[bool]string{true: "yes", false: "no"}[p.Decay])
	}
	names, shapes, counts, decay = append(names, "total"), append(shapes, ""), append(counts, m.NumParams()), append(decay, "")
	return dataframe.New(series.New(names, series.String, "tensor"), series.New(shapes, series.String, "shape"),
		series.New(counts, series.Int, "parameters"), series.New(decay, series.String, "weight decay"))
}

// TrainingCurves draws a training history (deep.Model.History, or the
// epochs reported so far): the training loss (augmented batches), the
// inner validation loss and the inner validation AUC per epoch, with a
// marker at the epoch of lowest inner loss — the weights early stopping
// keeps.
func TrainingCurves(h []deep.Epoch) (*plot.Plot, error) {
	if len(h) == 0 {
		return nil, fmt.Errorf("study: no epochs to draw")
	}
	x := make([]float64, len(h))
	ys := [][]float64{make([]float64, len(h)), make([]float64, len(h)), make([]float64, len(h))}
	best, bestLoss := 0, math.Inf(1)
	for i, e := range h {
		x[i] = float64(e.Epoch)
		ys[0][i], ys[1][i], ys[2][i] = e.Loss, e.InnerLoss, e.InnerAUC
		if e.InnerLoss < bestLoss {
			best, bestLoss = e.Epoch, e.InnerLoss
		}
	}
	p, err := plots.Lines(x, ys, []string{"training loss", "inner validation loss", "inner validation AUC"},
		"epoch", "loss (cross-entropy) / AUC", float64(best))
	if err != nil {
		return nil, err
	}
	p.Title.Text = fmt.Sprintf("%s training: epoch %d of at most %d, best %d", RDLCEUSName, h[len(h)-1].Epoch, h[len(h)-1].Epochs, best)
	return p, nil
}
