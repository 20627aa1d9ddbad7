package study

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
	"github.com/ceusrad/ceusrad/kernellib/plots"
	"github.com/ceusrad/ceusrad/kernellib/roc"
	"github.com/go-gota/gota/dataframe"
)

// Paper holds the validation AUCs and DeLong p-values reported by Liu et
// al., European Radiology 2020 (validation cohort, 41 patients).
var Paper = struct {
	AUC    map[string][3]float64 // AUC, CI low, CI high
	DeLong map[[2]string]float64
}{
	AUC: map[string][3]float64{
		"R-DLCEUS": {0.93, 0.80, 0.98},
		RTICName:   {0.80, 0.64, 0.90},
		RBModeName: {0.81, 0.67, 0.95},
	},
	DeLong: map[[2]string]float64{
		{"R-DLCEUS", RTICName}:   0.034,
		{"R-DLCEUS", RBModeName}: 0.039,
	},
}

// jsonFloat writes NaN and ±Inf as null.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(f))
}

func jf(v []float64) []jsonFloat {
	if len(v) == 0 {
		return nil
	}
	out := make([]jsonFloat, len(v))
	for i, x := range v {
		out[i] = jsonFloat(x)
	}
	return out
}

// Results is the content of results.json.
type Results struct {
	// Format is ResultsFormat: it marks the folder as a ceusrad study's
	// output (empty in files written before it existed).
	Format string `json:"format,omitempty"`
	// Files are the names of every file the run wrote in its folder, sorted,
	// results.json included (empty in files written before it existed). A
	// later run into the folder removes those it does not write again.
	Files []string `json:"files,omitempty"`
	// Cohort is the manifest's path; the file holds it relative to its own
	// folder (ReadResults makes it whole again).
	Cohort    string   `json:"cohort"`
	Simulated bool     `json:"simulated"`
	NTrain    int      `json:"n_train"`
	NValid    int      `json:"n_validation"`
	Cases     int      `json:"validation_cases"`
	Controls  int      `json:"validation_controls"`
	Valid     []string `json:"validation_patients"`
	// TrainTruth and ValidTruth are the outcomes (true = OR) of the
	// training and validation patients, in the order of the probabilities.
	// BayesAUC is the Bayes-optimal AUC of a simulated cohort, whole and
	// on the validation patients (BayesOptimalAUC); absent for real data.
	BayesAUC   *BayesAUCs `json:"bayes_optimal_auc,omitempty"`
	TrainTruth []bool     `json:"training_truth"`
	ValidTruth []bool     `json:"validation_truth"`
	// Options records the settings of the run.
	Options   ResultOptions `json:"options"`
	Models    []ResultModel `json:"models"`
	Pairs     []ResultPair  `json:"pairwise_delong"`
	Robust    *ResultRobust `json:"robustness,omitempty"`
	RobustCNN *ResultRobust `json:"robustness_with_cnn,omitempty"`
	// Omnibus is DeLong's test that all the models' AUCs are equal, the
	// gate before the pairwise tests (3 or more models).
	Omnibus *ResultOmnibus `json:"omnibus_delong,omitempty"`
	// ROI holds the ROI-perturbation tables (ROIRobust): "auc" (Table),
	// "icc" (ICCTable), "features" (FeatureICCTable) and "perturbations"
	// (PerturbationTable: the kinds used for selection and for testing).
	ROI map[string]ResultTable `json:"roi_perturbation,omitempty"`
	// InterReader is the inter-reader agreement (ResultInterReader), when
	// the cohort has second-reader masks.
	InterReader *ResultInterReader `json:"inter_reader,omitempty"`
	// Seconds is the time of each step, keyed by the step's name in
	// snake_case ("r_dlceus", "robustness_with_the_cnn").
	Seconds map[string]jsonFloat `json:"seconds"`
	// CohortSHA256 and CodeVersion say what made the numbers (Provenance).
	CohortSHA256 string `json:"cohort_sha256"`
	CodeVersion  string `json:"code_version"`
	// Bundle names the model bundle: the one the study wrote
	// (models/bundle.json), or the one ceusrad validate applied.
	Bundle *ResultBundle `json:"bundle,omitempty"`
	// External marks results of frozen models applied to another cohort
	// (ceusrad validate); ExternalValidation says how (ResultExternal).
	External           bool            `json:"external,omitempty"`
	ExternalValidation *ResultExternal `json:"external_validation,omitempty"`
	// LesionLevel describes a lesion-level validation cohort (several
	// lesions of a patient); absent otherwise.
	LesionLevel *ResultLesionLevel `json:"lesion_level,omitempty"`
}

