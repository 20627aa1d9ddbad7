# Writes the pROC fixtures of the bootstrap and permutation tests
# (testdata/proc_bootstrap_*.json) read by bootstrap_test.go and
# venkatraman_test.go.
#
# Run from kernellib/roc:  Rscript testdata/proc_bootstrap.R
# Needs R with pROC 1.18 (Debian r-cran-proc) and plyr (a pROC dependency).
#
# For every dataset it records pROC's
#   ci.auc(method = "bootstrap"), stratified and not;
#   ci.thresholds at given thresholds (bootstrap CI of Se and Sp);
#   roc.test(method = "bootstrap"), paired and unpaired;
#   roc.test(method = "venkatraman"), paired and unpaired;
# and, to size Monte-Carlo tolerances, the mean, standard deviation and
# kurtosis of pROC's own replicates, obtained by calling the same internal
# function pROC's ci.auc / ci.thresholds / roc.test call, with the same seed
# (the script checks that it reproduces pROC's interval, statistic and
# p-value exactly).
#
# Responses are 0 (control) / 1 (case). direction "<": cases higher;
# direction ">": controls higher. pROC's Venkatraman test ranks the raw
# predictor whatever the direction, so for a ">" score it is run on the
# negated score ("negate": true); the Go test passes the raw score with
# ControlsHigher.

suppressMessages(library(pROC))
stopifnot(packageVersion("pROC") >= "1.18")
tool <- sprintf("%s; pROC %s", R.version.string, as.character(packageVersion("pROC")))

# --- a small JSON writer with 17 significant digits --------------------------
num <- function(v) {
  ifelse(is.na(v), "null", ifelse(is.infinite(v), ifelse(v > 0, "1e999", "-1e999"),
                                  sprintf("%.17g", v)))
}
to_json <- function(x) {
  if (is.list(x)) {
    if (!is.null(names(x))) {
      items <- vapply(names(x), function(k) sprintf("\"%s\": %s", k, to_json(x[[k]])), "")
      return(paste0("{", paste(items, collapse = ",\n "), "}"))
    }
    return(paste0("[", paste(vapply(x, to_json, ""), collapse = ", "), "]"))
  }
  scalar <- length(x) == 1 && !inherits(x, "AsIs")
  s <- if (is.logical(x)) ifelse(x, "true", "false")
       else if (is.character(x)) sprintf("\"%s\"", x)
       else num(as.numeric(x))
  if (scalar) s else paste0("[", paste(s, collapse = ", "), "]")
}
write_fixture <- function(name, obj) {
  path <- file.path("testdata", sprintf("proc_bootstrap_%s.json", name))
  writeLines(to_json(obj), path)
  cat("wrote", path, "\n")
}

kurt <- function(v) mean((v - mean(v))^4) / mean((v - mean(v))^2)^2
moments <- function(v) list(mean = mean(v), sd = sd(v), kurtosis = kurt(v))
probs <- function(level) c((1 - level) / 2, 0.5, 1 - (1 - level) / 2)

mkroc <- function(truth, x, dir) roc(truth, x, levels = c(0, 1), direction = dir, quiet = TRUE)

# ci.auc(method = "bootstrap") and its replicates.
auc_ci <- function(d, score, dir, stratified, boot.n, seed, level = 0.95) {
  r <- mkroc(d$truth, d[[score]], dir)
  set.seed(seed)
  ci <- suppressWarnings(ci.auc(r, method = "bootstrap", boot.n = boot.n, conf.level = level,
                                boot.stratified = stratified, progress = "none"))
  set.seed(seed)
  f <- if (stratified) pROC:::stratified.ci.auc else pROC:::nonstratified.ci.auc
  aucs <- unlist(plyr::llply(1:boot.n, f, roc = r))
  n.na <- sum(is.na(aucs))
  aucs <- aucs[!is.na(aucs)]
  stopifnot(isTRUE(all.equal(as.numeric(ci), as.numeric(quantile(aucs, probs(level))), tolerance = 0)))
  c(list(score = score, direction = dir, stratified = stratified, boot_n = boot.n, seed = seed,
         level = level, auc = as.numeric(auc(r)), ci = I(as.numeric(ci)), n_na = n.na),
    replicates = list(moments(aucs)))
}

