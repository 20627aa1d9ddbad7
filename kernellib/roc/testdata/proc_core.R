#!/usr/bin/env Rscript
# proc_core.R writes the pROC reference fixtures for the ROC curve, (partial)
# AUC, DeLong variance, covariance, confidence intervals and the paired and
# unpaired DeLong tests of package roc:
#
#   proc_core_cases.json     every case, its data and pROC's results
#   proc_core_large.csv.gz   the data of the n = 10^5 case (truth,s1,s2)
#
# Run from kernellib/roc:  Rscript testdata/proc_core.R
# Needs R with pROC (Debian r-cran-proc, 1.18) and jsonlite.
#
# All scores are integers or binary fractions (k/64, k/1024), so their decimal
# text is exact and R and Go read the same doubles. Results are written with
# 17 significant digits; non-finite values as the strings "Inf", "-Inf", "NA".

suppressMessages({
  library(pROC)
  library(jsonlite)
})

# jnum writes a numeric vector as a JSON array with 17 significant digits.
jnum <- function(x) {
  s <- ifelse(is.na(x), '"NA"',
       ifelse(is.infinite(x), ifelse(x > 0, '"Inf"', '"-Inf"'),
              sprintf("%.17g", x)))
  structure(paste0("[", paste(s, collapse = ","), "]"), class = "json")
}
# jone writes one number.
jone <- function(x) {
  stopifnot(length(x) == 1)
  s <- if (is.na(x)) '"NA"' else if (is.infinite(x)) (if (x > 0) '"Inf"' else '"-Inf"') else sprintf("%.17g", x)
  structure(s, class = "json")
}

mkroc <- function(truth, x, dir) {
  roc(truth, x, levels = c(0, 1), direction = dir, quiet = TRUE)
}

# The partial AUC ranges checked on every case: focus, the two limits.
pauc.specs <- list(
  list("specificity", 1, 0.8), list("specificity", 0.9, 0.7),
  list("specificity", 0.6, 0.55), list("specificity", 0.5, 0),
  list("sensitivity", 1, 0.9), list("sensitivity", 0.8, 0.6),
  list("sensitivity", 0.3, 0.28), list("specificity", 0.75, 0.25))

one.model <- function(truth, x, dir, curve = TRUE, sample.points = FALSE) {
  r <- mkroc(truth, x, dir)
  a <- as.numeric(r$auc)
  v <- suppressWarnings(var(r, method = "delong"))
  ci95 <- as.numeric(suppressWarnings(ci.auc(r, method = "delong", conf.level = 0.95)))
  ci90 <- as.numeric(suppressWarnings(ci.auc(r, method = "delong", conf.level = 0.90)))
  # Logit-scale CI and the test of AUC = 0.5, by their formulas (pROC has
  # neither): logit(a) -+ z sqrt(v) / (a (1 - a)), back-transformed.
  z975 <- qnorm(0.975)
  if (a > 0 && a < 1) {
    lg <- plogis(qlogis(a) + c(-1, 1) * z975 * sqrt(v) / (a * (1 - a)))
  } else {
    lg <- c(a, a)
  }
  z05 <- (a - 0.5) / sqrt(v)
  p05 <- 2 * pnorm(-abs(z05))
  z07 <- (a - 0.7) / sqrt(v)
  p07 <- 2 * pnorm(-abs(z07))
  paucs <- lapply(pauc.specs, function(s) {
    raw <- as.numeric(auc(r, partial.auc = c(s[[2]], s[[3]]), partial.auc.focus = s[[1]]))
    cor <- suppressWarnings(as.numeric(auc(r, partial.auc = c(s[[2]], s[[3]]),
                                           partial.auc.focus = s[[1]], partial.auc.correct = TRUE)))
    list(focus = s[[1]], from = jone(s[[2]]), to = jone(s[[3]]), value = jone(raw), corrected = jone(cor))
  })
  m <- list(auc = jone(a), var = jone(v), ci95 = jnum(ci95[c(1, 3)]), ci90 = jnum(ci90[c(1, 3)]),
            logit_ci95 = jnum(lg), z05 = jone(z05), p05 = jone(p05), z07 = jone(z07), p07 = jone(p07),
            n_thresholds = length(r$thresholds), pauc = paucs)
  if (curve) {
    m$thresholds <- jnum(r$thresholds)
    m$sensitivities <- jnum(r$sensitivities)
    m$specificities <- jnum(r$specificities)
  }
  if (sample.points) {
    idx <- unique(round(seq(1, length(r$thresholds), length.out = 60)))
    m$sample_index <- jnum(idx - 1) # 0-based
    m$thresholds <- jnum(r$thresholds[idx])
    m$sensitivities <- jnum(r$sensitivities[idx])
    m$specificities <- jnum(r$specificities[idx])
  }
  list(roc = r, json = m)
}

