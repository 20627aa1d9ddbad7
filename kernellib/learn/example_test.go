package learn_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/ceusrad/ceusrad/kernellib/learn"
)

// cohort simulates a radiomics table: n patients, p features on very
// different scales, of which "glcm_contrast", "firstorder_mean" and
// "shape_sphericity" carry the signal; the response is drawn from a
// logistic model of them.
func cohort(n, p int, seed uint64) ([][]float64, []bool, []string) {
	r := rand.New(rand.NewPCG(seed, 1))
	names := make([]string, p)
	for j := range names {
		names[j] = fmt.Sprintf("f%03d", j)
	}
	names[0], names[1], names[2] = "glcm_contrast", "firstorder_mean", "shape_sphericity"
	X := make([][]float64, n)
	y := make([]bool, n)
	for i := range X {
		X[i] = make([]float64, p)
		for j := range X[i] {
			X[i][j] = r.NormFloat64()
		}
		eta := 1.4*X[i][0] - 1.1*X[i][1] + 0.8*X[i][2]
		y[i] = r.Float64() < 1/(1+math.Exp(-eta))
		X[i][0] = 100 + 30*X[i][0] // a texture feature in its own units
		X[i][1] = 0.01 * X[i][1]
	}
	return X, y, names
}

// A LASSO-logistic radiomics signature: λ chosen by 10-fold CV with the
// 1-SE rule, coefficients per SD of each feature.
func ExampleLogisticCV() {
	X, y, names := cohort(130, 40, 1)
	m, err := learn.LogisticCV{Penalty: learn.L1, Rule: learn.OneSERule, Seed: 1}.Fit(X, y)
	if err != nil {
		fmt.Println(err)
		return
	}
	lm := m.(*learn.LogisticModel)
	fmt.Printf("λ(1se) %.3f, λ(min) %.3f\n", lm.Lambda, lm.CV.LambdaMin)
	coef, _ := lm.NamedCoefficients(names)
	for _, c := range coef {
		if c.StdCoef != 0 {
			fmt.Printf("%-16s %+.2f per SD\n", c.Feature, c.StdCoef)
		}
	}
	// Output:
	// λ(1se) 0.071, λ(min) 0.041
	// glcm_contrast    +1.06 per SD
	// firstorder_mean  -0.32 per SD
	// shape_sphericity +0.09 per SD
}

// Honest performance of a whole radiomics pipeline: every step —
// standardisation, imputation, the Mann–Whitney filter, the lasso's λ — is
// refitted inside each training fold of a repeated 5-fold CV.
func ExampleCrossValidate() {
	X, y, names := cohort(130, 200, 2)
	X[3][7], X[50][1] = math.NaN(), math.NaN() // missing values, imputed in the fold
	pl := learn.Pipeline{
		Steps: []learn.Transformer{learn.Standardizer{}, learn.Imputer{Strategy: learn.MedianImpute}, learn.MannWhitneyFilter{K: 20}},
		Model: learn.LogisticCV{Folds: 5, Seed: 3},
		Names: names,
	}
	res, err := learn.CrossValidate(pl, X, y, learn.CVOptions{Folds: 5, Repeats: 2, Seed: 7})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("AUC %.2f ± %.2f over %d folds\n", res.MeanAUC, res.SDAUC, 10)
	idx := make([]int, len(names))
	for j := range idx {
		idx[j] = j
	}
	sort.SliceStable(idx, func(a, b int) bool { return res.Frequency[idx[a]] > res.Frequency[idx[b]] })
	for _, j := range idx[:3] {
		fmt.Printf("%-16s selected in %3.0f%% of folds\n", names[j], 100*res.Frequency[j])
	}
	// Output:
	// AUC 0.79 ± 0.13 over 10 folds
	// glcm_contrast    selected in 100% of folds
	// firstorder_mean  selected in 100% of folds
	// shape_sphericity selected in 100% of folds
}

// Nested cross-validation of a grid search over the mRMR size and the
// ridge penalty: the tuning sees only the outer training folds.
func ExampleNestedCV() {
	X, y, _ := cohort(100, 30, 3)
	search := learn.GridSearch{
		Grid: learn.ParamGrid{"k": {3, 10}, "C": {0.01, 1}},
		Build: func(p map[string]float64) (learn.Estimator, error) {
			return learn.Pipeline{
				Steps: []learn.Transformer{learn.Standardizer{}, learn.MRMR{K: int(p["k"])}},
				Model: learn.Logistic{Penalty: learn.L2, C: p["C"]},
			}, nil
		},
		Folds: 5, Seed: 1, Criterion: learn.AUCCriterion,
	}
	nr, err := learn.NestedCV(search, X, y, learn.CVOptions{Folds: 5, Seed: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("nested AUC %.2f\n", nr.MeanAUC)
	for _, c := range nr.ChosenCounts() {
		fmt.Printf("%s chosen in %d of 5 outer folds\n", c.Params, c.Count)
	}
	// Output:
	// nested AUC 0.81
	// C=0.01, k=10 chosen in 2 of 5 outer folds
	// C=0.01, k=3 chosen in 2 of 5 outer folds
	// C=1, k=10 chosen in 1 of 5 outer folds
}

// The radiomics score (linear predictor) of each patient from a pipeline
// whose lasso picked the features.
func ExampleRadiomicsScore() {
	X, y, names := cohort(89, 20, 4)
	pl := learn.Pipeline{
		Steps: []learn.Transformer{learn.Standardizer{}},
		Model: learn.Logistic{Penalty: learn.L1, C: 0.1},
		Names: names,
	}
	m, err := pl.Fit(X, y)
	if err != nil {
		fmt.Println(err)
		return
	}
	b0, coef, _ := m.(*learn.PipelineModel).NamedCoefficients()
	fmt.Printf("rad-score = %.2f", b0)
	for _, c := range coef {
		if c.Coef != 0 {
			fmt.Printf(" %+.2f·%s", c.Coef, c.Feature)
		}
	}
	fmt.Println()
	score, _ := learn.RadiomicsScore(m, X[:3])
	fmt.Printf("first patients: %.2f %.2f %.2f\n", score[0], score[1], score[2])
	// Output:
	// rad-score = -0.02 +0.58·glcm_contrast -0.17·firstorder_mean
	// first patients: 0.34 -0.64 -0.36
}