# ci.thresholds at given thresholds and its replicates.
thr_ci <- function(d, score, dir, thresholds, stratified, boot.n, seed, level = 0.95) {
  r <- mkroc(d$truth, d[[score]], dir)
  set.seed(seed)
  ci <- suppressWarnings(ci.thresholds(r, thresholds = thresholds, boot.n = boot.n,
                                       conf.level = level, boot.stratified = stratified,
                                       progress = "none"))
  set.seed(seed)
  f <- if (stratified) pROC:::stratified.ci.thresholds else pROC:::nonstratified.ci.thresholds
  perfs <- plyr::laply(1:boot.n, f, roc = r, thresholds = thresholds)
  out <- list()
  for (k in seq_along(thresholds)) {
    sp <- if (length(dim(perfs)) == 3) perfs[, 1, k] else perfs[, 1]
    se <- if (length(dim(perfs)) == 3) perfs[, 2, k] else perfs[, 2]
    ok <- !is.na(sp) & !is.na(se)
    stopifnot(isTRUE(all.equal(as.numeric(ci$sensitivity[k, ]),
                               as.numeric(quantile(se[ok], probs(level))), tolerance = 0)))
    out[[k]] <- list(score = score, direction = dir, stratified = stratified, boot_n = boot.n,
                     seed = seed, level = level, threshold = thresholds[k],
                     se_ci = I(as.numeric(ci$sensitivity[k, ])),
                     sp_ci = I(as.numeric(ci$specificity[k, ])),
                     se_replicates = moments(se[ok]), sp_replicates = moments(sp[ok]),
                     n_na = sum(!ok))
  }
  out
}

# roc.test(method = "bootstrap"), paired: both scores on d; unpaired: two samples.
boot_test <- function(r1, r2, paired, stratified, boot.n, seed) {
  set.seed(seed)
  t <- suppressWarnings(roc.test(r1, r2, method = "bootstrap", paired = paired, boot.n = boot.n,
                                 boot.stratified = stratified, progress = "none"))
  list(paired = paired, stratified = stratified, boot_n = boot.n, seed = seed,
       auc1 = as.numeric(auc(r1)), auc2 = as.numeric(auc(r2)),
       D = as.numeric(t$statistic), p = t$p.value)
}

# roc.test(method = "venkatraman") and its permutation distribution.
venk <- function(r1, r2, paired, boot.n, seed) {
  set.seed(seed)
  t <- roc.test(r1, r2, method = "venkatraman", paired = paired, boot.n = boot.n, progress = "none")
  set.seed(seed)
  f <- if (paired) pROC:::venkatraman.paired.test else pROC:::venkatraman.unpaired.test
  s <- f(r1, r2, boot.n, "first", "none", FALSE)
  stopifnot(s[[1]] == as.numeric(t$statistic), sum(s[[2]] >= s[[1]]) / boot.n == t$p.value)
  list(paired = paired, boot_n = boot.n, seed = seed, E = as.numeric(t$statistic), p = t$p.value,
       permutations = moments(s[[2]]))
}

sample_of <- function(d, score, keep) list(truth = I(d$truth[keep]), score = I(d[[score]][keep]))

# --- aSAH: pROC's own example data -----------------------------------------
data(aSAH)
asah <- list(truth = as.numeric(aSAH$outcome == "Poor"),
             s100b = aSAH$s100b, ndka = aSAH$ndka, wfns = as.numeric(as.character(aSAH$wfns)),
             male = aSAH$gender == "Male")
