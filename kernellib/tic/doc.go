// Package tic is the analysis of CEUS time–intensity curves (TIC): the mean
// signal inside a region of interest (the lesion, a liver reference) for
// every frame of a cine, streamed from kernellib/imaging so that a cine is
// never held in memory whole; its linearisation, perfusion-model fits and
// descriptive parameters; and the table of TIC features of a cohort that the
// R-TIC model of kernellib/study learns from.
//
// # Extraction
//
// Extract gives the raw curves in display values (the 8- or 16-bit grey
// levels of the cine, after log compression by the scanner). ExtractWith
// adds, per ExtractOptions:
//
//   - linearisation of every pixel to relative echo power with a stated
//     log-compression model, LogCompression (dynamic range in dB as a
//     parameter), before averaging — areas, rates and ratios of a TIC are
//     meaningful only on a linear scale;
//   - rigid motion correction: each frame's translation estimated by
//     normalised cross-correlation in a search window (EstimateShift),
//     tracking the frames with a running template (MotionOptions); the
//     shifts are returned in Curves.Shifts;
//   - rejection of flash/destruction frames by a Hampel identifier on the
//     whole-frame mean (RejectFlash); the rejected frames are listed in
//     Curves.Rejected.
//
// Smooth (moving average) and Baseline (pre-contrast median) prepare a curve
// for the parameters.
//
// # Perfusion models
//
// Four indicator-dilution models, each zero before its arrival time t0 and of
// area auc (Strouthos et al., IEEE Trans UFFC 57:1296, 2010): Lognormal,
// GammaVariate, LDRW (local density random walk) and FPT (first passage
// time); their formulas and sources are on each variable. Fit fits one by
// least squares with gonum/optimize from starting values taken from the
// curve's shape and reports R² and RMSE; a fit that does not converge, or
// whose result is not a plausible bolus (R² below FitOptions.MinR2, peak
// outside the data, shape parameters out of range), is a *FitError (errors.Is
// ErrFit), never a set of numbers. The fits agree with
// scipy.optimize.curve_fit on the same curves to 1e-7 relative
// (testdata/scipy_fits.py, TestFitAgainstSciPy), and recover the parameters
// of curves simulated from known values, with and without noise, and of
// kernellib/synth's LognormalBolus exactly.
//
// # Parameters
//
// Parameters holds the descriptive parameters of a curve — arrival time AT,
// peak enhancement PE, time to peak TTP, rise time RT, fall time FT, mean
// transit time MTT, wash-in and wash-out rates WiR and WoR, wash-in,
// wash-out and total areas WiAUC, WoAUC, WiWoAUC and AUC, and the wash-in
// perfusion index WiPI — with their definitions (Tranquart et al., Ultraschall
// Med 33 Suppl 1:S31, 2012). ModelFree computes them on the samples,
// FitResult.Parameters on a fitted model, and Ratios gives the
// lesion-to-liver ratios. Times AT, TTP and MTT (and a fit's t0) are
// measured from the curve's time origin: in AnalyseCurves and CohortFeatures
// the injection when it is known (the cohort's injection_offset_s),
// otherwise the lesion's contrast arrival (below), otherwise the first
// frame; RT and FT are durations.
//
// # Contrast arrival
//
// A real cohort often lacks the injection time. Arrival finds where a curve
// leaves its pre-contrast baseline: the first run of 3 samples above the
// baseline median + 3 robust SDs (1.4826·MAD of the pre-contrast samples),
// the threshold crossing interpolated between samples (the definitions and
// the source are on Arrival). AnalyseCurves applies it to the raw mean of the
// first ROI (the lesion) and to the whole-frame mean, and reports both on the
// cine's clock (seconds after the first frame) as Analysis.Arrival and
// FrameArrival; without an injection time the lesion's arrival becomes the
// time origin, and Analysis.TimeOrigin says which origin was used
// ("injection", "arrival", "first_frame"). CohortFeatures writes the
// columns time_origin and arrival_s, `ceusrad tic -json` the keys
// time_origin, origin_s, arrival_s and frame_arrival_s.
//
// Measured on the default synthetic cohort (130 patients, `make data`) with
// every injection_offset_s removed, against the simulator's truth
// (injection_offset_s + the lesion's arrival t_a of kernellib/synth's
// latent.csv): median absolute error 1.49 s, every error between +0.90 and
// +1.96 s (90th percentile of |error| 1.81 s; 2 frames/s cines). The error
// is a lag, never early: the threshold is reached when the lognormal wash-in
// has risen by 3 SDs, about 1.5 s after it starts
// (TestArrivalSyntheticCohort; re-run with
// `go test -run TestArrivalSyntheticCohort -v ./kernellib/tic/`). R-TIC
// fitted on that cohort with and without the injection times has the same
// validation AUC, 0.799 (95% CI 0.632–0.965) both times: the chosen
// pipeline selects lesion/liver ratios of intensities and areas, which do
// not depend on the time origin (TestRTICWithoutInjectionTimes in
// kernellib/study; `go test -run TestRTICWithoutInjectionTimes -v
// ./kernellib/study/`, about 35 s on two cores).
//
// # Analysis and the cohort table
//
// Analyse (and AnalyseCurves) run the whole chain on one cine: extraction,
// origin, baseline subtraction, model-free parameters on the smoothed
// enhancement, fits of Options.Models to the unsmoothed enhancement.
// CohortFeatures does so for every patient of a cohort manifest, in parallel
// and deterministically, with a progress callback, and returns a gota
// DataFrame: patient_id, tic_status (the failed fits, "" when none),
// time_origin and arrival_s (string columns: they describe the analysis, they
// are no features) and the numeric features named by Analysis.Features
// (lesion_mf_pe, lesion_lognormal_ttp, ratio_mf_wiauc, ...).
//
// # Performance
//
// Measured on the project's 2-core machine, shared with other work (so the
// figures vary by up to a factor 2; go test -bench . -benchtime 100x):
// extraction of the lesion and liver curves of a 261-frame 128×128 8-bit
// cine held in memory runs at 1.1–2.8 GB/s of frame data on one core,
// display or linearised (BenchmarkExtract); from the DICOM file, reader
// included, at 230–430 MB/s (BenchmarkExtractDICOM); motion correction
// costs about 1 ms per frame. One fit of 261 samples takes 10–13 ms
// (BenchmarkFit), and the feature table of the whole default cohort (130
// patients, lognormal fits) 3.5–4.1 s on two cores (BenchmarkCohortFeatures).
package tic
