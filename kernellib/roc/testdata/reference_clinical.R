# reference_clinical.R writes clinical_r.json, the reference values for the
# operating points, binomial intervals, calibration, decision curves and
# reclassification measures of package roc.
#
#   cd kernellib/roc/testdata && Rscript reference_clinical.R
#
# Needs R with pROC (Debian r-cran-proc) and nothing else: optimal
# thresholds come from pROC::coords, counts at a threshold from pROC::coords
# and from direct counting, Clopper–Pearson intervals from stats::binom.test,
# Wilson intervals from stats::prop.test(correct = FALSE) and from the
# formula, the calibration intercept and slope from stats::glm, and the
# Hosmer–Lemeshow test, calibration curves, net benefit, NRI and IDI from
# the formulas of their papers, written below independently of the Go code.
# Numbers are written with 17 significant digits so that they round-trip.

suppressPackageStartupMessages(library(pROC))

# ---- a minimal JSON writer with full precision ------------------------------
arr <- function(x) structure(x, jarray = TRUE)
json <- function(x) {
  if (is.list(x)) {
    if (!is.null(names(x))) {
      items <- mapply(function(k, v) paste0('"', k, '":', json(v)), names(x), x)
      return(paste0("{", paste(items, collapse = ","), "}"))
    }
    return(paste0("[", paste(vapply(x, json, ""), collapse = ","), "]"))
  }
  one <- function(v) {
    if (is.character(v)) return(paste0('"', v, '"'))
    if (is.logical(v)) return(if (is.na(v)) "null" else if (v) "true" else "false")
    if (is.na(v) && !is.nan(v)) return("null")
    if (is.nan(v)) return('"NaN"')
    if (is.infinite(v)) return(if (v > 0) '"Inf"' else '"-Inf"')
    sprintf("%.17g", v)
  }
  s <- vapply(as.list(x), one, "")
  if (length(x) == 1 && is.null(attr(x, "jarray"))) return(s)
  paste0("[", paste(s, collapse = ","), "]")
}

out <- list(meta = list(
  tool = "R",
  R = R.version.string,
  pROC = as.character(packageVersion("pROC")),
  script = "reference_clinical.R"
))

# ---- data --------------------------------------------------------------------
set.seed(20240611)
n1 <- 35; n0 <- 45
cont_truth <- sample(c(rep(TRUE, n1), rep(FALSE, n0)))
cont_score <- ifelse(cont_truth, rnorm(n1 + n0, 1.1), rnorm(n1 + n0, 0))
data(aSAH)
datasets <- list(
  cont = list(score = cont_score, truth = cont_truth),
  ties = list(score = round(cont_score * 2) / 2, truth = cont_truth),
  grid = list(score = c(1, 2, 3, 4, 5, 6, 7, 8),
              truth = c(FALSE, TRUE, FALSE, TRUE, FALSE, TRUE, FALSE, TRUE)),
  asah_s100b = list(score = aSAH$s100b, truth = aSAH$outcome == "Poor"),
  asah_ndka = list(score = aSAH$ndka, truth = aSAH$outcome == "Poor"),
  asah_wfns = list(score = as.numeric(aSAH$wfns), truth = aSAH$outcome == "Poor")
)
out$datasets <- lapply(datasets, function(d) list(score = arr(d$score), truth = arr(d$truth)))

mkroc <- function(d, dir) {
  roc(response = d$truth, predictor = d$score, levels = c(FALSE, TRUE),
      direction = dir, quiet = TRUE)
}

# ---- optimal operating points: pROC::coords(x = "best") ---------------------
weights <- list(c(1, 0.5), c(2, 0.3), c(0.5, 0.8), c(1, 0.1))
best <- list()
for (dn in names(datasets)) for (dir in c("<", ">")) for (m in c("youden", "closest.topleft")) {
  for (w in weights) {
    r <- mkroc(datasets[[dn]], dir)
    co <- coords(r, "best", best.method = m, best.weights = w,
                 ret = c("threshold", "sensitivity", "specificity", m),
                 transpose = FALSE)
    o <- order(co$threshold)
    best[[length(best) + 1]] <- list(
      data = dn, direction = dir, method = m, weights = arr(w),
      threshold = arr(co$threshold[o]), sensitivity = arr(co$sensitivity[o]),
      specificity = arr(co$specificity[o]), criterion = arr(co[[m]][o]))
  }
}
out$best <- best

