package study

import (
	"fmt"
	"math"
	"path/filepath"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/roc"
	"github.com/ceusrad/ceusrad/kernellib/synth"
)

// BayesAUCs are the Bayes-optimal AUCs of a simulated cohort: the AUC of
// each patient's true probability of OR (synth's logistic model of the
// latent biology, latent.csv) as the score against the drawn outcomes, on
// the whole cohort and on the validation patients. No model can expect a
// higher AUC on the same patients (the true probability ranks them best,
// Neyman–Pearson); on 41 validation patients the realised ceiling differs
// from the cohort's by chance, so the models' validation AUCs are to be
// read against the validation one.
type BayesAUCs struct {
	Cohort     jsonFloat `json:"cohort"`
	Validation jsonFloat `json:"validation"`
}

// BayesOptimalAUC reads the true probabilities of c's simulated patients
// from latent.csv beside its manifest (synth.ReadTrueProbabilities) and
// returns the Bayes-optimal AUCs of the cohort and of the patients valid
// (indices into c.Patients). A patient missing from latent.csv is an error.
func BayesOptimalAUC(c *cohort.Cohort, valid []int) (BayesAUCs, error) {
	prob, err := synth.ReadTrueProbabilities(filepath.Dir(c.Path))
	if err != nil {
		return BayesAUCs{}, err
	}
	y := cohort.Responses(c.Patients)
	p := make([]float64, len(c.Patients))
	for i, pt := range c.Patients {
		v, ok := prob[pt.ID]
		if !ok {
			return BayesAUCs{}, fmt.Errorf("study: patient %d of %s is not in latent.csv", i+1, c.Path)
		}
		p[i] = v
	}
	all, err := roc.AUC(p, y, roc.CasesHigher)
	if err != nil {
		return BayesAUCs{}, fmt.Errorf("study: Bayes-optimal AUC of the cohort: %w", err)
	}
	va, err := roc.AUC(pick(p, valid), pick(y, valid), roc.CasesHigher)
	if err != nil {
		return BayesAUCs{}, fmt.Errorf("study: Bayes-optimal AUC of the validation patients: %w", err)
	}
	return BayesAUCs{Cohort: jsonFloat(all), Validation: jsonFloat(va)}, nil
}

// bayesText is the paragraph of paper_vs_reproduction.md on what agreement
// with the paper means for a simulated cohort: the simulator was built to
// reproduce the paper's ordering, and the Bayes-optimal AUCs b bound
// every model's (unless err: latent.csv could not be read, and why).
func bayesText(b BayesAUCs, err error, nValid int) string {
	s := "**Agreement with the paper is by construction here.** The simulator's parameters were chosen so that its " +
		"population reproduces the paper's AUC ordering, R-DLCEUS > R-TIC ≈ R-BMode: the cine shows the viable fraction " +
		"and the perfusion heterogeneity, the time–intensity curve only a blurred viable fraction, the B-mode image " +
		"weak traces of both (`kernellib/synth`'s package documentation gives the population ceilings, 0.92 for the cine " +
		"and 0.78 for the viable fraction alone). That the models line up as in the paper shows that the pipeline can " +
		"find the information the simulator put in, not that CEUS predicts response to TACE.\n\n"
	if err != nil {
		return s + fmt.Sprintf("Bayes-optimal AUC: not available (%v).\n\n", err)
	}
	ff := func(v jsonFloat) string {
		if math.IsNaN(float64(v)) {
			return "undefined"
		}
		return fmt.Sprintf("%.3f", float64(v))
	}
	return s + fmt.Sprintf("Bayes-optimal AUC (each patient's true probability of OR as the score, the ceiling of any model): "+
		"%s on the whole simulated cohort, **%s on the %d validation patients**, the ceiling the validation AUCs below are to be read against.\n\n",
		ff(b.Cohort), ff(b.Validation), nValid)
}