// ResultOptions are the settings a results.json was made with.
type ResultOptions struct {
	Seed           uint64   `json:"seed"`
	Splits         int      `json:"splits"`
	CNNSplits      int      `json:"cnn_splits"`
	BootReplicates int      `json:"boot_replicates"`
	CNNEpochs      int      `json:"cnn_epochs"`
	Models         []string `json:"models"`
	// ROIPerturbation records that the ROI-perturbation analysis ran.
	ROIPerturbation bool `json:"roi_perturbation,omitempty"`
	// MinReaderICC is RunOptions.MinReaderICC when the inter-reader
	// filter was on.
	MinReaderICC float64 `json:"min_reader_icc,omitempty"`
}

// ResultTable is a table of results.json kept as it is printed: column
// names and rows of formatted cells.
type ResultTable struct {
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
}

// tableOf keeps a table of text cells.
func tableOf(df dataframe.DataFrame) ResultTable {
	recs := df.Records()
	return ResultTable{Columns: recs[0], Rows: recs[1:]}
}

// Frame returns the table as a DataFrame of strings.
func (t ResultTable) Frame() dataframe.DataFrame { return frame(t.Columns, t.Rows) }

// hasROIModels reports whether models include both models of the
// ROI-perturbation analysis.
func hasROIModels(models []string) bool {
	return slices.Contains(models, RTICName) && slices.Contains(models, RBModeName)
}

// ResultModel is one model in results.json.
type ResultModel struct {
	Name        string       `json:"name"`
	Summary     string       `json:"summary"`
	AUC         jsonFloat    `json:"auc"`
	SE          jsonFloat    `json:"se"`
	CIDeLong    [2]jsonFloat `json:"ci_delong"`
	CIBoot      [2]jsonFloat `json:"ci_bootstrap_percentile"`
	CIBCa       [2]jsonFloat `json:"ci_bootstrap_bca"`
	Threshold   jsonFloat    `json:"threshold"`
	Sensitivity jsonFloat    `json:"sensitivity"`
	Specificity jsonFloat    `json:"specificity"`
	Slope       jsonFloat    `json:"calibration_slope"`
	// InTheLarge is the calibration-in-the-large a of
	// logit P(y) = a + logit(p) (0 when calibrated).
	InTheLarge jsonFloat `json:"calibration_in_the_large"`
	// HL is the Hosmer–Lemeshow test on the validation patients.
	HL        ResultHL    `json:"hosmer_lemeshow"`
	Brier     jsonFloat   `json:"brier"`
	ValidProb []jsonFloat `json:"validation_probabilities"`
	TrainOOF  []jsonFloat `json:"training_oof_probabilities,omitempty"`
	// ThresholdSource is where the threshold was fixed (ThresholdTrainingOOF,
	// ThresholdInnerSplit, ThresholdValidation); InnerProb and InnerTruth
	// the inner split's probabilities and outcomes (Scores.Inner).
	ThresholdSource string      `json:"threshold_source"`
	InnerProb       []jsonFloat `json:"inner_split_probabilities,omitempty"`
	InnerTruth      []bool      `json:"inner_split_truth,omitempty"`
	// PVsHalf is the two-sided p of AUC = 0.5 with the DeLong SE, PRAUC
	// the precision–recall summary.
	PVsHalf jsonFloat `json:"p_vs_half"`
	PRAUC   ResultPR  `json:"pr_auc"`
	// ClusterRobust is the cluster-robust SE and CI of a lesion-level AUC
	// (ClusterAUC); absent when every patient has one lesion.
	ClusterRobust *ResultClusterAUC `json:"auc_cluster_robust,omitempty"`
}

// ResultHL is a Hosmer–Lemeshow test in results.json (roc.HosmerLemeshow):
// the statistic, its degrees of freedom (G on the validation sample), p,
// the number G of groups, the sample ("validation") and the warning about
// small expected counts, empty when there is none.
type ResultHL struct {
	Chi2    jsonFloat `json:"chi2"`
	DF      int       `json:"df"`
	P       jsonFloat `json:"p"`
	Groups  int       `json:"groups"`
	Sample  string    `json:"sample"`
	Warning string    `json:"warning"`
}

// resultHL keeps a Hosmer–Lemeshow test for results.json.
func resultHL(t roc.HosmerLemeshowTest) ResultHL {
	return ResultHL{Chi2: jsonFloat(t.Chi2), DF: t.DF, P: jsonFloat(t.P), Groups: len(t.Groups), Sample: t.Sample.String(), Warning: t.Warning}
}

