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
package study
