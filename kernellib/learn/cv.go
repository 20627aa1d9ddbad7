package learn

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/ceusrad/ceusrad/kernellib/internal/mw"
	"github.com/ceusrad/ceusrad/kernellib/internal/split"
)

// Fold is one split of a cross-validation: the rows a model is fitted on
// and the rows it is tested on, both sorted; together they hold every row
// once.
type Fold struct {
	Train, Test []int
}

// Random choices of the cross-validation draw from kernellib/internal/split's
// seeded PCG (SplitMix64-derived state, Fisher–Yates shuffles with Lemire's
// bounded integers) on this package's own stream, so that repeat r depends
// only on (seed, r) and differs from cohort's k-fold partitions.
const cvStreamKFold = 0x6c6b666f6c64 // "lkfold"

// StratifiedKFold partitions the rows into k folds that keep the class
// proportions of y: the cases, shuffled, then the controls, shuffled, are
// dealt to folds 0, 1, …, k−1, 0, 1, … in turn, so that every fold's
// count of each class is within one of n_class/k and its size within one
// of n/k (the partition of scikit-learn's StratifiedKFold(shuffle=True),
// drawn from this package's seeded generator). Fold f's Test are the rows
// dealt to it and its Train all the others.
//
// It is an error (ErrTooFew) when n < k or when a class has fewer than k
// rows: some test fold would then lack that class and its AUC would be
// undefined.
func StratifiedKFold(y []bool, k int, seed uint64) ([]Fold, error) {
	return stratifiedKFold(y, k, seed, 0)
}

// RepeatedStratifiedKFold draws repeats independent StratifiedKFold
// partitions; repeat r depends only on (seed, r).
func RepeatedStratifiedKFold(y []bool, k, repeats int, seed uint64) ([][]Fold, error) {
	if repeats < 1 {
		return nil, fmt.Errorf("%w: %d repeats, want ≥ 1", ErrParameter, repeats)
	}
	out := make([][]Fold, repeats)
	for r := range out {
		f, err := stratifiedKFold(y, k, seed, r)
		if err != nil {
			return nil, err
		}
		out[r] = f
	}
	return out, nil
}

func stratifiedKFold(y []bool, k int, seed uint64, rep int) ([]Fold, error) {
	if k < 2 {
		return nil, fmt.Errorf("%w: %d folds, want ≥ 2", ErrParameter, k)
	}
	n := len(y)
	var cases, controls []int
	for i, v := range y {
		if v {
			cases = append(cases, i)
		} else {
			controls = append(controls, i)
		}
	}
	switch {
	case n < k:
		return nil, fmt.Errorf("%w: %d samples for %d folds", ErrTooFew, n, k)
	case len(cases) < k:
		return nil, fmt.Errorf("%w: %d cases for %d folds: every test fold needs one", ErrTooFew, len(cases), k)
	case len(controls) < k:
		return nil, fmt.Errorf("%w: %d controls for %d folds: every test fold needs one", ErrTooFew, len(controls), k)
	}
	return folds(split.Deal([][]int{cases, controls}, n, k, split.NewPCG(seed, cvStreamKFold, rep))), nil
}

// folds converts the partitions of kernellib/internal/split.
func folds(ps []split.Part) []Fold {
	out := make([]Fold, len(ps))
	for i, p := range ps {
		out[i] = Fold(p)
	}
	return out
}

// foldsFromAssignment builds k folds from the test fold of every row.
func foldsFromAssignment(fold []int, k int) []Fold {
	return folds(split.Parts(fold, k))
}