male <- asah$male
r_s100b <- mkroc(asah$truth, asah$s100b, "<")
r_wfns <- mkroc(asah$truth, asah$wfns, "<")
r_ndka <- mkroc(asah$truth, asah$ndka, "<")
r_male <- mkroc(asah$truth[male], asah$s100b[male], "<")
r_female <- mkroc(asah$truth[!male], asah$s100b[!male], "<")
write_fixture("asah", list(
  tool = tool,
  data = list(truth = I(asah$truth), s100b = I(asah$s100b), ndka = I(asah$ndka),
              wfns = I(asah$wfns), male = I(asah$male)),
  auc_ci = list(
    auc_ci(asah, "s100b", "<", TRUE, 10000, 101),
    auc_ci(asah, "s100b", "<", FALSE, 10000, 102),
    auc_ci(asah, "wfns", "<", TRUE, 10000, 103),
    auc_ci(asah, "ndka", "<", TRUE, 10000, 104, level = 0.9)),
  thresholds_ci = c(
    thr_ci(asah, "s100b", "<", c(0.205, 0.52), TRUE, 10000, 105),
    thr_ci(asah, "wfns", "<", 4.5, FALSE, 10000, 106)),
  boot_test = list(
    c(list(x = "s100b", y = "wfns", dir_x = "<", dir_y = "<"),
      boot_test(r_s100b, r_wfns, TRUE, TRUE, 10000, 107)),
    c(list(x = "s100b", y = "ndka", dir_x = "<", dir_y = "<"),
      boot_test(r_s100b, r_ndka, TRUE, FALSE, 10000, 108))),
  unpaired_boot_test = list(
    c(list(sample1 = sample_of(asah, "s100b", male), sample2 = sample_of(asah, "s100b", !male),
           dir_x = "<", dir_y = "<"),
      boot_test(r_male, r_female, FALSE, TRUE, 10000, 109))),
  venkatraman = list(
    c(list(x = "s100b", y = "wfns", dir_x = "<", dir_y = "<"),
      venk(r_s100b, r_wfns, TRUE, 10000, 110)),
    c(list(x = "s100b", y = "ndka", dir_x = "<", dir_y = "<"),
      venk(r_s100b, r_ndka, TRUE, 10000, 111))),
  unpaired_venkatraman = list(
    c(list(sample1 = sample_of(asah, "s100b", male), sample2 = sample_of(asah, "s100b", !male),
           dir_x = "<", dir_y = "<"),
      venk(r_male, r_female, FALSE, 10000, 112)),
    c(list(sample1 = sample_of(asah, "wfns", male), sample2 = sample_of(asah, "s100b", !male),
           dir_x = "<", dir_y = "<"),
      venk(mkroc(asah$truth[male], asah$wfns[male], "<"), r_female, FALSE, 10000, 113)))
))

