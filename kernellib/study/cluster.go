package study

import (
	"fmt"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/internal/split"
	"github.com/ceusrad/ceusrad/kernellib/learn"
	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// Lesion-level studies. When the manifest lists several lesions of one
// patient (cohort's lesion_id), a row of the study is a lesion: the models
// score lesions and the validation AUC is the lesion-level one, but lesions
// of one patient are correlated, so DeLong's variance, which treats them as
// independent, is too small. Compare then also reports, for every model,
// Obuchowski's cluster-robust standard error and CI of the same AUC
// (roc.NewClustered: Obuchowski, Biometrics 1997, with the patient as the
// cluster), and its pairwise test of two models uses her clustered
// covariance matrix, as does the omnibus test of all the models. With one
// lesion per patient nothing of this appears and the study is exactly the
// per-patient one.

// ClusterAUC is one model's lesion-level AUC with Obuchowski's
// cluster-robust standard error, normal CI (θ ± z·SE, clipped to [0, 1], as
// the DeLong CI) and two-sided p of AUC = 0.5 (the z-test of
// roc.DeLong.TestAUC with that SE). results.json writes it per model as
// "auc_cluster_robust": {"clusters", "se", "ci", "p_vs_half"}.
type ClusterAUC struct {
	AUC, SE float64
	CI      [2]float64
	PVsHalf float64
}

// Clustered is the cluster-robust part of a Comparison of a lesion-level
// validation cohort.
type Clustered struct {
	// Lesions is the number of validation rows (lesions); Clusters the
	// number of patients, of whom ClustersWithCases have a responding
	// lesion and ClustersWithControls a non-responding one.
	Lesions, Clusters, ClustersWithCases, ClustersWithControls int
	// Models are the models' cluster-robust AUCs, in Comparison.Models'
	// order.
	Models []ClusterAUC
	est    *roc.Clustered
}

// PatientGroups returns the patient of each of the rows of c, or nil when
// no patient has more than one of them, so that a one-lesion cohort's study
// is the per-patient one. Of the validation rows they are the clusters of
// CompareOptions.Clusters; of the training rows the groups that the
// cross-validations keep together (learn.CVOptions.Groups); of all rows
// those of the re-drawn splits (RobustnessOptions.Groups).
func PatientGroups(c *cohort.Cohort, rows []int) []string {
	ps := make([]cohort.Patient, len(rows))
	for k, i := range rows {
		ps[k] = c.Patients[i]
	}
	if !cohort.MultiLesion(ps) {
		return nil
	}
	return cohort.Groups(ps)
}

// allRows returns 0, …, n−1.
func allRows(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// trainFolds is the k-fold partition of training rows with outcomes yt:
// grouped by patient (learn.GroupedStratifiedKFold) when groups, their
// patients, is not nil.
func trainFolds(yt []bool, groups []string, k int, seed uint64) ([]learn.Fold, error) {
	if groups == nil {
		return learn.StratifiedKFold(yt, k, seed)
	}
	return learn.GroupedStratifiedKFold(yt, groups, k, seed)
}

// resplits draws the robustness analysis's splits: whole patients when
// opts.Groups is given (cohort.GroupedResplits), rows otherwise.
func resplits(labels []bool, opts RobustnessOptions) ([]cohort.Partition, error) {
	if opts.Groups != nil {
		return cohort.GroupedResplits(labels, opts.Groups, opts.NTrain, opts.Splits, opts.Seed)
	}
	return cohort.Resplits(labels, opts.NTrain, opts.Splits, opts.Seed)
}

// paperTrainSize is the default training size of the re-drawn splits: the
// paper's proportion of the patients (groups) or of the rows.
func paperTrainSize(n int, groups []string) int {
	if groups != nil {
		n = len(split.Strata(groups))
	}
	return cohort.PaperTrainSize(n)
}

// splitDeLong is the DeLong estimate of one re-drawn split's validation
// rows test: Obuchowski's clustered one when groups (of all rows) is given.
func splitDeLong(scores [][]float64, truth []bool, test []int, groups []string) (*roc.DeLong, error) {
	if groups == nil {
		return roc.NewDeLong(scores, truth)
	}
	cl, err := roc.NewClustered(scores, truth, pick(groups, test))
	if err != nil {
		return nil, err
	}
	return &cl.DeLong, nil
}

// clusterRobust computes the Clustered of the validation scores when
// clusters are given (nil otherwise: no patient has several lesions).
func clusterRobust(valid [][]float64, truth []bool, clusters []string, level float64) (*Clustered, error) {
	if clusters == nil {
		return nil, nil
	}
	est, err := roc.NewClustered(valid, truth, clusters)
	if err != nil {
		return nil, fmt.Errorf("study: cluster-robust AUC (lesions grouped by patient): %w", err)
	}
	cl := &Clustered{Lesions: len(truth), Clusters: est.Clusters, ClustersWithCases: est.ClustersWithCases,
		ClustersWithControls: est.ClustersWithControls, est: est}
	for r := range valid {
		ci, err := est.CI(r, level)
		if err != nil {
			return nil, err
		}
		half, err := est.TestAUC(r, 0.5)
		if err != nil {
			return nil, err
		}
		cl.Models = append(cl.Models, ClusterAUC{AUC: est.AUC[r], SE: est.SE(r), CI: ci, PVsHalf: half.P})
	}
	return cl, nil
}

// pairDeLong is the estimate whose covariance the omnibus and pairwise
// tests use: Obuchowski's clustered one when the comparison is lesion-level
// (cl not nil), DeLong's otherwise.
func pairDeLong(dl *roc.DeLong, cl *Clustered) *roc.DeLong {
	if cl != nil {
		return &cl.est.DeLong
	}
	return dl
}

// ResultClusterAUC is a model's "auc_cluster_robust" in results.json: the
// number of clusters (patients), Obuchowski's cluster-robust SE of the
// lesion-level AUC ("auc"), its CI at the comparison's level and the p of
// AUC = 0.5 with that SE.
type ResultClusterAUC struct {
	Clusters int          `json:"clusters"`
	SE       jsonFloat    `json:"se"`
	CI       [2]jsonFloat `json:"ci"`
	PVsHalf  jsonFloat    `json:"p_vs_half"`
}

// ResultLesionLevel is results.json's "lesion_level", present only when a
// validation patient has several lesions: the validation lesions and
// patients, and the method of the cluster-robust CIs and of the pairwise
// tests ("obuchowski_1997").
type ResultLesionLevel struct {
	Lesions              int    `json:"validation_lesions"`
	Clusters             int    `json:"validation_patients"`
	ClustersWithCases    int    `json:"patients_with_responding_lesion"`
	ClustersWithControls int    `json:"patients_with_nonresponding_lesion"`
	Method               string `json:"method"`
}

// addClusterResults writes the cluster-robust numbers of c into r (nothing
// when the comparison is per patient).
func addClusterResults(r *Results, c *Comparison) {
	cl := c.Clustered
	if cl == nil {
		return
	}
	r.LesionLevel = &ResultLesionLevel{Lesions: cl.Lesions, Clusters: cl.Clusters, ClustersWithCases: cl.ClustersWithCases,
		ClustersWithControls: cl.ClustersWithControls, Method: "obuchowski_1997"}
	for k := range r.Models {
		m := cl.Models[k]
		r.Models[k].ClusterRobust = &ResultClusterAUC{Clusters: cl.Clusters, SE: jsonFloat(m.SE),
			CI: [2]jsonFloat{jsonFloat(m.CI[0]), jsonFloat(m.CI[1])}, PVsHalf: jsonFloat(m.PVsHalf)}
	}
}
