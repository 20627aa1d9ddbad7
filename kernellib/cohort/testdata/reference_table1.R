# reference_table1.R writes table1_reference_r.json, the second reference of
# package cohort's tests and Table 1: R's own implementations, run on the
# inputs that reference_table1.py stored in table1_reference.json and on
# table1_cohort.csv (run that script first).
#
#     cd kernellib/cohort/testdata && Rscript reference_table1.R
#
# Needs R (Debian r-base-core) and jsonlite. Per dataset: t.test (Welch),
# wilcox.test(exact = FALSE, correct = TRUE), shapiro.test (swilk.c, double
# precision), chisq.test(correct = TRUE) and fisher.test (2 x 2, and k x 2
# by the network algorithm); and Table 1 of the cohort by the rules of
# cohort.Table1, with shapiro.test deciding normality, quantile(type = 7).
# jsonlite writes numbers with at most 15 significant digits, far inside the
# 1e-9 relative tolerance of the tests.

suppressPackageStartupMessages(library(jsonlite))

ref <- fromJSON("table1_reference.json", simplifyVector = FALSE)
num <- function(x) if (is.na(x)) "NaN" else unname(x)

two <- lapply(ref$two_sample, function(d) {
  a <- unlist(d$a); b <- unlist(d$b)
  t <- t.test(a, b, var.equal = FALSE)
  w <- suppressWarnings(wilcox.test(a, b, exact = FALSE, correct = TRUE))
  rec <- list(name = d$name, welch_t = num(t$statistic), welch_df = num(t$parameter),
              welch_p = num(t$p.value), mwu_u = num(w$statistic), mwu_p = num(w$p.value))
  for (k in c("a", "b")) {
    x <- if (k == "a") a else b
    if (length(x) >= 3 && max(x) > min(x)) {
      s <- shapiro.test(x)
      rec[[paste0("shapiro_w_", k)]] <- num(s$statistic)
      rec[[paste0("shapiro_p_", k)]] <- num(s$p.value)
    }
  }
  rec
})

tabs <- lapply(ref$tables, function(d) {
  m <- do.call(rbind, lapply(d$table, unlist))
  c2 <- suppressWarnings(chisq.test(m, correct = TRUE))
  list(name = d$name, chi2 = num(c2$statistic), chi2_p = num(c2$p.value),
       chi2_df = num(c2$parameter), fisher_p = num(fisher.test(m)$p.value))
})

cohort <- read.csv("table1_cohort.csv", colClasses = "character",
                   na.strings = character(0))
missing <- function(s) tolower(trimws(s)) %in% c("", "na", "n/a", "nan", ".")
f1 <- function(x) if (is.na(x)) "NA" else sprintf("%.1f", x)

table1 <- function(group, a, b, variables, levels) {
  member <- ifelse(cohort[[group]] == a, 0L, 1L)
  N <- c(sum(member == 0L), sum(member == 1L))
  rows <- list(list(variable = "n", level = "", cells = as.character(N), p = NULL, test = ""))
  for (v in variables) {
    raw <- cohort[[v]]
    miss <- missing(raw)
    nums <- suppressWarnings(as.numeric(raw))
    numeric <- all(miss | !is.na(nums))
    if (numeric && length(unique(nums[!miss])) > 5) {
      x <- list(nums[!miss & member == 0L], nums[!miss & member == 1L])
      normal <- all(sapply(x, function(xs) shapiro.test(xs)$p.value >= 0.05))
      if (normal) {
        cells <- sapply(x, function(xs) paste(f1(mean(xs)), "±", f1(sd(xs))))
        rows[[length(rows) + 1]] <- list(variable = v, level = "mean ± SD", cells = cells,
          p = t.test(x[[1]], x[[2]])$p.value, test = "Welch t-test")
      } else {
        cells <- sapply(x, function(xs) {
          q <- quantile(xs, c(0.5, 0.25, 0.75), type = 7)
          sprintf("%s [%s, %s]", f1(q[1]), f1(q[2]), f1(q[3]))
        })
        p <- suppressWarnings(wilcox.test(x[[1]], x[[2]], exact = FALSE, correct = TRUE))$p.value
        rows[[length(rows) + 1]] <- list(variable = v, level = "median [Q1, Q3]",
          cells = cells, p = p, test = "Mann–Whitney U")
      }
    } else {
      vals <- ifelse(miss, NA, trimws(raw))
      if (numeric) vals <- ifelse(miss, NA, format(nums, trim = TRUE))
      present <- unique(vals[!is.na(vals)])
      present <- if (numeric) present[order(as.numeric(present))] else sort(present, method = "radix")
      lv <- c(levels[[v]], setdiff(present, levels[[v]]))
      tot <- c(sum(!is.na(vals) & member == 0L), sum(!is.na(vals) & member == 1L))
      head <- length(rows) + 1
      rows[[head]] <- list(variable = v, level = "n (%)", cells = c("", ""))
      tab <- NULL
      for (l in lv) {
        cnt <- c(sum(vals == l & member == 0L, na.rm = TRUE), sum(vals == l & member == 1L, na.rm = TRUE))
        rows[[length(rows) + 1]] <- list(variable = v, level = l, p = NULL, test = "",
          cells = sprintf("%d (%.1f)", cnt, 100 * cnt / tot))
        if (sum(cnt) > 0) tab <- rbind(tab, cnt)
      }
      e <- outer(rowSums(tab), colSums(tab)) / sum(tab)
      if (any(e < 5)) {
        rows[[head]]$p <- fisher.test(tab)$p.value
        rows[[head]]$test <- if (nrow(tab) == 2) "Fisher exact" else "Fisher–Freeman–Halton exact"
      } else {
        rows[[head]]$p <- chisq.test(tab, correct = TRUE)$p.value
        rows[[head]]$test <- if (nrow(tab) == 2) "χ² test (Yates)" else "χ² test"
      }
    }
    if (any(miss)) {
      rows[[length(rows) + 1]] <- list(variable = v, level = "missing, n", p = NULL, test = "",
        cells = as.character(c(sum(miss & member == 0L), sum(miss & member == 1L))))
    }
  }
  list(group = group, levels = c(a, b), n = N, rows = rows)
}

clinical <- c("age", "sex", "afp", "tumor_size_cm", "tumor_number", "child_pugh",
              "bclc", "albumin", "pvtt")
out <- list(
  meta = list(tool = "R", R = paste(R.version$major, R.version$minor, sep = "."),
              jsonlite = as.character(packageVersion("jsonlite")),
              script = "reference_table1.R"),
  two_sample = two, tables = tabs,
  table1 = list(
    by_split = table1("split", "train", "validation", c("response", clinical),
                      list(response = c("OR", "NR"))),
    by_response = table1("response", "OR", "NR", clinical, list())))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"),
           "table1_reference_r.json")