# --- likert: a 1-5 reader rating (heavy ties) and a continuous score ---------
set.seed(20240601)
n <- 200
truth <- as.numeric(runif(n) < 0.35)
latent <- rnorm(n) + 1.1 * truth
rating <- as.numeric(cut(latent, c(-Inf, -0.8, 0, 0.7, 1.5, Inf), labels = FALSE))
score <- round(0.6 * latent + 0.8 * rnorm(n) + 0.5 * truth, 1)
lik <- list(truth = truth, rating = rating, score = score)
r_rating <- mkroc(truth, rating, "<")
r_score <- mkroc(truth, score, "<")
first <- seq_len(n) <= 110
write_fixture("likert", list(
  tool = tool,
  data = list(truth = I(truth), rating = I(rating), score = I(score)),
  auc_ci = list(
    auc_ci(lik, "rating", "<", TRUE, 10000, 201),
    auc_ci(lik, "rating", "<", FALSE, 10000, 202),
    auc_ci(lik, "score", "<", TRUE, 10000, 203)),
  thresholds_ci = c(
    thr_ci(lik, "rating", "<", c(3, 4), TRUE, 10000, 204),
    thr_ci(lik, "score", "<", 0.45, FALSE, 10000, 205)),
  boot_test = list(
    c(list(x = "rating", y = "score", dir_x = "<", dir_y = "<"),
      boot_test(r_rating, r_score, TRUE, TRUE, 10000, 206)),
    c(list(x = "rating", y = "score", dir_x = "<", dir_y = "<"),
      boot_test(r_rating, r_score, TRUE, FALSE, 10000, 207))),
  unpaired_boot_test = list(
    c(list(sample1 = sample_of(lik, "rating", first), sample2 = sample_of(lik, "score", !first),
           dir_x = "<", dir_y = "<"),
      boot_test(mkroc(truth[first], rating[first], "<"), mkroc(truth[!first], score[!first], "<"),
                FALSE, FALSE, 10000, 208))),
  venkatraman = list(
    c(list(x = "rating", y = "score", dir_x = "<", dir_y = "<"),
      venk(r_rating, r_score, TRUE, 5000, 209))),
  unpaired_venkatraman = list(
    c(list(sample1 = sample_of(lik, "rating", first), sample2 = sample_of(lik, "score", !first),
           dir_x = "<", dir_y = "<"),
      venk(mkroc(truth[first], rating[first], "<"), mkroc(truth[!first], score[!first], "<"),
           FALSE, 5000, 210)))
))

# --- imbalanced: 8% cases; "marker" points the other way (controls higher) ---
set.seed(20240602)
n <- 400
truth <- as.numeric(seq_len(n) %% 12 == 0 | runif(n) < 0.001)
marker <- round(exp(rnorm(n, 1 - 0.9 * truth, 0.6)), 2)  # lower in cases
prob <- round(plogis(-2.5 + 1.4 * truth + rnorm(n)), 3)
imb <- list(truth = truth, marker = marker, prob = prob, neg_marker = -marker)
r_marker <- mkroc(truth, marker, ">")
r_prob <- mkroc(truth, prob, "<")
r_negmarker <- mkroc(truth, -marker, "<")
write_fixture("imbalanced", list(
  tool = tool,
  data = list(truth = I(truth), marker = I(marker), prob = I(prob)),
  auc_ci = list(
    auc_ci(imb, "marker", ">", TRUE, 10000, 301),
    auc_ci(imb, "prob", "<", TRUE, 10000, 302),
    auc_ci(imb, "prob", "<", FALSE, 10000, 303)),
  thresholds_ci = c(
    thr_ci(imb, "marker", ">", 1.8, TRUE, 10000, 304),
    thr_ci(imb, "prob", "<", 0.12, FALSE, 10000, 305)),
  boot_test = list(
    c(list(x = "marker", y = "prob", dir_x = ">", dir_y = "<"),
      boot_test(r_marker, r_prob, TRUE, TRUE, 10000, 306))),
  unpaired_boot_test = list(),
  venkatraman = list(
    c(list(x = "marker", y = "prob", dir_x = ">", dir_y = "<", negate_x = TRUE),
      venk(r_negmarker, r_prob, TRUE, 5000, 307))),
  unpaired_venkatraman = list()
))

# --- tiny: 3 cases in 20, plain bootstrap drops one-class replicates ---------
set.seed(20240603)
truth <- c(rep(1, 3), rep(0, 17))
x <- round(rnorm(20) + 1.2 * truth, 1)
tiny <- list(truth = truth, x = x)
write_fixture("tiny", list(
  tool = tool,
  data = list(truth = I(truth), x = I(x)),
  auc_ci = list(
    auc_ci(tiny, "x", "<", FALSE, 10000, 401),
    auc_ci(tiny, "x", "<", TRUE, 10000, 402)),
  thresholds_ci = thr_ci(tiny, "x", "<", 0.5, FALSE, 10000, 403),
  boot_test = list(), unpaired_boot_test = list(), venkatraman = list(), unpaired_venkatraman = list()
))
