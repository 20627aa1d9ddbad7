#!/usr/bin/env Rscript
# Writes icc_r.json: ICC(3,1) and ICC(2,1) of seeded random subject x condition tables,
# from the mean squares of R's two-way analysis of variance (aov(x ~ subject + condition)):
# ICC(3,1) = (MS_subject - MS_residual) / (MS_subject + (k - 1) MS_residual),
# ICC(2,1) = (MS_subject - MS_residual) /
#            (MS_subject + (k - 1) MS_residual + k (MS_condition - MS_residual) / n)
# (Shrout & Fleiss 1979, Table 1; ICC(2,1) is McGraw & Wong's ICC(A,1), what
# irr::icc(model = "twoway", type = "agreement", unit = "single") reports).
# Run from this folder: Rscript make_icc_r.R
set.seed(1979)
cases <- list()
dims <- list(c(6, 4), c(20, 9), c(35, 3), c(8, 2))
for (d in dims) {
  n <- d[1]; k <- d[2]
  subject <- rnorm(n, sd = runif(1, 0.5, 3))
  shift <- rnorm(k, sd = 0.7)
  x <- outer(subject, shift, "+") + matrix(rnorm(n * k), n, k)
  df <- data.frame(x = as.vector(x), subject = factor(rep(seq_len(n), k)), cond = factor(rep(seq_len(k), each = n)))
  tab <- summary(aov(x ~ subject + cond, data = df))[[1]]
  msr <- tab[["Mean Sq"]][1]; msc <- tab[["Mean Sq"]][2]; mse <- tab[["Mean Sq"]][3]
  icc <- (msr - mse) / (msr + (k - 1) * mse)
  icc21 <- (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)
  rows <- paste0("[", apply(x, 1, function(r) paste(sprintf("%.17g", r), collapse = ",")), "]")
  cases[[length(cases) + 1]] <- sprintf('{"n":%d,"k":%d,"x":[%s],"icc31":%.17g,"icc21":%.17g}', n, k, paste(rows, collapse = ","), icc, icc21)
}
out <- sprintf('{"tool":"%s, stats::aov","cases":[%s]}\n', R.version.string, paste(unlist(cases), collapse = ","))
cat(out, file = "icc_r.json")