// checkFolds checks that folds partition n rows into test folds with
// disjoint, in-range training rows.
func checkFolds(folds []Fold, n int) error {
	if len(folds) < 2 {
		return fmt.Errorf("%w: %d folds, want ≥ 2", ErrParameter, len(folds))
	}
	seen := make([]int, n)
	for f, fo := range folds {
		in := make([]bool, n)
		for _, i := range fo.Test {
			if i < 0 || i >= n {
				return fmt.Errorf("%w: fold %d: test row %d out of range [0, %d)", ErrParameter, f, i, n)
			}
			seen[i]++
			in[i] = true
		}
		if len(fo.Train) == 0 || len(fo.Test) == 0 {
			return fmt.Errorf("%w: fold %d has %d training and %d test rows", ErrTooFew, f, len(fo.Train), len(fo.Test))
		}
		for _, i := range fo.Train {
			if i < 0 || i >= n || in[i] {
				return fmt.Errorf("%w: fold %d: training row %d out of range or also a test row", ErrParameter, f, i)
			}
		}
	}
	for i, c := range seen {
		if c != 1 {
			return fmt.Errorf("%w: row %d is in %d test folds, want 1", ErrParameter, i, c)
		}
	}
	return nil
}

// cvParallel runs job(0), …, job(n−1) on up to workers goroutines (0:
// GOMAXPROCS) and returns the error of the lowest-numbered failed job. The
// jobs write only their own results, so the outcome does not depend on the
// number of workers.
func cvParallel(n, workers int, job func(i int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	errs := make([]error, n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			errs[i] = job(i)
		}
	} else {
		var wg sync.WaitGroup
		next := make(chan int)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					errs[i] = job(i)
				}
			}()
		}
		for i := 0; i < n; i++ {
			next <- i
		}
		close(next)
		wg.Wait()
	}
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// cvSubset returns the rows idx of X and y (the rows are shared, not copied).
func cvSubset(X [][]float64, y []bool, idx []int) ([][]float64, []bool) {
	xs := make([][]float64, len(idx))
	ys := make([]bool, len(idx))
	for k, i := range idx {
		xs[k] = X[i]
		ys[k] = y[i]
	}
	return xs, ys
}

