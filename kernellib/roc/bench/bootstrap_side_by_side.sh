#!/bin/sh
# bootstrap_side_by_side.sh times pROC and package roc on the same task and
# data sizes, one after the other on this machine, and prints the ratios:
#
#   stratified bootstrap CI of the AUC, 2000 replicates, n = 130 and 10^4
#   pROC 1.18:  ci.auc(method = "bootstrap", boot.n = 2000, boot.stratified = TRUE)
#   Go:         BootstrapAUC (BenchmarkBootstrapAUC), percentile and BCa intervals
#
# Both draw n observations, 30% cases, control scores N(0, 1) and case
# scores shifted by 1, truncated to 3 decimals (bootstrap_side_by_side.R and
# bootBenchData). Each side's time is its best of REPS runs (pROC: system.time;
# Go: ns/op of the benchmark run with -count REPS, GOREPS iterations each),
# so that both are measured alike on a shared machine; Go uses all cores
# (GOMAXPROCS unset) unless GOMAXPROCS is set.
#
# Usage (from anywhere in the repository): kernellib/roc/bench/bootstrap_side_by_side.sh
# Needs Rscript with pROC (Debian r-cran-proc) and Go.
set -eu
REPS=${REPS:-3}
GOREPS=${GOREPS:-5}
HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE/../../.."

echo "best of $REPS runs each; $(nproc) cores, GOMAXPROCS=${GOMAXPROCS:-all}"

R_LOG=$(mktemp)
trap 'rm -f "$R_LOG"' EXIT
R_OUT=$(Rscript --vanilla "$HERE/bootstrap_side_by_side.R" "$REPS" 130 10000 2>"$R_LOG")
grep '^pROC' "$R_LOG" || true
GO_OUT=$(go test -run '^$' -bench 'BenchmarkBootstrapAUC/' -benchtime="${GOREPS}x" -count="$REPS" ./kernellib/roc/ |
	awk '/^BenchmarkBootstrapAUC\/n=/ { split($1, a, "[=-]"); if (!(a[2] in best) || $3 < best[a[2]]) best[a[2]] = $3 }
		END { for (n in best) print n, best[n] }')
if [ -z "$GO_OUT" ]; then
	echo "BenchmarkBootstrapAUC did not run" >&2
	exit 1
fi
echo "$R_OUT" | while read -r n r; do
	ns=$(echo "$GO_OUT" | awk -v n="$n" '$1 == n { print $2 }')
	awk -v n="$n" -v r="$r" -v ns="$ns" 'BEGIN {
		g = ns / 1e9
		printf "n = %5d: pROC ci.auc(boot.n = 2000) %.4f s, Go BootstrapAUC %.4f s, ratio %.1fx (target >= 20x)\n", n, r, g, r / g
	}'
done