one.case <- function(name, truth, scores, dir, inline = TRUE, curve = TRUE, sample.points = FALSE) {
  models <- lapply(scores, function(x) one.model(truth, x, dir, curve, sample.points))
  k <- length(scores)
  paired <- list()
  praw <- c()
  for (a in seq_len(k - 1)) for (b in (a + 1):k) {
    ra <- models[[a]]$roc
    rb <- models[[b]]$roc
    t95 <- suppressWarnings(roc.test(ra, rb, method = "delong", paired = TRUE, conf.level = 0.95))
    t90 <- suppressWarnings(roc.test(ra, rb, method = "delong", paired = TRUE, conf.level = 0.90))
    cv <- suppressWarnings(cov(ra, rb, method = "delong"))
    paired[[length(paired) + 1]] <- list(
      a = a - 1, b = b - 1,
      diff = jone(as.numeric(ra$auc) - as.numeric(rb$auc)),
      z = jone(unname(t95$statistic)), p = jone(t95$p.value),
      ci95 = jnum(as.numeric(t95$conf.int)), ci90 = jnum(as.numeric(t90$conf.int)),
      cov = jone(cv))
    praw <- c(praw, t95$p.value)
  }
  out <- list(name = name, direction = dir, n_cases = sum(truth == 1), n_controls = sum(truth == 0),
              models = lapply(models, function(m) m$json), paired = paired)
  if (k > 1) {
    out$p_holm <- jnum(p.adjust(praw, "holm"))
    out$p_bonferroni <- jnum(p.adjust(praw, "bonferroni"))
  }
  if (inline) {
    out$truth <- truth
    out$scores <- lapply(scores, jnum)
  } else {
    out$data_file <- "proc_core_large.csv.gz"
  }
  list(json = out, rocs = lapply(models, function(m) m$roc))
}

cases <- list()
rocs <- list()
add <- function(name, truth, scores, dir, ...) {
  c1 <- one.case(name, truth, scores, dir, ...)
  cases[[length(cases) + 1]] <<- c1$json
  rocs[[name]] <<- c1$rocs
}
b64 <- function(x) round(x * 64) / 64
b1024 <- function(x) round(x * 1024) / 1024

# Ties: scores on a 1/4 grid and on 5 levels.
set.seed(20240601)
truth <- rep(c(0, 1), c(22, 18))
s1 <- round(rnorm(40, 0.8 * truth) * 4) / 4
s2 <- round((0.5 * s1 + rnorm(40)) * 4) / 4
s3 <- sample(1:5, 40, replace = TRUE) + truth
add("ties", truth, list(s1, s2, s3), "<")

# Controls higher (direction ">"), with ties.
set.seed(7)
truth <- rep(c(1, 0), c(25, 30))
s1 <- b64(rnorm(55, -0.9 * truth))
s2 <- b64(0.4 * s1 + rnorm(55, -0.5 * truth))
s3 <- round(rnorm(55, -truth))
add("controls_higher", truth, list(s1, s2, s3), ">")

# Heavy imbalance: 5 cases, 200 controls.
set.seed(11)
truth <- rep(c(0, 1), c(200, 5))
s1 <- b1024(rnorm(205, 1.2 * truth))
s2 <- b1024(0.5 * s1 + rnorm(205, 0.6 * truth))
add("imbalance_5_200", truth, list(s1, s2), "<")
add("imbalance_5_200_gt", truth, list(-s1, -s2), ">")

# Tiny samples.
add("tiny_2v2", c(0, 0, 1, 1), list(c(0.25, 0.625, 0.5, 0.875), c(0.375, 0.375, 0.5, 0.375)), "<")
add("tiny_3v4", c(0, 1, 0, 1, 0, 1, 0), list(c(1, 3, 2, 2, 5, 6, 0), c(0.5, 0.75, 0.5, 0.25, 0.125, 1, 0.5)), "<")

# Perfect separation (variance of the first AUC is 0), and both perfect.
truth <- rep(c(0, 1), c(6, 5))
add("perfect", truth, list(c(1:6, 7:11), c(3, 1, 8, 2, 9, 4, 5, 10, 6, 11, 7)), "<")
add("perfect_both", truth, list(c(1:6, 7:11), c(1:6, 7:11) * 2), "<")

# A score below the diagonal (McClish correction undefined).
set.seed(3)
truth <- rep(c(0, 1), c(30, 20))
s1 <- b64(rnorm(50, -0.7 * truth))
s2 <- b64(rnorm(50, 0.7 * truth))
add("below_diagonal", truth, list(s1, s2), "<")

