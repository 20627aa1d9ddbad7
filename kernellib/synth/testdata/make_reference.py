#!/usr/bin/python3
"""Writes reference.json: values from SciPy and scikit-learn that the Go tests
of kernellib/synth compare against.

* auc: ROC AUCs of small score/label sets, with ties, from
  sklearn.metrics.roc_auc_score and from scipy.stats.mannwhitneyu (U / (n1 n0)).
* lognormal: the lognormal density of scipy.stats.lognorm (s = sigma,
  scale = exp(mu), loc = t0) with mu = ln(tp) + sigma^2, divided by its value
  at the mode t0 + tp: the curve LognormalBolus implements.

Run with Debian's python3 (python3-scipy, python3-sklearn):
    /usr/bin/python3 make_reference.py > reference.json
"""
import json
import math

import numpy as np
import scipy
import sklearn
from scipy.stats import lognorm, mannwhitneyu
from sklearn.metrics import roc_auc_score

rng = np.random.default_rng(20261127)
auc_sets = []
for n, levels in [(12, 4), (40, 6), (200, 0)]:
    y = rng.random(n) < 0.6
    y[0], y[1] = True, False
    s = rng.normal(size=n) + 1.2 * y
    if levels:
        s = np.round(s * levels / 3) / levels  # coarse scores: many ties
    u = mannwhitneyu(s[y], s[~y], alternative="two-sided").statistic
    auc_sets.append({
        "score": [float(v) for v in s],
        "label": [bool(v) for v in y],
        "sklearn_auc": float(roc_auc_score(y, s)),
        "scipy_u_auc": float(u) / (int(y.sum()) * int((~y).sum())),
    })

curves = []
for t0, tp, sigma in [(10.0, 7.0, 0.45), (16.0, 25.0, 1.0), (13.0, 18.0, 0.9)]:
    mu = math.log(tp) + sigma**2
    d = lognorm(s=sigma, scale=math.exp(mu), loc=t0)
    mode = d.pdf(t0 + tp)
    ts = [t0 - 1.0, t0 + 0.5, t0 + tp / 2, t0 + tp, t0 + 2 * tp, t0 + 60.0, t0 + 150.0]
    curves.append({"t0": t0, "tp": tp, "sigma": sigma,
                   "t": ts, "value": [float(d.pdf(t) / mode) for t in ts]})

print(json.dumps({
    "tool": "scipy %s, scikit-learn %s, numpy %s" % (scipy.__version__, sklearn.__version__, np.__version__),
    "auc": auc_sets,
    "lognormal": curves,
}, indent=1))
