package study

import (
	"errors"
	"fmt"
	"image"
	"math"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/deep"
	"github.com/ceusrad/ceusrad/kernellib/plots"
	"github.com/ceusrad/ceusrad/kernellib/roc"
	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
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
// scored. The validation AUC and its DeLong CI are computed here; Scores
// hands the probabilities to Compare. There are no out-of-fold training
// probabilities (cross-validating the CNN would multiply its training
// time), so Compare fixes its operating point on the validation split and
// flags it.
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
	r.Train, r.Valid = cohort.SplitIndices(c.Patients)
	if len(r.Train) == 0 || len(r.Valid) == 0 {
		return nil, fmt.Errorf("study: %s: %s has %d training and %d validation patients, expected both", RDLCEUSName, c.Path, len(r.Train), len(r.Valid))
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

// Scores returns the validation probabilities for Compare (no training
// probabilities; see RDLCEUS).
func (r *RDLCEUSResult) Scores() Scores {
	return Scores{Name: RDLCEUSName, Valid: append([]float64(nil), r.ValidProb...)}
}

// DeepFeatures returns the penultimate layer of the network for every
// patient (deep.Model.Features), as a DataFrame with the columns
// patient_id, split and deep_1 … deep_K: the "deep features" of
// deep-learning radiomics, for a learn pipeline fitted on the training rows
// only.
func (r *RDLCEUSResult) DeepFeatures() (dataframe.DataFrame, error) {
	f, err := r.Model.Features(r.Clips)
	if err != nil {
		return dataframe.DataFrame{}, fmt.Errorf("study: %s: %w", RDLCEUSName, err)
	}
	ids := make([]string, len(r.Patients))
	split := make([]string, len(r.Patients))
	for i, p := range r.Patients {
		ids[i], split[i] = p.ID, p.Split
	}
	cols := []series.Series{series.New(ids, series.String, cohort.ColPatientID), series.New(split, series.String, cohort.ColSplit)}
	for k, name := range r.Model.FeatureNames() {
		v := make([]float64, len(f))
		for i := range f {
			v[i] = f[i][k]
		}
		cols = append(cols, series.New(v, series.Float, name))
	}
	df := dataframe.New(cols...)
	return df, df.Err
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
