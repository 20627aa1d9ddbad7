#!/bin/sh
# lasso_side_by_side.sh times scikit-learn and package learn on the same
# task and the same data, one after the other on this machine, and prints
# the ratio:
#
#   LASSO-logistic path with 100 penalties on 130 x 1,000 features, 10-fold CV
#   scikit-learn: LogisticRegressionCV(penalty="l1", solver="liblinear",
#                 Cs=100, cv=10).fit(X, y)   (one core: n_jobs=None)
#   Go:           LogisticCV{Penalty: L1, Folds: 10}.Fit(X, y)
#                 (BenchmarkLassoCV: the 100-λ path on all rows and on each
#                 of the 10 training folds, the CV curve and the choice of λ)
#
# The data are drawn once by numpy (seed 2024: standard normal features, a
# logistic outcome of the first ten) and written to a temporary CSV file
# that both sides read. Each side's time is its best of its runs
# (scikit-learn: PYREPS fits timed with time.perf_counter; Go: ns/op of the
# benchmark run with -count REPS, GOREPS iterations each), with Go on one
# core (-cpu 1, as scikit-learn here) and on all cores.
#
# Usage (from anywhere in the repository): kernellib/learn/bench/lasso_side_by_side.sh
# Needs /usr/bin/python3 with numpy and scikit-learn (Debian python3-sklearn) and Go.
set -eu
PYREPS=${PYREPS:-1}
REPS=${REPS:-3}
GOREPS=${GOREPS:-2}
HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE/../../.."

CSV=$(mktemp --suffix=.csv)
PY_LOG=$(mktemp)
trap 'rm -f "$CSV" "$PY_LOG"' EXIT

echo "130 x 1000, 100 penalties, 10-fold CV; $(nproc) cores; scikit-learn best of $PYREPS, Go best of $REPS"
PY_SECONDS=$(/usr/bin/python3 - "$CSV" "$PYREPS" <<'PYEOF'
import sys, time, warnings
import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegressionCV

path, reps = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(2024)
n, p = 130, 1000
X = np.round(rng.standard_normal((n, p)), 6)
y = (rng.random(n) < 1 / (1 + np.exp(-X[:, :10].sum(axis=1)))).astype(int)
header = ",".join([f"x{j + 1}" for j in range(p)] + ["y"])
np.savetxt(path, np.column_stack([X, y]), delimiter=",", header=header, comments="", fmt=["%.6f"] * p + ["%d"])
best = float("inf")
warnings.simplefilter("ignore")
for _ in range(reps):
    t = time.perf_counter()
    m = LogisticRegressionCV(penalty="l1", solver="liblinear", Cs=100, cv=10).fit(X, y)
    best = min(best, time.perf_counter() - t)
print(f"scikit-learn {sklearn.__version__}: C = {m.C_[0]:.4g}, {int((m.coef_ != 0).sum())} non-zero coefficients", file=sys.stderr)
print(best)
PYEOF
2>"$PY_LOG")
grep '^scikit-learn' "$PY_LOG" || true
GO_OUT=$(LEARN_BENCH_CSV="$CSV" go test -run '^$' -bench '^BenchmarkLassoCV$' -benchtime="${GOREPS}x" -count="$REPS" -cpu "1,$(nproc)" ./kernellib/learn/ |
	awk '/^BenchmarkLassoCV/ { c = 1; if (match($1, /-[0-9]+$/)) c = substr($1, RSTART + 1); if (!(c in best) || $3 < best[c]) best[c] = $3 }
		END { for (c in best) print c, best[c] }' | sort -n)
if [ -z "$GO_OUT" ]; then
	echo "BenchmarkLassoCV did not run" >&2
	exit 1
fi
echo "$GO_OUT" | while read -r cpus ns; do
	awk -v c="$cpus" -v py="$PY_SECONDS" -v ns="$ns" 'BEGIN {
		g = ns / 1e9
		printf "scikit-learn LogisticRegressionCV(l1, liblinear) %.3f s, Go LogisticCV (%d core%s) %.3f s, ratio %.1fx (target >= 1x)\n", py, c, (c == 1 ? "" : "s"), g, py / g
	}'
done