// ResultPR is a model's precision–recall summary in results.json: the
// average precision (scikit-learn's average_precision_score), the area
// under Davis & Goadrich's interpolated PR curve, and the stratified
// bootstrap percentile CI of the average precision.
type ResultPR struct {
	AveragePrecision jsonFloat    `json:"average_precision"`
	AUCInterpolated  jsonFloat    `json:"auc_interpolated"`
	CI               [2]jsonFloat `json:"ci"`
}

// ResultOmnibus is DeLong's omnibus χ² test in results.json.
type ResultOmnibus struct {
	Chi2 jsonFloat `json:"chi2"`
	DF   int       `json:"df"`
	P    jsonFloat `json:"p"`
}

// ResultPair is one paired DeLong test in results.json.
type ResultPair struct {
	A     string       `json:"a"`
	B     string       `json:"b"`
	Diff  jsonFloat    `json:"diff"`
	CI    [2]jsonFloat `json:"ci"`
	Z     jsonFloat    `json:"z"`
	P     jsonFloat    `json:"p"`
	PHolm jsonFloat    `json:"p_holm"`
}

// ResultRobust is a robustness analysis in results.json.
type ResultRobust struct {
	Splits int                    `json:"splits"`
	AUC    map[string][]jsonFloat `json:"auc"`
	Pairs  []RobustPair           `json:"pairs"`
	// RobustPipelines: pipeline_rechosen and the choice on every split.
	RobustPipelines
}

// Results collects the study's numbers for results.json.
func (s *Study) Results(simulated bool) *Results {
	c := s.Comparison
	r := &Results{Cohort: s.Cohort.Path, Simulated: simulated, NTrain: len(s.Train), NValid: len(s.Valid),
		Cases: c.Cases, Controls: c.Controls, Seconds: map[string]jsonFloat{},
		CohortSHA256: s.Provenance.CohortSHA256, CodeVersion: s.Provenance.CodeVersion, Bundle: s.Bundle}
	if s.External != nil {
		r.External, r.ExternalValidation = true, s.External.result()
	}
	y := cohort.Responses(s.Cohort.Patients)
	for _, i := range s.Valid {
		r.Valid = append(r.Valid, s.Cohort.Patients[i].ID)
	}
	r.TrainTruth, r.ValidTruth = pick(y, s.Train), pick(y, s.Valid)
	if simulated {
		if b, err := BayesOptimalAUC(s.Cohort, s.Valid); err == nil {
			r.BayesAUC = &b
		}
	}
	r.Options = s.Options
	for k, m := range c.Models {
		r.Models = append(r.Models, resultModel(m, s.Runs[k].Summary, s.Runs[k].Scores))
	}
	if o := c.Omnibus; o != nil {
		r.Omnibus = &ResultOmnibus{Chi2: jsonFloat(o.Chi2), DF: o.DF, P: jsonFloat(o.P)}
	}
	addClusterResults(r, c)
	for _, p := range c.Pairs {
		d := p.DeLong
		r.Pairs = append(r.Pairs, ResultPair{A: p.A, B: p.B, Diff: jsonFloat(d.Diff), CI: [2]jsonFloat{jsonFloat(d.CI[0]), jsonFloat(d.CI[1])},
			Z: jsonFloat(d.Z), P: jsonFloat(d.P), PHolm: jsonFloat(d.PHolm)})
	}
	conv := func(rb *Robustness) *ResultRobust {
		if rb == nil {
			return nil
		}
		out := &ResultRobust{Splits: rb.Splits, AUC: map[string][]jsonFloat{}, Pairs: rb.Pairs, RobustPipelines: rb.PipelineRecord()}
		for k, n := range rb.Models {
			out.AUC[n] = jf(rb.AUC[k])
		}
		return out
	}
	r.Robust, r.RobustCNN = conv(s.Robust), conv(s.RobustCNN)
	if s.ROI != nil {
		r.ROI = map[string]ResultTable{"auc": tableOf(s.ROI.Table()), "icc": tableOf(s.ROI.ICCTable()),
			"features": tableOf(s.ROI.FeatureICCTable()), "perturbations": tableOf(s.ROI.PerturbationTable())}
	}
	r.InterReader = s.resultInterReader()
	for k, v := range s.Timings {
		r.Seconds[snakeKey(k)] = jsonFloat(v.Seconds())
	}
	return r
}

