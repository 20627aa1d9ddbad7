package study

import "github.com/ceusrad/ceusrad/kernellib/learn"

// FitScore fits est on the rows train of X (outcomes y) and returns
// out-of-fold probabilities for those training rows (folds-fold stratified
// cross-validation within the training rows, seeded) — on which an
// operating threshold can be fixed without touching the validation rows —
// and the probabilities of the model fitted on all training rows for the
// rows valid. Nothing of the validation rows is seen by any fit.
func FitScore(est learn.Estimator, X [][]float64, y []bool, train, valid []int, folds int, seed uint64) (trainOOF, validP []float64, err error) {
	trainOOF, validP, _, err = fitScoreModel(est, X, y, train, valid, folds, seed, nil)
	return trainOOF, validP, err
}

func rows(X [][]float64, idx []int) [][]float64 {
	out := make([][]float64, len(idx))
	for i, j := range idx {
		out[i] = X[j]
	}
	return out
}

func pick[T any](v []T, idx []int) []T {
	out := make([]T, len(idx))
	for i, j := range idx {
		out[i] = v[j]
	}
	return out
}
