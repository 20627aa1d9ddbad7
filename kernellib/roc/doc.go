// Package roc is ROC analysis for binary diagnostic scores at the level of
// pROC (Robin et al., BMC Bioinformatics 2011) and beyond: ROC curves, the
// AUC and partial AUC, DeLong variances, confidence intervals and tests for
// k correlated scores (Sun & Xu 2014) — paired, pairwise, against a given
// AUC, and the omnibus χ² test that all k AUCs are equal (DeLong et al.
// 1988, §3) — bootstrap and permutation tests, precision–recall curves
// (scikit-learn's average precision, the Davis–Goadrich interpolated
// area), operating points, calibration, decision curves and
// reclassification; case weights (NewWeightedDeLong: the weighted AUC of
// scikit-learn's sample_weight, with a linearised variance), clustered data
// such as several lesions per patient (NewClustered: Obuchowski,
// Biometrics 1997), and power and sample size (PowerOneAUC,
// PowerTwoCurves: Obuchowski & McClish 1997, as pROC's power.roc.test).
//
// Every function takes plain slices: the scores as []float64 and the truth as
// []bool, true marking a case (a positive, e.g. objective response). The
// direction of a score is never guessed from the data (pROC's
// direction = "auto" biases AUCs upward under resampling): it is given by
// the caller, CasesHigher by default.
//
// Bad input is an error wrapping one of ErrLength, ErrEmpty, ErrNotFinite,
// ErrOneClass, ErrTooFew, ErrWeight, ErrParameter or ErrUnreachable, with a
// message that says what is wrong.
//
// roc knows nothing of models or images: it sits at the right end of
// ceusrad's data flow, just before plots and nb.
package roc
