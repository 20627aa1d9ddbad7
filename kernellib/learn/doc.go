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
//     AUC, selection frequencies), GridSearch and NestedCV;
//     GroupedStratifiedKFold and CVOptions.Groups keep the lesions of one
//     patient in one fold (LogisticCV's and GridSearch's inner folds are
//     per row).
//   - RadiomicsScore and NamedCoefficients: the linear predictor and the
//     coefficients with feature names a statistician reports.
//   - SaveModel and LoadModel: a fitted model as a versioned JSON file.
//
// # Saving and loading models
//
// SaveModel writes a fitted model atomically (safeio.WriteFile);
// LoadModel (LoadPipeline for a pipeline) reads it back from a regular
// file. MarshalModel, WriteModel, UnmarshalModel and ReadModel do the same
// on bytes and streams. A loaded model predicts exactly as the fitted one:
// bit-identical probabilities and linear predictors on the same rows
// (TestSaveLoadIdentical), since every float64 is written as the shortest
// decimal that parses back to the same bits (strconv 'g', −1).
//
// The file is one JSON object, {"format": "ceusrad-learn-model",
// "version": 1, "model": NODE}; every NODE has a "kind" and an "n_features"
// (its input width), and snake_case fields:
//
//	pipeline         features (input names, in order), steps, columns, model
//	standardization  mean, scale, keep, dropped
//	imputation       strategy ("mean" | "median"), fill, missing
//	selection        method, keep, score, order, partner
//	logistic         penalty, alpha, lambda, intercept, coef, std_intercept,
//	                 std_coef, mean, scale, constant, deviance, null_deviance
//	forest           trees (per tree: feature, threshold, left, right, value
//	                 node arrays; root 0; a leaf has feature −1), importance,
//	                 oob_accuracy, oob_count
//	svm              kernel, gamma, c, support, support_vectors, dual_coef,
//	                 w, b, platt_a, platt_b, iterations
//	grid_search      points, mean, se, best, model
//
// What only describes the fit is not saved: a LogisticModel's λ
// cross-validation (CV), a forest's training rows and out-of-bag sets
// (a loaded forest's OOBProba is nil and its OOBPermutationImportance
// NaN). An SVM keeps its support vectors, which are training rows on the
// model's input scale. Statistics that may be undefined (deviances, OOB
// accuracy, selection scores, grid scores) write NaN as null; every value a
// prediction uses must be finite, or the model is not saved.
//
// Loading refuses — with an error wrapping ErrModelFormat that names the
// field, e.g. "model.trees[3].left[17]" — a file over MaxModelBytes (256
// MiB), one holding more than MaxModelValues values (20 million array
// elements and object members, counted on the raw bytes before anything
// is decoded), another format or version,
// an unknown kind or field, more than MaxModelFeatures (10⁵) inputs,
// MaxModelTrees (10⁵) trees or MaxModelNodes (10⁶) nodes in a forest,
// MaxModelSupportVectors (10⁵) support vectors, MaxModelSteps (64) steps,
// MaxModelGridPoints (10⁴) grid points or nesting beyond MaxModelDepth (8),
// and any inconsistency: widths that do not chain from step to step and to
// the model, column maps the steps do not imply, indices out of range or
// not increasing, a non-positive scale, a tree whose children are not of
// higher index than their parent or have two parents (so no cycle and
// every walk ends at a leaf), leaf values outside [0, 1], non-finite
// parameters. Saving runs the same checks, so what is saved loads.
//
// PipelineModel.ColumnIndex and SelectColumns match a new table's columns
// to the pipeline's inputs by name; a table lacking a feature the model
// uses (NeededFeatures) is refused naming it (ErrMissingFeature).
package learn