# ---- binomial intervals -------------------------------------------------------
wilson_formula <- function(x, n, level) {
  z <- qnorm((1 + level) / 2)
  p <- x / n
  centre <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
  half <- z / (1 + z^2 / n) * sqrt(p * (1 - p) / n + z^2 / (4 * n^2))
  c(if (x == 0) 0 else centre - half, if (x == n) 1 else centre + half)
}
binom_ref <- function(x, n, level) {
  if (n == 0) {
    return(list(x = x, n = n, level = level, est = NaN,
                exact = arr(c(NaN, NaN)), wilson = arr(c(NaN, NaN)),
                wilson_formula = arr(c(NaN, NaN))))
  }
  list(x = x, n = n, level = level, est = x / n,
       exact = arr(as.numeric(binom.test(x, n, conf.level = level)$conf.int)),
       wilson = arr(as.numeric(suppressWarnings(prop.test(x, n, conf.level = level, correct = FALSE))$conf.int)),
       wilson_formula = arr(wilson_formula(x, n, level)))
}
bins <- list(c(0, 10, 0.95), c(1, 10, 0.95), c(5, 10, 0.95), c(10, 10, 0.95),
             c(3, 7, 0.9), c(17, 43, 0.99), c(123, 400, 0.95), c(0, 1, 0.95),
             c(1, 1, 0.95), c(499, 1000, 0.8), c(2, 100000, 0.95),
             c(99998, 100000, 0.95), c(1, 2, 0.5), c(30, 31, 0.999))
out$binomial <- lapply(bins, function(b) binom_ref(b[1], b[2], b[3]))

# ---- accuracy at a threshold: pROC::coords(x = threshold) and direct counts --
at <- list()
for (dn in c("cont", "ties", "asah_s100b", "asah_wfns")) for (dir in c("<", ">")) {
  d <- datasets[[dn]]
  s <- sort(d$score)
  thr <- c(-Inf, s[5], (s[20] + s[21]) / 2, s[40], median(s), s[length(s) - 3], Inf)
  r <- mkroc(d, dir)
  co <- coords(r, thr, input = "threshold",
               ret = c("tp", "fp", "tn", "fn", "sensitivity", "specificity",
                       "accuracy", "ppv", "npv"), transpose = FALSE)
  for (i in seq_along(thr)) {
    pos <- if (dir == "<") d$score >= thr[i] else d$score <= thr[i]
    tp <- sum(pos & d$truth); fp <- sum(pos & !d$truth)
    fn <- sum(!pos & d$truth); tn <- sum(!pos & !d$truth)
    stopifnot(tp == round(co$tp[i]), fp == round(co$fp[i]),
              tn == round(co$tn[i]), fn == round(co$fn[i]))
    at[[length(at) + 1]] <- list(
      data = dn, direction = dir, threshold = thr[i], level = 0.95,
      tp = tp, fp = fp, tn = tn, fn = fn,
      proc = list(sensitivity = co$sensitivity[i], specificity = co$specificity[i],
                  accuracy = co$accuracy[i], ppv = co$ppv[i], npv = co$npv[i]),
      sensitivity = binom_ref(tp, tp + fn, 0.95),
      specificity = binom_ref(tn, tn + fp, 0.95),
      accuracy = binom_ref(tp + tn, tp + tn + fp + fn, 0.95),
      ppv = binom_ref(tp, tp + fp, 0.95),
      npv = binom_ref(tn, tn + fn, 0.95),
      f1 = if (2 * tp + fp + fn > 0) 2 * tp / (2 * tp + fp + fn) else NaN)
  }
}
out$at_threshold <- at

# ---- threshold fixed on training data, applied to validation data -----------
tv <- list()
train <- list(score = cont_score[1:50], truth = cont_truth[1:50])
valid <- list(score = cont_score[51:80], truth = cont_truth[51:80])
for (dir in c("<", ">")) for (m in c("youden", "closest.topleft")) for (w in list(c(1, 0.5), c(2, 0.3))) {
  co <- coords(mkroc(train, dir), "best", best.method = m, best.weights = w,
               ret = c("threshold", "sensitivity", "specificity"), transpose = FALSE)
  i <- which.min(co$threshold) # the lowest of tied optima
  thr <- co$threshold[i]
  cv <- coords(mkroc(valid, dir), thr, input = "threshold",
               ret = c("tp", "fp", "tn", "fn"), transpose = FALSE)
  tp <- round(cv$tp); fp <- round(cv$fp); tn <- round(cv$tn); fn <- round(cv$fn)
  tv[[length(tv) + 1]] <- list(
    direction = dir, method = m, weights = arr(w),
    train_threshold = thr, train_sensitivity = co$sensitivity[i],
    train_specificity = co$specificity[i],
    tp = tp, fp = fp, tn = tn, fn = fn,
    sensitivity = binom_ref(tp, tp + fn, 0.95),
    specificity = binom_ref(tn, tn + fp, 0.95))
}
out$train_validate <- list(train = list(score = arr(train$score), truth = arr(train$truth)),
                           valid = list(score = arr(valid$score), truth = arr(valid$truth)),
                           cases = tv)