# Three correlated binormal scores, n = 300.
set.seed(42)
truth <- rep(c(0, 1), c(180, 120))
z <- rnorm(300)
s1 <- b1024(z + 1.0 * truth)
s2 <- b1024(0.7 * z + 0.7 * rnorm(300) + 0.8 * truth)
s3 <- b1024(rnorm(300) + 0.3 * truth)
add("binormal_300", truth, list(s1, s2, s3), "<")

# pROC's aSAH data (s100b, ndka, wfns) and its published examples:
# auc(roc(aSAH$outcome, aSAH$s100b)) = 0.7314, 95% CI 0.6301-0.8326 (DeLong);
# roc.test(s100b, wfns): Z = -2.209, p = 0.02718; corrected pAUC (se 1-0.8) = 0.5801;
# unpaired roc.test(all 113, first 100): D = 0.16859, df = 205.38, p = 0.8663.
data(aSAH)
truth <- as.numeric(aSAH$outcome == "Poor")
wfns <- as.numeric(as.character(aSAH$wfns))
add("aSAH", truth, list(aSAH$s100b, aSAH$ndka, wfns), "<")
add("aSAH_first100", truth[1:100], list(aSAH$s100b[1:100], aSAH$ndka[1:100]), "<")
r.s100b <- rocs[["aSAH"]][[1]]
r.wfns <- rocs[["aSAH"]][[3]]
stopifnot(round(as.numeric(r.s100b$auc), 4) == 0.7314)
stopifnot(all(round(as.numeric(ci.auc(r.s100b))[c(1, 3)], 4) == c(0.6301, 0.8326)))
t.pub <- roc.test(r.s100b, r.wfns)
stopifnot(round(t.pub$statistic, 3) == -2.209, signif(t.pub$p.value, 4) == 0.02718)
stopifnot(round(as.numeric(auc(r.s100b, partial.auc = c(1, .8), partial.auc.focus = "se",
                               partial.auc.correct = TRUE)), 4) == 0.5801)

# n = 10^5, integer scores (ties), prevalence 0.3; data in a gzipped CSV.
set.seed(100000)
n <- 100000
truth <- as.numeric(runif(n) < 0.3)
z <- rnorm(n)
s1 <- round(1000 * (z + 0.5 * truth))
s2 <- round(1000 * (0.6 * z + 0.8 * rnorm(n) + 0.4 * truth))
gz <- gzfile("testdata/proc_core_large.csv.gz", "w")
write.csv(data.frame(truth = truth, s1 = s1, s2 = s2), gz, row.names = FALSE, quote = FALSE)
close(gz)
back <- read.csv("testdata/proc_core_large.csv.gz")
stopifnot(identical(as.numeric(back$truth), truth), identical(as.numeric(back$s1), s1), identical(as.numeric(back$s2), s2))
add("large_1e5", truth, list(s1, s2), "<", inline = FALSE, curve = FALSE, sample.points = TRUE)

# Unpaired DeLong tests (roc.test(method = "delong", paired = FALSE)) between
# scores of different cases: case name and 0-based score index of each side.
unpaired.specs <- list(
  list("aSAH", 0, "aSAH_first100", 0), list("ties", 0, "imbalance_5_200", 0),
  list("tiny_2v2", 1, "tiny_3v4", 0), list("controls_higher", 0, "controls_higher", 2),
  list("binormal_300", 2, "large_1e5", 1), list("perfect", 0, "ties", 1),
  list("below_diagonal", 0, "binormal_300", 0))
unpaired <- lapply(unpaired.specs, function(s) {
  r1 <- rocs[[s[[1]]]][[s[[2]] + 1]]
  r2 <- rocs[[s[[3]]]][[s[[4]] + 1]]
  t <- suppressWarnings(roc.test(r1, r2, method = "delong", paired = FALSE))
  list(a = s[[1]], ai = s[[2]], b = s[[3]], bi = s[[4]],
       t = jone(unname(t$statistic)), df = jone(unname(t$parameter)), p = jone(t$p.value))
})
pub <- unpaired[[1]]
t.un <- roc.test(rocs[["aSAH"]][[1]], rocs[["aSAH_first100"]][[1]], method = "delong", paired = FALSE)
stopifnot(round(t.un$statistic, 5) == 0.16859, round(t.un$parameter, 2) == 205.38, round(t.un$p.value, 4) == 0.8663)

out <- list(tool = paste("pROC", as.character(packageVersion("pROC"))),
            r = R.version.string, jsonlite = as.character(packageVersion("jsonlite")),
            cases = cases, unpaired = unpaired)
writeLines(toJSON(out, auto_unbox = TRUE, json_verbatim = TRUE, digits = NA), "testdata/proc_core_cases.json")
