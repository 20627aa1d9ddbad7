# Times pROC's stratified bootstrap CI of the AUC for bootstrap_side_by_side.sh.
# Usage: Rscript --vanilla bootstrap_side_by_side.R REPS N1 [N2 ...]
# Prints one line per size: "n seconds" (the best of REPS runs of
# system.time), and pROC's interval on stderr.
suppressMessages(library(pROC))
args <- commandArgs(trailingOnly = TRUE)
reps <- as.integer(args[1])
for (n in as.integer(args[-1])) {
  # The design of bootBenchData in bench_bootstrap_test.go: 30% cases,
  # control scores N(0, 1), case scores shifted by 1, truncated to 3 decimals.
  set.seed(7)
  truth <- as.numeric(runif(n) < 0.3)
  x <- trunc((rnorm(n) + truth) * 1000) / 1000
  r <- roc(truth, x, levels = c(0, 1), direction = "<", quiet = TRUE)
  best <- Inf
  for (i in seq_len(reps)) {
    t <- system.time(ci <- ci.auc(r, method = "bootstrap", boot.n = 2000,
                                  boot.stratified = TRUE, progress = "none"))[["elapsed"]]
    best <- min(best, t)
  }
  cat(sprintf("%d %.4f\n", n, best))
  cat(sprintf("pROC %s, n = %d: AUC %.4f, 95%% CI %.4f-%.4f\n", packageVersion("pROC"), n,
              as.numeric(r$auc), ci[1], ci[3]), file = stderr())
}
