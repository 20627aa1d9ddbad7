# proc_band.R writes proc_band.json: pROC's coords(input = "specificity")
# sensitivities (exact) and ci.se bootstrap bands (Monte Carlo) on pROC's
# aSAH data, for band_test.go.
#   Rscript --vanilla kernellib/roc/testdata/proc_band.R
suppressMessages({library(pROC); library(jsonlite)})
data(aSAH)
set.seed(20261127)
specs <- c(0, 0.05, 0.1, 0.25, 0.5, 0.6, 0.75, 0.9, 0.95, 1)
out <- list(proc_version = as.character(packageVersion("pROC")),
            r_version = R.version.string,
            outcome = as.integer(aSAH$outcome == "Poor"),
            specificities = specs, cases = list())
for (v in c("s100b", "wfns")) {
  r <- roc(aSAH$outcome, aSAH[[v]], levels = c("Good", "Poor"), direction = "<", quiet = TRUE)
  se <- coords(r, specs, input = "specificity", ret = "sensitivity", transpose = FALSE)[, 1]
  boot.n <- 10000
  ci <- ci.se(r, specificities = specs, boot.n = boot.n, boot.stratified = TRUE, progress = "none")
  out$cases[[length(out$cases) + 1]] <- list(score_name = v, score = as.numeric(aSAH[[v]]),
    sensitivity = unname(se), boot_n = boot.n,
    lower = unname(ci[, 1]), median = unname(ci[, 2]), upper = unname(ci[, 3]))
}
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE), "kernellib/roc/testdata/proc_band.json")