// resultModel is one model's entry of results.json.
func resultModel(m ModelResult, summary string, sc Scores) ResultModel {
	return ResultModel{Name: m.Name, Summary: summary, AUC: jsonFloat(m.AUC), SE: jsonFloat(m.SE),
		CIDeLong: [2]jsonFloat{jsonFloat(m.CIDeLong[0]), jsonFloat(m.CIDeLong[1])},
		CIBoot:   [2]jsonFloat{jsonFloat(m.Boot.Percentile[0]), jsonFloat(m.Boot.Percentile[1])},
		CIBCa:    [2]jsonFloat{jsonFloat(m.Boot.BCa[0]), jsonFloat(m.Boot.BCa[1])},
		PVsHalf:  jsonFloat(m.VsHalf.P),
		PRAUC: ResultPR{AveragePrecision: jsonFloat(m.PR.AveragePrecision()), AUCInterpolated: jsonFloat(m.PR.AUCInterpolated()),
			CI: [2]jsonFloat{jsonFloat(m.PRBoot.Percentile[0]), jsonFloat(m.PRBoot.Percentile[1])}},
		Threshold: jsonFloat(m.Operating.Threshold), Sensitivity: jsonFloat(m.Metrics.Sensitivity.Est),
		Specificity: jsonFloat(m.Metrics.Specificity.Est), Slope: jsonFloat(m.Recalibration.Slope.Est),
		InTheLarge: jsonFloat(m.Recalibration.InTheLarge.Est), HL: resultHL(m.HL),
		Brier: jsonFloat(m.Brier.Brier), ValidProb: jf(sc.Valid), TrainOOF: jf(sc.Train),
		ThresholdSource: m.ThresholdSource, InnerProb: jf(sc.Inner), InnerTruth: sc.InnerTruth}
}

// PaperVsReproduction is figures/paper_vs_reproduction.md: the paper's
// validation AUCs and DeLong p-values beside ours.
func (s *Study) PaperVsReproduction(simulated bool) string {
	var b strings.Builder
	b.WriteString("# Liu et al. 2020 and this reproduction, side by side\n\n")
	if simulated {
		b.WriteString("**Our numbers come from the synthetic cohort** simulated by `kernellib/synth` (130 patients, the paper's 89/41 split), " +
			"not from patients: they show that the pipeline runs and behaves as the simulator's design predicts, not that the models work on real CEUS.\n\n")
		ba, err := BayesOptimalAUC(s.Cohort, s.Valid)
		b.WriteString(bayesText(ba, err, len(s.Valid)))
	}
	fmt.Fprintf(&b, "Validation cohort: %d patients (%d OR, %d NR).\n\n", len(s.Valid), s.Comparison.Cases, s.Comparison.Controls)
	b.WriteString("| model | paper: AUC (95% CI) | ours: AUC (95% DeLong CI) | ours: bootstrap 95% CI |\n|---|---|---|---|\n")
	for _, m := range s.Comparison.Models {
		paper := "—"
		if p, ok := Paper.AUC[m.Name]; ok {
			paper = fmt.Sprintf("%.2f (%.2f–%.2f)", p[0], p[1], p[2])
		}
		fmt.Fprintf(&b, "| %s | %s | %.3f (%s) | %s |\n", m.Name, paper, m.AUC, ci(m.CIDeLong), ci(m.Boot.Percentile))
	}
	if line := s.Comparison.OmnibusLine(); line != "" {
		b.WriteString("\n" + line + "\n")
	}
	b.WriteString("\n| comparison | paper: DeLong p | ours: DeLong p | ours: Holm-adjusted p |\n|---|---|---|---|\n")
	for _, p := range s.Comparison.Pairs {
		paper := "not reported"
		if v, ok := Paper.DeLong[[2]string{p.A, p.B}]; ok {
			paper = fmt.Sprintf("%.3f", v)
		} else if v, ok := Paper.DeLong[[2]string{p.B, p.A}]; ok {
			paper = fmt.Sprintf("%.3f", v)
		} else if (p.A == RTICName && p.B == RBModeName) || (p.B == RTICName && p.A == RBModeName) {
			paper = "not significant"
		}
		fmt.Fprintf(&b, "| %s vs %s | %s | %s | %s |\n", p.A, p.B, paper, pval(p.DeLong.P), pval(p.DeLong.PHolm))
	}
	if s.Robust != nil || s.RobustCNN != nil {
		var names []string
		for _, m := range s.Comparison.Models {
			names = append(names, m.Name)
		}
		b.WriteString("\n" + splitsSentence(s.Robust, s.RobustCNN, names))
	}
	return b.String()
}

