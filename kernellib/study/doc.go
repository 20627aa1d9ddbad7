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
// and the command line share it.
//
// # Two readers
//
// When the manifest gives a second reader's lesion mask (the optional
// column lesion_mask_2, drawn with nb.DrawROIs and ROIDrawOptions.Reader 2),
// RunStudy first measures the inter-reader agreement (InterReaderAgreement)
// of R-TIC's and R-BMode's features: each feature is computed with the
// first reader's and with the second reader's lesion mask (the liver
// reference region stays the first reader's) and its ICC(2,1) — two-way
// random effects, absolute agreement, single measure (Shrout & Fleiss 1979;
// ICC(A,1) of McGraw & Wong 1996), the form Koo & Li (2016) recommend for
// inter-rater reliability — is reported with its 95 % CI (McGraw & Wong
// 1996, Table 7; radiomics.ICC21CI). A cohort may give lesion_mask_2 for
// some patients only: the analysis uses the patients that have it, at least
// 2, and says how many. The table goes to inter_reader.csv/.md (model,
// feature, n_patients, icc, ci_lower, ci_upper) and results.json gets
// "inter_reader": {"n_patients", "level", "models": {"r_tic": [{"feature",
// "n_patients", "icc", "ci"}], "r_bmode": [...]}}; a cohort without
// lesion_mask_2 gives exactly the results it gave before (no section, no
// file). RunOptions.MinReaderICC (RTICOptions.MinReaderICC,
// RBModeOptions.MinReaderICC; ceusrad reproduce -min-reader-icc) turns on a
// feature filter, default off: only the features whose inter-reader
// ICC(2,1) over the training patients with both masks is at least the
// threshold are given to the model (for R-BMode after its ICC filter under
// mask perturbations); the validation patients play no part, and each
// re-drawn split of the robustness analysis chooses again on its own
// training patients. results.json then records "options": {"min_reader_icc"}
// and "inter_reader": {"min_reader_icc", "kept_features": {"r_tic": [...],
// "r_bmode": [...]}}.
//
// Every figure is written by plots.Save in the figure theme of package
// plots (Okabe–Ito colours with dashes and markers, ≥ 7 pt text at print
// size, the legend below the data) at a journal's single-column width
// (85 mm): NAME.pdf (vector, fonts embedded), NAME.png (300 dpi, recorded
// in its pHYs chunk) and NAME.svg, and NAME.tif (LZW, 600 dpi) when the
// environment sets CEUSRAD_TIFF=1; results.json's "files" lists them all.
// The paper's composite figures (plots.Panels, lettered panels, 175 mm
// wide) come with a caption beside them (.md: what is plotted, n, the CIs,
// and that the data are simulated when they are): paper_figure_2
// (PaperFigure2: A ROC curves with bands and AUC CIs, B calibration, C
// decision curves, D AUC over re-drawn splits) and, when R-DLCEUS was
// trained in the run, paper_figure_3 (PaperFigure3: Grad-CAM montages of a
// responder and a non-responder, C their lesion time–intensity curves). ThresholdView and CineView are the views
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
