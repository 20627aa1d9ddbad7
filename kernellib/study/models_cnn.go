package study

import (
	"fmt"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/deep"
)

func init() {
	Register(ModelBuilder{Name: RDLCEUSName, Build: buildRDLCEUS})
}

// buildRDLCEUS trains R-DLCEUS (RDLCEUS) with deep.DefaultConfig, or
// RunOptions.CNNEpochs epochs when set, seeded by RunOptions.Seed. Its
// robustness spec retrains the network from the already preprocessed
// cines on every split (Expensive: only in the CNNSplits analysis).
func buildRDLCEUS(c *cohort.Cohort, opt RunOptions, progress func(done, total int)) (*ModelRun, error) {
	cfg := deep.DefaultConfig()
	cfg.Seed = opt.Seed
	if opt.CNNEpochs > 0 {
		cfg.Epochs = opt.CNNEpochs
	}
	var epochs func(deep.Epoch)
	if progress != nil {
		epochs = func(e deep.Epoch) { progress(e.Epoch, e.Epochs) }
	}
	r, err := RDLCEUS(c, RDLCEUSOptions{Config: &cfg, Progress: epochs})
	if err != nil {
		return nil, err
	}
	y := cohort.Responses(c.Patients)
	spec := ModelSpec{Name: RDLCEUSName, Fit: func(train, valid []int, seed uint64) ([]float64, error) {
		cs := cfg
		cs.Seed = seed
		m, err := deep.Train(pick(r.Clips, train), pick(y, train), cs, nil)
		if err != nil {
			return nil, err
		}
		return m.Predict(pick(r.Clips, valid))
	}}
	return &ModelRun{Scores: r.Scores(), Spec: spec, Expensive: true, Result: r,
		Summary: fmt.Sprintf("(2+1)D CNN, %d parameters, trained in %s (cines prepared in %s); logit offset %+.3f to the training prevalence; threshold on the %d-patient inner split",
			r.Model.NumParams(), r.TrainTime.Round(time.Second), r.PrepTime.Round(time.Second), r.Model.LogitOffset, len(r.Inner))}, nil
}
