#!/usr/bin/python3
"""Writes testdata/bootstrap_bca_scipy.json, the SciPy reference of the
percentile and BCa bootstrap intervals read by bootstrap_test.go.

Run from kernellib/roc:  /usr/bin/python3 testdata/bootstrap_bca_scipy.py
Needs Debian's python3-scipy (1.10) and python3-numpy.

pROC has no BCa interval, so the BCa interval is checked against
scipy.stats.bootstrap(method="BCa") (Efron & Tibshirani 1993, eq. 14.14 and
15.36; multi-sample jackknife acceleration), which draws its own replicates.
The fixture records SciPy's replicates (bootstrap_distribution), its BCa
interval and standard error, and numpy.percentile's (R type 7) percentile
interval of the same replicates. The Go test feeds SciPy's replicates to the
Go interval code, with the Go jackknife, and must find the same numbers.

Data: pROC's aSAH and the "likert" data set, read from the pROC fixtures.
Statistics are computed from integer counts and divided once, so that the
AUC of a sample is the same float64 in Python and Go (needed for ties of
replicates with the estimate in the bias correction z0).

Stratified bootstraps are SciPy multi-sample bootstraps with cases and
controls as separate samples; plain bootstraps resample observations.
"""
import json
import os

import numpy as np
import scipy
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name):
    with open(os.path.join(HERE, f"proc_bootstrap_{name}.json")) as f:
        d = json.load(f)["data"]
    truth = np.array(d.pop("truth")) == 1
    return truth, {k: np.array(v, dtype=float) for k, v in d.items()}


def auc(c, k):
    """Mann-Whitney AUC, ties 1/2, as 2*sum / (2 m n) in integers."""
    c = np.asarray(c, dtype=float)
    k = np.asarray(k, dtype=float)
    s2 = 2 * int(np.sum(c[:, None] > k[None, :])) + int(np.sum(c[:, None] == k[None, :]))
    return s2 / (2 * len(c) * len(k))


def run(name, samples, statistic, level, seed, B=1000):
    res = stats.bootstrap(samples, statistic, vectorized=False, n_resamples=B,
                          confidence_level=level, method="BCa",
                          random_state=np.random.default_rng(seed))
    dist = res.bootstrap_distribution
    alpha = (1 - level) / 2
    pct = np.percentile(dist, [100 * alpha, 100 * (1 - alpha)])
    return {
        "name": name,
        "level": level,
        "estimate": float(statistic(*samples)),
        "bca": [float(res.confidence_interval.low), float(res.confidence_interval.high)],
        "percentile": [float(pct[0]), float(pct[1])],
        "se": float(res.standard_error),
        "replicates": [float(v) for v in dist],
    }


def idx(a):
    return np.asarray(a).astype(int)


out = []
truth, a = load("asah")
x, w = a["s100b"], a["wfns"]
cases, ctrls = np.flatnonzero(truth), np.flatnonzero(~truth)
male = a["male"] == 1

# AUC of s100b, stratified.
out.append(run("asah_auc_stratified", (x[cases], x[ctrls]), auc, 0.95, 1))
# AUC difference s100b - wfns, paired, stratified (samples: case and control indices).
out.append(run("asah_diff_stratified", (cases, ctrls),
               lambda c, k: auc(x[idx(c)], x[idx(k)]) - auc(w[idx(c)], w[idx(k)]), 0.95, 2))
# Sensitivity and specificity of s100b >= 0.205, stratified.
t = 0.205
out.append(run("asah_se_stratified", (x[cases], x[ctrls]),
               lambda c, k: int(np.sum(c >= t)) / len(c), 0.95, 3))
out.append(run("asah_sp_stratified", (x[cases], x[ctrls]),
               lambda c, k: int(np.sum(k < t)) / len(k), 0.95, 4))
# Unpaired AUC difference, men minus women, stratified in each sample.
out.append(run("asah_unpaired_stratified",
               (x[cases[male[cases]]], x[ctrls[male[ctrls]]],
                x[cases[~male[cases]]], x[ctrls[~male[ctrls]]]),
               lambda c1, k1, c2, k2: auc(c1, k1) - auc(c2, k2), 0.95, 5))

truth, a = load("likert")
r, s = a["rating"], a["score"]
n = len(truth)


def plain_auc(i, v):
    i = idx(i)
    tt = truth[i]
    return auc(v[i][tt], v[i][~tt])


# AUC of the rating, plain bootstrap over observations, 90% level.
out.append(run("likert_auc_plain", (np.arange(n),), lambda i: plain_auc(i, r), 0.90, 6))
# AUC difference rating - score, paired, plain bootstrap.
out.append(run("likert_diff_plain", (np.arange(n),),
               lambda i: plain_auc(i, r) - plain_auc(i, s), 0.95, 7))

with open(os.path.join(HERE, "bootstrap_bca_scipy.json"), "w") as f:
    json.dump({"tool": f"SciPy {scipy.__version__}, NumPy {np.__version__}", "cases": out}, f)
print("wrote testdata/bootstrap_bca_scipy.json")
