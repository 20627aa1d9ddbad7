// Package notebook is what ceusrad's notebooks share, so that their cells
// stay short: which cohort they analyse, where they write, and the study's
// results with the sizes read from the environment.
//
// # Environment
//
//   - CEUSRAD_COHORT: a cohort of your own — its folder (holding
//     cohort.csv) or the manifest itself (datasets/README.md gives the
//     format). Unset, the notebooks use the embedded synthetic cohort,
//     datasets/synthetic-tace, simulated on first use (synth.EnsureDefault).
//   - CEUSRAD_RESULTS_DIR: where tables, figures, results.json and the
//     CNN checkpoint go; default figures/. results.json is reused only for
//     the cohort content and the code that made it (its cohort_sha256 and
//     code_version; see study.LoadOrRun).
//   - CEUSRAD_CACHE_DIR: where the cohort files' SHA-256 are cached by
//     size, times and inode (study.HashCachePath); default ceusrad/ in the
//     user's cache folder (~/.cache on Linux). Safe to delete.
//   - CEUSRAD_SPLITS, CEUSRAD_CNN_SPLITS, CEUSRAD_BOOT, CEUSRAD_EPOCHS:
//     the study's sizes (study.RunOptions): re-drawn splits of the
//     robustness analysis (default 100), re-drawn splits that retrain the
//     CNN too (default 0), bootstrap replicates (2000) and the CNN's largest
//     number of epochs (its default, 60). make test runs the notebooks with
//     small values; make reproduce with the defaults.
//   - CEUSRAD_LIVE_TRAINING=1: 04_deep_cine trains its CNN anew with live
//     training curves instead of showing the study's network from its
//     bundle (Deep, StudyCNN).
//
// Every notebook goes through the same cohort and results, so
//
//	CEUSRAD_COHORT=/data/my-tace make reproduce
//
// runs the whole study on your cohort and writes figures/ for it.
package notebook
