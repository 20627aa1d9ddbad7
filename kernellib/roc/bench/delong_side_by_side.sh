#!/bin/sh
# delong_side_by_side.sh times pROC and package roc on the same task and data
# size, one after the other on this machine, and prints the ratio:
#
#   two ROC curves and DeLong's paired test of their AUCs, n = 10^6
#   pROC 1.18:  roc() twice + roc.test(method = "delong")
#   Go:         NewCurve twice + PairedDeLong (BenchmarkCurvesPairedDeLong)
#
# Both draw n observations, 30% cases, with two correlated binormal scores
# without ties (control scores N(0, 1), case scores shifted by 0.5 and 0.4).
# Each side's time is its best of REPS runs (pROC: system.time of the
# three calls; Go: ns/op of the benchmark run with -count REPS), so that
# both are measured alike on a shared machine.
#
# Usage (from anywhere in the repository): kernellib/roc/bench/delong_side_by_side.sh [n]
# Needs Rscript with pROC (Debian r-cran-proc) and Go.
set -eu
N=${1:-1000000}
REPS=${REPS:-5}
cd "$(dirname "$0")/../../.."

echo "n = $N, best of $REPS runs each; $(nproc) cores, GOMAXPROCS=${GOMAXPROCS:-all}"

R_SECONDS=$(Rscript --vanilla - "$N" "$REPS" <<'REOF' 2>/dev/null
suppressMessages(library(pROC))
args <- commandArgs(trailingOnly = TRUE)
n <- as.integer(args[1]); reps <- as.integer(args[2])
set.seed(2024)
truth <- as.numeric(runif(n) < 0.3)
z <- rnorm(n)
a <- z + 0.5 * truth
b <- 0.6 * z + 0.8 * rnorm(n) + 0.4 * truth
best <- Inf
for (i in seq_len(reps)) {
  t <- system.time({
    r1 <- roc(truth, a, levels = c(0, 1), direction = "<", quiet = TRUE)
    r2 <- roc(truth, b, levels = c(0, 1), direction = "<", quiet = TRUE)
    tt <- roc.test(r1, r2, method = "delong", paired = TRUE)
  })[["elapsed"]]
  best <- min(best, t)
}
cat(sprintf("%.4f\n", best))
REOF
)
echo "pROC $(Rscript -e 'cat(as.character(packageVersion("pROC")))' 2>/dev/null): roc() x2 + roc.test(delong): ${R_SECONDS} s"

LINE=$(go test -run '^$' -bench "BenchmarkCurvesPairedDeLong/n=${N}\$" -benchtime=2x -count="$REPS" -benchmem ./kernellib/roc/ |
	grep '^BenchmarkCurvesPairedDeLong' | sort -n -k3 | head -1 || true)
if [ -z "$LINE" ]; then
	echo "no Go benchmark for n = $N (sizes: 1000, 10000, 100000, 1000000)" >&2
	exit 1
fi
echo "$LINE" | awk -v r="$R_SECONDS" '{
	for (i = 2; i < NF; i++) {
		if ($(i+1) == "ns/op") ns = $i
		if ($(i+1) == "B/op") mem = $i
	}
	g = ns / 1e9
	printf "Go: NewCurve x2 + PairedDeLong: %.4f s (%.0f MB allocated per run)\n", g, mem / 1e6
	printf "ratio pROC / Go: %.1fx (target >= 5x)\n", r / g
}'
