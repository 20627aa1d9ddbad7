package learn

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// ParamGrid maps hyper-parameter names to the values to try.
type ParamGrid map[string][]float64

// Points returns every combination of the grid's values (the Cartesian
// product, scikit-learn's ParameterGrid), names in sorted order, the last
// name varying fastest. An empty grid has one point with no parameter; a
// name with no value is an error.
func (g ParamGrid) Points() ([]map[string]float64, error) {
	names := make([]string, 0, len(g))
	for k := range g {
		names = append(names, k)
	}
	sort.Strings(names)
	pts := []map[string]float64{{}}
	for _, k := range names {
		vals := g[k]
		if len(vals) == 0 {
			return nil, fmt.Errorf("%w: grid parameter %q has no value", ErrParameter, k)
		}
		next := make([]map[string]float64, 0, len(pts)*len(vals))
		for _, p := range pts {
			for _, v := range vals {
				q := make(map[string]float64, len(p)+1)
				for a, b := range p {
					q[a] = b
				}
				q[k] = v
				next = append(next, q)
			}
		}
		pts = next
	}
	return pts, nil
}

// ParamString formats a grid point as "a=1, b=0.5" in sorted name order.
func ParamString(p map[string]float64) string {
	names := make([]string, 0, len(p))
	for k := range p {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + "=" + strconv.FormatFloat(p[k], 'g', -1, 64)
	}
	return strings.Join(parts, ", ")
}

// GridSearch tunes hyper-parameters by cross-validation, as scikit-learn's
// GridSearchCV: every point of Grid is turned into an estimator by Build,
// every estimator is scored by stratified K-fold cross-validation
// (repeated) on the same folds, and the point with the best mean test
// score (ties to the first point) is refitted on all the rows it is given.
// Scores are the fold's mean binomial deviance (Deviance, lower is better)
// or AUC (AUCCriterion, higher is better). Used as the estimator of
// CrossValidate (or through NestedCV) it gives nested cross-validation:
// the tuning sees only the outer training folds (Varma & Simon, BMC
// Bioinformatics 7:91, 2006).
type GridSearch struct {
	Grid  ParamGrid
	Build func(params map[string]float64) (Estimator, error)
	// Folds (0: 5), Repeats (0: 1) and Seed fix the inner folds.
	Folds, Repeats int
	Seed           uint64
	Criterion      Criterion
	// Workers bounds the fits run at once (0: GOMAXPROCS).
	Workers int
}

// GridSearchModel is a fitted GridSearch: the refitted best model and the
// scores of every grid point.
type GridSearchModel struct {
	Points []map[string]float64
	// Mean and SE are the mean test score of each point over all folds and
	// its standard error (SD over folds / √folds).
	Mean, SE []float64
	// Best is the index of the chosen point.
	Best  int
	Model Model
}

// Fit tunes and refits; it returns a *GridSearchModel.
func (g GridSearch) Fit(X [][]float64, y []bool) (Model, error) {
	return g.FitSearch(X, y)
}

