"""reference_clinical.py writes clinical_py.json, reference values from
SciPy and scikit-learn for the binomial intervals, the accuracy measures at a
threshold, the calibration curve and the Brier score of package roc.

    cd kernellib/roc/testdata && /usr/bin/python3 reference_clinical.py

Needs Debian's python3-numpy, python3-scipy and python3-sklearn. Floats are
written by json with repr, which round-trips.
"""

import json
import platform

import numpy as np
import scipy
import sklearn
from scipy.stats import beta, binomtest
from sklearn.calibration import calibration_curve
from sklearn.metrics import (accuracy_score, brier_score_loss,
                             confusion_matrix, f1_score, precision_score,
                             recall_score)


def num(x):
    """JSON-safe float: non-finite values as strings."""
    x = float(x)
    if np.isnan(x):
        return "NaN"
    if np.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    return x


rng = np.random.default_rng(20240611)
out = {"meta": {"tool": "python", "python": platform.python_version(),
                "numpy": np.__version__, "scipy": scipy.__version__,
                "sklearn": sklearn.__version__,
                "script": "reference_clinical.py"}}

# Binomial intervals: scipy.stats.beta quantiles (Clopper-Pearson) and
# scipy.stats.binomtest(...).proportion_ci(method="wilson").
binom = []
for x, n, level in [(0, 10, 0.95), (1, 10, 0.95), (5, 10, 0.95), (10, 10, 0.95),
                    (3, 7, 0.9), (17, 43, 0.99), (123, 400, 0.95), (0, 1, 0.95),
                    (1, 1, 0.95), (499, 1000, 0.8), (2, 100000, 0.95),
                    (7, 9, 0.5), (250, 251, 0.999)]:
    # Clopper-Pearson from the Beta quantiles (binomtest's "exact" interval
    # finds the same bounds by root finding, to a looser tolerance).
    alpha = (1 - level) / 2
    lo = 0.0 if x == 0 else beta.ppf(alpha, x, n - x + 1)
    hi = 1.0 if x == n else beta.ppf(1 - alpha, x + 1, n - x)
    wi = binomtest(x, n).proportion_ci(confidence_level=level, method="wilson")
    binom.append({"x": x, "n": n, "level": level,
                  "exact": [num(lo), num(hi)],
                  "wilson": [num(wi.low), num(wi.high)]})
out["binomial"] = binom

# Accuracy measures at thresholds (positive when score >= threshold):
# sklearn.metrics on the dichotomised scores.
n = 150
truth = rng.random(n) < 0.4
score = np.where(truth, rng.normal(1.0, 1.0, n), rng.normal(0.0, 1.0, n))
at = []
for thr in np.quantile(score, [0.1, 0.33, 0.5, 0.8]).tolist() + [float(np.sort(score)[70])]:
    pred = score >= thr
    tn, fp, fn, tp = confusion_matrix(truth, pred, labels=[False, True]).ravel()
    at.append({"threshold": num(thr), "tp": int(tp), "fp": int(fp), "tn": int(tn), "fn": int(fn),
               "sensitivity": num(recall_score(truth, pred)),
               "specificity": num(recall_score(truth, pred, pos_label=False)),
               "ppv": num(precision_score(truth, pred)),
               "npv": num(precision_score(truth, pred, pos_label=False)),
               "accuracy": num(accuracy_score(truth, pred)),
               "f1": num(f1_score(truth, pred))})
out["at_threshold"] = {"score": score.tolist(), "truth": truth.tolist(), "cases": at}

# Calibration curves and Brier score: sklearn.calibration.calibration_curve
# and sklearn.metrics.brier_score_loss.
calib = []
for size, a, b, power in [(500, 2.0, 5.0, 1.3), (137, 1.2, 1.2, 0.8)]:
    p = rng.beta(a, b, size)
    y = rng.random(size) < p ** power
    curves = []
    for bins in (5, 10, 13):
        for strategy in ("quantile", "uniform"):
            prob_true, prob_pred = calibration_curve(y, p, n_bins=bins, strategy=strategy)
            curves.append({"bins": bins, "strategy": strategy,
                           "observed": prob_true.tolist(),
                           "mean_predicted": prob_pred.tolist()})
    calib.append({"p": p.tolist(), "y": y.tolist(),
                  "brier": num(brier_score_loss(y, p)), "curves": curves})
out["calibration"] = calib

with open("clinical_py.json", "w") as f:
    json.dump(out, f)
