#!/usr/bin/env Rscript
# proc_omnibus.R writes proc_omnibus.json, the reference of DeLong's omnibus
# test of k correlated AUCs (H0: theta_1 = ... = theta_k; DeLong, DeLong &
# Clarke-Pearson 1988, section 3) for omnibus_test.go.
#
# pROC has no omnibus test, so the statistic is formed here from pROC's own
# DeLong estimates: the AUCs (auc), the variances (var(method = "delong"))
# and the covariances (cov(method = "delong")) give S, and with L the
# successive differences,
#   chi2 = (L theta)' solve(L S L') (L theta),  df = qr(L S L')$rank,
#   p = pchisq(chi2, df, lower.tail = FALSE).
# The "singular" case gives a score twice (k = 4 with two identical scores):
# its reference is the test of the three distinct scores, formed the same way.
# Every k = 2 case also records roc.test's z (chi2 must be z^2).
#
# Run from the repository root:  Rscript --vanilla kernellib/roc/testdata/proc_omnibus.R
# Needs R with pROC (Debian r-cran-proc, 1.18); JSON is written by hand
# (17 significant digits) so that no other package is needed.

suppressMessages(library(pROC))

num <- function(x) sprintf("%.17g", x)
arr <- function(x) paste0("[", paste(num(x), collapse = ","), "]")
iarr <- function(x) paste0("[", paste(x, collapse = ","), "]")

omnibus <- function(truth, scores) {
  rocs <- lapply(scores, function(x) roc(truth, x, levels = c(0, 1), direction = "<", quiet = TRUE))
  k <- length(rocs)
  theta <- sapply(rocs, function(r) as.numeric(r$auc))
  S <- matrix(0, k, k)
  for (a in 1:k) for (b in 1:k) {
    S[a, b] <- if (a == b) var(rocs[[a]], method = "delong") else cov(rocs[[a]], rocs[[b]], method = "delong")
  }
  L <- matrix(0, k - 1, k)
  for (i in 1:(k - 1)) { L[i, i] <- 1; L[i, i + 1] <- -1 }
  V <- L %*% S %*% t(L)
  y <- L %*% theta
  chi2 <- as.numeric(t(y) %*% solve(V, y))
  df <- qr(V)$rank
  out <- list(theta = theta, S = S, chi2 = chi2, df = df, p = pchisq(chi2, df, lower.tail = FALSE))
  if (k == 2) {
    out$z <- unname(roc.test(rocs[[1]], rocs[[2]], method = "delong", paired = TRUE)$statistic)
  }
  out
}

cases <- character(0)
add <- function(name, truth, scores, ref = scores) {
  o <- omnibus(truth, ref)
  z <- if (!is.null(o$z)) paste0(',"z":', num(o$z)) else ""
  cases <<- c(cases, paste0('{"name":"', name, '","truth":', iarr(truth),
    ',"scores":[', paste(sapply(scores, arr), collapse = ","), ']',
    ',"auc":', arr(o$theta), ',"cov":[', paste(apply(o$S, 1, arr), collapse = ","), ']',
    ',"chi2":', num(o$chi2), ',"df":', o$df, ',"p":', num(o$p), z, '}'))
}

# pROC's aSAH data: three markers of poor outcome after subarachnoid
# haemorrhage, with many ties (wfns is a 1-5 grade).
data(aSAH)
truth <- as.integer(aSAH$outcome == "Poor")
wfns <- as.numeric(as.character(aSAH$wfns))
add("asah_k3", truth, list(aSAH$s100b, aSAH$ndka, wfns))
add("asah_k2", truth, list(aSAH$s100b, wfns))

# Simulated correlated scores on a 1/64 grid (ties), k = 4, n = 60.
set.seed(20261205)
truth <- rep(c(0, 1), c(34, 26))
z <- rnorm(60)
b64 <- function(x) round(x * 64) / 64
s <- list(b64(z + 0.9 * truth), b64(0.7 * z + 0.7 * rnorm(60) + 0.6 * truth),
          b64(0.5 * z + 0.9 * rnorm(60) + 0.3 * truth), sample(1:5, 60, replace = TRUE) + truth)
add("sim_k4_ties", truth, s)

# k = 5, n = 200, scores on a 1/1024 grid (few ties), two nearly equal AUCs.
truth <- rep(c(0, 1), c(130, 70))
z <- rnorm(200)
b1024 <- function(x) round(x * 1024) / 1024
s <- lapply(c(1, 0.8, 0.8, 0.5, 0.2), function(d) b1024(0.6 * z + 0.8 * rnorm(200) + d * truth))
add("sim_k5", truth, s)

# A score given twice: L S L' is singular (rank 2 of 3); the reference is
# the test of the three distinct scores.
add("singular_k4", truth, list(s[[1]], s[[2]], s[[2]], s[[4]]), ref = list(s[[1]], s[[2]], s[[4]]))

writeLines(paste0('{"tool":"R ', R.version$major, ".", R.version$minor, ', pROC ', packageVersion("pROC"),
                  '","script":"proc_omnibus.R","cases":[', paste(cases, collapse = ",\n"), ']}'),
           "kernellib/roc/testdata/proc_omnibus.json")
