#!/usr/bin/env Rscript
# proc_power.R writes proc_power.json, the pROC reference for power.go: every
# form of pROC's power.roc.test (Obuchowski & McClish 1997) with each unknown
# it can solve for:
#
#   one_auc     power.roc.test(auc = , ncases = , ncontrols = , kappa = ,
#               sig.level = , power = , alternative = ), the numeric form
#   params      power.roc.test(list(A1, B1, A2, B2, rn, ra, delta), ...),
#               the list form (binormal parameters of two correlated curves)
#   curves      power.roc.test(roc1, roc2, ...), method "delong" (pROC's
#               default) and "obuchowski" (binormal fit of each curve), on
#               pROC's aSAH data (s100b, wfns, ndka) and one simulated case
#   one_curve   power.roc.test(roc1, ...), one curve against AUC = 0.5
#
# Run from kernellib/roc:  Rscript testdata/proc_power.R
# Needs R with pROC (Debian r-cran-proc, 1.18); the JSON is written by the
# small writer below, so jsonlite is not needed.
#
# pROC solves for the AUC with uniroot at its default tolerance
# (.Machine$double.eps^0.25, about 1.2e-4), so its answer is the root only to
# that tolerance. Each such case also records "auc_root": uniroot on pROC's
# own objective (pROC:::power.roc.test.optimize.auc.function) over pROC's
# interval with tol = 1e-13, the root to which Go's answer is compared.
#
# Inputs a case leaves unknown are JSON null. Results are written with 17
# significant digits.

suppressMessages(library(pROC))

# tojson writes R values as JSON: a list with names as an object, without
# names as an array; class "json" as its text; a logical or integer vector or
# a character string of length one as a scalar, longer ones as arrays.
tojson <- function(x, indent = "") {
  inner <- paste0(indent, "  ")
  if (inherits(x, "json")) return(unclass(x))
  if (is.list(x)) {
    if (length(x) == 0) return(if (is.null(names(x))) "[]" else "{}")
    items <- vapply(x, tojson, "", indent = inner)
    if (!is.null(names(x))) items <- paste0('"', names(x), '": ', items)
    open <- if (is.null(names(x))) "[" else "{"
    close <- if (is.null(names(x))) "]" else "}"
    return(paste0(open, "\n", inner, paste(items, collapse = paste0(",\n", inner)), "\n", indent, close))
  }
  s <- if (is.logical(x)) ifelse(x, "true", "false")
       else if (is.character(x)) paste0('"', x, '"')
       else if (is.integer(x)) as.character(x)
       else stop("tojson: numbers go through jone or jnum")
  if (length(x) == 1) s else paste0("[", paste(s, collapse = ","), "]")
}

jone <- function(x) {
  if (is.null(x)) return(NULL)
  x <- as.numeric(x)
  stopifnot(length(x) == 1, is.finite(x))
  structure(sprintf("%.17g", x), class = "json")
}
jnum <- function(x) structure(paste0("[", paste(sprintf("%.17g", as.numeric(x)), collapse = ","), "]"),
                              class = "json")
# nul writes NULL as JSON null (jsonlite drops NULL list elements otherwise).
nul <- function(x) if (is.null(x)) structure("null", class = "json") else jone(x)

result <- function(p) list(
  cases = nul(p$ncases), controls = nul(p$ncontrols),
  alpha = nul(p$sig.level), power = nul(p$power))

