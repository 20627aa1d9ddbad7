"""reference_pr.py writes pr_sklearn.json, scikit-learn's precision-recall
curve and average precision for pr_test.go.

    cd kernellib/roc/testdata && /usr/bin/python3 reference_pr.py

Needs Debian's python3-numpy and python3-sklearn (1.2). For each case it
records sklearn.metrics.precision_recall_curve (precision, recall,
thresholds: thresholds increasing, the last point (1, 0) without a
threshold) and average_precision_score. A case with direction ">" (controls
higher) gives sklearn the negated scores, as package roc orients them; its
thresholds are negated back. Scores are binary fractions or small integers
so that their decimal text is exact. Floats are written by json with repr,
which round-trips.
"""

import json
import platform

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, precision_recall_curve

rng = np.random.default_rng(20261205)
cases = []


def add(name, truth, scores, direction="<"):
    truth = np.asarray(truth, dtype=int)
    scores = np.asarray(scores, dtype=float)
    s = scores if direction == "<" else -scores
    precision, recall, thresholds = precision_recall_curve(truth, s)
    if direction == ">":
        thresholds = -thresholds
    cases.append({
        "name": name, "direction": direction,
        "truth": truth.tolist(), "scores": scores.tolist(),
        "precision": precision.tolist(), "recall": recall.tolist(),
        "thresholds": thresholds.tolist(),
        "average_precision": float(average_precision_score(truth, s)),
    })


# scikit-learn's own docstring example.
add("sklearn_doc", [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])

# No ties: continuous scores on a 1/2^20 grid, n = 300, 30% cases.
n = 300
y = (rng.random(n) < 0.3).astype(int)
x = np.round((rng.normal(size=n) + 0.9 * y) * 2**20) / 2**20
add("no_ties", y, x)

# Ties: the same design rounded to a 1/4 grid, and a 1-5 rating.
add("ties_quarter", y, np.round((rng.normal(size=n) + 0.8 * y) * 4) / 4)
add("ties_rating", y, rng.integers(1, 6, size=n) + y)

# Rare responders (5%), ties, and the top score a tie of controls only.
n = 400
y = (rng.random(n) < 0.05).astype(int)
y[:3] = 1
x = np.round((rng.normal(size=n) + 1.2 * y) * 8) / 8
x[3:6] = x.max() + 1  # three controls above every case
y[3:6] = 0
add("rare_top_controls", y, x)

# Controls higher: sklearn gets the negated scores.
n = 120
y = (rng.random(n) < 0.4).astype(int)
y[:2], y[2:4] = 1, 0
add("controls_higher", y, np.round((rng.normal(size=n) - 0.7 * y) * 16) / 16, ">")

# Perfect separation and all scores tied.
add("perfect", [0, 0, 0, 1, 1], [1, 2, 3, 4, 5])
add("all_tied", [0, 1, 0, 1, 1], [2, 2, 2, 2, 2])

out = {"meta": {"tool": "python", "python": platform.python_version(),
                "numpy": np.__version__, "sklearn": sklearn.__version__,
                "script": "reference_pr.py"},
       "cases": cases}
with open("pr_sklearn.json", "w") as f:
    json.dump(out, f, indent=None)
    f.write("\n")
