package study

import (
	"errors"
	"fmt"
	"math"

	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// Scores are one model's predicted probabilities of objective response.
type Scores struct {
	Name string
	// Train are probabilities for the training patients that were not fitted
	// on them (out-of-fold from cross-validation); the operating threshold
	// is fixed on them (ThresholdTrainingOOF).
	Train []float64
	// Inner are probabilities for training patients held out of the fit
	// itself (a network's inner early-stopping split), with their outcomes
	// InnerTruth; when Train is nil the threshold is fixed on them
	// (ThresholdInnerSplit). When both are nil the threshold is the
	// validation Youden point (ThresholdValidation), flagged as optimistic.
	Inner      []float64
	InnerTruth []bool
	// Valid are the probabilities for the validation patients.
	Valid []float64
	// Fixed, when not nil, is an operating threshold fixed beforehand — a
	// frozen model's, from its bundle (Validate) — used as it is, before
	// Train and Inner; Compare reports its Source as the threshold source.
	Fixed *FixedThreshold
}

// FixedThreshold is an operating threshold fixed before the comparison and
// the patients it was fixed on (ThresholdTrainingOOF, ...).
type FixedThreshold struct {
	Threshold float64
	Source    string
}

// The patients an operating threshold was fixed on (ModelResult's
// ThresholdSource, results.json's threshold_source).
const (
	// ThresholdTrainingOOF: out-of-fold probabilities of the training
	// patients (Scores.Train).
	ThresholdTrainingOOF = "training_oof"
	// ThresholdInnerSplit: the training patients a network held out for
	// early stopping (Scores.Inner).
	ThresholdInnerSplit = "inner_split"
	// ThresholdValidation: the validation patients themselves (optimistic).
	ThresholdValidation = "validation"
)

// CompareOptions are the settings of Compare; zero values take the defaults.
type CompareOptions struct {
	// Level of every interval; default 0.95.
	Level float64
	// Boot is the bootstrap of the AUC CIs and ROC bands (default 2000
	// stratified replicates, seed 1).
	Boot roc.BootOptions
	// CalibrationBins is the number of equal-count bins of the calibration
	// curves; default 5 (about 8 patients a bin in a 41-patient validation
	// cohort).
	CalibrationBins int
	// HLGroups is the largest number of Hosmer–Lemeshow groups; default
	// 10. The test uses roc.HosmerLemeshowGroups of them (at least 5
	// expected of the rarer outcome per group on average: 3 for the
	// paper's 41 validation patients) and refers the statistic to χ² with
	// G degrees of freedom (roc.ValidationSample: the models were fitted
	// on the training patients only).
	HLGroups int
	// FittedHere marks probabilities fitted on these very patients, as a
	// logistic recalibration on an external cohort is (intercept and
	// slope estimated by maximum likelihood): Hosmer–Lemeshow then refers
	// to χ² with G − 2 degrees of freedom (roc.FittedSample), not G.
	FittedHere bool
	// Thresholds are the threshold probabilities of the decision curves;
	// default 0.05, 0.06, …, 0.95.
	Thresholds []float64
	// NRICutoffs are the risk categories of the categorical NRI; default
	// 0.3 and 0.7 (low, intermediate, high probability of response).
	NRICutoffs []float64
	// BandSpecificities is the grid of the ROC bands; default 0, 0.025, …, 1.
	BandSpecificities []float64
	// ClipEps clips probabilities to [ε, 1−ε] before the logistic
	// recalibration (which needs finite logits); default 1e-6.
	ClipEps float64
	// Clusters, for a lesion-level validation cohort, names the patient of
	// every validation row (PatientGroups); nil when every patient has
	// one row. Compare then adds the cluster-robust AUCs (Clustered) and
	// its pairwise tests use the clustered covariance.
	Clusters []string
}

func (o CompareOptions) withDefaults() CompareOptions {
	if o.Level == 0 {
		o.Level = 0.95
	}
	if o.Boot.Level == 0 {
		o.Boot.Level = o.Level
	}
	if o.Boot.Seed == 0 {
		o.Boot.Seed = 1
	}
	if o.CalibrationBins == 0 {
		o.CalibrationBins = 5
	}
	if o.HLGroups == 0 {
		o.HLGroups = 10
	}
	if o.Thresholds == nil {
		for k := 5; k <= 95; k++ {
			o.Thresholds = append(o.Thresholds, float64(k)/100)
		}
	}
	if o.NRICutoffs == nil {
		o.NRICutoffs = []float64{0.3, 0.7}
	}
	if o.BandSpecificities == nil {
		for k := 0; k <= 40; k++ {
			o.BandSpecificities = append(o.BandSpecificities, float64(k)/40)
		}
	}
	if o.ClipEps == 0 {
		o.ClipEps = 1e-6
	}
	return o
}

// ModelResult is everything Compare reports about one model on the
// validation cohort.
type ModelResult struct {
	Name string
	// AUC with its DeLong standard error and CI (DeLong et al. 1988) and
	// its stratified bootstrap CIs (percentile and BCa).
	AUC, SE  float64
	CIDeLong [2]float64
	Boot     *roc.BootCI
	// VsHalf is the test of AUC = 0.5 with the DeLong SE (two-sided).
	VsHalf roc.AUCTest
	// PR is the validation precision–recall curve (its average precision
	// and interpolated area), PRBoot the stratified bootstrap of its
	// average precision (the replicates of Boot's seed).
	PR     *roc.PRCurve
	PRBoot *roc.BootCI
	// Curve is the validation ROC curve, Band its bootstrap confidence band.
	Curve *roc.Curve
	Band  *roc.SensitivityBand
	// Operating is the Youden threshold fixed on the training patients'
	// probabilities (ThresholdSource says which: out-of-fold or an inner
	// split; ThresholdOnValidation when there were none) and Metrics the
	// validation accuracy at it, with Wilson and Clopper–Pearson
	// intervals.
	Operating             roc.OperatingPoint
	ThresholdSource       string
	ThresholdOnValidation bool
	Metrics               roc.Metrics
	// Calibration: logistic recalibration (in-the-large, slope), Brier
	// score, Hosmer–Lemeshow test and the binned curve.
	Recalibration roc.Recalibration
	Brier         roc.BrierScore
	HL            roc.HosmerLemeshowTest
	Bins          []roc.CalibrationBin
	// DCA is the decision curve over CompareOptions.Thresholds.
	DCA []roc.NetBenefit
	// Notes are the measures that could not be computed and why (the
	// logistic recalibration does not converge when the validation
	// outcomes are perfectly separated; those values are then NaN).
	Notes []string
}

// PairResult compares two models on the same validation patients: DeLong's
// paired test (with Holm and Bonferroni adjusted p over all pairs) and the
// reclassification of B (new) over A (old).
type PairResult struct {
	A, B           string
	DeLong         roc.PairwiseTest
	CategoricalNRI roc.NRIResult
	ContinuousNRI  roc.NRIResult
	IDI            roc.IDIResult
}

// Comparison is the validation-cohort comparison of several models.
type Comparison struct {
	Cases, Controls int
	Options         CompareOptions
	Models          []ModelResult
	Pairs           []PairResult
	// TreatAll is the treat-all net benefit at each threshold.
	TreatAll []float64
	// Clustered holds the cluster-robust AUCs of a lesion-level
	// validation cohort (CompareOptions.Clusters); nil otherwise.
	Clustered *Clustered
	// Omnibus is DeLong's test that all the AUCs are equal (3 or more
	// models; nil otherwise), the gate before the pairs.
	Omnibus *roc.ContrastTest
}

// Compare evaluates every model on the validation cohort the way a
// radiology paper reports it (Liu et al. 2020; the CLEAR checklist, Kocak
// et al., Insights Imaging 2023): discrimination (AUC with DeLong and
// bootstrap CIs, ROC band), the operating point fixed on the training
// split (Leeflang et al. 2008), calibration (Steyerberg 2019, ch. 15),
// clinical usefulness (decision curves, Vickers & Elkin 2006), the test of
// each AUC against 0.5 and the precision–recall summary (average precision
// with its bootstrap CI, Davis–Goadrich interpolated area) and, with three
// or more models, DeLong's omnibus test that all AUCs are equal first,
// then between every pair DeLong's paired test with Holm's adjustment and
// NRI/IDI (Pencina et al. 2008). trainTruth and validTruth are the
// outcomes (true = OR) of the training and validation patients, in the
// order of every model's Train and Valid. progress, when not nil, is called after each
// model and each pair.
func Compare(trainTruth, validTruth []bool, models []Scores, opt CompareOptions, progress func(done, total int)) (*Comparison, error) {
	opt = opt.withDefaults()
	if len(models) == 0 {
		return nil, errors.New("study: Compare: no models")
	}
	valid := make([][]float64, len(models))
	for i, m := range models {
		if len(m.Valid) != len(validTruth) {
			return nil, fmt.Errorf("study: model %q has %d validation probabilities for %d patients", m.Name, len(m.Valid), len(validTruth))
		}
		if m.Train != nil && len(m.Train) != len(trainTruth) {
			return nil, fmt.Errorf("study: model %q has %d training probabilities for %d patients", m.Name, len(m.Train), len(trainTruth))
		}
		if len(m.Inner) != len(m.InnerTruth) {
			return nil, fmt.Errorf("study: model %q has %d inner-split probabilities for %d outcomes", m.Name, len(m.Inner), len(m.InnerTruth))
		}
		for _, p := range m.Valid {
			if !(p >= 0 && p <= 1) {
				return nil, fmt.Errorf("study: model %q: validation probability %v not in [0, 1]", m.Name, p)
			}
		}
		valid[i] = m.Valid
	}
	dl, err := roc.NewDeLong(valid, validTruth)
	if err != nil {
		return nil, fmt.Errorf("study: DeLong: %w", err)
	}
	total := len(models) + len(models)*(len(models)-1)/2
	done := 0
	step := func() {
		done++
		if progress != nil {
			progress(done, total)
		}
	}
	c := &Comparison{Options: opt, Cases: dl.Cases, Controls: dl.Controls}
	for i, m := range models {
		r, err := evaluate(m, i, dl, trainTruth, validTruth, opt)
		if err != nil {
			return nil, fmt.Errorf("study: model %q: %w", m.Name, err)
		}
		c.Models = append(c.Models, r)
		step()
	}
	if len(c.Models) > 0 {
		for _, nb := range c.Models[0].DCA {
			c.TreatAll = append(c.TreatAll, nb.TreatAll)
		}
	}
	if c.Clustered, err = clusterRobust(valid, validTruth, opt.Clusters, opt.Level); err != nil {
		return nil, err
	}
	pd := pairDeLong(dl, c.Clustered)
	if len(models) > 2 {
		o, err := pd.Omnibus()
		if err != nil {
			return nil, fmt.Errorf("study: omnibus DeLong: %w", err)
		}
		c.Omnibus = &o
	}
	if len(models) > 1 {
		pairs, err := pd.Pairwise(opt.Level)
		if err != nil {
			return nil, fmt.Errorf("study: pairwise DeLong: %w", err)
		}
		for _, pt := range pairs {
			a, b := models[pt.A], models[pt.B]
			pr := PairResult{A: a.Name, B: b.Name, DeLong: pt}
			if pr.CategoricalNRI, err = roc.CategoricalNRI(a.Valid, b.Valid, validTruth, opt.NRICutoffs, opt.Level); err != nil {
				return nil, fmt.Errorf("study: NRI %s vs %s: %w", a.Name, b.Name, err)
			}
			if pr.ContinuousNRI, err = roc.ContinuousNRI(a.Valid, b.Valid, validTruth, opt.Level); err != nil {
				return nil, fmt.Errorf("study: continuous NRI %s vs %s: %w", a.Name, b.Name, err)
			}
			if pr.IDI, err = roc.IDI(a.Valid, b.Valid, validTruth, opt.Level); err != nil {
				return nil, fmt.Errorf("study: IDI %s vs %s: %w", a.Name, b.Name, err)
			}
			c.Pairs = append(c.Pairs, pr)
			step()
		}
	}
	return c, nil
}

// evaluate computes one model's ModelResult; i is its index in dl.
func evaluate(m Scores, i int, dl *roc.DeLong, trainTruth, validTruth []bool, opt CompareOptions) (ModelResult, error) {
	r := ModelResult{Name: m.Name, AUC: dl.AUC[i], SE: dl.SE(i)}
	var err error
	if r.CIDeLong, err = dl.CI(i, opt.Level); err != nil {
		return r, err
	}
	if r.Boot, err = roc.BootstrapAUC(m.Valid, validTruth, roc.CasesHigher, opt.Boot); err != nil {
		return r, fmt.Errorf("bootstrap: %w", err)
	}
	if r.Curve, err = roc.NewCurve(m.Valid, validTruth, roc.CasesHigher); err != nil {
		return r, err
	}
	if r.VsHalf, err = dl.TestAUC(i, 0.5); err != nil {
		return r, err
	}
	if r.PR, err = roc.NewPRCurve(m.Valid, validTruth, roc.CasesHigher); err != nil {
		return r, err
	}
	if r.PRBoot, err = roc.BootstrapAveragePrecision(m.Valid, validTruth, roc.CasesHigher, opt.Boot); err != nil {
		return r, fmt.Errorf("bootstrap of the average precision: %w", err)
	}
	if r.Band, err = roc.BootstrapSensitivityBand(m.Valid, validTruth, roc.CasesHigher, opt.BandSpecificities, opt.Boot); err != nil {
		return r, fmt.Errorf("ROC band: %w", err)
	}
	switch {
	case m.Fixed != nil:
		r.ThresholdSource = m.Fixed.Source
		r.Operating = roc.OperatingPoint{Threshold: m.Fixed.Threshold}
		if r.Metrics, err = roc.MetricsAt(m.Valid, validTruth, roc.CasesHigher, m.Fixed.Threshold, opt.Level); err == nil {
			// the criterion is Youden's J on these patients at the fixed threshold
			se, sp := r.Metrics.Sensitivity.Est, r.Metrics.Specificity.Est
			r.Operating.Sensitivity, r.Operating.Specificity, r.Operating.Criterion = se, sp, se+sp-1
		}
	case m.Train != nil:
		r.ThresholdSource = ThresholdTrainingOOF
		r.Operating, r.Metrics, err = roc.ValidateThreshold(m.Train, trainTruth, m.Valid, validTruth, roc.CasesHigher, roc.Youden, roc.BestWeights{}, opt.Level)
	case m.Inner != nil:
		r.ThresholdSource = ThresholdInnerSplit
		r.Operating, r.Metrics, err = roc.ValidateThreshold(m.Inner, m.InnerTruth, m.Valid, validTruth, roc.CasesHigher, roc.Youden, roc.BestWeights{}, opt.Level)
	default:
		r.ThresholdSource, r.ThresholdOnValidation = ThresholdValidation, true
		var pts []roc.OperatingPoint
		if pts, err = roc.BestThresholds(m.Valid, validTruth, roc.CasesHigher, roc.Youden, roc.BestWeights{}); err == nil {
			r.Operating = pts[0]
			r.Metrics, err = roc.MetricsAt(m.Valid, validTruth, roc.CasesHigher, pts[0].Threshold, opt.Level)
		}
	}
	if err != nil {
		return r, fmt.Errorf("operating point: %w", err)
	}
	clipped, err := roc.ClipProbabilities(m.Valid, opt.ClipEps)
	if err != nil {
		return r, err
	}
	if r.Recalibration, err = roc.LogisticCalibration(clipped, validTruth, opt.Level); err != nil {
		r.Recalibration = nanRecalibration(len(validTruth))
		r.Notes = append(r.Notes, "calibration intercept and slope not estimable: "+err.Error())
	}
	if r.Brier, err = roc.Brier(m.Valid, validTruth); err != nil {
		return r, err
	}
	hlGroups, err := roc.HosmerLemeshowGroups(m.Valid, opt.HLGroups)
	if err == nil {
		sample := roc.ValidationSample
		if opt.FittedHere {
			sample = roc.FittedSample
		}
		r.HL, err = roc.HosmerLemeshow(m.Valid, validTruth, hlGroups, sample)
	}
	if err != nil {
		r.HL = roc.HosmerLemeshowTest{Chi2: math.NaN(), P: math.NaN()}
		r.Notes = append(r.Notes, "Hosmer–Lemeshow test not computable: "+err.Error())
	}
	if r.Bins, err = roc.CalibrationCurve(m.Valid, validTruth, opt.CalibrationBins, roc.QuantileBins, opt.Level); err != nil {
		return r, fmt.Errorf("calibration curve: %w", err)
	}
	if r.DCA, err = roc.DecisionCurve(m.Valid, validTruth, opt.Thresholds); err != nil {
		return r, fmt.Errorf("decision curve: %w", err)
	}
	if math.IsNaN(r.AUC) {
		return r, errors.New("AUC is NaN")
	}
	return r, nil
}

// nanRecalibration is a recalibration whose every estimate is NaN.
func nanRecalibration(n int) roc.Recalibration {
	nan := roc.CalibrationCoef{Est: math.NaN(), SE: math.NaN(), CI: [2]float64{math.NaN(), math.NaN()}, Z: math.NaN(), P: math.NaN()}
	return roc.Recalibration{N: n, InTheLarge: nan, Intercept: nan, Slope: nan}
}