# ---- calibration ----------------------------------------------------------------
ctl <- glm.control(epsilon = 1e-14, maxit = 100)
quantile_bins <- function(p, g) {
  br <- quantile(p, probs = (0:g) / g, type = 7, names = FALSE)
  if (!anyDuplicated(br)) {
    # ResourceSelection::hoslem.test's grouping
    return(list(bin = as.integer(cut(p, breaks = br, include.lowest = TRUE)), br = br))
  }
  # tied quantiles: bin j holds br[j] < p <= br[j+1] (empty bins dropped later)
  interior <- br[2:g]
  list(bin = vapply(p, function(v) sum(interior < v), 0) + 1, br = br)
}
uniform_bins <- function(p, g) {
  br <- (0:g) / g
  interior <- br[2:g]
  list(bin = vapply(p, function(v) sum(interior < v), 0) + 1, br = br)
}
curve_ref <- function(p, y, g, strategy, level) {
  b <- if (strategy == "quantile") quantile_bins(p, g) else uniform_bins(p, g)
  rows <- list()
  for (j in 1:g) {
    k <- b$bin == j
    if (!any(k)) next
    ev <- sum(y[k]); n <- sum(k)
    rows[[length(rows) + 1]] <- list(lo = b$br[j], hi = b$br[j + 1], n = n, events = ev,
                                     mean_predicted = mean(p[k]), observed = ev / n,
                                     wilson = arr(as.numeric(suppressWarnings(
                                       prop.test(ev, n, conf.level = level, correct = FALSE))$conf.int)))
  }
  list(bins = g, strategy = strategy, level = level, rows = rows)
}
hl_ref <- function(p, y, g) {
  b <- quantile_bins(p, g)
  chi <- 0; G <- 0; emin <- Inf
  for (j in 1:g) {
    k <- b$bin == j
    if (!any(k)) next
    G <- G + 1
    o1 <- sum(y[k]); e1 <- sum(p[k]); o0 <- sum(k) - o1; e0 <- sum(k) - e1
    chi <- chi + (o1 - e1)^2 / e1 + (o0 - e0)^2 / e0
    emin <- min(emin, e1, e0)
  }
  # df G - 2 where the model was fitted on these data (Hosmer & Lemeshow
  # 1980); G on a validation sample the model never saw (Hosmer, Lemeshow &
  # Sturdivant 2013, external validation).
  list(groups = g, chi2 = chi, df = G - 2, p = pchisq(chi, G - 2, lower.tail = FALSE),
       df_validation = G, p_validation = pchisq(chi, G, lower.tail = FALSE),
       min_expected = emin)
}
coef_ref <- function(fit, name, null) {
  est <- unname(coef(fit)[name]); se <- unname(sqrt(diag(vcov(fit)))[name])
  ci <- unname(confint.default(fit, level = 0.95)[name, ])
  z <- (est - null) / se
  list(est = est, se = se, ci = arr(ci), z = z, p = 2 * pnorm(-abs(z)))
}
calib_ref <- function(p, y) {
  lp <- qlogis(p)
  f1 <- glm(y ~ 1, offset = lp, family = binomial, control = ctl)
  f2 <- glm(y ~ lp, family = binomial, control = ctl)
  o <- sum(y); e <- sum(p); n <- length(y)
  se_log_oe <- sqrt(1 / o - 1 / n)
  z <- qnorm(0.975)
  brier <- mean((p - y)^2); bmax <- mean(y) * (1 - mean(y))
  list(
    p = arr(p), y = arr(y),
    in_the_large = coef_ref(f1, "(Intercept)", 0),
    intercept = coef_ref(f2, "(Intercept)", 0),
    slope = coef_ref(f2, "lp", 1),
    observed = o, expected = e, oe = o / e,
    oe_ci = arr(c(o / e * exp(-z * se_log_oe), o / e * exp(z * se_log_oe))),
    brier = brier, brier_max = bmax, brier_scaled = 1 - brier / bmax,
    curves = list(curve_ref(p, y, 10, "quantile", 0.95), curve_ref(p, y, 5, "quantile", 0.9),
                  curve_ref(p, y, 10, "uniform", 0.95), curve_ref(p, y, 7, "uniform", 0.95)),
    hl = list(hl_ref(p, y, 10), hl_ref(p, y, 8))
  )
}
set.seed(7)
x <- rnorm(400)
yA <- runif(400) < plogis(-1 + 1.2 * x)
pA <- plogis(-0.6 + 1.6 * x)
pB <- runif(60, 0.05, 0.95)
yB <- runif(60) < pB^1.3
pC <- pmin(pmax(round(pA, 2), 0.01), 0.99) # ties: duplicated quantiles
out$calibration <- list(
  overfit = calib_ref(pA, yA),
  small = calib_ref(pB, yB),
  tied = calib_ref(pC, yA)
)