// CrossValPredict returns out-of-fold probabilities, as scikit-learn's
// cross_val_predict(method="predict_proba"): for every fold, est is fitted
// on the training rows only and predicts the test rows. The folds must
// partition the rows (each row in exactly one test fold). Folds are fitted
// in parallel; the result does not depend on the number of cores.
func CrossValPredict(est Estimator, X [][]float64, y []bool, folds []Fold) ([]float64, error) {
	if len(X) != len(y) {
		return nil, fmt.Errorf("%w: %d rows of X but %d labels", ErrShape, len(X), len(y))
	}
	if err := checkFolds(folds, len(X)); err != nil {
		return nil, err
	}
	out := make([]float64, len(X))
	err := cvParallel(len(folds), 0, func(f int) error {
		_, p, err := fitFold(est, X, y, folds[f])
		if err != nil {
			return fmt.Errorf("fold %d: %w", f+1, err)
		}
		for k, i := range folds[f].Test {
			out[i] = p[k]
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// fitFold fits est on the fold's training rows and predicts its test rows.
func fitFold(est Estimator, X [][]float64, y []bool, fo Fold) (Model, []float64, error) {
	xt, yt := cvSubset(X, y, fo.Train)
	m, err := est.Fit(xt, yt)
	if err != nil {
		return nil, nil, err
	}
	xv, _ := cvSubset(X, y, fo.Test)
	p, err := m.PredictProba(xv)
	if err != nil {
		return nil, nil, err
	}
	if len(p) != len(fo.Test) {
		return nil, nil, fmt.Errorf("%w: %d probabilities for %d test rows", ErrShape, len(p), len(fo.Test))
	}
	return m, p, nil
}

// CVOptions configures CrossValidate.
type CVOptions struct {
	// Folds is k of the stratified k-fold partition (0: 10).
	Folds int
	// Repeats is the number of independent partitions (0: 1).
	Repeats int
	// Seed fixes the partitions.
	Seed uint64
	// Workers bounds the fits run at once (0: GOMAXPROCS). Results do not
	// depend on it.
	Workers int
	// Groups, when given, names each row's group (the patient of a lesion):
	// the folds are then RepeatedGroupedStratifiedKFold's, which keep a
	// group's rows in one fold. nil: one group a row.
	Groups []string
}

func (o CVOptions) withDefaults() (CVOptions, error) {
	if o.Folds == 0 {
		o.Folds = 10
	}
	if o.Repeats == 0 {
		o.Repeats = 1
	}
	if o.Folds < 2 || o.Repeats < 1 {
		return o, fmt.Errorf("%w: %d folds × %d repeats, want ≥ 2 folds and ≥ 1 repeat", ErrParameter, o.Folds, o.Repeats)
	}
	return o, nil
}

// CVResult is the outcome of a (repeated) cross-validation. Slices indexed
// [r][f] refer to fold f of repeat r.
type CVResult struct {
	Folds [][]Fold
	// AUC is the AUC of each test fold (Mann–Whitney; mw.AUC, cases
	// expected to have higher probabilities).
	AUC [][]float64
	// MeanAUC and SDAUC are the mean and sample standard deviation of the
	// fold AUCs over all folds of all repeats.
	MeanAUC, SDAUC float64
	// Proba is, per repeat, the out-of-fold probability of every row.
	Proba [][]float64
	// PooledAUC is, per repeat, the AUC of the pooled out-of-fold
	// probabilities.
	PooledAUC []float64
	// Selected is, per fold, the input columns the fold's model uses
	// (FeatureSelector); nil when the model does not report them.
	Selected [][][]int
	// Frequency is, per input column, the fraction of fold models that
	// selected it; nil when the models do not report their features.
	Frequency []float64
	// Models are the fitted fold models.
	Models [][]Model
}

// CrossValidate estimates the performance of est by stratified k-fold
// cross-validation, repeated: every fold's model is fitted on its training
// rows only (a Pipeline fits its scaling, imputation and selection there
// too) and scored on its test rows. It reports per-fold and pooled AUCs,
// the out-of-fold probabilities, and — when the models implement
// FeatureSelector — the features each fold selected and how often each
// feature was selected (selection frequency, as reported for radiomics
// signatures; cf. Meinshausen & Bühlmann's stability selection, J R Stat
// Soc B 72, 2010). With a GridSearch or LogisticCV as est this is nested
// cross-validation: the tuning sees only each outer training fold.
func CrossValidate(est Estimator, X [][]float64, y []bool, opt CVOptions) (*CVResult, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	p, err := CheckXY(X, y, true)
	if err != nil {
		return nil, err
	}
	if !imputes(est) {
		if _, err := CheckX(X, false); err != nil {
			return nil, fmt.Errorf("%w (a Pipeline with an Imputer handles missing values)", err)
		}
	}
	var folds [][]Fold
	if opt.Groups != nil {
		folds, err = RepeatedGroupedStratifiedKFold(y, opt.Groups, opt.Folds, opt.Repeats, opt.Seed)
	} else {
		folds, err = RepeatedStratifiedKFold(y, opt.Folds, opt.Repeats, opt.Seed)
	}
	if err != nil {
		return nil, err
	}
	return crossValidateFolds(est, X, y, p, folds, opt.Workers)
}

// imputes reports whether est may accept missing values: a Pipeline with an
// Imputer, or a GridSearch (whose candidates decide).
func imputes(est Estimator) bool {
	switch e := est.(type) {
	case Pipeline:
		return e.hasImputer()
	case *Pipeline:
		return e.hasImputer()
	case GridSearch, *GridSearch:
		return true
	}
	return false
}

func crossValidateFolds(est Estimator, X [][]float64, y []bool, p int, folds [][]Fold, workers int) (*CVResult, error) {
	R, K := len(folds), len(folds[0])
	res := &CVResult{Folds: folds, AUC: make([][]float64, R), Proba: make([][]float64, R),
		PooledAUC: make([]float64, R), Selected: make([][][]int, R), Models: make([][]Model, R)}
	for r := range folds {
		if err := checkFolds(folds[r], len(X)); err != nil {
			return nil, err
		}
		res.AUC[r] = make([]float64, K)
		res.Proba[r] = make([]float64, len(X))
		res.Selected[r] = make([][]int, K)
		res.Models[r] = make([]Model, K)
	}
	reports := true
	var mu sync.Mutex
	err := cvParallel(R*K, workers, func(job int) error {
		r, f := job/K, job%K
		where := fmt.Sprintf("fold %d", f+1)
		if R > 1 {
			where = fmt.Sprintf("repeat %d, fold %d", r+1, f+1)
		}
		fo := folds[r][f]
		_, yv := cvSubset(X, y, fo.Test)
		if err := cvCheckBothClasses(yv); err != nil {
			return fmt.Errorf("%s: test rows: %w", where, err)
		}
		m, prob, err := fitFold(est, X, y, fo)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		for k, i := range fo.Test {
			res.Proba[r][i] = prob[k]
		}
		if res.AUC[r][f], err = foldAUC(prob, yv); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		res.Models[r][f] = m
		if s, ok := modelSelection(m); ok {
			res.Selected[r][f] = s
		} else {
			mu.Lock()
			reports = false
			mu.Unlock()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var all []float64
	for r := range folds {
		all = append(all, res.AUC[r]...)
		if res.PooledAUC[r], err = foldAUC(res.Proba[r], y); err != nil {
			return nil, err
		}
	}
	res.MeanAUC, res.SDAUC = cvMeanSD(all)
	if reports {
		res.Frequency = SelectionFrequency(res.Selected, p)
	} else {
		res.Selected = nil
	}
	return res, nil
}

// modelSelection returns the features a fitted model uses, looking through
// wrappers (a GridSearchModel's Unwrap).
func modelSelection(m Model) ([]int, bool) {
	for depth := 0; depth < 16 && m != nil; depth++ {
		if s, ok := m.(FeatureSelector); ok {
			return s.SelectedFeatures(), true
		}
		u, ok := m.(interface{ Unwrap() Model })
		if !ok {
			return nil, false
		}
		m = u.Unwrap()
	}
	return nil, false
}

// SelectionFrequency returns, for each of p columns, the fraction of the
// given selections (one per fitted model) that contain it.
func SelectionFrequency(selected [][][]int, p int) []float64 {
	freq := make([]float64, p)
	fits := 0
	for _, rep := range selected {
		for _, s := range rep {
			fits++
			for _, j := range s {
				if j >= 0 && j < p {
					freq[j]++
				}
			}
		}
	}
	if fits > 0 {
		for j := range freq {
			freq[j] /= float64(fits)
		}
	}
	return freq
}

// cvCheckBothClasses is CheckXY's class check alone.
func cvCheckBothClasses(y []bool) error {
	c := 0
	for _, v := range y {
		if v {
			c++
		}
	}
	if c == 0 || c == len(y) {
		return fmt.Errorf("%w: %d cases among %d samples", ErrOneClass, c, len(y))
	}
	return nil
}

// foldAUC is the Mann–Whitney AUC with cases expected higher (mw.AUC; learn
// sits before roc in the data flow and does not import it).
func foldAUC(p []float64, y []bool) (float64, error) {
	if err := cvCheckBothClasses(y); err != nil {
		return 0, err
	}
	for i, v := range p {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%w: probability %d is %v", ErrNotFinite, i, v)
		}
	}
	return mw.AUC(p, y)
}

// cvMeanSD returns the mean and the sample standard deviation (n−1; 0 for
// n = 1).
func cvMeanSD(x []float64) (float64, float64) {
	if len(x) == 0 {
		return math.NaN(), math.NaN()
	}
	m := 0.0
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	if len(x) == 1 {
		return m, 0
	}
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return m, math.Sqrt(s / float64(len(x)-1))
}

// cvSorted returns a sorted copy of s.
func cvSorted(s []int) []int {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}
