"""sklearn_weighted.py writes sklearn_weighted.json, scikit-learn's weighted
AUC and weighted ROC curve for package roc's WeightedAUC and
NewWeightedCurve (weighted.go).

    cd kernellib/roc/testdata && /usr/bin/python3 sklearn_weighted.py

Needs Debian's python3-numpy and python3-sklearn. For each case it records
roc_auc_score(y, s, sample_weight=w) and roc_curve(y, s, sample_weight=w,
drop_intermediate=False). Direction ">" (controls higher) is given to
scikit-learn, which knows only "higher means positive", as the negated
score. Floats are written by json with repr, which round-trips.
"""

import json
import platform

import numpy as np
import sklearn
from sklearn.metrics import roc_auc_score, roc_curve

rng = np.random.default_rng(20261205)


def case(name, y, s, w, direction="<"):
    y = np.asarray(y, dtype=int)
    s = np.asarray(s, dtype=float)
    w = np.asarray(w, dtype=float)
    t = s if direction == "<" else -s
    auc = roc_auc_score(y, t, sample_weight=w)
    fpr, tpr, thr = roc_curve(y, t, sample_weight=w, drop_intermediate=False)
    return {"name": name, "direction": direction,
            "truth": y.tolist(), "scores": s.tolist(), "weights": w.tolist(),
            "auc": float(auc), "fpr": fpr.tolist(), "tpr": tpr.tolist()}


cases = []
# Twelve lesions rated 1-5 (many ties), positive weights.
y = [1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0]
s = [5, 4, 4, 5, 3, 2, 3, 3, 1, 2, 2, 1]
cases.append(case("likert", y, s, rng.uniform(0.2, 3, 12).round(3)))
# The same with zero weights (left out) and integer weights.
w = [1, 0, 2, 3, 1, 0, 1, 2, 1, 4, 0, 1]
cases.append(case("likert_zero_integer", y, s, w))
cases.append(case("likert_controls_higher", y, s, w, ">"))
# 300 continuous scores rounded to 1 decimal (ties), lognormal weights.
n = 300
y = (rng.uniform(size=n) < 0.35).astype(int)
s = (rng.normal(size=n) + 0.8 * y).round(1)
w = rng.lognormal(0, 0.7, n)
w[rng.uniform(size=n) < 0.05] = 0
cases.append(case("n300_ties_lognormal", y, s, w))
cases.append(case("n300_controls_higher", y, s, w, ">"))
# Weights that depend on the class (a case-control sample re-weighted).
y = (rng.uniform(size=80) < 0.5).astype(int)
s = rng.normal(size=80) + 1.2 * y
w = np.where(y == 1, 0.25, 3.0)
cases.append(case("class_weights", y, s, w))

out = {"meta": {"tool": "python", "python": platform.python_version(),
                "numpy": np.__version__, "sklearn": sklearn.__version__,
                "script": "sklearn_weighted.py"},
       "cases": cases}
with open("sklearn_weighted.json", "w") as f:
    json.dump(out, f, indent=1)
