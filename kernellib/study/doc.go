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
// RunStudy does all of it and the robustness analyses: Robust retrains the
// models on re-drawn splits (the paper's "different training and validation
// cohorts"; the CNN in a smaller run of its own), ROIRobustness re-scores
// the validation patients with perturbed lesion ROIs (another reader's
// ROI). Results, results.json and LoadOrRun keep a run so that notebooks
// and the command line share it. ThresholdView and CineView are the views
// the notebooks' sliders redraw; ClipMontage, CAMMontage, TrainingCurves
// and ArchitectureTable show the CNN.
package study