# ---- decision curves -----------------------------------------------------------
dca_ref <- function(p, y, pts) {
  n <- length(y); prev <- mean(y)
  rows <- lapply(pts, function(pt) {
    tp <- sum(p >= pt & y); fp <- sum(p >= pt & !y)
    w <- pt / (1 - pt)
    nb <- tp / n - fp / n * w
    list(pt = pt, tp = tp, fp = fp, model = nb, treat_all = prev - (1 - prev) * w,
         treat_none = 0, standardized = nb / prev)
  })
  list(p = arr(p), y = arr(y), rows = rows)
}
pts <- c(0, 0.01, 0.05, seq(0.1, 0.9, by = 0.1), 0.95, 0.99)
out$dca <- list(overfit = dca_ref(pA, yA, pts), tied = dca_ref(pC, yA, c(0.1, 0.2, 0.25, 0.5)))

# ---- reclassification ------------------------------------------------------------
nri_parts <- function(up_e, down_e, up_n, down_n, ne, nn) {
  z <- qnorm(0.975)
  pue <- up_e / ne; pde <- down_e / ne; pun <- up_n / nn; pdn <- down_n / nn
  one <- function(est, v, v0) {
    list(est = est, se = sqrt(v), ci = arr(c(est - z * sqrt(v), est + z * sqrt(v))),
         se0 = sqrt(v0), z = est / sqrt(v0), p = 2 * pnorm(-abs(est / sqrt(v0))))
  }
  ve <- (pue + pde - (pue - pde)^2) / ne; vn <- (pun + pdn - (pdn - pun)^2) / nn
  v0e <- (pue + pde) / ne; v0n <- (pun + pdn) / nn
  list(up_events = up_e, down_events = down_e, up_nonevents = up_n, down_nonevents = down_n,
       event = one(pue - pde, ve, v0e), nonevent = one(pdn - pun, vn, v0n),
       total = one(pue - pde + pdn - pun, ve + vn, v0e + v0n))
}
nri_cat <- function(old, new, y, cut) {
  co <- findInterval(old, cut); cn <- findInterval(new, cut) # [c_k, c_k+1)
  c(nri_parts(sum(cn > co & y), sum(cn < co & y), sum(cn > co & !y), sum(cn < co & !y),
              sum(y), sum(!y)), list(cutoffs = arr(cut)))
}
nri_cont <- function(old, new, y) {
  nri_parts(sum(new > old & y), sum(new < old & y), sum(new > old & !y), sum(new < old & !y),
            sum(y), sum(!y))
}
idi_ref <- function(old, new, y) {
  d <- new - old
  so <- mean(old[y]) - mean(old[!y]); sn <- mean(new[y]) - mean(new[!y])
  idi <- mean(d[y]) - mean(d[!y])
  se <- sqrt(var(d[y]) / sum(y) + var(d[!y]) / sum(!y))
  z <- qnorm(0.975)
  list(slope_old = so, slope_new = sn, event = mean(d[y]), nonevent = -mean(d[!y]),
       est = idi, se = se, ci = arr(c(idi - z * se, idi + z * se)), z = idi / se,
       p = 2 * pnorm(-abs(idi / se)), relative = idi / so)
}
reclass_ref <- function(old, new, y, cuts) {
  list(old = arr(old), new = arr(new), y = arr(y),
       categorical = lapply(cuts, function(cut) nri_cat(old, new, y, cut)),
       continuous = nri_cont(old, new, y), idi = idi_ref(old, new, y))
}
set.seed(11)
x1 <- rnorm(500); x2 <- rnorm(500)
yr <- runif(500) < plogis(-1.5 + 0.8 * x1 + 0.7 * x2)
old <- unname(fitted(glm(yr ~ x1, family = binomial)))
new <- unname(fitted(glm(yr ~ x1 + x2, family = binomial)))
cuts <- list(c(0.1, 0.3), c(0.2), c(0.05, 0.1, 0.2, 0.4))
out$reclass <- list(
  main = reclass_ref(old, new, yr, cuts),
  tied = reclass_ref(round(old, 2), round(new, 2), yr, cuts),
  small = reclass_ref(old[1:30], new[1:30], yr[1:30], list(c(0.2)))
)

writeLines(json(out), "clinical_r.json")