// FitSearch is Fit with the concrete result type.
func (g GridSearch) FitSearch(X [][]float64, y []bool) (*GridSearchModel, error) {
	if g.Build == nil {
		return nil, fmt.Errorf("%w: grid search without Build", ErrParameter)
	}
	if g.Criterion != Deviance && g.Criterion != AUCCriterion {
		return nil, fmt.Errorf("%w: unknown criterion %d", ErrParameter, int(g.Criterion))
	}
	if _, err := CheckXY(X, y, true); err != nil {
		return nil, err
	}
	pts, err := g.Grid.Points()
	if err != nil {
		return nil, err
	}
	ests := make([]Estimator, len(pts))
	for i, p := range pts {
		if ests[i], err = g.Build(p); err != nil {
			return nil, fmt.Errorf("grid point %s: %w", ParamString(p), err)
		}
		if ests[i] == nil {
			return nil, fmt.Errorf("%w: grid point %s: Build returned no estimator", ErrParameter, ParamString(p))
		}
	}
	opt, err := CVOptions{Folds: g.Folds, Repeats: g.Repeats, Seed: g.Seed}.withDefaults()
	if err != nil {
		return nil, err
	}
	if g.Folds == 0 {
		opt.Folds = 5
	}
	folds, err := RepeatedStratifiedKFold(y, opt.Folds, opt.Repeats, opt.Seed)
	if err != nil {
		return nil, err
	}
	var flat []Fold
	for _, r := range folds {
		flat = append(flat, r...)
	}
	nf := len(flat)
	score := make([][]float64, len(pts))
	for i := range score {
		score[i] = make([]float64, nf)
	}
	err = cvParallel(len(pts)*nf, g.Workers, func(job int) error {
		i, f := job/nf, job%nf
		_, prob, err := fitFold(ests[i], X, y, flat[f])
		if err != nil {
			return fmt.Errorf("grid point %s, fold %d: %w", ParamString(pts[i]), f+1, err)
		}
		_, yv := cvSubset(X, y, flat[f].Test)
		score[i][f] = foldCriterion(prob, yv, g.Criterion)
		if math.IsNaN(score[i][f]) {
			return fmt.Errorf("grid point %s, fold %d: %w: test rows", ParamString(pts[i]), f+1, ErrOneClass)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	gm := &GridSearchModel{Points: pts, Mean: make([]float64, len(pts)), SE: make([]float64, len(pts))}
	for i, s := range score {
		m, sd := cvMeanSD(s)
		gm.Mean[i], gm.SE[i] = m, sd/math.Sqrt(float64(nf))
		better := m < gm.Mean[gm.Best]
		if g.Criterion == AUCCriterion {
			better = m > gm.Mean[gm.Best]
		}
		if i > 0 && better {
			gm.Best = i
		}
	}
	if gm.Model, err = ests[gm.Best].Fit(X, y); err != nil {
		return nil, fmt.Errorf("refit at %s: %w", ParamString(pts[gm.Best]), err)
	}
	return gm, nil
}

// BestParams returns the chosen grid point.
func (gm *GridSearchModel) BestParams() map[string]float64 {
	out := make(map[string]float64, len(gm.Points[gm.Best]))
	for k, v := range gm.Points[gm.Best] {
		out[k] = v
	}
	return out
}

// PredictProba predicts with the refitted best model.
func (gm *GridSearchModel) PredictProba(X [][]float64) ([]float64, error) {
	return gm.Model.PredictProba(X)
}

// LinearPredictor is the best model's linear predictor, an error if it has
// none.
func (gm *GridSearchModel) LinearPredictor(X [][]float64) ([]float64, error) {
	return RadiomicsScore(gm.Model, X)
}

// Unwrap returns the refitted best model.
func (gm *GridSearchModel) Unwrap() Model { return gm.Model }

// NestedResult is the outcome of NestedCV: the outer cross-validation and
// the hyper-parameters the inner search chose in each outer training fold.
type NestedResult struct {
	*CVResult
	// Chosen[r][f] are the parameters chosen in fold f of repeat r.
	Chosen [][]map[string]float64
}

// NestedCV estimates the performance of a tuned model honestly (Varma &
// Simon 2006; Cawley & Talbot, JMLR 11, 2010): the outer stratified
// K-fold cross-validation (outer) fits search — its inner cross-validation
// and refit — on each outer training fold only and scores the outer test
// fold. The spread of Chosen shows how stable the tuning is.
func NestedCV(search GridSearch, X [][]float64, y []bool, outer CVOptions) (*NestedResult, error) {
	res, err := CrossValidate(search, X, y, outer)
	if err != nil {
		return nil, err
	}
	nr := &NestedResult{CVResult: res, Chosen: make([][]map[string]float64, len(res.Models))}
	for r, ms := range res.Models {
		nr.Chosen[r] = make([]map[string]float64, len(ms))
		for f, m := range ms {
			gm, ok := m.(*GridSearchModel)
			if !ok {
				return nil, fmt.Errorf("%w: outer fold model is a %T", ErrParameter, m)
			}
			nr.Chosen[r][f] = gm.BestParams()
		}
	}
	return nr, nil
}

// ParamCount is a parameter setting (ParamString) and how often it was
// chosen.
type ParamCount struct {
	Params string
	Count  int
}

// ChosenCounts tallies how often each parameter setting was chosen over
// the outer folds, in decreasing count (ties by setting).
func (nr *NestedResult) ChosenCounts() []ParamCount {
	c := map[string]int{}
	for _, rep := range nr.Chosen {
		for _, p := range rep {
			c[ParamString(p)]++
		}
	}
	out := make([]ParamCount, 0, len(c))
	for k, v := range c {
		out = append(out, ParamCount{k, v})
	}
	slices.SortFunc(out, func(a, b ParamCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Params, b.Params)
	})
	return out
}