# --- the numeric form: one AUC against 0.5 --------------------------------
one_auc <- list()
add_one <- function(name, auc = NULL, ncases = NULL, ncontrols = NULL, kappa = 1,
                    sig.level = 0.05, power = NULL, alternative = "two.sided") {
  # The numeric method itself: power.roc.test dispatches on its first
  # argument, which is NULL when the AUC is the unknown.
  p <- pROC:::power.roc.test.numeric(auc = auc, ncases = ncases, ncontrols = ncontrols, kappa = kappa,
                      sig.level = sig.level, power = power, alternative = alternative)
  out <- list(name = name,
              input = list(auc = nul(auc), cases = nul(ncases), controls = nul(ncontrols),
                           kappa = nul(kappa), alpha = nul(sig.level), power = nul(power),
                           one_sided = alternative == "one.sided"),
              want = c(result(p), list(auc = jone(p$auc))))
  if (is.null(auc)) {
    sl <- if (alternative == "two.sided") sig.level / 2 else sig.level
    root <- uniroot(pROC:::power.roc.test.optimize.auc.function, interval = c(0.5, 1 - 1e-16),
                    ncontrols = p$ncontrols, ncases = p$ncases, zalpha = qnorm(1 - sl),
                    zbeta = qnorm(power), tol = 1e-13)
    out$auc_root <- jone(root$root)
  }
  one_auc[[length(one_auc) + 1]] <<- out
}
add_one("power, kappa 1", auc = 0.8, ncases = 41, ncontrols = 41)
add_one("power, paper's validation split", auc = 0.93, ncases = 27, ncontrols = 14)
add_one("power, one-sided, kappa 3", auc = 0.7, ncases = 20, ncontrols = 60, alternative = "one.sided")
add_one("power from controls and kappa", auc = 0.75, ncontrols = 60, kappa = 1.5)
add_one("power from cases and default kappa", auc = 0.66, ncases = 75)
add_one("cases, kappa 1", auc = 0.8, power = 0.9)
add_one("cases, kappa 2.5, alpha 0.01", auc = 0.75, power = 0.8, kappa = 2.5, sig.level = 0.01)
add_one("cases, one-sided, kappa 0.5", auc = 0.9, power = 0.95, kappa = 0.5, alternative = "one.sided")
add_one("alpha", auc = 0.8, ncases = 30, ncontrols = 45, power = 0.9, sig.level = NULL)
add_one("alpha, one-sided", auc = 0.72, ncases = 50, ncontrols = 50, power = 0.8, sig.level = NULL,
        alternative = "one.sided")
add_one("auc, kappa 1", ncases = 41, ncontrols = 41, power = 0.8)
add_one("auc, one-sided, kappa 3, alpha 0.01", ncases = 100, ncontrols = 300, power = 0.9,
        sig.level = 0.01, alternative = "one.sided")
add_one("auc, small study", ncases = 10, ncontrols = 12, power = 0.8)

# --- the list form: binormal parameters of two correlated curves ----------
params <- list()
add_params <- function(name, pars, ncases = NULL, ncontrols = NULL, kappa = 1,
                       sig.level = 0.05, power = NULL, alternative = "two.sided") {
  p <- power.roc.test(pars, ncases = ncases, ncontrols = ncontrols, kappa = kappa,
                      sig.level = sig.level, power = power, alternative = alternative)
  params[[length(params) + 1]] <<- list(
    name = name,
    params = lapply(pars, jone),
    input = list(cases = nul(ncases), controls = nul(ncontrols), kappa = nul(kappa),
                 alpha = nul(sig.level), power = nul(power), one_sided = alternative == "one.sided"),
    want = result(p))
}
pa <- list(A1 = 1.5, B1 = 1, A2 = 0.8, B2 = 1.2, rn = 0.4, ra = 0.6)
pa$delta <- pnorm(pa$A1 / sqrt(1 + pa$B1^2)) - pnorm(pa$A2 / sqrt(1 + pa$B2^2))
add_params("cases", pa, power = 0.8)
add_params("cases, kappa 2, one-sided", pa, power = 0.9, kappa = 2, alternative = "one.sided")
add_params("power", pa, ncases = 100, ncontrols = 150)
add_params("power from cases and kappa", pa, ncases = 60, kappa = 0.5)
add_params("alpha", pa, ncases = 200, ncontrols = 200, power = 0.9, sig.level = NULL)
# Equal-variance binormal curves with the paper's validation AUCs (R-DLCEUS
# 0.93, R-TIC 0.80) and correlation 0.5 in cases and controls: A = sqrt(2)
# qnorm(AUC), B = 1 (EqualVarianceParams in Go).
pe <- list(A1 = sqrt(2) * qnorm(0.93), B1 = 1, A2 = sqrt(2) * qnorm(0.80), B2 = 1,
           rn = 0.5, ra = 0.5, delta = 0.93 - 0.80)
add_params("paper AUCs, r 0.5: cases", pe, power = 0.8, kappa = 14 / 27)
add_params("paper AUCs, r 0.5: power at the validation split", pe, ncases = 27, ncontrols = 14)