// WriteFiles writes every table and figure of the study into dir: the
// comparison's (study_*), the robustness analyses' (robustness_*), the
// paper's composite figures with their captions (paper_figure_2, and
// paper_figure_3 when R-DLCEUS was trained in this run; writePaperFigures),
// paper_vs_reproduction.md and, last, results.json, which lists them all
// ("files"). Each file is written to a temporary file and renamed into place
// when whole. When dir holds an earlier run's results.json, the files it
// listed that this run does not write again are removed afterwards (and
// nothing else), so no table of another run is left beside this one's.
// Output paths that name an input of the study (Inputs) are refused before
// anything is written. It returns the paths.
func (s *Study) WriteFiles(dir string, simulated bool) ([]string, error) {
	s.ensureProvenance()
	inputs := Inputs(s.Cohort)
	if err := safeio.CheckOutputs([]string{dir}, inputs); err != nil {
		return nil, fmt.Errorf("study: %w", err)
	}
	if err := checkTopLevelInputs(dir, inputs); err != nil {
		return nil, fmt.Errorf("study: %w", err)
	}
	prev, _, err := previousRun(dir)
	if err != nil {
		return nil, err
	}
	prefix := "study_"
	var paths []string
	if s.External != nil {
		prefix = "external_"
		ps, err := s.External.writeFiles(dir)
		paths = append(paths, ps...)
		if err != nil {
			return paths, err
		}
	} else {
		ps, ref, err := s.WriteBundle(dir)
		paths = append(paths, ps...)
		if err != nil {
			return paths, err
		}
		s.Bundle = ref
	}
	ps, err := s.Comparison.WriteFiles(dir, prefix)
	paths = append(paths, ps...)
	if err != nil {
		return paths, err
	}
	for _, rb := range []struct {
		prefix string
		r      *Robustness
	}{{"robustness_", s.Robust}, {"robustness_cnn_", s.RobustCNN}} {
		if rb.r == nil {
			continue
		}
		base := filepath.Join(dir, rb.prefix)
		if err := WriteTable(rb.r.Table(), base+"auc"); err != nil {
			return paths, err
		}
		paths = append(paths, base+"auc.csv", base+"auc.md")
		if len(rb.r.Pairs) > 0 {
			if err := WriteTable(rb.r.PairTable(), base+"pairs"); err != nil {
				return paths, err
			}
			paths = append(paths, base+"pairs.csv", base+"pairs.md")
		}
		p, err := rb.r.Figure()
		if err != nil {
			return paths, err
		}
		ps, err := plots.Save(p, base+"auc", robustnessSize[0], robustnessSize[1], 300)
		if err != nil {
			return paths, err
		}
		paths = append(paths, ps...)
	}
	if s.External == nil {
		ps, err := s.writePaperFigures(dir, simulated)
		paths = append(paths, ps...)
		if err != nil {
			return paths, err
		}
	}
	if s.ROI != nil {
		for _, t := range []struct {
			name string
			df   dataframe.DataFrame
		}{{"auc", s.ROI.Table()}, {"icc", s.ROI.ICCTable()}, {"features", s.ROI.FeatureICCTable()}, {"perturbations", s.ROI.PerturbationTable()}} {
			base := filepath.Join(dir, "roi_perturbation_"+t.name)
			if err := WriteTable(t.df, base); err != nil {
				return paths, err
			}
			paths = append(paths, base+".csv", base+".md")
		}
	}
	if s.InterReader != nil {
		base := filepath.Join(dir, "inter_reader")
		if err := WriteTable(s.InterReader.Table(), base); err != nil {
			return paths, err
		}
		paths = append(paths, base+".csv", base+".md")
	}
	p := filepath.Join(dir, "paper_vs_reproduction.md")
	if s.External == nil {
		if err := safeio.WriteFile(p, []byte(s.PaperVsReproduction(simulated))); err != nil {
			return paths, fmt.Errorf("study: %w", err)
		}
		paths = append(paths, p)
	}
	// Every Markdown table ends with what made it (cohort hash, code version).
	if err := stampTables(paths, s.Provenance); err != nil {
		return paths, err
	}
	p = filepath.Join(dir, "results.json")
	paths = append(paths, p)
	sort.Strings(paths)
	res := s.Results(simulated)
	res.Format = ResultsFormat
	for _, q := range paths {
		res.Files = append(res.Files, outputName(dir, q))
	}
	// The cohort's path relative to the results, so that the file does
	// not name the machine it was made on; ReadResults resolves it.
	if rel, err := relativePath(dir, res.Cohort); err == nil {
		res.Cohort = rel
	}
	js, err := json.MarshalIndent(res, "", " ")
	if err != nil {
		return paths, err
	}
	if err := safeio.WriteFile(p, append(js, '\n')); err != nil {
		return paths, fmt.Errorf("study: %w", err)
	}
	if err := removeStale(dir, prev, res.Files); err != nil {
		return paths, err
	}
	return paths, nil
}
