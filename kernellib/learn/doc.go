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
// explicit seed, and results do not depend on the number of workers.
//
// What is here:
//
//   - Logistic regression with L1, L2 and elastic-net penalties by
//     coordinate descent over a warm-started λ path (LogisticPath, Logistic,
//     LogisticCV with the min and 1-SE rules; Friedman, Hastie & Tibshirani
//     2010), checked against scikit-learn.
//   - SVM, linear and RBF, by SMO with second-order working-set selection
//     (Fan, Chen & Lin 2005) and Platt-scaled probabilities (Platt 1999;
//     Lin, Lin & Weng 2007); random forests of Gini CART trees (Breiman
//     2001) with out-of-bag error, impurity and permutation importances.
//   - Preprocessing and selection transformers: Standardizer, Imputer,
//     MannWhitneyFilter, CorrelationFilter, MRMR (Peng et al. 2005),
//     LassoSelect and KeepColumns (the hook for a feature-stability filter).
//   - Pipeline, StratifiedKFold, CrossValPredict, CrossValidate (per-fold
//     AUC, selection frequencies), GridSearch and NestedCV.
//   - RadiomicsScore and NamedCoefficients: the linear predictor and the
//     coefficients with feature names a statistician reports.
package learn
