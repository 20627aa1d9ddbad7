// Package learn is the classical machine learning behind R-TIC and R-BMode:
// estimators with one interface (fit on X and y, predict probabilities),
// pipelines whose every step — standardisation, imputation, feature
// selection — is fitted inside the training fold only, cross-validation,
// grid search and nested CV, penalised logistic regression, SVMs and random
// forests.
//
// Data are plain slices: X is [][]float64 with one row per sample and one
// column per feature, y is []bool with true marking a case (the positive
// class). Hyper-parameters are fields of the estimator value; Fit never
// changes its receiver and returns a fitted model, so one estimator value
// serves every fold of a cross-validation. Every random choice takes an
// explicit seed.
package learn
