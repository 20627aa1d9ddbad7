// Package study wires the paper's pipeline (Liu et al., European Radiology
// 2020) on a cohort: the three models — R-DLCEUS (the cine CNN, package
// deep), R-TIC (time–intensity-curve features, package tic, and a learn
// pipeline) and R-BMode (B-mode radiomics, package radiomics, and a learn
// pipeline) — trained on the training split only and scored on the
// validation split, one file per model; and their comparison (Compare):
// AUCs with DeLong and bootstrap CIs, operating points fixed on the
// training split, calibration, decision curves, pairwise DeLong tests with
// Holm's adjustment and NRI/IDI, written as the tables and figures of a
// paper.
//
// Each model also gets the test of AUC = 0.5 (DeLong's SE, two-sided) and
// its precision–recall summary (average precision as scikit-learn's
// average_precision_score with its stratified bootstrap percentile CI, and
// the Davis–Goadrich interpolated area), in the AUC table, the figure
// study_pr_curves and results.json's per-model "p_vs_half" and "pr_auc":
// {"average_precision", "auc_interpolated", "ci"}. With three or more
// models, DeLong's omnibus χ² test that all the AUCs are equal is made
// before the pairwise tests (gatekeeping): it heads the pairwise table's
// Markdown and paper_vs_reproduction.md, and results.json holds it as
// "omnibus_delong": {"chi2", "df", "p"} beside "pairwise_delong".
//
// RunStudy does all of it and the robustness analyses: Robust retrains the
// models on re-drawn splits (the paper's "different training and validation
// cohorts"; the CNN in a smaller run of its own), ROIRobustness re-scores
// the validation patients with perturbed lesion ROIs (another reader's
// ROI). Results, results.json and LoadOrRun keep a run so that notebooks
// and the command line share it. ThresholdView and CineView are the views
// the notebooks' sliders redraw; ClipMontage, CAMMontage, TrainingCurves
// and ArchitectureTable show the CNN.
//
// # The model bundle and external validation
//
// WriteFiles also writes the study's fitted models into OUT/models
// (WriteBundle), a bundle that carries them unchanged to another cohort:
//
//	clinical.json  the clinical model's fitted learn pipeline (learn.SaveModel: scaling, imputation, ridge logistic)
//	rtic.json      R-TIC's chosen pipeline, fitted on the training split (imputation, scaling, selection, estimator)
//	rbmode.json    R-BMode's, on the features its ICC filter kept over the training patients
//	cnn.json       R-DLCEUS's checkpoint (deep.Model.Save: Config, intensity normalisation, weights, logit offset)
//	bundle.json    the manifest (Bundle), written last
//
// bundle.json holds {"format": "ceusrad-model-bundle", "version": 1,
// "cohort_sha256", "code_version" (Provenance of the training run),
// "options" (the run's ResultOptions), "models": [...], "files": [{"name",
// "sha256", "size"}]}; each model (BundleModel) names its file, its kind
// (clinical, tic, radiomics, cnn: how its inputs are made), its input and
// needed features, the chosen pipeline, the clinical coding (numeric
// columns with their transform — AFP as log10(x+1) — and categorical
// columns with their levels, the first the reference), the TIC and radiomic
// extraction settings (tic.DefaultOptions, radiomics.DefaultSettings with
// its bin number), the ICC threshold and kept features, and the operating
// threshold fixed in training with its threshold_source. results.json's
// "files" lists the bundle's files as "models/NAME" (a later run removes
// those it does not write again, and nothing outside models/), and its
// "bundle" gives the manifest's path and SHA-256.
//
// LoadBundle reads a bundle after checking it whole: bundle.json's size,
// format and version, at most MaxBundleFiles files, each a plain name in
// the folder, at most learn.MaxModelBytes (deep.MaxCheckpointBytes for the
// CNN), of the size and SHA-256 the manifest lists — the bytes hashed are
// the bytes parsed — before learn.UnmarshalModel or deep.Load parses it with
// its own bounds; a changed, foreign or unknown-version bundle is refused
// with an error (ErrBundle) naming the file.
//
// Validate (ceusrad validate) applies the frozen models to every patient
// of another cohort, its split ignored: inputs made as in training, no
// refit, no re-selection, each model's threshold the bundle's
// (Scores.Fixed). It writes the study's comparison (external_* tables and
// figures) and a results.json of the same schema with "external": true,
// "bundle" (path, SHA-256, training cohort, code) and
// "external_validation" (patients scored, patients left out with the
// model and the reason — a cine the CNN cannot sample is reported per
// patient and left out of every model's comparison, so that the paired
// tests stay paired). A cohort lacking a clinical column or feature a model
// needs is refused naming the model and the column. With Recalibrate, each
// model is also updated by logistic recalibration on the new cohort —
// intercept a and slope b of logit P(OR) = a + b·logit p refitted, the
// model itself unchanged (Steyerberg, Clinical Prediction Models, 2019,
// ch. 20; TRIPOD, Collins et al. 2015, item 17) — and reported beside the
// frozen results (external_recalibrated_*, external_recalibration): its
// calibration is apparent, measured on the patients it was fitted on, and
// its threshold is the frozen one carried through the same map, so that
// sensitivity and specificity do not change.
//
// Applied to the study's own validation patients, the bundle reproduces the
// study's validation probabilities bit for bit, the CNN's included
// (TestBundleReproducesValidation): the saved formats write every float as
// the shortest decimal that reads back to the same bits, and the features
// are made by the same code with the same settings.
package study