# --- the roc form: two curves from data ------------------------------------
data(aSAH)
asah <- list(truth = as.integer(aSAH$outcome == "Poor"), s100b = aSAH$s100b,
             wfns = as.numeric(aSAH$wfns), ndka = aSAH$ndka)
set.seed(20261205)
nsim.cases <- 150
nsim.controls <- 200
z <- matrix(rnorm(2 * (nsim.cases + nsim.controls)), ncol = 2)
sim.truth <- c(rep(1L, nsim.cases), rep(0L, nsim.controls))
sim1 <- round((z[, 1] + 1.2 * sim.truth) * 64) / 64
sim2 <- round((0.6 * z[, 1] + 0.8 * z[, 2] + 0.7 * sim.truth) * 1.3 * 64) / 64
sim <- list(truth = sim.truth, a = sim1, b = sim2)

mkroc <- function(truth, x) roc(truth, x, levels = c(0, 1), direction = "<", quiet = TRUE)

curves <- list()
add_curves <- function(name, d, s1, s2, method, sig.level = 0.05, power = NULL, kappa = NULL,
                       alternative = "two.sided") {
  r1 <- mkroc(d$truth, d[[s1]])
  r2 <- mkroc(d$truth, d[[s2]])
  p <- power.roc.test(r1, r2, sig.level = sig.level, power = power, kappa = kappa,
                      alternative = alternative, method = method)
  curves[[length(curves) + 1]] <<- list(
    name = name, data = d$name, score1 = s1, score2 = s2, method = method,
    input = list(kappa = nul(kappa), alpha = nul(sig.level), power = nul(power),
                 one_sided = alternative == "one.sided"),
    want = c(result(p), list(auc1 = jone(p$auc1), auc2 = jone(p$auc2))))
}
asah$name <- "asah"
sim$name <- "simulated"
for (m in c("delong", "obuchowski")) {
  add_curves("s100b vs wfns: power", asah, "s100b", "wfns", m)
  add_curves("wfns vs s100b: power, one-sided", asah, "wfns", "s100b", m, alternative = "one.sided")
  add_curves("s100b vs wfns: cases", asah, "s100b", "wfns", m, power = 0.8)
  add_curves("s100b vs wfns: cases, kappa 1", asah, "s100b", "wfns", m, power = 0.9, kappa = 1)
  add_curves("s100b vs wfns: alpha", asah, "s100b", "wfns", m, power = 0.8, sig.level = NULL)
  add_curves("wfns vs ndka: power", asah, "wfns", "ndka", m)
  add_curves("ndka vs s100b: cases", asah, "ndka", "s100b", m, power = 0.8)
  add_curves("simulated: power", sim, "a", "b", m)
  add_curves("simulated: cases, one-sided", sim, "a", "b", m, power = 0.9, alternative = "one.sided")
  add_curves("simulated: alpha", sim, "a", "b", m, power = 0.95, sig.level = NULL)
}

# --- the roc form: one curve against 0.5 ----------------------------------
one_curve <- list()
add_one_curve <- function(name, d, s, sig.level = 0.05, power = NULL, kappa = NULL) {
  r <- mkroc(d$truth, d[[s]])
  p <- power.roc.test(r, sig.level = sig.level, power = power, kappa = kappa)
  one_curve[[length(one_curve) + 1]] <<- list(
    name = name, data = d$name, score = s,
    input = list(kappa = nul(kappa), alpha = nul(sig.level), power = nul(power)),
    want = c(result(p), list(auc = jone(p$auc))))
}
add_one_curve("ndka: power", asah, "ndka")
add_one_curve("s100b: cases", asah, "s100b", power = 0.9)
add_one_curve("s100b: cases, kappa 1", asah, "s100b", power = 0.9, kappa = 1)
add_one_curve("wfns: alpha", asah, "wfns", power = 0.99, sig.level = NULL)

out <- list(
  tool = sprintf("R %s, pROC %s", getRversion(), packageVersion("pROC")),
  data = list(
    asah = list(truth = asah$truth, s100b = jnum(asah$s100b), wfns = jnum(asah$wfns),
                ndka = jnum(asah$ndka)),
    simulated = list(truth = sim$truth, a = jnum(sim$a), b = jnum(sim$b))),
  one_auc = one_auc, params = params, curves = curves, one_curve = one_curve)
writeLines(tojson(out), "testdata/proc_power.json")
